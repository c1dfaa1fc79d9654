//! Ctrl-C during `--out` (#16 item 2): a run interrupted at any moment leaves the folder
//! holding either the previous complete set or the new complete set, never a half set,
//! and never a manifest that lists a file that is not there as listed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-interrupt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Starts casus with a bound on its memory.
fn start(args: &[&str], dir: &Path) -> Child {
    let bin = assert_cmd::cargo::cargo_bin("casus");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1000000; exec '{}' {} --out '{}'",
            bin.display(),
            quoted.join(" "),
            dir.display()
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// The folder's manifest, checked: every file it lists is there with its size and hash.
fn complete_set(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("casus-manifest.json")).ok()?;
    let m: serde_json::Value = serde_json::from_str(&text).expect("a manifest is whole or absent");
    for f in m["files"].as_array().unwrap() {
        let p = dir.join(f["name"].as_str().unwrap());
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(u64::MAX);
        assert_eq!(
            len,
            f["bytes"].as_u64().unwrap(),
            "{}: size as listed",
            p.display()
        );
        assert_eq!(
            sha256(&p),
            f["sha256"].as_str().unwrap(),
            "{}: content as listed",
            p.display()
        );
    }
    Some(text)
}

fn interrupt(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// Runs `args` into `dir` (already holding a complete set) and interrupts it after each
/// delay; after each, the folder holds the old set or a new complete one.
fn interrupted_at(args: &[&str], dir: &Path, delays_ms: &[u64]) -> (usize, usize) {
    let (mut old, mut new) = (0, 0);
    for &ms in delays_ms {
        let before = complete_set(dir).expect("a complete set to start from");
        let mut child = start(args, dir);
        std::thread::sleep(Duration::from_millis(ms));
        interrupt(&mut child);
        let after = complete_set(dir).expect("still a complete set after Ctrl-C");
        if after == before {
            old += 1;
        } else {
            new += 1;
        }
    }
    (old, new)
}

#[test]
fn ctrl_c_while_assess_writes_per_trial_files_leaves_the_previous_set() {
    let d = scratch("assess");
    let dir = d.join("out");
    let small = [
        "assess",
        "ukraine",
        "--date",
        "2026-06-01",
        "--trials",
        "3000",
        "--draws",
        "0",
        "--threads",
        "2",
    ];
    let mut first = start(&small, &dir);
    assert!(first.wait().unwrap().success());
    let before = complete_set(&dir).unwrap();
    // A large run, interrupted while trials.csv is being written in its temporary folder.
    let large = [
        "assess",
        "ukraine",
        "--date",
        "2026-06-01",
        "--trials",
        "2000000",
        "--draws",
        "0",
        "--threads",
        "2",
    ];
    let mut child = start(&large, &dir);
    let tmp = d.join(format!(".out.casus-tmp-{}", child.id()));
    let t0 = Instant::now();
    while std::fs::metadata(tmp.join("trials.csv")).map_or(0, |m| m.len()) < 1_000_000 {
        assert!(t0.elapsed() < Duration::from_secs(120), "trials.csv never grew");
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before it could be interrupted"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    interrupt(&mut child);
    assert_eq!(
        complete_set(&dir).as_deref(),
        Some(before.as_str()),
        "the previous set, untouched"
    );
    let csv = std::fs::read_to_string(dir.join("trials.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 5 * 3000, "the old trials.csv, whole");
    // The next run clears the interrupted run's temporary folder and completes.
    let mut again = start(&small, &dir);
    assert!(again.wait().unwrap().success());
    assert!(!tmp.exists(), "abandoned temporary folder removed");
    assert!(complete_set(&dir).is_some());
}

#[test]
fn ctrl_c_at_any_moment_of_negotiate_out_leaves_a_complete_set() {
    let dir = scratch("negotiate").join("out");
    let args = ["negotiate", "ukraine", "--model", "eum", "--rounds", "30"];
    let mut first = start(&args, &dir);
    assert!(first.wait().unwrap().success());
    // Delays from before the library is read to after the files are in place.
    let delays: Vec<u64> = (0..12).map(|i| 20 + i * 40).collect();
    let (old, new) = interrupted_at(&args, &dir, &delays);
    assert_eq!(old + new, delays.len());
}

#[test]
fn ctrl_c_at_any_moment_of_simulate_out_leaves_a_complete_set() {
    let dir = scratch("simulate").join("out");
    let args = [
        "simulate",
        "--attacker",
        "RUS",
        "--target",
        "POL",
        "--date",
        "2026-06-01",
        "--trials",
        "20000",
    ];
    let mut first = start(&args, &dir);
    assert!(first.wait().unwrap().success());
    let delays: Vec<u64> = (0..10).map(|i| 50 + i * 60).collect();
    let (old, new) = interrupted_at(&args, &dir, &delays);
    assert_eq!(old + new, delays.len());
}
