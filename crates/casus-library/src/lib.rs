//! The built-in library: every file under `library/` at the root of the repository,
//! compiled into the binary so that `casus` works from any folder.

use casus_syntax::SourceFile;
use include_dir::{include_dir, Dir, DirEntry};

static LIBRARY: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../library");

/// The library's data files (TOML and TSV), in a stable order, with paths such as
/// `library/commitments/north-atlantic-treaty.toml`. Documentation files are left out.
pub fn files() -> Vec<SourceFile> {
    let mut out = Vec::new();
    collect(&LIBRARY, &mut out);
    out.sort_by(|a, b| {
        load_order(&a.path)
            .cmp(&load_order(&b.path))
            .then_with(|| a.path.cmp(&b.path))
    });
    out
}

/// Tables first so that TOML files can name the places and actors they define.
fn load_order(path: &str) -> u8 {
    if path.ends_with(".tsv") {
        0
    } else {
        1
    }
}

fn collect(dir: &Dir<'_>, out: &mut Vec<SourceFile>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(d) => collect(d, out),
            DirEntry::File(f) => {
                let path = f.path().to_string_lossy().replace('\\', "/");
                if !(path.ends_with(".toml") || path.ends_with(".tsv")) {
                    continue;
                }
                // Files with readers of their own (negotiation scenarios, the capability
                // and coverage tables, the source grades) are not files of the model.
                if !is_model_file(&path) {
                    continue;
                }
                if let Some(text) = f.contents_utf8() {
                    out.push(SourceFile::new(format!("library/{path}"), text));
                }
            }
        }
    }
}

/// The default capability table (COW NMC 7.0, latest year per state; see
/// `library/capabilities/PROVENANCE.md`), read by `casus_sim::capability::Table::parse`.
pub fn capabilities() -> SourceFile {
    const PATH: &str = "capabilities/cow-nmc-7.0-2022.tsv";
    let text = LIBRARY
        .get_file(PATH)
        .and_then(|f| f.contents_utf8())
        .unwrap_or_default();
    SourceFile::new(format!("library/{PATH}"), text)
}

/// Whether a library path holds a file of the commitment model (read by `casus_model::load`),
/// rather than one read by its own reader: negotiation scenarios (casus-negotiate), the ATOP
/// coverage table (`coverage/`), the capability table (`capabilities/`, casus-sim), the
/// relations between states (`relations/`: alignment, records, followers; casus-sim) and the
/// grades of citation sources (`sources/`).
pub fn is_model_file(path: &str) -> bool {
    let path = path.replace('\\', "/");
    let under = |dir: &str| path.starts_with(&format!("{dir}/")) || path.contains(&format!("/{dir}/"));
    !(is_negotiation(&path)
        || under("coverage")
        || under("capabilities")
        || under("relations")
        || under("sources"))
}

/// A built-in data file that has its own reader (`coverage/atop-active-2018.tsv`,
/// `sources/grades.tsv`), by its path under `library/`.
pub fn data_file(path: &str) -> Option<SourceFile> {
    let f = LIBRARY.get_file(path)?;
    Some(SourceFile::new(format!("library/{path}"), f.contents_utf8()?))
}

/// The ATOP coverage table: every ATOP alliance in force at the end of its coverage with a
/// defence or offence obligation, and whether the library encodes it.
pub fn atop_coverage() -> Option<SourceFile> {
    data_file("coverage/atop-active-2018.tsv")
}

/// Whether a library path holds a negotiation scenario (a file in a `negotiation/` folder),
/// which casus-negotiate reads, rather than a file of the commitment model.
pub fn is_negotiation(path: &str) -> bool {
    let path = path.replace('\\', "/");
    path.starts_with("negotiation/") || path.contains("/negotiation/")
}

/// The built-in negotiation scenarios (`library/negotiation/ID.toml`), by path.
pub fn negotiation_scenarios() -> Vec<SourceFile> {
    let Some(dir) = LIBRARY.get_dir("negotiation") else {
        return Vec::new();
    };
    let mut out: Vec<SourceFile> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| {
            let path = f.path().to_string_lossy().replace('\\', "/");
            Some(SourceFile::new(format!("library/{path}"), f.contents_utf8()?))
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A built-in negotiation scenario by id (`ukraine` → `library/negotiation/ukraine.toml`).
pub fn negotiation_scenario(id: &str) -> Option<SourceFile> {
    negotiation_scenarios()
        .into_iter()
        .find(|f| f.path == format!("library/negotiation/{id}.toml"))
}

/// The built-in library, resolved.
pub fn load() -> casus_model::Loaded {
    casus_model::load(&files())
}
