//! The surface syntax: one TOML file may hold a commitment with its clauses and
//! scenarios, an organisation and its roster, actor attributes, territories or seas.
//! Everything later layers resolve (ids, dates, enumerated words) keeps its span.
//! Unknown fields are errors, so a typo is never silently ignored.

use serde::Deserialize;
use toml::Spanned;

use crate::{Diagnostic, SourceFile};

/// Text with the span it came from.
pub type Text = Spanned<String>;

/// A date as written: `"2024-03-07"`, `"2022-09"` or `"1949"` (a partial date is a range),
/// or a bare TOML date. Checked and resolved by the model layer.
pub type DateText = Spanned<toml::Value>;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SurfaceFile {
    pub commitment: Option<Spanned<CommitmentSrc>>,
    #[serde(default)]
    pub clause: Vec<Spanned<ClauseSrc>>,
    #[serde(default)]
    pub scenario: Vec<Spanned<ScenarioSrc>>,
    pub organisation: Option<Spanned<OrganisationSrc>>,
    #[serde(default)]
    pub actor: Vec<Spanned<ActorSrc>>,
    #[serde(default)]
    pub territory: Vec<Spanned<TerritorySrc>>,
    #[serde(default)]
    pub sea: Vec<Spanned<SeaSrc>>,
    /// Other names people type for a place or an actor (the hand-kept list beside the
    /// generated `aliases.tsv`).
    #[serde(default)]
    pub alias: Vec<Spanned<AliasSrc>>,
    /// Parameters of the credibility model (priors), or a scenario's overrides of them.
    #[serde(default)]
    pub parameter: Vec<Spanned<ParameterSrc>>,
    /// A question about guarantee designs: one event, several options.
    pub assessment: Option<Spanned<AssessmentSrc>>,
    #[serde(default)]
    pub option: Vec<Spanned<OptionSrc>>,
    /// The attacks an assessment tests every option against (each a variant of its event).
    #[serde(default)]
    pub attack: Vec<Spanned<AttackSrc>>,
    /// How an organisation admits members (steps, decision rules, conditions).
    pub accession: Option<Spanned<AccessionSrc>>,
    /// How a member ratifies an accession.
    #[serde(default)]
    pub procedure: Vec<Spanned<ProcedureSrc>>,
    /// A past enlargement, with each member's ratification where known.
    #[serde(default)]
    pub enlargement: Vec<Spanned<EnlargementSrc>>,
    /// A member's dated public position on a candidate.
    #[serde(default)]
    pub stance: Vec<Spanned<StanceSrc>>,
    /// Members whose positions move together (a leader and its followers).
    #[serde(default)]
    pub bloc: Vec<Spanned<BlocSrc>>,
    /// A condition a step waits for, with the probability that it holds by each date.
    #[serde(default)]
    pub gate: Vec<Spanned<GateSrc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessionSrc {
    pub org: Text,
    pub article: Text,
    pub quote: Text,
    pub source: Text,
    pub verified: Option<Text>,
    pub step: Vec<Spanned<AccessionStepSrc>>,
    #[serde(default)]
    pub condition: Vec<Spanned<AccessionConditionSrc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessionStepSrc {
    /// invitation | protocol | ratification | deposit
    pub id: Text,
    /// consensus | each_member | candidate | qualified_majority
    pub rule: Text,
    pub text: Text,
    pub source: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessionConditionSrc {
    pub text: Text,
    /// The candidate it concerns; omitted: every candidate.
    pub candidate: Option<Text>,
    pub date: Option<DateText>,
    pub source: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureSrc {
    pub actor: Text,
    /// executive | legislative_simple | legislative_supermajority | unknown
    pub kind: Text,
    pub bodies: Text,
    pub head_of_state_signs: Option<bool>,
    pub referendum: Option<bool>,
    pub source: Option<Text>,
    pub verified: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnlargementSrc {
    pub org: Text,
    pub candidates: Vec<Text>,
    pub invited: Option<DateText>,
    pub protocol_signed: DateText,
    pub accession: DateText,
    pub source: Text,
    #[serde(default)]
    pub ratification: Vec<Spanned<RatificationSrc>>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatificationSrc {
    pub member: Text,
    pub date: DateText,
    /// The candidate, when members ratified several candidates' protocols on different days.
    pub candidate: Option<Text>,
    pub source: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceSrc {
    pub org: Text,
    pub member: Text,
    pub candidate: Text,
    /// supports | conditional | delays | opposes
    pub position: Text,
    pub condition: Option<Text>,
    pub date: DateText,
    pub source: Text,
    /// A probability that the member ratifies (or consents) in the end, overriding the model.
    pub probability: Option<Spanned<f64>>,
    pub note: Option<Text>,
}

/// Members whose positions on candidates move together: when the leader's position
/// changes, each follower takes it too with probability `follow`. Exactly one of `source`
/// and `assumption` is given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlocSrc {
    pub id: Text,
    pub org: Text,
    pub leader: Text,
    pub followers: Vec<Text>,
    pub follow: Spanned<f64>,
    /// The candidate it concerns; omitted: every candidate.
    pub candidate: Option<Text>,
    /// When the link became known (a query before it does not see it).
    pub date: DateText,
    pub source: Option<Text>,
    pub assumption: Option<Text>,
    pub note: Option<Text>,
}

/// A condition that must hold before a step can happen (an invitation "when conditions are
/// met", or one member's ratification waiting for a candidate's law), with the probability that it holds by each date (`p_by`, non-decreasing; after the
/// last date it stays at the last value: the rest is "never"). Exactly one of `source` and
/// `assumption` is given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateSrc {
    pub id: Text,
    pub org: Text,
    pub candidate: Text,
    /// The step it gates: invitation, or ratification by `member`.
    pub step: Text,
    /// For a ratification gate: the member whose ratification waits for the condition.
    pub member: Option<Text>,
    pub text: Text,
    /// When the condition was stated (a query before it does not see it).
    pub date: DateText,
    pub p_by: Vec<Spanned<GatePointSrc>>,
    pub source: Option<Text>,
    pub assumption: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatePointSrc {
    pub date: DateText,
    pub p: Spanned<f64>,
}

/// A number the credibility model uses, with where it comes from and the range the
/// sensitivity analysis tries. Exactly one of `source` and `assumption` is given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSrc {
    pub id: Text,
    /// Only for this obligor (e.g. a state's stake, a parliament's delay).
    pub actor: Option<Text>,
    pub value: Spanned<f64>,
    pub low: Option<Spanned<f64>>,
    pub high: Option<Spanned<f64>>,
    pub source: Option<Text>,
    pub assumption: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentSrc {
    pub id: Text,
    pub title: Text,
    pub question: Option<Text>,
    pub event: Spanned<AssessEventSrc>,
    pub source: Option<Text>,
}

/// An assessment's event: like a scenario's, but the date may be left to the command line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessEventSrc {
    pub attacker: Text,
    pub target: Text,
    pub place: Option<Text>,
    pub date: Option<DateText>,
    pub kind: Option<Text>,
    pub against: Option<Text>,
    pub severity: Option<Text>,
}

/// One attack scenario of an assessment: the assessment's event with what differs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttackSrc {
    pub id: Text,
    pub description: Text,
    pub place: Option<Text>,
    pub kind: Option<Text>,
    pub against: Option<Text>,
    pub severity: Option<Text>,
    pub note: Option<Text>,
}

/// One design to compare: which commitments stand, which proposals are adopted, and
/// what is hypothetically changed (a new member, forces stationed).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSrc {
    pub id: Text,
    pub label: Text,
    pub commitments: Vec<Text>,
    /// Proposals treated as adopted and in force.
    #[serde(default)]
    pub adopt: Vec<Text>,
    /// The bindingness adopted proposals would have (e.g. legal, once ratified).
    pub binding_as: Option<Text>,
    /// Hypothetical memberships from the event's date: `{ org = "NATO", actor = "UKR" }`.
    #[serde(default)]
    pub members: Vec<Spanned<HypotheticalMemberSrc>>,
    /// Hypothetical forces stationed in the target's territory.
    #[serde(default)]
    pub forces: Vec<Spanned<ForcesSrc>>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HypotheticalMemberSrc {
    pub org: Text,
    pub actor: Text,
}

/// `[[alias]]`: a name people type for a place or an actor, with where it comes from or why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasSrc {
    pub name: Text,
    /// A place id (ISO 3166-1 alpha-2, ISO 3166-2 code or sea id).
    pub place: Option<Text>,
    /// An actor id, for actors without a place of their own.
    pub actor: Option<Text>,
    pub source: Option<Text>,
    pub reason: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentSrc {
    pub id: Text,
    pub title: Text,
    pub short_title: Option<Text>,
    /// Other names people use for the document ("NATO", "Washington Treaty").
    #[serde(default)]
    pub aliases: Vec<Text>,
    /// treaty | executive_agreement | political_declaration | memorandum | domestic_law | proposal
    pub kind: Text,
    /// legal | political | disputed | none
    pub binding: Text,
    /// For proposals: what is known of their status ("reported draft, not signed").
    pub status: Option<Text>,
    pub summary: Option<Text>,
    pub signed: Option<DateText>,
    pub in_force: Option<DateText>,
    pub terminated: Option<DateText>,
    /// Actor ids or `org:ID` (the organisation's members on the event's date).
    pub parties: Vec<Text>,
    pub source: Text,
    #[serde(default)]
    pub other_sources: Vec<Text>,
    pub duration: Option<DurationSrc>,
    #[serde(default)]
    pub forces: Vec<Spanned<ForcesSrc>>,
    #[serde(default)]
    pub suspension: Vec<Spanned<SuspensionSrc>>,
    #[serde(default)]
    pub uncertain: Vec<Spanned<UncertainSrc>>,
    /// integrated_command | standing_body: how institutionalised the commitment is.
    #[serde(default)]
    pub institutions: Vec<Text>,
    /// The ATOP alliance id (`atopid`) coding the same treaty, for `casus check --against atop`.
    pub atop: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationSrc {
    /// indefinite | fixed
    pub term: Text,
    pub years: Option<Spanned<i64>>,
    pub renewable: Option<bool>,
    pub withdrawal: Option<Text>,
    pub source: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForcesSrc {
    pub from: Text,
    pub stationed_in: Text,
    pub text: Text,
    pub since: Option<DateText>,
    pub source: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspensionSrc {
    pub obligor: Text,
    pub beneficiary: Text,
    pub from: DateText,
    pub until: Option<DateText>,
    pub text: Text,
    pub source: Text,
}

/// A fact the file states but could not verify; shown wherever the commitment is shown.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertainSrc {
    pub fact: Text,
    pub source: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseSrc {
    pub id: Text,
    pub article: Text,
    pub quote: Option<Text>,
    pub source: Option<Text>,
    /// primary | secondary | unverified | reported
    pub verified: Option<Text>,
    /// act (default) | refrain | policy | definition
    pub duty: Option<Text>,
    #[serde(default)]
    pub obligors: Vec<Text>,
    #[serde(default)]
    pub beneficiaries: Vec<Text>,
    pub trigger: Option<TriggerSrc>,
    pub scope: Option<ScopeSrc>,
    /// Take the geographic scope from another clause of the same document (e.g. Art. 6).
    pub scope_from: Option<Text>,
    pub strength: Option<Text>,
    pub decision: Option<DecisionSrc>,
    #[serde(default)]
    pub domestic_approval: Vec<Spanned<DomesticSrc>>,
    #[serde(default)]
    pub caveat: Vec<Spanned<CaveatSrc>>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerSrc {
    /// threat | armed_attack | nuclear | nuclear_use | economic_coercion
    pub event: Text,
    /// Only these attackers (actor ids or `org:ID`); empty means any.
    #[serde(default)]
    pub by: Vec<Text>,
    /// territory | forces; default territory
    #[serde(default)]
    pub against: Vec<Text>,
    /// Minimum severity the text demands: major. Omitted: any armed attack.
    pub severity: Option<Text>,
    /// The words of the text that set the threshold.
    pub threshold: Option<Text>,
    /// irrelevant (default) | excluded (not owed if the beneficiary provoked the attack)
    pub provocation: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeSrc {
    pub text: Option<Text>,
    /// The scope is the union of these regions.
    pub region: Vec<Spanned<RegionSrc>>,
}

/// One region of a scope: all the conditions given must hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSrc {
    pub label: Text,
    /// territory | forces; default territory
    #[serde(default)]
    pub against: Vec<Text>,
    #[serde(default)]
    pub continent: Vec<Text>,
    /// Places (with everything inside them) and seas.
    #[serde(default)]
    pub places: Vec<Text>,
    #[serde(default)]
    pub ocean: Vec<Text>,
    /// Carve-outs, applied only where the gazetteer records the place's ocean.
    #[serde(default)]
    pub exclude_places: Vec<Text>,
    #[serde(default)]
    pub exclude_oceans: Vec<Text>,
    pub island: Option<bool>,
    pub min_latitude: Option<Spanned<f64>>,
    pub max_latitude: Option<Spanned<f64>>,
    /// Whose the place must be: party (default) | target | any
    pub held_by: Option<Text>,
    /// sovereignty (default) | administration
    pub control: Option<Text>,
    pub from: Option<DateText>,
    pub until: Option<DateText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionSrc {
    /// individual | consensus | qualified_majority | single_actor
    pub rule: Text,
    pub body: Option<Text>,
    /// For single_actor: who decides.
    #[serde(default)]
    pub by: Vec<Text>,
    /// For qualified_majority: a fraction such as "2/3".
    pub threshold: Option<Text>,
    pub text: Option<Text>,
    pub source: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomesticSrc {
    /// constitutional_processes | legislative_approval | executive | none_stated
    pub requirement: Text,
    pub text: Text,
    /// Empty: every obligor.
    #[serde(default)]
    pub applies_to: Vec<Text>,
    pub source: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaveatSrc {
    pub text: Text,
    /// Empty: every obligor.
    #[serde(default)]
    pub applies_to: Vec<Text>,
    pub source: Option<Text>,
    /// When the caveat holds (e.g. a member's frozen participation); open ends by default.
    pub from: Option<DateText>,
    pub until: Option<DateText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationSrc {
    pub id: Text,
    pub name: Text,
    pub founded: DateText,
    pub dissolved: Option<DateText>,
    pub source: Text,
    pub note: Option<Text>,
    pub member: Vec<Spanned<MemberSrc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberSrc {
    pub actor: Text,
    pub from: DateText,
    pub until: Option<DateText>,
    pub source: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSrc {
    pub id: Text,
    /// Required for an actor the ISO tables do not have.
    pub name: Option<Text>,
    /// Dated Correlates of War codes; replaces the single code of the ISO table.
    #[serde(default)]
    pub cow: Vec<Spanned<CowSpellSrc>>,
    pub nuclear: Option<Spanned<NuclearSrc>>,
    pub source: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CowSpellSrc {
    pub code: Spanned<i64>,
    pub from: Option<DateText>,
    pub until: Option<DateText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NuclearSrc {
    pub since: DateText,
    pub text: Text,
    pub source: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerritorySrc {
    pub place: Text,
    pub name: Option<Text>,
    pub continent: Option<Text>,
    pub island: Option<bool>,
    pub ocean: Option<Text>,
    #[serde(default)]
    pub sovereign: Vec<Spanned<SovereignSrc>>,
    #[serde(default)]
    pub status: Vec<Spanned<StatusSrc>>,
    pub source: Text,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SovereignSrc {
    pub actor: Text,
    pub from: Option<DateText>,
    pub until: Option<DateText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusSrc {
    /// occupied | annexation_claimed | disputed | administered_by
    pub kind: Text,
    pub by: Option<Text>,
    pub from: Option<DateText>,
    pub until: Option<DateText>,
    pub source: Option<Text>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeaSrc {
    pub id: Text,
    pub name: Text,
    pub ocean: Text,
    pub lat: Option<Spanned<f64>>,
    pub lon: Option<Spanned<f64>>,
    pub source: Text,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSrc {
    pub name: Text,
    pub event: Spanned<EventSrc>,
    #[serde(default)]
    pub expect: Vec<Spanned<ExpectSrc>>,
    pub note: Option<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSrc {
    pub attacker: Text,
    pub target: Text,
    pub place: Option<Text>,
    pub date: DateText,
    /// threat | armed_attack | nuclear_threat | nuclear_attack | economic_coercion (default armed_attack)
    pub kind: Option<Text>,
    /// territory | forces (default territory)
    pub against: Option<Text>,
    /// unspecified (default) | limited | major
    pub severity: Option<Text>,
    /// The target struck first (for clauses that exclude provocation).
    pub provoked: Option<bool>,
    /// Treat proposals as if adopted and in force on the event's date.
    pub assume_proposals: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSrc {
    /// `clause` in this file, or `commitment-id/clause`.
    pub clause: Text,
    /// obligation | not_triggered | unknown | breached
    pub status: Text,
    /// Actor ids or `org:ID`; the event's attacker and target are left out of an org.
    #[serde(default)]
    pub obligors: Vec<Text>,
    /// The listed obligors are all the obligors of this clause, no more.
    #[serde(default)]
    pub exactly: bool,
    pub strength: Option<Text>,
    /// For not_triggered / unknown: the reason code.
    pub reason: Option<Text>,
    /// Words that the explanation must contain.
    #[serde(default)]
    pub explanation_contains: Vec<Text>,
}

/// Parses one TOML file into its surface form. Syntax and shape errors stop at the
/// first one (TOML gives no more); everything semantic is checked later, all at once.
pub fn parse_toml(file: &SourceFile) -> Result<SurfaceFile, Diagnostic> {
    toml::from_str::<SurfaceFile>(&file.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let hint = field_hint(&message);
        let d = Diagnostic::error(file, span, message);
        match hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    })
}

/// serde says "unknown field `x`, expected one of `a`, `b`"; turn that into a "did you mean".
fn field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = crate::did_you_mean(field, expected.iter().copied());
    best.first().map(|b| format!("did you mean `{b}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_is_located_and_suggested() {
        let f = SourceFile::new("t.toml", "[commitment]\nid = \"x\"\ntitel = \"y\"\n");
        let d = parse_toml(&f).unwrap_err();
        assert_eq!(d.start.line, 3, "{d:?}");
        assert!(d.message.contains("unknown field `titel`"), "{}", d.message);
        assert_eq!(d.hints, vec!["did you mean `title`?"]);
    }

    #[test]
    fn syntax_error_has_position() {
        let f = SourceFile::new("t.toml", "a = \n");
        let d = parse_toml(&f).unwrap_err();
        assert_eq!(d.start.line, 1);
        assert!(d.short().starts_with("t.toml:1:"));
    }
}
