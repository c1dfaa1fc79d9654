//! `casus calibrate`: fit P(honoured) to the alliance-in-war cases and write calibrated priors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use casus_api::history::{calibrate, CalibrateInputs, CalibrateRequest};

use crate::cx::Cx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CodingArg {
    /// Leeds, Long & Mitchell (2000) procedures, as replicated by Berkemeier & Fuhrmann.
    Llm,
    /// Berkemeier & Fuhrmann's revised coding.
    Bf,
}

#[derive(clap::Args)]
pub struct CalibrateArgs {
    /// The case file (BerkemeierFuhrmannRAP2018_0303.csv).
    #[arg(long, value_name = "FILE")]
    pub cases: PathBuf,
    #[arg(long, value_enum, default_value_t = CodingArg::Llm)]
    pub coding: CodingArg,
    /// COW major powers (majors2016.csv). Default: ../cow-state-system-2016/majors2016.csv beside the case file's folder.
    #[arg(long, value_name = "FILE")]
    pub majors: Option<PathBuf>,
    /// ATOP's release files, for the alliances' members (major-power status), institutions and conditions.
    /// Default: ../atop-5.1 beside the case file's folder.
    #[arg(long, value_name = "DIR")]
    pub atop: Option<PathBuf>,
    /// COW NMC capabilities (a file with columns ccode, year, cinc), for the alliance's relative capability.
    /// Default: ../cow-nmc-7.0/nmc_7.0_abridged_peacesciencer.csv beside the case file's folder.
    #[arg(long, value_name = "FILE")]
    pub nmc: Option<PathBuf>,
    /// Write the calibrated priors here (the shape of library/priors/credibility.toml).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Number of cross-validation folds.
    #[arg(long, default_value_t = 10)]
    pub folds: usize,
    /// Also draw the calibration table as an SVG plot (predicted against observed, by decile).
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
}

pub fn run(cx: &Cx, args: &CalibrateArgs) -> Result<ExitCode> {
    let beside = |rel: &str| {
        args.cases
            .parent()
            .and_then(|p| p.parent())
            .unwrap_or(Path::new("."))
            .join(rel)
    };
    let cases = cx.session.read_data(&args.cases)?;
    let majors = args
        .majors
        .clone()
        .unwrap_or_else(|| beside("cow-state-system-2016/majors2016.csv"));
    if !majors.exists() {
        bail!(
            "no COW major-power file at {}; pass --majors FILE (majors2016.csv)",
            majors.display()
        );
    }
    let atop = args.atop.clone().unwrap_or_else(|| beside("atop-5.1"));
    if !atop.exists() {
        bail!("no ATOP release folder at {}; pass --atop DIR (the conditions on obligations are read from atop5_1m.csv)", atop.display());
    }
    let nmc = args
        .nmc
        .clone()
        .unwrap_or_else(|| beside("cow-nmc-7.0/nmc_7.0_abridged_peacesciencer.csv"));
    if !nmc.exists() {
        bail!(
            "cannot read COW NMC capabilities at {}; pass --nmc FILE",
            nmc.display()
        );
    }
    let (majors, nmc, atop_files) = (
        cx.session.read_data(&majors)?,
        cx.session.read_data(&nmc)?,
        cx.session.read_csv_folder(&atop)?,
    );
    let lib = cx.library()?;
    let req = CalibrateRequest {
        coding: match args.coding {
            CodingArg::Llm => casus_history::reliability::Coding::Llm,
            CodingArg::Bf => casus_history::reliability::Coding::Bf,
        },
        folds: args.folds,
        out: args.out.as_ref().map(|p| p.display().to_string()),
        chart: args.chart.as_ref().map(|p| p.display().to_string()),
    };
    let inputs = CalibrateInputs {
        cases: &cases,
        majors: &majors,
        nmc: &nmc,
        atop: &atop_files,
        atop_dir: &atop.display().to_string(),
    };
    let answer = calibrate(&lib.library, &inputs, &req)?;
    if let (Some(path), Some(svg)) = (&args.chart, &answer.data.chart_svg) {
        cx.session.write_file(path, svg.as_bytes())?;
    }
    if let (Some(path), Some(text)) = (&args.out, &answer.data.priors_file) {
        cx.session.write_file(path, text.as_bytes())?;
    }
    cx.print(&answer)
}
