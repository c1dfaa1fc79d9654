//! Designs: which points of the scope to run, each row with its own seed.
//!
//! The sampled factors (uncertainties and numeric levers) are drawn by the design; every
//! sample is then run under every combination of the categorical levers, so designs are
//! compared on the same assumptions. A row's seed derives from the master seed and its
//! sample's index only: the rows of one sample share their seed (common random numbers
//! across lever values), and a row's seed does not depend on how the rows are sharded.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::{Deserialize, Serialize};

use crate::scope::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Design {
    /// Latin hypercube: `samples` points, each range cut in `samples` strata.
    Lhs,
    /// Saltelli's design for Sobol indices: `samples` base points A and B and, for each
    /// sampled factor, A with that factor taken from B: samples × (k + 2) points.
    Saltelli,
    /// Every combination of `samples` evenly spaced levels of each sampled factor.
    Factorial,
}

impl Design {
    pub const WORDS: &'static [&'static str] = &["lhs", "saltelli", "factorial"];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "lhs" | "latin" | "latin-hypercube" => Some(Self::Lhs),
            "saltelli" | "sobol" => Some(Self::Saltelli),
            "factorial" | "full-factorial" => Some(Self::Factorial),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Lhs => "lhs",
            Self::Saltelli => "saltelli",
            Self::Factorial => "factorial",
        }
    }
}

/// One run: a point of the scope with its seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Position in the plan (0-based); results are merged in this order.
    pub row: u64,
    /// The sample (point of the sampled factors) this row runs.
    pub sample: u64,
    /// The row's seed (63 bits, so it is a non-negative integer in every table tool).
    pub seed: u64,
    /// Saltelli designs: the base point's index and this point's role (`A`, `B` or `AB:factor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The sampled factors' values, in [`Scope::numeric`] order.
    pub values: Vec<f64>,
    /// The categorical levers' values (names), in [`Scope::categorical`] order.
    pub levers: Vec<String>,
}

/// A row as an evaluator receives it: every factor by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub row: u64,
    pub seed: u64,
    pub values: BTreeMap<String, f64>,
    pub levers: BTreeMap<String, String>,
}

impl Input {
    pub fn new(scope: &Scope, row: &Row) -> Self {
        Self {
            row: row.row,
            seed: row.seed,
            values: scope
                .numeric()
                .iter()
                .map(|n| n.name.clone())
                .zip(row.values.iter().copied())
                .collect(),
            levers: scope
                .categorical()
                .iter()
                .map(|c| c.name.clone())
                .zip(row.levers.iter().cloned())
                .collect(),
        }
    }

    /// A sampled factor's value (NaN when the scope has no such factor).
    pub fn value(&self, name: &str) -> f64 {
        self.values.get(name).copied().unwrap_or(f64::NAN)
    }

    pub fn lever(&self, name: &str) -> Option<&str> {
        self.levers.get(name).map(String::as_str)
    }
}

/// A planned sweep: the scope, how it was sampled, and the rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub scope: Scope,
    pub design: Design,
    pub samples: usize,
    pub seed: u64,
    pub rows: Vec<Row>,
}

/// The most rows a plan may have (a guard against a factorial design's explosion).
pub const MAX_ROWS: usize = 50_000_000;

/// splitmix64's finaliser: a well-mixed 64-bit value from any input.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of sample `sample` under master seed `seed`.
pub fn row_seed(seed: u64, sample: u64) -> u64 {
    mix(mix(seed) ^ sample) & 0x7FFF_FFFF_FFFF_FFFF
}

