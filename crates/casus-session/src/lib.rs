//! The edge where casus meets the machine: the one place that reads files, the clock,
//! environment variables, data directories and the local store (typst's `World` is the
//! model). Every interface — the command line, the server, the Python package — makes one
//! [`Session`] and hands what it reads to the pure API (`casus-api`); nothing below reads
//! anything itself.

pub mod atop_library;
mod env;
mod files;
pub mod outdir;
pub mod store;
pub mod trials;

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use casus_model::{Library, Loaded};
use casus_syntax::{Diagnostic, SourceFile};
use chrono::NaiveDate;

pub use env::Env;
pub use files::{csv_files, read_path};

/// The library as loaded for one request, with the files it came from (for rendering
/// diagnostics with their lines).
pub struct LoadedLibrary {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<SourceFile>,
}

/// A library whose files have errors: the diagnostics and the files, to show them.
#[derive(Debug)]
pub struct LibraryErrors {
    pub diagnostics: Vec<Diagnostic>,
    pub files: Vec<SourceFile>,
}

impl std::fmt::Display for LibraryErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.diagnostics.iter().filter(|d| d.is_error()).count();
        write!(f, "the library has {n} error(s); run `casus check` for details")
    }
}

impl std::error::Error for LibraryErrors {}

/// One user's view of the machine: which library files, which day is today, which
/// environment.
#[derive(Debug, Clone)]
pub struct Session {
    env: Env,
    builtin: bool,
    library: Vec<PathBuf>,
}

impl Session {
    /// `builtin`: start from the library compiled into casus; `library`: files or folders
    /// added after it (a built-in id is replaced), or `atop`/`atop:DIR` for ATOP's alliances.
    pub fn new(env: Env, builtin: bool, library: Vec<PathBuf>) -> Self {
        Self {
            env,
            builtin,
            library,
        }
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    /// Today's date: `$CASUS_TODAY` when set, else the local clock.
    pub fn today(&self) -> Result<NaiveDate> {
        match &self.env.today {
            Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map_err(|_| anyhow!("CASUS_TODAY: give a date as YYYY-MM-DD, not `{t}`")),
            None => Ok(chrono::Local::now().date_naive()),
        }
    }

    /// The library files to load, without ATOP specs: built-in first, then the user's, then `extra`.
    pub fn library_files(&self, extra: &[PathBuf]) -> Result<Vec<SourceFile>> {
        let mut paths: Vec<PathBuf> = self
            .library
            .iter()
            .filter(|p| !atop_library::is_spec(p))
            .cloned()
            .collect();
        paths.extend(extra.iter().cloned());
        files::gather(self.builtin, &paths)
    }

    /// Loads the library (with `extra` files, e.g. an assessment file) and, when asked,
    /// ATOP's alliances. Errors in the files come back as [`LibraryErrors`].
    pub fn load_library(&self, extra: &[PathBuf]) -> Result<LoadedLibrary> {
        let files = self.library_files(extra)?;
        let Loaded {
            mut library,
            diagnostics,
        } = casus_model::load(&files);
        if diagnostics.iter().any(|d| d.is_error()) {
            return Err(LibraryErrors { diagnostics, files }.into());
        }
        for spec in self.library.iter().filter(|p| atop_library::is_spec(p)) {
            atop_library::extend(&mut library, spec, &self.env)?;
        }
        Ok(LoadedLibrary {
            library,
            diagnostics,
            files,
        })
    }

    /// Files given on the command line (e.g. `casus test FILE`), added to the library's files
    /// in place of built-in files with the same path; returns the files and how many of them,
    /// at the end, were given.
    pub fn library_files_with(&self, given: &[PathBuf]) -> Result<(Vec<SourceFile>, usize)> {
        let mut files = self.library_files(&[])?;
        let mut more = Vec::new();
        for p in given {
            more.extend(read_path(p)?);
        }
        let n = more.len();
        files::add(&mut files, more);
        Ok((files, n))
    }

    /// A text file a request names (a CSV of capabilities, a negotiation scenario …).
    pub fn read_text(&self, path: &Path) -> Result<SourceFile> {
        files::read_file(path)
    }

    /// A data file (a release's CSV): its text, or a located error at the first byte that is
    /// not UTF-8.
    pub fn read_data(&self, path: &Path) -> Result<SourceFile> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(casus_syntax::table::text_file(path.display().to_string(), bytes)?)
    }

    /// Every `.csv` file directly in a release folder (ATOP, COW), sorted by path.
    pub fn read_csv_folder(&self, dir: &Path) -> Result<Vec<SourceFile>> {
        files::csv_files(dir)?.iter().map(|p| self.read_data(p)).collect()
    }

    /// The capabilities file to use: the one given, else `$CASUS_NMC`.
    pub fn capabilities_path(&self, given: Option<&Path>) -> Option<PathBuf> {
        given.map(Path::to_path_buf).or_else(|| self.env.nmc.clone())
    }

    /// The local data store of imported datasets.
    pub fn store(&self) -> Result<store::Store> {
        store::Store::open(&store::Store::path_for(&self.env)?)
    }

    /// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then
    /// renamed into place, so an interrupted run never leaves a half-written file.
    pub fn write_file(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
        let tmp = dir.join(format!(".{}.casus-tmp", name.to_string_lossy()));
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// A folder of results written whole, with a manifest, never over the user's files
    /// unless `force` (see [`outdir`]).
    pub fn output_dir(&self, dir: &Path, force: bool) -> Result<outdir::OutputDir> {
        outdir::OutputDir::create(dir, force)
    }

    /// Creates a folder for results (and its parents).
    pub fn create_dir(&self, dir: &Path) -> Result<()> {
        if dir.exists() && !dir.is_dir() {
            bail!("{}: exists and is not a folder", dir.display());
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
    }
}
