//! The JSON contract and its regression suite.
//!
//! 1. Every command's `--format json` validates against its schema in `docs/schema/`
//!    (generated from the API's types; see casus-api's `schemas` test).
//! 2. A fixed set of answers is snapshot-tested byte for byte (insta): explanation trees
//!    for a handful of events, the registries, a seeded simulation. A change to any of them
//!    shows up as a reviewable diff; update with `INSTA_UPDATE=always` only when an issue
//!    asks for the change.

use assert_cmd::Command;
use serde_json::Value;

fn casus() -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120").env("CASUS_TODAY", "2026-11-23");
    c
}

fn json_of(args: &[&str]) -> (String, Value) {
    let out = casus()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let value = serde_json::from_str(&text).expect("valid JSON");
    (text, value)
}

fn schema(name: &str) -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../docs/schema/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("schema is JSON")
}

fn assert_valid(name: &str, args: &[&str]) {
    let (_, value) = json_of(args);
    let schema = schema(name);
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{args:?} does not match docs/schema/{name}.json: {errors:#?}"
    );
}

/// (schema, command) for every command whose JSON has a schema.
const COMMANDS: &[(&str, &[&str])] = &[
    (
        "obligations",
        &[
            "obligations",
            "--attacker",
            "RUS",
            "--target",
            "EST",
            "--date",
            "2025-06-01",
        ],
    ),
    (
        "obligations",
        &[
            "obligations",
            "--attacker",
            "RUS",
            "--target",
            "UKR",
            "--date",
            "2025-06-01",
        ],
    ),
    (
        "obligations",
        &[
            "obligations",
            "--attacker",
            "CHN",
            "--target",
            "JPN",
            "--place",
            "JP-47",
            "--date",
            "1965-06-01",
        ],
    ),
    (
        "cascade",
        &[
            "cascade",
            "--attacker",
            "RUS",
            "--target",
            "EST",
            "--date",
            "2025-06-01",
        ],
    ),
    (
        "compare",
        &[
            "compare",
            "north-atlantic-treaty",
            "us-japan-1960",
            "anzus",
            "--date",
            "2025-06-01",
        ],
    ),
    ("show", &["show", "anzus"]),
    ("show", &["show", "north-atlantic-treaty"]),
    ("list", &["list", "actors"]),
    ("list", &["list", "places", "--search", "UA-"]),
    ("list", &["list", "commitments"]),
    ("list", &["list", "orgs"]),
    ("list", &["list", "parameters"]),
    ("check", &["check"]),
    ("test", &["test", "../../library/commitments/anzus.toml"]),
    (
        "accession",
        &[
            "accession",
            "SWE",
            "--as-of",
            "2022-07-05",
            "--trials",
            "1000",
            "--worlds",
            "4",
        ],
    ),
    (
        "accession",
        &[
            "accession",
            "UKR",
            "--as-of",
            "2025-06-01",
            "--trials",
            "1000",
            "--worlds",
            "4",
            "--coverage",
        ],
    ),
    (
        "accession",
        &["accession", "--backtest", "--org", "eu", "--trials", "500"],
    ),
];

#[test]
fn every_command_json_matches_its_schema() {
    for (name, args) in COMMANDS {
        assert_valid(name, args);
    }
}

/// Small answers whose every byte is reviewed: explanation trees of chosen events.
const REGRESSION: &[(&str, &[&str])] = &[
    (
        "obligations-rus-est-nato-usa",
        &[
            "obligations",
            "--attacker",
            "RUS",
            "--target",
            "EST",
            "--date",
            "2025-06-01",
            "--commitment",
            "north-atlantic-treaty",
            "--obligor",
            "USA",
        ],
    ),
    (
        "obligations-rus-swe-2023-nato",
        &[
            "obligations",
            "--attacker",
            "RUS",
            "--target",
            "SWE",
            "--date",
            "2023-06-01",
            "--commitment",
            "north-atlantic-treaty",
        ],
    ),
    (
        "obligations-rus-ukr-budapest",
        &[
            "obligations",
            "--attacker",
            "RUS",
            "--target",
            "UKR",
            "--date",
            "2025-06-01",
            "--commitment",
            "budapest-memorandum",
        ],
    ),
    (
        "obligations-chn-jpn-okinawa-1965",
        &[
            "obligations",
            "--attacker",
            "CHN",
            "--target",
            "JPN",
            "--place",
            "JP-47",
            "--date",
            "1965-06-01",
            "--commitment",
            "us-japan-1960",
        ],
    ),
    (
        "obligations-prk-kor-us-rok",
        &[
            "obligations",
            "--attacker",
            "PRK",
            "--target",
            "KOR",
            "--date",
            "2025-06-01",
            "--commitment",
            "us-rok-1953",
        ],
    ),
    (
        "compare-nato-japan-anzus",
        &[
            "compare",
            "north-atlantic-treaty",
            "us-japan-1960",
            "anzus",
            "--date",
            "2025-06-01",
        ],
    ),
    ("show-anzus", &["show", "anzus"]),
];

#[test]
fn regression_suite() {
    for (name, args) in REGRESSION {
        let (text, _) = json_of(args);
        insta::assert_snapshot!(*name, text);
    }
}

/// What a user reads when files are wrong: every problem located, with the line, a caret
/// and "did you mean". The summary line (which counts the whole library) is left out.
#[test]
fn check_diagnostics_for_broken_files() {
    let out = casus()
        .args(["check", "tests/fixtures/broken"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "errors exit 1");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let diagnostics: Vec<&str> = text.lines().filter(|l| !l.contains(" files: ")).collect();
    insta::assert_snapshot!("check-broken-files", diagnostics.join("\n"));
}
