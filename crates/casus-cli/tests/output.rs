//! `--out` of assess and simulate (#16 items 2–4): per-trial files streamed (memory flat in
//! `--trials`), written through the session's output folder (manifest, never over the
//! user's files), in the same order at any thread count.

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;

fn casus() -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120");
    c
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-output-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const SIMULATE: [&str; 7] = [
    "simulate",
    "--attacker",
    "RUS",
    "--target",
    "POL",
    "--date",
    "2026-06-01",
];

fn manifest_names(dir: &Path) -> Vec<String> {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("casus-manifest.json")).unwrap()).unwrap();
    m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["name"].as_str().unwrap().to_string();
            let len = std::fs::metadata(dir.join(&name)).unwrap().len();
            assert_eq!(f["bytes"].as_u64().unwrap(), len, "{name}: size as listed");
            name
        })
        .collect()
}

#[test]
fn simulate_out_memory_stays_flat_in_trials() {
    // #16 item 4: every trial was kept in memory before the files were written (2·10⁶
    // trials: 300 MB resident, aborted under this bound). Streamed, it needs under 120 MB.
    let dir = scratch("flat").join("out");
    let bin = assert_cmd::cargo::cargo_bin("casus");
    let status = Std::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 200000; exec '{}' {} --trials 2000000 --threads 2 --out '{}' >/dev/null",
            bin.display(),
            SIMULATE.join(" "),
            dir.display()
        ))
        .status()
        .unwrap();
    assert!(status.success(), "ran out of its 200 MB bound: {status}");
    let names = manifest_names(&dir);
    assert_eq!(names, ["summary.json", "trials.csv", "trials.parquet"]);
    // All rows there, in row groups.
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(dir.join("trials.parquet")).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 2_000_000);
    assert!(reader.metadata().num_row_groups() > 1);
}

#[test]
fn per_trial_rows_are_the_same_at_any_thread_count() {
    let d = scratch("threads");
    let mut files = Vec::new();
    for threads in ["1", "2", "8"] {
        let dir = d.join(threads);
        let out = casus()
            .args(SIMULATE)
            .args(["--trials", "70000", "--threads", threads, "--out"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        files.push((
            std::fs::read(dir.join("trials.csv")).unwrap(),
            std::fs::read(dir.join("trials.parquet")).unwrap(),
        ));
    }
    assert!(
        files[0].0 == files[1].0,
        "trials.csv differs between 1 and 2 threads"
    );
    assert!(
        files[0].0 == files[2].0,
        "trials.csv differs between 1 and 8 threads"
    );
    assert!(
        files[0].1 == files[1].1 && files[0].1 == files[2].1,
        "trials.parquet differs"
    );
    let text = String::from_utf8_lossy(&files[0].0);
    assert_eq!(text.lines().count(), 1 + 70_000);
    // In trial order.
    let trials: Vec<u64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(trials.windows(2).all(|w| w[0] + 1 == w[1]));
}

#[test]
fn per_trial_rows_name_the_guarantors_that_responded() {
    // #12: `responded` and `responded_military` name as many guarantors as the counts say,
    // each one of the run's guarantors, in the guarantors' order; force implies a response.
    let dir = scratch("names").join("out");
    let out = casus()
        .args(SIMULATE)
        .args(["--trials", "3000", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let mut order: Vec<String> = Vec::new();
    for g in summary["guarantors"].as_array().unwrap() {
        let a = g["actor"].as_str().unwrap().to_string();
        if !order.contains(&a) {
            order.push(a);
        }
    }
    let csv = std::fs::read_to_string(dir.join("trials.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "option,trial,responders,military_responders,first_military_days,capability_ratio,\
         responded,responded_military"
    );
    let (mut some, mut some_military) = (false, false);
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 8, "{line}");
        let names = |s: &str| -> Vec<usize> {
            s.split(';')
                .filter(|n| !n.is_empty())
                .map(|n| {
                    order
                        .iter()
                        .position(|o| o == n)
                        .unwrap_or_else(|| panic!("{n}: not a guarantor"))
                })
                .collect()
        };
        let (all, force) = (names(f[6]), names(f[7]));
        assert_eq!(all.len().to_string(), f[2], "{line}");
        assert_eq!(force.len().to_string(), f[3], "{line}");
        assert!(all.windows(2).all(|w| w[0] < w[1]) && force.iter().all(|i| all.contains(i)));
        some |= !all.is_empty();
        some_military |= !force.is_empty();
    }
    assert!(some && some_military);
    // The Parquet file has the same columns.
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(dir.join("trials.parquet")).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names.join(","), csv.lines().next().unwrap());
}

#[test]
fn assess_and_simulate_out_refuse_the_users_files_without_force() {
    // #16 item 3, for assess and simulate: checked before the run, nothing written.
    let d = scratch("refuse");
    std::fs::write(d.join("trials.csv"), "my data").unwrap();
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    let assess = [
        "assess",
        "ukraine",
        "--date",
        "2026-06-01",
        "--trials",
        "2000",
        "--draws",
        "0",
    ];
    for args in [&assess[..], &SIMULATE[..]] {
        let out = casus().args(args).arg("--out").arg(&d).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("trials.csv") && err.contains("--force"), "{err}");
        assert_eq!(std::fs::read_to_string(d.join("trials.csv")).unwrap(), "my data");
        assert!(!d.join("casus-manifest.json").exists());
    }
    let out = casus()
        .args(assess)
        .arg("--out")
        .arg(&d)
        .arg("--force")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(d.join("notes.txt")).unwrap(), "mine");
    let names = manifest_names(&d);
    assert!(names.iter().any(|n| n == "trials.csv") && !names.iter().any(|n| n == "notes.txt"));
    let csv = std::fs::read_to_string(d.join("trials.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 5 * 2000);
    // A second run into its own folder needs no --force; the temporary folder is gone.
    let out = casus().args(assess).arg("--out").arg(&d).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tmp: Vec<_> = std::fs::read_dir(d.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("casus-tmp"))
        .collect();
    assert!(tmp.is_empty());
}
