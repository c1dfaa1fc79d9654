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

/// A file, or every .toml and .tsv file under a folder (sorted, tables first). Symbolic
/// links are followed, but each real folder is entered once and each real file read once:
/// a link back up the tree (a loop) once made `check` walk until memory ran out, and one
/// link loaded the same file 41 times (#16 item 6). Loops are reported on standard error.
pub fn read_path(path: &Path) -> Result<Vec<SourceFile>> {
    let (files, loops) = walk(path)?;
    for l in &loops {
        loop_warning(l);
    }
    Ok(files)
}

/// [`read_path`]'s files and the links that lead back into a folder already walked.
pub fn walk(path: &Path) -> Result<(Vec<SourceFile>, Vec<String>)> {
    if !path.exists() {
        bail!("{}: no such file or folder", path.display());
    }
    let mut out = Vec::new();
    let mut loops = Vec::new();
    if path.is_dir() {
        let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let mut seen_dirs = std::collections::HashSet::new();
        let mut seen_files = std::collections::HashSet::new();
        seen_dirs.insert(real(path));
        let mut stack = vec![path.to_path_buf()];
        let mut found = Vec::new();
        while let Some(dir) = stack.pop() {
            let entries =
                std::fs::read_dir(&dir).with_context(|| format!("{}: cannot read folder", dir.display()))?;
            for e in entries {
                let p = e?.path();
                if p.is_dir() {
                    if seen_dirs.insert(real(&p)) {
                        stack.push(p);
                    } else {
                        loops.push(format!(
                            "{}: leads to {}, already read; not followed",
                            p.display(),
                            real(&p).display()
                        ));
                    }
                } else if matches!(p.extension().and_then(|x| x.to_str()), Some("toml" | "tsv"))
                    && seen_files.insert(real(&p))
                {
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
    loops.sort();
    Ok((out, loops))
}

#[allow(clippy::print_stderr)] // the session is the edge; a loop is worth saying, not failing on
fn loop_warning(l: &str) {
    eprintln!("warning: {l}");
}

pub fn read_file(p: &Path) -> Result<SourceFile> {
    let bytes = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        anyhow::anyhow!(
            "{}:{line}:{column}: not UTF-8 text (byte {at}, line {line}); save the file as UTF-8",
            p.display(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_walked_once_and_reported() {
        let d = std::env::temp_dir().join(format!("casus-files-loop-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("lib/sub")).unwrap();
        std::fs::write(d.join("lib/sub/a.toml"), "x = 1\n").unwrap();
        std::os::unix::fs::symlink(d.join("lib"), d.join("lib/sub/up")).unwrap();
        std::os::unix::fs::symlink(d.join("lib/sub/a.toml"), d.join("lib/same.toml")).unwrap();
        let (files, loops) = walk(&d.join("lib")).unwrap();
        assert_eq!(
            files.len(),
            1,
            "{:?}",
            files.iter().map(|f| &f.path).collect::<Vec<_>>()
        );
        assert_eq!(loops.len(), 1, "{loops:?}");
        assert!(loops[0].contains("up"), "{loops:?}");
    }

    #[test]
    fn non_utf8_files_give_the_byte_position() {
        let d = std::env::temp_dir().join(format!("casus-files-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("x.csv");
        std::fs::write(&p, b"actor,capability\nA\xff,1\n").unwrap();
        let e = read_file(&p).unwrap_err().to_string();
        assert!(
            e.contains("x.csv") && e.contains("byte 18") && e.contains("line 2"),
            "{e}"
        );
    }
}
