//! `casus sweep`: exploratory sweeps over a scope's uncertainties and levers — plan, run
//! shards (a Slurm job array runs `casus sweep run DIR --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`),
//! merge, then Sobol indices and PRIM scenario discovery.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};
use casus_render::{charts, Report, Section};
use casus_sweep::prim::{discover, Threshold};
use casus_sweep::sobol::sobol;
use casus_sweep::workdir::{self, RunInfo, Shard};
use casus_sweep::{Design, Scope};
use serde::Serialize;

use crate::cx::Cx;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: SweepCommand,
}

#[derive(clap::Subcommand)]
pub enum SweepCommand {
    /// Sample a scope (built-in `ukraine` or `toy`, or a TOML scope file) into DIR/plan.json, a seed per row.
    Plan {
        /// A built-in scope (ukraine, toy) or a scope file.
        scope: String,
        /// Samples of the uncertainties (factorial: levels per factor); every sample runs under every categorical lever value.
        #[arg(long, default_value_t = 100)]
        samples: usize,
        /// lhs | saltelli | factorial
        #[arg(long, default_value = "lhs")]
        design: String,
        /// Master seed (default: the scope's).
        #[arg(long)]
        seed: Option<u64>,
        /// The sweep's folder.
        #[arg(long)]
        out: PathBuf,
        /// Monte Carlo trials per row (default: the scope's, else 4096).
        #[arg(long)]
        trials: Option<u64>,
        /// Keep only these values of a categorical lever: LEVER=V1,V2 (repeatable), e.g. attack=major-attack.
        #[arg(long, value_name = "LEVER=VALUES")]
        only: Vec<String>,
    },
    /// Run one shard of a planned sweep into DIR/parts/ (a finished part is not run again).
    Run {
        dir: PathBuf,
        /// I/N: the I-th (0-based) of N contiguous slices of the rows.
        #[arg(long, default_value = "0/1")]
        shard: String,
    },
    /// Merge the parts into DIR/results.parquet (rows in plan order) and DIR/run.json.
    Merge { dir: PathBuf },
    /// For benchmarks: the plan's trials run directly, one plain Monte Carlo run per lever
    /// combination at the priors' stated values (samples × trials trials each).
    #[command(hide = true)]
    Baseline { dir: PathBuf },
    /// First-order and total Sobol indices of a metric, with bootstrap intervals (needs --design saltelli).
    Sobol {
        dir: PathBuf,
        #[arg(long)]
        metric: String,
        #[arg(long, default_value_t = 1000)]
        resamples: usize,
        #[arg(long, default_value_t = 0.95)]
        confidence: f64,
    },
    /// PRIM: the ranges of the sampled factors where a metric falls below (or above) a threshold.
    Discover {
        dir: PathBuf,
        #[arg(long)]
        metric: String,
        #[arg(long, conflicts_with = "above", required_unless_present = "above")]
        below: Option<f64>,
        #[arg(long)]
        above: Option<f64>,
        /// The share of the box's points peeled at each step.
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        /// Stop peeling when the box would hold less than this share of the points.
        #[arg(long, default_value_t = 0.05)]
        min_mass: f64,
    },
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let s = |e: String| anyhow!(e);
    match &args.command {
        SweepCommand::Plan {
            scope,
            samples,
            design,
            seed,
            out,
            trials,
            only,
        } => {
            let mut scope = load_scope(cx, scope)?;
            for o in only {
                let (lever, values) = o
                    .split_once('=')
                    .ok_or_else(|| anyhow!("--only: give LEVER=V1,V2, not `{o}`"))?;
                let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
                scope
                    .restrict(lever.trim(), &values)
                    .map_err(|e| anyhow!("--only: {e}"))?;
            }
            let lib = cx.library()?;
            casus_api::sweep::resolve(&lib.library, &mut scope, cx.today()?, *trials)?;
            let design = Design::parse(design).ok_or_else(|| {
                anyhow!(
                    "--design: expected one of {}, not `{design}`",
                    Design::WORDS.join(", ")
                )
            })?;
            let plan = casus_sweep::plan(&scope, design, *samples, *seed).map_err(s)?;
            let path = workdir::write_plan(out, &plan).map_err(s)?;
            let summary = PlanSummary {
                plan: path.display().to_string(),
                scope: scope.name.clone(),
                model: scope.model.clone(),
                design: design.word().into(),
                samples: *samples,
                seed: plan.seed,
                rows: plan.rows.len(),
                factors: scope.numeric().iter().map(|f| f.name.clone()).collect(),
                levers: scope
                    .categorical()
                    .iter()
                    .map(|c| (c.name.clone(), c.values.clone()))
                    .collect(),
                outcomes: scope.outcomes.iter().map(|o| o.name.clone()).collect(),
                trials: scope.trials,
                date: scope.date.clone(),
                ranges: scope
                    .uncertainties
                    .iter()
                    .map(|u| RangeView {
                        factor: u.name.clone(),
                        prior: u.prior.clone(),
                        low: u.low,
                        high: u.high,
                        range: match u.range {
                            casus_sweep::scope::RangeFrom::Stated => "stated".into(),
                            casus_sweep::scope::RangeFrom::New => "new".into(),
                        },
                    })
                    .collect(),
            };
            let mut r = Report::default();
            r.heading.push(format!(
                "Planned {} rows of scope `{}` ({}, {} samples, seed {}) in {}",
                summary.rows,
                summary.scope,
                summary.design,
                summary.samples,
                summary.seed,
                out.display()
            ));
            let mut sec = Section::new(
                "Uncertainties (sampled uniformly over their ranges)",
                &["factor", "prior", "low", "high", "range"],
            );
            for u in &summary.ranges {
                sec.row(vec![
                    u.factor.clone(),
                    u.prior.clone().unwrap_or_default(),
                    format!("{}", u.low),
                    format!("{}", u.high),
                    u.range.clone(),
                ]);
            }
            if let Some(t) = summary.trials {
                sec.notes.push(format!(
                    "{t} trials per row; model run on {}",
                    summary.date.as_deref().unwrap_or("-")
                ));
            }
            r.sections.push(sec);
            r.heading.push(format!(
                "Next: casus sweep run {} --shard 0/1 (or I/N for each of N shards), then casus sweep merge {}",
                out.display(),
                out.display()
            ));
            cx.print_report(&r, &serde_json::to_value(&summary)?)
        }
        SweepCommand::Run { dir, shard } => {
            let shard = Shard::parse(shard).map_err(|e| anyhow!("--shard: {e}"))?;
            let plan = workdir::read_plan(dir).map_err(s)?;
            let lib = cx.library()?;
            let eval = casus_api::sweep::evaluator(&lib.library, &plan.scope)?;
            let start = std::time::Instant::now();
            let mut last = start;
            let rows = shard.rows(plan.rows.len()).len();
            let every = (rows / 20).max(1);
            let mut progress = |done: usize, total: usize| {
                let now = std::time::Instant::now();
                let since = now.duration_since(last).as_secs_f64();
                if done == total || (done.is_multiple_of(every) && since >= 1.0) || since >= 10.0 {
                    last = now;
                    let secs = now.duration_since(start).as_secs_f64();
                    let left = secs / done as f64 * (total - done) as f64;
                    eprintln!(
                        "sweep run: shard {}/{}: {done}/{total} rows ({:.0}%), {secs:.1} s, about {left:.0} s left",
                        shard.index,
                        shard.count,
                        100.0 * done as f64 / total.max(1) as f64
                    );
                }
            };
            eprintln!(
                "sweep run: shard {}/{}: {rows} rows of {} ({} trials each)",
                shard.index,
                shard.count,
                plan.rows.len(),
                plan.scope.trials.map_or("-".into(), |t| t.to_string())
            );
            let done = workdir::run_plan_shard_with(dir, &plan, shard, &*eval, &mut progress).map_err(s)?;
            let mut r = Report::default();
            r.heading.push(if done.skipped {
                format!(
                    "Shard {}/{}: {} already there; nothing run",
                    shard.index, shard.count, done.part
                )
            } else {
                format!(
                    "Shard {}/{}: {} rows into parts/{} ({} failed)",
                    shard.index, shard.count, done.rows, done.part, done.failed
                )
            });
            cx.print_report(&r, &serde_json::to_value(&done)?)
        }
        SweepCommand::Merge { dir } => {
            // The hash needs the files only, not the resolved library (loading it was most of
            // a small sweep's overhead).
            let files = cx.session.library_files(&[])?;
            let info = RunInfo {
                versions: [("casus".to_string(), env!("CARGO_PKG_VERSION").to_string())].into(),
                library_hash: Some(casus_api::simulate::library_hash(&files)),
            };
            let rec = workdir::merge(dir, &info).map_err(s)?;
            let mut r = Report::default();
            r.heading.push(format!(
                "Merged {} rows from {} part(s) into {}; {} failed",
                rec.rows,
                rec.parts.len(),
                dir.join("results.parquet").display(),
                rec.failed
            ));
            let mut sec = Section::new("Unknown outcomes", &["outcome", "rows unknown"]);
            for (k, v) in &rec.unknown {
                sec.row(vec![k.clone(), v.to_string()]);
            }
            r.sections.push(sec);
            cx.print_report(&r, &serde_json::to_value(&rec)?)
        }
        SweepCommand::Baseline { dir } => {
            let plan = workdir::read_plan(dir).map_err(s)?;
            let lib = cx.library()?;
            let out = casus_api::sweep::baseline(&lib.library, &plan.scope, plan.samples as u64)?;
            let names: Vec<&str> = plan.scope.categorical().iter().map(|c| c.name.as_str()).collect();
            let mut cols: Vec<&str> = names.clone();
            cols.extend(plan.scope.outcomes.iter().map(|o| o.name.as_str()));
            let mut sec = Section::new(
                format!(
                    "{} trials per lever combination at the priors' stated values",
                    plan.samples as u64 * plan.scope.trials.unwrap_or(0)
                ),
                &cols,
            );
            let mut json = Vec::new();
            for (levers, values) in &out {
                let mut row = levers.clone();
                row.extend(values.iter().map(|v| format!("{v:.4}")));
                sec.row(row);
                json.push(serde_json::json!({
                    "levers": names.iter().zip(levers).collect::<std::collections::BTreeMap<_, _>>(),
                    "outcomes": plan.scope.outcomes.iter().map(|o| o.name.as_str()).zip(values.iter().map(|v| v.is_finite().then_some(*v))).collect::<std::collections::BTreeMap<_, _>>(),
                }));
            }
            let r = Report {
                sections: vec![sec],
                ..Report::default()
            };
            cx.print_report(&r, &serde_json::Value::Array(json))
        }
        SweepCommand::Sobol {
            dir,
            metric,
            resamples,
            confidence,
        } => {
            let (plan, rows) = workdir::read_results(dir).map_err(s)?;
            let out = sobol(&plan, &rows, metric, *resamples, *confidence).map_err(s)?;
            let mut r = Report::default();
            r.heading.push(format!(
                "Sobol indices of `{metric}` ({:.0}% bootstrap intervals, {resamples} resamples)",
                confidence * 100.0
            ));
            for (gi, g) in out.groups.iter().enumerate() {
                let name = group_name(&g.levers);
                let mut sec = Section::new(
                    format!(
                        "{name}: {} base points, variance {:.4}",
                        g.base_points, g.variance
                    ),
                    &["factor", "first-order", "interval", "total", "interval"],
                );
                for ix in &g.indices {
                    sec.row(vec![
                        ix.factor.clone(),
                        format!("{:.3}", ix.first),
                        format!("{:.3} – {:.3}", ix.first_low, ix.first_high),
                        format!("{:.3}", ix.total),
                        format!("{:.3} – {:.3}", ix.total_low, ix.total_high),
                    ]);
                }
                if g.left_out > 0 {
                    sec.notes.push(format!(
                        "{} base point(s) left out: the metric was unknown",
                        g.left_out
                    ));
                }
                let bars: Vec<(String, f64, f64, f64)> = g
                    .indices
                    .iter()
                    .map(|ix| (ix.factor.clone(), ix.total_low, ix.total, ix.total_high))
                    .collect();
                let svg = charts::intervals(
                    &format!("Total Sobol indices of {metric}: {name}"),
                    "total index (share of the variance a factor takes part in)",
                    &bars,
                )?;
                let path = dir.join(format!("sobol-{metric}-{gi}.svg"));
                cx.session.write_file(&path, svg.as_bytes())?;
                sec.notes.push(format!("chart: {}", path.display()));
                r.sections.push(sec);
            }
            cx.print_report(&r, &serde_json::to_value(&out)?)
        }
        SweepCommand::Discover {
            dir,
            metric,
            below,
            above,
            alpha,
            min_mass,
        } => {
            let threshold = match (below, above) {
                (Some(b), _) => Threshold::Below(*b),
                (None, Some(a)) => Threshold::Above(*a),
                (None, None) => bail!("give --below X or --above X"),
            };
            let (plan, rows) = workdir::read_results(dir).map_err(s)?;
            let out = discover(&plan, &rows, metric, threshold, *alpha, *min_mass).map_err(s)?;
            let mut r = Report::default();
            let what = match threshold {
                Threshold::Below(x) => format!("below {x}"),
                Threshold::Above(x) => format!("above {x}"),
            };
            r.heading
                .push(format!("Where `{metric}` falls {what} (PRIM, peeling {alpha})"));
            let mut curves = Vec::new();
            for g in &out.groups {
                let name = group_name(&g.levers);
                let d = &g.discovery;
                let mut sec = Section::new(
                    format!(
                        "{name}: {} of {} rows {what} (base density {:.2})",
                        d.cases, d.points, d.base_density
                    ),
                    &["factor", "from", "to", "whole range"],
                );
                if g.unknown > 0 {
                    sec.notes
                        .push(format!("{} row(s) left out: `{metric}` unknown", g.unknown));
                }
                if let Some(why) = &g.no_box {
                    sec.notes.push(format!("no box: {why}"));
                } else if let Some(step) = d.chosen_step() {
                    for l in &step.limits {
                        sec.row(vec![
                            l.factor.clone(),
                            format!("{:.4}", l.low),
                            format!("{:.4}", l.high),
                            format!("{:.4} – {:.4}", l.range_low, l.range_high),
                        ]);
                    }
                    sec.notes.push(format!(
                        "box of step {} of {}: coverage {:.2}, density {:.2}, {} rows ({:.0}% of all)",
                        step.step,
                        d.trajectory.len() - 1,
                        step.coverage,
                        step.density,
                        step.points,
                        step.mass * 100.0,
                    ));
                }
                let trajectory = trajectory_section(&name, g.no_box.is_some(), d, &mut sec);
                curves.push((
                    name.clone(),
                    d.trajectory
                        .iter()
                        .map(|s| (s.coverage, s.density, 0.0))
                        .collect::<Vec<_>>(),
                ));
                r.sections.push(sec);
                r.sections.extend(trajectory);
            }
            let svg = charts::curves(
                &format!("PRIM peeling trajectory: {metric} {what}"),
                &charts::Axes {
                    x: "coverage",
                    y: "density",
                },
                &curves,
                1.0,
            )?;
            let path = dir.join(format!("discover-{metric}.svg"));
            cx.session.write_file(&path, svg.as_bytes())?;
            r.heading.push(format!("chart: {}", path.display()));
            cx.print_report(&r, &serde_json::to_value(&out)?)
        }
    }
}

