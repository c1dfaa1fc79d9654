//! Backtests: each past enlargement replayed from the day after its protocol (or accession
//! treaty) was signed, with the stances and ratifications known by then, fitted only on the
//! rounds completed before that day; scored against the real accession date with the
//! interval score of the 90% interval and the CRPS, beside a naive baseline.
//!
//! The naive baseline says "between the shortest and the longest round before this one"
//! (protocol to accession): its 90% interval is that range, its distribution uniform on it.

use casus_model::*;
use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::fit::{fit, DelayModel, Fallbacks};
use crate::members::AccessionError;
use crate::simulate::{forecast, quantile_of, Query, Setup};

/// How a distribution scored against the real duration (days from signature to accession).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scores {
    pub low: f64,
    pub high: f64,
    /// Interval score of the 90% interval (days; lower is better): its width plus 20 times
    /// the distance by which it misses.
    pub interval_score: f64,
    /// Continuous ranked probability score (days; lower is better).
    pub crps: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BacktestRow {
    pub round: String,
    pub candidate: String,
    pub protocol_signed: String,
    pub as_of: String,
    pub accession: String,
    pub actual_days: f64,
    pub p05_days: f64,
    pub p50_days: f64,
    pub p95_days: f64,
    /// P(predicted ≤ actual): 0.5 is dead centre; near 0 or 1 the model was surprised.
    pub pit: f64,
    pub inside_90: bool,
    pub model: Scores,
    /// `None` for the first round (no earlier round to take a range from).
    pub baseline: Option<Scores>,
    pub fitted_on: Vec<String>,
}

/// Summary over a set of rounds: coverage, PIT histogram, mean scores.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestSummary {
    pub rounds: usize,
    pub inside_90: usize,
    /// Counts of PIT values in ten bins of width 0.1.
    pub pit_histogram: [usize; 10],
    pub mean_interval_score: f64,
    pub mean_crps: f64,
    /// Over the rounds that have a baseline.
    pub rounds_with_baseline: usize,
    pub model_mean_interval_score: f64,
    pub baseline_mean_interval_score: f64,
    pub model_mean_crps: f64,
    pub baseline_mean_crps: f64,
}

/// The interval score of [low, high] as a 90% interval for `y`.
pub fn interval_score(low: f64, high: f64, y: f64) -> f64 {
    let alpha = 0.1;
    (high - low) + (2.0 / alpha) * ((low - y).max(0.0) + (y - high).max(0.0))
}

/// CRPS of the empirical distribution of sorted draws against `y`:
/// E|X − y| − ½ E|X − X'|.
pub fn crps_sorted(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len() as f64;
    if n == 0.0 {
        return f64::NAN;
    }
    let e_xy = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
    let half_e_xx = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
        .sum::<f64>()
        / (n * n);
    e_xy - half_e_xx
}

/// CRPS of the uniform distribution on [a, b] against `y`.
pub fn crps_uniform(a: f64, b: f64, y: f64) -> f64 {
    if b <= a {
        return (a - y).abs();
    }
    let w = b - a;
    if y < a {
        (a - y) + w / 3.0
    } else if y > b {
        (y - b) + w / 3.0
    } else {
        ((y - a).powi(3) + (b - y).powi(3)) / (3.0 * w * w)
    }
}

fn round_name(lib: &Library, e: &Enlargement) -> String {
    e.candidates
        .iter()
        .map(|c| lib.actor(*c).id.clone())
        .collect::<Vec<_>>()
        .join("+")
}

fn days_of(e: &Enlargement) -> f64 {
    (e.accession.earliest - e.protocol_signed.earliest).num_days() as f64
}

/// The model a forecast as of `as_of` may use: fitted only on rounds completed before it.
pub fn fit_as_of(lib: &Library, org: OrgId, as_of: NaiveDate, fb: &Fallbacks) -> DelayModel {
    fit(lib, org, &|e| e.accession.latest >= as_of, fb)
}

/// Refuses a model that has seen a round completed on or after `as_of` (a backtest fitted
/// on later data would flatter itself).
pub fn check_no_peeking(
    lib: &Library,
    org: OrgId,
    model: &DelayModel,
    as_of: NaiveDate,
) -> Result<(), AccessionError> {
    let late: Vec<String> = lib
        .enlargements
        .iter()
        .filter(|e| e.org == org && e.accession.latest >= as_of)
        .map(|e| format!("{} ({})", round_name(lib, e), e.protocol_signed))
        .filter(|r| model.rounds_used.contains(r))
        .collect();
    if late.is_empty() {
        Ok(())
    } else {
        Err(AccessionError::Peeking {
            as_of: as_of.to_string(),
            rounds: late,
        })
    }
}

