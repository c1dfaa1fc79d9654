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
use casus_session::outdir::OutputDir;
use casus_session::trials::{TrialsWriter, CSV, PARQUET};
use casus_session::{LoadedLibrary, Session};
use casus_sim::TrialSink;
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
        out: None,
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

/// `simulate`: the attack's fields, the run settings, the capabilities file (`--capabilities`)
/// and the folder of results (`--out`, `--force`).
#[derive(Deserialize)]
struct SimulateCall {
    #[serde(flatten)]
    event: EventRequest,
    #[serde(flatten)]
    sim: SimulateRequest,
    #[serde(default)]
    capabilities: Option<PathBuf>,
    #[serde(flatten)]
    out: OutArgs,
}

/// `assess`: the request, the event's date (`--date`), the capabilities file and the folder
/// of results.
#[derive(Deserialize)]
struct AssessCall {
    #[serde(flatten)]
    assess: AssessRequest,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    capabilities: Option<PathBuf>,
    #[serde(flatten)]
    out: OutArgs,
}

/// `--out DIR` and `--force`: per-trial files and the run's other files, as the command line
/// writes them.
#[derive(Deserialize, Default)]
struct OutArgs {
    #[serde(default)]
    out: Option<PathBuf>,
    #[serde(default)]
    force: bool,
}

/// A folder of results being written: the session's output folder (checked before the run)
/// and the per-trial writer that the run streams into.
struct Out {
    dir: OutputDir,
    trials: TrialsWriter,
}

impl OutArgs {
    /// The folder, checked now (never over the user's files unless `force`), if one was
    /// asked for; `names` are the files the run writes, `labels` the options' names.
    fn open(
        &self,
        s: &Session,
        names: &[&str],
        labels: Vec<String>,
        lib: &LoadedLibrary,
    ) -> Result<Option<Out>, String> {
        let Some(path) = &self.out else {
            return Ok(None);
        };
        let mut dir = s.output_dir(path, self.force).map_err(session_err)?;
        let mut all = vec![CSV, PARQUET];
        all.extend_from_slice(names);
        dir.refuse_foreign(&all).map_err(out_err)?;
        let trials = TrialsWriter::new(&mut dir, labels, &lib.library).map_err(out_err)?;
        Ok(Some(Out { dir, trials }))
    }
}

impl Out {
    fn sink(out: &mut Option<Out>) -> Option<&mut dyn TrialSink> {
        out.as_mut().map(|o| &mut o.trials as &mut dyn TrialSink)
    }

    /// Completes the per-trial files, writes `files` and moves the set into place; the folder.
    fn finish(self, files: Vec<(String, String)>) -> Result<String, String> {
        let Out { mut dir, trials } = self;
        trials.finish(&mut dir).map_err(out_err)?;
        for (name, text) in files {
            dir.write(&name, text.as_bytes()).map_err(out_err)?;
        }
        let path = dir.dir().to_path_buf();
        dir.commit().map_err(out_err)?;
        Ok(path.display().to_string())
    }
}

/// The output folder's errors, with the command line's advice (`--force`) in Python's words.
fn out_err(e: impl std::fmt::Display) -> String {
    session_err(e).replace("--force", "force=True")
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
            let mut r: SimulateCall = run_request(kind, req)?;
            r.sim.run.keep_trials = r.out.out.is_some();
            let event = r.event.resolve(&lib.library, today).map_err(diag)?;
            let caps = capabilities(s, r.capabilities.as_deref())?;
            let mut out = r.out.open(s, &["summary.json"], vec!["library".into()], &lib)?;
            let (a, _) = casus_api::simulate::simulate(
                &lib.library,
                &lib.files,
                &event,
                &r.sim,
                caps.as_ref(),
                &mut |_, _| {},
                Out::sink(&mut out),
            )
            .map_err(diag)?;
            let mut ans = answer(kind, &a);
            if let Some(o) = out {
                ans.out = Some(o.finish(casus_api::out_files::simulate(&a))?);
            }
            ans
        }
        "assess" => {
            let mut r: AssessCall = run_request(kind, req)?;
            r.assess.run.keep_trials = r.out.out.is_some();
            // As `--out`: the report's sensitivity charts need the sensitivity run.
            r.assess.sensitivity |= r.out.out.is_some();
            let file = PathBuf::from(&r.assess.which);
            let extra = if file.is_file() { vec![file] } else { vec![] };
            let lib = load(&extra)?;
            let date = casus_api::event::date_or_today("date", r.date.as_deref(), today).map_err(diag)?;
            let caps = capabilities(s, r.capabilities.as_deref())?;
            let labels = match &r.out.out {
                Some(_) => casus_api::assess::find_assessment(&lib.library, &r.assess.which)
                    .map_err(diag)?
                    .options
                    .iter()
                    .map(|o| o.id.clone())
                    .collect(),
                None => vec![],
            };
            let names = ["report.md", "summary.json", "response-over-time.svg"];
            let mut out = r.out.open(s, &names, labels, &lib)?;
            let (a, artifacts) = casus_api::assess::assess(
                &lib.library,
                &lib.files,
                &r.assess,
                date,
                caps.as_ref(),
                &mut |_, _, _| {},
                Out::sink(&mut out),
            )
            .map_err(diag)?;
            let mut ans = answer(kind, &a);
            if let Some(o) = out {
                let files = casus_api::out_files::assess(&a, &artifacts).map_err(diag)?;
                ans.out = Some(o.finish(files)?);
            }
            ans
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
                out: None,
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
        out: None,
    })
}
