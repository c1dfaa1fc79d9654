//! Sobol indices from a Saltelli design: first-order (Saltelli 2010's estimator) and total
//! (Jansen 1999's), with percentile bootstrap intervals over the base points.
//!
//! With f_A, f_B and f_ABi the outcomes at A_j, B_j and A_j with factor i from B_j:
//! V = var(f_A ∪ f_B); S_i = mean(f_B (f_ABi − f_A)) / V; ST_i = mean((f_A − f_ABi)²) / (2V).
//! A base point with any unknown outcome is left out of the estimate and counted.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use schemars::JsonSchema;
use serde::Serialize;

use crate::plan::{mix, Design, Plan};
use crate::table::Evaluated;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Index {
    pub factor: String,
    pub first: f64,
    pub first_low: f64,
    pub first_high: f64,
    pub total: f64,
    pub total_low: f64,
    pub total_high: f64,
}

/// The indices for one combination of the categorical levers.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Group {
    pub levers: BTreeMap<String, String>,
    /// Base points used.
    pub base_points: usize,
    /// Base points left out because an outcome was unknown.
    pub left_out: usize,
    pub mean: f64,
    pub variance: f64,
    pub indices: Vec<Index>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Sobol {
    pub metric: String,
    pub resamples: usize,
    pub confidence: f64,
    pub groups: Vec<Group>,
}

/// First-order and total indices of each factor from outcomes at A, B and AB_i (one vector
/// per factor), all of the same length.
pub fn estimate(fa: &[f64], fb: &[f64], fab: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>, f64) {
    let n = fa.len() as f64;
    let all: Vec<f64> = fa.iter().chain(fb).copied().collect();
    let m = all.iter().sum::<f64>() / all.len() as f64;
    let v = all.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (all.len() as f64 - 1.0).max(1.0);
    let mut s1 = Vec::new();
    let mut st = Vec::new();
    for ab in fab {
        let mut a = 0.0;
        let mut b = 0.0;
        for j in 0..fa.len() {
            a += fb[j] * (ab[j] - fa[j]);
            b += (fa[j] - ab[j]) * (fa[j] - ab[j]);
        }
        if v > 0.0 {
            s1.push(a / n / v);
            st.push(b / n / (2.0 * v));
        } else {
            s1.push(0.0);
            st.push(0.0);
        }
    }
    (s1, st, v)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Sobol indices of `metric` for each lever combination, with `resamples` bootstrap
/// resamples at confidence `confidence` (e.g. 0.95).
pub fn sobol(
    plan: &Plan,
    rows: &[Evaluated],
    metric: &str,
    resamples: usize,
    confidence: f64,
) -> Result<Sobol, String> {
    if plan.design != Design::Saltelli {
        return Err(format!(
            "Sobol indices need a Saltelli design; this sweep was planned as {} (plan with --design saltelli)",
            plan.design.word()
        ));
    }
    let m = plan
        .scope
        .outcome_index(metric)
        .ok_or_else(|| unknown_metric(plan, metric))?;
    let names: Vec<String> = plan.scope.numeric().iter().map(|f| f.name.clone()).collect();
    let k = names.len();
    let levers: Vec<String> = plan.scope.categorical().iter().map(|c| c.name.clone()).collect();
    let mut groups = Vec::new();
    for combo in plan.scope.combinations() {
        // block → [A, B, AB_1 … AB_k]
        let mut blocks: BTreeMap<u64, Vec<Option<f64>>> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.row.levers == combo) {
            let (Some(b), Some(role)) = (r.row.block, r.row.role.as_deref()) else {
                continue;
            };
            let slot = match role {
                "A" => 0,
                "B" => 1,
                _ => match names
                    .iter()
                    .position(|n| role.strip_prefix("AB:") == Some(n.as_str()))
                {
                    Some(i) => 2 + i,
                    None => continue,
                },
            };
            blocks.entry(b).or_insert_with(|| vec![None; k + 2])[slot] = r.outcomes[m];
        }
        let complete: Vec<Vec<f64>> = blocks
            .values()
            .filter_map(|v| v.iter().copied().collect::<Option<Vec<f64>>>())
            .collect();
        let left_out = blocks.len() - complete.len();
        let split = |idx: &[usize]| {
            let fa: Vec<f64> = idx.iter().map(|&j| complete[j][0]).collect();
            let fb: Vec<f64> = idx.iter().map(|&j| complete[j][1]).collect();
            let fab: Vec<Vec<f64>> = (0..k)
                .map(|i| idx.iter().map(|&j| complete[j][2 + i]).collect())
                .collect();
            estimate(&fa, &fb, &fab)
        };
        let n = complete.len();
        let all: Vec<usize> = (0..n).collect();
        let (s1, st, variance) = split(&all);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(plan.seed ^ 0x5_0B01));
        let mut boot1 = vec![Vec::with_capacity(resamples); k];
        let mut boott = vec![Vec::with_capacity(resamples); k];
        if n > 1 {
            for _ in 0..resamples {
                let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
                let (b1, bt, _) = split(&idx);
                for i in 0..k {
                    boot1[i].push(b1[i]);
                    boott[i].push(bt[i]);
                }
            }
        }
        let tail = (1.0 - confidence) / 2.0;
        let indices = (0..k)
            .map(|i| {
                boot1[i].sort_by(f64::total_cmp);
                boott[i].sort_by(f64::total_cmp);
                Index {
                    factor: names[i].clone(),
                    first: s1[i],
                    first_low: percentile(&boot1[i], tail),
                    first_high: percentile(&boot1[i], 1.0 - tail),
                    total: st[i],
                    total_low: percentile(&boott[i], tail),
                    total_high: percentile(&boott[i], 1.0 - tail),
                }
            })
            .collect();
        let mean = complete.iter().flat_map(|v| [v[0], v[1]]).sum::<f64>() / (2 * n.max(1)) as f64;
        groups.push(Group {
            levers: levers.iter().cloned().zip(combo.iter().cloned()).collect(),
            base_points: n,
            left_out,
            mean,
            variance,
            indices,
        });
    }
    Ok(Sobol {
        metric: metric.to_string(),
        resamples,
        confidence,
        groups,
    })
}

pub(crate) fn unknown_metric(plan: &Plan, metric: &str) -> String {
    let names: Vec<&str> = plan.scope.outcomes.iter().map(|o| o.name.as_str()).collect();
    let mut s = format!(
        "unknown metric `{metric}`; the scope's outcomes: {}",
        names.join(", ")
    );
    if let Some(d) = casus_syntax::did_you_mean(metric, names.iter().copied()).first() {
        s.push_str(&format!(" (did you mean {d}?)"));
    }
    s
}
