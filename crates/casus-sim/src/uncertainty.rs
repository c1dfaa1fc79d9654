//! Uncertainty from the priors (second-order Monte Carlo). The priors give each parameter
//! a value and a range, not a distribution; an outer draw takes every ranged parameter at
//! once from a triangular distribution on its range with its mode at the stated value
//! (an assumption, stated in docs/credibility.md), and an inner run samples trials under
//! those values. Every figure then has an estimate (its mean over the draws), a band (the
//! 5th and 95th percentiles of the per-draw figures: what the priors' uncertainty
//! allows) and a Monte Carlo error.
//!
//! Every draw's inner run uses the same seed (common random numbers), so that draws
//! differ by their parameters, not their noise. Draws are computed in parallel and
//! merged in draw order; each draw's parameters come from a stream of its own (seed,
//! draw index): the same seed gives the same bands at any thread count.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use serde::Serialize;

use crate::prepare::Prepared;
use crate::priors::Priors;
use crate::sampler::{mix, run_serial};
use crate::summary::{metrics, summarise};

/// Per draw, per option: each figure's name, value and binomial standard error.
type DrawFigures = Vec<Vec<(&'static str, f64, f64)>>;

/// Mixed into the seed for the parameter draws' streams (the inner runs use the seed itself).
const PRIOR_STREAM: u64 = 0x5052_494F_5253_0001;

/// A figure with the spread the priors allow and its Monte Carlo error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    /// Mean over the parameter draws.
    pub estimate: f64,
    /// Monte Carlo error of the estimate: the spread between draws over √draws, and the
    /// inner runs' own error (which common random numbers do not average away).
    pub stderr: f64,
    /// 5th and 95th percentiles over the parameter draws.
    pub band: [f64; 2],
}

#[derive(Debug, Clone)]
pub struct BandConfig {
    /// Parameter draws (outer).
    pub draws: u64,
    /// Trials per draw and option (inner).
    pub trials: u64,
    pub seed: u64,
    pub threads: usize,
}

/// Per option, each figure of [`metrics`] with its band, in that order.
#[derive(Debug, Clone, Serialize)]
pub struct OptionBands {
    pub metrics: Vec<(&'static str, Band)>,
}

impl OptionBands {
    pub fn get(&self, name: &str) -> Option<Band> {
        self.metrics.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Bands {
    pub draws: u64,
    pub trials: u64,
    /// The parameters drawn (global, with a range wider than a point).
    pub parameters: Vec<String>,
    pub options: Vec<OptionBands>,
}

/// A draw from the triangular distribution on [low, high] with its mode at `mode`
/// (clamped into the range), by inversion of one uniform.
pub fn triangular(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    if high <= low {
        return low;
    }
    let c = mode.clamp(low, high);
    let f = (c - low) / (high - low);
    if u < f {
        low + (u * (high - low) * (c - low)).sqrt()
    } else {
        high - ((1.0 - u) * (high - low) * (high - c)).sqrt()
    }
}

/// The priors of draw `draw`: every ranged global parameter drawn at once (independently,
/// in the model's order); per-actor values stay as given.
pub fn draw_priors(priors: &Priors, seed: u64, draw: u64) -> Priors {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ PRIOR_STREAM, draw));
    let mut out = priors.clone();
    for (p, low, high) in priors.ranged() {
        let u: f64 = rng.random();
        out = out.with(&p.id, triangular(low, p.value, high, u));
    }
    out
}

/// The p-th quantile of sorted values (linear interpolation between order statistics).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let (i, f) = (h.floor() as usize, h - h.floor());
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * f
}

