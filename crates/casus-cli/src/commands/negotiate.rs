//! `casus negotiate`: the bargaining space of a settlement and where talks would drift.
//! Reads flags, has the session read the file (or takes the built-in scenario), calls
//! `casus_api::negotiate`, prints; `--out DIR` writes SVG charts through the session's
//! output folder (whole or nothing, with a manifest, never over the user's files).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use casus_api::negotiate::{self as api, ModelChoice, NegotiateRequest, NegotiateResult};
use casus_negotiate::{space, Issue};
use casus_session::outdir::safe_name;
use plotters::prelude::*;

use crate::cx::Cx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelArg {
    Compromise,
    Nash,
    Eum,
    All,
}

#[derive(clap::Args)]
pub struct NegotiateArgs {
    /// `ukraine` (built in), a CSV of one issue (actor,capability,position,salience[,red_line]), a TOML scenario, or the DEU III file (deu3.csv).
    pub which: String,
    /// Which model to run.
    #[arg(long, value_enum, default_value_t = ModelArg::All)]
    pub model: ModelArg,
    /// Rounds of the expected utility model (at most 1,000,000; a run that settles or cycles is reported as such).
    #[arg(long, default_value_t = 10)]
    pub rounds: usize,
    /// Reading of the expected utility model: `scholz` (reproduces the published rounds) or `paper` (printed formulas).
    #[arg(long, default_value = "scholz")]
    pub settings: String,
    /// Grid values per issue for packages across issues (at most 2,000,000 packages in all).
    #[arg(long, default_value_t = 6)]
    pub steps: usize,
    /// Write charts (positions by round, the frontier) as SVG into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// With --out: replace files in DIR that casus did not write.
    #[arg(long)]
    pub force: bool,
}

pub fn run(cx: &Cx, args: &NegotiateArgs) -> Result<ExitCode> {
    let req = NegotiateRequest {
        which: args.which.clone(),
        model: match args.model {
            ModelArg::Compromise => ModelChoice::Compromise,
            ModelArg::Nash => ModelChoice::Nash,
            ModelArg::Eum => ModelChoice::Eum,
            ModelArg::All => ModelChoice::All,
        },
        rounds: Some(args.rounds),
        settings: Some(args.settings.clone()),
        steps: Some(args.steps),
    };
    let file = match api::builtin(&args.which) {
        Some(f) => f,
        None if Path::new(&args.which).is_file() => cx.session.read_text(Path::new(&args.which))?,
        None => return Err(api::not_found(&args.which).into()),
    };
    let (input, diags) = api::read(&file);
    let files = [file.clone()];
    for d in &diags {
        eprint!("{}", casus_render::diagnostics::render(d, &files));
    }
    let Some(input) = input else {
        bail!("{} has errors", file.path);
    };
    let mut answer = api::negotiate(&req, &file, input)?;
    if let (Some(dir), NegotiateResult::Scenario(n)) = (&args.out, &answer.data) {
        let mut out = cx.session.output_dir(dir, args.force)?;
        for (issue, positions, medians) in &n.charts.rounds {
            out.write(
                &safe_name("rounds-", &issue.id, ".svg")?,
                chart_rounds(issue, positions, medians)?.as_bytes(),
            )?;
        }
        if let Some(svg) = n.charts.space.as_ref().map(chart_frontier).transpose()?.flatten() {
            out.write("frontier.svg", svg.as_bytes())?;
        }
        out.commit()?;
        answer
            .report
            .heading
            .push(format!("charts written to {}", dir.display()));
    }
    cx.print_streamed(&answer)
}

const COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

fn chart_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("chart: {e:?}")
}

fn chart_rounds(issue: &Issue, positions: &[Vec<f64>], medians: &[f64]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_err)?;
        let rounds = positions.len().saturating_sub(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: positions by round (expected utility model)", issue.name),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..rounds, issue.lo..issue.hi)
            .map_err(chart_err)?;
        chart
            .configure_mesh()
            .x_desc("round")
            .y_desc("position")
            .draw()
            .map_err(chart_err)?;
        for (k, s) in issue.stakes.iter().enumerate() {
            let c = COLOURS[k % COLOURS.len()];
            chart
                .draw_series(LineSeries::new(
                    positions.iter().enumerate().map(|(t, p)| (t as f64, p[k])),
                    c.stroke_width(2),
                ))
                .map_err(chart_err)?
                .label(s.actor.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
        }
        chart
            .draw_series(LineSeries::new(
                medians.iter().enumerate().map(|(t, m)| (t as f64, *m)),
                BLACK.stroke_width(3),
            ))
            .map_err(chart_err)?
            .label("weighted median")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(3)));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(chart_err)?;
        root.present().map_err(chart_err)?;
    }
    Ok(svg)
}

fn chart_frontier(sp: &space::Space) -> Result<Option<String>> {
    if sp.parties.len() < 2 {
        return Ok(None);
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (620, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "Pareto frontier: u({}) against u({})",
                    sp.parties[0], sp.parties[1]
                ),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..1f64, 0f64..1f64)
            .map_err(chart_err)?;
        chart
            .configure_mesh()
            .x_desc(format!("u({})", sp.parties[0]))
            .y_desc(format!("u({})", sp.parties[1]))
            .draw()
            .map_err(chart_err)?;
        let mut free: Vec<(f64, f64)> = sp
            .frontier_without_red_lines
            .iter()
            .map(|p| (p.utilities[0], p.utilities[1]))
            .collect();
        free.sort_by(|a, b| a.0.total_cmp(&b.0));
        chart
            .draw_series(LineSeries::new(free.iter().copied(), COLOURS[0].stroke_width(2)))
            .map_err(chart_err)?
            .label("frontier without red lines")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], COLOURS[0].stroke_width(2)));
        chart
            .draw_series(
                sp.frontier
                    .iter()
                    .map(|p| Circle::new((p.utilities[0], p.utilities[1]), 4, COLOURS[2].filled())),
            )
            .map_err(chart_err)?
            .label("frontier within red lines")
            .legend(|(x, y)| Circle::new((x + 8, y), 4, COLOURS[2].filled()));
        let d = (sp.disagreement[0], sp.disagreement[1]);
        chart
            .draw_series([Cross::new(d, 6, COLOURS[3].stroke_width(2))])
            .map_err(chart_err)?
            .label("no agreement")
            .legend(|(x, y)| Cross::new((x + 8, y), 5, COLOURS[3].stroke_width(2)));
        if let Some(n) = sp.nash.as_ref().or(sp.nash_without_red_lines.as_ref()) {
            chart
                .draw_series([TriangleMarker::new(
                    (n.utilities[0], n.utilities[1]),
                    7,
                    BLACK.filled(),
                )])
                .map_err(chart_err)?
                .label("Nash package")
                .legend(|(x, y)| TriangleMarker::new((x + 8, y), 5, BLACK.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(chart_err)?;
        root.present().map_err(chart_err)?;
    }
    Ok(Some(svg))
}
