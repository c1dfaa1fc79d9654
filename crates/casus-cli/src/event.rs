//! The event flags shared by `obligations` and `cascade`, turned into an engine event.

use anyhow::{anyhow, Result};
use casus_model::{lookup, Event, EventKind, Library, Object, Severity};
use casus_syntax::did_you_mean;
use chrono::NaiveDate;

#[derive(clap::Args)]
pub struct EventArgs {
    /// Who attacks: an actor id (RUS), a COW code (cow:365) or a name.
    #[arg(long)]
    pub attacker: String,
    /// Who is attacked.
    #[arg(long)]
    pub target: String,
    /// Where: an ISO 3166 code (EE, UA-43, US-HI) or a sea (mediterranean-sea). Default: the target's own territory.
    #[arg(long)]
    pub place: Option<String>,
    /// When (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub date: Option<String>,
    /// threat | armed_attack | nuclear_threat | nuclear_attack | economic_coercion
    #[arg(long, default_value = "armed_attack")]
    pub kind: String,
    /// What is attacked: territory | forces
    #[arg(long, default_value = "territory")]
    pub against: String,
    /// How grave: unspecified | limited | major (some guarantees name a threshold)
    #[arg(long, default_value = "unspecified")]
    pub severity: String,
    /// The target struck first (clauses that exclude provoked attacks then do not apply).
    #[arg(long)]
    pub provoked: bool,
    /// Treat proposals as adopted and in force.
    #[arg(long)]
    pub assume_proposals: bool,
}

pub fn parse_date(s: &str) -> Result<NaiveDate> {
    let d = casus_model::FuzzyDate::parse(s).map_err(|e| anyhow!("--date: {e}"))?;
    if !d.is_exact() {
        return Err(anyhow!("--date: give a whole date (YYYY-MM-DD), not `{s}`"));
    }
    Ok(d.earliest)
}

/// Parses one of a fixed set of words, suggesting the nearest on a typo.
pub fn word<T>(flag: &str, value: &str, parse: fn(&str) -> Option<T>, words: &[&str]) -> Result<T> {
    parse(value).ok_or_else(|| {
        let hint = did_you_mean(value, words.iter().copied())
            .first()
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        anyhow!(
            "--{flag}: unknown value `{value}`{hint}; expected one of: {}",
            words.join(", ")
        )
    })
}

impl EventArgs {
    pub fn resolve(&self, lib: &Library, today: NaiveDate) -> Result<Event> {
        let attacker = lookup::actor(lib, &self.attacker).map_err(|e| anyhow!("--attacker: {e}"))?;
        let target = lookup::actor(lib, &self.target).map_err(|e| anyhow!("--target: {e}"))?;
        if attacker == target {
            return Err(anyhow!(
                "--attacker and --target are the same actor ({})",
                lib.actor(target).id
            ));
        }
        let place = match &self.place {
            Some(p) => lookup::place(lib, p).map_err(|e| anyhow!("--place: {e}"))?,
            None => lib.actor(target).home.ok_or_else(|| {
                anyhow!(
                    "--target: {} has no home territory in the gazetteer; give --place",
                    lib.actor(target).id
                )
            })?,
        };
        let date = match &self.date {
            Some(d) => parse_date(d)?,
            None => today,
        };
        Ok(Event {
            attacker,
            target,
            place,
            against: word("against", &self.against, Object::parse, Object::WORDS)?,
            kind: word("kind", &self.kind, EventKind::parse, EventKind::WORDS)?,
            severity: word("severity", &self.severity, Severity::parse, Severity::WORDS)?,
            date,
            provoked: self.provoked,
            assume_proposals: self.assume_proposals,
        })
    }
}
