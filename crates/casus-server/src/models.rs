//! The model computations: `POST /api/simulate`, `/api/assess`, `/api/accession` and
//! `/api/negotiate`. Each body has the command line's flags as fields, is checked against the
//! server's bounds (a 422 naming the field), and becomes a [`Work`] that calls the same
//! `casus-api` function the command line calls and prints its JSON the same way. The same
//! body gives the same bytes (every run is seeded). Files a body carries (an assessment, a
//! stances file, a negotiation scenario, a capabilities table) are used for that request only;
//! no path is ever read from a request.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use casus_api::accession::AccessionRequest;
use casus_api::assess::AssessRequest;
use casus_api::event::EventRequest;
use casus_api::negotiate::NegotiateRequest;
use casus_api::simulate::{RunSettings, SimulateRequest};
use casus_api::Diagnostic;
use casus_model::{Library, Parameter, Provenance};
use casus_syntax::SourceFile;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::pretty;
use crate::problem::Problem;
use crate::run::Work;
use crate::App;

/// The bounds a request must keep, whether answered at once or run as a job.
pub mod bounds {
    /// Trials per option (simulate, assess) or per forecast (accession).
    pub const TRIALS: u64 = 1_000_000;
    /// The finest standard error a run by precision may ask for.
    pub const PRECISION: f64 = 0.001;
    /// Joint draws of the priors (assess bands), and trials per draw.
    pub const DRAWS: u64 = 1_000;
    pub const DRAW_TRIALS: u64 = 65_536;
    /// draws × draw_trials.
    pub const DRAW_BUDGET: u64 = 20_000_000;
    /// Worlds for the accession band.
    pub const WORLDS: u64 = 400;
    /// Rounds of the expected utility model, grid steps per issue.
    pub const ROUNDS: usize = 1_000;
    /// Rounds × the sum over issues of (actors on the issue)²: the expected utility model's
    /// JSON holds every round's positions and perspectives (about 49 KB a round for the
    /// built-in Ukraine scenario, 294 of these entries a round).
    pub const ROUND_ENTRIES: usize = 50_000;
    /// The largest answer returned (or kept for a job), in bytes.
    pub const ANSWER_BYTES: usize = 8 << 20;
    pub const STEPS: usize = 50;
    /// Prior overrides in one request.
    pub const PRIORS: usize = 64;
}

/// The kinds of computation a job may run (`POST /api/jobs {"kind": …}`).
pub const KINDS: &[&str] = &["simulate", "assess", "accession", "negotiate"];

/// `POST /api/simulate`: the attack's fields and the run's.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SimulateBody {
    #[serde(flatten)]
    pub event: EventRequest,
    #[serde(flatten)]
    pub simulate: SimulateRequest,
    /// The text of a COW National Material Capabilities CSV (`ccode,year,cinc`) replacing the
    /// built-in capability table for this request only (`--capabilities` on the command line).
    #[serde(default)]
    pub capabilities: Option<String>,
}

/// Where a posted capabilities table is said to come from (its figures' label, its errors).
const POSTED_CAPABILITIES: &str = "request/capabilities.csv";

fn capabilities_file(text: Option<String>) -> Option<SourceFile> {
    text.map(|text| SourceFile {
        path: POSTED_CAPABILITIES.into(),
        text,
    })
}

/// A model error: on the posted capabilities table, it names that field.
fn model_diag(d: Diagnostic) -> Problem {
    let located = d.short_without_hints();
    let on_table = located.contains(POSTED_CAPABILITIES);
    let mut p = diag(d);
    if on_table {
        p.field = Some("capabilities".into());
        p.detail = format!("capabilities, {located}");
    }
    p
}

