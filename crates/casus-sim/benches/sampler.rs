//! `cargo bench -p casus-sim`: trials per second for a 32-guarantor event, against
//! (1) the same model in vectorised NumPy (bench/credibility_numpy.py, run here when
//! python3 with numpy is available: `pip install -r bench/requirements.txt`) and
//! (2) a loop that only draws the same random numbers (the floor). Also: memory as the
//! number of trials grows, and how long `casus simulate`'s default answer takes.
//! Figures are ratios within one run; this machine is shared and noisy.
#![allow(clippy::print_stdout)]

#[path = "../../../bench/support.rs"]
mod support;

use casus_model::lookup;
use casus_sim::capability::Table;
use casus_sim::sampler::{draw_only, BLOCK};
use casus_sim::uncertainty::{second_order, BandConfig};
use casus_sim::{prepare, run, run_into, Obligated, Priors, RunConfig, TrialRecords, TrialSink};
use support::{best_of, peak_rss_kib};

fn main() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let a = lib
        .assessments
        .iter()
        .find(|a| a.id == "ukraine")
        .expect("the ukraine assessment");
    let option = a
        .options
        .iter()
        .find(|o| o.id == "nato-membership")
        .expect("nato-membership option");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let variant = lib.variant(option, date);
    let event = a.event.on(date);
    let priors = Priors::new(&lib.parameters, &a.parameters).unwrap();
    let mut p = prepare(&variant, &event, &option.forces, &priors, &|_| Some(0.01));
    assert_eq!(p.obligors(), 32, "NATO membership for Ukraine: 32 guarantors");
    // One obligation each (Art. 5; Art. 4's consultation lanes dropped), as in the NumPy model.
    p.guarantors.retain(|g| !g.same_as_previous);
    assert_eq!(p.guarantors.len(), 32);
    let trials: u64 = 400_000;
    let cfg = |threads: usize| RunConfig {
        trials: Some(trials),
        precision: 0.0,
        max_trials: trials,
        seed: 1,
        threads,
        keep_trials: false,
    };

    let (one, _) = best_of(3, || run(std::slice::from_ref(&p), &cfg(1), &mut |_, _| {}));
    let (two, _) = best_of(3, || run(std::slice::from_ref(&p), &cfg(2), &mut |_, _| {}));
    // Per-trial records (with which obligors responded) handed to a sink that drops them:
    // what `--out` adds before any writing.
    struct Discard(usize);
    impl TrialSink for Discard {
        fn trials(&mut self, _: usize, t: &TrialRecords) -> std::ops::ControlFlow<()> {
            self.0 += t.len();
            std::ops::ControlFlow::Continue(())
        }
    }
    let kept = RunConfig {
        keep_trials: true,
        ..cfg(1)
    };
    let (keep, _) = best_of(3, || {
        let mut sink = Discard(0);
        run_into(std::slice::from_ref(&p), &kept, &mut |_, _| {}, Some(&mut sink));
        sink.0
    });
    let blocks = trials / BLOCK;
    let (floor, _) = best_of(3, || (0..blocks).map(|b| draw_only(&p, 1, b, BLOCK)).sum::<f64>());
    let rate = |secs: f64| trials as f64 / secs;

    println!("32-guarantor event (Ukraine in NATO), {trials} trials");
    println!("{:<46} {:>14}", "measure", "trials/s");
    println!("{:<46} {:>14.0}", "casus, 1 thread", rate(one));
    println!("{:<46} {:>14.0}", "casus, 2 threads", rate(two));
    println!(
        "{:<46} {:>14.0}",
        "casus, 1 thread, per-trial records kept",
        rate(keep)
    );
    println!(
        "{:<46} {:>14.0}",
        "floor: the same draws only, 1 thread",
        rate(floor)
    );
    println!("casus / floor (1 thread): {:.2}  (goal ≥ 0.5)", floor / one);

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/credibility_numpy.py");
    match std::process::Command::new("python3")
        .arg(&root)
        .args(["--trials", "200000", "--guarantors", "32"])
        .output()
    {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            let numpy = text
                .split("\"trials_per_second\": ")
                .nth(1)
                .and_then(|s| s.split([',', '}']).next())
                .and_then(|s| s.trim().parse::<f64>().ok());
            match numpy {
                Some(r) => {
                    println!("{:<46} {:>14.0}", "NumPy reference (vectorised, 1 process)", r);
                    println!(
                        "casus / NumPy: {:.1}× with 1 thread, {:.1}× with 2 threads  (goal ≥ 10×)",
                        rate(one) / r,
                        rate(two) / r
                    );
                    println!("floor / NumPy: {:.1}× with 1 thread (the most any kernel drawing these numbers could reach per core)", rate(floor) / r);
                }
                None => println!("NumPy reference: could not read its output: {text}"),
            }
        }
        Ok(out) => println!(
            "NumPy reference: skipped ({}); pip install -r bench/requirements.txt",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("failed")
        ),
        Err(e) => println!("NumPy reference: skipped (python3: {e})"),
    }

    // Memory: streaming statistics keep it flat in the number of trials.
    let before = peak_rss_kib();
    run(
        std::slice::from_ref(&p),
        &RunConfig {
            trials: Some(100_000),
            ..cfg(2)
        },
        &mut |_, _| {},
    );
    let small = peak_rss_kib();
    run(
        std::slice::from_ref(&p),
        &RunConfig {
            trials: Some(2_000_000),
            ..cfg(2)
        },
        &mut |_, _| {},
    );
    let large = peak_rss_kib();
    if let (Some(b), Some(s), Some(l)) = (before, small, large) {
        println!(
            "peak memory: {b} KiB before, {s} KiB after 1e5 trials, {l} KiB after 2e6 trials (growth {} KiB)",
            l.saturating_sub(s)
        );
    }

    // `casus simulate --attacker RUS --target EST` at the default precision (0.005).
    let est = lookup::actor(lib, "EST").unwrap();
    let rus = lookup::actor(lib, "RUS").unwrap();
    let ev = casus_model::Event {
        attacker: rus,
        target: est,
        place: lib.actor(est).home.unwrap(),
        ..event.clone()
    };
    let base = Priors::new(&lib.parameters, &[]).unwrap();
    let (secs, _) = best_of(3, || {
        let p = prepare(lib, &ev, &[], &base, &|_| None);
        run(
            &[p],
            &RunConfig {
                trials: None,
                precision: 0.005,
                max_trials: 10_000_000,
                seed: 1,
                threads: 2,
                keep_trials: false,
            },
            &mut |_, _| {},
        )
    });
    println!(
        "simulate RUS→EST at default precision (prepare + run): {:.1} ms (goal < 1 s)",
        secs * 1e3
    );

    // The full assessment with bands: every option against every attack, 200 parameter
    // draws of 4,096 trials each, on both cores.
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0").unwrap();
    let variants: Vec<_> = a.options.iter().map(|o| (lib.variant(o, date), o)).collect();
    let events: Vec<_> = a.attacks.iter().map(|x| x.event.on(date)).collect();
    // As `casus assess` does: the obligations once, the priors per draw.
    let obligated: Vec<Obligated> = variants
        .iter()
        .flat_map(|(v, o)| {
            events
                .iter()
                .map(|e| Obligated::with_table(v, e, &o.forces, &table))
        })
        .collect();
    let prepare_all = |pr: &Priors| obligated.iter().map(|o| o.with_priors(pr)).collect::<Vec<_>>();
    let band_cfg = BandConfig {
        draws: 200,
        trials: 4_096,
        seed: 1,
        threads: 2,
    };
    let started = std::time::Instant::now();
    let bands = second_order(&prepare_all, &priors, &band_cfg, &mut |_, _| {});
    let secs = started.elapsed().as_secs_f64();
    println!(
        "assessment with bands: {} options × {} attacks, {} draws × {} trials = {:.1e} trials in {:.1} s",
        variants.len(),
        events.len(),
        band_cfg.draws,
        band_cfg.trials,
        (bands.options.len() as u64 * band_cfg.draws * band_cfg.trials) as f64,
        secs
    );
}
