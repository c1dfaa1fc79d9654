//! The data store: imported datasets, parsed once, in one redb file under the user's data
//! directory (`$CASUS_DATA_DIR`, else e.g. `~/.local/share/casus/store.redb`). Each version
//! is one key (`atop/5.1`) holding the postcard-encoded parse; `current/atop` names the
//! version commands use (the last imported). See casus-history's crate docs for why redb.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use casus_history::atop::{Recognised, Release};
use casus_history::cow::CowRelease;
use redb::{Database, ReadableTable, TableDefinition};

const DATA: TableDefinition<&str, &[u8]> = TableDefinition::new("datasets");
const META: TableDefinition<&str, &str> = TableDefinition::new("meta");
/// Correlates of War files, kept apart from ATOP's releases (one key: `cow`).
const COW: TableDefinition<&str, &[u8]> = TableDefinition::new("cow");

pub struct Store {
    db: Database,
    path: PathBuf,
}

pub struct Entry {
    pub release: Release,
    pub current: bool,
    pub files: serde_json::Value,
}

fn e<E: std::fmt::Display>(x: E) -> anyhow::Error {
    anyhow!("data store: {x}")
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

    pub fn open(path: &Path) -> Result<Self> {
        let path = path.to_path_buf();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let db = Database::create(&path)
            .map_err(e)
            .with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Self { db, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn put_atop(&self, release: &Release, files: &[(String, Recognised)]) -> Result<()> {
        let key = format!("atop/{}", release.version);
        let info = serde_json::json!(files
            .iter()
            .map(|(f, r)| serde_json::json!({"file": f, "kind": r.kind.name(), "rows": r.rows}))
            .collect::<Vec<_>>())
        .to_string();
        let w = self.db.begin_write().map_err(e)?;
        {
            let mut t = w.open_table(DATA).map_err(e)?;
            t.insert(key.as_str(), release.to_bytes().as_slice()).map_err(e)?;
            let mut m = w.open_table(META).map_err(e)?;
            m.insert("current/atop", release.version.as_str()).map_err(e)?;
            m.insert(format!("files/{key}").as_str(), info.as_str())
                .map_err(e)?;
        }
        w.commit().map_err(e)?;
        Ok(())
    }

    /// Stores the COW files (replacing what was stored before).
    pub fn put_cow(&self, release: &CowRelease) -> Result<()> {
        let w = self.db.begin_write().map_err(e)?;
        {
            let mut t = w.open_table(COW).map_err(e)?;
            t.insert("cow", release.to_bytes().as_slice()).map_err(e)?;
        }
        w.commit().map_err(e)?;
        Ok(())
    }

    pub fn cow(&self) -> Result<Option<CowRelease>> {
        let r = self.db.begin_read().map_err(e)?;
        let t = match r.open_table(COW) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(x) => return Err(e(x)),
        };
        let Some(bytes) = t.get("cow").map_err(e)? else {
            return Ok(None);
        };
        CowRelease::from_bytes(bytes.value()).map(Some).ok_or_else(|| {
            anyhow!("the stored COW data cannot be read (written by another casus version?); import it again")
        })
    }

    fn current_version(&self) -> Result<Option<String>> {
        let r = self.db.begin_read().map_err(e)?;
        let m = match r.open_table(META) {
            Ok(m) => m,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(x) => return Err(e(x)),
        };
        Ok(m.get("current/atop").map_err(e)?.map(|v| v.value().to_string()))
    }

    pub fn current_atop(&self) -> Result<Option<Release>> {
        let Some(v) = self.current_version()? else {
            return Ok(None);
        };
        let r = self.db.begin_read().map_err(e)?;
        let t = r.open_table(DATA).map_err(e)?;
        let Some(bytes) = t.get(format!("atop/{v}").as_str()).map_err(e)? else {
            return Ok(None);
        };
        Release::from_bytes(bytes.value()).map(Some).ok_or_else(|| {
            anyhow!("the stored ATOP {v} cannot be read (written by another casus version?); import it again")
        })
    }

    pub fn list(&self) -> Result<Vec<Entry>> {
        let current = self.current_version()?;
        let r = self.db.begin_read().map_err(e)?;
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
            let Some(release) = Release::from_bytes(v.value()) else {
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
    }
}
