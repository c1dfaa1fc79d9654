//! The sampler against closed-form answers, within Monte Carlo error, and its determinism.

mod common;

use casus_sim::prepare::{DecisionGroup, Delay, Gate, Guarantor, Prepared};
use casus_sim::{run, summarise, RunConfig};
use statrs::distribution::{ContinuousCDF, Normal};

fn guarantor(p: f64) -> Guarantor {
    Guarantor {
        capability: Some(0.1),
        ..common::guarantor(0, p)
    }
}

fn prepared(guarantors: Vec<Guarantor>, rho: f64) -> Prepared {
    Prepared {
        guarantors,
        groups: vec![],
        rho,
        attacker_capability: Some(1.0),
        lead: None,
    }
}

fn cfg(trials: u64, seed: u64, threads: usize) -> RunConfig {
    RunConfig {
        trials: Some(trials),
        precision: 0.0,
        max_trials: trials,
        seed,
        threads,
        keep_trials: false,
    }
}

/// |estimate - expected| within 4 standard errors (a false alarm about once in 16,000 runs).
fn close(what: &str, est: casus_sim::Estimate, expected: f64) {
    let tol = 4.0 * est.stderr.max(1e-9);
    assert!(
        (est.estimate - expected).abs() <= tol,
        "{what}: {} vs {expected} (tolerance {tol})",
        est.estimate
    );
}

const N: u64 = 200_000;

#[test]
fn one_guarantor_honours_and_approves() {
    let mut g = guarantor(0.3);
    g.p_approve = 0.8;
    let p = prepared(vec![g], 0.5);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 1, 2), &mut |_, _| {})[0],
    );
    close("p_any", s.p_any_military_response, 0.3 * 0.8);
    close("p_responds", s.guarantors[0].p_responds, 0.24);
}

#[test]
fn independent_guarantors_combine_as_complements() {
    let p = prepared(vec![guarantor(0.2), guarantor(0.5), guarantor(0.7)], 0.0);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 2, 2), &mut |_, _| {})[0],
    );
    close("p_any", s.p_any_military_response, 1.0 - 0.8 * 0.5 * 0.3);
    close("p_responds[1]", s.guarantors[1].p_responds, 0.5);
}

#[test]
fn consensus_needs_everyone_and_a_majority_needs_enough() {
    let mut p = prepared(vec![guarantor(0.6), guarantor(0.6), guarantor(0.6)], 0.0);
    p.groups = vec![DecisionGroup {
        members: vec![0, 1, 2],
        need: 3,
        body: "council".into(),
    }];
    for g in &mut p.guarantors {
        g.gate = Gate::Group(0);
    }
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 3, 2), &mut |_, _| {})[0],
    );
    close("consensus", s.p_any_military_response, 0.6f64.powi(3));
    p.groups[0].need = 2;
    let p = Prepared {
        guarantors: p
            .guarantors
            .iter()
            .map(|g| Guarantor {
                p_honour: 0.5,
                ..g.clone()
            })
            .collect(),
        ..p
    };
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 4, 2), &mut |_, _| {})[0],
    );
    close("two of three", s.p_any_military_response, 0.5);
}

#[test]
fn a_common_shock_of_one_makes_guarantors_act_together() {
    let p = prepared(vec![guarantor(0.4); 5], 1.0);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 5, 2), &mut |_, _| {})[0],
    );
    close("all or none", s.p_any_military_response, 0.4);
    // Independent, the same five would answer far more often.
    let q = prepared(vec![guarantor(0.4); 5], 0.0);
    let s0 = summarise(
        &q,
        &run(std::slice::from_ref(&q), &cfg(N, 5, 2), &mut |_, _| {})[0],
    );
    close("independent", s0.p_any_military_response, 1.0 - 0.6f64.powi(5));
}

#[test]
fn one_obligor_bound_twice_answers_consistently() {
    // The same state under a hard obligation (p 0.3, force) and an easy one (p 0.8, aid):
    // one willingness draw, so whenever it honours the first it honours the second.
    let mut hard = guarantor(0.3);
    hard.capability = Some(0.5);
    let mut easy = Guarantor {
        p_honour: 0.8,
        military: false,
        capability: Some(0.1),
        ..guarantor(0.8)
    };
    easy.same_as_previous = true;
    let p = prepared(vec![hard, easy], 0.0);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 11, 2), &mut |_, _| {})[0],
    );
    close("any support", s.p_any_support, 0.8);
    close("military", s.p_any_military_response, 0.3);
    // It commits what its strongest honoured obligation asks: 0.5 w.p. 0.3, 0.1 w.p. 0.5.
    close(
        "mean capability",
        s.capability.unwrap().mean,
        0.3 * 0.5 + 0.5 * 0.1,
    );
    assert_eq!(p.obligors(), 1);
    assert_eq!(p.military_obligors(), 1);
    // Per-trial records count the obligor once, whichever of its obligations it honours.
    let keep = RunConfig {
        keep_trials: true,
        ..cfg(2000, 11, 2)
    };
    let records = &run(std::slice::from_ref(&p), &keep, &mut |_, _| {})[0].records;
    assert!(records
        .iter()
        .all(|r| r.responders <= 1 && r.military_responders <= r.responders));
    assert!(
        records
            .iter()
            .any(|r| r.responders == 1 && r.military_responders == 0),
        "honours the easy one only"
    );
    assert!(records.iter().any(|r| r.military_responders == 1));
}