/// Summarises one figure's values over the draws, with the inner runs' standard errors.
pub fn band_of(values: &[f64], inner_stderr: &[f64]) -> Band {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let n = v.len();
    if n == 0 {
        return Band {
            estimate: f64::NAN,
            stderr: f64::NAN,
            band: [f64::NAN; 2],
        };
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    let var = if n > 1 {
        v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    let inner: Vec<f64> = inner_stderr.iter().copied().filter(|x| x.is_finite()).collect();
    let inner_var = if inner.is_empty() {
        0.0
    } else {
        inner.iter().map(|s| s * s).sum::<f64>() / inner.len() as f64
    };
    v.sort_by(f64::total_cmp);
    Band {
        estimate: mean,
        stderr: (var / n as f64 + inner_var).sqrt(),
        band: [quantile(&v, 0.05), quantile(&v, 0.95)],
    }
}

/// Runs `cfg.draws` parameter draws of `cfg.trials` trials for every option that
/// `prepare_all` builds under given priors. `progress(done, planned)` after each chunk of draws.
pub fn second_order(
    prepare_all: &(dyn Fn(&Priors) -> Vec<Prepared> + Sync),
    priors: &Priors,
    cfg: &BandConfig,
    progress: &mut dyn FnMut(u64, u64),
) -> Bands {
    let one = |d: u64| -> DrawFigures {
        let prepared = prepare_all(&draw_priors(priors, cfg.seed, d));
        let runs = run_serial(&prepared, cfg.trials, cfg.seed);
        prepared
            .iter()
            .zip(&runs)
            .map(|(p, r)| {
                let s = summarise(p, r);
                metrics(&s)
                    .into_iter()
                    .map(|(name, value)| {
                        // Binomial error for probabilities; NaN (left out) for the others.
                        let se = if name.starts_with("p_") {
                            (value * (1.0 - value) / cfg.trials as f64).sqrt()
                        } else {
                            f64::NAN
                        };
                        (name, value, se)
                    })
                    .collect()
            })
            .collect()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads.max(1))
        .build();
    let mut per_draw: Vec<DrawFigures> = Vec::with_capacity(cfg.draws as usize);
    let chunk = 16u64;
    let mut next = 0u64;
    while next < cfg.draws {
        let ids: Vec<u64> = (next..(next + chunk).min(cfg.draws)).collect();
        let work = || ids.par_iter().map(|&d| one(d)).collect::<Vec<_>>();
        per_draw.extend(match &pool {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        });
        next += ids.len() as u64;
        progress(next, cfg.draws);
    }
    let n_options = per_draw.first().map_or(0, Vec::len);
    let options = (0..n_options)
        .map(|o| {
            let names: Vec<&'static str> = per_draw[0][o].iter().map(|m| m.0).collect();
            let metrics = names
                .iter()
                .enumerate()
                .map(|(i, &name)| {
                    let values: Vec<f64> = per_draw.iter().map(|d| d[o][i].1).collect();
                    let ses: Vec<f64> = per_draw.iter().map(|d| d[o][i].2).collect();
                    (name, band_of(&values, &ses))
                })
                .collect();
            OptionBands { metrics }
        })
        .collect();
    Bands {
        draws: cfg.draws,
        trials: cfg.trials,
        parameters: priors.ranged().map(|(p, _, _)| p.id.clone()).collect(),
        options,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_inverts_its_distribution_function() {
        // On [0.2, 0.6] with mode 0.4: F(x) = (x - 0.2)² / 0.08 below the mode.
        let x = triangular(0.2, 0.4, 0.6, 0.05);
        assert!((x - (0.2 + (0.05f64 * 0.08).sqrt())).abs() < 1e-12);
        assert!((triangular(0.2, 0.4, 0.6, 0.5) - 0.4).abs() < 1e-12);
        // A mode beyond the range is clamped to its end: F(x) = x² on [0, 1].
        assert_eq!(triangular(0.0, 5.0, 1.0, 0.999), 0.999f64.sqrt());
        assert_eq!(triangular(0.3, 0.3, 0.3, 0.7), 0.3);
    }

    #[test]
    fn quantiles_interpolate_and_bands_ignore_missing_values() {
        let v: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.05), 5.0);
        assert_eq!(quantile(&v, 0.95), 95.0);
        let b = band_of(&[1.0, f64::NAN, 3.0], &[0.0, 0.0, 0.0]);
        assert_eq!(b.estimate, 2.0);
        assert_eq!(b.band, [1.1, 2.9]);
    }
}