/// The peeling trajectory as people read it: with a box, a short table of its steps (the
/// first, a few between, the chosen one and the last); with none, one line from its first to
/// its last step. The chart draws every step.
fn trajectory_section(
    name: &str,
    no_box: bool,
    d: &casus_sweep::prim::Discovery,
    sec: &mut Section,
) -> Option<Section> {
    let (first, last) = (d.trajectory.first()?, d.trajectory.last()?);
    if d.trajectory.len() < 2 {
        return None;
    }
    let steps = d.trajectory.len() - 1;
    if no_box {
        sec.notes.push(format!(
            "peeling: {steps} steps, coverage/density {:.2}/{:.2} at the start to {:.2}/{:.2} at the end (the chart draws them)",
            first.coverage, first.density, last.coverage, last.density
        ));
        return None;
    }
    // About eight rows: every k-th step, and the chosen and last ones.
    let k = steps.div_ceil(6).max(1);
    let mut shown: Vec<usize> = (0..=steps).step_by(k).chain([d.chosen, steps]).collect();
    shown.sort_unstable();
    shown.dedup();
    let mut t = Section::new(
        format!("{name}: peeling trajectory ({steps} steps; some shown, the chart draws all)"),
        &["step", "coverage", "density", "rows", "factors limited", "box"],
    );
    for i in shown {
        let Some(s) = d.trajectory.get(i) else { continue };
        t.row(vec![
            s.step.to_string(),
            format!("{:.2}", s.coverage),
            format!("{:.2}", s.density),
            s.points.to_string(),
            s.limits.len().to_string(),
            if i == d.chosen {
                "← the box".to_string()
            } else {
                String::new()
            },
        ]);
    }
    Some(t)
}

