//! `casus test`: run the scenario tests the library files carry (and those in given files).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use casus_session::LibraryErrors;

use crate::cx::Cx;

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders whose scenarios to run (default: every scenario of the library).
    pub paths: Vec<PathBuf>,
}

pub fn run(cx: &Cx, args: &Args) -> Result<ExitCode> {
    let (files, given) = cx.session.library_files_with(&args.paths)?;
    let model: Vec<_> = files
        .iter()
        .filter(|f| casus_library::is_model_file(&f.path))
        .cloned()
        .collect();
    let loaded = casus_model::load(&model);
    if loaded.has_errors() {
        return Err(LibraryErrors {
            diagnostics: loaded.diagnostics,
            files,
        }
        .into());
    }
    let only: Vec<&str> = files[files.len() - given..]
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    let answer = casus_api::check::test(&loaded.library, &only);
    cx.print(&answer)?;
    Ok(if answer.data.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
