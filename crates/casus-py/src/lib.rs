//! `casus._casus`: the Rust half of the Python package. Requests come in as JSON (the same
//! field names as the HTTP API and the command line's flags), go to the one API
//! (`casus-api`) with the GIL released, and come back as an [`Answer`]: the exact JSON the
//! command line prints with `--format json`, plus its table. The typed Python classes in
//! `python/casus/` wrap these.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use casus_session::{Env, Session};
use casus_sweep::prim::Threshold;
use casus_sweep::workdir::{self, RunInfo, Shard};
use casus_sweep::{Design, Input, Scope};
use casus_syntax::SourceFile;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::Serialize;

mod api;

create_exception!(
    casus,
    CasusError,
    PyValueError,
    "A request casus cannot answer: bad input, or a library with errors."
);

fn fail(e: impl std::fmt::Display) -> PyErr {
    CasusError::new_err(e.to_string())
}

/// An answer: its kind (the command), its JSON exactly as `casus KIND --format json`
/// prints it, the table the command prints, and the folder its files went to (`out=`).
#[pyclass(module = "casus._casus", subclass, frozen)]
#[derive(Clone)]
pub struct Answer {
    kind: String,
    json: String,
    table: String,
    out: Option<String>,
}

#[pymethods]
impl Answer {
    #[new]
    #[pyo3(signature = (kind, json, table = String::new(), out = None))]
    fn new(kind: String, json: String, table: String, out: Option<String>) -> Self {
        Self {
            kind,
            json,
            table,
            out,
        }
    }

    /// The folder the run's files were written to (`out=`), else None.
    #[getter]
    fn out(&self) -> Option<&str> {
        self.out.as_deref()
    }

    /// The command this answers (`obligations`, `list` …).
    #[getter]
    fn kind(&self) -> &str {
        &self.kind
    }

    /// The answer as JSON text: exactly what the command line prints with `--format json`.
    fn to_json(&self) -> &str {
        &self.json
    }

    /// The table the command line prints.
    fn table(&self) -> &str {
        &self.table
    }

    fn __str__(&self) -> &str {
        &self.table
    }

    fn __repr__(&self) -> String {
        format!("<casus {} answer, {} bytes of JSON>", self.kind, self.json.len())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Answer>()
            .map(|o| o.get().kind == self.kind && o.get().json == self.json)
            .unwrap_or(false)
    }

    /// Pickles as (its class, (kind, json, table, out)), so answers travel to Dask, Ray and EMA workers.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let args = (me.kind.clone(), me.json.clone(), me.table.clone(), me.out.clone()).into_pyobject(py)?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}

/// Loaded libraries, by (built-in?, added paths, a hash of the files' paths and text): loading
/// is the slow part of a small request, and a file edited between two calls is read afresh.
type Cache = Mutex<HashMap<(bool, Vec<PathBuf>, u64), Arc<casus_session::LoadedLibrary>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn session(builtin: bool, library: &[PathBuf]) -> Session {
    Session::new(Env::from_process(), builtin, library.to_vec())
}

fn load(builtin: bool, library: &[PathBuf]) -> Result<Arc<casus_session::LoadedLibrary>, String> {
    let files = session(builtin, library)
        .library_files(&[])
        .map_err(|e| format!("{e:#}"))?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in &files {
        std::hash::Hash::hash(&(&f.path, &f.text), &mut h);
    }
    let key = (builtin, library.to_vec(), std::hash::Hasher::finish(&h));
    if let Some(l) = cache().lock().map_err(|e| e.to_string())?.get(&key) {
        return Ok(l.clone());
    }
    let loaded = session(builtin, library).load_library(&[]).map_err(|e| match e
        .downcast_ref::<casus_session::LibraryErrors>()
    {
        Some(errs) => errs
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.short())
            .chain([errs.to_string()])
            .collect::<Vec<_>>()
            .join("\n"),
        None => format!("{e:#}"),
    })?;
    let loaded = Arc::new(loaded);
    cache()
        .lock()
        .map_err(|e| e.to_string())?
        .insert(key, loaded.clone());
    Ok(loaded)
}

