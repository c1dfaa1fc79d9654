//! `casus simulate` and `casus assess`: run the credibility model and show what each
//! guarantee design would deliver, with Monte Carlo errors, a report and charts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use casus_model::*;
use casus_sim::sensitivity::{sensitivity, Sensitivity};
use casus_sim::summary::Summary;
use casus_sim::{prepare, run, summarise, Prepared, Priors, RunConfig};
use chrono::{Datelike, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};

use casus_render::charts;
use casus_render::Format;

use super::trials_out;
use super::{Report, Section};

#[derive(clap::Args, Clone)]
pub struct SimArgs {
    /// Trials per option (default: as many as --precision needs).
    #[arg(long)]
    pub trials: Option<u64>,
    /// Run until every reported probability's standard error is at most this.
    #[arg(long, default_value_t = 0.005)]
    pub precision: f64,
    /// Fixes every random result, whatever the thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// COW National Material Capabilities CSV (ccode, year, cinc) for committed capability;
    /// default: the file named by $CASUS_NMC, if set.
    #[arg(long, value_name = "CSV")]
    pub capabilities: Option<PathBuf>,
    /// Write the report, charts, summary.json and per-trial results (CSV, Parquet) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl SimArgs {
    fn config(&self, keep_trials: bool) -> Result<RunConfig> {
        if !(self.precision > 0.0 && self.precision < 0.5) {
            return Err(anyhow!(
                "--precision: give a standard error between 0 and 0.5, e.g. 0.005"
            ));
        }
        if self.trials == Some(0) {
            return Err(anyhow!("--trials: at least one trial"));
        }
        let threads = self
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        if threads == 0 || threads > 1024 {
            return Err(anyhow!("--threads: between 1 and 1024"));
        }
        Ok(RunConfig {
            trials: self.trials,
            precision: self.precision,
            max_trials: 10_000_000,
            seed: self.seed,
            threads,
            keep_trials,
        })
    }

    fn capabilities_path(&self) -> Option<PathBuf> {
        self.capabilities
            .clone()
            .or_else(|| casus_session::Env::from_process().nmc)
    }
}

/// Scores per actor from an NMC file, and a description for headers.
struct Capabilities {
    scores: Option<(BTreeMap<u16, f64>, i32)>,
    label: String,
}

impl Capabilities {
    fn load(path: Option<PathBuf>, date: NaiveDate) -> Result<Self> {
        match path {
            Some(p) => {
                let text =
                    std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
                let file = casus_syntax::SourceFile::new(p.display().to_string(), text);
                let c = casus_api::capabilities::parse_nmc(&file, date.year())?;
                let (map, year) = (c.cinc, c.year);
                Ok(Self {
                    label: format!("CINC from {} (year {year})", p.display()),
                    scores: Some((map, year)),
                })
            }
            None => Ok(Self {
                scores: None,
                label: "unknown (give --capabilities with a COW NMC file, or set CASUS_NMC)".into(),
            }),
        }
    }

    fn score(&self, lib: &Library, a: ActorId, date: NaiveDate) -> Option<f64> {
        let (map, _) = self.scores.as_ref()?;
        map.get(&lib.cow_code(a, date)?).copied()
    }
}

fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

fn est(e: &casus_sim::Estimate) -> Value {
    json!({"estimate": e.estimate, "stderr": e.stderr})
}

fn cell(e: &casus_sim::Estimate) -> String {
    if e.estimate.is_nan() {
        "—".into()
    } else {
        format!("{:.3} ± {:.3}", e.estimate, e.stderr)
    }
}

