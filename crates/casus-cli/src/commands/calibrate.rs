//! `casus calibrate`: fit P(honoured) to the alliance-in-war cases and write calibrated priors.

use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;
pub use crate::legacy::history::CalibrateArgs;

pub fn run(cx: &Cx, args: &CalibrateArgs) -> Result<ExitCode> {
    let (report, json) = crate::legacy::history::calibrate(args)?.split();
    cx.print_report(&report, &json)
}
