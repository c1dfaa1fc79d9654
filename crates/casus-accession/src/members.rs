//! Who decides: the members on the as-of date, each with the position the model uses and
//! where it comes from. A member with no recorded stance is `unknown`, never silently a
//! supporter; the simulation draws its position from a stated prior.

use casus_model::*;
use chrono::NaiveDate;
use serde::Serialize;

/// A member's position as the model uses it. `Unknown` is drawn per trial from the
/// stated prior; `Delays` acts like a holdout without opposing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberPosition {
    Supports,
    Conditional,
    Delays,
    Opposes,
    Unknown,
}

impl MemberPosition {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberPosition::Supports => "supports",
            MemberPosition::Conditional => "conditional",
            MemberPosition::Delays => "delays",
            MemberPosition::Opposes => "opposes",
            MemberPosition::Unknown => "unknown",
        }
    }

    /// The position the pivotal analysis flips to: a supporter to opposition, anyone else
    /// to support.
    pub fn flipped(self) -> MemberPosition {
        match self {
            MemberPosition::Supports => MemberPosition::Opposes,
            _ => MemberPosition::Supports,
        }
    }
}

impl From<Position> for MemberPosition {
    fn from(p: Position) -> Self {
        match p {
            Position::Supports => MemberPosition::Supports,
            Position::Conditional => MemberPosition::Conditional,
            Position::Delays => MemberPosition::Delays,
            Position::Opposes => MemberPosition::Opposes,
        }
    }
}

impl std::fmt::Display for MemberPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The prior a member with no recorded stance is drawn from: the probability of each
/// position (they sum to 1), and where the numbers come from (a source or a labelled
/// assumption), shown with every forecast that uses it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownPrior {
    pub supports: f64,
    pub conditional: f64,
    pub opposes: f64,
    pub basis: String,
}

impl UnknownPrior {
    /// The position for a uniform draw `u` in [0, 1).
    pub fn draw(&self, u: f64) -> MemberPosition {
        let total = (self.supports + self.conditional + self.opposes).max(1e-12);
        let u = u * total;
        if u < self.supports {
            MemberPosition::Supports
        } else if u < self.supports + self.conditional {
            MemberPosition::Conditional
        } else {
            MemberPosition::Opposes
        }
    }
}

/// A user's override of a member's stance ("what if Hungary supported?").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StanceOverride {
    pub member: ActorId,
    pub position: Position,
    pub probability: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    AlreadyMember,
    Invitation,
    Protocol,
    Ratification,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberState {
    #[serde(skip)]
    pub actor: ActorId,
    pub member: String,
    pub position: MemberPosition,
    /// Where the position comes from: a dated stance, the user, or the prior for unknowns.
    pub basis: String,
    /// The stance's date and source, when there is one.
    pub stated: Option<String>,
    pub source: Option<String>,
    pub probability: Option<f64>,
    pub procedure: ProcedureKind,
    pub ratified: Option<String>,
}

/// What a forecast needs that the library does not hold for this organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessionError {
    /// No `[accession]` rules and/or no `[[enlargement]]` history for the organisation.
    MissingData { org: String, missing: Vec<String> },
    /// A backtest's model was fitted on rounds completed on or after its as-of date.
    Peeking { as_of: String, rounds: Vec<String> },
}

impl std::fmt::Display for AccessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccessionError::MissingData { org, missing } => write!(
                f,
                "cannot forecast accession to {org}: the library has no {} for it (add them under \
                 library/accession/, each with its source)",
                missing.join(" and no ")
            ),
            AccessionError::Peeking { as_of, rounds } => write!(
                f,
                "refused: a forecast as of {as_of} was fitted on rounds completed on or after that day ({}); \
                 fit it only on earlier rounds",
                rounds.join(", ")
            ),
        }
    }
}

impl std::error::Error for AccessionError {}

/// Refuses an organisation whose accession rules or enlargement history are not encoded:
/// without them any forecast would be the fallbacks' invention.
pub fn check_org(lib: &Library, org: OrgId) -> Result<(), AccessionError> {
    let mut missing = Vec::new();
    if !lib.accession_rules.iter().any(|r| r.org == org) {
        missing.push("accession rules (`[accession]`: the steps and the decision rule at each)".to_string());
    }
    if !lib.enlargements.iter().any(|e| e.org == org) {
        missing.push(
            "enlargement history (`[[enlargement]]`: past rounds with protocol or treaty signature and accession dates)"
                .to_string(),
        );
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(AccessionError::MissingData {
            org: lib.org(org).id.clone(),
            missing,
        })
    }
}

