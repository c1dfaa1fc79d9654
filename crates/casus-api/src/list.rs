//! `list`: the registries (actors, places, commitments, organisations) and the models'
//! parameters with their values and basis.

use casus_model::*;
use casus_render::{Report, Section};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::event::word;
use crate::names::actor_id;
use crate::{Answer, Result};

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ListRequest {
    /// actors | places | commitments | orgs | parameters
    pub what: String,
    /// Only entries whose id or name contains this text (any case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

const WHAT: &[&str] = &["actors", "places", "commitments", "orgs", "parameters"];

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActorRow {
    pub id: String,
    pub name: String,
    pub cow: Vec<String>,
    pub nuclear_since: Option<FuzzyDate>,
    pub historic: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PlaceRow {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub continent: String,
    pub ocean: String,
    pub sovereign: String,
    pub lat: Option<f64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommitmentRow {
    pub id: String,
    pub title: String,
    pub kind: DocKind,
    pub binding: Binding,
    pub in_force: Option<FuzzyDate>,
    pub signed: Option<FuzzyDate>,
    pub terminated: Option<FuzzyDate>,
    pub clauses: usize,
    pub scenarios: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RosterEntry {
    pub actor: String,
    pub from: Option<FuzzyDate>,
    pub until: Option<FuzzyDate>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OrgRow {
    pub id: String,
    pub name: String,
    pub founded: FuzzyDate,
    pub members_today: Vec<String>,
    pub roster: Vec<RosterEntry>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ParameterRow {
    pub id: String,
    pub actor: Option<String>,
    pub unit: Unit,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The citation the value rests on (one of `source` and `assumption` is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The labelled assumption the value rests on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    pub meaning: String,
}

/// What `casus list WHAT --format json` prints: one array, its rows depending on WHAT.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Listing {
    Actors(Vec<ActorRow>),
    Places(Vec<PlaceRow>),
    Commitments(Vec<CommitmentRow>),
    Orgs(Vec<OrgRow>),
    Parameters(Vec<ParameterRow>),
}

pub fn list(lib: &Library, today: NaiveDate, req: &ListRequest) -> Result<Answer<Listing>> {
    let what = word("what", &req.what, |w| WHAT.iter().position(|x| *x == w), WHAT)?;
    let needle = req.search.as_deref().map(str::to_lowercase);
    let matches = |id: &str, name: &str| {
        needle
            .as_ref()
            .is_none_or(|s| id.to_lowercase().contains(s) || name.to_lowercase().contains(s))
    };
    let (section, data) = match WHAT[what] {
        "actors" => actors(lib, &matches),
        "places" => places(lib, today, &matches),
        "commitments" => commitments(lib, &matches),
        "orgs" => orgs(lib, today, &matches),
        _ => parameters(lib, &matches),
    };
    Ok(Answer::new(
        data,
        Report {
            heading: vec![],
            sections: vec![section],
            records: None,
        },
    ))
}

type Matches<'a> = dyn Fn(&str, &str) -> bool + 'a;

fn actors(lib: &Library, matches: &Matches) -> (Section, Listing) {
    let mut s = Section::new("Actors", &["id", "name", "cow", "nuclear since", "historic"]);
    let mut rows = Vec::new();
    let mut ids: Vec<ActorId> = lib
        .actor_ids()
        .filter(|a| matches(&lib.actor(*a).id, &lib.actor(*a).name))
        .collect();
    ids.sort_by(|a, b| lib.actor(*a).id.cmp(&lib.actor(*b).id));
    for a in ids {
        let x = lib.actor(a);
        let cow: Vec<String> = x
            .cow
            .iter()
            .map(|c| c.code.to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let nuclear = x
            .nuclear
            .as_ref()
            .map(|n| n.since.to_string())
            .unwrap_or_default();
        s.row(vec![
            x.id.clone(),
            x.name.clone(),
            cow.join("/"),
            nuclear,
            if x.historic { "yes".into() } else { String::new() },
        ]);
        rows.push(ActorRow {
            id: x.id.clone(),
            name: x.name.clone(),
            cow,
            nuclear_since: x.nuclear.as_ref().map(|n| n.since),
            historic: x.historic,
        });
    }
    (s, Listing::Actors(rows))
}

fn places(lib: &Library, today: NaiveDate, matches: &Matches) -> (Section, Listing) {
    let mut s = Section::new(
        format!("Places (sovereign as of {today})"),
        &["id", "name", "kind", "continent", "ocean", "sovereign"],
    );
    let mut rows = Vec::new();
    for (i, p) in lib
        .places
        .iter()
        .enumerate()
        .filter(|(_, p)| matches(&p.id, &p.name))
    {
        let pid = PlaceId(i as u32);
        let sov = lib
            .sovereign_on(pid, today)
            .map(|(a, _)| actor_id(lib, a))
            .unwrap_or_default();
        let cont = lib.continent(pid).map(|c| c.to_string()).unwrap_or_default();
        let ocean = lib.ocean(pid).map(|c| c.to_string()).unwrap_or_default();
        s.row(vec![
            p.id.clone(),
            p.name.clone(),
            p.kind.to_string(),
            cont.clone(),
            ocean.clone(),
            sov.clone(),
        ]);
        rows.push(PlaceRow {
            id: p.id.clone(),
            name: p.name.clone(),
            kind: p.kind,
            continent: cont,
            ocean,
            sovereign: sov,
            lat: lib.latitude(pid),
        });
    }
    (s, Listing::Places(rows))
}

fn commitments(lib: &Library, matches: &Matches) -> (Section, Listing) {
    let mut s = Section::new(
        "Commitments",
        &["id", "title", "legal form", "in force", "clauses", "scenarios"],
    );
    let mut rows = Vec::new();
    for cid in lib.commitment_ids() {
        let c = lib.commitment(cid);
        if !matches(&c.id, &c.title) {
            continue;
        }
        let scen = lib
            .scenarios
            .iter()
            .filter(|sc| sc.expectations.iter().any(|e| e.commitment == cid))
            .count();
        let inf = c
            .in_force
            .or(c.signed)
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into());
        s.row(vec![
            c.id.clone(),
            c.title.clone(),
            c.legal_form(),
            inf,
            c.clauses.len().to_string(),
            scen.to_string(),
        ]);
        rows.push(CommitmentRow {
            id: c.id.clone(),
            title: c.title.clone(),
            kind: c.kind,
            binding: c.binding,
            in_force: c.in_force,
            signed: c.signed,
            terminated: c.terminated,
            clauses: c.clauses.len(),
            scenarios: scen,
        });
    }
    (s, Listing::Commitments(rows))
}

fn orgs(lib: &Library, today: NaiveDate, matches: &Matches) -> (Section, Listing) {
    let mut s = Section::new(
        format!("Organisations (members as of {today})"),
        &["id", "name", "founded", "members", "ever"],
    );
    let mut rows = Vec::new();
    for (i, o) in lib
        .orgs
        .iter()
        .enumerate()
        .filter(|(_, o)| matches(&o.id, &o.name))
    {
        let now = lib.members_on(OrgId(i as u32), today);
        s.row(vec![
            o.id.clone(),
            o.name.clone(),
            o.founded.to_string(),
            now.len().to_string(),
            o.members.len().to_string(),
        ]);
        rows.push(OrgRow {
            id: o.id.clone(),
            name: o.name.clone(),
            founded: o.founded,
            members_today: now.iter().map(|(a, _)| actor_id(lib, *a)).collect(),
            roster: o
                .members
                .iter()
                .map(|m| RosterEntry {
                    actor: actor_id(lib, m.actor),
                    from: m.spell.from,
                    until: m.spell.until,
                })
                .collect(),
        });
    }
    (s, Listing::Orgs(rows))
}

fn parameters(lib: &Library, matches: &Matches) -> (Section, Listing) {
    let mut s = Section::new(
        "Parameters of the credibility model (library/priors)",
        &["id", "unit", "value", "range", "basis", "meaning"],
    );
    let mut rows = Vec::new();
    for spec in casus_model::params::PARAMETERS
        .iter()
        .filter(|p| matches(p.id, p.about))
    {
        let given: Vec<&Parameter> = lib.parameters.iter().filter(|p| p.id == spec.id).collect();
        if given.is_empty() {
            s.row(vec![
                spec.id.into(),
                spec.unit.to_string(),
                "missing".into(),
                String::new(),
                String::new(),
                spec.about.into(),
            ]);
        }
        for p in given {
            let (kind, text) = match &p.provenance {
                Provenance::Source(t) => ("source", t.as_str()),
                Provenance::Assumption(t) => ("assumption", t.as_str()),
            };
            let id = match p.actor {
                Some(a) => format!("{} [{}]", p.id, actor_id(lib, a)),
                None => p.id.clone(),
            };
            let range = match (p.low, p.high) {
                (Some(l), Some(h)) => format!("{l} – {h}"),
                _ => String::new(),
            };
            s.row(vec![
                id,
                spec.unit.to_string(),
                p.value.to_string(),
                range,
                format!("{kind}: {text}"),
                spec.about.into(),
            ]);
            rows.push(ParameterRow {
                id: p.id.clone(),
                actor: p.actor.map(|a| actor_id(lib, a)),
                unit: spec.unit,
                value: p.value,
                low: p.low,
                high: p.high,
                source: (kind == "source").then(|| text.to_string()),
                assumption: (kind == "assumption").then(|| text.to_string()),
                meaning: spec.about.into(),
            });
        }
    }
    (s, Listing::Parameters(rows))
}
