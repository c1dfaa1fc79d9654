//! `casus reliability`: how often alliance commitments were honoured in war.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use casus_api::history::{reliability, ReliabilityRequest};
use casus_history::reliability::{By, Coding};
use casus_render::charts::{self, RateBar};

use crate::cx::Cx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CodingArg {
    /// Leeds, Long & Mitchell (2000) procedures, as replicated by Berkemeier & Fuhrmann.
    Llm,
    /// Berkemeier & Fuhrmann's revised coding.
    Bf,
}

impl From<CodingArg> for Coding {
    fn from(c: CodingArg) -> Self {
        match c {
            CodingArg::Llm => Coding::Llm,
            CodingArg::Bf => Coding::Bf,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    Period,
    Obligation,
    /// Bilateral against multilateral alliances.
    Size,
}

#[derive(clap::Args)]
pub struct ReliabilityArgs {
    /// The case file (BerkemeierFuhrmannRAP2018_0303.csv).
    #[arg(long, value_name = "FILE")]
    pub cases: PathBuf,
    #[arg(long, value_enum, default_value_t = CodingArg::Llm)]
    pub coding: CodingArg,
    #[arg(long, value_enum, default_value_t = ByArg::Period)]
    pub by: ByArg,
    /// Also draw the rates by period and obligation type as an SVG chart.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
}

pub fn run(cx: &Cx, a: &ReliabilityArgs) -> Result<ExitCode> {
    let cases = cx.session.read_data(&a.cases)?;
    let req = ReliabilityRequest {
        coding: a.coding.into(),
        by: match a.by {
            ByArg::Period => By::Period,
            ByArg::Obligation => By::Obligation,
            ByArg::Size => By::Size,
        },
        chart: a.chart.as_ref().map(|p| p.display().to_string()),
    };
    let answer = reliability(&cases, &req)?;
    if let Some(path) = &a.chart {
        let bars: Vec<RateBar> = answer
            .data
            .chart_rows
            .iter()
            .map(|r| RateBar {
                label: format!("{} (n={})", r.group, r.cases()),
                rate: r.rate,
                low: r.low,
                high: r.high,
            })
            .collect();
        let x_desc = "share of invoked commitments honoured (bars: rate; lines: 95% Wilson interval)";
        let svg = charts::rates(&answer.data.chart_title, x_desc, &bars)?;
        cx.session.write_file(path, svg.as_bytes())?;
    }
    cx.print(&answer)
}
