//! Backtests: each past enlargement predicted from what the model would have known —
//! fitted without that round (nor any round running at the same time) and with the
//! stances stated by its protocol date — and the real accession date placed in the
//! predicted distribution.

use casus_model::*;
use chrono::Days;
use serde::Serialize;

use crate::fit::{fit, Fallbacks};
use crate::simulate::{simulate, Query};

#[derive(Debug, Clone, Serialize)]
pub struct BacktestRow {
    pub round: String,
    pub protocol_signed: String,
    pub accession: String,
    pub actual_days: f64,
    pub p05_days: f64,
    pub p50_days: f64,
    pub p95_days: f64,
    /// P(predicted ≤ actual): 0.5 is dead centre; near 0 or 1 the model was surprised.
    pub pit: f64,
    pub inside_90: bool,
    pub fitted_on: Vec<String>,
}

fn overlaps(a: &Enlargement, b: &Enlargement) -> bool {
    a.protocol_signed.earliest <= b.accession.latest && b.protocol_signed.earliest <= a.accession.latest
}

pub fn backtest(
    lib: &Library,
    org: OrgId,
    fb: &Fallbacks,
    trials: u64,
    seed: u64,
    opposes_change_per_year: f64,
) -> Vec<BacktestRow> {
    let mut rounds: Vec<&Enlargement> = lib.enlargements.iter().filter(|e| e.org == org).collect();
    rounds.sort_by_key(|e| {
        (
            e.protocol_signed.earliest,
            e.candidates.first().map(|c| lib.actor(*c).id.clone()),
        )
    });
    rounds
        .iter()
        .map(|e| {
            let model = fit(lib, org, &|x| std::ptr::eq(x, *e) || overlaps(x, e), fb);
            let p = e.protocol_signed.earliest;
            let q = Query {
                org,
                candidate: e.candidates[0],
                as_of: p,
                until: p + Days::new(3653),
                trials,
                seed,
                overrides: vec![],
                opposes_change_per_year,
            };
            let f = simulate(lib, &q, &model);
            let actual = (e.accession.earliest - p).num_days() as f64;
            let mut d = f.accession_days.clone();
            d.sort_by(|a, b| a.total_cmp(b));
            let at = |x: f64| {
                d.get(((d.len() as f64 - 1.0) * x).round() as usize)
                    .copied()
                    .unwrap_or(f64::NAN)
            };
            let pit = d.iter().filter(|x| **x <= actual).count() as f64 / d.len().max(1) as f64;
            BacktestRow {
                round: e
                    .candidates
                    .iter()
                    .map(|c| lib.actor(*c).id.clone())
                    .collect::<Vec<_>>()
                    .join("+"),
                protocol_signed: e.protocol_signed.to_string(),
                accession: e.accession.to_string(),
                actual_days: actual,
                p05_days: at(0.05),
                p50_days: at(0.5),
                p95_days: at(0.95),
                pit,
                inside_90: (0.05..=0.95).contains(&pit),
                fitted_on: model.rounds_used,
            }
        })
        .collect()
}
