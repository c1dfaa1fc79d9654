//! `casus show`: a commitment's quoted text beside its encoding.

use std::process::ExitCode;

use anyhow::Result;
use casus_api::show::{show, ShowRequest};

use crate::cx::Cx;

#[derive(clap::Args)]
pub struct Args {
    /// A commitment id (`casus list commitments`).
    pub id: String,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let lib = cx.library()?;
    cx.print(&show(&lib.library, &ShowRequest { id: args.id.clone() })?)
}
