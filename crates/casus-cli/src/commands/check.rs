//! `casus check`: validate library and scenario files, or compare the library with ATOP.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use casus_render::Format;

use crate::cx::Cx;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Dataset {
    /// The Alliance Treaty Obligations and Provisions project (needs --atop DIR or an imported release).
    Atop,
}

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to check (with the library loaded for context). Default: the library.
    pub paths: Vec<PathBuf>,
    /// Compare the commitments that carry `atop = ID` with ATOP's coding and list every disagreement.
    #[arg(long, value_enum)]
    pub against: Option<Dataset>,
    /// ATOP's release files (the folder with atop5_1m.csv), for --against atop.
    #[arg(long, value_name = "DIR")]
    pub atop: Option<PathBuf>,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    if let Some(Dataset::Atop) = args.against {
        let Some(dir) = &args.atop else {
            bail!("--against atop needs ATOP's release files: --atop DIR (the folder with atop5_1m.csv); the store keeps no condition columns");
        };
        let lib = cx.library()?;
        let files = cx.session.read_csv_folder(dir)?;
        return cx.print(&casus_api::history_check::against_atop(
            &lib.library,
            &dir.display().to_string(),
            &files,
        )?);
    }
    let (files, _) = cx.session.library_files_with(&args.paths)?;
    let answer = casus_api::check::check(&files);
    match cx.format {
        Format::Table | Format::Markdown => {
            let mut text = String::new();
            for d in &answer.data.diagnostics {
                text.push_str(&casus_render::diagnostics::render(d, &files));
            }
            for h in &answer.report.heading {
                text.push_str(h);
                text.push('\n');
            }
            cx.out(&text)?;
        }
        _ => {
            cx.print(&answer)?;
        }
    }
    Ok(if answer.data.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
