//! The lead guarantor, committed capability against multiples of the attacker's, and the
//! time to capability parity, against closed forms.

mod common;

use casus_model::ActorId;
use casus_sim::prepare::{lead_guarantor, set_shares_and_lead, Gate, Guarantor, Prepared};
use casus_sim::{run, summarise, Estimate, RunConfig};
use statrs::distribution::{ContinuousCDF, Normal};

fn guarantor(actor: u32, p: f64, capability: f64) -> Guarantor {
    Guarantor {
        capability_score: Some(capability),
        decide: common::days(5.0),
        capability: Some(capability),
        ..common::guarantor(actor, p)
    }
}

fn prepared(mut guarantors: Vec<Guarantor>) -> Prepared {
    let lead = lead_guarantor(&guarantors);
    set_shares_and_lead(&mut guarantors, lead);
    Prepared {
        guarantors,
        groups: vec![],
        rho: 0.0,
        attacker_capability: Some(1.0),
        lead,
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

fn close(what: &str, est: Estimate, expected: f64) {
    let tol = 4.0 * est.stderr.max(1e-9);
    assert!(
        (est.estimate - expected).abs() <= tol,
        "{what}: {} vs {expected} (tolerance {tol})",
        est.estimate
    );
}

const N: u64 = 200_000;

#[test]
fn two_guarantors_of_known_probability() {
    // A (p 0.6, commits 0.6 of the attacker's capability) and B (p 0.5, commits 0.5), independent.
    let p = prepared(vec![guarantor(1, 0.6, 0.6), guarantor(2, 0.5, 0.5)]);
    assert_eq!(p.lead, Some(ActorId(1)), "the larger committed capability leads");
    assert_eq!(p.guarantors[0].capability_share, Some(0.6 / 1.1));
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 21, 2), &mut |_, _| {})[0],
    );
    close("lead", s.p_lead_military_response.unwrap(), 0.6);
    let c = s.capability.unwrap();
    assert_eq!(
        c.p_at_least.iter().map(|x| x.0).collect::<Vec<_>>(),
        [0.5, 1.0, 2.0]
    );
    close("≥ 0.5", c.p_at_least[0].1, 1.0 - 0.4 * 0.5);
    close("≥ 1", c.p_at_least[1].1, 0.6 * 0.5);
    assert_eq!(c.p_at_least[2].1.estimate, 0.0);
    assert_eq!(c.p_at_least[1].1, c.p_exceeds_attacker);
    // Parity needs both; each arrives after a log-normal decision (median 5 days, σ 0.5),
    // so parity comes at the later of the two arrivals.
    let phi = Normal::standard();
    let by = |d: f64| phi.cdf((d / 5.0f64).ln() / 0.5);
    close(
        "parity within 30",
        c.p_parity_within_30_days,
        0.3 * by(30.0).powi(2),
    );
    close("parity by day 7", c.parity_curve[7], 0.3 * by(7.0).powi(2));
    assert_eq!(
        c.parity_median_days, None,
        "parity in fewer than half of the trials"
    );
}

#[test]
fn parity_is_the_later_arrival_when_both_are_needed() {
    // Both always honour; neither alone reaches the attacker's capability.
    let p = prepared(vec![guarantor(1, 1.0, 0.5), guarantor(2, 1.0, 0.5)]);
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 22, 2), &mut |_, _| {})[0],
    );
    let c = s.capability.unwrap();
    let phi = Normal::standard();
    for d in [3usize, 5, 7, 12] {
        close(
            &format!("parity by day {d}"),
            c.parity_curve[d],
            phi.cdf((d as f64 / 5.0).ln() / 0.5).powi(2),
        );
    }
    // The median of the later of two: Φ(z)² = 1/2 at z = Φ⁻¹(√½).
    let median = 5.0 * (0.5 * phi.inverse_cdf(0.5f64.sqrt())).exp();
    let m = c.parity_median_days.unwrap();
    assert!((m - median).abs() < 0.3, "{m} vs {median}");
    // One guarantor with the attacker's capability on its own: parity is its arrival.
    let q = prepared(vec![guarantor(1, 1.0, 1.0), guarantor(2, 1.0, 0.2)]);
    let s = summarise(
        &q,
        &run(std::slice::from_ref(&q), &cfg(N, 23, 2), &mut |_, _| {})[0],
    );
    close(
        "parity with one",
        s.capability.unwrap().parity_curve[7],
        phi.cdf((7.0f64 / 5.0).ln() / 0.5),
    );
    // The first arrival is the earlier of two.
    close(
        "first arrival",
        s.p_military_within_7_days,
        1.0 - (1.0 - phi.cdf((7.0f64 / 5.0).ln() / 0.5)).powi(2),
    );
}

#[test]
fn a_leader_with_followers() {
    // The leader (p 0.5) decides; two followers (p 0.8 each) act only with it. The followers
    // commit more, but the leader is the one they follow.
    let mut g = vec![
        guarantor(1, 0.5, 0.3),
        guarantor(2, 0.8, 0.4),
        guarantor(3, 0.8, 0.4),
    ];
    g[1].gate = Gate::Follows(0);
    g[2].gate = Gate::Follows(0);
    let p = prepared(g);
    assert_eq!(p.lead, Some(ActorId(1)));
    let s = summarise(
        &p,
        &run(std::slice::from_ref(&p), &cfg(N, 24, 2), &mut |_, _| {})[0],
    );
    close("lead", s.p_lead_military_response.unwrap(), 0.5);
    close("any military", s.p_any_military_response, 0.5);
    close("a follower", s.guarantors[1].p_responds, 0.4);
    let c = s.capability.unwrap();
    close("≥ 0.5", c.p_at_least[0].1, 0.5 * (1.0 - 0.2 * 0.2));
    close("≥ 1", c.p_at_least[1].1, 0.5 * 0.8 * 0.8);
}

#[test]
fn new_figures_are_the_same_at_any_thread_count_and_leave_the_others_alone() {
    let p = prepared(vec![
        guarantor(1, 0.6, 0.6),
        guarantor(2, 0.5, 0.5),
        guarantor(3, 0.7, 0.3),
    ]);
    let one = run(std::slice::from_ref(&p), &cfg(50_000, 7, 1), &mut |_, _| {});
    let eight = run(std::slice::from_ref(&p), &cfg(50_000, 7, 8), &mut |_, _| {});
    assert_eq!(one[0].tally, eight[0].tally);
    // Without capability figures, no parity draws are made and every other count is the same:
    // parity draws come from a second stream.
    let mut blind = p.clone();
    blind.attacker_capability = None;
    let b = run(std::slice::from_ref(&blind), &cfg(50_000, 7, 2), &mut |_, _| {});
    let (x, y) = (&one[0].tally, &b[0].tally);
    assert_eq!(
        (
            x.any_military,
            x.within_7,
            x.within_30,
            &x.time_bins,
            &x.responded
        ),
        (
            y.any_military,
            y.within_7,
            y.within_30,
            &y.time_bins,
            &y.responded
        )
    );
    assert_eq!(y.parity_bins.iter().sum::<u64>(), 0);
}
