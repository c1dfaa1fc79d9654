//! `casus check`: validate library and scenario files, or compare the library with ATOP.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};
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
    /// Print a coverage table: `atop`, ATOP's alliances in force at the end of its coverage
    /// with a defence or offence obligation, and whether the library encodes each.
    #[arg(long, value_enum, conflicts_with = "against")]
    pub coverage: Option<Dataset>,
    /// Grade every citation of the library (primary, official, secondary, mirror) and list the
    /// load-bearing facts that rest on a mirror alone.
    #[arg(long, conflicts_with_all = ["against", "coverage"])]
    pub sources: bool,
    /// ATOP's release files (the folder with atop5_1m.csv), for --against atop and --coverage atop.
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
    if let Some(Dataset::Atop) = args.coverage {
        let lib = cx.library()?;
        let table = casus_library::atop_coverage()
            .ok_or_else(|| anyhow!("the built-in library has no coverage/atop-active-2018.tsv"))?;
        let release = match &args.atop {
            Some(dir) => {
                let files = cx.session.read_csv_folder(dir)?;
                Some(casus_api::history_data::read_release(
                    &dir.display().to_string(),
                    &files,
                )?)
            }
            None => None,
        };
        return cx.print(&casus_api::history_check::coverage(
            &lib.library,
            &table,
            release.as_ref(),
        )?);
    }
    if args.sources {
        let lib = cx.library()?;
        let file =
            |p: &str| casus_library::data_file(p).ok_or_else(|| anyhow!("the built-in library has no {p}"));
        let answer = casus_api::history_sources::sources(
            &lib.library,
            &file("sources/grades.tsv")?,
            &file("sources/exceptions.tsv")?,
        )?;
        cx.print(&answer)?;
        return Ok(if answer.data.on_mirror.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
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
