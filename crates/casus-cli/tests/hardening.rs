//! Found by probing casus as an adversarial user would (#16); each test failed before its fix.

use std::io::{BufRead, BufReader};
use std::process::{Command as Std, Stdio};

use assert_cmd::Command;
use serde_json::Value;

fn casus() -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120");
    c
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("casus-hardening-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn eum_forecast(rounds: &str, issue: &str) -> Value {
    let out = casus()
        .args([
            "negotiate",
            "ukraine",
            "--model",
            "eum",
            "--rounds",
            rounds,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["forecasts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["issue"] == issue)
        .unwrap()["eum"]
        .clone()
}

#[test]
fn a_cycling_forecast_is_reported_as_a_cycle_not_a_number() {
    // Item 10: the guarantee issue gave 73.21 for even --rounds and 20.00 for odd ones.
    for rounds in ["10", "11", "101"] {
        let e = eum_forecast(rounds, "guarantee");
        assert_eq!(e["outcome"]["kind"], "cycle", "{e}");
        assert_eq!(e["outcome"]["period"], 2);
        let mut medians: Vec<f64> = e["outcome"]["states"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["median"].as_f64().unwrap())
            .collect();
        medians.sort_by(f64::total_cmp);
        assert!(
            (medians[0] - 20.0).abs() < 0.01 && (medians[1] - 73.21).abs() < 0.01,
            "{medians:?}"
        );
    }
    // A million rounds cost what reaching the cycle costs (the table path stops there).
    let table = casus()
        .args(["negotiate", "ukraine", "--model", "eum", "--rounds", "1000000"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("repeat every 2 rounds (medians 73.21, 20.00)"),
        "{text}"
    );
    assert!(text.contains("no EUM forecast"), "{text}");
    // An issue that settles keeps its forecast.
    assert_eq!(eum_forecast("10", "territory")["outcome"]["kind"], "settled");
}

#[test]
fn negotiate_reads_the_deu_iii_file_as_the_readme_says() {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/negotiation/deu3/deu3.csv");
    if !p.exists() {
        eprintln!("skipped: data not found");
        return;
    }
    let out = casus()
        .args(["negotiate", p.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["with_outcome"], 353);
    // docs/negotiation.md: compromise 23.49 over all 353 issues.
    assert!(
        (v["models"][0]["all"].as_f64().unwrap() - 23.49).abs() < 0.005,
        "{v}"
    );
}

#[test]
fn requests_beyond_the_limits_are_clear_errors() {
    // Item 4: `--steps 30` and `--rounds 10^7` ran out of memory.
    for (args, want) in [
        (vec!["--steps", "30"], "--steps"),
        (vec!["--rounds", "10000000"], "--rounds"),
    ] {
        let out = casus()
            .args(["negotiate", "ukraine"])
            .args(&args)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want) && err.contains("limit"), "{err}");
    }
    // Item 9: ±1e308 positions gave NaN utilities printed as "stalemate" with exit 0.
    let d = scratch("huge");
    let f = d.join("huge.csv");
    std::fs::write(
        &f,
        "actor,capability,position,salience\nA,1,1e308,50\nB,1,-1e308,50\n",
    )
    .unwrap();
    let out = casus().args(["negotiate", f.to_str().unwrap()]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(err.contains("huge.csv:2:") && err.contains("outside"), "{err}");
}

#[test]
fn out_refuses_to_overwrite_the_users_files_without_force() {
    // Item 3: --out silently overwrote files in an existing folder.
    let d = scratch("out");
    std::fs::write(d.join("frontier.svg"), "my drawing").unwrap();
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    let run = |force: bool| {
        let mut c = casus();
        c.args(["negotiate", "ukraine", "--out", d.to_str().unwrap()]);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    let out = run(false);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(d.join("frontier.svg")).unwrap(),
        "my drawing"
    );
    assert!(!d.join("casus-manifest.json").exists());
    assert!(run(true).status.success());
    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("casus-manifest.json")).unwrap()).unwrap();
    let names: Vec<&str> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"frontier.svg") && names.contains(&"rounds-territory.svg"),
        "{names:?}"
    );
    assert!(m["files"][0]["sha256"].as_str().unwrap().len() == 64);
    assert_eq!(std::fs::read_to_string(d.join("notes.txt")).unwrap(), "mine");
    // Its own files are rewritten without --force.
    assert!(run(false).status.success());
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Item 7: `casus list places | head -1` exited 101 with a backtrace.
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("casus"))
        .args(["list", "places"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone (dropped above); casus must notice and stop.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!first.is_empty());
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_full_disk_on_standard_output_is_a_clear_error() {
    let full = match std::fs::OpenOptions::new().write(true).open("/dev/full") {
        Ok(f) => f,
        Err(_) => {
            eprintln!("skipped: no /dev/full");
            return;
        }
    };
    for format in ["table", "json"] {
        let out = Std::new(assert_cmd::cargo::cargo_bin("casus"))
            .args(["negotiate", "ukraine", "--format", format])
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("cannot write to standard output") && !err.contains("panicked"),
            "{err}"
        );
    }
}
