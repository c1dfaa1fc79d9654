//! Writing a folder of results (`--out DIR`) so that nothing is lost and nothing looks
//! complete that is not (#16 items 2, 3, 5).
//!
//! ```text
//! let mut out = session.output_dir(Path::new("report"), force)?;   // checks DIR, makes a temp folder
//! out.write("summary.json", &bytes)?;                              // into the temp folder
//! out.write(&safe_name("rounds-", id, ".svg")?, svg.as_bytes())?;  // names from ids: validated
//! let written = out.commit()?;                                     // into place, manifest last
//! ```
//!
//! - **Whole or nothing.** Files go to a temporary folder beside DIR (same file system). On
//!   [`OutputDir::commit`], a DIR that did not exist is the temporary folder renamed (one
//!   atomic step: an interrupted run leaves no DIR at all). Into an existing DIR, the old
//!   manifest is removed first, each file is renamed into place (each rename atomic), and
//!   the new manifest is written last: a folder with a manifest is a complete set, one
//!   without is not. Dropping an `OutputDir` without `commit` removes the temporary folder.
//! - **The manifest** `casus-manifest.json` lists every file casus wrote, with its size in
//!   bytes and SHA-256 ([`Manifest`]); it is how casus knows which files are its own.
//! - **Never over the user's files.** A file in DIR that the old manifest does not list (or
//!   whose content changed since casus wrote it) is refused, unless `force`. Files casus
//!   wrote before and does not write now (stale results) are removed; nothing else is.
//! - **Interrupted.** Ctrl-C (SIGINT, SIGTERM, SIGHUP) while files are moved into place
//!   waits until the manifest is written, then ends the run as it would have; before that,
//!   it leaves only the temporary folder, which the next run into the same DIR removes.
//! - **Large files** (per-trial results) are written as they are computed:
//!   [`OutputDir::create_file`], then [`OutputDir::finish_file`] to list them.
//! - **Safe names.** [`check_name`]: 1–128 characters from `A–Z a–z 0–9 . _ -`, not starting
//!   with `.`; so no `/`, `..`, newline or NUL. [`safe_name`] builds a name from an id and
//!   says which id is unusable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's file name.
pub const MANIFEST: &str = "casus-manifest.json";

/// One file casus wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// `casus-manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub files: Vec<ManifestEntry>,
}

/// The characters a file name casus writes may use.
pub const NAME_CHARACTERS: &str = "A-Z a-z 0-9 . _ -";

/// Checks a file name against [`NAME_CHARACTERS`] (1–128 of them, not starting with `.`).
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        bail!(
            "`{}` cannot be a file name: use 1–128 characters from {NAME_CHARACTERS}, not starting with `.`",
            name.escape_debug()
        )
    }
}

