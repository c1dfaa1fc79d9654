//! `casus data`: import, list, version and cite the datasets in the local store.

use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;
pub use crate::legacy::history::DataCommand;

pub fn run(cx: &Cx, cmd: &DataCommand) -> Result<ExitCode> {
    let (report, json) = crate::legacy::history::data(cmd)?.split();
    cx.print_report(&report, &json)
}
