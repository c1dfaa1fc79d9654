//! Second-order Monte Carlo: outer draws of the priors, inner trials. At fixed parameters
//! it is the single run; with one uncertain parameter its band is that parameter's
//! distribution carried through the model; the same seed gives the same bands at any
//! thread count.

mod common;

use casus_model::Parameter;
use casus_sim::prepare::{Guarantor, Prepared};
use casus_sim::uncertainty::{second_order, BandConfig};
use casus_sim::{run, summarise, Priors, RunConfig};

fn guarantor(actor: u32, p: f64) -> Guarantor {
    Guarantor {
        capability_score: Some(0.6),
        decide: common::days(2.0),
        capability: Some(0.6),
        ..common::guarantor(actor, p)
    }
}

/// The library's priors with every range collapsed to its value, except `base_rate`'s.
fn priors(base_rate: Option<(f64, f64, f64)>) -> Priors {
    let lib = casus_library::load().library;
    let params: Vec<Parameter> = lib
        .parameters
        .iter()
        .map(|p| {
            let mut p = p.clone();
            match (p.id.as_str(), base_rate) {
                ("honour.base_rate", Some((l, v, h))) => (p.low, p.value, p.high) = (Some(l), v, Some(h)),
                _ => (p.low, p.high) = (Some(p.value), Some(p.value)),
            }
            p
        })
        .collect();
    Priors::new(&params, &[]).unwrap()
}

/// Two options: one guarantor honouring at the base rate, and two of them (a ≥ 1 capability test).
fn prepare_all(p: &Priors) -> Vec<Prepared> {
    let q = p.value("honour.base_rate", None);
    let one = |g: Vec<Guarantor>| {
        let mut g = g;
        let lead = casus_sim::prepare::lead_guarantor(&g);
        casus_sim::prepare::set_shares_and_lead(&mut g, lead);
        Prepared {
            guarantors: g,
            groups: vec![],
            rho: 0.0,
            attacker_capability: Some(1.0),
            lead,
        }
    };
    vec![
        one(vec![guarantor(1, q)]),
        one(vec![guarantor(1, q), guarantor(2, q)]),
    ]
}

fn cfg(draws: u64, trials: u64, threads: usize) -> BandConfig {
    BandConfig {
        draws,
        trials,
        seed: 5,
        threads,
    }
}

#[test]
fn at_fixed_parameters_every_draw_is_the_single_run() {
    let pr = priors(None);
    let bands = second_order(&prepare_all, &pr, &cfg(8, 10_000, 2), &mut |_, _| {});
    assert!(bands.parameters.is_empty());
    let options = prepare_all(&pr);
    let single = run(
        &options,
        &RunConfig {
            trials: Some(10_000),
            precision: 0.0,
            max_trials: 10_000,
            seed: 5,
            threads: 2,
            keep_trials: false,
        },
        &mut |_, _| {},
    );
    for (o, (p, r)) in options.iter().zip(&single).enumerate() {
        let s = summarise(p, r);
        for (name, value) in casus_sim::summary::metrics(&s) {
            let b = bands.options[o].get(name).unwrap();
            // The mean of equal values, to rounding.
            assert!(
                (b.estimate - value).abs() <= 1e-15 * value.abs().max(1.0),
                "{name}"
            );
            assert_eq!(
                b.band,
                [value, value],
                "{name}: no spread without uncertain priors"
            );
        }
        let any = bands.options[o].get("p_any_military_response").unwrap();
        assert!((any.stderr - s.p_any_military_response.stderr).abs() < 1e-12);
    }
}

#[test]
fn one_uncertain_parameter_carries_its_distribution_through() {
    // Base rate triangular on [0.2, 0.6], mode 0.4: its 5th and 95th percentiles are
    // 0.2 + √(0.05 · 0.08) and 0.6 − √(0.05 · 0.08); one guarantor's P(response) is the rate.
    let pr = priors(Some((0.2, 0.4, 0.6)));
    let bands = second_order(&prepare_all, &pr, &cfg(400, 8_192, 2), &mut |_, _| {});
    assert_eq!(bands.parameters, ["honour.base_rate"]);
    let b = bands.options[0].get("p_any_military_response").unwrap();
    let q = (0.05f64 * 0.08).sqrt();
    assert!((b.estimate - 0.4).abs() < 4.0 * b.stderr, "{b:?}");
    assert!((b.band[0] - (0.2 + q)).abs() < 0.03, "{b:?}");
    assert!((b.band[1] - (0.6 - q)).abs() < 0.03, "{b:?}");
    assert!(
        b.band[1] - b.band[0] > 20.0 * b.stderr,
        "the band is the priors' spread, not noise"
    );
    // Two independent guarantors, each committing 0.6: P(≥ attacker's) = E[q²] = Var q + E[q]².
    let both = bands.options[1].get("p_capability_ge_1").unwrap();
    let var = (0.2f64 * 0.2 + 0.4 * 0.4 + 0.6 * 0.6 - 0.2 * 0.4 - 0.2 * 0.6 - 0.4 * 0.6) / 18.0;
    assert!(
        (both.estimate - (var + 0.16)).abs() < 4.0 * both.stderr,
        "{both:?}"
    );
}

#[test]
fn same_seed_same_bands_at_any_thread_count() {
    let pr = priors(Some((0.2, 0.4, 0.6)));
    let go = |threads| second_order(&prepare_all, &pr, &cfg(40, 2_048, threads), &mut |_, _| {});
    let (one, two, eight) = (go(1), go(2), go(8));
    for o in 0..2 {
        assert_eq!(one.options[o].metrics, two.options[o].metrics);
        assert_eq!(one.options[o].metrics, eight.options[o].metrics);
    }
    let other = second_order(
        &prepare_all,
        &pr,
        &BandConfig {
            seed: 6,
            ..cfg(40, 2_048, 2)
        },
        &mut |_, _| {},
    );
    assert_ne!(one.options[0].metrics, other.options[0].metrics);
}
