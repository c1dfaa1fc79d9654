//! The historical record, part 2: the datasets in the local store (`data import|list|
//! versions|cite`) and ATOP's directed dyad-years (`dyads`). The session reads the release
//! folders and keeps the store; these functions recognise and read the files, derive, and
//! say what was done. A result that must be stored carries it, unserialised, for the session.

use std::collections::HashMap;

use casus_history::atop::{self, Recognised, Release};
use casus_history::corrections::Corrections;
use casus_history::cow::{self, CowKind, CowRelease};
use casus_model::Library;
use casus_render::{Report, Section};
use casus_syntax::{Diagnostic, SourceFile};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Answer, Result};

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImportedFile {
    pub file: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
}

/// What `casus data import atop DIR --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AtopImport {
    pub dataset: String,
    pub version: String,
    pub memberships: usize,
    pub alliances: usize,
    pub coverage: [u16; 2],
    pub store: String,
    pub files: Vec<ImportedFile>,
    /// What the session stores.
    #[serde(skip)]
    pub release: Option<Release>,
    #[serde(skip)]
    pub recognised: Vec<(String, Recognised)>,
}

/// Reads ATOP's release folder (`files`, as the session read them from `dir`) for the store
/// at `store`.
pub fn import_atop(dir: &str, files: &[SourceFile], store: &str) -> Result<Answer<AtopImport>> {
    let (read, found) = atop::read_release(dir, files)?;
    let release = read.release;
    let mut s = Section::new(
        "Files recognised (by content)",
        &["file", "what", "version", "rows"],
    );
    for (f, r) in &found {
        s.row(vec![
            f.clone(),
            r.kind.name().into(),
            r.version.clone(),
            r.rows.to_string(),
        ]);
    }
    let (a, b) = release.coverage();
    s.notes.push(format!(
        "Stored ATOP {}: {} memberships in {} alliances, {a}–{b}, in {store}.",
        release.version,
        release.memberships.len(),
        release.alliances(),
    ));
    let report = Report {
        heading: vec![format!("Imported ATOP {}", release.version)],
        sections: vec![s],
        records: None,
    };
    let data = AtopImport {
        dataset: "atop".into(),
        version: release.version.clone(),
        memberships: release.memberships.len(),
        alliances: release.alliances(),
        coverage: [a, b],
        store: store.into(),
        files: found
            .iter()
            .map(|(f, r)| ImportedFile {
                file: f.clone(),
                kind: r.kind.name().into(),
                version: Some(r.version.clone()),
                rows: Some(r.rows),
            })
            .collect(),
        release: Some(release),
        recognised: found,
    };
    Ok(Answer::new(data, report))
}

/// What `casus data import cow DIR --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CowImport {
    pub dataset: String,
    pub version: String,
    pub states: usize,
    pub majors: usize,
    pub capabilities: usize,
    pub coverage: Option<(u16, u16)>,
    pub store: String,
    pub files: Vec<ImportedFile>,
    /// What the session stores.
    #[serde(skip)]
    pub release: Option<CowRelease>,
}

/// Reads the Correlates of War files in a folder (recognised by content); what an earlier
/// import stored (`stored`) and this one lacks is kept.
pub fn import_cow(
    dir: &str,
    files: &[SourceFile],
    stored: Option<CowRelease>,
    store: &str,
) -> Result<Answer<CowImport>> {
    let mut release = CowRelease::default();
    let mut found: Vec<(String, CowKind)> = Vec::new();
    for f in files {
        let Some(kind) = cow::recognise(&f.text) else {
            continue;
        };
        if found.iter().any(|(_, k)| *k == kind) {
            return Err(Diagnostic::plain(format!(
                "{} is a second {} file in {dir}; import one at a time",
                f.path,
                kind.name()
            )));
        }
        cow::add_file(&mut release, kind, f)?;
        found.push((f.path.clone(), kind));
    }
    if found.is_empty() {
        return Err(Diagnostic::plain(format!("no Correlates of War file (state system: stateabb,ccode,styear…; capabilities: ccode,year,cinc) in {dir}")));
    }
    if let Some(old) = stored {
        release.keep_from(old);
    }
    let mut s = Section::new("Files recognised (by content)", &["file", "what", "version"]);
    for (f, k) in &found {
        let v = release
            .versions
            .iter()
            .find(|(x, _)| x == k)
            .map(|x| x.1.clone())
            .unwrap_or_default();
        s.row(vec![f.clone(), k.name().into(), v]);
    }
    s.notes.push(format!(
        "Stored COW data: {} states, {} major-power spells, {} state-years of capabilities, in {store}.",
        release.states.len(),
        release.majors.len(),
        release.capabilities.len(),
    ));
    let report = Report {
        heading: vec![format!("Imported COW ({})", release.version())],
        sections: vec![s],
        records: None,
    };
    let data = CowImport {
        dataset: "cow".into(),
        version: release.version(),
        states: release.states.len(),
        majors: release.majors.len(),
        capabilities: release.capabilities.len(),
        coverage: release.coverage(),
        store: store.into(),
        files: found
            .iter()
            .map(|(f, k)| ImportedFile {
                file: f.clone(),
                kind: k.name().into(),
                version: None,
                rows: None,
            })
            .collect(),
        release: Some(release),
    };
    Ok(Answer::new(data, report))
}

