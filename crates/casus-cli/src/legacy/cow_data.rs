//! `casus data import cow DIR`: the Correlates of War state system, major powers and National
//! Material Capabilities files, recognised by content and kept in the store.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use casus_history::cow::{self, CowRelease};
use serde_json::{json, Value};

use casus_session::store::Store;

use super::{Report, Section};

pub fn import(dir: &Path) -> Result<Report> {
    let files = casus_session::csv_files(dir)?;
    let mut release = CowRelease::default();
    let mut found = Vec::new();
    for p in files {
        let text = std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        let Some(kind) = cow::recognise(&text) else {
            continue;
        };
        let name = p.display().to_string();
        if found.iter().any(|(_, k)| *k == kind) {
            bail!(
                "{name} is a second {} file in {}; import one at a time",
                kind.name(),
                dir.display()
            );
        }
        cow::add_file(&mut release, kind, &name, &text).map_err(|e| anyhow!("{e}"))?;
        found.push((name, kind));
    }
    if found.is_empty() {
        bail!("no Correlates of War file (state system: stateabb,ccode,styear…; capabilities: ccode,year,cinc) in {}", dir.display());
    }
    let store = super::open_store()?;
    // Files imported earlier from other folders (the NMC folder after the state-system one) stay.
    if let Some(old) = store.cow()? {
        if release.states.is_empty() {
            release.states = old.states;
        }
        if release.majors.is_empty() {
            release.majors = old.majors;
        }
        if release.capabilities.is_empty() {
            release.capabilities = old.capabilities;
        }
        for v in old.versions {
            if !release.versions.iter().any(|(k, _)| *k == v.0) {
                release.versions.push(v);
            }
        }
    }
    store.put_cow(&release)?;
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
        "Stored COW data: {} states, {} major-power spells, {} state-years of capabilities, in {}.",
        release.states.len(),
        release.majors.len(),
        release.capabilities.len(),
        store.path().display()
    ));
    Ok(Report {
        heading: vec![format!("Imported COW ({})", release.version())],
        sections: vec![s],
        json: json!({
            "dataset": "cow", "version": release.version(), "states": release.states.len(), "majors": release.majors.len(),
            "capabilities": release.capabilities.len(), "coverage": release.coverage(), "store": store.path().display().to_string(),
            "files": found.iter().map(|(f, k)| json!({"file": f, "kind": k.name()})).collect::<Vec<_>>(),
        }),
    })
}

/// The stored COW data as a row of `casus data list` (same columns as ATOP's) and as JSON.
pub fn list_row(store: &Store) -> Result<Option<(Vec<String>, Value)>> {
    let Some(r) = store.cow()? else { return Ok(None) };
    let coverage = r
        .coverage()
        .map(|(a, b)| format!("{a}–{b}"))
        .unwrap_or_else(|| "—".into());
    let row = vec![
        "cow".into(),
        r.version(),
        "yes".into(),
        coverage.clone(),
        format!("{} states", r.states.len()),
        "—".into(),
        "—".into(),
    ];
    let json = json!({"dataset": "cow", "version": r.version(), "current": true, "coverage": r.coverage(), "states": r.states.len(), "majors": r.majors.len(), "capabilities": r.capabilities.len()});
    Ok(Some((row, json)))
}

/// The stored COW data's citation.
pub fn citation(store: &Store) -> Result<Option<(String, String)>> {
    Ok(store.cow()?.map(|r| (r.version(), r.citation())))
}
