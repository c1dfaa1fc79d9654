//! Benchmark (not a test): every model over the whole DEU III data, and the expected
//! utility model against a plain Python implementation of the same reading
//! (`bench/negotiate_eum.py`), measured in the same run. Reads
//! `../shared/data/negotiation/deu3/deu3.csv` beside the repository; says so and stops
//! if it is absent. Run: `cargo bench -p casus-negotiate --bench models`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../../../bench/support.rs"]
mod support;

use casus_negotiate::deu::{self, Model, Rules};
use casus_negotiate::eum::{self, Settings};
use support::{best_of, peak_rss_kib};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = root.join("../shared/data/negotiation/deu3/deu3.csv");
    let Ok(text) = std::fs::read_to_string(&data) else {
        eprintln!("skipped: data not found ({})", data.display());
        return;
    };
    let (issues, _) = deu::parse(&text);
    let rules = Rules::default();
    let split = deu::is_test(&issues);
    let rounds = 10;
    println!(
        "DEU III: {} issues ({} with an outcome)",
        issues.len(),
        issues.iter().filter(|i| i.outcome.is_some()).count()
    );

    let models = [
        ("compromise", Model::Mean),
        ("weighted median", Model::Median),
        ("nash", Model::Nash),
        (
            "eum scholz (10 rounds)",
            Model::EumMedian(Settings::scholz(), rounds),
        ),
        (
            "eum paper (10 rounds)",
            Model::EumMedian(Settings::paper(), rounds),
        ),
    ];
    let (all_t, _) = best_of(5, || {
        models
            .iter()
            .map(|(_, m)| deu::evaluate(&issues, &split, &rules, *m).2.mae)
            .sum::<f64>()
    });
    println!(
        "all models over DEU III (evaluation incl. capabilities): {:.2} ms per pass",
        all_t * 1e3
    );
    for (name, m) in models {
        let (t, (_, _, all)) = best_of(5, || deu::evaluate(&issues, &split, &rules, m));
        println!(
            "  {name:24} {:9.3} ms   MAE {:.2} (n = {})",
            t * 1e3,
            all.mae,
            all.n
        );
    }

    // The EUM alone on identical inputs in Rust and Python.
    let inputs: Vec<Vec<eum::Player>> = issues
        .iter()
        .map(|i| {
            deu::stakes(i, &rules)
                .into_iter()
                .filter(|s| s.weight() > 0.0)
                .map(|s| eum::Player {
                    capability: s.capability,
                    salience: s.salience,
                    position: s.position,
                })
                .collect()
        })
        .filter(|p: &Vec<eum::Player>| p.len() >= 2)
        .collect();
    let rss_before = peak_rss_kib();
    let (t_rust, checksum) = best_of(10, || {
        inputs
            .iter()
            .map(|p| {
                let r = eum::run(p, rounds, &Settings::scholz(), false);
                let last = r.last().expect("round 0");
                last.median + last.mean
            })
            .sum::<f64>()
    });
    // Flat memory: many more passes must not raise the peak resident set.
    for _ in 0..20 {
        std::hint::black_box(
            inputs
                .iter()
                .map(|p| eum::run(p, rounds, &Settings::scholz(), false).len())
                .sum::<usize>(),
        );
    }
    let rss_after = peak_rss_kib();
    println!(
        "EUM (scholz, {rounds} rounds) over {} issues, Rust: {:.3} ms per pass; checksum {checksum:.9}",
        inputs.len(),
        t_rust * 1e3
    );
    if let (Some(a), Some(b)) = (rss_before, rss_after) {
        println!("peak resident memory before / after 20 more passes: {a} / {b} KiB");
    }

    let tmp = std::env::temp_dir().join(format!("casus-eum-bench-{}.txt", std::process::id()));
    let lines: Vec<String> = inputs
        .iter()
        .map(|p| {
            p.iter()
                .map(|a| format!("{} {} {}", a.capability, a.salience, a.position))
                .collect::<Vec<_>>()
                .join(";")
        })
        .collect();
    std::fs::write(&tmp, lines.join("\n")).expect("temp file");
    let script = root.join("bench/negotiate_eum.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&tmp)
        .arg(rounds.to_string())
        .arg("3")
        .output();
    let _ = std::fs::remove_file(&tmp);
    match out {
        Ok(o) if o.status.success() => {
            let s = String::from_utf8_lossy(&o.stdout);
            let mut l = s.lines();
            let t_py: f64 = l.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
            let py_sum: f64 = l.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
            println!(
                "EUM, Python ({}): {:.1} ms per pass; checksum {py_sum:.9}",
                script.display(),
                t_py * 1e3
            );
            println!(
                "same results: {}",
                (py_sum - checksum).abs() < 1e-6 * checksum.abs().max(1.0)
            );
            println!("ratio Python / Rust: {:.0}x", t_py / t_rust);
        }
        Ok(o) => eprintln!("python failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => eprintln!("python3 not available: {e}"),
    }
}
