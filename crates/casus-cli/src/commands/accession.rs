//! `casus accession`: when would a candidate join, who decides it, what protects it meanwhile.

use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;
pub use crate::legacy::accession::AccessionArgs;

pub fn run(cx: &Cx, args: &AccessionArgs) -> Result<ExitCode> {
    let lib = cx.library()?;
    let (report, json) = crate::legacy::accession::accession(&lib.library, args, cx.today()?)?.split();
    cx.print_report(&report, &json)
}