/// FNV-1a over every file's path and text: identifies the library a result came from.
pub fn library_hash(files: &[casus_syntax::SourceFile]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        for b in f.path.bytes().chain([0]).chain(f.text.bytes()).chain([0]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn metrics_json(s: &Summary, independent: Option<&Summary>) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("p_any_military_response".into(), est(&s.p_any_military_response));
    m.insert(
        "p_nuclear_guarantor_response".into(),
        est(&s.p_nuclear_guarantor_response),
    );
    m.insert(
        "p_military_within_7_days".into(),
        est(&s.p_military_within_7_days),
    );
    m.insert(
        "p_military_within_30_days".into(),
        est(&s.p_military_within_30_days),
    );
    m.insert("p_any_support".into(), est(&s.p_any_support));
    m.insert("p_any_response".into(), est(&s.p_any_response));
    if let Some(c) = &s.capability {
        m.insert("capability_ratio_p05".into(), est(&c.p05));
        m.insert("capability_ratio_median".into(), est(&c.p50));
        m.insert("capability_ratio_p95".into(), est(&c.p95));
        m.insert("capability_ratio_mean".into(), est(&c.mean));
        m.insert(
            "p_capability_at_least_attackers".into(),
            est(&c.p_exceeds_attacker),
        );
    }
    if let Some(i) = independent {
        m.insert(
            "p_any_military_response_independent".into(),
            est(&i.p_any_military_response),
        );
    }
    m
}

fn guarantors_json(lib: &Library, p: &Prepared, s: &Summary) -> Value {
    Value::Array(
        p.guarantors
            .iter()
            .zip(&s.guarantors)
            .map(|(g, gs)| {
                let c = lib.commitment(g.commitment);
                json!({
                    "actor": lib.actor(g.actor).id,
                    "commitment": c.id,
                    "clause": c.clauses[g.clause].id,
                    "strength": g.strength,
                    "p_honour": g.p_honour,
                    "effects": g.effects.iter().map(|(k, v)| json!({"parameter": k, "log_odds": v})).collect::<Vec<_>>(),
                    "domestic_requirement": g.requirement,
                    "p_approve": g.p_approve,
                    "waits_for": gs.waits_for,
                    "tripwire": g.tripwire,
                    "nuclear_armed": g.nuclear,
                    "capability_committed": g.capability,
                    "p_responds": est(&gs.p_responds),
                })
            })
            .collect(),
    )
}

fn guarantor_section(lib: &Library, title: String, p: &Prepared, s: &Summary) -> Section {
    let mut t = Section::new(
        title,
        &[
            "guarantor",
            "obligation",
            "P(honour)",
            "approval",
            "waits for",
            "forces there",
            "P(responds)",
        ],
    );
    for (g, gs) in p.guarantors.iter().zip(&s.guarantors) {
        let c = lib.commitment(g.commitment);
        t.row(vec![
            format!(
                "{}{}",
                lib.actor(g.actor).id,
                if g.nuclear { " (nuclear)" } else { "" }
            ),
            format!("{}/{} ({})", c.id, c.clauses[g.clause].id, g.strength),
            format!("{:.2}", g.p_honour),
            if g.p_approve < 1.0 {
                format!(
                    "{} ({:.2})",
                    g.requirement.as_str().replace('_', " "),
                    g.p_approve
                )
            } else {
                "—".into()
            },
            gs.waits_for.clone().unwrap_or_else(|| "—".into()),
            if g.tripwire { "yes".into() } else { "—".into() },
            cell(&gs.p_responds),
        ]);
    }
    if p.guarantors.is_empty() {
        t.notes
            .push("  No obligation is triggered: nobody is bound to respond.".into());
    }
    t
}

fn parameter_section(priors: &Priors, lib: &Library) -> (Section, Value) {
    let mut t = Section::new(
        "Parameters (each a cited fact or a labelled assumption)",
        &["parameter", "value", "range", "basis"],
    );
    let mut j = Vec::new();
    for p in priors.global().iter().chain(priors.per_actor()) {
        let (kind, text) = casus_sim::priors::provenance_label(p);
        let id = match p.actor {
            Some(a) => format!("{} [{}]", p.id, lib.actor(a).id),
            None => p.id.clone(),
        };
        let range = match (p.low, p.high) {
            (Some(l), Some(h)) => format!("{l} – {h}"),
            _ => "—".into(),
        };
        let short: String = text.chars().take(90).collect();
        t.row(vec![
            id.clone(),
            format!("{}", p.value),
            range,
            format!(
                "{kind}: {short}{}",
                if text.chars().count() > 90 { "…" } else { "" }
            ),
        ]);
        j.push(json!({"id": p.id, "actor": p.actor.map(|a| lib.actor(a).id.clone()), "value": p.value, "low": p.low, "high": p.high, kind: text, "defined_at": p.location}));
    }
    (t, Value::Array(j))
}

pub fn simulate(
    lib: &Library,
    files: &[casus_syntax::SourceFile],
    event: &Event,
    args: &SimArgs,
) -> Result<Report> {
    let priors = Priors::new(&lib.parameters, &[]).map_err(|e| anyhow!(e))?;
    let caps = Capabilities::load(args.capabilities_path(), event.date)?;
    let cfg = args.config(args.out.is_some())?;
    let prepared = prepare(lib, event, &[], &priors, &|a| caps.score(lib, a, event.date));
    let bar = progress_bar(cfg.trials.unwrap_or(0), "simulating");
    let runs = run(std::slice::from_ref(&prepared), &cfg, &mut |done, planned| {
        bar.set_length(if cfg.trials.is_some() { planned } else { done });
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let s = summarise(&prepared, &runs[0]);
    let header = vec![
        format!(
            "{} attacks {} on {}: response of the library as it stands",
            lib.actor(event.attacker).id,
            lib.actor(event.target).id,
            event.date
        ),
        format!(
            "casus {} · library {} · seed {} · {} trials · capability: {}",
            env!("CARGO_PKG_VERSION"),
            library_hash(files),
            cfg.seed,
            s.trials,
            caps.label
        ),
    ];
    let mut m = Section::new("Response", &["metric", "estimate ± standard error"]);
    for (k, v) in metrics_json(&s, None) {
        let e = v.get("estimate").and_then(Value::as_f64).unwrap_or(f64::NAN);
        let se = v.get("stderr").and_then(Value::as_f64).unwrap_or(f64::NAN);
        m.row(vec![k, format!("{e:.4} ± {se:.4}")]);
    }
    let g = guarantor_section(lib, "Guarantors".into(), &prepared, &s);
    let json = json!({
        "event": serde_json::to_value(casus_api::obligations::EventView::new(lib, event))?,
        "header": {"version": env!("CARGO_PKG_VERSION"), "library": library_hash(files), "seed": cfg.seed, "threads": cfg.threads, "trials": s.trials, "capabilities": caps.label},
        "metrics": metrics_json(&s, None),
        "guarantors": guarantors_json(lib, &prepared, &s),
    });
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
        std::fs::write(dir.join("summary.json"), serde_json::to_string_pretty(&json)?)?;
        let rows = vec![("library".to_string(), runs[0].records.clone())];
        trials_out::write_csv(&dir.join("trials.csv"), &rows)?;
        trials_out::write_parquet(&dir.join("trials.parquet"), &rows)?;
    }
    Ok(Report {
        heading: header,
        sections: vec![m, g],
        json,
    })
}

pub fn assess(
    lib: &Library,
    files: &[casus_syntax::SourceFile],
    which: &str,
    date: NaiveDate,
    args: &SimArgs,
    want_sensitivity: bool,
) -> Result<Report> {
    let a = find_assessment(lib, which)?;
    let event = a.event.on(a.event.date.unwrap_or(date));
    let date = event.date;
    let priors = Priors::new(&lib.parameters, &a.parameters).map_err(|e| anyhow!(e))?;
    let caps = Capabilities::load(args.capabilities_path(), date)?;
    let cfg = args.config(args.out.is_some())?;
    let variants: Vec<Library> = a.options.iter().map(|o| lib.variant(o, date)).collect();
    let prepare_all = |p: &Priors| -> Vec<Prepared> {
        a.options
            .iter()
            .zip(&variants)
            .map(|(o, v)| prepare(v, &event, &o.forces, p, &|x| caps.score(v, x, date)))
            .collect()
    };
    let prepared = prepare_all(&priors);
    let bar = progress_bar(cfg.trials.unwrap_or(0), "simulating");
    let mut tick = |done: u64, planned: u64| {
        bar.set_length(if cfg.trials.is_some() { planned } else { done });
        bar.set_position(done);
    };
    let runs = run(&prepared, &cfg, &mut tick);
    let summaries: Vec<Summary> = prepared.iter().zip(&runs).map(|(p, r)| summarise(p, r)).collect();
    // The common shock's effect: the same options with independent guarantors.
    let independent_priors = priors.with("honour.common_shock", 0.0);
    let independent_prepared = prepare_all(&independent_priors);
    let trials_used = summaries.first().map_or(0, |s| s.trials);
    let fixed = RunConfig {
        trials: Some(trials_used.max(1)),
        keep_trials: false,
        ..cfg.clone()
    };
    let independent: Vec<Summary> = independent_prepared
        .iter()
        .zip(run(&independent_prepared, &fixed, &mut |_, _| {}))
        .map(|(p, r)| summarise(p, &r))
        .collect();
    bar.finish_and_clear();
    let sens: Option<Sensitivity> = if want_sensitivity {
        let scfg = RunConfig {
            trials: Some(trials_used.clamp(1, 16_384)),
            keep_trials: false,
            ..cfg.clone()
        };
        let bar = progress_bar(priors.ranged().count() as u64 + 1, "sensitivity");
        let s = sensitivity(&prepare_all, &priors, &scfg, &mut |i, n| {
            bar.set_length(n as u64);
            bar.set_position(i as u64);
        });
        bar.finish_and_clear();
        Some(s)
    } else {
        None
    };

    // Tables.
    let ids: Vec<&str> = a.options.iter().map(|o| o.id.as_str()).collect();
    let mut headers = vec!["metric"];
    headers.extend(ids.iter().copied());
    let mut table = Section::new(
        "Options side by side (estimate ± Monte Carlo standard error)",
        &headers,
    );
    let mut add = |label: &str, f: &dyn Fn(usize) -> String| {
        let mut row = vec![label.to_string()];
        row.extend((0..summaries.len()).map(f));
        table.row(row);
    };
    add("P(any military response)", &|i| {
        cell(&summaries[i].p_any_military_response)
    });
    add("  … with independent guarantors (no common shock)", &|i| {
        cell(&independent[i].p_any_military_response)
    });
    add("P(response by a nuclear-armed guarantor)", &|i| {
        cell(&summaries[i].p_nuclear_guarantor_response)
    });
    add("P(military response within 7 days)", &|i| {
        cell(&summaries[i].p_military_within_7_days)
    });
    add("P(military response within 30 days)", &|i| {
        cell(&summaries[i].p_military_within_30_days)
    });
    add("P(any support: aid or more)", &|i| {
        cell(&summaries[i].p_any_support)
    });
    add("P(any response, consultation included)", &|i| {
        cell(&summaries[i].p_any_response)
    });
    add(
        "committed capability / attacker's: median [5%, 95%]",
        &|i| match &summaries[i].capability {
            Some(c) => format!(
                "{:.3} [{:.3}, {:.3}]",
                c.p50.estimate, c.p05.estimate, c.p95.estimate
            ),
            None => "unknown".into(),
        },
    );
    add("P(committed capability ≥ attacker's)", &|i| {
        summaries[i]
            .capability
            .as_ref()
            .map_or("unknown".into(), |c| cell(&c.p_exceeds_attacker))
    });
    add("guarantors bound (of which to use force)", &|i| {
        format!("{} ({})", prepared[i].obligors(), prepared[i].military_obligors())
    });
    table.notes.push(format!(
        "Options: {}",
        a.options
            .iter()
            .map(|o| format!("{} = {}", o.id, o.label))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    let mut sections = vec![table];
    for (i, o) in a.options.iter().enumerate() {
        let mut s = guarantor_section(
            &variants[i],
            format!("{}: {}", o.id, o.label),
            &prepared[i],
            &summaries[i],
        );
        if let Some(n) = &o.note {
            s.notes.push(format!("  {n}"));
        }
        sections.push(s);
    }
    let sens_json = sens.as_ref().map(|s| {
        let mut t = Section::new(format!("Sensitivity: P(any military response) with each parameter at the ends of its range ({} trials each)", s.trials), &["parameter", "range"]);
        t.headers.extend(ids.iter().map(|i| i.to_string()));
        for r in s.rows.iter().take(12) {
            let mut row = vec![r.parameter.clone(), format!("{} – {}", r.low, r.high)];
            row.extend(r.at_low.iter().zip(&r.at_high).map(|(l, h)| format!("{l:.3} – {h:.3}")));
            t.row(row);
        }
        sections.push(t);
        serde_json::to_value(s).unwrap_or(Value::Null)
    });
    let (params, params_json) = parameter_section(&priors, lib);
    sections.push(params);

    let header = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "library": library_hash(files),
        "assessment_file": a.path,
        "date": date.to_string(),
        "seed": cfg.seed,
        "threads": cfg.threads,
        "trials_per_option": trials_used,
        "precision": if cfg.trials.is_some() { Value::Null } else { json!(cfg.precision) },
        "capabilities": caps.label,
    });
    let options_json: Vec<Value> = a
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut m = serde_json::Map::new();
            m.insert("id".into(), json!(o.id));
            for (k, v) in metrics_json(&summaries[i], Some(&independent[i])) {
                m.insert(k, v);
            }
            m.insert("label".into(), json!(o.label));
            m.insert("guarantors_bound".into(), json!(prepared[i].obligors()));
            m.insert(
                "guarantors_bound_to_use_force".into(),
                json!(prepared[i].military_obligors()),
            );
            m.insert(
                "response_curve".into(),
                Value::Array(summaries[i].response_curve.iter().map(est).collect()),
            );
            m.insert(
                "guarantors".into(),
                guarantors_json(&variants[i], &prepared[i], &summaries[i]),
            );
            Value::Object(m)
        })
        .collect();
    let json = json!({
        "assessment": {"id": a.id, "title": a.title, "question": a.question},
        "header": header,
        "event": serde_json::to_value(casus_api::obligations::EventView::new(lib, &event))?,
        "options": options_json,
        "sensitivity": sens_json,
        "parameters": params_json,
    });
    let heading = vec![
        a.title.clone(),
        a.question.clone().unwrap_or_default(),
        format!(
            "Event: {} attacks {} on {} ({}, {})",
            lib.actor(event.attacker).id,
            lib.actor(event.target).id,
            date,
            event.kind,
            event.severity
        ),
        format!(
            "casus {} · library {} · seed {} · {} threads · {} trials per option · capability: {}",
            env!("CARGO_PKG_VERSION"),
            library_hash(files),
            cfg.seed,
            cfg.threads,
            trials_used,
            caps.label
        ),
    ];
    let report = Report {
        heading,
        sections,
        json,
    };
    if let Some(dir) = &args.out {
        write_outputs(dir, &report, a, &summaries, sens.as_ref(), &runs)?;
    }
    Ok(report)
}

