//! `casus sweep` on the built-in `ukraine` scope, as a Slurm job array would run it: small
//! plans (few rows, a few hundred trials), each child process bounded in memory.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use casus_sweep::table::{decode, Evaluated};
use casus_sweep::workdir;
use serde_json::Value;

/// `casus ARGS` under `ulimit -v` (2 GB), with a fixed date.
fn casus(args: &[&str]) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("casus");
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2000000; exec \"$0\" \"$@\"")
        .arg(bin)
        .args(args)
        .env("CASUS_TODAY", "2026-01-15")
        .env("COLUMNS", "160")
        .output()
        .expect("runs")
}

fn ok(args: &[&str]) -> Output {
    let out = casus(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_slice(&ok(&a).stdout).expect("valid JSON")
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-cli-sweep-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Plans 3 samples of ukraine under the major attack (15 rows) with 300 trials a row.
fn plan(dir: &Path) -> Value {
    json(&[
        "sweep",
        "plan",
        "ukraine",
        "--samples",
        "3",
        "--seed",
        "11",
        "--trials",
        "300",
        "--only",
        "attack=major-attack",
        "--out",
        s(dir),
    ])
}

fn results(dir: &Path) -> Vec<Evaluated> {
    let plan = workdir::read_plan(dir).expect("plan");
    decode(
        &plan.scope,
        fs::read(dir.join("results.parquet")).expect("results"),
    )
    .expect("decodes")
}

fn same(a: &[Evaluated], b: &[Evaluated]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y))
}

