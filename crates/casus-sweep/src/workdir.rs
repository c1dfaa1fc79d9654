//! A sweep's folder, the sweep's only I/O (kept here so the command line, Slurm jobs and
//! Python workers share one layout and one set of guarantees):
//!
//! ```text
//! DIR/plan.json                         the scope, the design and every row with its seed
//! DIR/parts/part-00002-of-00004.parquet one per shard, written whole (temporary name, then renamed)
//! DIR/results.parquet                   every row in plan order (merge)
//! DIR/run.json                          scope, design, seeds, versions, library hash (merge)
//! ```
//!
//! A part already on disk is not run again, so a killed job resumes where it stopped. Rows
//! are the same whatever the shard count and order: each row's seed is in the plan.

use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plan::{Input, Plan};
use crate::scope::Scope;
use crate::table::{self, Evaluated};

/// What runs one row: the outcomes in the scope's order (NaN: unknown), or why it failed.
pub type Evaluator<'a> = dyn Fn(&Input) -> Result<Vec<f64>, String> + Sync + 'a;

/// Shard `index` (0-based) of `count`: Slurm's `$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`
/// with `--array=0-(N-1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// `I/N` with 0 ≤ I < N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("give a shard as I/N with 0 <= I < N (e.g. 0/4), not `{s}`");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The rows of a plan of `n` rows this shard runs: a contiguous slice, sizes differing by one at most.
    pub fn rows(self, n: usize) -> Range<usize> {
        let start = n * self.index / self.count;
        let end = n * (self.index + 1) / self.count;
        start..end
    }

    pub fn file_name(self) -> String {
        format!("part-{:05}-of-{:05}.parquet", self.index, self.count)
    }
}

/// A failure with the path concerned.
fn io(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
}

/// Writes `bytes` whole or not at all: a temporary file beside `path` (named for this
/// process, so two workers never share one), then renamed into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| io(path, e))
}

pub fn plan_path(dir: &Path) -> PathBuf {
    dir.join("plan.json")
}

/// Writes the plan into `dir` (created). A folder that already holds parts of a different
/// plan is refused: its parts would not match.
pub fn write_plan(dir: &Path, plan: &Plan) -> Result<PathBuf, String> {
    fs::create_dir_all(dir.join("parts")).map_err(|e| io(dir, e))?;
    let path = plan_path(dir);
    let text = serde_json::to_string(plan).map_err(|e| e.to_string())?;
    if let Ok(old) = fs::read_to_string(&path) {
        if old == text {
            return Ok(path);
        }
        if !parts(dir)?.is_empty() {
            return Err(format!(
                "{} holds parts of another plan; plan into an empty folder",
                dir.display()
            ));
        }
    }
    write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

pub fn read_plan(dir: &Path) -> Result<Plan, String> {
    let path = plan_path(dir);
    let text = fs::read_to_string(&path).map_err(|e| {
        io(
            &path,
            format!("{e} (run `casus sweep plan` into this folder first)"),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| io(&path, e))
}

/// Evaluates rows `range` of the plan, in order.
pub fn evaluate(plan: &Plan, range: Range<usize>, eval: &Evaluator<'_>) -> Vec<Evaluated> {
    evaluate_with(plan, range, eval, &mut |_, _| {})
}

/// [`evaluate`], calling `progress(done, rows)` after each row.
pub fn evaluate_with(
    plan: &Plan,
    range: Range<usize>,
    eval: &Evaluator<'_>,
    progress: &mut dyn FnMut(usize, usize),
) -> Vec<Evaluated> {
    let n = plan.scope.outcomes.len();
    let total = range.len();
    plan.rows[range]
        .iter()
        .enumerate()
        .map(|(done, row)| {
            let input = Input::new(&plan.scope, row);
            let out = match eval(&input) {
                Ok(v) if v.len() == n => Evaluated {
                    row: row.clone(),
                    outcomes: v.into_iter().map(|x| (!x.is_nan()).then_some(x)).collect(),
                    error: None,
                },
                Ok(v) => Evaluated {
                    row: row.clone(),
                    outcomes: vec![None; n],
                    error: Some(format!(
                        "the model returned {} outcomes where the scope has {n}",
                        v.len()
                    )),
                },
                Err(e) => Evaluated {
                    row: row.clone(),
                    outcomes: vec![None; n],
                    error: Some(e),
                },
            };
            progress(done + 1, total);
            out
        })
        .collect()
}

/// What running one shard did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShardRun {
    pub shard: Shard,
    pub part: String,
    pub rows: usize,
    /// The part was already there: nothing was run.
    pub skipped: bool,
    pub failed: usize,
}

/// Runs one shard into its part, unless the part is already there.
pub fn run_shard(dir: &Path, shard: Shard, eval: &Evaluator<'_>) -> Result<ShardRun, String> {
    let plan = read_plan(dir)?;
    run_plan_shard(dir, &plan, shard, eval)
}

/// [`run_shard`] with the plan already read.
pub fn run_plan_shard(
    dir: &Path,
    plan: &Plan,
    shard: Shard,
    eval: &Evaluator<'_>,
) -> Result<ShardRun, String> {
    run_plan_shard_with(dir, plan, shard, eval, &mut |_, _| {})
}

/// [`run_plan_shard`], calling `progress(done, rows)` after each row it runs.
pub fn run_plan_shard_with(
    dir: &Path,
    plan: &Plan,
    shard: Shard,
    eval: &Evaluator<'_>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ShardRun, String> {
    let range = shard.rows(plan.rows.len());
    let path = dir.join("parts").join(shard.file_name());
    if path.exists() {
        return Ok(ShardRun {
            shard,
            part: shard.file_name(),
            rows: range.len(),
            skipped: true,
            failed: 0,
        });
    }
    let rows = evaluate_with(plan, range.clone(), eval, progress);
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    let bytes = table::encode(&plan.scope, &rows)?;
    fs::create_dir_all(dir.join("parts")).map_err(|e| io(dir, e))?;
    write_atomic(&path, &bytes)?;
    Ok(ShardRun {
        shard,
        part: shard.file_name(),
        rows: range.len(),
        skipped: false,
        failed,
    })
}

/// The parts on disk, by name (temporary files left by a killed run are not parts).
pub fn parts(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let pdir = dir.join("parts");
    let Ok(entries) = fs::read_dir(&pdir) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            n.starts_with("part-") && n.ends_with(".parquet")
        })
        .collect();
    out.sort();
    Ok(out)
}

