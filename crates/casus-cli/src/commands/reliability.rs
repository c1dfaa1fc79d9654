//! `casus reliability`: how often alliance commitments were honoured in war.

use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;
pub use crate::legacy::history::ReliabilityArgs;

pub fn run(cx: &Cx, a: &ReliabilityArgs) -> Result<ExitCode> {
    let (report, json) =
        crate::legacy::history::reliability(&a.cases, a.coding, a.by, a.chart.as_deref())?.split();
    cx.print_report(&report, &json)
}
