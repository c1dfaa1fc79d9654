//! The command line as users run it: every command, its JSON contract, its errors.
//! Table output is snapshot-tested (insta); review changes with `cargo insta review`
//! or by reading the `.snap` diff.

use assert_cmd::Command;
use serde_json::Value;

fn casus() -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120");
    c
}

fn json(args: &[&str]) -> Value {
    let out = casus()
        .args(args)
        .arg("--format")
        .arg("json")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn stdout(args: &[&str]) -> String {
    let out = casus().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn ids(v: &Value, clause: &str) -> Vec<String> {
    let mut out: Vec<String> = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["clause"] == clause)
        .map(|o| o["obligor"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn obligations_json_contract_for_an_attack_on_estonia() {
    let v = json(&[
        "obligations",
        "--attacker",
        "RUS",
        "--target",
        "EST",
        "--date",
        "2025-06-01",
    ]);
    for key in ["event", "obligations", "not_triggered", "unknown", "breached"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["event"]["place"], "EE");
    for o in v["obligations"].as_array().unwrap() {
        for key in [
            "commitment",
            "clause",
            "obligor",
            "beneficiary",
            "strength",
            "decision",
            "legal_form",
            "explanation",
        ] {
            assert!(o.get(key).is_some(), "obligation lacks {key}: {o}");
        }
        assert_eq!(o["beneficiary"], "EST");
        assert_eq!(o["explanation"]["outcome"], "yes");
        assert!(!o["explanation"]["children"].as_array().unwrap().is_empty());
    }
    let art5 = ids(&v, "art5");
    assert_eq!(art5.len(), 31, "{art5:?}");
    assert!(!art5.contains(&"EST".to_string()));
    let art42 = ids(&v, "art42-7");
    assert_eq!(art42.len(), 26);
    let aut = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "art42-7" && o["obligor"] == "AUT")
        .unwrap();
    assert_eq!(aut["strength"], "military_assistance");
    assert!(aut["explanation"].to_string().contains("specific character"));
    for n in v["not_triggered"].as_array().unwrap() {
        for key in ["commitment", "clause", "reason", "explanation"] {
            assert!(n.get(key).is_some(), "not_triggered lacks {key}: {n}");
        }
    }
}

#[test]
fn obligations_for_ukraine_explain_budapest_and_bilaterals() {
    let v = json(&[
        "obligations",
        "--attacker",
        "RUS",
        "--target",
        "UKR",
        "--date",
        "2025-06-01",
    ]);
    assert!(ids(&v, "art5").is_empty());
    let nt: Vec<&Value> = v["not_triggered"].as_array().unwrap().iter().collect();
    let art5 = nt
        .iter()
        .find(|n| n["commitment"] == "north-atlantic-treaty" && n["clause"] == "art5")
        .unwrap();
    assert_eq!(art5["reason"], "not_beneficiary");
    let p4 = nt
        .iter()
        .find(|n| n["commitment"] == "budapest-memorandum" && n["clause"] == "p4")
        .unwrap();
    assert_eq!(p4["reason"], "trigger_not_met");
    let consult: Vec<&Value> = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["clause"] == "consult-24h"
                && (o["commitment"] == "uk-ukraine-2024" || o["commitment"] == "us-ukraine-2024")
        })
        .collect();
    let mut who: Vec<&str> = consult.iter().map(|o| o["obligor"].as_str().unwrap()).collect();
    who.sort();
    assert_eq!(who, ["GBR", "USA"]);
    // The other 2024-25 bilateral agreements add their own consultation and assistance duties.
    let bilateral: std::collections::BTreeSet<&str> = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            o["commitment"]
                .as_str()
                .is_some_and(|c| c.ends_with("-ukraine-2024"))
        })
        .map(|o| o["obligor"].as_str().unwrap())
        .collect();
    assert!(bilateral.len() >= 20, "{bilateral:?}");
    let breached: Vec<&str> = v["breached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["clause"].as_str().unwrap())
        .collect();
    assert!(breached.contains(&"p2"), "{breached:?}");
}

#[test]
fn obligations_table_snapshot() {
    let out = stdout(&[
        "obligations",
        "--attacker",
        "RUS",
        "--target",
        "UKR",
        "--date",
        "2025-06-01",
    ]);
    insta::assert_snapshot!(out);
}