/// Plans `samples` samples of `scope` by `design`, seeded by `seed` (the scope's when none).
pub fn plan(scope: &Scope, design: Design, samples: usize, seed: Option<u64>) -> Result<Plan, String> {
    let seed = seed.unwrap_or(scope.seed);
    let k = scope.numeric().len();
    if samples == 0 {
        return Err("give one or more samples".into());
    }
    let unresolved = scope.unresolved();
    if !unresolved.is_empty() {
        return Err(format!(
            "the scope takes the stated ranges of its priors for {}: resolve it against the library first",
            unresolved.join(", ")
        ));
    }
    let combos = scope.combinations();
    let points: Vec<(Option<(u64, String)>, Vec<f64>)> = match design {
        Design::Lhs => lhs(k, samples, seed).into_iter().map(|p| (None, p)).collect(),
        Design::Saltelli => saltelli(scope, samples, seed),
        Design::Factorial => {
            if samples < 2 && k > 0 {
                return Err("a factorial design needs two or more levels (--samples)".into());
            }
            let n = (samples as f64).powi(k as i32) * combos.len() as f64;
            if n > MAX_ROWS as f64 {
                return Err(format!(
                    "{samples} levels of {k} factors make {n:.0} rows, more than {MAX_ROWS}; use lhs or fewer levels"
                ));
            }
            factorial(k, samples).into_iter().map(|p| (None, p)).collect()
        }
    };
    if points.len() * combos.len() > MAX_ROWS {
        return Err(format!("the plan would have more than {MAX_ROWS} rows"));
    }
    let numeric = scope.numeric();
    let mut rows = Vec::with_capacity(points.len() * combos.len());
    for (sample, (tag, unit)) in points.into_iter().enumerate() {
        let values: Vec<f64> = numeric.iter().zip(&unit).map(|(f, &u)| f.at(u)).collect();
        for levers in &combos {
            rows.push(Row {
                row: rows.len() as u64,
                sample: sample as u64,
                seed: row_seed(seed, sample as u64),
                block: tag.as_ref().map(|t| t.0),
                role: tag.as_ref().map(|t| t.1.clone()),
                values: values.clone(),
                levers: levers.clone(),
            });
        }
    }
    Ok(Plan {
        scope: scope.clone(),
        design,
        samples,
        seed,
        rows,
    })
}

fn stream(seed: u64, salt: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ mix(salt)))
}

/// Latin hypercube points in [0, 1)^k.
fn lhs(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; k]; n];
    for d in 0..k {
        let mut rng = stream(seed, 1 + d as u64);
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            strata.swap(i, rng.random_range(0..=i));
        }
        for (i, s) in strata.into_iter().enumerate() {
            points[i][d] = (s as f64 + rng.random::<f64>()) / n as f64;
        }
    }
    points
}

/// Saltelli's radial design: for each base point j, A_j, B_j, then A_j with factor i from B_j.
fn saltelli(scope: &Scope, n: usize, seed: u64) -> Vec<(Option<(u64, String)>, Vec<f64>)> {
    let names: Vec<String> = scope.numeric().iter().map(|f| f.name.clone()).collect();
    let k = names.len();
    let mut ra = stream(seed, 0xA);
    let mut rb = stream(seed, 0xB);
    let mut out = Vec::with_capacity(n * (k + 2));
    for j in 0..n as u64 {
        let a: Vec<f64> = (0..k).map(|_| ra.random::<f64>()).collect();
        let b: Vec<f64> = (0..k).map(|_| rb.random::<f64>()).collect();
        out.push((Some((j, "A".to_string())), a.clone()));
        out.push((Some((j, "B".to_string())), b.clone()));
        for (i, name) in names.iter().enumerate() {
            let mut ab = a.clone();
            ab[i] = b[i];
            out.push((Some((j, format!("AB:{name}"))), ab));
        }
    }
    out
}

/// Evenly spaced levels (both ends included), the last factor varying fastest.
fn factorial(k: usize, levels: usize) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::new()];
    for _ in 0..k {
        out = out
            .into_iter()
            .flat_map(|p| {
                (0..levels).map(move |l| {
                    let mut q = p.clone();
                    // The top level is 1 exactly; integer factors map it to their highest value.
                    q.push(if levels > 1 {
                        l as f64 / (levels - 1) as f64
                    } else {
                        0.5
                    });
                    q
                })
            })
            .collect();
    }
    out
}