/// What the caller knows of the run: program versions and the library's hash.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub versions: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_hash: Option<String>,
}

/// `run.json`: how `results.parquet` was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub scope: Scope,
    pub design: crate::plan::Design,
    pub samples: usize,
    /// The master seed; each row's own seed is in the results (`seed` column).
    pub seed: u64,
    pub rows: usize,
    pub failed: usize,
    pub unknown: BTreeMap<String, usize>,
    pub parts: Vec<String>,
    pub versions: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_hash: Option<String>,
    pub seeding: String,
}

/// Merges every part into `results.parquet` (rows in plan order) and writes `run.json`.
/// Parts of different shard counts may overlap; overlapping rows must agree.
pub fn merge(dir: &Path, info: &RunInfo) -> Result<RunRecord, String> {
    let plan = read_plan(dir)?;
    let rows = collect(dir, &plan)?;
    let bytes = table::encode(&plan.scope, &rows)?;
    write_atomic(&dir.join("results.parquet"), &bytes)?;
    let mut unknown = BTreeMap::new();
    for (i, o) in plan.scope.outcomes.iter().enumerate() {
        unknown.insert(
            o.name.clone(),
            rows.iter().filter(|r| r.outcomes[i].is_none()).count(),
        );
    }
    let mut versions = info.versions.clone();
    versions.insert("casus-sweep".into(), env!("CARGO_PKG_VERSION").into());
    let record = RunRecord {
        scope: plan.scope.clone(),
        design: plan.design,
        samples: plan.samples,
        seed: plan.seed,
        rows: rows.len(),
        failed: rows.iter().filter(|r| r.error.is_some()).count(),
        unknown,
        parts: parts(dir)?
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect(),
        versions,
        library_hash: info.library_hash.clone(),
        seeding: "row seed = splitmix64(splitmix64(master seed) xor sample index), 63 bits; the rows of one \
                  sample share it"
            .into(),
    };
    let text = serde_json::to_string_pretty(&record).map_err(|e| e.to_string())?;
    write_atomic(&dir.join("run.json"), text.as_bytes())?;
    Ok(record)
}

/// Every row of the plan from the parts, in plan order; missing rows are an error naming them.
pub fn collect(dir: &Path, plan: &Plan) -> Result<Vec<Evaluated>, String> {
    let mut slots: Vec<Option<Evaluated>> = vec![None; plan.rows.len()];
    for path in parts(dir)? {
        let bytes = fs::read(&path).map_err(|e| io(&path, e))?;
        for r in table::decode(&plan.scope, bytes).map_err(|e| io(&path, e))? {
            let i = r.row.row as usize;
            let Some(slot) = slots.get_mut(i) else {
                return Err(io(
                    &path,
                    format!("row {i} is not in the plan ({} rows)", plan.rows.len()),
                ));
            };
            if plan.rows[i].seed != r.row.seed {
                return Err(io(
                    &path,
                    format!("row {i} has another seed than the plan's: a part of another plan"),
                ));
            }
            match slot {
                Some(old) if !old.same(&r) => {
                    return Err(io(
                        &path,
                        format!("row {i} differs from the same row in another part"),
                    ))
                }
                Some(_) => {}
                None => *slot = Some(r),
            }
        }
    }
    let missing: Vec<usize> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| i)
        .collect();
    if let Some(&first) = missing.first() {
        return Err(format!(
            "{} of {} rows have not been run (the first: row {first}); run the missing shards, then merge",
            missing.len(),
            plan.rows.len()
        ));
    }
    Ok(slots.into_iter().flatten().collect())
}

/// The merged results (after [`merge`]).
pub fn read_results(dir: &Path) -> Result<(Plan, Vec<Evaluated>), String> {
    let plan = read_plan(dir)?;
    let path = dir.join("results.parquet");
    let bytes = fs::read(&path).map_err(|e| io(&path, format!("{e} (run `casus sweep merge` first)")))?;
    let rows = table::decode(&plan.scope, bytes).map_err(|e| io(&path, e))?;
    Ok((plan, rows))
}