#[test]
fn followers_act_only_with_their_leader() {
    let mut p = prepared(vec![guarantor(0.5), guarantor(0.5)], 0.0);
    p.guarantors[1].gate = Gate::Follows(0);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 6, 2), &mut |_, _| {})[0],
    );
    close("follower", s.guarantors[1].p_responds, 0.25);
    close("any", s.p_any_military_response, 0.5);
}

#[test]
fn delays_follow_the_log_normal() {
    let mut g = guarantor(1.0);
    g.decide = Delay {
        median: 5.0,
        sigma: 0.5,
    };
    let p = prepared(vec![g], 0.0);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 7, 2), &mut |_, _| {})[0],
    );
    let phi = Normal::standard();
    close(
        "within 7",
        s.p_military_within_7_days,
        phi.cdf((7.0f64 / 5.0).ln() / 0.5),
    );
    close(
        "within 30",
        s.p_military_within_30_days,
        phi.cdf((30.0f64 / 5.0).ln() / 0.5),
    );
    // The median of the arrival time is the decision median (quarter-day resolution).
    close("by day 5", s.response_curve[5], 0.5);
}

#[test]
fn capability_ratio_quantiles() {
    let g = Guarantor {
        capability: Some(0.5),
        ..guarantor(1.0)
    };
    let p = prepared(vec![g], 0.0);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(20_000, 8, 2), &mut |_, _| {})[0],
    );
    let cap = s.capability.unwrap();
    // One bin is 10^(6/240) ≈ 6% wide.
    assert!((cap.p50.estimate - 0.5).abs() < 0.5 * 0.06, "{:?}", cap.p50);
    close("mean", cap.mean, 0.5);
    assert_eq!(cap.p_exceeds_attacker.estimate, 0.0);
}

#[test]
fn same_seed_same_result_whatever_the_thread_count() {
    let p = prepared(vec![guarantor(0.3), guarantor(0.6), guarantor(0.45)], 0.5);
    let options = [p.clone(), prepared(vec![guarantor(0.2); 32], 0.3)];
    let one = run(&options, &cfg(50_000, 42, 1), &mut |_, _| {});
    let two = run(&options, &cfg(50_000, 42, 2), &mut |_, _| {});
    let eight = run(&options, &cfg(50_000, 42, 8), &mut |_, _| {});
    for i in 0..options.len() {
        assert_eq!(one[i].tally, two[i].tally);
        assert_eq!(one[i].tally, eight[i].tally);
        // Bit-identical floating point, not just equal counts.
        assert_eq!(
            one[i].tally.cap_mean.mean().to_bits(),
            eight[i].tally.cap_mean.mean().to_bits()
        );
    }
    let other = run(&options, &cfg(50_000, 43, 2), &mut |_, _| {});
    assert_ne!(one[0].tally, other[0].tally, "another seed gives another sample");
}

#[test]
fn precision_mode_stops_when_precise_enough() {
    let p = prepared(vec![guarantor(0.5)], 0.0);
    let c = RunConfig {
        trials: None,
        precision: 0.01,
        max_trials: 10_000_000,
        seed: 9,
        threads: 2,
        keep_trials: false,
    };
    let r = run(std::slice::from_ref(&p), &c, &mut |_, _| {});
    let s = summarise(&p, &r[0]);
    assert!(s.p_any_military_response.stderr <= 0.01);
    assert!(s.trials < 100_000, "{} trials", s.trials);
    // Per-trial records only when asked.
    assert!(r[0].records.is_empty());
    let keep = RunConfig {
        keep_trials: true,
        ..cfg(3000, 9, 2)
    };
    assert_eq!(run(&[p], &keep, &mut |_, _| {})[0].records.len(), 3000);
}

#[test]
fn a_fixed_deployment_delay_is_exact_and_the_earliest_arrival_is_the_minimum() {
    // Deployment fixed at 10 days (σ = 0) for one guarantor, log-normal for another: the
    // first arrival is the earlier of the two, whichever the pruning skips.
    let mut fixed = guarantor(1.0);
    fixed.decide = Delay {
        median: 0.0,
        sigma: 0.5,
    };
    fixed.deploy = Delay {
        median: 10.0,
        sigma: 0.0,
    };
    let mut spread = guarantor(1.0);
    spread.decide = Delay {
        median: 0.0,
        sigma: 0.5,
    };
    spread.deploy = Delay {
        median: 12.0,
        sigma: 0.5,
    };
    let p = prepared(vec![fixed.clone(), spread.clone()], 0.0);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 12, 2), &mut |_, _| {})[0],
    );
    let phi = Normal::standard();
    // P(first ≤ 7) = P(spread ≤ 7); by day 10 the fixed one has always arrived.
    close(
        "within 7",
        s.p_military_within_7_days,
        phi.cdf((7.0f64 / 12.0).ln() / 0.5),
    );
    close("within 30", s.p_military_within_30_days, 1.0);
    let q = prepared(vec![spread, fixed], 0.0);
    let s2 = summarise(
        &q,
        &run(std::slice::from_ref(&q), &cfg(N, 13, 2), &mut |_, _| {})[0],
    );
    close(
        "order does not matter",
        s2.p_military_within_7_days,
        phi.cdf((7.0f64 / 12.0).ln() / 0.5),
    );
    assert_eq!(
        s2.response_curve[11].estimate,
        1.0,
        "everyone has arrived after day 10: {:?}",
        &s2.response_curve[..12]
    );
}
