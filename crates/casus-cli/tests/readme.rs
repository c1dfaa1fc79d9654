//! The README cannot promise what fails: every `casus …` command in its `sh` blocks (written as
//! `casus …` or `cargo run --release -p casus-cli -- …`) runs here and must succeed. Commands
//! that read the public datasets (`../shared/data/…`) run when the data is beside the
//! repository and otherwise say "skipped: ../shared/data not found".

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Splits a command line into words: whitespace, with '…' and "…" quoting.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The casus commands of the README's `sh` blocks, as argument lists.
fn readme_commands() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && (t == "```sh" || t == "```bash");
            continue;
        }
        if !in_sh || t.starts_with('#') || t.is_empty() {
            continue;
        }
        pending.push_str(t.trim_end_matches('\\'));
        pending.push(' ');
        if t.ends_with('\\') {
            continue;
        }
        let line = std::mem::take(&mut pending);
        // A pipe into another program: run the casus part (its output is what is promised).
        let line = line.split(" | ").next().unwrap_or("").trim().to_string();
        let w = words(&line);
        let args = if w.first().map(String::as_str) == Some("casus") {
            w[1..].to_vec()
        } else if w.starts_with(&[
            "cargo".into(),
            "run".into(),
            "--release".into(),
            "-p".into(),
            "casus-cli".into(),
            "--".into(),
        ]) {
            w[6..].to_vec()
        } else {
            continue;
        };
        out.push(args);
    }
    out
}

#[test]
fn every_readme_command_runs() {
    let commands = readme_commands();
    assert!(
        commands.len() >= 10,
        "the README shows its commands in sh blocks ({} found)",
        commands.len()
    );
    let data = root().join("../shared/data");
    let work = std::env::temp_dir().join(format!("casus-readme-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("a scratch folder");
    let mut skipped = 0;
    // Folders named by `--out` (and named again by later commands, e.g. `casus sweep run DIR`).
    let mut outs: Vec<String> = Vec::new();
    for args in &commands {
        let needs_data = args.iter().any(|a| a.contains("../shared/data"));
        if needs_data && !data.exists() {
            skipped += 1;
            continue;
        }
        // Paths in the README are relative to the repository root, where the commands run;
        // what they write goes to a scratch folder instead.
        let mut args = args.clone();
        for i in 1..args.len() {
            if args[i - 1] == "--out" {
                outs.push(args[i].clone());
            }
            if args[i - 1] == "--out" || outs.contains(&args[i]) {
                args[i] = work.join(&args[i]).display().to_string();
            }
        }
        let out = Command::cargo_bin("casus")
            .expect("binary built")
            .args(&args)
            .current_dir(root())
            .env("CASUS_TODAY", "2026-11-23")
            .env("CASUS_DATA_DIR", work.join("store"))
            .env("COLUMNS", "120")
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "README command `casus {}` failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if skipped > 0 {
        println!("skipped: ../shared/data not found ({skipped} README commands need it)");
    }
    let _ = std::fs::remove_dir_all(&work);
}
