//! `casus accession` as users run it.

use assert_cmd::Command;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = Command::cargo_bin("casus")
        .unwrap()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn finland_replayed_from_the_day_its_protocol_was_signed() {
    let v = json(&[
        "accession",
        "FIN",
        "--as-of",
        "2022-07-05",
        "--trials",
        "5000",
        "--backtest",
    ]);
    assert_eq!(v["stage"], "ratification");
    assert_eq!(v["protocol_signed"], "2022-07-05");
    for q in ["p05", "p50", "p95"] {
        assert!(v["quantiles"][q].is_string(), "{q}: {}", v["quantiles"]);
    }
    // Turkey, with its stated conditions, is the likeliest to be last.
    let first = &v["pivotal"][0];
    assert_eq!(first["member"], "TUR", "{}", v["pivotal"]);
    assert!(first["p_last"].as_f64().unwrap() > 0.15, "{first}");
    // The model fitted for this forecast knew only rounds completed before 2022-07-05.
    let used: Vec<&str> = v["model"]["rounds_used"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        used.iter()
            .all(|r| !r.starts_with("FIN") && !r.starts_with("SWE")),
        "{used:?}"
    );
    let rows = v["backtest"].as_array().unwrap();
    assert!(rows.len() >= 10);
    let fin = rows.iter().find(|r| r["round"] == "FIN").unwrap();
    assert_eq!(fin["actual_days"], 273.0);
    // The stance effects name Turkey first.
    assert_eq!(v["stance_effects"][0]["member"], "TUR");
}

#[test]
fn ukraine_as_of_a_date_with_its_coverage_while_it_waits() {
    let v = json(&[
        "accession",
        "UKR",
        "--as-of",
        "2025-06-01",
        "--trials",
        "3000",
        "--coverage",
    ]);
    assert_eq!(v["stage"], "invitation");
    let p = v["p_member_by_until"]["estimate"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    let cov = v["coverage"].as_array().unwrap();
    assert!(
        cov.iter()
            .any(|c| c["commitment"] == "uk-ukraine-2024" && c["strength"] == "assist"),
        "{cov:?}"
    );
    assert!(
        cov.iter().all(|c| c["commitment"] != "north-atlantic-treaty"),
        "not a member yet"
    );
}

#[test]
fn a_users_stances_override_the_librarys() {
    let dir = std::env::temp_dir().join(format!("casus-stances-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("what-if.toml");
    std::fs::write(&file, "[[stance]]\norg = \"NATO\"\nmember = \"TUR\"\ncandidate = \"FIN\"\nposition = \"opposes\"\ndate = \"2022-07-01\"\nsource = \"a what-if\"\nprobability = 0.0\n").unwrap();
    let v = json(&[
        "accession",
        "FIN",
        "--as-of",
        "2022-07-05",
        "--trials",
        "2000",
        "--stances",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        v["p_member_by_until"]["estimate"], 0.0,
        "a member that never ratifies blocks"
    );
    let tur = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member"] == "TUR")
        .unwrap();
    assert_eq!(tur["basis"], "your override");
}

#[test]
fn unknown_names_are_suggested() {
    let out = Command::cargo_bin("casus")
        .unwrap()
        .args(["accession", "FIN", "--org", "NAT"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean NATO"));
}
