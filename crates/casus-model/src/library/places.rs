//! The gazetteer's places (countries, subdivisions, seas, territories) with their
//! sovereignty and status spells, and the queries that climb from a place to its parents:
//! an attribute or a sovereignty record missing on a place is read from its nearest
//! ancestor that has one.

use chrono::NaiveDate;

use crate::date::{Spell, Truth};

use super::*;

#[derive(Debug, Clone)]
pub struct SovereignSpell {
    pub actor: ActorId,
    pub spell: Spell,
}

#[derive(Debug, Clone)]
pub struct StatusSpell {
    pub kind: StatusKind,
    pub by: Option<ActorId>,
    pub spell: Spell,
    pub source: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub parent: Option<PlaceId>,
    pub continent: Option<Continent>,
    pub island: Option<bool>,
    pub ocean: Option<Ocean>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Empty: inherited from the parent; a country that is a state holds itself.
    pub sovereign: Vec<SovereignSpell>,
    pub status: Vec<StatusSpell>,
    pub source: Option<String>,
    pub note: Option<String>,
}

impl Place {
    /// A place with only its identity; attributes come from the gazetteer's other files.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: PlaceKind) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            kind,
            parent: None,
            continent: None,
            island: None,
            ocean: None,
            lat: None,
            lon: None,
            sovereign: Vec::new(),
            status: Vec::new(),
            source: None,
            note: None,
        }
    }
}

impl Library {
    /// The places from `place` up to its country, nearest first.
    pub fn ancestry(&self, place: PlaceId) -> impl Iterator<Item = PlaceId> + '_ {
        let mut next = Some(place);
        std::iter::from_fn(move || {
            let cur = next?;
            next = self.place(cur).parent;
            Some(cur)
        })
    }

    /// Is `inner` the place `outer` or inside it?
    pub fn is_within(&self, inner: PlaceId, outer: PlaceId) -> bool {
        self.ancestry(inner).any(|p| p == outer)
    }

    /// The nearest value of an attribute, from the place up through its parents.
    fn inherited<T: Copy>(&self, place: PlaceId, get: impl Fn(&Place) -> Option<T>) -> Option<T> {
        self.ancestry(place).find_map(|p| get(self.place(p)))
    }

    pub fn continent(&self, place: PlaceId) -> Option<Continent> {
        self.inherited(place, |p| p.continent)
    }
    pub fn ocean(&self, place: PlaceId) -> Option<Ocean> {
        self.inherited(place, |p| p.ocean)
    }
    pub fn island(&self, place: PlaceId) -> Option<bool> {
        self.inherited(place, |p| p.island)
    }
    pub fn latitude(&self, place: PlaceId) -> Option<f64> {
        self.inherited(place, |p| p.lat)
    }

    /// The place itself or the nearest ancestor that carries its own sovereignty record.
    fn sovereignty_record(&self, place: PlaceId) -> Option<&Place> {
        self.ancestry(place)
            .map(|p| self.place(p))
            .find(|p| !p.sovereign.is_empty())
    }

    /// Who holds sovereignty over the place on the date. `None`: nobody, or the data
    /// does not say (a sea, a date outside every recorded spell).
    pub fn sovereign_on(&self, place: PlaceId, date: NaiveDate) -> Option<(ActorId, Truth)> {
        let rec = self.sovereignty_record(place)?;
        rec.sovereign
            .iter()
            .map(|s| (s.actor, s.spell.contains(date)))
            .filter(|(_, t)| *t != Truth::No)
            .max_by_key(|(_, t)| matches!(t, Truth::Yes))
    }

    /// Status spells (occupation, claims) of the place and its ancestors on the date.
    pub fn status_on(&self, place: PlaceId, date: NaiveDate) -> Vec<(&StatusSpell, Truth)> {
        self.ancestry(place)
            .flat_map(|p| self.place(p).status.iter())
            .map(|s| (s, s.spell.contains(date)))
            .filter(|(_, t)| *t != Truth::No)
            .collect()
    }

    /// Who administers the place: an occupier or administering power if recorded, else the sovereign.
    pub fn administrator_on(&self, place: PlaceId, date: NaiveDate) -> Option<(ActorId, Truth)> {
        let own = self.ancestry(place).map(|p| self.place(p)).find_map(|p| {
            p.status
                .iter()
                .filter(|s| matches!(s.kind, StatusKind::Occupied | StatusKind::AdministeredBy))
                .filter_map(|s| Some((s.by?, s.spell.contains(date))))
                .find(|(_, t)| *t != Truth::No)
        });
        own.or_else(|| self.sovereign_on(place, date))
    }
}
