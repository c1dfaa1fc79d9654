//! `casus data`: import, list, version and cite the datasets in the local store.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use casus_api::history_data::{cite, import_atop, import_cow, list, StoredAtop};

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
}

pub fn run(cx: &Cx, cmd: &DataCommand) -> Result<ExitCode> {
    let store = cx.session.store()?;
    let where_ = store.path().display().to_string();
    match cmd {
        DataCommand::Import { dataset, dir } => {
            let files = cx.session.read_csv_folder(dir)?;
            let name = dir.display().to_string();
            match dataset {
                ImportDataset::Atop => {
                    let answer = import_atop(&name, &files, &where_)?;
                    if let Some(r) = &answer.data.release {
                        store.put_atop(r, &answer.data.recognised)?;
                    }
                    cx.print(&answer)
                }
                ImportDataset::Cow => {
                    let answer = import_cow(&name, &files, store.cow()?, &where_)?;
                    if let Some(r) = &answer.data.release {
                        store.put_cow(r)?;
                    }
                    cx.print(&answer)
                }
            }
        }
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
