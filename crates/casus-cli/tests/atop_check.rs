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
    // ATOP limits US–ROC defence by location; casus encodes no scope.
    assert_eq!(
        find(d, "us-roc-1954", "condition", "location")[0]["casus"],
        "defence not limited by location"
    );
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
