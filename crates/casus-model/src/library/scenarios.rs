//! Events the engine is asked about, and the scenario tests (an event and the expected
//! answer for named clauses) that live in the commitment files.

use chrono::NaiveDate;

use super::*;

/// An attack, as the engine is asked about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub attacker: ActorId,
    pub target: ActorId,
    pub place: PlaceId,
    pub against: Object,
    pub kind: EventKind,
    pub severity: Severity,
    pub date: NaiveDate,
    /// The target struck first.
    pub provoked: bool,
    /// Treat proposals as adopted and in force.
    pub assume_proposals: bool,
}

#[derive(Debug, Clone)]
pub struct Expectation {
    pub commitment: CommitmentId,
    pub clause: usize,
    pub status: ExpectStatus,
    pub obligors: Vec<Group>,
    pub exactly: bool,
    pub strength: Option<Strength>,
    pub reason: Option<String>,
    pub explanation_contains: Vec<String>,
    /// `path:line:column` of the expectation, for failure messages.
    pub location: String,
}

#[derive(Debug, Clone)]
pub struct ScenarioTest {
    pub name: String,
    pub event: Event,
    pub expectations: Vec<Expectation>,
    pub location: String,
    pub note: Option<String>,
}