/// Answers one request (`kind`: obligations, cascade, list, show, simulate, assess, accession,
/// negotiate, dyads; `request`: its JSON) with the built-in library (unless `builtin` is false)
/// and the files or folders in `library`.
#[pyfunction]
#[pyo3(signature = (kind, request, library = Vec::new(), builtin = true))]
fn call(
    py: Python<'_>,
    kind: String,
    request: String,
    library: Vec<PathBuf>,
    builtin: bool,
) -> PyResult<Answer> {
    py.detach(|| {
        let s = session(builtin, &library);
        let load = |extra: &[PathBuf]| {
            let mut paths = library.clone();
            paths.extend(extra.iter().cloned());
            load(builtin, &paths)
        };
        api::dispatch(&kind, &request, &s, &load)
    })
    .map_err(fail)
}

// ---- sweeps ----
// Scopes and their models come from the one registry, `casus_api::sweep` (as on the
// command line); the sweep folder's I/O is `casus_sweep::workdir`.

fn scope_file(which: &str) -> Result<SourceFile, String> {
    match casus_api::sweep::builtin_scope(which) {
        Some(f) => Ok(f),
        None if Path::new(which).is_file() => std::fs::read_to_string(which)
            .map(|t| SourceFile::new(which, t))
            .map_err(|e| format!("{which}: {e}")),
        None => Err(format!(
            "no scope `{which}`: give a built-in scope ({}) or a scope file",
            casus_api::sweep::builtin_names().join(", ")
        )),
    }
}

/// A scope resolved against the built-in library: the stated ranges of its priors, its
/// date and its trials filled in (`trials` overrides the scope's).
fn parse_scope(which: &str, trials: Option<u64>) -> Result<Scope, String> {
    let mut scope = Scope::parse(&scope_file(which)?)
        .map_err(|ds| ds.iter().map(|d| d.short()).collect::<Vec<_>>().join("\n"))?;
    let lib = load(true, &[])?;
    let today = session(true, &[]).today().map_err(|e| e.to_string())?;
    casus_api::sweep::resolve(&lib.library, &mut scope, today, trials).map_err(|e| e.to_string())?;
    Ok(scope)
}

/// Runs `f` with the evaluator of `scope`'s model (from the registry).
fn with_evaluator<T>(
    scope: &Scope,
    f: impl FnOnce(&casus_sweep::Evaluator<'_>) -> Result<T, String>,
) -> Result<T, String> {
    let lib = load(true, &[])?;
    let eval = casus_api::sweep::evaluator(&lib.library, scope).map_err(|e| e.to_string())?;
    f(&*eval)
}

/// Evaluators of built-in scopes' models (and scope files, read once per process), by name: adapters such as EMA
/// Workbench's call `evaluate` once per point, and preparing a model is the slow part.
type Evaluators = Mutex<HashMap<String, Arc<casus_api::sweep::Evaluator>>>;

fn cached_evaluator(model: &str, trials: Option<u64>) -> Result<Arc<casus_api::sweep::Evaluator>, String> {
    static EVALUATORS: OnceLock<Evaluators> = OnceLock::new();
    let cache = EVALUATORS.get_or_init(|| Mutex::new(HashMap::new()));
    let key = format!("{model}|{trials:?}");
    if let Some(e) = cache.lock().map_err(|e| e.to_string())?.get(&key) {
        return Ok(e.clone());
    }
    let scope = parse_scope(model, trials)?;
    let lib = load(true, &[])?;
    let eval = Arc::new(casus_api::sweep::evaluator(&lib.library, &scope).map_err(|e| e.to_string())?);
    cache.lock().map_err(|e| e.to_string())?.insert(key, eval.clone());
    Ok(eval)
}

fn to_json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string(v).map_err(|e| e.to_string())
}

/// A scope (built-in name or file) as JSON: uncertainties (with their ranges, stated or
/// new), levers, outcomes, seed, trials and date.
#[pyfunction]
fn scope(which: String) -> PyResult<String> {
    parse_scope(&which, None).and_then(|s| to_json(&s)).map_err(fail)
}

/// Plans a sweep into `out`; returns the number of rows.
#[pyfunction]
#[pyo3(signature = (scope, out, samples = 100, design = "lhs".to_string(), seed = None))]
fn plan(
    py: Python<'_>,
    scope: String,
    out: PathBuf,
    samples: usize,
    design: String,
    seed: Option<u64>,
) -> PyResult<usize> {
    py.detach(|| {
        let s = parse_scope(&scope, None)?;
        let d = Design::parse(&design).ok_or_else(|| {
            format!(
                "design: expected one of {}, not `{design}`",
                Design::WORDS.join(", ")
            )
        })?;
        let p = casus_sweep::plan(&s, d, samples, seed)?;
        workdir::write_plan(&out, &p)?;
        Ok::<_, String>(p.rows.len())
    })
    .map_err(fail)
}