#[derive(Serialize)]
struct PlanSummary {
    plan: String,
    scope: String,
    model: String,
    design: String,
    samples: usize,
    seed: u64,
    rows: usize,
    factors: Vec<String>,
    levers: std::collections::BTreeMap<String, Vec<String>>,
    outcomes: Vec<String>,
    /// Monte Carlo trials per row (models that simulate).
    trials: Option<u64>,
    /// The date the model runs on.
    date: Option<String>,
    /// Each uncertainty's range and where it comes from (`stated`: the prior's; `new`: the scope's).
    ranges: Vec<RangeView>,
}

#[derive(Serialize)]
struct RangeView {
    factor: String,
    prior: Option<String>,
    low: f64,
    high: f64,
    range: String,
}

/// A built-in scope by name, or a scope file.
fn load_scope(cx: &Cx, which: &str) -> Result<Scope> {
    let file = match casus_api::sweep::builtin_scope(which) {
        Some(f) => f,
        None if Path::new(which).is_file() => cx.session.read_text(Path::new(which))?,
        None => bail!(
            "no scope `{which}`: give a built-in scope ({}) or a scope file",
            casus_api::sweep::builtin_names().join(", ")
        ),
    };
    Scope::parse(&file).map_err(|errors| {
        let mut text = String::new();
        for d in &errors {
            text.push_str(&casus_render::diagnostics::render(d, std::slice::from_ref(&file)));
        }
        anyhow!("{text}the scope has {} error(s)", errors.len())
    })
}

fn group_name(levers: &std::collections::BTreeMap<String, String>) -> String {
    if levers.is_empty() {
        "all rows".into()
    } else {
        levers
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