/// `prefix + id + suffix`, checked; the error names the id.
pub fn safe_name(prefix: &str, id: &str, suffix: &str) -> Result<String> {
    if id.is_empty() {
        bail!("an empty id cannot name a file");
    }
    let name = format!("{prefix}{id}{suffix}");
    check_name(&name).with_context(|| format!("the id `{}` cannot name a file", id.escape_debug()))?;
    Ok(name)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A folder of results being written; see the module docs.
pub struct OutputDir {
    dir: PathBuf,
    tmp: PathBuf,
    force: bool,
    files: BTreeMap<String, ManifestEntry>,
    committed: bool,
}

impl OutputDir {
    /// Checks `dir` (a folder or nothing) and makes the temporary folder beside it.
    pub fn create(dir: &Path, force: bool) -> Result<Self> {
        if dir.exists() && !dir.is_dir() {
            bail!("{}: exists and is not a folder", dir.display());
        }
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let base = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        remove_abandoned(parent, &base);
        let tmp = parent.join(format!(".{base}.casus-tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).with_context(|| format!("cannot remove {}", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            tmp,
            force,
            files: BTreeMap::new(),
            committed: false,
        })
    }

    /// The folder the files will be in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file (into the temporary folder until [`commit`](Self::commit)).
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        check_name(name)?;
        if name == MANIFEST {
            bail!("{MANIFEST} is written by casus itself");
        }
        let p = self.tmp.join(name);
        std::fs::write(&p, bytes)
            .with_context(|| format!("cannot write {}", self.dir.join(name).display()))?;
        self.files.insert(
            name.to_string(),
            ManifestEntry {
                name: name.to_string(),
                bytes: bytes.len() as u64,
                sha256: sha256_hex(bytes),
            },
        );
        Ok(())
    }

    /// Creates a file to be written in pieces (in the temporary folder); call
    /// [`finish_file`](Self::finish_file) when it is complete, or it is not listed.
    pub fn create_file(&mut self, name: &str) -> Result<std::fs::File> {
        check_name(name)?;
        if name == MANIFEST {
            bail!("{MANIFEST} is written by casus itself");
        }
        std::fs::File::create(self.tmp.join(name))
            .with_context(|| format!("cannot write {}", self.dir.join(name).display()))
    }

    /// Lists a file made with [`create_file`](Self::create_file), now complete.
    pub fn finish_file(&mut self, name: &str) -> Result<()> {
        let p = self.tmp.join(name);
        let (bytes, sha256) = hash_file(&p).with_context(|| format!("cannot read {}", p.display()))?;
        self.files.insert(
            name.to_string(),
            ManifestEntry {
                name: name.to_string(),
                bytes,
                sha256,
            },
        );
        Ok(())
    }

    /// Refuses now, before a long run, if `names` would replace files casus did not write
    /// (unless `force`); [`commit`](Self::commit) checks again every file written.
    pub fn refuse_foreign(&self, names: &[&str]) -> Result<()> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        self.check_foreign(&names)
    }

    fn check_foreign(&self, names: &[String]) -> Result<()> {
        if self.force || !self.dir.exists() {
            return Ok(());
        }
        let old = Self::read_manifest(&self.dir);
        let foreign: Vec<&str> = names
            .iter()
            .filter(|n| {
                let p = self.dir.join(n);
                p.exists() && !is_ours(old.as_ref(), n, &p)
            })
            .map(|n| n.as_str())
            .collect();
        if !foreign.is_empty() {
            bail!(
                "{} has files casus did not write (or that changed since): {}; nothing was written. Choose another folder, move them, or pass --force to replace them",
                self.dir.display(),
                foreign.join(", ")
            );
        }
        Ok(())
    }

    /// The manifest in `dir`, if there is a readable one.
    pub fn read_manifest(dir: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Moves the files into place, the manifest last; returns the paths written. A signal
    /// that would end the process meanwhile takes effect once the manifest is written.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        let deferred = Deferred::start();
        let r = self.commit_inner();
        deferred.finish();
        r
    }

    fn commit_inner(&mut self) -> Result<Vec<PathBuf>> {
        let manifest = Manifest {
            tool: "casus".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            files: self.files.values().cloned().collect(),
        };
        let text = serde_json::to_string_pretty(&manifest)? + "\n";
        let written: Vec<PathBuf> = self.files.keys().map(|n| self.dir.join(n)).collect();
        if !self.dir.exists() {
            std::fs::write(self.tmp.join(MANIFEST), &text)
                .with_context(|| format!("cannot write {}", self.dir.join(MANIFEST).display()))?;
            std::fs::rename(&self.tmp, &self.dir)
                .with_context(|| format!("cannot move results into {}", self.dir.display()))?;
            self.committed = true;
            return Ok(written);
        }
        let old = Self::read_manifest(&self.dir);
        let ours = |name: &str, path: &Path| is_ours(old.as_ref(), name, path);
        let names: Vec<String> = self.files.keys().cloned().collect();
        self.check_foreign(&names)?;
        // From here the folder is not a complete set until the new manifest is in place.
        let mpath = self.dir.join(MANIFEST);
        if mpath.exists() {
            std::fs::remove_file(&mpath).with_context(|| format!("cannot replace {}", mpath.display()))?;
        }
        for n in self.files.keys() {
            let to = self.dir.join(n);
            std::fs::rename(self.tmp.join(n), &to)
                .with_context(|| format!("cannot write {}", to.display()))?;
        }
        // Stale results casus wrote last time (unchanged since) go; nothing else does.
        if let Some(m) = &old {
            for e in &m.files {
                let p = self.dir.join(&e.name);
                if !self.files.contains_key(&e.name) && check_name(&e.name).is_ok() && ours(&e.name, &p) {
                    let _ = std::fs::remove_file(&p);
                }
            }
        }
        let tmp_manifest = self.tmp.join(MANIFEST);
        std::fs::write(&tmp_manifest, &text).with_context(|| format!("cannot write {}", mpath.display()))?;
        std::fs::rename(&tmp_manifest, &mpath)
            .with_context(|| format!("cannot write {}", mpath.display()))?;
        let _ = std::fs::remove_dir_all(&self.tmp);
        self.committed = true;
        Ok(written)
    }
}

/// Whether `path` is the file `name` casus listed in `old`, unchanged since.
/// (Per-trial files are large: the size is compared first, the hash read in pieces.)
fn is_ours(old: Option<&Manifest>, name: &str, path: &Path) -> bool {
    old.is_some_and(|m| {
        m.files.iter().any(|e| {
            e.name == name
                && std::fs::metadata(path).is_ok_and(|md| md.len() == e.bytes)
                && hash_file(path).is_ok_and(|(_, h)| h == e.sha256)
        })
    })
}

/// A file's size and SHA-256, read in pieces (memory does not grow with the file).
pub fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    use std::io::Read as _;
    let mut f = std::fs::File::open(path)?;
    let (mut hash, mut bytes, mut buf) = (Sha256::new(), 0u64, vec![0u8; 1 << 16]);
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((
        bytes,
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
    ))
}

