//! Actors (states and other parties) with their dated Correlates of War codes and nuclear
//! status, and the queries over them. Codes change over time (Germany 255/260), so every
//! code query takes a date.

use chrono::NaiveDate;

use crate::date::{FuzzyDate, Spell, Truth};

use super::*;

#[derive(Debug, Clone)]
pub struct CowSpell {
    pub code: u16,
    pub spell: Spell,
}

#[derive(Debug, Clone)]
pub struct Nuclear {
    pub since: FuzzyDate,
    pub text: String,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub alpha2: Option<String>,
    pub cow: Vec<CowSpell>,
    pub nuclear: Option<Nuclear>,
    pub historic: bool,
    /// The actor's own country entry in the gazetteer, if it has one.
    pub home: Option<PlaceId>,
    pub note: Option<String>,
}

impl Library {
    /// The actor with a Correlates of War code on a date (codes change: Germany 255/260).
    pub fn actor_by_cow(&self, code: u16, date: Option<NaiveDate>) -> Option<ActorId> {
        let mut hits = self.actor_ids().filter(|&a| {
            self.actor(a)
                .cow
                .iter()
                .any(|c| c.code == code && date.is_none_or(|d| c.spell.contains(d) != Truth::No))
        });
        hits.next()
    }

    /// The COW code in force for an actor on a date.
    pub fn cow_code(&self, actor: ActorId, date: NaiveDate) -> Option<u16> {
        let a = self.actor(actor);
        a.cow
            .iter()
            .find(|c| c.spell.contains(date) == Truth::Yes)
            .or(a.cow.first())
            .map(|c| c.code)
    }

    /// Whether the actor had nuclear weapons on the date.
    pub fn nuclear_armed(&self, actor: ActorId, date: NaiveDate) -> Truth {
        match &self.actor(actor).nuclear {
            Some(n) => n.since.on_or_before(date),
            None => Truth::No,
        }
    }
}
