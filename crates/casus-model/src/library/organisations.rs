//! Organisations with dated rosters, the groups a clause names (an organisation's
//! members, the parties, one actor), and the membership queries. Before a roster's
//! coverage (the founding) "not a member" is said only when the date is certain.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::date::{FuzzyDate, Spell, Truth};

use super::*;

#[derive(Debug, Clone)]
pub struct Membership {
    pub actor: ActorId,
    pub spell: Spell,
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub founded: FuzzyDate,
    pub dissolved: Option<FuzzyDate>,
    pub source: String,
    pub note: Option<String>,
    pub members: Vec<Membership>,
}

/// A set of actors named in a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Actor(ActorId),
    /// The members of an organisation on the event's date.
    Org(OrgId),
    /// The parties of the document (which may themselves be an organisation's members).
    Parties,
}

impl Library {
    /// Whether `actor` was a member of `org` on `date`. Before the roster's coverage
    /// (the organisation's founding) the answer is no only if the date is certain.
    pub fn is_member(&self, org: OrgId, actor: ActorId, date: NaiveDate) -> Truth {
        self.org(org)
            .members
            .iter()
            .filter(|m| m.actor == actor)
            .fold(Truth::No, |acc, m| acc.or(m.spell.contains(date)))
    }

    /// Members on a date, with the truth of each membership (never those that are certainly out).
    pub fn members_on(&self, org: OrgId, date: NaiveDate) -> Vec<(ActorId, Truth)> {
        let mut out: BTreeMap<ActorId, Truth> = BTreeMap::new();
        for m in &self.org(org).members {
            let t = m.spell.contains(date);
            if t != Truth::No {
                let e = out.entry(m.actor).or_insert(Truth::No);
                *e = e.or(t);
            }
        }
        out.into_iter().collect()
    }

    /// Expands a group into actors on a date, with the truth of each one's membership.
    pub fn expand(&self, group: Group, parties: &[Group], date: NaiveDate) -> Vec<(ActorId, Truth)> {
        match group {
            Group::Actor(a) => vec![(a, Truth::Yes)],
            Group::Org(o) => self.members_on(o, date),
            Group::Parties => {
                let mut out: BTreeMap<ActorId, Truth> = BTreeMap::new();
                for &p in parties {
                    if p == Group::Parties {
                        continue;
                    }
                    for (a, t) in self.expand(p, &[], date) {
                        let e = out.entry(a).or_insert(Truth::No);
                        *e = e.or(t);
                    }
                }
                out.into_iter().collect()
            }
        }
    }

    /// Is `actor` in the group on the date?
    pub fn in_group(&self, group: Group, parties: &[Group], actor: ActorId, date: NaiveDate) -> Truth {
        match group {
            Group::Actor(a) => Truth::from_bool(a == actor),
            Group::Org(o) => self.is_member(o, actor, date),
            Group::Parties => parties
                .iter()
                .filter(|p| **p != Group::Parties)
                .fold(Truth::No, |acc, &p| acc.or(self.in_group(p, &[], actor, date))),
        }
    }

    /// Is `actor` in any of the groups?
    pub fn in_any(&self, groups: &[Group], parties: &[Group], actor: ActorId, date: NaiveDate) -> Truth {
        groups.iter().fold(Truth::No, |acc, &g| {
            acc.or(self.in_group(g, parties, actor, date))
        })
    }

    /// A group written for people: "NATO members", "USA".
    pub fn group_name(&self, group: Group) -> String {
        match group {
            Group::Actor(a) => self.actor(a).id.clone(),
            Group::Org(o) => format!("org:{}", self.org(o).id),
            Group::Parties => "parties".to_string(),
        }
    }

    /// The `org:` reference or actor id a file would use for a group.
    pub fn groups_text(&self, groups: &[Group]) -> String {
        groups
            .iter()
            .map(|g| self.group_name(*g))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
