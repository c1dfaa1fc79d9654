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

/// Progress of a long run on standard error (#16 item 4, 10): a bar on a terminal, else
/// plain lines every few seconds once a run has taken a second; and, once the first batch
/// has given the rate, the time the whole run will take when that is long.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: std::time::Instant,
    begun: std::time::Instant,
    last: Option<std::time::Instant>,
    estimated: bool,
    stage: String,
    /// Bytes written per unit of work (per-trial files), for the estimate.
    pub bytes_per_unit: u64,
}

/// Plain progress lines come this often.
const EVERY: std::time::Duration = std::time::Duration::from_secs(5);

impl Progress {
    pub fn new(what: &str) -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr()
            .is_terminal()
            .then(|| crate::args::progress_bar(what));
        Self {
            bar,
            start: std::time::Instant::now(),
            begun: std::time::Instant::now(),
            last: None,
            estimated: false,
            stage: what.to_string(),
            bytes_per_unit: 0,
        }
    }

    /// `done` of `total` units of `stage`; `known` when `total` is what will be done (not a
    /// bound, as under `--precision`).
    #[allow(clippy::print_stderr)] // the edge: progress is for people
    pub fn update(&mut self, stage: &str, unit: &str, done: u64, total: u64, known: bool) {
        if let Some(bar) = &self.bar {
            bar.set_message(stage.to_string());
            bar.set_length(if known { total } else { done });
            bar.set_position(done);
        }
        if stage != self.stage {
            // Rates are per stage.
            self.stage = stage.to_string();
            self.start = std::time::Instant::now();
        }
        let elapsed = self.start.elapsed();
        if known && !self.estimated && done > 0 && total > done {
            self.estimated = true;
            let left = elapsed.as_secs_f64() * (total - done) as f64 / done as f64;
            if left > 10.0 {
                let size = if self.bytes_per_unit > 0 {
                    format!(
                        "; per-trial files: about {}",
                        bytes(total.saturating_mul(self.bytes_per_unit))
                    )
                } else {
                    String::new()
                };
                let line = format!(
                    "casus: {} {unit} will take about {} at this rate{size} (Ctrl-C stops; nothing is written until the end)",
                    thousands(total),
                    duration(left)
                );
                match &self.bar {
                    Some(bar) => bar.suspend(|| eprintln!("{line}")),
                    None => eprintln!("{line}"),
                }
            }
        }
        if self.bar.is_none()
            && self.begun.elapsed().as_secs_f64() >= 1.0
            && self.last.is_none_or(|t| t.elapsed() >= EVERY)
        {
            self.last = Some(std::time::Instant::now());
            let of = if known {
                let left = elapsed.as_secs_f64() * total.saturating_sub(done) as f64 / done.max(1) as f64;
                format!(
                    " of {} ({:.0}%, about {} left)",
                    thousands(total),
                    100.0 * done as f64 / total.max(1) as f64,
                    duration(left)
                )
            } else {
                String::new()
            };
            eprintln!("casus: {stage}: {} {unit}{of}", thousands(done));
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn duration(secs: f64) -> String {
    match secs {
        s if s < 90.0 => format!("{s:.0} s"),
        s if s < 5400.0 => format!("{:.0} min", s / 60.0),
        s if s < 172_800.0 => format!("{:.0} h {:.0} min", (s / 3600.0).floor(), (s % 3600.0) / 60.0),
        s => format!("{:.0} days", s / 86_400.0),
    }
}

fn bytes(b: u64) -> String {
    let b = b as f64;
    match b {
        b if b < 1e6 => format!("{:.0} kB", b / 1e3),
        b if b < 1e9 => format!("{:.0} MB", b / 1e6),
        b if b < 1e12 => format!("{:.1} GB", b / 1e9),
        b => format!("{:.1} TB", b / 1e12),
    }
}
