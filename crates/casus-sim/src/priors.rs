//! The parameter values a run uses: the library's priors, with an assessment's (or the
//! user's) overrides, looked up per actor first and globally after.

use casus_model::params::PARAMETERS;
use casus_model::{ActorId, Parameter, Provenance};

#[derive(Debug, Clone)]
pub struct Priors {
    /// One global value for every known parameter (validated at construction).
    global: Vec<Parameter>,
    /// Values for one actor only.
    per_actor: Vec<Parameter>,
}

impl Priors {
    /// Base values, then overrides (later wins). Every parameter the model reads must
    /// have a global value; the error lists those that do not. Ids the model does not
    /// list are kept after the known ones (the library's loader rejects them in files;
    /// tests and newer parameters can still be read).
    pub fn new(base: &[Parameter], overrides: &[Parameter]) -> Result<Self, String> {
        let mut global: Vec<Option<Parameter>> = vec![None; PARAMETERS.len()];
        let mut per_actor: Vec<Parameter> = Vec::new();
        for p in base.iter().chain(overrides) {
            let i = match PARAMETERS.iter().position(|s| s.id == p.id) {
                Some(i) => i,
                None => match global
                    .iter()
                    .position(|g| g.as_ref().is_some_and(|g| g.id == p.id))
                {
                    Some(i) => i,
                    None if p.actor.is_none() => {
                        global.push(None);
                        global.len() - 1
                    }
                    None => usize::MAX,
                },
            };
            match p.actor {
                None => global[i] = Some(p.clone()),
                Some(a) => {
                    per_actor.retain(|q| !(q.id == p.id && q.actor == Some(a)));
                    per_actor.push(p.clone());
                }
            }
        }
        let missing: Vec<&str> = PARAMETERS
            .iter()
            .zip(&global[..PARAMETERS.len()])
            .filter(|(_, g)| g.is_none())
            .map(|(s, _)| s.id)
            .collect();
        if !missing.is_empty() {
            return Err(format!("the priors give no value for: {}", missing.join(", ")));
        }
        Ok(Self {
            global: global.into_iter().flatten().collect(),
            per_actor,
        })
    }

    pub fn value(&self, id: &str, actor: Option<ActorId>) -> f64 {
        if let Some(a) = actor {
            if let Some(p) = self.per_actor.iter().find(|p| p.id == id && p.actor == Some(a)) {
                return p.value;
            }
        }
        // Construction guarantees a global value for every known id; an unknown id is a
        // programming error caught by the tests, and reads as "no effect".
        self.global.iter().find(|p| p.id == id).map_or(0.0, |p| p.value)
    }

    /// A copy with one global value changed (for sensitivity analysis).
    pub fn with(&self, id: &str, value: f64) -> Self {
        let mut p = self.clone();
        for g in p.global.iter_mut().filter(|g| g.id == id) {
            g.value = value;
        }
        p
    }

    /// The global parameters, in the model's order.
    pub fn global(&self) -> &[Parameter] {
        &self.global
    }

    pub fn per_actor(&self) -> &[Parameter] {
        &self.per_actor
    }

    /// Global parameters whose range is wider than a point.
    pub fn ranged(&self) -> impl Iterator<Item = (&Parameter, f64, f64)> {
        self.global.iter().filter_map(|p| match (p.low, p.high) {
            (Some(l), Some(h)) if h > l => Some((p, l, h)),
            _ => None,
        })
    }
}

/// "source" or "assumption", for reports.
pub fn provenance_label(p: &Parameter) -> (&'static str, &str) {
    match &p.provenance {
        Provenance::Source(s) => ("source", s),
        Provenance::Assumption(s) => ("assumption", s),
    }
}
