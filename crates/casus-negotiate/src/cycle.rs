//! Does the expected utility model settle, cycle or keep moving? The next round depends on
//! the positions only, so once a set of positions comes back the run repeats for ever: a
//! forecast "after N rounds" then depends on N (the built-in Ukraine scenario alternates
//! between two medians on some issues, so even and odd `--rounds` gave different answers).
//!
//! [`watch`] runs the model with Brent's cycle detection (one saved state, memory flat in the
//! number of rounds), stops as soon as a state repeats, finds the round the repetition starts
//! with a second pass, and computes the state the requested round would have reached from
//! the cycle — so `--rounds 10^7` costs what the first repetition costs.

use serde::Serialize;

use crate::eum::{Model, Player, Round, Settings};

/// Two position vectors are one state when no actor differs by more than this share of the
/// range of the initial positions (float noise, not movement).
pub const TOLERANCE: f64 = 1e-9;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// From `from_round` on, no position moves: the forecast is well defined.
    Settled { from_round: usize },
    /// From `from_round` on, the positions repeat every `period` rounds (> 1): no single
    /// forecast; `states` are the weighted median and mean of each round of one period
    /// (at most [`MAX_STATES`]).
    Cycle {
        from_round: usize,
        period: usize,
        states: Vec<CycleState>,
    },
    /// No state repeated within the rounds run: the positions were still moving.
    Moving { rounds: usize },
}

/// One round of a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CycleState {
    pub round: usize,
    pub median: f64,
    pub mean: f64,
}

/// The most states of a cycle reported.
pub const MAX_STATES: usize = 12;

fn same(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

/// Runs `rounds` rounds; returns how the run ended and the state of round `rounds`.
pub fn watch(players: &[Player], rounds: usize, settings: &Settings) -> (Outcome, Round) {
    let mut m = Model::new(players, *settings);
    let mut last = m.initial();
    let scale = span(&last.positions).max(f64::MIN_POSITIVE);
    let tol = TOLERANCE * scale;
    // Brent: compare each state with one saved at a power-of-two distance.
    let mut saved = last.positions.clone();
    let (mut power, mut lam) = (1usize, 0usize);
    let mut period = None;
    while m.round() < rounds {
        last = m.step(false);
        lam += 1;
        if same(&last.positions, &saved, tol) {
            period = Some(lam);
            break;
        }
        if lam == power {
            saved.clone_from(&last.positions);
            power *= 2;
            lam = 0;
        }
    }
    let Some(period) = period else {
        return (Outcome::Moving { rounds }, last);
    };
    // The first round μ with x_μ = x_{μ+λ}: two runs λ rounds apart.
    let mut a = Model::new(players, *settings);
    let mut b = Model::new(players, *settings);
    for _ in 0..period {
        b.step(false);
    }
    let mut start = 0;
    while !same(a.positions(), b.positions(), tol) {
        a.step(false);
        b.step(false);
        start += 1;
    }
    // Round `rounds` is the state of round μ + (rounds − μ) mod λ, taken in μ+1 ..= μ+λ (the
    // same states as μ .. μ+λ−1, with the moves that led to them); one period gives the states.
    let mut target = start + (rounds - start) % period;
    if target == start {
        target += period;
    }
    let mut c = Model::new(players, *settings);
    let mut at = c.initial();
    let mut states = Vec::new();
    while c.round() < start + period {
        let r = c.step(false);
        if r.round > start && states.len() < MAX_STATES {
            states.push(CycleState {
                round: r.round,
                median: r.median,
                mean: r.mean,
            });
        }
        if r.round == target {
            at = r;
        }
    }
    at.round = rounds;
    let outcome = if period == 1 {
        Outcome::Settled { from_round: start }
    } else {
        Outcome::Cycle {
            from_round: start,
            period,
            states,
        }
    };
    (outcome, at)
}

fn span(x: &[f64]) -> f64 {
    let hi = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let lo = x.iter().cloned().fold(f64::INFINITY, f64::min);
    if hi > lo {
        hi - lo
    } else {
        0.0
    }
}