/// Replays one round with the given model (which must not have seen the round or later).
pub fn replay(
    lib: &Library,
    e: &Enlargement,
    model: &DelayModel,
    setup: &Setup,
    trials: u64,
    seed: u64,
    opposes_change_per_year: f64,
) -> Result<BacktestRow, AccessionError> {
    let p = e.protocol_signed.earliest;
    let as_of = p + Days::new(1);
    check_no_peeking(lib, e.org, model, as_of)?;
    let horizon_days = 3653.0;
    let q = Query {
        org: e.org,
        candidate: e.candidates[0],
        as_of,
        until: as_of + Days::new(horizon_days as u64),
        trials,
        seed,
        overrides: vec![],
        opposes_change_per_year,
    };
    let f = forecast(lib, &q, setup, model);
    // Days from signature, censored at the horizon for scoring.
    let mut d: Vec<f64> = f
        .accession_days
        .iter()
        .map(|x| (x + 1.0).min(horizon_days + 1.0))
        .collect();
    d.sort_by(|a, b| a.total_cmp(b));
    let actual = days_of(e);
    let (lo, mid, hi) = (quantile_of(&d, 0.05), quantile_of(&d, 0.5), quantile_of(&d, 0.95));
    let pit = d.partition_point(|x| *x <= actual) as f64 / d.len().max(1) as f64;
    let earlier: Vec<f64> = lib
        .enlargements
        .iter()
        .filter(|x| x.org == e.org && x.accession.latest < as_of)
        .map(days_of)
        .collect();
    let baseline = (!earlier.is_empty()).then(|| {
        let (a, b) = (
            earlier.iter().copied().fold(f64::INFINITY, f64::min),
            earlier.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        Scores {
            low: a,
            high: b,
            interval_score: interval_score(a, b, actual),
            crps: crps_uniform(a, b, actual),
        }
    });
    Ok(BacktestRow {
        round: round_name(lib, e),
        candidate: lib.actor(e.candidates[0]).id.clone(),
        protocol_signed: e.protocol_signed.to_string(),
        as_of: as_of.to_string(),
        accession: e.accession.to_string(),
        actual_days: actual,
        p05_days: lo,
        p50_days: mid,
        p95_days: hi,
        pit,
        inside_90: (lo..=hi).contains(&actual),
        model: Scores {
            low: lo,
            high: hi,
            interval_score: interval_score(lo, hi, actual),
            crps: crps_sorted(&d, actual),
        },
        baseline,
        fitted_on: model.rounds_used.clone(),
    })
}

/// Every round of the organisation, in order, each fitted only on the rounds completed
/// before the day after its signature.
pub fn backtest_rounds(
    lib: &Library,
    org: OrgId,
    fb: &Fallbacks,
    setup: &Setup,
    trials: u64,
    seed: u64,
    opposes_change_per_year: f64,
) -> Result<Vec<BacktestRow>, AccessionError> {
    backtest_rounds_with(
        lib,
        org,
        fb,
        setup,
        trials,
        seed,
        opposes_change_per_year,
        &mut |_, _| {},
    )
}

/// [`backtest_rounds`], reporting `progress(rounds done, rounds)` after each round.
#[allow(clippy::too_many_arguments)]
pub fn backtest_rounds_with(
    lib: &Library,
    org: OrgId,
    fb: &Fallbacks,
    setup: &Setup,
    trials: u64,
    seed: u64,
    opposes_change_per_year: f64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<BacktestRow>, AccessionError> {
    crate::members::check_org(lib, org)?;
    let mut rounds: Vec<&Enlargement> = lib.enlargements.iter().filter(|e| e.org == org).collect();
    rounds.sort_by_key(|e| (e.protocol_signed.earliest, round_name(lib, e)));
    let total = rounds.len() as u64;
    progress(0, total);
    rounds
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let model = fit_as_of(lib, org, e.protocol_signed.earliest + Days::new(1), fb);
            let row = replay(lib, e, &model, setup, trials, seed, opposes_change_per_year);
            progress(i as u64 + 1, total);
            row
        })
        .collect()
}

/// Coverage, PIT histogram and mean scores over rows (e.g. the rounds since a date).
pub fn summarise(rows: &[&BacktestRow]) -> BacktestSummary {
    let n = rows.len().max(1) as f64;
    let mut hist = [0usize; 10];
    for r in rows {
        hist[((r.pit * 10.0).floor() as usize).min(9)] += 1;
    }
    let based: Vec<&&BacktestRow> = rows.iter().filter(|r| r.baseline.is_some()).collect();
    let m = based.len().max(1) as f64;
    let mean = |f: &dyn Fn(&BacktestRow) -> f64, xs: &[&&BacktestRow], k: f64| {
        xs.iter().map(|r| f(r)).sum::<f64>() / k
    };
    let all: Vec<&&BacktestRow> = rows.iter().collect();
    BacktestSummary {
        rounds: rows.len(),
        inside_90: rows.iter().filter(|r| r.inside_90).count(),
        pit_histogram: hist,
        mean_interval_score: mean(&|r| r.model.interval_score, &all, n),
        mean_crps: mean(&|r| r.model.crps, &all, n),
        rounds_with_baseline: based.len(),
        model_mean_interval_score: mean(&|r| r.model.interval_score, &based, m),
        baseline_mean_interval_score: mean(&|r| r.baseline.map_or(0.0, |b| b.interval_score), &based, m),
        model_mean_crps: mean(&|r| r.model.crps, &based, m),
        baseline_mean_crps: mean(&|r| r.baseline.map_or(0.0, |b| b.crps), &based, m),
    }
}