fn find_assessment<'a>(lib: &'a Library, which: &str) -> Result<&'a Assessment> {
    if let Some(a) = lib.assessments.iter().find(|a| a.id == which) {
        return Ok(a);
    }
    // A file given on the command line: the assessment it defines.
    let as_path = Path::new(which).display().to_string();
    if let Some(a) = lib.assessments.iter().find(|a| a.path == as_path) {
        return Ok(a);
    }
    let sugg = casus_syntax::did_you_mean(which, lib.assessments.iter().map(|a| a.id.as_str()));
    let names: Vec<&str> = lib.assessments.iter().map(|a| a.id.as_str()).collect();
    Err(anyhow!(
        "no assessment `{which}`{}; the library has: {} (or give a file with an [assessment])",
        sugg.first()
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default(),
        names.join(", ")
    ))
}

fn write_outputs(
    dir: &Path,
    report: &Report,
    a: &Assessment,
    summaries: &[Summary],
    sens: Option<&Sensitivity>,
    runs: &[casus_sim::OptionRun],
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    let labels: Vec<String> = a.options.iter().map(|o| o.id.clone()).collect();
    let curve: Vec<charts::Curve> = summaries
        .iter()
        .zip(&labels)
        .map(|(s, l)| {
            (
                l.clone(),
                s.response_curve
                    .iter()
                    .enumerate()
                    .take(91)
                    .map(|(d, e)| (d as f64, e.estimate, e.stderr))
                    .collect(),
            )
        })
        .collect();
    let axes = charts::Axes {
        x: "days after the attack",
        y: "P(military response has arrived)",
    };
    std::fs::write(
        dir.join("response-over-time.svg"),
        charts::curves(
            "Probability that a military response has arrived",
            &axes,
            &curve,
            90.0,
        )?,
    )?;
    let mut images = vec![(
        "Probability of a military response over time (±2 standard errors)",
        "response-over-time.svg".to_string(),
    )];
    let caps: Vec<(String, f64, f64, f64)> = summaries
        .iter()
        .zip(&labels)
        .filter_map(|(s, l)| {
            s.capability
                .as_ref()
                .map(|c| (l.clone(), c.p05.estimate, c.p50.estimate, c.p95.estimate))
        })
        .collect();
    if !caps.is_empty() {
        std::fs::write(
            dir.join("capability.svg"),
            charts::capability(
                "Committed capability against the attacker's (5%–95%, median)",
                &caps,
            )?,
        )?;
        images.push((
            "Committed capability relative to the attacker's",
            "capability.svg".to_string(),
        ));
    }
    if let Some(s) = sens {
        for (i, l) in labels.iter().enumerate() {
            // Options that bind nobody to use force are read on P(any support) instead.
            let military = summaries[i].guarantors.iter().any(|g| g.military);
            let (metric, base) = if military {
                ("P(any military response)", s.base[i].estimate)
            } else {
                ("P(any support: aid or more)", s.support_base[i].estimate)
            };
            let mut rows: Vec<(String, f64, f64)> = s
                .rows
                .iter()
                .map(|r| {
                    if military {
                        (r.parameter.clone(), r.at_low[i], r.at_high[i])
                    } else {
                        (r.parameter.clone(), r.support_at_low[i], r.support_at_high[i])
                    }
                })
                .filter(|r| (r.1 - r.2).abs() > 1e-12)
                .collect();
            rows.sort_by(|a, b| {
                (b.1 - b.2)
                    .abs()
                    .total_cmp(&(a.1 - a.2).abs())
                    .then_with(|| a.0.cmp(&b.0))
            });
            rows.truncate(12);
            let name = format!("sensitivity-{l}.svg");
            std::fs::write(
                dir.join(&name),
                charts::tornado(&format!("Sensitivity of {metric}: {l}"), metric, base, &rows)?,
            )?;
            images.push(("Sensitivity (tornado)", name));
        }
    }
    let people = casus_render::Report {
        heading: report.heading.clone(),
        sections: report.sections.clone(),
        records: None,
    };
    let mut md = casus_render::render(
        &people,
        &report.json,
        Format::Markdown,
        casus_render::Layout::default(),
    );
    md.push_str("## Charts\n\n");
    for (title, file) in &images {
        md.push_str(&format!("### {title}\n\n![{title}]({file})\n\n"));
    }
    md.push_str("## How to read this\n\nEach probability is a Monte Carlo estimate with its standard error. The model (docs/credibility.md) turns each triggered obligation into a probabilistic response: whether the guarantor honours it (a logistic model of the base rate and the effects listed under Parameters, correlated across guarantors by a common shock), whether any domestic approval it needs comes, what its decision rule waits for, how long it takes to decide and arrive, and what it commits. Every parameter is a cited fact or a labelled assumption. Per-trial results are in trials.csv and trials.parquet.\n");
    std::fs::write(dir.join("report.md"), md)?;
    std::fs::write(
        dir.join("summary.json"),
        serde_json::to_string_pretty(&report.json)?,
    )?;
    let rows: Vec<(String, Vec<casus_sim::TrialRecord>)> = labels
        .iter()
        .cloned()
        .zip(runs.iter().map(|r| r.records.clone()))
        .collect();
    trials_out::write_csv(&dir.join("trials.csv"), &rows)?;
    trials_out::write_parquet(&dir.join("trials.parquet"), &rows)?;
    Ok(())
}
