//! `casus check`: validate library and scenario files, or compare the library with ATOP.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
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
        return crate::legacy::atop_check::run(cx, args.atop.as_deref());
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
