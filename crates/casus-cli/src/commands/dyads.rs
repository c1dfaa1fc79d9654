//! `casus dyads`: ATOP's directed dyad-year obligations, derived from the member file.

use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;
pub use crate::legacy::history::DyadArgs;

pub fn run(cx: &Cx, args: &DyadArgs) -> Result<ExitCode> {
    let lib = cx.library()?;
    match crate::legacy::history::dyads(&lib.library, args)? {
        Some(report) => {
            let (report, json) = report.split();
            cx.print_report(&report, &json)
        }
        None => Ok(ExitCode::SUCCESS),
    }
}
