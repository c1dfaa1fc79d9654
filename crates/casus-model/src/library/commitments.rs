//! Commitments and their clauses: triggers, regions, scopes, decision rules, domestic
//! approval, caveats, suspensions, durations and stationed forces, as the engine reads
//! them.

use serde::Serialize;

use crate::date::{FuzzyDate, Spell};

use super::*;

#[derive(Debug, Clone)]
pub struct Duration {
    pub indefinite: bool,
    pub years: Option<u32>,
    pub renewable: Option<bool>,
    pub withdrawal: Option<String>,
    pub source: Option<String>,
    /// An end set by an event: `actor` becoming a member of `org`.
    pub ends_on: Option<EndsOn>,
}

/// A document that ends, or comes up for review, once an actor is a member of an organisation
/// (the 2024 agreements with Ukraine on Ukraine's accession to NATO).
#[derive(Debug, Clone)]
pub struct EndsOn {
    pub actor: ActorId,
    pub org: OrgId,
    pub effect: EndEffect,
    pub text: String,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Forces {
    pub from: ActorId,
    pub stationed_in: ActorId,
    pub text: String,
    pub since: Option<FuzzyDate>,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Suspension {
    pub obligor: ActorId,
    pub beneficiary: ActorId,
    pub spell: Spell,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Uncertain {
    pub fact: String,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub event: TriggerKind,
    pub by: Vec<Group>,
    pub against: Vec<Object>,
    pub severity: Option<Severity>,
    pub threshold: Option<String>,
    pub provocation_excluded: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub label: String,
    pub against: Vec<Object>,
    pub continents: Vec<Continent>,
    pub places: Vec<PlaceId>,
    pub oceans: Vec<Ocean>,
    /// Places and ocean regions carved out of the region (only where the gazetteer records them).
    pub exclude_places: Vec<PlaceId>,
    pub exclude_oceans: Vec<Ocean>,
    pub island: Option<bool>,
    pub min_latitude: Option<f64>,
    pub max_latitude: Option<f64>,
    pub held_by: HeldBy,
    pub control: Control,
    pub spell: Spell,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub text: Option<String>,
    pub regions: Vec<Region>,
    /// The clause that defines it (the clause itself, or the one named by `scope_from`).
    pub citation: Citation,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DecisionRule {
    /// Each obligor decides for itself.
    Individual,
    /// A body decides, every member agreeing.
    Consensus,
    /// A body decides by a share of its members.
    QualifiedMajority { numerator: u32, denominator: u32 },
    /// One named actor decides for all (e.g. the US President under a proposal).
    SingleActor { by: Vec<String> },
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Decision {
    #[serde(flatten)]
    pub rule: DecisionRule,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DomesticApproval {
    pub requirement: Requirement,
    pub text: String,
    /// Empty: every obligor.
    pub applies_to: Vec<ActorId>,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Caveat {
    pub text: String,
    /// Empty: every obligor.
    pub applies_to: Vec<ActorId>,
    pub source: Option<String>,
    pub spell: Spell,
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub id: String,
    pub citation: Citation,
    pub duty: Duty,
    pub obligors: Vec<Group>,
    pub beneficiaries: Vec<Group>,
    pub trigger: Option<Trigger>,
    pub scope: Option<Scope>,
    pub strength: Option<Strength>,
    pub decision: Decision,
    pub domestic: Vec<DomesticApproval>,
    pub caveats: Vec<Caveat>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Commitment {
    pub id: String,
    pub title: String,
    pub short_title: Option<String>,
    pub kind: DocKind,
    pub binding: Binding,
    pub status: Option<String>,
    pub summary: Option<String>,
    pub signed: Option<FuzzyDate>,
    pub in_force: Option<FuzzyDate>,
    pub terminated: Option<FuzzyDate>,
    pub parties: Vec<Group>,
    pub source: String,
    pub other_sources: Vec<String>,
    pub duration: Option<Duration>,
    pub forces: Vec<Forces>,
    pub suspensions: Vec<Suspension>,
    pub uncertain: Vec<Uncertain>,
    pub institutions: Vec<Institution>,
    pub clauses: Vec<Clause>,
    /// The ATOP alliance id coding the same treaty (`atop = 3180`), if any.
    pub atop: Option<u32>,
    /// The file it was read from.
    pub path: String,
}

impl Commitment {
    pub fn clause(&self, id: &str) -> Option<(usize, &Clause)> {
        self.clauses.iter().enumerate().find(|(_, c)| c.id == id)
    }

    /// Legal form as one phrase: "treaty, legally binding".
    pub fn legal_form(&self) -> String {
        let binding = match self.binding {
            Binding::Legal => "legally binding",
            Binding::Political => "politically binding only",
            Binding::Disputed => "bindingness disputed",
            Binding::None => "not binding",
        };
        format!("{}, {binding}", self.kind.as_str().replace('_', " "))
    }
}
