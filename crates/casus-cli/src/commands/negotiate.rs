//! `casus negotiate`: the bargaining space of a settlement and where talks would drift.
//! Reads flags, has the session read the file (or takes the built-in scenario), calls
//! `casus_api::negotiate`, prints; `--out DIR` writes SVG charts through the session's
//! output folder (whole or nothing, with a manifest, never over the user's files).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use casus_api::negotiate::{self as api, ModelChoice, NegotiateRequest, NegotiateResult};
use casus_negotiate::{space, Issue};
use casus_render::charts;
use casus_session::outdir::safe_name;

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

/// Each actor's position by round and the weighted median, as the render crate draws them.
fn chart_rounds(issue: &Issue, positions: &[Vec<f64>], medians: &[f64]) -> Result<String> {
    let series: Vec<(String, Vec<f64>)> = issue
        .stakes
        .iter()
        .enumerate()
        .map(|(k, s)| (s.actor.clone(), positions.iter().map(|p| p[k]).collect()))
        .collect();
    Ok(charts::rounds(
        &format!("{}: positions by round (expected utility model)", issue.name),
        (issue.lo, issue.hi),
        &series,
        ("weighted median", medians),
    )?)
}

/// The first two parties' frontiers, with and without red lines, and the Nash package.
fn chart_frontier(sp: &space::Space) -> Result<Option<String>> {
    if sp.parties.len() < 2 {
        return Ok(None);
    }
    let points = |ps: &[space::Package]| ps.iter().map(|p| (p.utilities[0], p.utilities[1])).collect();
    let (x_label, y_label) = (format!("u({})", sp.parties[0]), format!("u({})", sp.parties[1]));
    let f = charts::Frontier {
        x_label: &x_label,
        y_label: &y_label,
        free: (
            "frontier without red lines",
            points(&sp.frontier_without_red_lines),
        ),
        within: ("frontier within red lines", points(&sp.frontier)),
        disagreement: ("no agreement", (sp.disagreement[0], sp.disagreement[1])),
        package: sp
            .nash
            .as_ref()
            .or(sp.nash_without_red_lines.as_ref())
            .map(|n| ("Nash package", (n.utilities[0], n.utilities[1]))),
    };
    let title = format!(
        "Pareto frontier: u({}) against u({})",
        sp.parties[0], sp.parties[1]
    );
    Ok(Some(charts::frontier(&title, &f)?))
}
