//! What every command gets: the session (files, clock, environment, store), the output
//! format, and printing to standard output that ends quietly when the reader has gone.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use casus_api::Answer;
use casus_render::{Format, Layout, Report};
use casus_session::{LoadedLibrary, Session};
use serde::Serialize;

pub struct Cx {
    pub session: Session,
    pub format: Format,
}

/// Standard output was closed by its reader (`casus … | head`): stop quietly.
#[derive(Debug)]
pub struct ClosedPipe;

impl std::fmt::Display for ClosedPipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output closed")
    }
}

impl std::error::Error for ClosedPipe {}

impl Cx {
    pub fn library(&self) -> Result<LoadedLibrary> {
        self.session.load_library(&[])
    }

    pub fn library_with(&self, extra: &[PathBuf]) -> Result<LoadedLibrary> {
        self.session.load_library(extra)
    }

    pub fn today(&self) -> Result<chrono::NaiveDate> {
        self.session.today()
    }

    /// Tables are laid out to `$COLUMNS`, the terminal's width, or 160 columns in a pipe.
    pub fn layout(&self) -> Layout {
        use std::io::IsTerminal;
        let width = match self.session.env().columns {
            Some(w) => Some(w),
            None if std::io::stdout().is_terminal() => None,
            None => Some(160),
        };
        Layout { width }
    }

    /// Prints an API answer in the chosen format.
    pub fn print<T: Serialize>(&self, answer: &Answer<T>) -> Result<ExitCode> {
        self.print_report(&answer.report, &answer.json())
    }

    /// Prints an API answer whose JSON may be large (every round of a model): `--format
    /// json` is written straight from the typed result as it is serialised, never held as a
    /// whole in memory; other formats print the report.
    pub fn print_streamed<T: Serialize>(&self, answer: &Answer<T>) -> Result<ExitCode> {
        if self.format != Format::Json {
            return self.print_report(&answer.report, &serde_json::Value::Null);
        }
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let written = serde_json::to_writer_pretty(&mut out, &answer.data)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush());
        match written {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) => Err(stdout_error(e)),
        }
    }

    /// Prints a report and the JSON it was made from.
    pub fn print_report(&self, report: &Report, json: &serde_json::Value) -> Result<ExitCode> {
        self.out(&casus_render::render(report, json, self.format, self.layout()))?;
        Ok(ExitCode::SUCCESS)
    }

    /// Writes to standard output. A closed pipe is [`ClosedPipe`] (main exits quietly); any
    /// other failure (a full disk) is an error that says so.
    pub fn out(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(stdout_error)
    }
}

/// A closed pipe is [`ClosedPipe`]; anything else (a full disk: `ENOSPC`) says what failed.
fn stdout_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        ClosedPipe.into()
    } else {
        anyhow::anyhow!("cannot write to standard output: {e}")
    }
}
