//! The data store: imported datasets, parsed once, in one redb file under the user's data
//! directory (`$CASUS_DATA_DIR`, else e.g. `~/.local/share/casus/store.redb`). Each version
//! is one key (`atop/5.1`) holding the postcard-encoded parse; `current/atop` names the
//! version commands use (the last imported). See casus-history's crate docs for why redb.
//!
//! The store is a cache of the release files the user keeps, never the only copy of
//! anything, and it must never be the reason a command fails obscurely (#16 items 1, 8):
//! - **Checksums.** Each stored dataset is `CS1` + SHA-256 + bytes, verified on every read
//!   (redb checks its commit slots, not the bytes of a value: a flipped bit went unnoticed).
//!   Values written before checksums (no `CS1`) are read as before.
//! - **Damage is a message, not a panic.** Opening the file and every transaction run under
//!   `catch_unwind` (redb panics on some truncated files); any failure names the file and
//!   the fix. Writing into a damaged store (`casus data import`, [`Store::repair`]) first
//!   rebuilds it: every dataset that still verifies is copied into a new file, the damaged
//!   file is kept beside it as `store.redb.damaged`, and what was lost is said.
//! - **Several casus at once.** redb allows one open handle per file, so a `Store` opens the
//!   file for each operation and closes it after; a command that finds it open elsewhere
//!   waits (saying so on standard error once) up to [`WAIT`], then fails with a message.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use casus_history::atop::{Recognised, Release};
use casus_history::cow::CowRelease;
use redb::{Database, DatabaseError, ReadableTable, TableDefinition};
use sha2::{Digest, Sha256};

const DATA: TableDefinition<&str, &[u8]> = TableDefinition::new("datasets");
const META: TableDefinition<&str, &str> = TableDefinition::new("meta");
/// Correlates of War files, kept apart from ATOP's releases (one key: `cow`).
const COW: TableDefinition<&str, &[u8]> = TableDefinition::new("cow");

/// How long a command waits for another casus to close the store.
pub const WAIT: Duration = Duration::from_secs(60);

const MAGIC: &[u8; 3] = b"CS1";

pub struct Store {
    path: PathBuf,
}

pub struct Entry {
    pub release: Release,
    pub current: bool,
    pub files: serde_json::Value,
}

/// What [`Store::repair`] did.
#[derive(Debug, Clone, Default)]
pub struct Repair {
    /// The store opened and every dataset verified: nothing to do.
    pub healthy: bool,
    /// Keys copied into the rebuilt store.
    pub kept: Vec<String>,
    /// Keys that could not be read or failed their checksum.
    pub lost: Vec<String>,
    /// Where the damaged file was kept.
    pub damaged_copy: Option<PathBuf>,
}

fn e<E: std::fmt::Display>(x: E) -> anyhow::Error {
    anyhow!("data store: {x}")
}

/// Why the file cannot be used, and what to do.
#[derive(Debug)]
pub struct Damaged {
    pub path: PathBuf,
    pub detail: String,
}

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the data store {} is damaged ({}). It only caches the release files: `casus data repair` rebuilds it, keeping every dataset that still verifies and importing the others again from their release folders (or `casus data import atop DIR` / `cow DIR`)",
            self.path.display(),
            self.detail
        )
    }
}

impl std::error::Error for Damaged {}

fn seal(bytes: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(bytes.len() + 35);
    v.extend_from_slice(MAGIC);
    v.extend_from_slice(&Sha256::digest(bytes));
    v.extend_from_slice(bytes);
    v
}

/// The payload of a stored value, checked; `None` when the checksum fails.
fn unseal(v: &[u8]) -> Option<&[u8]> {
    match v.strip_prefix(MAGIC) {
        Some(rest) if rest.len() >= 32 => {
            let (sum, body) = rest.split_at(32);
            (Sha256::digest(body).as_slice() == sum).then_some(body)
        }
        Some(_) => None,
        // Written before checksums: read as it is.
        None => Some(v),
    }
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic into an error, without the panic's message on stderr. The
/// process's panic hook is wrapped once; it stays silent only on this thread, only inside `f`.
fn guarded<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static WRAP: std::sync::Once = std::sync::Once::new();
    WRAP.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    r.map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the database library failed".into())
    })
}

