//! `--library atop:DIR` (or `--library atop` with `$CASUS_ATOP`): ATOP's alliances added to the
//! library as commitments (`casus_history::commitments`), so `obligations` and `cascade` answer
//! on the historical network, each answer citing the ATOP alliance id and provision.
//!
//! The member-level file is found in DIR by its content; the COW state-system file
//! (`states2016.csv`, for the names of states the library lacks) is looked for in DIR, in the
//! folders beside DIR, at `$CASUS_COW_STATES`, or in the store (`casus data import cow`); without it such states are named `COW-NNN`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use casus_history::atop::{self, FileKind};
use casus_history::commitments::{member_rows, parse_states, to_commitments};
use casus_model::Library;

/// Is this `--library` value the reserved name `atop` or `atop:DIR` rather than a path?
pub fn is_spec(p: &Path) -> bool {
    let s = p.to_string_lossy();
    (s == "atop" || s.starts_with("atop:")) && !p.exists()
}

/// A folder's CSV files; an unreadable folder has none (these are optional companions).
fn csv_files(dir: &Path) -> Vec<PathBuf> {
    crate::files::csv_files(dir).unwrap_or_default()
}

fn header(path: &Path) -> String {
    use std::io::BufRead;
    std::fs::File::open(path)
        .ok()
        .and_then(|f| std::io::BufReader::new(f).lines().next().and_then(|l| l.ok()))
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn states_file(dir: &Path, env: &crate::Env) -> Option<PathBuf> {
    if let Some(p) = &env.cow_states {
        return Some(p.clone());
    }
    let mut dirs = vec![dir.to_path_buf()];
    if let Some(parent) = dir.parent() {
        if let Ok(r) = std::fs::read_dir(parent) {
            let mut sub: Vec<PathBuf> = r
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect();
            sub.sort();
            dirs.extend(sub);
        }
    }
    dirs.iter().flat_map(|d| csv_files(d)).find(|p| {
        let h = header(p);
        h.contains("stateabb") && h.contains("ccode") && h.contains("styear") && h.contains("endyear")
    })
}

/// Reads ATOP's files and appends its alliances to the library.
pub fn extend(lib: &mut Library, spec: &Path, env: &crate::Env) -> Result<()> {
    let s = spec.to_string_lossy();
    let dir = match s.strip_prefix("atop:") {
        Some(d) => PathBuf::from(d),
        None => env.atop.clone().ok_or_else(|| anyhow!("--library atop: give the folder of ATOP's release files as --library atop:DIR (or set CASUS_ATOP)"))?,
    };
    let mut member = None;
    for p in csv_files(&dir) {
        let h = header(&p);
        if !(h.contains("member") && h.contains("yrent") && h.contains("obvary")) {
            continue;
        }
        let bytes = std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
        let file = casus_syntax::table::text_file(p.display().to_string(), bytes)?;
        if atop::recognise(&file)?.is_some_and(|r| r.kind == FileKind::Member) {
            member = Some(file);
            break;
        }
    }
    let Some(file) = member else {
        bail!(
            "--library atop: no ATOP member-level file (columns member, yrent, obvary, version) in {}",
            dir.display()
        );
    };
    let read = atop::read_members(&file)?;
    let rows = member_rows(&read)?;
    let states = match states_file(&dir, env) {
        Some(p) => {
            let bytes = std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
            parse_states(&casus_syntax::table::text_file(p.display().to_string(), bytes)?)?
        }
        // Else the COW state system imported with `casus data import cow`, if there is a store.
        None => match crate::store::Store::path_for(env) {
            Ok(p) if p.exists() => crate::store::Store::open(&p)?
                .cow()?
                .map(|c| c.states)
                .unwrap_or_default(),
            _ => Vec::new(),
        },
    };
    let (version, last) = (&read.release.version, read.release.last_year);
    let file = Path::new(&file.path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let h = to_commitments(
        lib,
        &rows,
        &states,
        &format!("ATOP {version}, {file} (atopdata.org)"),
        last,
    );
    lib.extend_with(h.commitments, h.actors, h.orgs)
        .map_err(|e| anyhow!("--library atop: {e}"))
}
