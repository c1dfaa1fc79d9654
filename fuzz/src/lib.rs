//! The bodies of casus's fuzz targets (#16): each reader takes arbitrary bytes and must
//! answer with a value or a located error, never panic, hang or run out of memory.
//!
//! This file is the `casus-fuzz` library the cargo-fuzz targets in `fuzz_targets/` call,
//! and it is also compiled into the ordinary test `crates/casus-cli/tests/fuzz_corpus.rs`
//! (by path), which replays every file under `fuzz/corpus/` and `fuzz/regressions/` on
//! stable Rust: a crash the fuzzer finds becomes a failing `cargo test` once its input is
//! committed. See docs/robustness.md.

use casus_syntax::table::{text_file, Table};
use casus_syntax::{Diagnostic, SourceFile};

/// A target's body.
pub type Target = fn(&[u8]);

/// The targets by name, as in `fuzz/seeds/NAME/` and `fuzz/fuzz_targets/NAME.rs`.
pub const TARGETS: [(&str, Target); 4] = [
    ("library_toml", library_toml),
    ("table", table),
    ("atop", atop),
    ("scenario", scenario),
];

/// A located error must point inside its file.
fn located(d: &Diagnostic, f: &SourceFile) {
    if d.path == f.path {
        let span = &d.span;
        assert!(
            span.start <= span.end && span.end <= f.text.len() && f.text.is_char_boundary(span.start),
            "span {span:?} outside a file of {} bytes: {}",
            f.text.len(),
            d.message
        );
    }
}

fn text(path: &str, data: &[u8]) -> Option<SourceFile> {
    match text_file(path, data.to_vec()) {
        Ok(f) => Some(f),
        Err(d) => {
            assert!(d.message.contains("UTF-8"), "{}", d.message);
            None
        }
    }
}

/// A library TOML file (commitment, actors, organisation, …): parsed, then resolved alone.
/// The first byte picks the folder the file is read as.
pub fn library_toml(data: &[u8]) {
    const AS: [&str; 5] = [
        "library/commitments/fuzz.toml",
        "library/actors/fuzz.toml",
        "library/organisations/fuzz.toml",
        "library/assessments/fuzz.toml",
        "library/priors/fuzz.toml",
    ];
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Some(f) = text(AS[first as usize % AS.len()], rest) else {
        return;
    };
    if let Err(d) = casus_syntax::surface::parse_toml(&f) {
        located(&d, &f);
    }
    let loaded = casus_model::load(std::slice::from_ref(&f));
    for d in &loaded.diagnostics {
        located(d, &f);
    }
}

/// The one CSV/TSV reader, read as CSV and as TSV, every cell read as text, integer and number.
pub fn table(data: &[u8]) {
    let Some(f) = text("fuzz.csv", data) else {
        return;
    };
    for t in [Table::csv(&f), Table::tsv(&f)] {
        match t {
            Ok(t) => {
                for row in &t.rows {
                    for c in 0..t.header.len() {
                        let _ = row.text(c);
                        if let Err(d) = t.int(row, c) {
                            located(&d, &f);
                        }
                        if let Err(d) = t.number(row, c) {
                            located(&d, &f);
                        }
                    }
                }
            }
            Err(d) => located(&d, &f),
        }
    }
}

/// ATOP's member-level file, as a release folder of one file.
pub fn atop(data: &[u8]) {
    let Some(f) = text("atop5_1m.csv", data) else {
        return;
    };
    if let Err(d) = casus_history::atop::read_release("fuzz", std::slice::from_ref(&f)) {
        located(&d, &f);
    }
}

/// A negotiation scenario: TOML, one issue as CSV, and the DEU format. The first byte picks.
pub fn scenario(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    match first % 3 {
        0 => {
            let Some(f) = text("scenario.toml", rest) else {
                return;
            };
            for d in &casus_negotiate::parse::scenario_toml(&f).diagnostics {
                located(d, &f);
            }
        }
        1 => {
            let Some(f) = text("issue.csv", rest) else { return };
            for d in &casus_negotiate::parse::issue_csv(&f).diagnostics {
                located(d, &f);
            }
        }
        _ => {
            let _ = casus_negotiate::deu::parse(&String::from_utf8_lossy(rest));
        }
    }
}