/// One stored ATOP release, as the session found it in the store.
pub struct StoredAtop {
    pub release: Release,
    pub current: bool,
    /// The files it was imported from (as stored).
    pub files: serde_json::Value,
}

/// A dataset in the store.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum StoredDataset {
    Atop {
        dataset: String,
        version: String,
        current: bool,
        coverage: [u16; 2],
        memberships: usize,
        alliances: usize,
        fingerprint: String,
        files: serde_json::Value,
    },
    Cow {
        dataset: String,
        version: String,
        current: bool,
        coverage: Option<(u16, u16)>,
        states: usize,
        majors: usize,
        capabilities: usize,
    },
}

/// What `casus data repair --format json` prints: what was kept, lost and imported again.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataRepair {
    pub store: String,
    /// The store opened and every dataset verified before anything was done.
    pub healthy: bool,
    /// Stored datasets that verified and were kept (`datasets/atop/5.1`, `cow/cow`).
    pub kept: Vec<String>,
    /// Stored datasets that could not be read or failed their checksum.
    pub lost: Vec<String>,
    /// Where the damaged file was moved.
    pub damaged_copy: Option<String>,
    /// Datasets imported again, and from where.
    pub reimported: Vec<(String, String)>,
    /// Datasets lost with no release folder to import them from, and the command that would.
    pub missing: Vec<(String, String)>,
}

/// What `casus data list` and `casus data versions` print.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataList {
    pub store: String,
    pub datasets: Vec<StoredDataset>,
}

/// The store's contents: dataset, version, coverage, size.
pub fn list(store: &str, atop: &[StoredAtop], cow: Option<&CowRelease>) -> Answer<DataList> {
    let mut s = Section::new(
        "Stored data",
        &[
            "dataset",
            "version",
            "in use",
            "coverage",
            "memberships",
            "alliances",
            "fingerprint",
        ],
    );
    let mut rows = Vec::new();
    for e in atop {
        let (a, b) = e.release.coverage();
        let fingerprint = format!("{:016x}", e.release.fingerprint);
        s.row(vec![
            "atop".into(),
            e.release.version.clone(),
            if e.current { "yes" } else { "" }.into(),
            format!("{a}–{b}"),
            e.release.memberships.len().to_string(),
            e.release.alliances().to_string(),
            fingerprint.clone(),
        ]);
        rows.push(StoredDataset::Atop {
            dataset: "atop".into(),
            version: e.release.version.clone(),
            current: e.current,
            coverage: [a, b],
            memberships: e.release.memberships.len(),
            alliances: e.release.alliances(),
            fingerprint,
            files: e.files.clone(),
        });
    }
    if let Some(r) = cow {
        let coverage = r
            .coverage()
            .map(|(a, b)| format!("{a}–{b}"))
            .unwrap_or_else(|| "—".into());
        s.row(vec![
            "cow".into(),
            r.version(),
            "yes".into(),
            coverage,
            format!("{} states", r.states.len()),
            "—".into(),
            "—".into(),
        ]);
        rows.push(StoredDataset::Cow {
            dataset: "cow".into(),
            version: r.version(),
            current: true,
            coverage: r.coverage(),
            states: r.states.len(),
            majors: r.majors.len(),
            capabilities: r.capabilities.len(),
        });
    }
    if rows.is_empty() {
        s.notes.push(
            "Nothing imported yet: `casus data import atop DIR` (ATOP's release files, from atopdata.org)."
                .into(),
        );
    } else {
        s.notes
            .push("Outside a dataset's coverage the answer is unknown, not no.".into());
    }
    let report = Report {
        heading: vec![format!("casus data store: {store}")],
        sections: vec![s],
        records: None,
    };
    Answer::new(
        DataList {
            store: store.into(),
            datasets: rows,
        },
        report,
    )
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Citation {
    pub dataset: String,
    pub version: String,
    pub citation: String,
}

/// What `casus data cite` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Citations {
    pub citations: Vec<Citation>,
}

