//! The model computations over HTTP: each answer is byte for byte what the command line prints
//! with `--format json` for the same flags (the same `casus-api` call, printed the same way),
//! the same body gives the same bytes, and what is out of bounds is a 422 naming the field.
//! Trial counts are small: these check the plumbing, not the models.

mod common;

use casus_api::simulate::RunSettings;
use common::*;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

/// What the binary prints for `args` (with `--format json`), when the test is told where it
/// is (CI: CASUS_BIN=target/release/casus); its memory is bounded (4 GB of address space).
fn binary(args: &[&str]) -> Option<String> {
    let bin = std::env::var_os("CASUS_BIN")?;
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
        .arg(bin)
        .args(args)
        .args(["--format", "json"])
        .env("CASUS_TODAY", TODAY)
        .output()
        .ok()?;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap())
}

fn run(trials: u64) -> RunSettings {
    RunSettings {
        trials: Some(trials),
        threads: 1,
        ..RunSettings::default()
    }
}

/// `casus_api::simulate` for RUS→EST on 2025-06-01, in-process, printed as the server prints it.
fn simulate_rus_est(seed: u64, trials: u64, capabilities: Option<&casus_syntax::SourceFile>) -> String {
    let loaded = session().load_library(&[]).unwrap();
    let event = casus_api::event::EventRequest {
        attacker: "RUS".into(),
        target: "EST".into(),
        date: Some("2025-06-01".into()),
        ..Default::default()
    }
    .resolve(&loaded.library, today())
    .unwrap();
    let req = casus_api::simulate::SimulateRequest {
        run: RunSettings { seed, ..run(trials) },
        explain: false,
    };
    let (answer, _) = casus_api::simulate::simulate(
        &loaded.library,
        &loaded.files,
        &event,
        &req,
        capabilities,
        &mut |_, _| {},
        None,
    )
    .unwrap();
    pretty(&answer.json())
}

#[test]
fn simulate_is_what_the_command_line_prints_and_repeats() {
    let body = r#"{"attacker": "RUS", "target": "EST", "date": "2025-06-01", "trials": 4096, "seed": 7}"#;
    let r = post("/api/simulate", body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), simulate_rus_est(7, 4096, None));
    assert_eq!(r.json()["header"]["trials"], 4096);
    let flags = "simulate --attacker RUS --target EST --date 2025-06-01 --trials 4096 --seed 7 --threads 1";
    if let Some(printed) = binary(&flags.split(' ').collect::<Vec<_>>()) {
        assert_eq!(printed, r.text(), "the binary prints the same bytes");
    }
    assert_eq!(
        post("/api/simulate", body).text(),
        r.text(),
        "same body, same bytes"
    );
    let other = post("/api/simulate", &body.replace("\"seed\": 7", "\"seed\": 8"));
    assert_ne!(other.text(), r.text(), "another seed, another draw");
}

fn assess_cli(req: &casus_api::assess::AssessRequest) -> String {
    let loaded = session().load_library(&[]).unwrap();
    let (answer, _) = casus_api::assess::assess(
        &loaded.library,
        &loaded.files,
        req,
        today(),
        None,
        &mut |_, _, _| {},
        None,
    )
    .unwrap();
    pretty(&answer.json())
}

const SMALL_ASSESS: &str = r#""trials": 1024, "draws": 3, "draw_trials": 128"#;

