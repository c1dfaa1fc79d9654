//! `casus reliability`: how often alliance commitments were honoured in war.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use casus_api::history::{reliability, ReliabilityRequest};
use casus_history::reliability::{By, Coding, Rate};

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
        let svg = rates_chart(&answer.data.chart_title, &answer.data.chart_rows)?;
        cx.session.write_file(path, svg.as_bytes())?;
    }
    cx.print(&answer)
}

/// Horizontal bars of fulfilment rates with their 95% intervals, as SVG.
fn rates_chart(title: &str, rows: &[Rate]) -> Result<String> {
    use plotters::prelude::*;
    let err = |e: &dyn std::fmt::Debug| anyhow!("chart: {e:?}");
    let n = rows.len();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (820, 90 + 40 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..1f64, 0f64..n as f64)
            .map_err(|e| err(&e))?;
        let labels: Vec<String> = rows
            .iter()
            .map(|r| format!("{} (n={})", r.group, r.cases()))
            .collect();
        chart
            .configure_mesh()
            .x_desc("share of invoked commitments honoured (bars: rate; lines: 95% Wilson interval)")
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|y| casus_render::charts::row_label(&labels, *y))
            .draw()
            .map_err(|e| err(&e))?;
        let colour = RGBColor(31, 119, 180);
        for (i, r) in rows.iter().enumerate() {
            let y = (n - 1 - i) as f64 + 0.5;
            if let Some(rate) = r.rate {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y - 0.3), (rate, y + 0.3)],
                        colour.mix(if i == 0 { 0.9 } else { 0.6 }).filled(),
                    )))
                    .map_err(|e| err(&e))?;
            }
            if let (Some(lo), Some(hi)) = (r.low, r.high) {
                chart
                    .draw_series(LineSeries::new(vec![(lo, y), (hi, y)], BLACK.stroke_width(2)))
                    .map_err(|e| err(&e))?;
            }
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}
