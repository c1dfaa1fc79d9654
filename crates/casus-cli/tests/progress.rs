//! Progress on standard error also when it is not a terminal, and an estimate up front for
//! a run that will take long (#16 items 4 and 10: `--trials 10^11` ran ten silent minutes).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn casus_sh(args: &str) -> std::process::Child {
    let bin = assert_cmd::cargo::cargo_bin("casus");
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v 1000000; exec '{}' {args}", bin.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The lines `casus ARGS` writes on standard error (a pipe) until one starts with `first`, or
/// for 60 s; then the run is stopped.
fn stderr_until(args: &str, first: &str) -> Vec<String> {
    let mut child = casus_sh(args);
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let t0 = Instant::now();
    let mut lines: Vec<String> = Vec::new();
    for line in stderr.lines() {
        lines.push(line.unwrap());
        if lines.iter().any(|l| l.starts_with(first)) || t0.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    lines
}

const SIM: &str = "simulate --attacker RUS --target POL --date 2026-06-01 --threads 2";

#[test]
fn a_long_request_says_how_long_up_front_then_shows_progress_in_a_pipe() {
    let lines = stderr_until(&format!("{SIM} --trials 100000000000"), "casus: simulating:");
    let estimate = lines
        .iter()
        .find(|l| l.contains("100,000,000,000 trials will take about"))
        .unwrap_or_else(|| panic!("no estimate: {lines:?}"));
    assert!(estimate.contains("h ") || estimate.contains("days"), "{estimate}");
    // Then plain progress lines, stderr being a pipe.
    let p = lines
        .iter()
        .find(|l| l.starts_with("casus: simulating:"))
        .unwrap_or_else(|| panic!("no progress line: {lines:?}"));
    assert!(p.contains("of 100,000,000,000") && p.contains("left"), "{p}");
}

#[test]
fn a_short_run_prints_nothing_on_stderr() {
    let out = casus_sh(&format!("{SIM} --trials 20000"))
        .wait_with_output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn accession_shows_its_forecast_moving_in_a_pipe() {
    // A million trials take about half a minute; the first plain line comes after ~5 s.
    let lines = stderr_until(
        "accession UKR --as-of 2026-06-01 --trials 10000000",
        "casus: forecast:",
    );
    let p = lines
        .iter()
        .find(|l| l.starts_with("casus: forecast:"))
        .unwrap_or_else(|| panic!("no progress line: {lines:?}"));
    assert!(p.contains("of 10,000,000") && p.contains("left"), "{p}");
}
