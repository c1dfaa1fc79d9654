//! The resolved model: every id checked, every date parsed, every word from its
//! vocabulary. Built by [`crate::load`]; read by the engine. Queries here answer
//! questions about the world on a date (who is a member, who holds a place) and
//! return [`Truth`] so that gaps in the data show as "unknown".

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::date::{FuzzyDate, Spell, Truth};
use crate::words::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlaceId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrgId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitmentId(pub u32);

/// Where a fact comes from: the article, its words, the source and how well it was checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone)]
pub struct Duration {
    pub indefinite: bool,
    pub years: Option<u32>,
    pub renewable: Option<bool>,
    pub withdrawal: Option<String>,
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

#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
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
pub struct Scenario {
    pub name: String,
    pub event: Event,
    pub expectations: Vec<Expectation>,
    pub location: String,
    pub note: Option<String>,
}

/// Where a parameter's value comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    Source(String),
    Assumption(String),
}

/// A number the credibility model reads, with its range for sensitivity analysis.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub id: String,
    pub actor: Option<ActorId>,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub provenance: Provenance,
    pub note: Option<String>,
    /// `path:line:column` where it is written.
    pub location: String,
}

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

/// Everything casus knows: the registries and the commitments, with name indexes.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    pub orgs: Vec<Organisation>,
    pub commitments: Vec<Commitment>,
    pub scenarios: Vec<Scenario>,
    /// The credibility model's parameters (priors).
    pub parameters: Vec<Parameter>,
    pub assessments: Vec<Assessment>,
    pub accession_rules: Vec<AccessionRules>,
    pub procedures: Vec<Procedure>,
    pub enlargements: Vec<Enlargement>,
    pub stances: Vec<Stance>,
    pub(crate) actor_index: BTreeMap<String, ActorId>,
    pub(crate) place_index: BTreeMap<String, PlaceId>,
    pub(crate) org_index: BTreeMap<String, OrgId>,
    pub(crate) commitment_index: BTreeMap<String, CommitmentId>,
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
            self.actor_index
                .insert(a.id.clone(), ActorId(self.actors.len() as u32));
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