#[test]
fn ukraine_as_one_shard_or_four_in_reverse_order_gives_the_same_results() {
    let one = tempdir("one");
    let four = tempdir("four");
    let p = plan(&one);
    assert_eq!(p["rows"], 15);
    assert_eq!(p["trials"], 300);
    assert_eq!(p["date"], "2026-01-15");
    let base = p["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["prior"] == "honour.base_rate")
        .expect("the base rate is swept");
    assert_eq!(base["range"], "stated");
    assert_eq!(
        (base["low"].as_f64(), base["high"].as_f64()),
        (Some(0.14), Some(0.44)),
        "the range library/priors/credibility.toml states"
    );
    plan(&four);
    ok(&["sweep", "run", s(&one)]);
    for i in (0..4).rev() {
        let r = json(&["sweep", "run", s(&four), "--shard", &format!("{i}/4")]);
        assert_eq!(r["skipped"], false);
    }
    let m1 = json(&["sweep", "merge", s(&one)]);
    let m4 = json(&["sweep", "merge", s(&four)]);
    assert_eq!(m1["rows"], 15);
    assert_eq!(m4["parts"].as_array().unwrap().len(), 4);
    assert_eq!(m1["unknown"], m4["unknown"]);
    // Designs with no lead guarantor keep their rows, with the lead's response unknown.
    let unknown_lead = m1["unknown"]["p_lead_military_response"].as_u64().unwrap();
    assert!(unknown_lead > 0 && unknown_lead < 15, "{}", m1["unknown"]);
    let (r1, r4) = (results(&one), results(&four));
    assert!(same(&r1, &r4), "the merged rows differ between 1 and 4 shards");
    // Every option ran, by name, and outcomes are probabilities or unknown.
    let options: std::collections::BTreeSet<&str> = r1.iter().map(|r| r.row.levers[0].as_str()).collect();
    assert_eq!(options.len(), 5, "{options:?}");
    assert!(r1.iter().all(|r| r.error.is_none()));
    assert!(r1
        .iter()
        .flat_map(|r| &r.outcomes[..4])
        .flatten()
        .all(|v| (0.0..=1.0).contains(v)));
    for d in [one, four] {
        let _ = fs::remove_dir_all(d);
    }
}

#[test]
fn a_partial_run_resumes_skipping_the_parts_already_written() {
    let whole = tempdir("whole");
    let part = tempdir("partial");
    plan(&whole);
    plan(&part);
    ok(&["sweep", "run", s(&whole), "--shard", "0/1"]);
    ok(&["sweep", "merge", s(&whole)]);
    // A job killed after shards 1 and 3, and a writer killed mid-part (its temporary file).
    ok(&["sweep", "run", s(&part), "--shard", "1/4"]);
    ok(&["sweep", "run", s(&part), "--shard", "3/4"]);
    fs::write(
        part.join("parts/.part-00000-of-00004.parquet.99999.tmp"),
        b"half a part",
    )
    .unwrap();
    let merge = casus(&["sweep", "merge", s(&part)]);
    assert!(!merge.status.success());
    assert!(
        String::from_utf8_lossy(&merge.stderr).contains("have not been run"),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    let written = |i: usize| fs::read(part.join(format!("parts/part-0000{i}-of-00004.parquet"))).unwrap();
    let (b1, b3) = (written(1), written(3));
    let t1 = fs::metadata(part.join("parts/part-00001-of-00004.parquet"))
        .unwrap()
        .modified()
        .unwrap();
    let mut skipped = Vec::new();
    for i in 0..4 {
        let r = json(&["sweep", "run", s(&part), "--shard", &format!("{i}/4")]);
        skipped.push(r["skipped"].as_bool().unwrap());
    }
    assert_eq!(skipped, [false, true, false, true]);
    assert_eq!(written(1), b1);
    assert_eq!(written(3), b3);
    let t1_after = fs::metadata(part.join("parts/part-00001-of-00004.parquet"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(t1, t1_after, "a finished part was written again");
    ok(&["sweep", "merge", s(&part)]);
    assert!(same(&results(&whole), &results(&part)));
    for d in [whole, part] {
        let _ = fs::remove_dir_all(d);
    }
}

#[test]
fn discover_on_ukraine_gives_each_option_a_box_or_says_why_none() {
    let dir = tempdir("discover");
    json(&[
        "sweep",
        "plan",
        "ukraine",
        "--samples",
        "12",
        "--trials",
        "200",
        "--only",
        "attack=major-attack",
        "--out",
        s(&dir),
    ]);
    let run = ok(&["sweep", "run", s(&dir)]);
    let progress = String::from_utf8_lossy(&run.stderr);
    assert!(progress.contains("60/60 rows (100%)"), "{progress}");
    ok(&["sweep", "merge", s(&dir)]);
    let v = json(&[
        "sweep",
        "discover",
        s(&dir),
        "--metric",
        "p_lead_military_response",
        "--below",
        "0.5",
    ]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 5);
    for g in groups {
        let option = g["levers"]["option"].as_str().unwrap();
        match g.get("no_box") {
            Some(why) => assert!(!why.as_str().unwrap().is_empty(), "{option}"),
            None => {
                let step = &g["trajectory"][g["chosen"].as_u64().unwrap() as usize];
                assert!(
                    !step["limits"].as_array().unwrap().is_empty(),
                    "{option}: a box restricts some assumption"
                );
                assert!(step["coverage"].as_f64().unwrap() > 0.0);
                assert!(step["density"].as_f64().unwrap() >= g["base_density"].as_f64().unwrap());
            }
        }
    }
    // The table names every option, with its box or the reason there is none.
    let text = String::from_utf8(
        ok(&[
            "sweep",
            "discover",
            s(&dir),
            "--metric",
            "p_lead_military_response",
            "--below",
            "0.5",
        ])
        .stdout,
    )
    .unwrap();
    for o in [
        "bilateral-2024",
        "budapest-style",
        "us-article5-like",
        "european-force",
        "nato-membership",
    ] {
        assert!(text.contains(&format!("option = {o}")), "{o} missing:\n{text}");
    }
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn a_scope_with_a_typo_is_refused_with_a_suggestion() {
    let dir = tempdir("typo");
    fs::create_dir_all(&dir).unwrap();
    let scope = dir.join("scope.toml");
    fs::write(
        &scope,
        "name = \"mine\"\nmodel = \"ukraine\"\nseed = 1\n\
         [[uncertainty]]\nname = \"base\"\nprior = \"honour.base_rat\"\n\
         [[lever]]\nname = \"option\"\nvalues = [\"nato-membership\"]\n\
         [[outcome]]\nname = \"p_lead_military_response\"\n",
    )
    .unwrap();
    let out = casus(&[
        "sweep",
        "plan",
        s(&scope),
        "--samples",
        "2",
        "--out",
        s(&dir.join("out")),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("honour.base_rate"), "{err}");
    let _ = fs::remove_dir_all(dir);
}
