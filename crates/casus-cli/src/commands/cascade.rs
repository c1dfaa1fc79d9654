//! `casus cascade`: who is drawn in on each side through chains of commitments.

use std::process::ExitCode;

use anyhow::Result;
use casus_api::cascade::{cascade, CascadeRequest};

use crate::args::EventArgs;
use crate::cx::Cx;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub event: EventArgs,
    /// How many links a chain may have.
    #[arg(long, default_value_t = 3)]
    pub depth: usize,
    /// The weakest obligation that draws a state in.
    #[arg(long, default_value = "assist")]
    pub min_strength: String,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let lib = cx.library()?;
    let req = CascadeRequest {
        event: args.event.request(),
        depth: Some(args.depth),
        min_strength: Some(args.min_strength.clone()),
    };
    cx.print(&cascade(&lib.library, cx.today()?, &req)?)
}