#[test]
fn obligations_markdown_and_explain() {
    let out = stdout(&[
        "obligations",
        "--attacker",
        "RUS",
        "--target",
        "SWE",
        "--date",
        "2023-06-01",
        "--commitment",
        "north-atlantic-treaty",
        "--format",
        "markdown",
        "--explain",
        "--show",
        "not-triggered",
    ]);
    assert!(out.starts_with("# RUS attacks SWE"), "{out}");
    assert!(
        out.contains("| commitment | clause | obligor | reason | why |"),
        "{out}"
    );
    assert!(
        out.contains("SWE has never been a member of NATO") || out.contains("not a member of NATO"),
        "{out}"
    );
}

#[test]
fn cascade_follows_chains_and_flags_nuclear_states() {
    let v = json(&[
        "cascade",
        "--attacker",
        "RUS",
        "--target",
        "EST",
        "--date",
        "2025-06-01",
    ]);
    let sides = v["sides"].as_array().unwrap();
    let side = |id: &str| {
        sides
            .iter()
            .find(|s| s["actor"] == id)
            .map(|s| s["side"].as_str().unwrap().to_string())
    };
    assert_eq!(side("USA").as_deref(), Some("defender"));
    assert_eq!(
        side("AUT").as_deref(),
        Some("defender"),
        "EU Art. 42(7) draws Austria in"
    );
    assert_eq!(side("RUS").as_deref(), Some("attacker"));
    let usa = sides.iter().find(|s| s["actor"] == "USA").unwrap();
    assert_eq!(usa["nuclear_armed"], "yes");
    assert_eq!(usa["depth"], 1);
    let depth1 = json(&[
        "cascade",
        "--attacker",
        "RUS",
        "--target",
        "EST",
        "--date",
        "2025-06-01",
        "--depth",
        "1",
    ]);
    assert!(depth1["sides"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["depth"].as_u64().unwrap() <= 1));
}

#[test]
fn compare_is_computed_from_clauses() {
    let v = json(&[
        "compare",
        "north-atlantic-treaty",
        "budapest-memorandum",
        "us-ukraine-2024",
        "--date",
        "2025-06-01",
    ]);
    let c = v["commitments"].as_array().unwrap();
    assert_eq!(c[0]["strength"], "action_deemed_necessary");
    assert_eq!(c[0]["guarantors"].as_array().unwrap().len(), 32);
    assert_eq!(
        c[0]["nuclear_guarantors"],
        serde_json::json!(["FRA", "GBR", "USA"])
    );
    assert_eq!(c[1]["strength"], "seek_un_action");
    assert_eq!(c[1]["binding"], "political");
    assert_eq!(c[1]["force_contemplated"], false);
    assert_eq!(c[2]["guarantors"], serde_json::json!(["USA"]));
    assert_eq!(c[2]["automaticity"], "no_duty_to_act");
    let table = stdout(&[
        "compare",
        "north-atlantic-treaty",
        "treaty-on-european-union",
        "--date",
        "2025-06-01",
    ]);
    insta::assert_snapshot!(table);
}

#[test]
fn show_prints_text_beside_encoding() {
    insta::assert_snapshot!(stdout(&["show", "budapest-memorandum"]));
    let v = json(&["show", "north-atlantic-treaty"]);
    let art5 = v["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "art5")
        .unwrap();
    assert_eq!(
        art5["scope"]["from"],
        "Article 6 (as modified by Article 2 of the 1951 Greece–Turkey protocol, from 1952-02-18)"
    );
}

#[test]
fn list_registries() {
    let actors = json(&["list", "actors"]);
    assert!(actors.as_array().unwrap().len() >= 193);
    let places = json(&["list", "places", "--search", "UA-43"]);
    assert_eq!(places[0]["sovereign"], "UKR");
    let orgs = json(&["list", "orgs"]);
    let nato = orgs
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "NATO")
        .unwrap();
    assert_eq!(nato["roster"].as_array().unwrap().len(), 32);
    insta::assert_snapshot!(stdout(&["list", "commitments"]));
}

#[test]
fn scenario_tests_pass_and_report_counts() {
    let out = stdout(&["test"]);
    let last = out.lines().last().unwrap();
    assert!(last.ends_with("0 failed"), "{last}");
}

