//! `casus data`: import, list, version and cite the datasets in the local store.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use casus_api::history_data::{
    cite, import_atop, import_cow, list, AtopImport, CowImport, DataRepair, StoredAtop,
};
use casus_api::Answer;
use casus_render::{Report, Section};
use casus_session::store::Store;

use crate::cx::Cx;

/// What `casus data import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportDataset {
    /// ATOP's release files (atop5_1m.csv and companions).
    Atop,
    /// Correlates of War: state system, major powers, National Material Capabilities.
    Cow,
}

#[derive(clap::Subcommand)]
pub enum DataCommand {
    /// Read a dataset's official release files from a folder and keep them in the store.
    Import {
        #[arg(value_enum)]
        dataset: ImportDataset,
        dir: PathBuf,
    },
    /// What is in the store: dataset, version, coverage, size.
    List,
    /// Which versions of each dataset are stored, and which one commands use.
    Versions,
    /// How to cite the stored datasets.
    Cite,
    /// Rebuild a damaged store: keep every dataset that still verifies and import the
    /// others again from their release folders (those of the last import, unless given).
    Repair {
        /// ATOP's release folder (default: the one ATOP was last imported from).
        #[arg(long, value_name = "DIR")]
        atop: Option<PathBuf>,
        /// The COW folder (default: the one COW was last imported from).
        #[arg(long, value_name = "DIR")]
        cow: Option<PathBuf>,
    },
}

pub fn run(cx: &Cx, cmd: &DataCommand) -> Result<ExitCode> {
    let store = cx.session.store()?;
    let where_ = store.path().display().to_string();
    match cmd {
        DataCommand::Import { dataset, dir } => match import(cx, &store, *dataset, dir)? {
            Imported::Atop(a) => cx.print(&a),
            Imported::Cow(a) => cx.print(&a),
        },
        DataCommand::Repair { atop, cow } => repair(cx, &store, atop.as_deref(), cow.as_deref()),
        DataCommand::List | DataCommand::Versions => {
            let atop = stored(&store)?;
            cx.print(&list(&where_, &atop, store.cow()?.as_ref()))
        }
        DataCommand::Cite => {
            let atop = stored(&store)?;
            cx.print(&cite(&atop, store.cow()?.as_ref()))
        }
    }
}

enum Imported {
    Atop(Answer<AtopImport>),
    Cow(Answer<CowImport>),
}

/// Reads a release folder and stores what it holds; remembers the folder for `repair`.
fn import(cx: &Cx, store: &Store, dataset: ImportDataset, dir: &Path) -> Result<Imported> {
    let files = cx.session.read_csv_folder(dir)?;
    let name = dir.display().to_string();
    let where_ = store.path().display().to_string();
    Ok(match dataset {
        ImportDataset::Atop => {
            let answer = import_atop(&name, &files, &where_)?;
            if let Some(r) = &answer.data.release {
                store.put_atop(r, &answer.data.recognised)?;
                store.record_source("atop", dir)?;
            }
            Imported::Atop(answer)
        }
        ImportDataset::Cow => {
            let answer = import_cow(&name, &files, store.cow()?, &where_)?;
            if let Some(r) = &answer.data.release {
                store.put_cow(r)?;
                store.record_source("cow", dir)?;
            }
            Imported::Cow(answer)
        }
    })
}

fn repair(cx: &Cx, store: &Store, atop: Option<&Path>, cow: Option<&Path>) -> Result<ExitCode> {
    let r = Store::repair(store.path())?;
    let sources = store.sources();
    let mut out = DataRepair {
        store: store.path().display().to_string(),
        healthy: r.healthy,
        kept: r.kept,
        lost: r.lost,
        damaged_copy: r.damaged_copy.map(|p| p.display().to_string()),
        reimported: vec![],
        missing: vec![],
    };
    let whole_file = out.lost.iter().any(|k| k.starts_with('('));
    for (name, dataset, given) in [
        ("atop", ImportDataset::Atop, atop),
        ("cow", ImportDataset::Cow, cow),
    ] {
        // Keys are `atop/VERSION` and `cow`.
        let lost = whole_file
            || out
                .lost
                .iter()
                .any(|k| k == name || k.starts_with(&format!("{name}/")));
        let recorded = sources.get(name).filter(|d| d.is_dir());
        let dir = match (given, recorded) {
            (Some(d), _) => Some(d.to_path_buf()),
            (None, Some(d)) if lost => Some(d.clone()),
            _ => None,
        };
        match dir {
            Some(d) => {
                import(cx, store, dataset, &d)?;
                out.reimported.push((name.into(), d.display().to_string()));
            }
            None if lost && (!whole_file || sources.contains_key(name)) => {
                out.missing
                    .push((name.into(), format!("casus data import {name} DIR")));
            }
            None => {}
        }
    }
    let mut s = Section::new("Data store", &["what", "datasets"]);
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    s.row(vec!["kept (checksum verified)".into(), list(&out.kept)]);
    s.row(vec!["lost (damaged)".into(), list(&out.lost)]);
    for (d, from) in &out.reimported {
        s.row(vec![format!("imported again: {d}"), from.clone()]);
    }
    for (d, how) in &out.missing {
        s.row(vec![
            format!("still missing: {d}"),
            format!("no release folder known; run `{how}`"),
        ]);
    }
    if whole_file && out.reimported.is_empty() {
        s.notes.push(
            "  The store did not open and no release folder is known: import each dataset again (`casus data import atop DIR`, `casus data import cow DIR`).".into(),
        );
    }
    if let Some(c) = &out.damaged_copy {
        s.notes.push(format!(
            "  The damaged file was kept as {c}; delete it when you no longer need it."
        ));
    }
    let heading = vec![if out.healthy && out.reimported.is_empty() {
        format!("The data store {} is healthy: every dataset verifies.", out.store)
    } else {
        format!("The data store {} was rebuilt.", out.store)
    }];
    let report = Report {
        heading,
        sections: vec![s],
        records: None,
    };
    cx.print_report(&report, &serde_json::to_value(&out)?)
}

fn stored(store: &casus_session::store::Store) -> Result<Vec<StoredAtop>> {
    Ok(store
        .list()?
        .into_iter()
        .map(|e| StoredAtop {
            release: e.release,
            current: e.current,
            files: e.files,
        })
        .collect())
}
