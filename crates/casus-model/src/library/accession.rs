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

    pub fn procedure_of(&self, actor: ActorId) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.actor == actor)
    }
}
