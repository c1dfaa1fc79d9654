//! `casus list`: the registries and the models' parameters.

use std::process::ExitCode;

use anyhow::Result;
use casus_api::list::{list, ListRequest};

use crate::cx::Cx;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum What {
    Actors,
    Places,
    Commitments,
    Orgs,
    /// The credibility model's parameters, with their values and basis.
    Parameters,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    pub what: What,
    /// Only entries whose id or name contains this text.
    #[arg(long)]
    pub search: Option<String>,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let lib = cx.library()?;
    let what = format!("{:?}", args.what).to_lowercase();
    cx.print(&list(
        &lib.library,
        cx.today()?,
        &ListRequest {
            what,
            search: args.search.clone(),
        },
    )?)
}
