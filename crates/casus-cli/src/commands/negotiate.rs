//! `casus negotiate`: the bargaining space of a settlement and where talks would drift.

use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;
pub use crate::legacy::negotiate::NegotiateArgs;

pub fn run(cx: &Cx, args: &NegotiateArgs) -> Result<ExitCode> {
    let (report, json) = crate::legacy::negotiate::report(args)?.split();
    cx.print_report(&report, &json)
}
