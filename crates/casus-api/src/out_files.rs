//! The files an `--out DIR` run writes beside the per-trial files, as (file name, text): the
//! command line and Python write the same ones through the session's output folder.

use casus_render::{charts, Format};
use casus_syntax::Diagnostic;

use crate::assess::{AssessArtifacts, Assessed};
use crate::simulate::Simulation;
use crate::{Answer, Result};

fn chart(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::plain(format!("drawing a chart: {e}"))
}

/// JSON as the files carry it: pretty, as `--format json` prints it.
fn pretty(v: &serde_json::Value) -> String {
    // A `Value` always serialises.
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// What `casus simulate --out DIR` (and `casus.simulate(out=DIR)`) writes beside the
/// per-trial files: summary.json.
pub fn simulate(answer: &Answer<Simulation>) -> Vec<(String, String)> {
    vec![("summary.json".into(), pretty(&answer.json()))]
}

/// What `casus assess --out DIR` (and `casus.assess(out=DIR)`) writes beside the per-trial
/// files: the report as Markdown with its charts, and summary.json, as (file name, text).
pub fn assess(answer: &Answer<Assessed>, art: &AssessArtifacts) -> Result<Vec<(String, String)>> {
    let mut files: Vec<(String, String)> = Vec::new();
    let mut write = |name: &str, text: &str| -> Result<()> {
        files.push((name.to_string(), text.to_string()));
        Ok(())
    };
    let labels = &art.option_ids;
    let curve: Vec<charts::Curve> = art
        .summaries
        .iter()
        .zip(labels)
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
    write(
        "response-over-time.svg",
        &charts::curves(
            "Probability that a military response has arrived, by option",
            &axes,
            &curve,
            90.0,
        )
        .map_err(chart)?,
    )?;
    let mut images: Vec<(String, String)> = vec![(
        "Probability of a military response over time, by option (±2 standard errors)".into(),
        "response-over-time.svg".into(),
    )];
    let mut notes: Vec<String> = Vec::new();
    let caps: Vec<(String, f64, f64, f64)> = art
        .summaries
        .iter()
        .zip(labels)
        .filter_map(|(s, l)| {
            s.capability
                .as_ref()
                .map(|c| (l.clone(), c.p05.estimate, c.p50.estimate, c.p95.estimate))
        })
        .collect();
    if !caps.is_empty() {
        write(
            "capability.svg",
            &charts::capability(
                "Committed capability against the attacker's, by option (5%–95%, median)",
                &caps,
            )
            .map_err(chart)?,
        )?;
        images.push((
            "Committed capability relative to the attacker's, by option".into(),
            "capability.svg".into(),
        ));
    }
    if let Some(s) = &art.sensitivity {
        for (i, l) in labels.iter().enumerate() {
            // Options that bind nobody to use force are read on P(any support) instead.
            let military = art.military[i];
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
            if rows.is_empty() {
                notes.push(format!(
                    "No sensitivity for {l}: {metric} is {base:.3} under every prior value."
                ));
                continue;
            }
            rows.sort_by(|a, b| {
                (b.1 - b.2)
                    .abs()
                    .total_cmp(&(a.1 - a.2).abs())
                    .then_with(|| a.0.cmp(&b.0))
            });
            rows.truncate(12);
            let name = format!("sensitivity-{l}.svg");
            write(
                &name,
                &charts::tornado(&format!("Sensitivity of {metric}: {l}"), metric, base, &rows)
                    .map_err(chart)?,
            )?;
            images.push((format!("Sensitivity of {metric} for {l}"), name));
        }
    }
    let json = answer.json();
    let mut md = casus_render::render(
        &answer.report,
        &json,
        Format::Markdown,
        casus_render::Layout::default(),
    );
    md.push_str("## Charts\n\n");
    for (title, file) in &images {
        md.push_str(&format!("### {title}\n\n![{title}]({file})\n\n"));
    }
    for n in &notes {
        md.push_str(&format!("{n}\n\n"));
    }
    md.push_str("## How to read this\n\nEach figure is the model's estimate at the priors' stated values, then in brackets the 5th–95th percentile band over joint draws of the priors (read it first: it is what the priors' uncertainty allows), then the Monte Carlo standard error. The model (docs/credibility.md) turns each triggered obligation into a probabilistic response: whether the guarantor honours it (a logistic model of the base rate and the effects listed under Parameters, some of them the guarantor's own — capability, major-power status, distance — correlated across guarantors by a common shock), whether any domestic approval it needs comes, what its decision rule waits for, how long it takes to decide and arrive, and what it commits. Every parameter is a cited fact or a labelled assumption. Per-trial results are in trials.csv and trials.parquet.\n");
    write("report.md", &md)?;
    write("summary.json", &pretty(&json))?;
    Ok(files)
}
