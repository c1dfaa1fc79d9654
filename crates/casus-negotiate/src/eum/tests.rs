//! Tests of the expected utility model against the published rounds and closed forms.

use super::*;

/// BDM (1994, Table p. 78) as printed in Scholz et al. (2011) Table 1: the EC
/// car-emissions case (position = years of delay, 4–10; salience /100).
pub(crate) fn ec_case() -> Vec<Player> {
    [
        (0.08, 4.0, 0.8),
        (0.08, 7.0, 0.4),
        (0.03, 4.0, 0.2),
        (0.16, 4.0, 0.8),
        (0.16, 10.0, 0.6),
        (0.16, 10.0, 0.6),
        (0.16, 10.0, 0.9),
        (0.05, 7.0, 0.1),
        (0.05, 4.0, 1.0),
        (0.08, 7.0, 0.7),
    ]
    .into_iter()
    .map(|(c, x, s)| Player {
        capability: c,
        position: x,
        salience: s,
    })
    .collect()
}

#[test]
fn scholz_setting_reproduces_table_2() {
    // Scholz, Calbert & Smith (2011) Table 2, rounds 1–8 (printed to one decimal).
    let printed_median = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6];
    let printed_mean = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6];
    let run = run(&ec_case(), 8, &Settings::scholz(), false);
    assert!((run[0].median - 7.0).abs() < 1e-12);
    for t in 1..=8 {
        let (m, mu) = (run[t].median, run[t].mean);
        // Means: within 0.07 of the printed value in every round.
        assert!(
            (mu - printed_mean[t - 1]).abs() < 0.07,
            "round {t}: mean {mu} vs printed {}",
            printed_mean[t - 1]
        );
        if t == 2 {
            // The one printed figure not reproduced: the paper prints 9.9 (and says so
            // in the text, p. 28); this reading, like the reference implementation
            // (Example.log below: "Belgium compromises with France … new_pos =
            // 9.610859134120188"), puts Belgium, the median actor, at 9.61.
            assert_eq!(printed_median[1], 9.9);
            assert!((m - 9.610859134120188).abs() < 1e-9, "round 2 median {m}");
            continue;
        }
        // Medians: the printed figure is the computed one truncated to one decimal.
        assert!(
            m >= printed_median[t - 1] - 1e-9 && m < printed_median[t - 1] + 0.1,
            "round {t}: median {m} vs printed {}",
            printed_median[t - 1]
        );
    }
    // Third-party run of the same reading (dmasad/bdm-scholz-expected-utility-model
    // Example.log@d7c7bbab): means to all printed digits.
    let logged = [
        7.461314378277189,
        7.552500865855845,
        7.590144997451547,
        7.358130531334201,
        7.3491739896752115,
        7.414877545372958,
        7.510457183677219,
        7.5724470975503,
    ];
    for t in 1..=8 {
        assert!(
            (run[t].mean - logged[t - 1]).abs() < 1e-9,
            "round {t}: {} vs {}",
            run[t].mean,
            logged[t - 1]
        );
    }
    // Round 1: Belgium compromises with France, Luxembourg joins Belgium, Ireland Luxembourg.
    let m = &run[1].moves;
    assert_eq!(
        m[1].map(|m| (m.to_actor, m.kind)),
        Some((4, OfferKind::Compromise))
    );
    assert_eq!(
        m[2].map(|m| (m.to_actor, m.kind)),
        Some((1, OfferKind::Confrontation))
    );
    assert_eq!(
        m[7].map(|m| (m.to_actor, m.kind)),
        Some((2, OfferKind::Confrontation))
    );
    assert!((run[1].positions[1] - 8.415932315426764).abs() < 1e-9);
    // Belgium's position in every round equals the reference log's `new_pos`, and
    // Belgium is the median actor in rounds 1–3 and 6–8 (Luxembourg, then Ireland,
    // in rounds 4–5).
    let belgium = [
        8.415932315426764,
        9.610859134120188,
        9.961979590401311,
        4.800881140632622,
        5.524237694197356,
        7.47204636191629,
        8.824593855262423,
        9.671129769802048,
    ];
    for t in 1..=8 {
        assert!(
            (run[t].positions[1] - belgium[t - 1]).abs() < 1e-9,
            "round {t}: Belgium at {}",
            run[t].positions[1]
        );
    }
    assert_eq!(
        run[2].moves[1].map(|m| (m.to_actor, m.kind)),
        Some((4, OfferKind::Compromise))
    );
}

