//! One parameter at a time, over its stated range: how much does each move the result?
//! Every run uses the same seed (common random numbers), so differences are the
//! parameter's effect, not noise between runs.

use serde::Serialize;

use crate::prepare::Prepared;
use crate::priors::Priors;
use crate::sampler::{run, RunConfig};
use crate::stats::Estimate;

#[derive(Debug, Clone, Serialize)]
pub struct SensitivityRow {
    pub parameter: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// Per option: P(any military response) with the parameter at its low and high end.
    pub at_low: Vec<f64>,
    pub at_high: Vec<f64>,
    /// Per option: the same for P(any support, aid or more).
    pub support_at_low: Vec<f64>,
    pub support_at_high: Vec<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub trials: u64,
    pub base: Vec<Estimate>,
    pub support_base: Vec<Estimate>,
    /// Largest swing first (over all options).
    pub rows: Vec<SensitivityRow>,
}

/// `prepare_all` rebuilds every option's guarantors under given priors.
pub fn sensitivity(
    prepare_all: &dyn Fn(&Priors) -> Vec<Prepared>,
    priors: &Priors,
    cfg: &RunConfig,
    progress: &mut dyn FnMut(usize, usize),
) -> Sensitivity {
    let cfg = RunConfig {
        keep_trials: false,
        ..cfg.clone()
    };
    let measure = |p: &Priors| -> (Vec<Estimate>, Vec<Estimate>) {
        let prepared = prepare_all(p);
        let runs = run(&prepared, &cfg, &mut |_, _| {});
        let mil = runs
            .iter()
            .map(|r| Estimate::proportion(r.tally.any_military, r.tally.trials))
            .collect();
        let sup = runs
            .iter()
            .map(|r| Estimate::proportion(r.tally.any_support, r.tally.trials))
            .collect();
        (mil, sup)
    };
    let ranged: Vec<(String, f64, f64, f64)> = priors
        .ranged()
        .map(|(p, l, h)| (p.id.clone(), p.value, l, h))
        .collect();
    let total = ranged.len() + 1;
    let (base, support_base) = measure(priors);
    progress(1, total);
    let mut rows = Vec::new();
    for (i, (id, value, low, high)) in ranged.into_iter().enumerate() {
        let (lo, slo) = measure(&priors.with(&id, low));
        let (hi, shi) = measure(&priors.with(&id, high));
        rows.push(SensitivityRow {
            parameter: id,
            value,
            low,
            high,
            at_low: lo.iter().map(|e| e.estimate).collect(),
            at_high: hi.iter().map(|e| e.estimate).collect(),
            support_at_low: slo.iter().map(|e| e.estimate).collect(),
            support_at_high: shi.iter().map(|e| e.estimate).collect(),
        });
        progress(i + 2, total);
    }
    let swing = |r: &SensitivityRow| {
        r.at_low
            .iter()
            .zip(&r.at_high)
            .chain(r.support_at_low.iter().zip(&r.support_at_high))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    };
    rows.sort_by(|a, b| {
        swing(b)
            .total_cmp(&swing(a))
            .then_with(|| a.parameter.cmp(&b.parameter))
    });
    Sensitivity {
        trials: cfg.trials.unwrap_or(0),
        base,
        support_base,
        rows,
    }
}
