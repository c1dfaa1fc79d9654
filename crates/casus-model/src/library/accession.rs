//! How organisations admit members: the accession rules (steps and conditions), each
//! member's ratification procedure, past enlargements and members' stances towards
//! candidates, with the queries over them.

use chrono::NaiveDate;

use crate::date::FuzzyDate;

use super::*;

#[derive(Debug, Clone)]
pub struct Step {
    pub step: AccessionStep,
    pub rule: StepRule,
    pub text: String,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AccessionCondition {
    pub text: String,
    pub candidate: Option<ActorId>,
    pub date: Option<FuzzyDate>,
    pub source: String,
}

/// How an organisation admits members.
#[derive(Debug, Clone)]
pub struct AccessionRules {
    pub org: OrgId,
    pub citation: Citation,
    pub steps: Vec<Step>,
    pub conditions: Vec<AccessionCondition>,
}

#[derive(Debug, Clone)]
pub struct Procedure {
    pub actor: ActorId,
    pub kind: ProcedureKind,
    pub bodies: String,
    pub head_of_state_signs: Option<bool>,
    pub referendum: Option<bool>,
    pub source: Option<String>,
    pub verified: Option<Verification>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Ratification {
    pub member: ActorId,
    pub date: FuzzyDate,
    /// `None`: for every candidate of the round.
    pub candidate: Option<ActorId>,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Enlargement {
    pub org: OrgId,
    pub candidates: Vec<ActorId>,
    pub invited: Option<FuzzyDate>,
    pub protocol_signed: FuzzyDate,
    pub accession: FuzzyDate,
    pub source: String,
    pub ratifications: Vec<Ratification>,
    pub note: Option<String>,
    pub location: String,
}

#[derive(Debug, Clone)]
pub struct Stance {
    pub org: OrgId,
    pub member: ActorId,
    pub candidate: ActorId,
    pub position: Position,
    pub condition: Option<String>,
    pub date: FuzzyDate,
    pub source: String,
    pub probability: Option<f64>,
    pub note: Option<String>,
    pub location: String,
}

/// Members whose positions move together: when the leader's changes, each follower takes
/// it with probability `follow`.
#[derive(Debug, Clone)]
pub struct Bloc {
    pub id: String,
    pub org: OrgId,
    pub leader: ActorId,
    pub followers: Vec<ActorId>,
    pub follow: f64,
    pub candidate: Option<ActorId>,
    pub date: FuzzyDate,
    pub provenance: Provenance,
    pub note: Option<String>,
    pub location: String,
}

/// A condition a step waits for, with P(it holds by each date): a non-decreasing step list
/// interpolated linearly, 0 on the date it was stated, flat after the last date.
#[derive(Debug, Clone)]
pub struct Gate {
    pub id: String,
    pub org: OrgId,
    pub candidate: ActorId,
    pub step: AccessionStep,
    /// For a ratification gate: the member whose ratification waits.
    pub member: Option<ActorId>,
    pub text: String,
    pub date: FuzzyDate,
    pub p_by: Vec<(NaiveDate, f64)>,
    pub provenance: Provenance,
    pub note: Option<String>,
    pub location: String,
}

impl Gate {
    /// P(the condition holds by `d`).
    pub fn p_by(&self, d: NaiveDate) -> f64 {
        let mut prev = (self.date.latest, 0.0);
        for &(x, p) in &self.p_by {
            if d <= x {
                let span = (x - prev.0).num_days().max(1) as f64;
                let t = ((d - prev.0).num_days() as f64 / span).clamp(0.0, 1.0);
                return prev.1 + (p - prev.1) * t;
            }
            prev = (x, p);
        }
        prev.1
    }

    /// The day on which P(holds) first reaches `u`, or `None` (never, within the data).
    pub fn opens_at(&self, u: f64) -> Option<NaiveDate> {
        let mut prev = (self.date.latest, 0.0);
        for &(x, p) in &self.p_by {
            if u <= p {
                if p <= prev.1 {
                    return Some(prev.0);
                }
                let t = (u - prev.1) / (p - prev.1);
                let days = ((x - prev.0).num_days() as f64 * t).round() as i64;
                return Some(prev.0 + chrono::Duration::days(days));
            }
            prev = (x, p);
        }
        None
    }
}

impl Library {
    /// The latest stance of `member` on `candidate` known on `date` (stances dated later are
    /// not yet known).
    pub fn stance_on(
        &self,
        org: OrgId,
        member: ActorId,
        candidate: ActorId,
        date: NaiveDate,
    ) -> Option<&Stance> {
        self.stances
            .iter()
            .filter(|s| {
                s.org == org && s.member == member && s.candidate == candidate && s.date.latest <= date
            })
            .max_by_key(|s| s.date.latest)
    }

    /// Blocs known on `date` that concern `candidate`.
    pub fn blocs_on(&self, org: OrgId, candidate: ActorId, date: NaiveDate) -> impl Iterator<Item = &Bloc> {
        self.blocs.iter().filter(move |b| {
            b.org == org && b.candidate.is_none_or(|c| c == candidate) && b.date.latest <= date
        })
    }

    /// Gates stated by `date` on `candidate`'s accession.
    pub fn gates_on(&self, org: OrgId, candidate: ActorId, date: NaiveDate) -> impl Iterator<Item = &Gate> {
        self.gates
            .iter()
            .filter(move |g| g.org == org && g.candidate == candidate && g.date.latest <= date)
    }

    pub fn procedure_of(&self, actor: ActorId) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.actor == actor)
    }
}
