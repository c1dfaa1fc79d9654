//! Scenario tests: the expectations a library file states about events, checked
//! against what the engine says. Like OpenFisca's YAML tests, they live beside the rules.

use casus_model::*;

use crate::obligations::{obligations, Answers};

#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub name: String,
    pub location: String,
    /// One line per expectation that did not hold, with where it is written.
    pub failures: Vec<String>,
    pub checked: usize,
}

impl ScenarioResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

pub fn run(lib: &Library, s: &ScenarioTest) -> ScenarioResult {
    let a = obligations(lib, &s.event);
    let failures = s
        .expectations
        .iter()
        .filter_map(|e| check(lib, &a, s, e).err().map(|m| format!("{}: {m}", e.location)))
        .collect();
    ScenarioResult {
        name: s.name.clone(),
        location: s.location.clone(),
        failures,
        checked: s.expectations.len(),
    }
}

fn ids(lib: &Library, v: impl IntoIterator<Item = ActorId>) -> String {
    let mut names: Vec<String> = v.into_iter().map(|a| lib.actor(a).id.clone()).collect();
    names.sort();
    if names.is_empty() {
        "nobody".into()
    } else {
        names.join(", ")
    }
}

fn check(lib: &Library, a: &Answers, s: &ScenarioTest, e: &Expectation) -> Result<(), String> {
    let c = lib.commitment(e.commitment);
    let clause = &c.clauses[e.clause];
    let label = format!("{}/{}", c.id, clause.id);
    let ev = &s.event;
    // The obligors the expectation names, on the event's date, without attacker and target.
    let mut expected: Vec<ActorId> = Vec::new();
    for &g in &e.obligors {
        for (actor, t) in lib.expand(g, &c.parties, ev.date) {
            if t == Truth::Yes && actor != ev.attacker && actor != ev.target && !expected.contains(&actor) {
                expected.push(actor);
            }
        }
    }
    let same = |commitment: CommitmentId, clause: usize| commitment == e.commitment && clause == e.clause;
    let words_found = |text: &str| -> Result<(), String> {
        for w in &e.explanation_contains {
            if !text.to_lowercase().contains(&w.to_lowercase()) {
                return Err(format!("{label}: the explanation does not mention \"{w}\""));
            }
        }
        Ok(())
    };
    match e.status {
        ExpectStatus::Obligation => {
            let found: Vec<_> = a
                .obligations
                .iter()
                .filter(|o| same(o.commitment, o.clause))
                .collect();
            if found.is_empty() {
                let why = a
                    .not_triggered
                    .iter()
                    .chain(&a.unknown)
                    .find(|n| same(n.commitment, n.clause))
                    .map(|n| {
                        format!(
                            " ({}: {})",
                            n.reason,
                            n.explanation
                                .first_with(n.explanation.outcome)
                                .map(|x| x.detail.as_str())
                                .unwrap_or("")
                        )
                    })
                    .unwrap_or_default();
                return Err(format!("{label}: expected obligations, found none{why}"));
            }
            let have: Vec<ActorId> = found.iter().map(|o| o.obligor).collect();
            let missing: Vec<ActorId> = expected.iter().copied().filter(|x| !have.contains(x)).collect();
            if !missing.is_empty() {
                return Err(format!(
                    "{label}: expected obligations of {} as well; found only {}",
                    ids(lib, missing),
                    ids(lib, have)
                ));
            }
            if e.exactly {
                let extra: Vec<ActorId> = have.iter().copied().filter(|x| !expected.contains(x)).collect();
                if !extra.is_empty() {
                    return Err(format!(
                        "{label}: did not expect obligations of {}",
                        ids(lib, extra)
                    ));
                }
            }
            for o in found
                .iter()
                .filter(|o| expected.is_empty() || expected.contains(&o.obligor))
            {
                if let Some(st) = e.strength {
                    if o.strength != st {
                        return Err(format!(
                            "{label}: {} owes {}, expected {st}",
                            lib.actor(o.obligor).id,
                            o.strength
                        ));
                    }
                }
                words_found(&o.explanation.text())?;
            }
            Ok(())
        }
        ExpectStatus::NotTriggered | ExpectStatus::Unknown => {
            let (list, other) = if e.status == ExpectStatus::NotTriggered {
                (&a.not_triggered, &a.unknown)
            } else {
                (&a.unknown, &a.not_triggered)
            };
            let found: Vec<_> = list.iter().filter(|n| same(n.commitment, n.clause)).collect();
            if found.is_empty() {
                let obliged = a
                    .obligations
                    .iter()
                    .filter(|o| same(o.commitment, o.clause))
                    .map(|o| o.obligor);
                let elsewhere = other
                    .iter()
                    .find(|n| same(n.commitment, n.clause))
                    .map(|n| format!("; it is listed as the other kind ({})", n.reason))
                    .unwrap_or_default();
                return Err(format!(
                    "{label}: expected {}, but it obliges {}{elsewhere}",
                    e.status,
                    ids(lib, obliged)
                ));
            }
            let covered = |x: ActorId| found.iter().any(|n| n.obligor.is_none() || n.obligor == Some(x));
            let missing: Vec<ActorId> = expected.iter().copied().filter(|x| !covered(*x)).collect();
            if !missing.is_empty() {
                return Err(format!(
                    "{label}: expected {} for {} too",
                    e.status,
                    ids(lib, missing)
                ));
            }
            for n in &found {
                if let Some(r) = &e.reason {
                    if n.reason.as_str() != r {
                        return Err(format!("{label}: the reason is {}, expected {r}", n.reason));
                    }
                }
                words_found(&n.explanation.text())?;
            }
            Ok(())
        }
        ExpectStatus::Breached => {
            let found: Vec<_> = a
                .breached
                .iter()
                .filter(|b| same(b.commitment, b.clause))
                .collect();
            if found.is_empty() {
                return Err(format!("{label}: expected a breach, found none"));
            }
            for b in found {
                words_found(&b.explanation.text())?;
            }
            Ok(())
        }
    }
}