#[test]
fn assess_by_id_is_what_the_command_line_prints() {
    let r = post(
        "/api/assess",
        &format!(r#"{{"which": "ukraine", {SMALL_ASSESS}}}"#),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let req = casus_api::assess::AssessRequest {
        which: "ukraine".into(),
        run: run(1024),
        sensitivity: false,
        draws: 3,
        draw_trials: 128,
    };
    assert_eq!(r.text(), assess_cli(&req));
    let flags = "assess ukraine --trials 1024 --draws 3 --draw-trials 128 --threads 1";
    if let Some(printed) = binary(&flags.split(' ').collect::<Vec<_>>()) {
        assert_eq!(printed, r.text(), "the binary prints the same bytes");
    }
    let v = r.json();
    assert_eq!(
        v["options"].as_array().unwrap().len(),
        5,
        "the five Ukraine designs"
    );
}

#[test]
fn assess_prior_overrides_change_the_answer_and_are_labelled() {
    let base = post(
        "/api/assess",
        r#"{"which": "ukraine", "trials": 1024, "draws": 0}"#,
    );
    let r = post(
        "/api/assess",
        r#"{"which": "ukraine", "trials": 1024, "draws": 0, "priors": {"honour.base_rate": 0.2}}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_ne!(base.text(), r.text());
    let v = r.json();
    let p = v["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "honour.base_rate" && p["actor"].is_null())
        .unwrap()
        .clone();
    assert_eq!(p["value"], 0.2);
    assert!(p["assumption"].as_str().unwrap().contains("request"), "{p}");

    // Out of range, unknown: 422 naming the field, with a suggestion.
    let bad = post(
        "/api/assess",
        r#"{"which": "ukraine", "trials": 64, "draws": 0, "priors": {"honour.base_rate": 7}}"#,
    );
    assert_eq!(bad.assert_problem(422)["field"], "priors.honour.base_rate");
    let typo = post(
        "/api/assess",
        r#"{"which": "ukraine", "trials": 64, "draws": 0, "priors": {"honour.base_rat": 0.5}}"#,
    );
    let p = typo.assert_problem(422);
    assert!(
        p["hints"][0].as_str().unwrap().contains("honour.base_rate"),
        "{p}"
    );
    // The built-in library is untouched: the base answer again.
    let again = post(
        "/api/assess",
        r#"{"which": "ukraine", "trials": 1024, "draws": 0}"#,
    );
    assert_eq!(again.text(), base.text());
}

/// A capabilities table posted as text (`--capabilities` on the command line) replaces the
/// built-in one for that request only: the figures move, the answer names the table, and it is
/// what `casus-api` gives for the same file; an error in it is located and names the field.
#[test]
fn a_posted_capabilities_table_changes_the_capability_figures_for_that_request_only() {
    // Russia's capability raised, the United States' cut: the guarantors' relative capability falls.
    let table = "ccode,year,cinc\n365,2016,0.9\n2,2016,0.01\n";
    let plain = serde_json::json!({"attacker": "RUS", "target": "EST", "date": "2025-06-01", "trials": 512, "seed": 3});
    let mut posted = plain.clone();
    posted["capabilities"] = table.into();
    let before = post("/api/simulate", &plain.to_string());
    let after = post("/api/simulate", &posted.to_string());
    assert_eq!(before.status, 200, "{}", before.text());
    assert_eq!(after.status, 200, "{}", after.text());
    let (b, a) = (before.json(), after.json());
    assert!(b["header"]["capabilities"].as_str().unwrap().contains("built in"));
    assert_eq!(
        a["header"]["capabilities"],
        "CINC from request/capabilities.csv (year 2016)"
    );
    assert_ne!(a["metrics"], b["metrics"], "the figures move with the table");
    assert_ne!(
        a["guarantors"], b["guarantors"],
        "each guarantor's probability of honouring moves"
    );
    // The same call in-process with the same file gives the same bytes.
    let file = casus_syntax::SourceFile {
        path: "request/capabilities.csv".into(),
        text: table.into(),
    };
    assert_eq!(after.text(), simulate_rus_est(3, 512, Some(&file)));
    // Not kept: the next request without a table uses the built-in one again.
    assert_eq!(post("/api/simulate", &plain.to_string()).text(), before.text());

    // Assess: the capability ratio of every design moves.
    let body = |caps: Option<&str>| {
        let mut v = serde_json::json!({"which": "ukraine", "trials": 512, "draws": 0, "seed": 1});
        if let Some(t) = caps {
            v["capabilities"] = t.into();
        }
        v.to_string()
    };
    let ratio = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["capability_ratio_median"].clone())
            .collect()
    };
    let a0 = post("/api/assess", &body(None));
    let a1 = post("/api/assess", &body(Some(table)));
    assert_eq!(a1.status, 200, "{}", a1.text());
    assert_ne!(
        ratio(&a0.json()),
        ratio(&a1.json()),
        "the capability ratios move with the table"
    );

    // A bad cell: 422, located in the posted table, naming the field.
    let r = post("/api/assess", &body(Some("ccode,year,cinc\nx,2016,0.9\n")));
    let p = r.assert_problem(422);
    assert_eq!(p["field"], "capabilities", "{p}");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("request/capabilities.csv:2:1"),
        "{p}"
    );
}

