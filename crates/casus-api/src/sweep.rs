//! Sweeps: the one registry of the models that run a scope's rows. The command line and the
//! Python package both ask it for a scope's evaluator; `casus-sweep` itself knows no model.
//!
//! - `toy` runs [`casus_sweep::toy::evaluate`];
//! - a scope whose `model` is an assessment's id (`ukraine`) runs the credibility model on
//!   one of the assessment's options against one of its attacks: the priors of the library
//!   and the assessment with the row's values for the scope's uncertainties (each names the
//!   prior it sets), the row's seed, the scope's trials, the plain Monte Carlo only (no
//!   bands, sensitivity or differences). Its outcomes are the metrics of `casus assess`, by
//!   the same names; one a design cannot give (no lead guarantor, capability unknown) is
//!   NaN, which the sweep keeps as unknown.

use casus_model::*;
use casus_sim::capability::Table;
use casus_sim::sampler::run_serial;
use casus_sim::summary::{metrics, METRIC_NAMES};
use casus_sim::{summarise, Obligated, Priors};
use casus_sweep::scope::{Lever, RangeFrom};
use casus_sweep::{toy, Input, Scope};
use casus_syntax::SourceFile;
use chrono::NaiveDate;
use std::sync::OnceLock;

use crate::assess::find_assessment;
use crate::simulate::capability_table;
use crate::{Diagnostic, Result};

/// Trials per row when a scope of an assessment gives none.
pub const DEFAULT_TRIALS: u64 = 4096;

/// A model's evaluator: one row's outcomes in the scope's order (NaN: unknown), or why not.
/// It owns what it needs (no borrow of the library), so callers may keep it.
pub type Evaluator = Box<dyn Fn(&Input) -> std::result::Result<Vec<f64>, String> + Send + Sync>;

/// A built-in scope by name (`toy`, `ukraine`).
pub fn builtin_scope(name: &str) -> Option<SourceFile> {
    casus_sweep::builtin(name)
}

/// The names of the built-in scopes.
pub fn builtin_names() -> Vec<&'static str> {
    casus_sweep::BUILTIN.iter().map(|(n, _)| *n).collect()
}

fn plain(e: impl Into<String>) -> Diagnostic {
    Diagnostic::plain(e.into())
}

/// Makes a parsed scope ready to plan against the library: the stated ranges of its priors
/// filled in, its date fixed (the assessment's, else `today`) and its trials set (`trials`,
/// else the scope's, else [`DEFAULT_TRIALS`]), so that every shard of the plan runs the same
/// model. Checks that the model can run the scope (its priors, levers and outcomes).
pub fn resolve(lib: &Library, scope: &mut Scope, today: NaiveDate, trials: Option<u64>) -> Result<()> {
    if trials == Some(0) {
        return Err(Diagnostic::input("trials", "at least one trial per row"));
    }
    if scope.model == "toy" {
        if let Some(u) = scope.unresolved().first() {
            return Err(plain(format!(
                "uncertainty `{u}`: the toy model has no priors; give `low` and `high`"
            )));
        }
        return Ok(());
    }
    let a = assessment(lib, scope)?;
    let priors = Priors::new(&lib.parameters, &a.parameters).map_err(Diagnostic::plain)?;
    let stated = |id: &str| -> std::result::Result<(f64, f64), String> {
        let p = priors
            .global()
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| unknown_prior(&priors, id))?;
        match (p.low, p.high) {
            (Some(l), Some(h)) => Ok((l, h)),
            _ => Err(format!(
                "prior `{id}` states no range ({}); give `low` and `high` with `range = \"new\"`",
                p.location
            )),
        }
    };
    scope
        .resolve_ranges(&stated)
        .map_err(|e| plain(format!("scope `{}`: {}", scope.name, e.join("; "))))?;
    if scope.date.is_none() {
        scope.date = Some(a.event.date.unwrap_or(today).to_string());
    }
    scope.trials = Some(trials.or(scope.trials).unwrap_or(DEFAULT_TRIALS));
    Model::new(lib, scope).map(|_| ())
}

/// The evaluator of the scope's model (see the module's text). The scope must be resolved.
pub fn evaluator(lib: &Library, scope: &Scope) -> Result<Evaluator> {
    if scope.model == "toy" {
        return Ok(Box::new(toy::evaluate));
    }
    let m = Model::new(lib, scope)?;
    Ok(Box::new(move |input: &Input| m.evaluate(input)))
}