/// The round the candidate is in on the as-of date (protocol signed by then), if any.
pub fn round_of<'a>(
    lib: &'a Library,
    org: OrgId,
    candidate: ActorId,
    as_of: NaiveDate,
) -> Option<&'a Enlargement> {
    lib.enlargements
        .iter()
        .find(|e| e.org == org && e.candidates.contains(&candidate) && e.protocol_signed.latest <= as_of)
}

/// Members' states on the as-of date, and where the candidate stands. Each member is
/// listed once, however many spells the roster gives it.
pub fn states(
    lib: &Library,
    org: OrgId,
    candidate: ActorId,
    as_of: NaiveDate,
    overrides: &[StanceOverride],
) -> (Stage, Option<NaiveDate>, Vec<MemberState>) {
    let round = round_of(lib, org, candidate, as_of);
    let invited = lib.enlargements.iter().find(|e| {
        e.org == org && e.candidates.contains(&candidate) && e.invited.is_some_and(|i| i.latest <= as_of)
    });
    let stage = if lib.is_member(org, candidate, as_of) == Truth::Yes {
        Stage::AlreadyMember
    } else if round.is_some() {
        Stage::Ratification
    } else if invited.is_some() {
        Stage::Protocol
    } else {
        Stage::Invitation
    };
    let mut actors: Vec<ActorId> = lib
        .members_on(org, as_of)
        .into_iter()
        .filter(|(a, t)| *t == Truth::Yes && *a != candidate)
        .map(|(a, _)| a)
        .collect();
    actors.sort();
    actors.dedup();
    let mut members: Vec<MemberState> = actors
        .into_iter()
        .map(|a| {
            let stance = lib.stance_on(org, a, candidate, as_of);
            let user = overrides.iter().find(|o| o.member == a);
            let (position, basis, stated, source, probability) = match (user, stance) {
                (Some(o), _) => (
                    o.position.into(),
                    "your override".to_string(),
                    None,
                    None,
                    o.probability,
                ),
                (None, Some(s)) => (
                    s.position.into(),
                    format!("stated {} ({})", s.date, s.source),
                    Some(s.date.to_string()),
                    Some(s.source.clone()),
                    s.probability,
                ),
                // No stated position, but a member that signed the protocol (or joined the
                // unanimous invitation) has consented: a recorded act, not a default.
                (None, None) => match (stage, round, invited) {
                    (Stage::Ratification, Some(e), _) => (
                        MemberPosition::Supports,
                        format!(
                            "no stated position; signed the protocol on {} ({})",
                            e.protocol_signed, e.source
                        ),
                        Some(e.protocol_signed.to_string()),
                        Some(e.source.clone()),
                        None,
                    ),
                    (Stage::Protocol, _, Some(e)) => (
                        MemberPosition::Supports,
                        format!(
                            "no stated position; joined the unanimous invitation of {} ({})",
                            e.invited.map(|d| d.to_string()).unwrap_or_default(),
                            e.source
                        ),
                        e.invited.map(|d| d.to_string()),
                        Some(e.source.clone()),
                        None,
                    ),
                    _ => (
                        MemberPosition::Unknown,
                        "no recorded stance: drawn from the prior for unknown stances".to_string(),
                        None,
                        None,
                        None,
                    ),
                },
            };
            let ratified = round.and_then(|e| {
                e.ratifications
                    .iter()
                    .find(|r| {
                        r.member == a && r.candidate.is_none_or(|c| c == candidate) && r.date.latest < as_of
                    })
                    .map(|r| r.date.to_string())
            });
            MemberState {
                actor: a,
                member: lib.actor(a).id.clone(),
                position,
                basis,
                stated,
                source,
                probability,
                procedure: lib.procedure_of(a).map_or(ProcedureKind::Unknown, |p| p.kind),
                ratified,
            }
        })
        .collect();
    members.sort_by(|a, b| a.member.cmp(&b.member));
    (stage, round.map(|e| e.protocol_signed.earliest), members)
}
