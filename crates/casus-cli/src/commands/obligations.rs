//! `casus obligations`: who owes what to whom for an attack, and why.

use std::process::ExitCode;

use anyhow::Result;
use casus_api::obligations::{obligations, ObligationsRequest};

use crate::args::EventArgs;
use crate::cx::Cx;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub event: EventArgs,
    /// Only these commitments (ids).
    #[arg(long = "commitment", value_name = "ID")]
    pub commitments: Vec<String>,
    /// Only these obligors (actor ids or names).
    #[arg(long = "obligor", value_name = "ACTOR")]
    pub obligors: Vec<String>,
    /// Print the explanation trees (each distinct tree once, with the obligors it applies to).
    #[arg(long)]
    pub explain: bool,
    /// What to list in full: `not-triggered` lists every clause not triggered (default: a count by reason).
    #[arg(long, value_name = "WHAT", value_parser = ["not-triggered"])]
    pub show: Vec<String>,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let lib = cx.library()?;
    let req = ObligationsRequest {
        event: args.event.request(),
        commitment: args.commitments.clone(),
        obligor: args.obligors.clone(),
        explain: args.explain,
        show_not_triggered: args.show.iter().any(|s| s == "not-triggered"),
    };
    cx.print(&obligations(&lib.library, cx.today()?, &req)?)
}
