//! Assessments of guarantee designs: an event and the options to compare, and
//! [`Library::variant`], the library as one option sees it (commitments left out are
//! emptied rather than removed, so ids stay stable).

use chrono::NaiveDate;

use crate::date::{FuzzyDate, Spell};

use super::*;

/// An assessment's event; the date may be left to the caller.
#[derive(Debug, Clone)]
pub struct AssessEvent {
    pub attacker: ActorId,
    pub target: ActorId,
    pub place: PlaceId,
    pub date: Option<NaiveDate>,
    pub kind: EventKind,
    pub against: Object,
    pub severity: Severity,
}

impl AssessEvent {
    pub fn on(&self, date: NaiveDate) -> Event {
        Event {
            attacker: self.attacker,
            target: self.target,
            place: self.place,
            against: self.against,
            kind: self.kind,
            severity: self.severity,
            date,
            provoked: false,
            assume_proposals: false,
        }
    }
}

/// One attack scenario: the assessment's event with its own place, kind, object or severity.
#[derive(Debug, Clone)]
pub struct Attack {
    pub id: String,
    pub description: String,
    pub event: AssessEvent,
    pub note: Option<String>,
}

/// One guarantee design in an assessment.
#[derive(Debug, Clone)]
pub struct DesignOption {
    pub id: String,
    pub label: String,
    pub commitments: Vec<CommitmentId>,
    pub adopt: Vec<CommitmentId>,
    pub binding_as: Option<Binding>,
    pub members: Vec<(OrgId, ActorId)>,
    pub forces: Vec<Forces>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: String,
    pub title: String,
    pub question: Option<String>,
    pub event: AssessEvent,
    pub options: Vec<DesignOption>,
    /// The attacks every option is tested against; empty: the event alone.
    pub attacks: Vec<Attack>,
    /// Overrides of the library's parameters for this assessment.
    pub parameters: Vec<Parameter>,
    pub source: Option<String>,
    pub path: String,
}

impl Library {
    /// The library as one option of an assessment sees it on a date: only the option's
    /// commitments, its proposals adopted (with the bindingness they would have), its
    /// hypothetical members added. (Its stationed forces are read from the option.)
    pub fn variant(&self, option: &DesignOption, date: NaiveDate) -> Library {
        let mut lib = self.clone();
        for (i, c) in lib.commitments.iter_mut().enumerate() {
            let id = CommitmentId(i as u32);
            if !option.commitments.contains(&id) {
                // Leave the commitment out by emptying it: ids stay stable.
                c.clauses.clear();
                c.forces.clear();
                continue;
            }
            if option.adopt.contains(&id) {
                c.kind = match c.kind {
                    DocKind::Proposal => DocKind::Treaty,
                    k => k,
                };
                c.status = Some(format!("assumed adopted for option {}", option.id));
                c.in_force = Some(FuzzyDate::day(date));
                if let Some(b) = option.binding_as {
                    c.binding = b;
                }
            }
        }
        for (org, actor) in &option.members {
            lib.orgs[org.0 as usize].members.push(Membership {
                actor: *actor,
                spell: Spell {
                    from: Some(FuzzyDate::day(date)),
                    until: None,
                },
                source: None,
                note: Some(format!("hypothetical, option {}", option.id)),
            });
        }
        lib
    }
}