#[test]
fn a_built_in_file_given_again_is_read_once() {
    // From the repository root, the path names the built-in file itself.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let file = "library/commitments/anzus.toml";
    let written = std::fs::read_to_string(format!("{root}/{file}"))
        .unwrap()
        .matches("[[scenario]]")
        .count();
    let out = casus()
        .current_dir(root)
        .args(["test", file, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["scenarios"].as_array().unwrap().len(),
        written,
        "each scenario once"
    );
    let check = casus().current_dir(root).args(["check", file]).output().unwrap();
    let text = String::from_utf8(check.stdout).unwrap();
    assert!(
        text.contains("0 errors, 0 warnings"),
        "no 'replaces' warning: {text}"
    );
}

#[test]
fn check_reports_located_errors_with_suggestions() {
    let dir = tempdir();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[commitment]\nid = \"x\"\ntitle = \"X\"\nkind = \"treaty\"\nbinding = \"legal\"\nsigned = \"1976-06-40\"\nparties = [\"RSU\", \"org:NAT0\"]\nsource = \"s\"\n").unwrap();
    let out = casus().arg("check").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let path = bad.display().to_string();
    assert!(
        text.contains(&format!(
            "{path}:6:10: error: `1976-06-40` is not a date: June 1976 has no day 40"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{path}:7:12: error: unknown actor `RSU`")),
        "{text}"
    );
    assert!(text.contains("did you mean") && text.contains("RUS"), "{text}");
    assert!(
        text.contains("unknown organisation `NAT0`") && text.contains("NATO"),
        "{text}"
    );
    assert!(text.contains("^^^"), "{text}");
    let v: Value = serde_json::from_slice(
        &casus()
            .args(["check", "--format", "json"])
            .arg(&bad)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["errors"], 3);
}

#[test]
fn check_passes_on_the_builtin_library() {
    let out = stdout(&["check"]);
    assert!(out.trim_end().ends_with("0 errors, 0 warnings"), "{out}");
}

#[test]
fn user_library_replaces_a_builtin_commitment() {
    let dir = tempdir();
    let doc = dir.join("nat.toml");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../library/commitments/north-atlantic-treaty.toml"
    ))
    .unwrap()
    .replace(
        "strength = \"action_deemed_necessary\"",
        "strength = \"military_assistance\"",
    );
    std::fs::write(&doc, text).unwrap();
    let v = json(&[
        "obligations",
        "--attacker",
        "RUS",
        "--target",
        "EST",
        "--date",
        "2025-06-01",
        "--library",
        doc.to_str().unwrap(),
        "--commitment",
        "north-atlantic-treaty",
    ]);
    let art5 = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["clause"] == "art5")
        .unwrap();
    assert_eq!(art5["strength"], "military_assistance");
}

#[test]
fn bad_flags_get_clear_errors() {
    let out = casus()
        .args([
            "obligations",
            "--attacker",
            "RUS",
            "--target",
            "EST",
            "--kind",
            "armed_atack",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean armed_attack"), "{err}");
    let out = casus()
        .args([
            "obligations",
            "--attacker",
            "RUS",
            "--target",
            "EST",
            "--date",
            "2025-02-30",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("February 2025 has no day 30"));
    let out = casus().args(["show", "north-atlantic"]).output().unwrap();
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("did you mean north-atlantic-treaty"));
}

#[test]
fn unknown_is_not_no() {
    // Rio Treaty: Venezuela left in 2013 on a day the sources do not give.
    let v = json(&[
        "obligations",
        "--attacker",
        "COL",
        "--target",
        "BRA",
        "--date",
        "2013-06-01",
        "--commitment",
        "rio-treaty",
    ]);
    let unknown: Vec<&Value> = v["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["obligor"] == "VEN")
        .collect();
    assert_eq!(unknown.len(), 1, "{v}");
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "casus-cli-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Uses the Correlates of War capabilities in `../shared/data` when it is beside the
/// repository (as in CI); elsewhere it says so and passes.
#[test]
fn compare_sums_guarantor_capabilities_from_cow_data() {
    let nmc = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cow-nmc-7.0/nmc_7.0_abridged_peacesciencer.csv");
    if !nmc.exists() {
        eprintln!("skipped: data not found ({})", nmc.display());
        return;
    }
    let v = json(&[
        "compare",
        "north-atlantic-treaty",
        "us-ukraine-2024",
        "--date",
        "2025-06-01",
        "--capabilities",
        nmc.to_str().unwrap(),
    ]);
    assert_eq!(
        v["capabilities_year"], 2022,
        "latest NMC year on or before the date"
    );
    let nato = v["commitments"][0]["combined_capability"]
        .as_f64()
        .expect("every ally has a CINC score");
    let us = v["commitments"][1]["combined_capability"].as_f64().unwrap();
    // CINC shares sum to 1 over all states; the US alone is a large share, NATO more.
    assert!(us > 0.05 && us < 0.3, "{us}");
    assert!(nato > us && nato < 1.0, "{nato}");
}
