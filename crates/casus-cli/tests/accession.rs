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
fn finland_and_sweden_as_of_the_day_their_protocols_were_signed() {
    let interval = |c: &str| -> (Value, i64) {
        let v = json(&[
            "accession",
            c,
            "--org",
            "nato",
            "--as-of",
            "2022-07-05",
            "--trials",
            "5000",
            "--worlds",
            "0",
        ]);
        let day = |q: &str| {
            chrono::NaiveDate::parse_from_str(v["quantiles"][q].as_str().unwrap(), "%Y-%m-%d").unwrap()
        };
        let w = (day("p95") - day("p05")).num_days();
        (v, w)
    };
    let (fin, wf) = interval("FIN");
    let (swe, ws) = interval("SWE");
    for (v, w, real) in [(&fin, wf, "2023-04-04"), (&swe, ws, "2024-03-07")] {
        assert_eq!(v["stage"], "ratification");
        assert_eq!(v["protocol_signed"], "2022-07-05");
        let (lo, hi) = (
            v["quantiles"]["p05"].as_str().unwrap(),
            v["quantiles"]["p95"].as_str().unwrap(),
        );
        assert!(lo <= real && real <= hi, "{lo}..{hi} vs {real}");
        assert!(w <= 3 * 365 + 1, "{w} days");
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
        // Every column of the members table says what it measures.
        let cols: Vec<&str> = v["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["column"].as_str().unwrap())
            .collect();
        assert_eq!(cols, ["p_missing_consent", "p_pivotal", "p_last"]);
        // Turkey, with its stated conditions, is the likeliest to be last.
        let tur = v["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["member"] == "TUR")
            .unwrap();
        assert_eq!(tur["position"], "conditional");
        assert!(tur["p_last"].as_f64().unwrap() > 0.3, "{tur}");
    }
    // They differ, and the answer says why: a gate holds Turkey back on Sweden only.
    assert_ne!(fin["quantiles"]["p50"], swe["quantiles"]["p50"]);
    assert_eq!(fin["gates"].as_array().unwrap().len(), 0);
    assert_eq!(swe["gates"][0]["id"], "sweden-terror-law");
    assert_eq!(swe["gates"][0]["member"], "TUR");
}

#[test]
fn the_backtest_scores_every_round_against_the_naive_range() {
    let v = json(&["accession", "--backtest", "--org", "nato", "--trials", "3000"]);
    assert!(v.get("members").is_none(), "no candidate, no forecast");
    let rounds = v["backtest"]["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 10);
    let fin = rounds.iter().find(|r| r["candidate"] == "FIN").unwrap();
    assert_eq!(fin["actual_days"], 273.0);
    assert_eq!(fin["as_of"], "2022-07-06");
    assert!(fin["model"]["interval_score"].is_number() && fin["baseline"]["crps"].is_number());
    let since = &v["backtest"]["summaries"][1];
    assert_eq!(since["rounds"], "signed since 2003");
    assert!(
        since["model_mean_interval_score"].as_f64().unwrap()
            < since["baseline_mean_interval_score"].as_f64().unwrap(),
        "{since}"
    );
    let eu = json(&["accession", "--backtest", "--org", "eu", "--trials", "2000"]);
    assert_eq!(eu["backtest"]["rounds"].as_array().unwrap().len(), 7);
}

#[test]
fn an_organisation_without_rules_or_history_is_an_error_saying_what_is_missing() {
    let out = Command::cargo_bin("casus")
        .unwrap()
        .args(["accession", "UKR", "--org", "CSTO"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("accession rules") && err.contains("enlargement history"),
        "{err}"
    );
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
    let band = v["p_member_by_until"]["band"].as_array().unwrap();
    assert!(band[0].as_f64().unwrap() <= band[1].as_f64().unwrap());
    // The veto measure ranks every opposing member above every supporting one.
    let members = v["members"].as_array().unwrap();
    for m in members {
        for k in ["member", "position", "p_missing_consent", "p_pivotal"] {
            assert!(m.get(k).is_some(), "{k} missing in {m}");
        }
    }
    let by = |pos: &str| -> Vec<f64> {
        members
            .iter()
            .filter(|m| m["position"] == pos)
            .map(|m| m["p_missing_consent"].as_f64().unwrap())
            .collect()
    };
    let (opp, sup) = (by("opposes"), by("supports"));
    assert!(!opp.is_empty() && !sup.is_empty());
    assert!(
        opp.iter().cloned().fold(1.0, f64::min) > sup.iter().cloned().fold(0.0, f64::max),
        "{opp:?} vs {sup:?}"
    );
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
    assert_eq!(
        v["members"][0]["member"], "TUR",
        "the missing consent comes first"
    );
    assert_eq!(v["members"][0]["p_missing_consent"], 1.0);
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
