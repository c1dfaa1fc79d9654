//! `casus check --against atop` on the real ATOP 5.1 files in ../shared/data (skipped when
//! they are absent): the built-in commitments that carry `atop = ID` against ATOP's coding.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    p.exists().then_some(p)
}

fn find<'a>(v: &'a [Value], commitment: &str, aspect: &str, topic: &str) -> Vec<&'a Value> {
    v.iter()
        .filter(|f| f["commitment"] == commitment && f["aspect"] == aspect && f["topic"] == topic)
        .collect()
}

#[test]
fn the_library_is_cross_checked_against_atop() {
    let Some(dir) = shared("atop-5.1") else {
        println!("skipped: data not found");
        return;
    };
    let out = Command::cargo_bin("casus")
        .unwrap()
        .args([
            "check",
            "--against",
            "atop",
            "--atop",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let compared: Vec<&str> = v["compared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for want in [
        "north-atlantic-treaty = 3180",
        "us-japan-1960 = 3375",
        "us-rok-1953 = 3240",
        "us-philippines-1951 = 3210",
        "anzus = 3215",
        "rio-treaty = 3075",
        "collective-security-treaty = 4220",
        "china-dprk-1961 = 3445",
        "modified-brussels-treaty = 3130",
        "us-roc-1954 = 3270",
    ] {
        assert!(compared.contains(&want), "{want} not compared: {compared:?}");
    }
    let d = v["disagreements"].as_array().unwrap();
    // ATOP dates NATO entries from accession-protocol signatures.
    let greece = find(d, "north-atlantic-treaty", "entry", "entry");
    assert!(
        greece
            .iter()
            .any(|f| f["atop"] == "GRC from 1951-10-22" && f["casus"] == "GRC from 1952-02-18"),
        "{greece:?}"
    );
    // ATOP codes US–Japan defence as owed by the US only, and not limited by location.
    let japan = find(d, "us-japan-1960", "obligation", "defence");
    assert_eq!(japan.len(), 1);
    assert_eq!(japan[0]["atop"], "JPN owe no defence");
    assert_eq!(
        find(d, "us-japan-1960", "condition", "location")[0]["atop"],
        "defence not limited by location"
    );
    // New Zealand leaves ANZUS in ATOP; casus encodes the US suspension instead.
    assert_eq!(find(d, "anzus", "exit", "NZL")[0]["atop"], "1986-09-17");
    assert_eq!(find(d, "rio-treaty", "exit", "CUB")[0]["atop"], "1962-01-22");
    assert_eq!(
        find(d, "collective-security-treaty", "exit", "UZB")[0]["atop"],
        "2012-06-28"
    );
    // ATOP limits US–ROC defence by location, and so does casus since the audit of issue #11
    // encoded the treaty's own area (Art. VI: Taiwan and the Pescadores).
    assert!(find(d, "us-roc-1954", "condition", "location").is_empty());
    // Non-aggression (the UN Charter refrain articles) is coded by ATOP, not encoded by casus.
    assert!(!find(d, "north-atlantic-treaty", "obligation", "non-aggression").is_empty());
    // Members, the founding date and the defence obligation agree for NATO and China–DPRK.
    assert!(d.iter().all(|f| !(f["commitment"] == "north-atlantic-treaty"
        && (f["aspect"] == "member" || f["aspect"] == "signed" || f["topic"] == "defence"))));
    assert_eq!(
        d.iter().filter(|f| f["commitment"] == "china-dprk-1961").count(),
        1
    );
    // Every disagreement is explained in the library file, mentioning ATOP.
    assert_eq!(
        v["unexplained"],
        0,
        "{:#?}",
        d.iter().filter(|f| f["explained"] == false).collect::<Vec<_>>()
    );
}

#[test]
fn against_atop_needs_the_release_files() {
    let out = Command::cargo_bin("casus")
        .unwrap()
        .args(["check", "--against", "atop"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--atop DIR"));
}

/// Asserts that a command's JSON validates against the schema the API publishes for it.
fn valid(name: &str, v: &Value) {
    let (_, schema) = casus_api::schemas()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no schema `{name}`"));
    let schema = serde_json::to_value(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
}

fn json(args: &[&str]) -> (Value, bool) {
    let out = Command::cargo_bin("casus")
        .unwrap()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    (serde_json::from_slice(&out.stdout).unwrap(), out.status.success())
}

#[test]
fn the_coverage_table_holds_its_counts() {
    let (v, ok) = json(&["check", "--coverage", "atop"]);
    assert!(ok);
    valid("check.coverage", &v);
    assert_eq!(v["alliances"], 48);
    let totals: Vec<(&str, u64)> = v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["status"].as_str().unwrap(), t["alliances"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        totals,
        [
            ("encoded", 19),
            ("defers", 1),
            ("superseded", 5),
            ("text_unavailable", 11),
            ("not_searched", 12)
        ]
    );
    // The table agrees with the library: every encoded row names a commitment it has, and no
    // commitment with `atop = N` sits on a row that says otherwise.
    assert_eq!(v["problems"], serde_json::json!([]));
    assert!(v["atop"].is_null());
    let Some(dir) = shared("atop-5.1") else {
        println!("skipped: data not found");
        return;
    };
    let (v, ok) = json(&["check", "--coverage", "atop", "--atop", dir.to_str().unwrap()]);
    assert!(ok);
    valid("check.coverage", &v);
    // The table lists exactly the alliances ATOP 5.1 has in force with a defence or offence
    // member at the end of its coverage.
    assert_eq!(v["atop"]["active"], 48);
    assert_eq!(v["atop"]["missing_from_table"], serde_json::json!([]));
    assert_eq!(v["atop"]["not_active_in_atop"], serde_json::json!([]));
}

#[test]
fn no_load_bearing_fact_rests_on_a_mirror_alone() {
    let (v, ok) = json(&["check", "--sources"]);
    assert!(ok, "{v:#}");
    valid("check.sources", &v);
    let grades: Vec<&str> = v["grades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["grade"].as_str().unwrap())
        .collect();
    assert_eq!(grades, ["primary", "official", "secondary", "mirror", "unknown"]);
    let total: u64 = v["grades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["citations"].as_u64().unwrap())
        .sum();
    assert_eq!(total, v["citations"].as_u64().unwrap());
    assert!(v["grades"][0]["citations"].as_u64().unwrap() > 100, "{v:#}");
    // None outside the known exceptions, and every known exception still a finding.
    assert_eq!(v["on_mirror"], serde_json::json!([]), "{:#}", v["on_mirror"]);
    assert_eq!(v["stale_exceptions"], serde_json::json!([]));
    // The known exceptions, honestly: the quotes still read from a mirror, each with its reason
    // in library/sources/exceptions.tsv.
    let known: Vec<(&str, &str)> = v["known_exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["document"].as_str().unwrap(), k["fact"].as_str().unwrap()))
        .collect();
    assert_eq!(
        known,
        [
            ("anzus", "quote of Article V (clause art5)"),
            ("manila-pact-1954", "quote of Article IV(1) (clause art4-1)"),
            ("manila-pact-1954", "quote of Article IV(2) (clause art4-2)"),
        ]
    );
    assert!(v["known_exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["known_exception"].as_str().is_some_and(|r| r.len() > 40)));
}

#[test]
fn the_cross_check_json_matches_its_schema() {
    let Some(dir) = shared("atop-5.1") else {
        println!("skipped: data not found");
        return;
    };
    let (v, ok) = json(&["check", "--against", "atop", "--atop", dir.to_str().unwrap()]);
    assert!(ok);
    valid("check.against-atop", &v);
}
