//! The Nash bargaining solution on a policy continuum (research note §4.2).
//!
//! `x* = argmax_x Π_i [u_i(x) − u_i(d)]^{w_i}` over the outcomes every actor prefers to
//! the disagreement point `d`, with `u_i(x) = −|x − x_i|^p`. Salience cannot enter as a
//! multiplier of `u_i` (it cancels in the product), so it enters through the power weights
//! `w_i` (default `c_i s_i`).

use crate::{Issue, Stake};

/// The power weights of the actors in the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// `w_i = c_i s_i` (asymmetric NBS).
    CapabilitySalience,
    /// `w_i = 1` (symmetric NBS).
    Equal,
}

/// What happens without agreement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Disagreement {
    /// The outcome at a point on the issue (status quo, reference point, war goes on).
    At(f64),
    /// Each actor's worst outcome on the issue (no agreement is as bad as it gets).
    Worst,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Exponent of the loss: 1 linear, 2 quadratic.
    pub p: f64,
    pub weights: Weights,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            p: 2.0,
            weights: Weights::CapabilitySalience,
        }
    }
}

/// The solution and whether any outcome improves on disagreement for every actor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Solution {
    pub x: f64,
    /// False when no outcome makes every actor with weight better off than `d`; `x` is then `d`.
    pub agreement: bool,
}

/// The NBS of one issue.
pub fn solve(issue: &Issue, d: Disagreement, settings: Settings) -> Option<Solution> {
    solve_stakes(&issue.stakes, issue.lo, issue.hi, d, settings)
}

/// The NBS for stakes on `[lo, hi]`. `None` when no actor has weight.
pub fn solve_stakes(
    stakes: &[Stake],
    lo: f64,
    hi: f64,
    d: Disagreement,
    settings: Settings,
) -> Option<Solution> {
    let actors: Vec<(f64, f64, f64)> = stakes
        .iter()
        .map(|s| {
            let w = match settings.weights {
                Weights::CapabilitySalience => s.weight(),
                Weights::Equal => 1.0,
            };
            // Distance at which the actor is as well off as under disagreement.
            let reach = match d {
                Disagreement::At(q) => (q - s.position).abs(),
                Disagreement::Worst => (s.position - lo).abs().max((hi - s.position).abs()),
            };
            (s.position, w, reach)
        })
        .filter(|a| a.1 > 0.0)
        .collect();
    if actors.is_empty() {
        return None;
    }
    // The outcomes that every actor weakly prefers to disagreement: an intersection of
    // intervals [x_i − reach_i, x_i + reach_i]. With `Worst`, the end points tie
    // (utility exactly the disagreement utility), so they are excluded below by the
    // strict positivity of every factor.
    let mut a = lo;
    let mut b = hi;
    for &(x, _, r) in &actors {
        a = a.max(x - r);
        b = b.min(x + r);
    }
    let fallback = match d {
        Disagreement::At(q) => q,
        Disagreement::Worst => (lo + hi) / 2.0,
    };
    if a >= b {
        return Some(Solution {
            x: fallback,
            agreement: false,
        });
    }
    let p = settings.p;
    // Σ w_i ln(reach_i^p − |x − x_i|^p): concave on (a, b) for p ≥ 1, −∞ at its ends.
    let objective = |x: f64| -> f64 {
        let mut total = 0.0;
        for &(xi, w, r) in &actors {
            let gain = r.powf(p) - (x - xi).abs().powf(p);
            if gain <= 0.0 {
                return f64::NEG_INFINITY;
            }
            total += w * gain.ln();
        }
        total
    };
    // Golden-section search on the interior.
    let (mut l, mut h) = (a, b);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = h - g * (h - l);
    let mut e = l + g * (h - l);
    let (mut fc, mut fe) = (objective(c), objective(e));
    for _ in 0..200 {
        if (h - l).abs() <= 1e-12 * (1.0 + h.abs()) {
            break;
        }
        if fc >= fe {
            h = e;
            e = c;
            fe = fc;
            c = h - g * (h - l);
            fc = objective(c);
        } else {
            l = c;
            c = e;
            fc = fe;
            e = l + g * (h - l);
            fe = objective(e);
        }
    }
    let x = (l + h) / 2.0;
    if objective(x).is_finite() {
        Some(Solution { x, agreement: true })
    } else {
        Some(Solution {
            x: fallback,
            agreement: false,
        })
    }
}