#[test]
fn assess_takes_a_posted_assessment_for_that_request_only() {
    let text = session()
        .load_library(&[])
        .unwrap()
        .files
        .into_iter()
        .find(|f| f.path == "library/assessments/ukraine.toml")
        .expect("the Ukraine assessment is built in")
        .text
        .replace("id = \"ukraine\"", "id = \"posted\"");
    let body = serde_json::json!({"file": text, "trials": 512, "draws": 0});
    let r = post("/api/assess", &body.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["assessment"]["id"], "posted");
    assert_eq!(v["header"]["assessment_file"], "request/assessment.toml");
    // Not kept: the library still has no such assessment.
    let r = post("/api/assess", r#"{"which": "posted", "trials": 64, "draws": 0}"#);
    r.assert_problem(422);
    // A file with an error: located.
    let r = post("/api/assess", r#"{"file": "[assessment\nid = 1", "draws": 0}"#);
    let p = r.assert_problem(422);
    assert_eq!(p["field"], "file");
    assert!(
        p["detail"].as_str().unwrap().contains("request/assessment.toml:"),
        "{p}"
    );
}

#[test]
fn accession_is_what_the_command_line_prints() {
    let r = post(
        "/api/accession",
        r#"{"candidate": "UKR", "trials": 2000, "worlds": 4, "coverage_attacker": "RUS"}"#,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let lib = session().load_library(&[]).unwrap().library;
    let req = casus_api::accession::AccessionRequest {
        candidate: Some("UKR".into()),
        org: "NATO".into(),
        as_of: None,
        until: None,
        trials: 2000,
        seed: 1,
        worlds: 4,
        backtest: false,
        coverage_attacker: Some("RUS".into()),
    };
    let a = casus_api::accession::accession(&lib, today(), &req, None).unwrap();
    assert_eq!(r.text(), pretty(&a.json()));
    let flags = "accession UKR --trials 2000 --worlds 4 --coverage --attacker RUS";
    if let Some(printed) = binary(&flags.split(' ').collect::<Vec<_>>()) {
        assert_eq!(printed, r.text(), "the binary prints the same bytes");
    }
}

#[test]
fn negotiate_is_what_the_command_line_prints() {
    let r = post("/api/negotiate", r#"{"which": "ukraine", "rounds": 5}"#);
    assert_eq!(r.status, 200, "{}", r.text());
    let req = casus_api::negotiate::NegotiateRequest {
        which: "ukraine".into(),
        model: Default::default(),
        rounds: Some(5),
        settings: None,
        steps: None,
    };
    let file = casus_api::negotiate::builtin("ukraine").unwrap();
    let input = casus_api::negotiate::read(&file).0.unwrap();
    let a = casus_api::negotiate::negotiate(&req, &file, input).unwrap();
    // `--format json` writes the typed result as it is serialised.
    assert_eq!(r.text(), pretty(&a.data));
    if let Some(printed) = binary(&["negotiate", "ukraine", "--rounds", "5"]) {
        assert_eq!(printed, r.text(), "the binary prints the same bytes");
    }
    // A posted one-issue file, for that request only.
    let csv = "actor,capability,position,salience\nA,1,0,1\nB,1,100,1\nC,0.5,40,0.8\n";
    let body = serde_json::json!({"which": "talks.csv", "file": csv, "model": "compromise"});
    let r = post("/api/negotiate", &body.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    post("/api/negotiate", r#"{"which": "/etc/passwd"}"#).assert_problem(422);
}

#[test]
fn bounds_are_422_naming_the_field() {
    for (path, body, field) in [
        (
            "/api/simulate",
            r#"{"attacker": "RUS", "target": "EST", "trials": 99999999}"#,
            "trials",
        ),
        (
            "/api/simulate",
            r#"{"attacker": "RUS", "target": "EST", "precision": 0.00001}"#,
            "precision",
        ),
        (
            "/api/simulate",
            r#"{"attacker": "RUS", "target": "EST", "threads": 4096}"#,
            "threads",
        ),
        ("/api/assess", r#"{"which": "ukraine", "draws": 100000}"#, "draws"),
        (
            "/api/assess",
            r#"{"which": "ukraine", "draws": 1000, "draw_trials": 65536}"#,
            "draws",
        ),
        ("/api/assess", r#"{"draws": 0}"#, "which"),
        (
            "/api/accession",
            r#"{"candidate": "UKR", "trials": 99999999}"#,
            "trials",
        ),
        (
            "/api/accession",
            r#"{"candidate": "UKR", "worlds": 100000}"#,
            "worlds",
        ),
        (
            "/api/negotiate",
            r#"{"which": "ukraine", "rounds": 100000000}"#,
            "rounds",
        ),
    ] {
        let p = post(path, body).assert_problem(422);
        assert_eq!(p["field"], field, "{path} {body}: {p}");
    }
    // Unknown ids come back from the API as 422s with suggestions.
    let p = post("/api/assess", r#"{"which": "ukrain", "draws": 0, "trials": 64}"#).assert_problem(422);
    assert!(p["detail"].as_str().unwrap().contains("ukraine"), "{p}");
    post("/api/accession", r#"{"candidate": "XXX"}"#).assert_problem(422);
    post("/api/simulate", r#"{"attacker": "RUS"}"#).assert_problem(422);
}