/// `POST /api/assess`: an assessment of the library (`which`), or one defined by `file` (the
/// text of a TOML file with an `[assessment]`, used for this request only), with prior
/// overrides.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AssessBody {
    /// An assessment id (e.g. `ukraine`); default with `file`: the assessment the file defines.
    #[serde(default)]
    pub which: Option<String>,
    /// The text of a TOML file with an `[assessment]` (and its options), used for this request only.
    #[serde(default)]
    pub file: Option<String>,
    /// The date of the event (default: the assessment's, else today).
    #[serde(default)]
    pub date: Option<String>,
    /// Global parameter values replacing the priors' stated values for this request
    /// (`{"honour.base_rate": 0.6}`), each within its range.
    #[serde(default)]
    pub priors: BTreeMap<String, f64>,
    #[serde(flatten)]
    pub run: RunSettings,
    /// Vary each parameter over its range and rank them by how much they move the result.
    #[serde(default)]
    pub sensitivity: bool,
    /// Joint draws of the priors behind each figure's band (0: no bands).
    #[serde(default = "casus_api::assess::default_draws")]
    pub draws: u64,
    /// Trials per option and draw.
    #[serde(default = "casus_api::assess::default_draw_trials")]
    pub draw_trials: u64,
    /// The text of a COW National Material Capabilities CSV (`ccode,year,cinc`) replacing the
    /// built-in capability table for this request only.
    #[serde(default)]
    pub capabilities: Option<String>,
}

/// `POST /api/accession`: the command line's flags, and the text of a stances file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AccessionBody {
    #[serde(flatten)]
    pub accession: AccessionRequest,
    /// The text of a TOML file of `[[stance]]` entries that override the library's.
    #[serde(default)]
    pub stances: Option<String>,
}

/// `POST /api/negotiate`: a built-in scenario (`which`: `ukraine`), or a file's text with
/// `which` as its name (`x.toml`, `x.csv`, or DEU III's tab-separated file).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct NegotiateBody {
    #[serde(flatten)]
    pub negotiate: NegotiateRequest,
    /// The text of a scenario file, used for this request only.
    #[serde(default)]
    pub file: Option<String>,
}

fn invalid(field: &str, detail: impl Into<String>) -> Problem {
    let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-request", detail);
    p.field = Some(field.into());
    p
}

fn diag(d: Diagnostic) -> Problem {
    Problem::from_diagnostic(StatusCode::UNPROCESSABLE_ENTITY, &d)
}

/// A body field that is JSON of the wrong shape: 422 with serde's message.
pub fn typed<R: DeserializeOwned>(v: serde_json::Value) -> Result<R, Problem> {
    serde_json::from_value(v).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-request",
            format!("request: {e}"),
        )
    })
}

/// The run settings within the server's bounds. Per-trial records are never kept.
fn check_run(app: &App, run: &mut RunSettings) -> Result<(), Problem> {
    if run.trials.is_some_and(|t| t > bounds::TRIALS) {
        return Err(invalid(
            "trials",
            format!("at most {} trials per option on this server", bounds::TRIALS),
        ));
    }
    if run.trials.is_none() && run.precision < bounds::PRECISION {
        return Err(invalid(
            "precision",
            format!(
                "a standard error of at least {} on this server (or give `trials`)",
                bounds::PRECISION
            ),
        ));
    }
    if run.threads == 0 || run.threads > app.cores {
        return Err(invalid(
            "threads",
            format!("between 1 and {} (this server's cores)", app.cores),
        ));
    }
    run.keep_trials = false;
    Ok(())
}

/// The work for `kind` with its request (as `POST /api/jobs` gives them).
pub fn work(app: &App, kind: &str, request: serde_json::Value) -> Result<Work, Problem> {
    match kind {
        "simulate" => simulate(app, typed(request)?),
        "assess" => assess(app, typed(request)?),
        "accession" => accession(typed(request)?),
        "negotiate" => negotiate(typed(request)?),
        other => Err(invalid(
            "kind",
            format!("no computation `{other}`; one of: {}", KINDS.join(", ")),
        )),
    }
}

pub fn simulate(app: &App, mut body: SimulateBody) -> Result<Work, Problem> {
    check_run(app, &mut body.simulate.run)?;
    let caps = capabilities_file(body.capabilities.take());
    Ok(Box::new(move |lib, files, today, progress| {
        let event = body.event.resolve(lib, today).map_err(diag)?;
        let (answer, _) = casus_api::simulate::simulate(
            lib,
            files,
            &event,
            &body.simulate,
            caps.as_ref(),
            &mut |d, n| progress("simulating", d, n),
            None,
        )
        .map_err(model_diag)?;
        Ok(pretty(&answer.json()))
    }))
}

