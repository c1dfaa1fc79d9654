//! `cargo bench -p casus-engine`: how long loading the library, `obligations` and
//! `cascade` take, each reported as a ratio to a reference measured in the same run
//! (the machine is shared and noisy; ratios travel, seconds do not).
//!
//! References: for loading, parsing the same TOML files into untyped values (what any
//! TOML-based tool must pay); for the engine, one walk over every clause and every
//! roster entry (the least any answer over the whole library must touch).

#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use casus_engine::{cascade, obligations};
use casus_model::{lookup, Event, EventKind, Object, Severity, Strength, Truth};

/// Median time of `f` over repeated samples, each long enough to be timed reliably.
fn measure<T>(mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    let mut iters = 0u32;
    while start.elapsed() < Duration::from_millis(50) {
        black_box(f());
        iters += 1;
    }
    let per_sample = iters.max(1);
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_sample {
                black_box(f());
            }
            t.elapsed() / per_sample
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let files = casus_library::files();
    let loaded = casus_library::load();
    assert!(!loaded.has_errors(), "the library has errors");
    let lib = &loaded.library;
    let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let event = |a: &str, t: &str| Event {
        attacker: lookup::actor(lib, a).unwrap(),
        target: lookup::actor(lib, t).unwrap(),
        place: lib.actor(lookup::actor(lib, t).unwrap()).home.unwrap(),
        against: Object::Territory,
        kind: EventKind::ArmedAttack,
        severity: Severity::Unspecified,
        date,
        provoked: false,
        assume_proposals: false,
    };
    let estonia = event("RUS", "EST");
    let ukraine = event("RUS", "UKR");

    let toml_files: Vec<&str> = files
        .iter()
        .filter(|f| f.path.ends_with(".toml"))
        .map(|f| f.text.as_str())
        .collect();
    let parse_reference = measure(|| {
        toml_files
            .iter()
            .map(|t| toml::from_str::<toml::Value>(t).map(|_| 1).unwrap_or(0))
            .sum::<usize>()
    });
    let load = measure(|| casus_model::load(&files).diagnostics.len());

    let walk_reference = measure(|| {
        let mut n = 0usize;
        for c in &lib.commitments {
            for cl in &c.clauses {
                n += cl.obligors.len() + cl.caveats.len();
            }
        }
        for o in &lib.orgs {
            n += o
                .members
                .iter()
                .filter(|m| m.spell.contains(date) == Truth::Yes)
                .count();
        }
        n
    });
    let ob_estonia = measure(|| obligations(lib, &estonia).obligations.len());
    let ob_ukraine = measure(|| obligations(lib, &ukraine).obligations.len());
    let cascade_3 = measure(|| cascade(lib, &estonia, 3, Strength::Assist).joiners.len());

    let clauses: usize = lib.commitments.iter().map(|c| c.clauses.len()).sum();
    println!(
        "library: {} files, {} commitments, {} clauses, {} places, {} actors",
        files.len(),
        lib.commitments.len(),
        clauses,
        lib.places.len(),
        lib.actors.len()
    );
    println!("{:<44} {:>12} {:>10}  reference", "measure", "median", "ratio");
    let row = |name: &str, d: Duration, r: Duration, rname: &str| {
        println!(
            "{name:<44} {:>12} {:>9.1}×  {rname}",
            format!("{d:.2?}"),
            d.as_secs_f64() / r.as_secs_f64()
        );
    };
    row(
        "reference: parse library TOML (untyped)",
        parse_reference,
        parse_reference,
        "itself",
    );
    row(
        "load + check the whole library",
        load,
        parse_reference,
        "TOML parse",
    );
    row(
        "reference: walk clauses and rosters",
        walk_reference,
        walk_reference,
        "itself",
    );
    row(
        "obligations RUS→EST, whole library",
        ob_estonia,
        walk_reference,
        "walk",
    );
    row(
        "obligations RUS→UKR, whole library",
        ob_ukraine,
        walk_reference,
        "walk",
    );
    row("cascade RUS→EST, depth 3", cascade_3, walk_reference, "walk");
    println!(
        "{:<44} {:>12.1}",
        "cascade / obligations (same event)",
        cascade_3.as_secs_f64() / ob_estonia.as_secs_f64()
    );
}
