//! The resolved model: every id checked, every date parsed, every word from its
//! vocabulary. Built by [`crate::load`]; read by the engine. Queries here answer
//! questions about the world on a date (who is a member, who holds a place) and
//! return [`Truth`](crate::Truth) so that gaps in the data show as "unknown".
//!
//! One file per domain, each holding its types and the `Library` queries over them;
//! this file holds the ids, [`Citation`], the [`Library`] itself with its indexes, and
//! the lookups by id and name.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::words::*;

mod accession;
mod actors;
mod commitments;
mod designs;
mod organisations;
mod parameters;
mod places;
mod scenarios;

pub use accession::*;
pub use actors::*;
pub use commitments::*;
pub use designs::*;
pub use organisations::*;
pub use parameters::*;
pub use places::*;
pub use scenarios::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlaceId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrgId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitmentId(pub u32);

/// Where a fact comes from: the article, its words, the source and how well it was checked.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Citation {
    pub document: String,
    pub article: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<Verification>,
}

impl Citation {
    /// "North Atlantic Treaty, Article 5".
    pub fn short(&self) -> String {
        format!("{}, {}", self.document, self.article)
    }
}

/// Everything casus knows: the registries and the commitments, with name indexes.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    pub orgs: Vec<Organisation>,
    pub commitments: Vec<Commitment>,
    pub scenarios: Vec<ScenarioTest>,
    /// The credibility model's parameters (priors).
    pub parameters: Vec<Parameter>,
    pub assessments: Vec<Assessment>,
    pub accession_rules: Vec<AccessionRules>,
    pub procedures: Vec<Procedure>,
    pub enlargements: Vec<Enlargement>,
    pub stances: Vec<Stance>,
    pub blocs: Vec<Bloc>,
    pub gates: Vec<Gate>,
    pub(crate) actor_index: BTreeMap<String, ActorId>,
    pub(crate) place_index: BTreeMap<String, PlaceId>,
    pub(crate) org_index: BTreeMap<String, OrgId>,
    pub(crate) commitment_index: BTreeMap<String, CommitmentId>,
    /// Names and aliases of places and actors, by folded name (`lookup::fold`), each with
    /// the text as written.
    pub(crate) name_index: BTreeMap<String, Vec<(Named, String)>>,
    /// The places of former countries (ISO 3166-3 rows); a current place wins a name over them.
    pub(crate) historic_places: BTreeSet<PlaceId>,
    /// A commitment's other names (`aliases` in its file), by commitment id.
    pub(crate) commitment_aliases: BTreeMap<String, Vec<String>>,
}

/// What a name in the name index stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Named {
    Place(PlaceId),
    Actor(ActorId),
}

impl Library {
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.0 as usize]
    }
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }
    pub fn org(&self, id: OrgId) -> &Organisation {
        &self.orgs[id.0 as usize]
    }
    pub fn commitment(&self, id: CommitmentId) -> &Commitment {
        &self.commitments[id.0 as usize]
    }

    pub fn actor_ids(&self) -> impl Iterator<Item = ActorId> + '_ {
        (0..self.actors.len() as u32).map(ActorId)
    }
    pub fn commitment_ids(&self) -> impl Iterator<Item = CommitmentId> + '_ {
        (0..self.commitments.len() as u32).map(CommitmentId)
    }

    pub fn find_actor(&self, id: &str) -> Option<ActorId> {
        self.actor_index.get(id).copied()
    }
    pub fn find_place(&self, id: &str) -> Option<PlaceId> {
        self.place_index.get(id).copied()
    }
    pub fn find_org(&self, id: &str) -> Option<OrgId> {
        self.org_index.get(id).copied()
    }
    pub fn find_commitment(&self, id: &str) -> Option<CommitmentId> {
        self.commitment_index.get(id).copied()
    }

    /// Records a name or alias people may type for a place or an actor.
    pub(crate) fn index_name(&mut self, text: &str, target: Named) {
        let key = crate::lookup::fold(text);
        if key.is_empty() {
            return;
        }
        let entry = self.name_index.entry(key).or_default();
        if !entry.iter().any(|(t, s)| *t == target && s == text) {
            entry.push((target, text.to_string()));
        }
    }

    /// The names and aliases people may type for a place (its own name first).
    pub fn place_aliases(&self, place: PlaceId) -> Vec<&str> {
        self.name_index
            .values()
            .flatten()
            .filter(|(t, _)| *t == Named::Place(place))
            .map(|(_, s)| s.as_str())
            .collect()
    }

    /// A commitment's other names, as its file gives them.
    pub fn commitment_aliases(&self, id: CommitmentId) -> &[String] {
        self.commitment_aliases
            .get(&self.commitment(id).id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Actor ids, place ids, org ids and commitment ids, for suggestions.
    pub fn actor_names(&self) -> impl Iterator<Item = &str> {
        self.actor_index.keys().map(String::as_str)
    }
    pub fn place_names(&self) -> impl Iterator<Item = &str> {
        self.place_index.keys().map(String::as_str)
    }
    pub fn org_names(&self) -> impl Iterator<Item = &str> {
        self.org_index.keys().map(String::as_str)
    }
    pub fn commitment_names(&self) -> impl Iterator<Item = &str> {
        self.commitment_index.keys().map(String::as_str)
    }

    /// Appends actors, organisations and commitments made outside the library files (ATOP's
    /// alliances, `casus_history::commitments`). Their ids must be new; the `ActorId`s and
    /// `OrgId`s they refer to are numbered from the library's current lengths, in the order given.
    pub fn extend_with(
        &mut self,
        commitments: Vec<Commitment>,
        actors: Vec<Actor>,
        orgs: Vec<Organisation>,
    ) -> Result<(), String> {
        for a in actors {
            if self.actor_index.contains_key(&a.id) {
                return Err(format!("actor `{}` already exists", a.id));
            }
            let id = ActorId(self.actors.len() as u32);
            self.actor_index.insert(a.id.clone(), id);
            self.index_name(&a.name, Named::Actor(id));
            self.actors.push(a);
        }
        for o in orgs {
            if self.org_index.contains_key(&o.id) {
                return Err(format!("organisation `{}` already exists", o.id));
            }
            self.org_index.insert(o.id.clone(), OrgId(self.orgs.len() as u32));
            self.orgs.push(o);
        }
        for c in commitments {
            if self.commitment_index.contains_key(&c.id) {
                return Err(format!("commitment `{}` already exists", c.id));
            }
            self.commitment_index
                .insert(c.id.clone(), CommitmentId(self.commitments.len() as u32));
            self.commitments.push(c);
        }
        Ok(())
    }
}
