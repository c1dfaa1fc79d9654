//! Scenario discovery by PRIM (Friedman & Fisher 1999, as EMA Workbench uses it): start from
//! the whole range of the sampled factors and repeatedly peel off the `alpha` share of the
//! points in the box at one end of one factor — the peel that leaves the densest box — until
//! the box holds less than `min_mass` of the points. Every step is kept (the trajectory);
//! the box chosen is the one with the best balance of coverage (the share of all cases of
//! interest inside it) and density (the share of the points inside it that are cases of
//! interest): the highest F score, 2·c·d / (c + d).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::plan::Plan;
use crate::table::Evaluated;

/// A factor's limits in a box.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Limit {
    pub factor: String,
    pub low: f64,
    pub high: f64,
    /// The factor's whole range in the sweep.
    pub range_low: f64,
    pub range_high: f64,
}

impl Limit {
    pub fn restricted(&self) -> bool {
        self.low > self.range_low || self.high < self.range_high
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Step {
    pub step: usize,
    pub coverage: f64,
    pub density: f64,
    /// Share of all points in the box.
    pub mass: f64,
    pub points: usize,
    /// The factors the box restricts.
    pub limits: Vec<Limit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Discovery {
    pub points: usize,
    pub cases: usize,
    /// Share of cases of interest among all points (the density of the whole range).
    pub base_density: f64,
    pub chosen: usize,
    pub trajectory: Vec<Step>,
}

impl Discovery {
    pub fn chosen_step(&self) -> Option<&Step> {
        self.trajectory.get(self.chosen)
    }
}

/// PRIM on `x` (one column per factor, named `names`) and the cases of interest `y`.
pub fn prim(names: &[String], x: &[Vec<f64>], y: &[bool], alpha: f64, min_mass: f64) -> Discovery {
    let n = y.len();
    let k = names.len();
    let cases = y.iter().filter(|&&b| b).count();
    let ranges: Vec<(f64, f64)> = x
        .iter()
        .map(|c| {
            c.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            })
        })
        .collect();
    let mut limits = ranges.clone();
    let mut inside: Vec<usize> = (0..n).collect();
    let step = |i: usize, inside: &[usize], limits: &[(f64, f64)]| {
        let c = inside.iter().filter(|&&p| y[p]).count();
        Step {
            step: i,
            coverage: if cases > 0 { c as f64 / cases as f64 } else { 0.0 },
            density: if inside.is_empty() {
                0.0
            } else {
                c as f64 / inside.len() as f64
            },
            mass: inside.len() as f64 / n.max(1) as f64,
            points: inside.len(),
            limits: (0..k)
                .map(|d| Limit {
                    factor: names[d].clone(),
                    low: limits[d].0,
                    high: limits[d].1,
                    range_low: ranges[d].0,
                    range_high: ranges[d].1,
                })
                .filter(Limit::restricted)
                .collect(),
        }
    };
    let mut trajectory = vec![step(0, &inside, &limits)];
    loop {
        let mut best: Option<(f64, usize, Vec<usize>, usize, (f64, f64))> = None;
        for d in 0..k {
            let mut vals: Vec<f64> = inside.iter().map(|&p| x[d][p]).collect();
            vals.sort_by(f64::total_cmp);
            let m = vals.len();
            // One point (or none) cannot be peeled.
            if m < 2 {
                break;
            }
            let cut = ((alpha * m as f64).floor() as usize).clamp(1, m - 1);
            for upper in [false, true] {
                // Peel the values below the alpha quantile (or above the 1 − alpha one); with
                // ties at the cut, peel the tied values too.
                let q = if upper { vals[m - 1 - cut] } else { vals[cut] };
                let mut keep: Vec<usize> = inside
                    .iter()
                    .copied()
                    .filter(|&p| if upper { x[d][p] <= q } else { x[d][p] >= q })
                    .collect();
                if keep.len() == m {
                    keep.retain(|&p| if upper { x[d][p] < q } else { x[d][p] > q });
                }
                if keep.is_empty() || keep.len() == m {
                    continue;
                }
                let density = keep.iter().filter(|&&p| y[p]).count() as f64 / keep.len() as f64;
                let better = match &best {
                    None => true,
                    Some((bd, bn, ..)) => density > *bd || (density == *bd && keep.len() > *bn),
                };
                if better {
                    let mut lim = limits[d];
                    let kv = keep.iter().map(|&p| x[d][p]);
                    if upper {
                        lim.1 = kv.fold(f64::NEG_INFINITY, f64::max);
                    } else {
                        lim.0 = kv.fold(f64::INFINITY, f64::min);
                    }
                    best = Some((density, keep.len(), keep, d, lim));
                }
            }
        }
        match best {
            Some((_, len, keep, d, lim)) if len as f64 >= min_mass * n as f64 => {
                inside = keep;
                limits[d] = lim;
                trajectory.push(step(trajectory.len(), &inside, &limits));
            }
            _ => break,
        }
    }
    let f = |s: &Step| {
        if s.coverage + s.density > 0.0 {
            2.0 * s.coverage * s.density / (s.coverage + s.density)
        } else {
            0.0
        }
    };
    let mut chosen = 0;
    for (i, s) in trajectory.iter().enumerate() {
        if f(s) > f(&trajectory[chosen]) {
            chosen = i;
        }
    }
    Discovery {
        points: n,
        cases,
        base_density: if n > 0 { cases as f64 / n as f64 } else { 0.0 },
        chosen,
        trajectory,
    }
}

/// Which cases a discovery looks for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Threshold {
    Below(f64),
    Above(f64),
}