#[test]
fn no_offer_to_belgium_in_round_2_reaches_the_printed_9_9() {
    // Why round 2 cannot print 9.9 under this reading: the weight c·s of the actors
    // who end round 2 left of Belgium is 0.309 and Belgium's own 0.032 takes it past
    // half of 0.677, so the round-2 median is wherever Belgium goes. Belgium's only offers in round 2
    // are compromises with France and Italy (both at 10, identical E values), landing
    // at 9.61; the UK's offer falls in the capitulation octant (never fires in this
    // reading; under Fig. 6 it would move Belgium to 10.0, but compromises rank first).
    let run = run(&ec_case(), 2, &Settings::scholz(), true);
    let x = &run[1].positions;
    let mut offers = vec![];
    for (j, v) in run[2].perspective[1].iter().enumerate() {
        if let Some((a, b)) = *v {
            if a < 0.0 && b > 0.0 && b > a.abs() {
                offers.push((j, x[1] + (x[j] - x[1]) * (a / b).abs()));
            }
            if b > a && a > 0.0 {
                offers.push((j, x[j]));
            }
        }
    }
    assert_eq!(offers.iter().map(|o| o.0).collect::<Vec<_>>(), vec![4, 5]);
    assert!(
        offers.iter().all(|o| (o.1 - 9.610859134120188).abs() < 1e-9),
        "{offers:?}"
    );
    let (a, b) = run[2].perspective[1][6].unwrap();
    assert!(a < 0.0 && b > 0.0 && a.abs() > b, "UK: {a} {b}");
    // Even with the Fig. 6 compel branch, compromises rank first: still 9.61.
    let fig6 = super::run(
        &ec_case(),
        2,
        &Settings {
            octants: Octants::Figure6,
            ..Settings::scholz()
        },
        false,
    );
    assert!(
        (fig6[2].positions[1] - 9.610859134120188).abs() < 1e-9,
        "{}",
        fig6[2].positions[1]
    );
}

#[test]
fn belgium_sees_every_other_actor_in_the_published_quadrants() {
    // BDM (1994) plots Belgium's perspective; the published numbers' reading puts the
    // UK and Denmark above the axis (research note §1.5, negative control).
    let run = run(&ec_case(), 1, &Settings::scholz(), true);
    let uk = run[1].perspective[1][6].unwrap();
    let dk = run[1].perspective[1][8].unwrap();
    assert!(uk.1 > 0.0 && dk.1 > 0.0, "{uk:?} {dk:?}");
    let paper = super::run(
        &ec_case(),
        1,
        &Settings {
            evaluator: Evaluator::Responder,
            ..Settings::scholz()
        },
        true,
    );
    let uk = paper[1].perspective[1][6].unwrap();
    assert!(
        uk.1 < 0.0,
        "with j's own exponent the UK falls below the axis: {uk:?}"
    );
}

#[test]
fn printed_probability_collapses_the_ec_case() {
    // Research note §1.5 (derived): with eq. (31) as printed everyone ends at 7.0 by round 3.
    let s = Settings {
        prob: ProbNorm::Pairwise,
        risky_votes: false,
        ..Settings::scholz()
    };
    let run = run(&ec_case(), 3, &s, false);
    assert!(
        run[3].positions.iter().all(|&x| (x - 7.0).abs() < 1e-9),
        "{:?}",
        run[3].positions
    );
}

/// The O(n³) definition the prefix sums replace: every voter for every pair.
fn brute_prob(players: &[Player], x: &[f64], dist: &[f64], norm: ProbNorm) -> Vec<f64> {
    let n = players.len();
    let mut all = 0.0;
    for (k, p) in players.iter().enumerate() {
        for a in 0..n {
            for b in 0..n {
                all += p.capability * p.salience * (dist[k * n + b] - dist[k * n + a]).abs();
            }
        }
    }
    let mut prob = vec![0.5; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let (mut fi, mut fj) = (0.0, 0.0);
            for (k, p) in players.iter().enumerate() {
                let v = p.capability * p.salience * (dist[k * n + j] - dist[k * n + i]);
                if v > 0.0 {
                    fi += v;
                } else {
                    fj -= v;
                }
            }
            if x[i] == x[j] {
                (fi, fj) = (0.0, 0.0);
            }
            let den = if norm == ProbNorm::Pairwise { fi + fj } else { all };
            if den > 0.0 {
                prob[i * n + j] = fi / den;
                prob[j * n + i] = fj / den;
            }
        }
    }
    prob
}

#[test]
fn pair_probabilities_in_quadratic_time_equal_the_definition() {
    // A small deterministic generator (no dependency): ties, repeated positions, exponents.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for n in [2, 3, 7, 30, 61] {
        let players: Vec<Player> = (0..n)
            .map(|_| Player {
                capability: next(),
                salience: next(),
                position: (next() * 10.0).round() * 10.0,
            })
            .collect();
        let x: Vec<f64> = players.iter().map(|p| p.position).collect();
        let r: Vec<f64> = (0..n).map(|_| 0.5 + 1.5 * next()).collect();
        for norm in [ProbNorm::Pairwise, ProbNorm::AllPairs] {
            let mut w = Work::new(n);
            fill_dist(&x, span(&x).max(1.0), &r, true, &mut w);
            fill_prob(&players, &x, norm, &mut w);
            let want = brute_prob(&players, &x, &w.dist, norm);
            for (k, (a, b)) in w.prob.iter().zip(&want).enumerate() {
                assert!((a - b).abs() < 1e-12, "n {n} {norm:?} pair {k}: {a} vs {b}");
            }
        }
    }
}

#[test]
fn agreement_is_a_fixed_point() {
    let p = vec![
        Player {
            capability: 1.0,
            salience: 0.5,
            position: 3.0
        };
        4
    ];
    for s in [Settings::scholz(), Settings::paper()] {
        let run = run(&p, 3, &s, true);
        assert!(run.iter().all(|r| r.positions == vec![3.0; 4] && r.median == 3.0));
    }
}
