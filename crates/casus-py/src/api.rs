//! Requests of the one API, built the way the command line builds them (see
//! `crates/casus-cli/src/commands/*.rs`): each kind reads its request from JSON (the API's own
//! field names, plus the files the command line would read through its flags), asks the
//! session for those files, calls one `casus-api` function and keeps the JSON exactly as the
//! command prints it with `--format json`, and the table it prints without.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use casus_api::accession::AccessionRequest;
use casus_api::assess::AssessRequest;
use casus_api::event::EventRequest;
use casus_api::history_data::DyadsRequest;
use casus_api::negotiate::NegotiateRequest;
use casus_api::simulate::SimulateRequest;
use casus_api::Answer as ApiAnswer;
use casus_render::{Format, Layout};
use casus_session::{LoadedLibrary, Session};
use serde::{Deserialize, Serialize};

use crate::Answer;

/// The kinds [`dispatch`] answers.
pub const KINDS: &[&str] = &[
    "obligations",
    "cascade",
    "list",
    "show",
    "simulate",
    "assess",
    "accession",
    "negotiate",
    "dyads",
];

/// Tables are laid out as the command line lays them out in a pipe.
const LAYOUT: Layout = Layout { width: Some(160) };

/// The answer as `casus KIND` prints it: pretty JSON with one trailing newline, and its table.
fn answer<T: Serialize>(kind: &str, a: &ApiAnswer<T>) -> Answer {
    let json = a.json();
    Answer {
        kind: kind.into(),
        json: casus_render::render(&a.report, &json, Format::Json, Layout::default()),
        table: casus_render::render(&a.report, &json, Format::Table, LAYOUT),
    }
}

fn request<T: serde::de::DeserializeOwned>(kind: &str, json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| format!("{kind}: {e}"))
}

/// A model run's request, with the command line's default thread count (every core) when the
/// request names none: the header says how many threads ran.
fn run_request<T: serde::de::DeserializeOwned>(kind: &str, json: &str) -> Result<T, String> {
    let mut v: serde_json::Value = request(kind, json)?;
    if let Some(m) = v.as_object_mut() {
        if !m.contains_key("threads") {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get());
            m.insert("threads".into(), n.into());
        }
    }
    serde_json::from_value(v).map_err(|e| format!("{kind}: {e}"))
}

fn diag(e: casus_api::Diagnostic) -> String {
    e.to_string()
}

fn session_err(e: impl std::fmt::Display) -> String {
    format!("{e:#}")
}

/// `simulate`: the attack's fields, the run settings, and the capabilities file (`--capabilities`).
#[derive(Deserialize)]
struct SimulateCall {
    #[serde(flatten)]
    event: EventRequest,
    #[serde(flatten)]
    sim: SimulateRequest,
    #[serde(default)]
    capabilities: Option<PathBuf>,
}

/// `assess`: the request, the event's date (`--date`) and the capabilities file.
#[derive(Deserialize)]
struct AssessCall {
    #[serde(flatten)]
    assess: AssessRequest,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    capabilities: Option<PathBuf>,
}

/// `accession`: the request and a file of stances (`--stances`).
#[derive(Deserialize)]
struct AccessionCall {
    #[serde(flatten)]
    accession: AccessionRequest,
    #[serde(default)]
    stances: Option<PathBuf>,
}

/// `dyads`: the request and ATOP's release folder (`--atop`; else the store).
#[derive(Deserialize)]
struct DyadsCall {
    #[serde(flatten)]
    dyads: DyadsRequest,
    #[serde(default)]
    atop: Option<PathBuf>,
}

/// The capabilities file the command line would read: the one given, else `$CASUS_NMC`.
fn capabilities(s: &Session, given: Option<&Path>) -> Result<Option<casus_syntax::SourceFile>, String> {
    match s.capabilities_path(given) {
        Some(p) => s.read_text(&p).map(Some).map_err(session_err),
        None => Ok(None),
    }
}

