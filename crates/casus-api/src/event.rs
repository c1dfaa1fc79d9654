//! The attack every obligation question starts from, as a request gives it (ids and words
//! people type) and as the engine takes it.

use casus_model::{lookup, Event, EventKind, Library, Object, Severity};
use casus_syntax::{did_you_mean, Diagnostic};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Result;

/// An attack, as typed: the command line's flags, the HTTP API's body fields, Python's
/// keyword arguments — all with these names.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct EventRequest {
    /// Who attacks: an actor id (RUS), a COW code (cow:365) or a name.
    pub attacker: String,
    /// Who is attacked.
    pub target: String,
    /// Where: an ISO 3166 code (EE, UA-43, US-HI) or a sea id. Default: the target's own territory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// When (YYYY-MM-DD). Default: today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// threat | armed_attack | nuclear | nuclear_use | economic_coercion (default armed_attack).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// What is attacked: territory | forces (default territory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
    /// How grave: unspecified | limited | major (default unspecified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// The target struck first (clauses that exclude provoked attacks then do not apply).
    #[serde(default)]
    pub provoked: bool,
    /// Treat proposals as adopted and in force.
    #[serde(default)]
    pub assume_proposals: bool,
}

/// A whole date (YYYY-MM-DD) given in request field `field`.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate> {
    let d = casus_model::FuzzyDate::parse(s).map_err(|e| Diagnostic::input(field, e.to_string()))?;
    if !d.is_exact() {
        return Err(Diagnostic::input(
            field,
            format!("give a whole date (YYYY-MM-DD), not `{s}`"),
        ));
    }
    Ok(d.earliest)
}

/// `field`'s date, or `today` when it is not given.
pub fn date_or_today(field: &str, s: Option<&str>, today: NaiveDate) -> Result<NaiveDate> {
    s.map_or(Ok(today), |s| parse_date(field, s))
}

/// Parses one of a fixed set of words, suggesting the nearest on a typo.
pub fn word<T>(field: &str, value: &str, parse: fn(&str) -> Option<T>, words: &[&str]) -> Result<T> {
    parse(value).ok_or_else(|| {
        let d = Diagnostic::input(
            field,
            format!("unknown value `{value}`; expected one of: {}", words.join(", ")),
        );
        match did_you_mean(value, words.iter().copied()).first() {
            Some(s) => d.with_hint(format!("did you mean {s}?")),
            None => d,
        }
    })
}

impl EventRequest {
    /// The engine's event: names looked up, words checked, the date defaulting to `today`.
    pub fn resolve(&self, lib: &Library, today: NaiveDate) -> Result<Event> {
        let look = |field: &str, e: casus_model::lookup::LookupError| Diagnostic::input(field, e.to_string());
        let attacker = lookup::actor(lib, &self.attacker).map_err(|e| look("attacker", e))?;
        let target = lookup::actor(lib, &self.target).map_err(|e| look("target", e))?;
        if attacker == target {
            return Err(Diagnostic::input(
                "target",
                format!(
                    "the attacker and the target are the same actor ({})",
                    lib.actor(target).id
                ),
            ));
        }
        let place = match &self.place {
            Some(p) => lookup::place(lib, p).map_err(|e| look("place", e))?,
            None => lib.actor(target).home.ok_or_else(|| {
                Diagnostic::input(
                    "target",
                    format!(
                        "{} has no home territory in the gazetteer; give a place",
                        lib.actor(target).id
                    ),
                )
            })?,
        };
        Ok(Event {
            attacker,
            target,
            place,
            against: word(
                "against",
                self.against.as_deref().unwrap_or("territory"),
                Object::parse,
                Object::WORDS,
            )?,
            kind: word(
                "kind",
                self.kind.as_deref().unwrap_or("armed_attack"),
                EventKind::parse,
                EventKind::WORDS,
            )?,
            severity: word(
                "severity",
                self.severity.as_deref().unwrap_or("unspecified"),
                Severity::parse,
                Severity::WORDS,
            )?,
            date: date_or_today("date", self.date.as_deref(), today)?,
            provoked: self.provoked,
            assume_proposals: self.assume_proposals,
        })
    }
}
