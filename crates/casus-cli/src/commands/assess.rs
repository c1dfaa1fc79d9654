//! `casus assess`: guarantee designs compared on what they would deliver.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::cx::Cx;
use crate::legacy::assess::{assess, SimArgs};

#[derive(clap::Args)]
pub struct Args {
    /// An assessment id from the library (e.g. ukraine) or a TOML file with an [assessment].
    pub which: String,
    /// The date of the event (default: the assessment's, else today).
    #[arg(long)]
    pub date: Option<String>,
    /// Vary each parameter over its range and show which move the result most.
    #[arg(long)]
    pub sensitivity: bool,
    #[command(flatten)]
    pub sim: SimArgs,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let file = PathBuf::from(&args.which);
    let extra = if file.is_file() { vec![file] } else { vec![] };
    let lib = cx.library_with(&extra)?;
    let date = casus_api::event::date_or_today("date", args.date.as_deref(), cx.today()?)?;
    let want = args.sensitivity || args.sim.out.is_some();
    let (report, json) = assess(&lib.library, &lib.files, &args.which, date, &args.sim, want)?.split();
    cx.print_report(&report, &json)
}