/// The same trials as a sweep of `samples` samples, run directly: for each combination of
/// the scope's levers, one plain Monte Carlo run of `samples × trials` trials at the priors'
/// stated values. Returns (levers, outcomes) per combination. For the benchmark that
/// measures the sweep machinery's overhead (`bench/sweep.sh`).
pub fn baseline(lib: &Library, scope: &Scope, samples: u64) -> Result<Vec<(Vec<String>, Vec<f64>)>> {
    if scope.model == "toy" {
        return Err(plain("the toy model has no Monte Carlo to run directly"));
    }
    let m = Model::new(lib, scope)?;
    Ok(scope
        .combinations()
        .into_iter()
        .map(|combo| {
            let input = Input {
                row: 0,
                seed: scope.seed,
                values: Default::default(),
                levers: scope
                    .categorical()
                    .iter()
                    .map(|c| c.name.clone())
                    .zip(combo.iter().cloned())
                    .collect(),
            };
            let out = m.run(&input, &m.base, m.trials * samples);
            (combo, out.unwrap_or_default())
        })
        .collect())
}

fn assessment<'a>(lib: &'a Library, scope: &Scope) -> Result<&'a Assessment> {
    find_assessment(lib, &scope.model).map_err(|e| {
        plain(format!(
            "scope `{}`: no model `{}` to run it with (built in: toy, or an assessment's id): {}",
            scope.name, scope.model, e.message
        ))
    })
}

fn unknown_prior(priors: &Priors, id: &str) -> String {
    let sugg = casus_syntax::did_you_mean(id, priors.global().iter().map(|p| p.id.as_str()));
    format!(
        "no prior `{id}`{} (library/priors/credibility.toml lists them)",
        sugg.first()
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default()
    )
}

/// An assessment ready to run rows: its options' libraries, its attacks' events, the base
/// priors, and which prior each uncertainty sets.
struct Model {
    a: Assessment,
    variants: Vec<Library>,
    /// The assessment's event, then each attack's, by id (`event` for the first).
    events: Vec<(String, Event)>,
    /// Each option against each event (option × events + event), obligations read and
    /// facts looked up, on first use: a row only applies its priors to it.
    obligated: Vec<OnceLock<Obligated>>,
    table: Table,
    base: Priors,
    /// The priors' parameters (library, then assessment) without their citations and
    /// places, which a row's run does not read: cheap to copy for every row.
    slim: Vec<Parameter>,
    /// (uncertainty name, prior id)
    sets: Vec<(String, String)>,
    outcomes: Vec<String>,
    trials: u64,
}

