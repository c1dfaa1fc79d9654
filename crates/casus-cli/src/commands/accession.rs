//! `casus accession`: when would a candidate join, whose consent is missing, what holds it
//! back, what protects it meanwhile; `--backtest` replays every past round.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use casus_api::accession::{accession_with, AccessionRequest};
use casus_render::charts;

use crate::cx::{Cx, Progress};

#[derive(clap::Args, Clone)]
pub struct AccessionArgs {
    /// The candidate (actor id or name); may be left out with --backtest.
    #[arg(required_unless_present = "backtest")]
    pub candidate: Option<String>,
    /// The organisation (NATO, EU …).
    #[arg(long, default_value = "NATO")]
    pub org: String,
    /// What is known on this date: stances stated and ratifications made before it (default: today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// The horizon (default: ten years after the as-of date).
    #[arg(long)]
    pub until: Option<String>,
    /// A TOML file of [[stance]] entries that override the library's (with `probability` if you like).
    #[arg(long, value_name = "FILE")]
    pub stances: Option<PathBuf>,
    #[arg(long, default_value_t = 20_000)]
    pub trials: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worlds the structural parameters are drawn in, for the band on P (0: none).
    #[arg(long, default_value_t = 40)]
    pub worlds: u64,
    /// Replay every past round of the organisation from the day after its signature, fitted only
    /// on earlier rounds, and score it against the naive range.
    #[arg(long)]
    pub backtest: bool,
    /// List the commitments that protect the candidate while it waits.
    #[arg(long)]
    pub coverage: bool,
    /// The attacker assumed for --coverage.
    #[arg(long, default_value = "RUS")]
    pub attacker: String,
    /// Write the CDF chart (SVG) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(cx: &Cx, args: &AccessionArgs) -> Result<ExitCode> {
    let lib = cx.library()?;
    let stances = match &args.stances {
        Some(p) => Some(cx.session.read_text(p)?),
        None => None,
    };
    let req = AccessionRequest {
        candidate: args.candidate.clone(),
        org: args.org.clone(),
        as_of: args.as_of.clone(),
        until: args.until.clone(),
        trials: args.trials,
        seed: args.seed,
        worlds: args.worlds,
        backtest: args.backtest,
        coverage_attacker: args.coverage.then(|| args.attacker.clone()),
    };
    let mut progress = Progress::new("forecast");
    let answer = accession_with(
        &lib.library,
        cx.today()?,
        &req,
        stances.as_ref(),
        &mut |stage, d, n| progress.update(stage, "trials", d, n, true),
    )?;
    progress.finish();
    if let (Some(dir), Some(f)) = (&args.out, &answer.data.forecast) {
        cx.session.create_dir(dir)?;
        let points: Vec<(f64, f64, f64)> = f
            .cdf
            .iter()
            .enumerate()
            .map(|(i, x)| (i as f64, x.p, (x.p * (1.0 - x.p) / f.trials as f64).sqrt()))
            .collect();
        let months = points.len().max(2) as f64 - 1.0;
        let axes = charts::Axes {
            x: "months after the as-of date",
            y: "P(a member by then)",
        };
        let svg = charts::curves(
            &format!(
                "P({} a member of {}) by months after {}",
                f.candidate, answer.data.org, f.as_of
            ),
            &axes,
            &[(f.candidate.clone(), points)],
            months,
        )?;
        cx.session.write_file(
            &dir.join(format!("accession-{}.svg", f.candidate)),
            svg.as_bytes(),
        )?;
    }
    cx.print(&answer)
}
