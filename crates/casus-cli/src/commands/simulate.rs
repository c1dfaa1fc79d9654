//! `casus simulate`: how surely, how fast and how strongly the library as it stands answers an attack.

use std::process::ExitCode;

use anyhow::Result;

use crate::args::EventArgs;
use crate::cx::Cx;
use crate::legacy::assess::{simulate, SimArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub event: EventArgs,
    #[command(flatten)]
    pub sim: SimArgs,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let lib = cx.library()?;
    let event = args.event.request().resolve(&lib.library, cx.today()?)?;
    let (report, json) = simulate(&lib.library, &lib.files, &event, &args.sim)?.split();
    cx.print_report(&report, &json)
}