/// Answers one request. `load(extra)` gives the library with `extra` files (cached).
pub fn dispatch(
    kind: &str,
    req: &str,
    s: &Session,
    load: &dyn Fn(&[PathBuf]) -> Result<Arc<LoadedLibrary>, String>,
) -> Result<Answer, String> {
    let today = s.today().map_err(session_err)?;
    Ok(match kind {
        "obligations" => {
            let lib = load(&[])?;
            let r = request(kind, req)?;
            answer(
                kind,
                &casus_api::obligations::obligations(&lib.library, today, &r).map_err(diag)?,
            )
        }
        "cascade" => {
            let lib = load(&[])?;
            let r = request(kind, req)?;
            answer(
                kind,
                &casus_api::cascade::cascade(&lib.library, today, &r).map_err(diag)?,
            )
        }
        "list" => {
            let lib = load(&[])?;
            let r = request(kind, req)?;
            answer(
                kind,
                &casus_api::list::list(&lib.library, today, &r).map_err(diag)?,
            )
        }
        "show" => {
            let lib = load(&[])?;
            answer(
                kind,
                &casus_api::show::show(&lib.library, &request(kind, req)?).map_err(diag)?,
            )
        }
        "simulate" => {
            let lib = load(&[])?;
            let r: SimulateCall = run_request(kind, req)?;
            let event = r.event.resolve(&lib.library, today).map_err(diag)?;
            let caps = capabilities(s, r.capabilities.as_deref())?;
            let (a, _) = casus_api::simulate::simulate(
                &lib.library,
                &lib.files,
                &event,
                &r.sim,
                caps.as_ref(),
                &mut |_, _| {},
                None,
            )
            .map_err(diag)?;
            answer(kind, &a)
        }
        "assess" => {
            let r: AssessCall = run_request(kind, req)?;
            let file = PathBuf::from(&r.assess.which);
            let extra = if file.is_file() { vec![file] } else { vec![] };
            let lib = load(&extra)?;
            let date = casus_api::event::date_or_today("date", r.date.as_deref(), today).map_err(diag)?;
            let caps = capabilities(s, r.capabilities.as_deref())?;
            let (a, _) = casus_api::assess::assess(
                &lib.library,
                &lib.files,
                &r.assess,
                date,
                caps.as_ref(),
                &mut |_, _, _| {},
                None,
            )
            .map_err(diag)?;
            answer(kind, &a)
        }
        "accession" => {
            let lib = load(&[])?;
            let r: AccessionCall = request(kind, req)?;
            let stances = match &r.stances {
                Some(p) => Some(s.read_text(p).map_err(session_err)?),
                None => None,
            };
            let a = casus_api::accession::accession(&lib.library, today, &r.accession, stances.as_ref())
                .map_err(diag)?;
            answer(kind, &a)
        }
        "negotiate" => negotiate(s, &request(kind, req)?)?,
        "dyads" => {
            let lib = load(&[])?;
            let r: DyadsCall = request(kind, req)?;
            let release = match &r.atop {
                Some(dir) => {
                    let files = s.read_csv_folder(dir).map_err(session_err)?;
                    casus_api::history_data::read_release(&dir.display().to_string(), &files).map_err(diag)?
                }
                None => {
                    let store = s.store().map_err(session_err)?;
                    store.current_atop().map_err(session_err)?.ok_or_else(|| {
                        format!(
                            "no ATOP data in the store ({}); run `casus data import atop DIR` or give atop=DIR",
                            store.path().display()
                        )
                    })?
                }
            };
            let a = casus_api::history_data::dyads(&lib.library, &release, &r.dyads).map_err(diag)?;
            let json = serde_json::to_string(&a.data).map_err(|e| e.to_string())? + "\n";
            Answer {
                kind: kind.into(),
                // `casus dyads --format json` prints the rows compactly; without it, as CSV.
                json,
                table: casus_api::history_data::dyads_csv(&a.data, r.dyads.codes),
            }
        }
        _ => return Err(format!("no request `{kind}`; known: {}", KINDS.join(", "))),
    })
}

/// `negotiate`: a built-in scenario or a file the session reads; the JSON is the typed result
/// written whole (the command line streams it), the table the report.
fn negotiate(s: &Session, req: &NegotiateRequest) -> Result<Answer, String> {
    use casus_api::negotiate as api;
    let file = match api::builtin(&req.which) {
        Some(f) => f,
        None if Path::new(&req.which).is_file() => s.read_text(Path::new(&req.which)).map_err(session_err)?,
        None => return Err(diag(api::not_found(&req.which))),
    };
    let (input, diags) = api::read(&file);
    let Some(input) = input else {
        let files = [file.clone()];
        let shown: String = diags
            .iter()
            .map(|d| casus_render::diagnostics::render(d, &files))
            .collect();
        return Err(format!("{shown}{} has errors", file.path));
    };
    let a = api::negotiate(req, &file, input).map_err(diag)?;
    let json = serde_json::to_string_pretty(&a.data).map_err(|e| e.to_string())? + "\n";
    Ok(Answer {
        kind: "negotiate".into(),
        json,
        table: casus_render::render(&a.report, &serde_json::Value::Null, Format::Table, LAYOUT),
    })
}