/// Nash product maximiser over a one-parameter family of utility pairs `(u1(t), u2(t))`,
/// `t ∈ [0, 1]`, by golden-section search (for the textbook checks of the research note
/// §5.4; `u` must make the log-product unimodal).
pub fn two_player(u: impl Fn(f64) -> (f64, f64), d: (f64, f64), alpha: f64) -> f64 {
    let f = |t: f64| {
        let (a, b) = u(t);
        let (ga, gb) = (a - d.0, b - d.1);
        if ga <= 0.0 || gb <= 0.0 {
            f64::NEG_INFINITY
        } else {
            alpha * ga.ln() + (1.0 - alpha) * gb.ln()
        }
    };
    let (mut l, mut h) = (0.0f64, 1.0f64);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..200 {
        let c = h - g * (h - l);
        let e = l + g * (h - l);
        if f(c) >= f(e) {
            h = e;
        } else {
            l = c;
        }
    }
    (l + h) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_cases() {
        // Research note §5.4.
        // Golden-section search on function values is accurate to about √ε.
        assert!((two_player(|x| (x, 1.0 - x), (0.0, 0.0), 0.5) - 0.5).abs() < 1e-6);
        let x = two_player(|x| (x.sqrt(), 1.0 - x), (0.0, 0.0), 0.5);
        assert!((x - 1.0 / 3.0).abs() < 1e-7, "{x}");
        assert!((x.sqrt() - 0.577350).abs() < 1e-6);
        assert!((two_player(|x| (x, 1.0 - x), (0.0, 0.0), 0.3) - 0.3).abs() < 1e-6);
        assert!((two_player(|x| (x, 1.0 - x), (0.2, 0.0), 0.5) - 0.6).abs() < 1e-6);
    }

    #[test]
    fn quadratic_nbs_with_remote_disagreement_tends_to_the_weighted_mean() {
        let stakes = vec![Stake::new("a", 1.0, 0.0, 1.0), Stake::new("b", 3.0, 10.0, 1.0)];
        let s = solve_stakes(&stakes, -1e4, 1e4, Disagreement::At(-1e4), Settings::default()).unwrap();
        assert!(s.agreement);
        assert!((s.x - 7.5).abs() < 0.01, "{}", s.x);
    }

    #[test]
    fn status_quo_at_an_ideal_point_leaves_no_deal() {
        let stakes = vec![Stake::new("a", 1.0, 0.0, 1.0), Stake::new("b", 1.0, 10.0, 1.0)];
        let s = solve_stakes(&stakes, 0.0, 10.0, Disagreement::At(0.0), Settings::default()).unwrap();
        assert!(!s.agreement);
        assert_eq!(s.x, 0.0);
        // Between the two, both gain from moving towards the other: symmetric linear NBS.
        let s = solve_stakes(
            &stakes,
            0.0,
            10.0,
            Disagreement::At(5.0),
            Settings {
                p: 1.0,
                weights: Weights::Equal,
            },
        )
        .unwrap();
        assert!(!s.agreement || (s.x - 5.0).abs() < 1e-6);
        let s = solve_stakes(
            &stakes,
            0.0,
            10.0,
            Disagreement::Worst,
            Settings {
                p: 1.0,
                weights: Weights::Equal,
            },
        )
        .unwrap();
        assert!(s.agreement && (s.x - 5.0).abs() < 1e-6, "{s:?}");
    }
}