/// How to cite the stored datasets.
pub fn cite(atop: &[StoredAtop], cow: Option<&CowRelease>) -> Answer<Citations> {
    let mut s = Section::new("Citations", &["dataset", "version", "cite"]);
    let mut rows = Vec::new();
    for e in atop {
        rows.push(Citation {
            dataset: "atop".into(),
            version: e.release.version.clone(),
            citation: e.release.citation(),
        });
    }
    if let Some(r) = cow {
        rows.push(Citation {
            dataset: "cow".into(),
            version: r.version(),
            citation: r.citation(),
        });
    }
    for c in &rows {
        s.row(vec![c.dataset.clone(), c.version.clone(), c.citation.clone()]);
    }
    if rows.is_empty() {
        s.notes.push("Nothing imported yet.".into());
    }
    let report = Report {
        heading: vec!["How to cite the data casus used".into()],
        sections: vec![s],
        records: None,
    };
    Answer::new(Citations { citations: rows }, report)
}

/// How states are named in the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Codes {
    /// COW country codes (as ATOP writes them), as numbers.
    #[default]
    Cow,
    /// casus actor ids (ISO 3166-1 alpha-3) through the library's dated COW crosswalk; `cow:NNN` where it has none.
    Iso,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct DyadsRequest {
    /// First year (default: the release's first).
    #[serde(default)]
    pub from: Option<u16>,
    /// Last year (default: the release's last; later years are unknown, not "no alliance").
    #[serde(default)]
    pub to: Option<u16>,
    #[serde(default)]
    pub codes: Codes,
}

/// The two states of a directed dyad: COW codes (numbers) or casus ids.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Pair {
    Cow { ccode1: u16, ccode2: u16 },
    Iso { actor1: String, actor2: String },
}

/// One directed dyad-year: what the first state owes the second in that year.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DyadRow {
    #[serde(flatten)]
    pub pair: Pair,
    pub year: u16,
    pub defense: u8,
    pub offense: u8,
    pub neutral: u8,
    pub nonagg: u8,
    pub consul: u8,
    /// The ATOP alliances behind the row.
    pub atopids: Vec<u32>,
}

/// What `casus dyads --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Dyads {
    pub atop_version: String,
    pub from: u16,
    pub to: u16,
    pub coverage: [u16; 2],
    pub rows: Vec<DyadRow>,
    /// Notes for people (a window past the coverage), printed beside the rows.
    #[serde(skip)]
    pub notes: Vec<String>,
    #[serde(skip)]
    pub corrections: usize,
}