impl Model {
    fn new(lib: &Library, scope: &Scope) -> Result<Self> {
        let a = assessment(lib, scope)?;
        let base = Priors::new(&lib.parameters, &a.parameters).map_err(Diagnostic::plain)?;
        let date = match &scope.date {
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|e| plain(format!("scope `{}`: date `{d}`: {e}", scope.name)))?,
            None => {
                return Err(plain(format!(
                    "scope `{}` has no date: resolve it first",
                    scope.name
                )))
            }
        };
        let event = a.event.on(a.event.date.unwrap_or(date));
        let mut errors = Vec::new();
        let mut sets = Vec::new();
        for u in &scope.uncertainties {
            match &u.prior {
                None => errors.push(format!(
                    "uncertainty `{}` sets no prior (`prior = \"...\"`): the credibility model reads only priors",
                    u.name
                )),
                Some(id) if !base.global().iter().any(|p| &p.id == id) => {
                    errors.push(format!("uncertainty `{}`: {}", u.name, unknown_prior(&base, id)))
                }
                Some(id) => {
                    if u.range == RangeFrom::Stated && !(u.low.is_finite() && u.high.is_finite()) {
                        errors.push(format!(
                            "uncertainty `{}`: its stated range is not resolved",
                            u.name
                        ));
                    }
                    sets.push((u.name.clone(), id.clone()))
                }
            }
        }
        let ids = |what: &str, known: Vec<&str>, values: &[String], errors: &mut Vec<String>| {
            for v in values.iter().filter(|v| !known.contains(&v.as_str())) {
                let sugg = casus_syntax::did_you_mean(v, known.iter().copied());
                errors.push(format!(
                    "lever `{what}`: {} has no {what} `{v}`{}; it has: {}",
                    a.id,
                    sugg.first()
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default(),
                    known.join(", ")
                ));
            }
        };
        let mut has_option = false;
        for l in &scope.levers {
            match l {
                Lever::Categorical(c) if c.name == "option" => {
                    has_option = true;
                    let known = a.options.iter().map(|o| o.id.as_str()).collect();
                    ids("option", known, &c.values, &mut errors);
                }
                Lever::Categorical(c) if c.name == "attack" => {
                    let known = std::iter::once("event")
                        .chain(a.attacks.iter().map(|x| x.id.as_str()))
                        .collect();
                    ids("attack", known, &c.values, &mut errors);
                }
                Lever::Categorical(c) => errors.push(format!(
                    "lever `{}`: an assessment's levers are `option` and `attack`",
                    c.name
                )),
                Lever::Numeric(n) => errors.push(format!(
                    "lever `{}`: the assessment API exposes no numeric design parameter; designs are its options",
                    n.name
                )),
            }
        }
        if !has_option && a.options.len() != 1 {
            errors.push(format!(
                "the scope needs a lever `option` (values: option ids of {})",
                a.id
            ));
        }
        for o in &scope.outcomes {
            if !METRIC_NAMES.contains(&o.name.as_str()) {
                let sugg = casus_syntax::did_you_mean(&o.name, METRIC_NAMES.iter().copied());
                errors.push(format!(
                    "outcome `{}` is no metric of the credibility model{}; one of: {}",
                    o.name,
                    sugg.first()
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default(),
                    METRIC_NAMES.join(", ")
                ));
            }
        }
        if !errors.is_empty() {
            return Err(plain(format!("scope `{}`: {}", scope.name, errors.join("; "))));
        }
        let table = capability_table(None, event.date)?;
        let mut events = vec![("event".to_string(), event.clone())];
        events.extend(a.attacks.iter().map(|x| (x.id.clone(), x.event.on(event.date))));
        let slim = lib
            .parameters
            .iter()
            .chain(&a.parameters)
            .map(|p| Parameter {
                provenance: Provenance::Assumption(String::new()),
                note: None,
                location: String::new(),
                ..p.clone()
            })
            .collect();
        Ok(Self {
            a: a.clone(),
            slim,
            variants: a.options.iter().map(|o| lib.variant(o, event.date)).collect(),
            obligated: (0..a.options.len() * events.len())
                .map(|_| OnceLock::new())
                .collect(),
            events,
            table,
            base,
            sets,
            outcomes: scope.outcomes.iter().map(|o| o.name.clone()).collect(),
            trials: scope.trials.unwrap_or(DEFAULT_TRIALS),
        })
    }

    fn evaluate(&self, input: &Input) -> std::result::Result<Vec<f64>, String> {
        let mut overrides = Vec::with_capacity(self.sets.len());
        for (name, id) in &self.sets {
            let v = input.value(name);
            if !v.is_finite() {
                return Err(format!("the row gives no value for `{name}`"));
            }
            overrides.push(Parameter {
                id: id.clone(),
                actor: None,
                value: v,
                low: None,
                high: None,
                provenance: Provenance::Assumption(String::new()),
                note: None,
                location: String::new(),
            });
        }
        // The row's values override the global ones; per-actor values stay as given.
        let p = Priors::new(&self.slim, &overrides)?;
        self.run(input, &p, self.trials)
    }

    /// One option against one attack under `priors`: the outcomes by name.
    fn run(&self, input: &Input, priors: &Priors, trials: u64) -> std::result::Result<Vec<f64>, String> {
        let o = match input.lever("option") {
            Some(id) => self
                .a
                .options
                .iter()
                .position(|o| o.id == id)
                .ok_or_else(|| format!("{} has no option `{id}`", self.a.id))?,
            None => 0,
        };
        let attack = input.lever("attack").unwrap_or("event");
        let e = self
            .events
            .iter()
            .position(|(id, _)| id == attack)
            .ok_or_else(|| format!("{} has no attack `{attack}`", self.a.id))?;
        let prepared = self.obligated[o * self.events.len() + e]
            .get_or_init(|| {
                Obligated::with_table(
                    &self.variants[o],
                    &self.events[e].1,
                    &self.a.options[o].forces,
                    &self.table,
                )
            })
            .with_priors(priors);
        let runs = run_serial(std::slice::from_ref(&prepared), trials, input.seed);
        let m = metrics(&summarise(&prepared, &runs[0]));
        Ok(self
            .outcomes
            .iter()
            .map(|n| m.iter().find(|(k, _)| k == n).map_or(f64::NAN, |(_, v)| *v))
            .collect())
    }
}