/// Removes the temporary folders of earlier runs into `parent/base` that were interrupted
/// (their process is gone; known only where `/proc` exists).
fn remove_abandoned(parent: &Path, base: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{base}.casus-tmp-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(&prefix).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Ending signals held back while a set of files is moved into place.
struct Deferred {
    #[cfg(unix)]
    held: Vec<(
        i32,
        std::sync::Arc<std::sync::atomic::AtomicBool>,
        signal_hook::SigId,
    )>,
    #[cfg(unix)]
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

#[cfg(unix)]
impl Deferred {
    const SIGNALS: [i32; 3] = [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ];

    fn start() -> Self {
        use std::sync::atomic::AtomicBool;
        use std::sync::Arc;
        let done = Arc::new(AtomicBool::new(false));
        let mut held = Vec::new();
        for sig in Self::SIGNALS {
            let seen = Arc::new(AtomicBool::new(false));
            // After `finish`, the signal does what it did before (end the process).
            let _ = signal_hook::flag::register_conditional_default(sig, done.clone());
            if let Ok(id) = signal_hook::flag::register(sig, seen.clone()) {
                held.push((sig, seen, id));
            }
        }
        Self { held, done }
    }

    fn finish(self) {
        use std::sync::atomic::Ordering;
        self.done.store(true, Ordering::SeqCst);
        for (sig, seen, id) in &self.held {
            signal_hook::low_level::unregister(*id);
            if seen.load(Ordering::SeqCst) {
                let _ = signal_hook::low_level::emulate_default_handler(*sig);
            }
        }
    }
}

#[cfg(not(unix))]
impl Deferred {
    fn start() -> Self {
        Self {}
    }
    fn finish(self) {}
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Why a path could not be written: the error names it.
pub fn describe(path: &Path, e: std::io::Error) -> anyhow::Error {
    anyhow!("cannot write {}: {e}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("casus-outdir-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn names_from_ids_cannot_leave_the_folder() {
        // #16 item 5: an id `x/../../escaped` wrote an SVG outside --out; a newline forged rows.
        for bad in ["x/../../escaped", "../x", "a/b", "a\nb", "", "a\0b", "é"] {
            assert!(safe_name("rounds-", bad, ".svg").is_err(), "{bad:?}");
        }
        assert!(check_name(".hidden").is_err() && check_name("..").is_err());
        let e = safe_name("rounds-", "x/../../escaped", ".svg").unwrap_err();
        assert!(format!("{e:#}").contains("x/../../escaped"), "{e:#}");
        assert_eq!(
            safe_name("rounds-", "territory_2", ".svg").unwrap(),
            "rounds-territory_2.svg"
        );
    }

    #[test]
    fn a_new_folder_appears_whole_with_a_manifest() {
        let d = scratch("new").join("out");
        let mut o = OutputDir::create(&d, false).unwrap();
        o.write("a.txt", b"one").unwrap();
        assert!(!d.exists(), "nothing visible before commit");
        o.commit().unwrap();
        let m = OutputDir::read_manifest(&d).unwrap();
        assert_eq!(m.files.len(), 1);
        assert_eq!(m.files[0].bytes, 3);
        assert_eq!(m.files[0].sha256, sha256_hex(b"one"));
        // Dropped without commit: no trace.
        let d2 = d.with_file_name("out2");
        let mut o = OutputDir::create(&d2, false).unwrap();
        o.write("a.txt", b"x").unwrap();
        drop(o);
        assert!(!d2.exists());
        let left: Vec<_> = std::fs::read_dir(d.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "temporary folders removed");
    }

    #[test]
    fn refuses_to_overwrite_the_users_files_unless_forced() {
        // #16 item 3: --out silently overwrote the user's files.
        let d = scratch("user");
        std::fs::write(d.join("report.md"), "my notes").unwrap();
        std::fs::write(d.join("keep.txt"), "mine").unwrap();
        let mut o = OutputDir::create(&d, false).unwrap();
        o.write("report.md", b"casus").unwrap();
        let e = o.commit().unwrap_err();
        assert!(
            format!("{e}").contains("report.md") && format!("{e}").contains("--force"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(d.join("report.md")).unwrap(), "my notes");
        let mut o = OutputDir::create(&d, true).unwrap();
        o.write("report.md", b"casus").unwrap();
        o.commit().unwrap();
        assert_eq!(std::fs::read_to_string(d.join("report.md")).unwrap(), "casus");
        assert_eq!(
            std::fs::read_to_string(d.join("keep.txt")).unwrap(),
            "mine",
            "unrelated file kept"
        );
        // Rewriting its own files needs no --force; stale own files go, the user's stay.
        std::fs::write(d.join("report.md"), "casus").unwrap();
        let mut o = OutputDir::create(&d, false).unwrap();
        o.write("other.md", b"2").unwrap();
        o.write("report.md", b"casus again").unwrap();
        o.commit().unwrap();
        let mut o = OutputDir::create(&d, false).unwrap();
        o.write("other.md", b"3").unwrap();
        o.commit().unwrap();
        assert!(!d.join("report.md").exists(), "stale result of casus removed");
        assert!(d.join("keep.txt").exists());
        // A file of casus the user edited is the user's now.
        std::fs::write(d.join("other.md"), "edited").unwrap();
        let mut o = OutputDir::create(&d, false).unwrap();
        o.write("other.md", b"4").unwrap();
        assert!(o.commit().is_err());
    }
}
