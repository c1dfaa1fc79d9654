//! Structural uncertainty: each simulated world draws the model's parameters from what is
//! known about them, so the forecast comes with a band rather than Monte Carlo digits.

use rand::Rng;
use rand_distr::StandardNormal;

use crate::fit::{DelayModel, LogNormalFit};
use crate::simulate::Structure;
use crate::trial::stream;

/// A triangular draw on (low, mode, high).
fn triangular<R: Rng>(rng: &mut R, low: f64, mode: f64, high: f64) -> f64 {
    let (low, high) = (low.min(mode), high.max(mode));
    if high - low <= 0.0 {
        return mode;
    }
    let u: f64 = rng.random();
    let c = (mode - low) / (high - low);
    if u < c {
        low + ((high - low) * (mode - low) * u).sqrt()
    } else {
        high - ((high - low) * (high - mode) * (1.0 - u)).sqrt()
    }
}

fn vary<R: Rng>(rng: &mut R, f: &LogNormalFit, fallback_log_sd: f64) -> LogNormalFit {
    let z: f64 = rng.sample(StandardNormal);
    let z2: f64 = rng.sample(StandardNormal);
    if f.n >= 2 {
        // Large-sample sampling distributions: log-median ± σ/√n, log σ ± 1/√(2(n−1)).
        let n = f.n as f64;
        LogNormalFit {
            median: (f.mu() + z * f.sigma / n.sqrt()).exp(),
            sigma: (f.sigma * (z2 / (2.0 * (n - 1.0)).sqrt()).exp()).clamp(0.05, 3.0),
            n: f.n,
        }
    } else {
        LogNormalFit {
            median: (f.mu() + z * fallback_log_sd).exp(),
            ..*f
        }
    }
}

/// World `w`'s model and opponents' rate of change (world 0 draws too: every world is a
/// draw, none is privileged).
pub(crate) fn world(base: &DelayModel, hazard: f64, s: &Structure, seed: u64, w: u64) -> (DelayModel, f64) {
    let mut rng = stream(seed, w, u64::MAX - 1);
    let rate = triangular(
        &mut rng,
        s.opposes_change_per_year.0,
        hazard,
        s.opposes_change_per_year.1,
    );
    let sd = s.fallback_log_sd;
    // The regular delay: (log-median, sigma) drawn together from the fit's likelihood; the
    // procedure types keep their offsets from it.
    let regular = match base.regular_likelihood.as_slice() {
        [] => vary(&mut rng, &base.regular, sd),
        grid => {
            let u: f64 = rng.random();
            let i = grid.partition_point(|p| p.2 < u).min(grid.len() - 1);
            LogNormalFit {
                median: grid[i].0.exp(),
                sigma: grid[i].1,
                n: base.regular.n,
            }
        }
    };
    let shift = regular.mu() - base.regular.mu();
    let m = DelayModel {
        regular,
        by_procedure: base
            .by_procedure
            .iter()
            .map(|(k, f)| {
                (
                    *k,
                    LogNormalFit {
                        median: (f.mu() + shift).exp(),
                        sigma: regular.sigma,
                        n: f.n,
                    },
                )
            })
            .collect(),
        holdout: vary(&mut rng, &base.holdout, sd),
        invitation_to_protocol: vary(&mut rng, &base.invitation_to_protocol, sd),
        deposit: vary(&mut rng, &base.deposit, sd),
        rounds_used: base.rounds_used.clone(),
        regular_likelihood: vec![],
    };
    (m, rate)
}
