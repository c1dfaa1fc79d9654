//! `casus compare`: commitments side by side on the dimensions analysts use.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use casus_api::compare::{compare, CompareRequest};

use crate::cx::Cx;

#[derive(clap::Args)]
pub struct Args {
    /// Commitment ids.
    #[arg(required = true)]
    pub ids: Vec<String>,
    /// The date to compare on (rosters, nuclear status). Default: today.
    #[arg(long)]
    pub date: Option<String>,
    /// A COW National Material Capabilities CSV (columns ccode, year, cinc) to sum guarantors' CINC;
    /// default: $CASUS_NMC, if set.
    #[arg(long, value_name = "CSV")]
    pub capabilities: Option<PathBuf>,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let lib = cx.library()?;
    let caps = match cx.session.capabilities_path(args.capabilities.as_deref()) {
        Some(p) => Some(cx.session.read_text(&p)?),
        None => None,
    };
    let req = CompareRequest {
        ids: args.ids.clone(),
        date: args.date.clone(),
    };
    cx.print(&compare(&lib.library, cx.today()?, &req, caps.as_ref())?)
}
