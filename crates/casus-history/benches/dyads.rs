//! `cargo bench -p casus-history`: the full 1815–2018 directed dyad-year derivation from
//! ATOP 5.1's member file (read from ../shared/data), against the same derivation in pandas
//! (bench/atop_dyads_pandas.py, run here when python3 with pandas is available:
//! `pip install -r bench/requirements.txt`). Both time reading the CSV and deriving; the
//! ratio is measured in the same run. Memory: peak RSS after 1 and after 20 derivations
//! (flat means it does not grow with repetitions; it scales with the rows asked for).
#![allow(clippy::print_stdout)]

#[path = "../../../bench/support.rs"]
mod support;

use std::path::PathBuf;
use support::{best_of, peak_rss_kib};

use casus_history::atop::parse_members;
use casus_history::corrections::Corrections;
use casus_history::derive;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let members = root.join("../shared/data/atop-5.1/atop5_1m.csv");
    let Ok(text) = std::fs::read_to_string(&members) else {
        println!("skipped: data not found ({})", members.display());
        return;
    };
    let text = casus_syntax::SourceFile::new("atop5_1m.csv", text);
    let corrections = Corrections::for_version("5.1");
    let rss0 = peak_rss_kib();
    let release = parse_members(&text).expect("ATOP 5.1 member file");
    let rows = derive(&release, &corrections, 1815, 2018).rows.len();
    let rss1 = peak_rss_kib();
    assert_eq!(rows, 273_296);

    let (parse, _) = best_of(10, || parse_members(&text).unwrap());
    let (derive_only, _) = best_of(10, || derive(&release, &corrections, 1815, 2018));
    let (full, _) = best_of(10, || {
        let r = parse_members(&text).unwrap();
        derive(&r, &corrections, 1815, 2018).rows.len()
    });
    let store = release.to_bytes();
    let (from_store, _) = best_of(10, || {
        let r = casus_history::Release::from_bytes(&store).unwrap();
        derive(&r, &corrections, 1815, 2018).rows.len()
    });
    for _ in 0..20 {
        std::hint::black_box(derive(&release, &corrections, 1815, 2018));
    }
    let rss20 = peak_rss_kib();

    println!("ATOP 5.1 directed dyad-years 1815–2018: {rows} rows (best of 10)");
    println!("{:<52} {:>10}", "measure", "ms");
    println!("{:<52} {:>10.1}", "casus: parse atop5_1m.csv", parse * 1e3);
    println!(
        "{:<52} {:>10.1}",
        "casus: derive from parsed memberships",
        derive_only * 1e3
    );
    println!(
        "{:<52} {:>10.1}",
        "casus: parse + derive (what pandas does)",
        full * 1e3
    );
    println!(
        "{:<52} {:>10.1}",
        "casus: decode from the store + derive",
        from_store * 1e3
    );
    if let (Some(a), Some(b), Some(c)) = (rss0, rss1, rss20) {
        println!(
            "peak RSS: {a} KiB before, {b} KiB after one derivation, {c} KiB after 20 more (flat: {})",
            if c <= b + 1024 { "yes" } else { "no" }
        );
    }
    println!("goal: under 1 s: {}", if full < 1.0 { "yes" } else { "no" });

    let script = root.join("bench/atop_dyads_pandas.py");
    let tsv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/atop-5.1-directed.tsv");
    let mut best: Option<f64> = None;
    for _ in 0..3 {
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(&members)
            .arg(&tsv)
            .output();
        match out {
            Ok(o) if o.status.success() => {
                let line = String::from_utf8_lossy(&o.stdout);
                let v: serde_json::Value = serde_json::from_str(line.trim()).expect("one JSON line");
                assert_eq!(v["rows"], rows, "pandas and casus must agree on the rows");
                let s = v["seconds"].as_f64().unwrap();
                best = Some(best.map_or(s, |b: f64| b.min(s)));
            }
            Ok(o) => {
                println!(
                    "pandas reference skipped: {}",
                    String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")
                );
                break;
            }
            Err(e) => {
                println!("pandas reference skipped: {e}");
                break;
            }
        }
    }
    if let Some(p) = best {
        println!(
            "{:<52} {:>10.1}",
            "pandas: read_csv + derive (best of 3)",
            p * 1e3
        );
        println!("casus / pandas speed-up: {:.0}× (goal ≥ 20×)", p / full);
    }
}