pub fn assess(app: &App, mut body: AssessBody) -> Result<Work, Problem> {
    check_run(app, &mut body.run)?;
    if body.draws > bounds::DRAWS {
        return Err(invalid("draws", format!("at most {} draws", bounds::DRAWS)));
    }
    if body.draw_trials > bounds::DRAW_TRIALS {
        return Err(invalid(
            "draw_trials",
            format!("at most {} trials per draw", bounds::DRAW_TRIALS),
        ));
    }
    if body.draws.saturating_mul(body.draw_trials) > bounds::DRAW_BUDGET {
        return Err(invalid(
            "draws",
            format!(
                "draws × draw_trials at most {} on this server",
                bounds::DRAW_BUDGET
            ),
        ));
    }
    if body.priors.len() > bounds::PRIORS {
        return Err(invalid("priors", format!("at most {} overrides", bounds::PRIORS)));
    }
    if body.which.is_none() && body.file.is_none() {
        return Err(invalid(
            "which",
            "name an assessment (e.g. `ukraine`) or give `file`",
        ));
    }
    const POSTED: &str = "request/assessment.toml";
    check_priors(&app.library, &body.priors)?;
    let caps = capabilities_file(body.capabilities.take());
    Ok(Box::new(move |lib, files, today, progress| {
        let date = casus_api::event::date_or_today("date", body.date.as_deref(), today).map_err(diag)?;
        let mut own: Option<(Library, Vec<SourceFile>)> = None;
        if let Some(text) = &body.file {
            let mut all = files.to_vec();
            all.push(SourceFile {
                path: POSTED.into(),
                text: text.clone(),
            });
            let loaded = casus_model::load(&all);
            if let Some(d) = loaded.diagnostics.iter().find(|d| d.is_error()) {
                let mut p = diag(d.clone());
                p.field = Some("file".into());
                p.detail = format!("file, {}", d.short_without_hints());
                return Err(p);
            }
            own = Some((loaded.library, all));
        }
        let which = body.which.clone().unwrap_or_else(|| POSTED.into());
        if !body.priors.is_empty() {
            let mut l = own.as_ref().map_or_else(|| lib.clone(), |o| o.0.clone());
            override_priors(&mut l, &which, &body.priors);
            let f = own.map_or_else(|| files.to_vec(), |o| o.1);
            own = Some((l, f));
        }
        let (lib, files) = own.as_ref().map_or((lib, files), |(l, f)| (l, f.as_slice()));
        let req = AssessRequest {
            which,
            run: body.run.clone(),
            sensitivity: body.sensitivity,
            draws: body.draws,
            draw_trials: body.draw_trials,
        };
        let (answer, _) = casus_api::assess::assess(lib, files, &req, date, caps.as_ref(), progress, None)
            .map_err(model_diag)?;
        Ok(pretty(&answer.json()))
    }))
}

/// Each override names a global parameter of the library and lies within its range.
fn check_priors(lib: &Library, priors: &BTreeMap<String, f64>) -> Result<(), Problem> {
    let field = |id: &str| format!("priors.{id}");
    for (id, &v) in priors {
        let Some(p) = lib.parameters.iter().find(|p| p.actor.is_none() && p.id == *id) else {
            let ids = lib
                .parameters
                .iter()
                .filter(|p| p.actor.is_none())
                .map(|p| p.id.as_str());
            let mut e = invalid(&field(id), format!("no parameter `{id}`"));
            e.hints = casus_syntax::did_you_mean(id, ids)
                .into_iter()
                .map(|s| format!("did you mean {s}?"))
                .collect();
            return Err(e);
        };
        if !v.is_finite() {
            return Err(invalid(&field(id), "give a number"));
        }
        if let (Some(lo), Some(hi)) = (p.low, p.high) {
            if v < lo || v > hi {
                return Err(invalid(
                    &field(id),
                    format!("{v} is outside the range of `{id}` ({lo} to {hi})"),
                ));
            }
        }
    }
    Ok(())
}

