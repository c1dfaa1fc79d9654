//! The layout rules of ARCHITECTURE.md that a machine can check: no source file over 800
//! lines (at the configured rustfmt width), and no command file importing another command.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn no_source_file_is_over_800_lines() {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(workspace().join("crates")).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 50, "found only {} source files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these files (limit {MAX_LINES}):\n{}",
        long.join("\n")
    );
}

#[test]
fn no_command_imports_another() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let commands: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_stem()?.to_str().map(str::to_string))
        .filter(|s| s != "mod")
        .collect();
    assert!(commands.len() > 10, "found only {} commands", commands.len());
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for other in &commands {
            for pattern in [format!("commands::{other}"), format!("super::{other}")] {
                if text.contains(&pattern) {
                    found.push(format!("{} uses {pattern}", f.display()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "shared code belongs in casus-api or cx.rs:\n{}",
        found.join("\n")
    );
}