impl std::fmt::Display for Threshold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Below(x) => write!(f, "below {x}"),
            Self::Above(x) => write!(f, "above {x}"),
        }
    }
}

impl Threshold {
    pub fn holds(self, v: f64) -> bool {
        match self {
            Self::Below(t) => v < t,
            Self::Above(t) => v > t,
        }
    }
}

/// The discovery for one combination of the categorical levers.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct GroupDiscovery {
    pub levers: BTreeMap<String, String>,
    /// Rows left out because the metric is unknown.
    pub unknown: usize,
    /// Why no box was found, when none was: no rows meet the threshold, all do, or the
    /// metric is unknown in every row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_box: Option<String>,
    #[serde(flatten)]
    pub discovery: Discovery,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Discover {
    pub metric: String,
    pub threshold: Threshold,
    pub alpha: f64,
    pub min_mass: f64,
    pub groups: Vec<GroupDiscovery>,
}

/// PRIM boxes where `metric` meets `threshold`, for each combination of the categorical levers.
pub fn discover(
    plan: &Plan,
    rows: &[Evaluated],
    metric: &str,
    threshold: Threshold,
    alpha: f64,
    min_mass: f64,
) -> Result<Discover, String> {
    let m = plan
        .scope
        .outcome_index(metric)
        .ok_or_else(|| crate::sobol::unknown_metric(plan, metric))?;
    if !(alpha > 0.0 && alpha < 0.5) {
        return Err(format!(
            "the peeling share (alpha) must lie between 0 and 0.5, not {alpha}"
        ));
    }
    let names: Vec<String> = plan.scope.numeric().iter().map(|f| f.name.clone()).collect();
    let levers: Vec<String> = plan.scope.categorical().iter().map(|c| c.name.clone()).collect();
    let mut groups = Vec::new();
    for combo in plan.scope.combinations() {
        let here: Vec<&Evaluated> = rows.iter().filter(|r| r.row.levers == combo).collect();
        let known: Vec<(&Evaluated, f64)> = here
            .iter()
            .filter_map(|r| r.outcomes[m].map(|v| (*r, v)))
            .collect();
        let x: Vec<Vec<f64>> = (0..names.len())
            .map(|d| known.iter().map(|(r, _)| r.row.values[d]).collect())
            .collect();
        let y: Vec<bool> = known.iter().map(|(_, v)| threshold.holds(*v)).collect();
        let discovery = prim(&names, &x, &y, alpha, min_mass);
        let no_box = if here.is_empty() {
            Some("no rows".to_string())
        } else if known.is_empty() {
            Some(format!(
                "`{metric}` is unknown in all {} rows (the model cannot say, e.g. a design with no lead guarantor)",
                here.len()
            ))
        } else if discovery.cases == 0 {
            Some(format!(
                "no row meets the threshold: `{metric}` never falls {threshold}"
            ))
        } else if discovery.cases == discovery.points {
            Some(format!(
                "every row meets the threshold: `{metric}` falls {threshold} under all the sampled assumptions"
            ))
        } else if discovery.chosen == 0 {
            Some("no box restricts the factors better than the whole range".to_string())
        } else {
            None
        };
        groups.push(GroupDiscovery {
            levers: levers.iter().cloned().zip(combo.iter().cloned()).collect(),
            unknown: here.len() - known.len(),
            no_box,
            discovery,
        });
    }
    Ok(Discover {
        metric: metric.into(),
        threshold,
        alpha,
        min_mass,
        groups,
    })
}