impl Store {
    /// `store.redb` in `$CASUS_DATA_DIR`, else in the user's data directory.
    pub fn path_for(env: &crate::Env) -> Result<PathBuf> {
        if let Some(d) = &env.data_dir {
            return Ok(d.join("store.redb"));
        }
        let base = dirs::data_dir().ok_or_else(|| anyhow!("no user data directory; set CASUS_DATA_DIR"))?;
        Ok(base.join("casus").join("store.redb"))
    }

    /// The store at `path`. The file is opened by each operation (created if absent): a
    /// read of a damaged file is an error that names it and the fix ([`Damaged`]); a write
    /// rebuilds it first ([`Store::repair`]), so `casus data import` is the remedy.
    pub fn open(path: &Path) -> Result<Self> {
        let path = path.to_path_buf();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        if path.is_dir() {
            bail!("the data store {} is a folder, not a file", path.display());
        }
        Ok(Self { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the file (waiting while another casus has it), runs `f`, closes it.
    fn with_db<T>(&self, f: impl FnOnce(&Database) -> Result<T>) -> Result<T> {
        let start = Instant::now();
        let mut said = false;
        let db = loop {
            match guarded(|| Database::create(&self.path)) {
                Ok(Ok(db)) => break db,
                Ok(Err(DatabaseError::DatabaseAlreadyOpen)) => {
                    if start.elapsed() > WAIT {
                        bail!(
                            "the data store {} is in use by another casus (waited {} s); try again when it has finished",
                            self.path.display(),
                            WAIT.as_secs()
                        );
                    }
                    if !said {
                        wait_message(&self.path);
                        said = true;
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Ok(Err(DatabaseError::Storage(redb::StorageError::Io(io))))
                    if matches!(
                        io.kind(),
                        std::io::ErrorKind::PermissionDenied
                            | std::io::ErrorKind::NotFound
                            | std::io::ErrorKind::StorageFull
                            | std::io::ErrorKind::ReadOnlyFilesystem
                    ) =>
                {
                    return Err(anyhow!(
                        "cannot open the data store {}: {io}",
                        self.path.display()
                    ));
                }
                Ok(Err(x)) => {
                    return Err(Damaged {
                        path: self.path.clone(),
                        detail: x.to_string(),
                    }
                    .into())
                }
                Err(panic) => {
                    return Err(Damaged {
                        path: self.path.clone(),
                        detail: panic,
                    }
                    .into())
                }
            }
        };
        match guarded(|| f(&db)) {
            Ok(r) => r,
            Err(panic) => Err(Damaged {
                path: self.path.clone(),
                detail: panic,
            }
            .into()),
        }
    }

    pub fn put_atop(&self, release: &Release, files: &[(String, Recognised)]) -> Result<()> {
        let key = format!("atop/{}", release.version);
        let info = serde_json::json!(files
            .iter()
            .map(|(f, r)| serde_json::json!({"file": f, "kind": r.kind.name(), "rows": r.rows}))
            .collect::<Vec<_>>())
        .to_string();
        let value = seal(&release.to_bytes());
        self.writing(|db| {
            let w = db.begin_write().map_err(e)?;
            {
                let mut t = w.open_table(DATA).map_err(e)?;
                t.insert(key.as_str(), value.as_slice()).map_err(e)?;
                let mut m = w.open_table(META).map_err(e)?;
                m.insert("current/atop", release.version.as_str()).map_err(e)?;
                m.insert(format!("files/{key}").as_str(), info.as_str())
                    .map_err(e)?;
            }
            w.commit().map_err(e)?;
            Ok(())
        })
    }

    /// Stores the COW files (replacing what was stored before).
    pub fn put_cow(&self, release: &CowRelease) -> Result<()> {
        let value = seal(&release.to_bytes());
        self.writing(|db| {
            let w = db.begin_write().map_err(e)?;
            {
                let mut t = w.open_table(COW).map_err(e)?;
                t.insert("cow", value.as_slice()).map_err(e)?;
            }
            w.commit().map_err(e)?;
            Ok(())
        })
    }

    /// The file beside the store that says which folder each dataset was imported from
    /// (plain JSON, so it survives damage to the store).
    fn sources_path(&self) -> PathBuf {
        self.path.with_file_name("store-sources.json")
    }

    /// Which folder each dataset (`atop`, `cow`) was last imported from.
    pub fn sources(&self) -> std::collections::BTreeMap<String, PathBuf> {
        std::fs::read_to_string(self.sources_path())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Records that `dataset` was imported from `dir` (for [`Store::repair`]'s callers).
    pub fn record_source(&self, dataset: &str, dir: &Path) -> Result<()> {
        let mut all = self.sources();
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        all.insert(dataset.to_string(), dir);
        let p = self.sources_path();
        let tmp = p.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(&all)? + "\n")
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &p).with_context(|| format!("cannot write {}", p.display()))
    }

    /// A write: into a damaged store, after rebuilding it.
    fn writing(&self, f: impl Fn(&Database) -> Result<()>) -> Result<()> {
        match self.with_db(&f) {
            Err(err) if err.downcast_ref::<Damaged>().is_some() => {
                Self::repair(&self.path)?;
                self.with_db(&f)
            }
            r => r,
        }
    }

    fn corrupted(&self, what: &str, how: &str) -> anyhow::Error {
        anyhow!(
            "the stored {what} in {} is corrupted (its checksum does not match); `casus data repair` rebuilds it from its release folder, or import it again: `casus data import {how} DIR`",
            self.path.display()
        )
    }

    pub fn cow(&self) -> Result<Option<CowRelease>> {
        let bytes = self.with_db(|db| {
            let r = db.begin_read().map_err(e)?;
            let t = match r.open_table(COW) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                Err(x) => return Err(e(x)),
            };
            Ok(t.get("cow").map_err(e)?.map(|v| v.value().to_vec()))
        })?;
        let Some(bytes) = bytes else {
            return Ok(None);
        };
        let body = unseal(&bytes).ok_or_else(|| self.corrupted("COW data", "cow"))?;
        CowRelease::from_bytes(body).map(Some).ok_or_else(|| {
            anyhow!("the stored COW data cannot be read (written by another casus version?); import it again")
        })
    }

    fn current_version(db: &Database) -> Result<Option<String>> {
        let r = db.begin_read().map_err(e)?;
        let m = match r.open_table(META) {
            Ok(m) => m,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(x) => return Err(e(x)),
        };
        Ok(m.get("current/atop").map_err(e)?.map(|v| v.value().to_string()))
    }

    pub fn current_atop(&self) -> Result<Option<Release>> {
        let got = self.with_db(|db| {
            let Some(v) = Self::current_version(db)? else {
                return Ok(None);
            };
            let r = db.begin_read().map_err(e)?;
            let t = r.open_table(DATA).map_err(e)?;
            let bytes = t.get(format!("atop/{v}").as_str()).map_err(e)?;
            Ok(bytes.map(|b| (v, b.value().to_vec())))
        })?;
        let Some((v, bytes)) = got else {
            return Ok(None);
        };
        let body = unseal(&bytes).ok_or_else(|| self.corrupted(&format!("ATOP {v}"), "atop"))?;
        Release::from_bytes(body).map(Some).ok_or_else(|| {
            anyhow!("the stored ATOP {v} cannot be read (written by another casus version?); import it again")
        })
    }

    pub fn list(&self) -> Result<Vec<Entry>> {
        self.with_db(|db| {
            let current = Self::current_version(db)?;
            let r = db.begin_read().map_err(e)?;
            let t = match r.open_table(DATA) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(vec![]),
                Err(x) => return Err(e(x)),
            };
            let m = r.open_table(META).map_err(e)?;
            let mut out = Vec::new();
            for item in t.iter().map_err(e)? {
                let (k, v) = item.map_err(e)?;
                let key = k.value().to_string();
                let Some(release) = unseal(v.value()).and_then(Release::from_bytes) else {
                    continue;
                };
                let files = m
                    .get(format!("files/{key}").as_str())
                    .map_err(e)?
                    .and_then(|s| serde_json::from_str(s.value()).ok())
                    .unwrap_or(serde_json::Value::Null);
                out.push(Entry {
                    current: current.as_deref() == Some(release.version.as_str()),
                    release,
                    files,
                });
            }
            Ok(out)
        })
    }

    /// Every stored value and whether it verifies: `(table/key, ok)`.
    fn audit(db: &Database) -> Result<Vec<(String, bool)>> {
        let r = db.begin_read().map_err(e)?;
        let mut out = Vec::new();
        for (name, def) in [("datasets", DATA), ("cow", COW)] {
            let t = match r.open_table(def) {
                Ok(t) => t,
                Err(redb::TableError::TableDoesNotExist(_)) => continue,
                Err(x) => return Err(e(x)),
            };
            for item in t.iter().map_err(e)? {
                let (k, v) = item.map_err(e)?;
                out.push((format!("{name}/{}", k.value()), unseal(v.value()).is_some()));
            }
        }
        Ok(out)
    }

    /// The stored datasets that fail their checksum (`datasets/atop/5.1`, `cow/cow`).
    pub fn damaged(&self) -> Result<Vec<String>> {
        let a = self.with_db(Self::audit)?;
        Ok(a.into_iter().filter(|(_, ok)| !ok).map(|(k, _)| k).collect())
    }

    /// Rebuilds the store at `path`: copies every dataset that still verifies into a new
    /// file, keeps the old one as `store.redb.damaged`, and says what was kept and lost.
    /// A healthy store is left as it is.
    pub fn repair(path: &Path) -> Result<Repair> {
        let s = Self {
            path: path.to_path_buf(),
        };
        if !path.exists() {
            return Ok(Repair {
                healthy: true,
                ..Repair::default()
            });
        }
        // What can still be read (nothing if the file does not open).
        type Rows = (
            Vec<(String, Vec<u8>)>,
            Vec<(String, Vec<u8>)>,
            Vec<(String, String)>,
        );
        let salvage = s.with_db(|db| {
            let mut rows: Rows = (vec![], vec![], vec![]);
            let mut lost = Vec::new();
            let Ok(r) = db.begin_read() else {
                return Ok((rows, lost, false));
            };
            let mut all_ok = true;
            for (which, def) in [(0, DATA), (1, COW)] {
                let Ok(t) = r.open_table(def) else { continue };
                let Ok(iter) = t.iter() else {
                    all_ok = false;
                    continue;
                };
                for item in iter {
                    let Ok((k, v)) = item else {
                        all_ok = false;
                        break;
                    };
                    let key = k.value().to_string();
                    if unseal(v.value()).is_some() {
                        let dst = if which == 0 { &mut rows.0 } else { &mut rows.1 };
                        dst.push((key, v.value().to_vec()));
                    } else {
                        all_ok = false;
                        lost.push(key);
                    }
                }
            }
            if let Ok(m) = r.open_table(META) {
                if let Ok(iter) = m.iter() {
                    for (k, v) in iter.flatten() {
                        rows.2.push((k.value().to_string(), v.value().to_string()));
                    }
                }
            }
            Ok((rows, lost, all_ok))
        });
        let ((data, cow, meta), lost, all_ok) = match salvage {
            Ok(x) => x,
            Err(err) if err.downcast_ref::<Damaged>().is_some() => (
                (vec![], vec![], vec![]),
                vec!["(the whole file: it does not open)".to_string()],
                false,
            ),
            Err(err) => return Err(err),
        };
        if all_ok {
            return Ok(Repair {
                healthy: true,
                kept: data.iter().chain(&cow).map(|(k, _)| k.clone()).collect(),
                ..Repair::default()
            });
        }
        let damaged_copy = path.with_extension("redb.damaged");
        std::fs::rename(path, &damaged_copy).with_context(|| {
            format!(
                "cannot move the damaged store aside to {}",
                damaged_copy.display()
            )
        })?;
        let kept: Vec<String> = data.iter().chain(&cow).map(|(k, _)| k.clone()).collect();
        s.with_db(|db| {
            let w = db.begin_write().map_err(e)?;
            {
                let mut t = w.open_table(DATA).map_err(e)?;
                for (k, v) in &data {
                    t.insert(k.as_str(), v.as_slice()).map_err(e)?;
                }
                let mut c = w.open_table(COW).map_err(e)?;
                for (k, v) in &cow {
                    c.insert(k.as_str(), v.as_slice()).map_err(e)?;
                }
                let mut m = w.open_table(META).map_err(e)?;
                for (k, v) in &meta {
                    // `current/atop` only if that version survived.
                    if k == "current/atop" && !data.iter().any(|(d, _)| *d == format!("atop/{v}")) {
                        continue;
                    }
                    m.insert(k.as_str(), v.as_str()).map_err(e)?;
                }
            }
            w.commit().map_err(e)?;
            Ok(())
        })?;
        Ok(Repair {
            healthy: false,
            kept,
            lost,
            damaged_copy: Some(damaged_copy),
        })
    }
}

#[allow(clippy::print_stderr)] // the session is the edge; a wait of unknown length is said at once
fn wait_message(path: &Path) {
    eprintln!(
        "casus: the data store {} is in use by another casus; waiting (up to {} s)…",
        path.display(),
        WAIT.as_secs()
    );
}