/// ATOP's directed dyad-year obligations, derived from the member-level release.
pub fn dyads(lib: &Library, release: &Release, req: &DyadsRequest) -> Result<Answer<Dyads>> {
    let (first, last) = release.coverage();
    let (from, to) = (req.from.unwrap_or(first), req.to.unwrap_or(last));
    if from > to {
        return Err(Diagnostic::input("from", format!("{from} is after --to {to}")));
    }
    let corrections = Corrections::for_version(&release.version);
    let d = casus_history::derive(release, &corrections, from, to);
    let mut notes = Vec::new();
    if to > last || from < first {
        notes.push(format!("ATOP {} covers {first}–{last}; years outside it are unknown (no rows), not years without alliances.", release.version));
    }
    let mut cache: HashMap<(u16, u16), String> = HashMap::new();
    let mut name = |code: u16, year: u16| -> String {
        cache
            .entry((code, year))
            .or_insert_with(|| {
                let mid = chrono::NaiveDate::from_ymd_opt(year as i32, 7, 1);
                lib.actor_by_cow(code, mid)
                    .or_else(|| lib.actor_by_cow(code, None))
                    .map_or_else(|| format!("cow:{code}"), |a| lib.actor(a).id.clone())
            })
            .clone()
    };
    let rows = d
        .rows
        .iter()
        .map(|r| {
            let f = r.obligations.flags();
            DyadRow {
                pair: match req.codes {
                    Codes::Cow => Pair::Cow {
                        ccode1: r.ccode1,
                        ccode2: r.ccode2,
                    },
                    Codes::Iso => Pair::Iso {
                        actor1: name(r.ccode1, r.year),
                        actor2: name(r.ccode2, r.year),
                    },
                },
                year: r.year,
                defense: f[0] as u8,
                offense: f[1] as u8,
                neutral: f[2] as u8,
                nonagg: f[3] as u8,
                consul: f[4] as u8,
                atopids: d.alliances(r).to_vec(),
            }
        })
        .collect();
    let data = Dyads {
        atop_version: release.version.clone(),
        from,
        to,
        coverage: [first, last],
        rows,
        notes,
        corrections: corrections.len(),
    };
    // The rows are the table; people get them as CSV ([`dyads_csv`]), not laid out.
    Ok(Answer::new(data, Report::default()))
}

/// The rows as CSV with a header (`ccode1,ccode2,year,defense,…` or `actor1,actor2,…`).
pub fn dyads_csv(d: &Dyads, codes: Codes) -> String {
    use std::fmt::Write;
    let (c1, c2) = match codes {
        Codes::Cow => ("ccode1", "ccode2"),
        Codes::Iso => ("actor1", "actor2"),
    };
    let mut out = format!("{c1},{c2},year,defense,offense,neutral,nonagg,consul\n");
    for r in &d.rows {
        let _ = match &r.pair {
            Pair::Cow { ccode1, ccode2 } => write!(out, "{ccode1},{ccode2}"),
            Pair::Iso { actor1, actor2 } => write!(out, "{actor1},{actor2}"),
        };
        let _ = writeln!(
            out,
            ",{},{},{},{},{},{}",
            r.year, r.defense, r.offense, r.neutral, r.nonagg, r.consul
        );
    }
    out
}

/// What `casus dyads --out FILE --format json` prints: a summary of the rows written.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DyadsWritten {
    pub atop_version: String,
    pub from: u16,
    pub to: u16,
    pub coverage: [u16; 2],
    pub rows: usize,
    pub defense: usize,
    pub offense: usize,
    pub neutral: usize,
    pub nonagg: usize,
    pub consul: usize,
    pub file: String,
    pub notes: Vec<String>,
}

/// The summary of dyads written to `file`.
pub fn dyads_written(d: &Dyads, file: &str) -> Answer<DyadsWritten> {
    let mut counts = [0usize; 5];
    for r in &d.rows {
        for (i, f) in [r.defense, r.offense, r.neutral, r.nonagg, r.consul]
            .iter()
            .enumerate()
        {
            counts[i] += *f as usize;
        }
    }
    let [first, last] = d.coverage;
    let mut s = Section::new(
        format!("Directed dyad-years {}–{}", d.from.max(first), d.to.min(last)),
        &["rows", "defense", "offense", "neutral", "nonagg", "consul"],
    );
    s.row(
        std::iter::once(d.rows.len())
            .chain(counts)
            .map(|c| c.to_string())
            .collect(),
    );
    s.notes = d.notes.clone();
    s.notes.push(format!(
        "Written to {file} ({} corrections of directed obligations from ATOP applied).",
        d.corrections
    ));
    let report = Report {
        heading: vec![format!(
            "ATOP {} directed dyad-year obligations, derived from the member-level file",
            d.atop_version
        )],
        sections: vec![s],
        records: None,
    };
    let data = DyadsWritten {
        atop_version: d.atop_version.clone(),
        from: d.from,
        to: d.to,
        coverage: d.coverage,
        rows: d.rows.len(),
        defense: counts[0],
        offense: counts[1],
        neutral: counts[2],
        nonagg: counts[3],
        consul: counts[4],
        file: file.into(),
        notes: d.notes.clone(),
    };
    Answer::new(data, report)
}

/// ATOP's release from its folder (`files`, as the session read them from `dir`).
pub fn read_release(dir: &str, files: &[SourceFile]) -> Result<Release> {
    Ok(atop::read_release(dir, files)?.0.release)
}
