//! The design dimensions analysts compare guarantees on, computed from the encoded
//! clauses (never typed in): how binding, how strong, how automatic, who must agree,
//! what approval each guarantor needs, how many guarantors and how strong, forces on
//! the ground, where it applies, for how long.

use casus_model::*;
use chrono::NaiveDate;

use crate::obligations::in_force;

#[derive(Debug, Clone)]
pub struct Profile {
    pub commitment: CommitmentId,
    pub in_force: Truth,
    /// The strongest clause that obliges action (its index), if any.
    pub strongest_clause: Option<usize>,
    pub strength: Option<Strength>,
    pub force_contemplated: bool,
    pub automaticity: Automaticity,
    pub decision: Option<DecisionRule>,
    /// How many must agree before the response comes: 1 when each decides alone.
    pub must_agree: Option<usize>,
    pub domestic_approval: Vec<Requirement>,
    /// Obligors of the strongest clause on the date (for mutual treaties: the parties).
    pub guarantors: Vec<ActorId>,
    pub nuclear_guarantors: Vec<ActorId>,
    /// Sum of the guarantors' capability scores, when the caller gave scores for all.
    pub combined_capability: Option<f64>,
    pub forces: Vec<String>,
    pub scope: String,
    pub duration: String,
}

/// How much stands between the trigger and the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Automaticity {
    /// No duty to act: consultation or policy only.
    NoDutyToAct,
    /// A body must decide by consensus or majority first.
    CollectiveDecision,
    /// One named actor decides for all.
    SingleDecider,
    /// Each obligor acts only through its own constitutional or legislative process.
    SubjectToDomesticProcess,
    /// Each obligor must act but chooses how ("such action as it deems necessary").
    IndividualJudgement,
    /// Each obligor must give all the aid in its power.
    Automatic,
}

/// Profiles a commitment on a date. `capability` scores an actor (e.g. CINC); when it
/// has no score for some guarantor, the combined capability is unknown.
pub fn profile(
    lib: &Library,
    id: CommitmentId,
    date: NaiveDate,
    capability: &dyn Fn(ActorId) -> Option<f64>,
) -> Profile {
    let c = lib.commitment(id);
    let in_force = in_force(lib, c, date, false).outcome;
    let strongest = c
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, cl)| cl.duty == Duty::Act)
        .max_by_key(|(i, cl)| (cl.strength, std::cmp::Reverse(*i)));
    let (strongest_clause, clause) = match strongest {
        Some((i, cl)) => (Some(i), Some(cl)),
        None => (None, None),
    };
    let mut guarantors: Vec<ActorId> = Vec::new();
    if let Some(cl) = clause {
        for &g in &cl.obligors {
            for (a, t) in lib.expand(g, &c.parties, date) {
                if t != Truth::No && !guarantors.contains(&a) {
                    guarantors.push(a);
                }
            }
        }
        // One-way guarantees: the protected are not guarantors.
        guarantors.retain(|a| {
            cl.obligors == cl.beneficiaries
                || lib.in_any(&cl.beneficiaries, &c.parties, *a, date) == Truth::No
        });
    }
    guarantors.sort_by(|a, b| lib.actor(*a).id.cmp(&lib.actor(*b).id));
    let nuclear_guarantors = guarantors
        .iter()
        .copied()
        .filter(|a| lib.nuclear_armed(*a, date) == Truth::Yes)
        .collect();
    let combined_capability = if guarantors.is_empty() {
        None
    } else {
        guarantors.iter().map(|a| capability(*a)).sum::<Option<f64>>()
    };
    let domestic_approval: Vec<Requirement> = clause
        .map(|cl| {
            let mut v: Vec<Requirement> = cl.domestic.iter().map(|d| d.requirement).collect();
            v.sort();
            v.dedup();
            v
        })
        .unwrap_or_default();
    let decision = clause.map(|cl| cl.decision.rule.clone());
    let must_agree = decision.as_ref().map(|d| match d {
        DecisionRule::Individual | DecisionRule::SingleActor { .. } => 1,
        DecisionRule::Consensus => guarantors.len().max(1),
        DecisionRule::QualifiedMajority {
            numerator,
            denominator,
        } => (guarantors.len() * *numerator as usize)
            .div_ceil(*denominator as usize)
            .max(1),
    });
    let strength = clause.and_then(|cl| cl.strength);
    let automaticity = match (strength, &decision) {
        (None, _) | (Some(Strength::Consult), _) | (Some(Strength::SeekUnAction), _) => {
            Automaticity::NoDutyToAct
        }
        (_, Some(DecisionRule::Consensus | DecisionRule::QualifiedMajority { .. })) => {
            Automaticity::CollectiveDecision
        }
        (_, Some(DecisionRule::SingleActor { .. })) => Automaticity::SingleDecider,
        _ if domestic_approval.iter().any(|r| {
            matches!(
                r,
                Requirement::ConstitutionalProcesses | Requirement::LegislativeApproval
            )
        }) =>
        {
            Automaticity::SubjectToDomesticProcess
        }
        (Some(Strength::MilitaryAssistance), _) => Automaticity::Automatic,
        _ => Automaticity::IndividualJudgement,
    };
    let forces = c
        .forces
        .iter()
        .map(|f| {
            format!(
                "{} in {}: {}",
                lib.actor(f.from).id,
                lib.actor(f.stationed_in).id,
                f.text
            )
        })
        .collect();
    let scope = clause
        .and_then(|cl| cl.scope.as_ref())
        .map(|s| {
            s.regions
                .iter()
                .map(|r| r.label.clone())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_else(|| "no geographic limit".into());
    let duration = match &c.duration {
        Some(d) if d.indefinite => "indefinite".to_string(),
        Some(d) => format!(
            "{} years{}",
            d.years.map(|y| y.to_string()).unwrap_or_else(|| "?".into()),
            match d.renewable {
                Some(true) => ", renewable",
                Some(false) => ", not renewable",
                None => "",
            }
        ),
        None => "not stated".to_string(),
    };
    Profile {
        commitment: id,
        in_force,
        strongest_clause,
        strength,
        force_contemplated: strength.is_some_and(Strength::includes_force),
        automaticity,
        decision,
        must_agree,
        domestic_approval,
        guarantors,
        nuclear_guarantors,
        combined_capability,
        forces,
        scope,
        duration,
    }
}