/// The overrides, added last to the assessment's own parameters (so they win), each labelled
/// as an assumption of this request.
fn override_priors(lib: &mut Library, which: &str, priors: &BTreeMap<String, f64>) {
    let Some(a) = lib
        .assessments
        .iter_mut()
        .find(|a| a.id == which || a.path == which)
    else {
        return; // `assess` reports the unknown assessment.
    };
    let base = lib.parameters.clone();
    for (id, &value) in priors {
        let b = base.iter().find(|p| p.actor.is_none() && p.id == *id);
        a.parameters.push(Parameter {
            id: id.clone(),
            actor: None,
            value,
            low: b.and_then(|b| b.low),
            high: b.and_then(|b| b.high),
            provenance: Provenance::Assumption(format!("set in this request ({id} = {value})")),
            note: None,
            location: format!("request:priors.{id}"),
        });
    }
}

pub fn accession(body: AccessionBody) -> Result<Work, Problem> {
    let req = body.accession;
    if req.trials > bounds::TRIALS {
        return Err(invalid("trials", format!("at most {} trials", bounds::TRIALS)));
    }
    if req.worlds > bounds::WORLDS {
        return Err(invalid("worlds", format!("at most {} worlds", bounds::WORLDS)));
    }
    let stances = body.stances.map(|text| SourceFile {
        path: "request/stances.toml".into(),
        text,
    });
    Ok(Box::new(move |lib, _files, today, _progress| {
        let answer = casus_api::accession::accession(lib, today, &req, stances.as_ref()).map_err(diag)?;
        Ok(pretty(&answer.json()))
    }))
}

pub fn negotiate(body: NegotiateBody) -> Result<Work, Problem> {
    let req = body.negotiate;
    if req.rounds.is_some_and(|r| r > bounds::ROUNDS) {
        return Err(invalid("rounds", format!("at most {} rounds", bounds::ROUNDS)));
    }
    if req.steps.is_some_and(|s| s > bounds::STEPS) {
        return Err(invalid(
            "steps",
            format!("at most {} steps per issue", bounds::STEPS),
        ));
    }
    let file = match body.file {
        Some(text) => {
            let name = req
                .which
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_string();
            if name.is_empty() {
                return Err(invalid("which", "name the posted file (e.g. `talks.toml`)"));
            }
            SourceFile {
                path: format!("request/{name}"),
                text,
            }
        }
        None => casus_api::negotiate::builtin(&req.which).ok_or_else(|| {
            let mut p = diag(casus_api::negotiate::not_found(&req.which));
            p.detail.push_str(" (post a file's text as `file`)");
            p
        })?,
    };
    Ok(Box::new(move |_lib, _files, _today, _progress| {
        let (input, diags) = casus_api::negotiate::read(&file);
        let Some(input) = input else {
            let mut p = invalid("file", format!("{} has errors", file.path));
            if let Some(d) = diags.first() {
                p.detail = format!("file, {}", d.short_without_hints());
            }
            return Err(p);
        };
        let per_round: usize = match &input {
            casus_api::negotiate::Input::Scenario { scenario, .. } => {
                scenario.issues.iter().map(|i| i.stakes.len().pow(2)).sum()
            }
            casus_api::negotiate::Input::Deu(issues) => issues.iter().map(|i| i.stakes.len().pow(2)).sum(),
        };
        if req.rounds().saturating_mul(per_round) > bounds::ROUND_ENTRIES {
            return Err(invalid(
                "rounds",
                format!(
                    "at most {} rounds for this scenario on this server (each round's positions and perspectives are in the answer)",
                    bounds::ROUND_ENTRIES / per_round.max(1)
                ),
            ));
        }
        let answer = casus_api::negotiate::negotiate(&req, &file, input).map_err(diag)?;
        // As the command line prints it: straight from the typed result.
        Ok(pretty(&answer.data))
    }))
}
