//! Reading library and scenario files: the built-in library, then the user's files.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use casus_syntax::SourceFile;

/// The files to load: the built-in library unless told otherwise, then the user's.
pub fn gather(builtin: bool, paths: &[PathBuf]) -> Result<Vec<SourceFile>> {
    let mut files = if builtin {
        casus_library::files()
    } else {
        Vec::new()
    };
    for p in paths {
        add(&mut files, read_path(p)?);
    }
    Ok(files)
}

/// Adds files after `files`; one with the path of a file already there takes its place
/// (`casus test library/commitments/anzus.toml` reads that file once, not once as built-in
/// and once as given).
pub fn add(files: &mut Vec<SourceFile>, more: Vec<SourceFile>) {
    let key = |path: &str| path.trim_start_matches("./").to_string();
    let given: std::collections::HashSet<String> = more.iter().map(|f| key(&f.path)).collect();
    files.retain(|f| !given.contains(&key(&f.path)));
    files.extend(more);
}

/// A file, or every .toml and .tsv file under a folder (sorted, tables first).
pub fn read_path(path: &Path) -> Result<Vec<SourceFile>> {
    if !path.exists() {
        bail!("{}: no such file or folder", path.display());
    }
    let mut out = Vec::new();
    if path.is_dir() {
        let mut stack = vec![path.to_path_buf()];
        let mut found = Vec::new();
        while let Some(dir) = stack.pop() {
            let entries =
                std::fs::read_dir(&dir).with_context(|| format!("{}: cannot read folder", dir.display()))?;
            for e in entries {
                let p = e?.path();
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(p.extension().and_then(|x| x.to_str()), Some("toml" | "tsv")) {
                    found.push(p);
                }
            }
        }
        found.sort_by_key(|p| (p.extension().and_then(|x| x.to_str()) != Some("tsv"), p.clone()));
        for p in found {
            out.push(read_file(&p)?);
        }
    } else {
        out.push(read_file(path)?);
    }
    Ok(out)
}

pub fn read_file(p: &Path) -> Result<SourceFile> {
    let bytes = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not UTF-8 text (byte {})",
            p.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(SourceFile::new(p.display().to_string(), text))
}

/// The `.csv` files directly in a folder, sorted by path (release folders of ATOP and COW).
pub fn csv_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    Ok(files)
}
