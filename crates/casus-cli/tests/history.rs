//! `casus data`, `casus dyads` and `casus reliability` as users run them. Tests that need the
//! real files in ../shared/data print "skipped: data not found" and pass when they are absent.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    p.exists().then_some(p)
}

fn casus(store: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120").env("CASUS_DATA_DIR", store);
    c
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-history-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn sorted_rows(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    v.sort();
    v
}

#[test]
fn dyads_reproduce_atop_from_the_store_and_from_the_folder() {
    let (Some(dir), Some(expected)) = (
        shared("atop-5.1"),
        shared("atop-5.1-dyad-year/atop5_1_ddyr_obligations_peacesciencer.csv"),
    ) else {
        println!("skipped: data not found");
        return;
    };
    let store = temp("store");
    let out = casus(&store).args(["dyads"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("casus data import atop DIR"));

    let v: Value = serde_json::from_slice(
        &casus(&store)
            .args([
                "data",
                "import",
                "atop",
                dir.to_str().unwrap(),
                "--format",
                "json",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["version"], "5.1");
    assert_eq!(v["memberships"], 2510);
    assert_eq!(
        v["files"].as_array().unwrap().len(),
        4,
        "a, aph, m and sy files recognised by content"
    );
    let v: Value = serde_json::from_slice(
        &casus(&store)
            .args(["data", "list", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["datasets"][0]["coverage"], serde_json::json!([1815, 2018]));
    let cite = casus(&store).args(["data", "cite"]).output().unwrap();
    assert!(String::from_utf8_lossy(&cite.stdout).contains("Leeds, Brett Ashley"));

    let theirs = sorted_rows(&std::fs::read_to_string(expected).unwrap());
    let from_store = casus(&store)
        .args(["dyads", "--from", "1815", "--to", "2018"])
        .output()
        .unwrap();
    assert!(from_store.status.success());
    let text = String::from_utf8(from_store.stdout).unwrap();
    assert!(text.starts_with("ccode1,ccode2,year,defense,offense,neutral,nonagg,consul\n"));
    let ours = sorted_rows(&text);
    assert_eq!(ours.len(), 273_296);
    assert!(
        ours == theirs,
        "the derived rows differ from ATOP's directed dyad-year file"
    );

    // Straight from the folder, a window past ATOP's coverage: later years are unknown, not absent alliances.
    let out = casus(&store)
        .args([
            "dyads",
            "--atop",
            dir.to_str().unwrap(),
            "--from",
            "2018",
            "--to",
            "2020",
            "--out",
        ])
        .arg(store.join("d.csv"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["notes"][0].as_str().unwrap().contains("unknown"));
    let rows = std::fs::read_to_string(store.join("d.csv")).unwrap();
    assert!(rows.lines().skip(1).all(|l| l.split(',').nth(2) == Some("2018")));
    assert_eq!(v["rows"].as_u64().unwrap() as usize, rows.lines().count() - 1);

    // Parquet needs a file; casus ids through the library's crosswalk.
    let out = casus(&store)
        .args(["dyads", "--output", "parquet"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --out"));
    let out = casus(&store)
        .args(["dyads", "--from", "2000", "--to", "2000", "--codes", "iso"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("actor1,actor2,year"));
    assert!(
        text.lines().any(|l| l.starts_with("USA,DEU,2000,1,")),
        "US → Germany through cow 2 and 255"
    );
    let pq = store.join("d.parquet");
    let out = casus(&store)
        .args(["dyads", "--output", "parquet", "--out"])
        .arg(&pq)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(std::fs::read(&pq).unwrap().starts_with(b"PAR1"));
    let _ = std::fs::remove_dir_all(&store);
}

#[test]
fn a_bad_member_file_is_reported_with_its_position() {
    let dir = temp("bad");
    let head = "atopid,cowid,member,cowsys,yrent,moent,dayent,yrexit,moexit,dayexit,bilat,phase,asymm,obvary,conditio,defense,offense,neutral,nonagg,consul,milcon,intcom,organ1,base,version\n";
    std::fs::write(dir.join("m.csv"), format!("{head}1115,,200,1,1844,6,,1846,6,29,1,0,0,0,0,1,0,0,0,1,0,0,0,0,5.1\n1115,,365,1,1844,6,x,1846,6,29,1,0,0,0,0,1,0,0,0,1,0,0,0,0,5.1\n")).unwrap();
    let out = casus(&dir).args(["dyads", "--atop"]).arg(&dir).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("m.csv:3:20: `x`: expected a whole number in column `dayent`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reliability_reproduces_berkemeier_and_fuhrmann() {
    let Some(cases) =
        shared("alliance-reliability-berkemeier-fuhrmann-2018/BerkemeierFuhrmannRAP2018_0303.csv")
    else {
        println!("skipped: data not found");
        return;
    };
    let dir = temp("rel");
    let run = |by: &str| -> Value {
        let out = casus(&dir)
            .args([
                "reliability",
                "--cases",
                cases.to_str().unwrap(),
                "--by",
                by,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let pct = |r: &Value| (r["rate"].as_f64().unwrap() * 100.0).round() as i64;
    let v = run("period");
    assert_eq!(v["coding"], "llm");
    let r = v["rates"].as_array().unwrap();
    let got: Vec<(&str, u64, u64, i64)> = r
        .iter()
        .map(|r| {
            (
                r["group"].as_str().unwrap(),
                r["honoured"].as_u64().unwrap(),
                r["violated"].as_u64().unwrap(),
                pct(r),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("all", 73, 73, 50),
            ("before 1945", 61, 31, 66),
            ("1945–2003", 12, 42, 22)
        ]
    );
    assert!(r[0]["low"].as_f64().unwrap() < 0.5 && r[0]["high"].as_f64().unwrap() > 0.5);
    let v = run("obligation");
    let got: Vec<(&str, i64)> = v["rates"].as_array().unwrap()[1..5]
        .iter()
        .map(|r| (r["group"].as_str().unwrap(), pct(r)))
        .collect();
    assert_eq!(
        got,
        [
            ("defence", 41),
            ("offence", 74),
            ("neutrality", 78),
            ("non-aggression", 37)
        ]
    );
    let svg = dir.join("rates.svg");
    let out = casus(&dir)
        .args(["reliability", "--cases", cases.to_str().unwrap(), "--chart"])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(out.status.success());
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.contains("<svg") && chart.contains("before 1945") && chart.contains("neutrality"));
    let _ = std::fs::remove_dir_all(&dir);
}

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

#[test]
fn dyads_honour_format_json_and_csv() {
    let Some(dir) = shared("atop-5.1") else {
        println!("skipped: data not found");
        return;
    };
    let store = temp("formats");
    let atop = dir.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = casus(&store).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    // JSON, with COW codes as numbers.
    let v: Value = serde_json::from_str(&run(&[
        "dyads", "--atop", atop, "--from", "2000", "--to", "2000", "--format", "json",
    ]))
    .unwrap();
    valid("dyads", &v);
    assert_eq!((v["from"].as_u64(), v["to"].as_u64()), (Some(2000), Some(2000)));
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["ccode1"].is_u64() && r["ccode2"].is_u64()));
    assert!(rows.iter().any(|r| r["ccode1"] == 2
        && r["ccode2"] == 255
        && r["defense"] == 1
        && r["atopids"].as_array().unwrap().contains(&Value::from(3180))));
    // casus ids through the crosswalk.
    let v: Value = serde_json::from_str(&run(&[
        "dyads", "--atop", atop, "--from", "2000", "--to", "2000", "--codes", "iso", "--format", "json",
    ]))
    .unwrap();
    valid("dyads", &v);
    assert!(v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["actor1"] == "USA" && r["actor2"] == "DEU"));
    // CSV with a header, the same rows.
    let csv = run(&[
        "dyads", "--atop", atop, "--from", "2000", "--to", "2000", "--format", "csv",
    ]);
    assert!(csv.starts_with("ccode1,ccode2,year,defense,offense,neutral,nonagg,consul\n"));
    assert_eq!(csv.lines().count() - 1, rows.len());
    // --output json --out FILE writes the same JSON; the summary validates.
    let file = store.join("d.json");
    let s: Value = serde_json::from_str(&run(&[
        "dyads",
        "--atop",
        atop,
        "--from",
        "2000",
        "--to",
        "2000",
        "--output",
        "json",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ]))
    .unwrap();
    valid("dyads.written", &s);
    assert_eq!(s["rows"].as_u64().unwrap() as usize, rows.len());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["rows"].as_array().unwrap().len(), rows.len());
    assert!(written["rows"][0]["ccode1"].is_u64());
    let _ = std::fs::remove_dir_all(&store);
}

#[test]
fn data_and_reliability_json_match_their_schemas() {
    let (Some(atop), Some(cow), Some(cases)) = (
        shared("atop-5.1"),
        shared("cow-state-system-2016"),
        shared("alliance-reliability-berkemeier-fuhrmann-2018/BerkemeierFuhrmannRAP2018_0303.csv"),
    ) else {
        println!("skipped: data not found");
        return;
    };
    let store = temp("schemas");
    let json = |args: &[&str]| -> Value {
        let out = casus(&store)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    valid(
        "data.import.atop",
        &json(&["data", "import", "atop", atop.to_str().unwrap()]),
    );
    let v = json(&["data", "import", "cow", cow.to_str().unwrap()]);
    valid("data.import.cow", &v);
    assert!(v["majors"].as_u64().unwrap() > 10);
    let v = json(&["data", "list"]);
    valid("data.list", &v);
    assert_eq!(v["datasets"].as_array().unwrap().len(), 2);
    valid("data.cite", &json(&["data", "cite"]));
    valid(
        "reliability",
        &json(&["reliability", "--cases", cases.to_str().unwrap()]),
    );
    let _ = std::fs::remove_dir_all(&store);
}

#[test]
fn a_ragged_case_file_is_located() {
    let dir = temp("ragged");
    let f = dir.join("bf.csv");
    std::fs::write(&f, "sample,warid,atopid\n1,2,3\n1,2\n").unwrap();
    let out = casus(&dir)
        .args(["reliability", "--cases"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bf.csv:3:3: 2 fields, but the header has 3"),
        "{err}"
    );
    std::fs::write(&f, b"sample,warid\n1,\xff\n").unwrap();
    let out = casus(&dir)
        .args(["reliability", "--cases"])
        .arg(&f)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bf.csv:2:3: not UTF-8"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