/// Runs shard `index` of `count` of the sweep in `dir` (a finished part is skipped); returns JSON.
#[pyfunction]
fn run_shard(py: Python<'_>, dir: PathBuf, index: usize, count: usize) -> PyResult<String> {
    py.detach(|| {
        if count == 0 || index >= count {
            return Err(format!("shard {index} of {count}: give 0 <= index < count"));
        }
        let p = workdir::read_plan(&dir)?;
        let r = with_evaluator(&p.scope, |eval| {
            workdir::run_plan_shard(&dir, &p, Shard { index, count }, eval)
        })?;
        to_json(&r)
    })
    .map_err(fail)
}

/// Merges the parts of the sweep in `dir`; returns run.json's content.
#[pyfunction]
fn merge(py: Python<'_>, dir: PathBuf) -> PyResult<String> {
    py.detach(|| {
        let info = RunInfo {
            versions: [("casus-py".to_string(), env!("CARGO_PKG_VERSION").to_string())].into(),
            library_hash: None,
        };
        workdir::merge(&dir, &info).and_then(|r| to_json(&r))
    })
    .map_err(fail)
}

/// Sobol indices of `metric` (JSON, as `casus sweep sobol --format json`).
#[pyfunction]
#[pyo3(signature = (dir, metric, resamples = 1000, confidence = 0.95))]
fn sobol(
    py: Python<'_>,
    dir: PathBuf,
    metric: String,
    resamples: usize,
    confidence: f64,
) -> PyResult<String> {
    py.detach(|| {
        let (p, rows) = workdir::read_results(&dir)?;
        to_json(&casus_sweep::sobol::sobol(
            &p, &rows, &metric, resamples, confidence,
        )?)
    })
    .map_err(fail)
}

/// PRIM boxes where `metric` falls below `below` (or rises above `above`), as JSON.
#[pyfunction]
#[pyo3(signature = (dir, metric, below = None, above = None, alpha = 0.05, min_mass = 0.05))]
fn discover(
    py: Python<'_>,
    dir: PathBuf,
    metric: String,
    below: Option<f64>,
    above: Option<f64>,
    alpha: f64,
    min_mass: f64,
) -> PyResult<String> {
    py.detach(|| {
        let t = match (below, above) {
            (Some(b), None) => Threshold::Below(b),
            (None, Some(a)) => Threshold::Above(a),
            _ => return Err("give one of below= or above=".to_string()),
        };
        let (p, rows) = workdir::read_results(&dir)?;
        to_json(&casus_sweep::prim::discover(
            &p, &rows, &metric, t, alpha, min_mass,
        )?)
    })
    .map_err(fail)
}

/// Runs one point of a built-in scope's model (`model`: `toy`, `ukraine`, or a scope file):
/// `values` (sampled factors) and `levers` (names) → outcomes in the scope's order (NaN:
/// unknown). For adapters (EMA Workbench) that drive their own designs.
/// `trials` replaces the scope's trials per point (small ones keep adapters' tests quick).
#[pyfunction]
#[pyo3(signature = (model, values, levers, seed = 0, trials = None))]
fn evaluate(
    py: Python<'_>,
    model: String,
    values: std::collections::BTreeMap<String, f64>,
    levers: std::collections::BTreeMap<String, String>,
    seed: u64,
    trials: Option<u64>,
) -> PyResult<Vec<f64>> {
    py.detach(|| {
        let eval = cached_evaluator(&model, trials)?;
        eval(&Input {
            row: 0,
            seed,
            values,
            levers,
        })
    })
    .map_err(fail)
}

#[pymodule]
fn _casus(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Answer>()?;
    m.add("CasusError", m.py().get_type::<CasusError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(call, m)?)?;
    m.add_function(wrap_pyfunction!(scope, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(run_shard, m)?)?;
    m.add_function(wrap_pyfunction!(merge, m)?)?;
    m.add_function(wrap_pyfunction!(sobol, m)?)?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    Ok(())
}
