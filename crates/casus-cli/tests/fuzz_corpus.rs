//! Replays the fuzz suite's inputs (#16) on stable Rust, as an ordinary test: every seed in
//! `fuzz/seeds/NAME/` and every input that once crashed a target, committed to
//! `fuzz/regressions/NAME/`, goes through the same target body the fuzzer runs
//! (`fuzz/src/lib.rs`). Running the fuzzer itself: tools/fuzz.sh, docs/robustness.md.

#[path = "../../../fuzz/src/lib.rs"]
mod targets;

use std::path::PathBuf;

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz")
        .join(kind)
        .join(target);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_seed_and_regression_input_passes_its_target() {
    let mut seeds = 0;
    for (name, body) in targets::TARGETS {
        let s = inputs("seeds", name);
        assert!(!s.is_empty(), "no seeds for {name}");
        seeds += s.len();
        for p in s.iter().chain(&inputs("regressions", name)) {
            let data = std::fs::read(p).unwrap();
            let r = std::panic::catch_unwind(|| body(&data));
            assert!(r.is_ok(), "{name} fails on {}", p.display());
        }
    }
    assert!(seeds >= 10);
}

#[test]
fn the_seeds_are_read_without_errors() {
    // The seeds are real files: each table parses, the ATOP excerpt is recognised.
    use casus_syntax::table::{text_file, Table};
    for p in inputs("seeds", "table") {
        let f = text_file(p.display().to_string(), std::fs::read(&p).unwrap()).unwrap();
        let t = Table::tsv(&f).unwrap_or_else(|d| panic!("{}: {}", p.display(), d.message));
        assert!(!t.rows.is_empty());
    }
    for p in inputs("seeds", "atop") {
        let f = text_file("atop5_1m.csv", std::fs::read(&p).unwrap()).unwrap();
        casus_history::atop::read_release("seeds", std::slice::from_ref(&f))
            .unwrap_or_else(|d| panic!("{}: {}", p.display(), d.message));
    }
}

mod properties {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text with commas, quotes, tabs and line breaks: the table reader answers.
        #[test]
        fn the_table_reader_answers_any_text(s in "[a-z0-9,\"\t\r\n #.-]{0,200}") {
            super::targets::table(s.as_bytes());
        }

        /// A valid library TOML file with one value replaced by arbitrary text.
        #[test]
        fn a_commitment_with_any_value_in_a_field(v in "\\PC{0,40}") {
            let text = format!("[commitment]\nid = \"x\"\ntitle = {v:?}\nsigned = \"{v}\"\n");
            let mut data = vec![0u8];
            data.extend_from_slice(text.as_bytes());
            super::targets::library_toml(&data);
        }
    }
}
