//! Unanimity, simulated: each member consents (to an invitation) and ratifies (the
//! protocol) at its own time, drawn from its stance and the fitted delays; the candidate
//! joins when the last member has ratified and it has deposited its instrument.

use casus_model::*;
use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, LogNormal};

use crate::fit::{DelayModel, LogNormalFit};

/// A user's override of a member's stance ("what if Hungary supported?").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StanceOverride {
    pub member: ActorId,
    pub position: Position,
    pub probability: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Query {
    pub org: OrgId,
    pub candidate: ActorId,
    pub as_of: NaiveDate,
    pub until: NaiveDate,
    pub trials: u64,
    pub seed: u64,
    pub overrides: Vec<StanceOverride>,
    /// Rate at which an opposing member changes its mind (per year).
    pub opposes_change_per_year: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    AlreadyMember,
    Invitation,
    Protocol,
    Ratification,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberState {
    #[serde(skip)]
    pub actor: ActorId,
    pub member: String,
    pub position: Position,
    /// Where the position comes from: a dated stance, the user, or the default assumption.
    pub basis: String,
    pub probability: Option<f64>,
    pub procedure: ProcedureKind,
    pub ratified: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pivot {
    pub member: String,
    /// P(its consent or ratification is still missing at the horizon).
    pub p_blocking: f64,
    /// P(it is the last to ratify).
    pub p_last: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quantiles {
    pub p05: Option<String>,
    pub p50: Option<String>,
    pub p95: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Forecast {
    pub stage: Stage,
    pub protocol_signed: Option<String>,
    pub trials: u64,
    pub p_member_by_until: f64,
    pub stderr: f64,
    pub quantiles: Quantiles,
    /// (date, P(member by that date)), monthly from the as-of date to the horizon.
    pub cdf: Vec<(String, f64)>,
    pub pivotal: Vec<Pivot>,
    pub members: Vec<MemberState>,
    #[serde(skip)]
    pub accession_days: Vec<f64>,
}

fn ln_dist(f: &LogNormalFit) -> Option<LogNormal> {
    LogNormal::new(f.mu(), f.sigma.max(1e-6)).ok()
}

fn draw_ln<R: Rng>(rng: &mut R, f: &LogNormalFit) -> f64 {
    let z: f64 = rng.sample(StandardNormal);
    f.median * (f.sigma * z).exp()
}

/// A delay drawn on condition that it exceeds `elapsed` (a member that has not acted yet).
fn draw_ln_after<R: Rng>(rng: &mut R, f: &LogNormalFit, elapsed: f64) -> f64 {
    if elapsed <= 0.0 {
        return draw_ln(rng, f);
    }
    let Some(d) = ln_dist(f) else { return elapsed };
    let lo = d.cdf(elapsed);
    if lo >= 1.0 - 1e-12 {
        return elapsed + 1.0;
    }
    let u: f64 = rng.random();
    d.inverse_cdf(lo + (1.0 - lo) * u).max(elapsed)
}

/// Members' states on the as-of date, and where the candidate stands.
pub fn states(lib: &Library, q: &Query) -> (Stage, Option<NaiveDate>, Vec<MemberState>) {
    let round = lib.enlargements.iter().find(|e| {
        e.org == q.org && e.candidates.contains(&q.candidate) && e.protocol_signed.latest <= q.as_of
    });
    let stage = if lib.is_member(q.org, q.candidate, q.as_of) == Truth::Yes {
        Stage::AlreadyMember
    } else if round.is_some() {
        Stage::Ratification
    } else if lib.enlargements.iter().any(|e| {
        e.org == q.org
            && e.candidates.contains(&q.candidate)
            && e.invited.is_some_and(|i| i.latest <= q.as_of)
    }) {
        Stage::Protocol
    } else {
        Stage::Invitation
    };
    let mut members: Vec<MemberState> = lib
        .members_on(q.org, q.as_of)
        .into_iter()
        .filter(|(a, t)| *t == Truth::Yes && *a != q.candidate)
        .map(|(a, _)| {
            let stance = lib.stance_on(q.org, a, q.candidate, q.as_of);
            let user = q.overrides.iter().find(|o| o.member == a);
            let (position, basis, probability) = match (user, stance) {
                (Some(o), _) => (o.position, "your override".to_string(), o.probability),
                (None, Some(s)) => (
                    s.position,
                    format!("stated {} ({})", s.date, s.source),
                    s.probability,
                ),
                (None, None) => (
                    Position::Supports,
                    "no recorded stance: assumed to support".to_string(),
                    None,
                ),
            };
            let ratified = round.and_then(|e| {
                e.ratifications
                    .iter()
                    .find(|r| {
                        r.member == a
                            && r.candidate.is_none_or(|c| c == q.candidate)
                            && r.date.latest < q.as_of
                    })
                    .map(|r| r.date.to_string())
            });
            MemberState {
                actor: a,
                member: lib.actor(a).id.clone(),
                position,
                basis,
                probability,
                procedure: lib.procedure_of(a).map_or(ProcedureKind::Unknown, |p| p.kind),
                ratified,
            }
        })
        .collect();
    members.sort_by(|a, b| a.member.cmp(&b.member));
    (stage, round.map(|e| e.protocol_signed.earliest), members)
}

/// Days from the as-of date until the member acts on a step governed by its stance.
fn stance_delay<R: Rng>(
    rng: &mut R,
    m: &MemberState,
    model: &DelayModel,
    hazard: Option<&Exp<f64>>,
    elapsed: f64,
    regular: &LogNormalFit,
) -> f64 {
    if let Some(p) = m.probability {
        if rng.random::<f64>() >= p {
            return f64::INFINITY;
        }
    }
    match m.position {
        Position::Supports => draw_ln_after(rng, regular, elapsed),
        Position::Conditional => draw_ln_after(rng, &model.holdout, elapsed),
        Position::Opposes => match hazard {
            Some(h) => h.sample(rng) * 365.25 + draw_ln(rng, &model.holdout),
            None => f64::INFINITY,
        },
    }
}

/// SplitMix64: one stream per (trial, member), so that changing one member's stance leaves
/// every other draw as it was (common random numbers for stance comparisons).
fn stream(seed: u64, trial: u64, lane: u64) -> Xoshiro256PlusPlus {
    let mut z = seed ^ trial.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ lane.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    Xoshiro256PlusPlus::seed_from_u64(z ^ (z >> 31))
}

pub fn simulate(lib: &Library, q: &Query, model: &DelayModel) -> Forecast {
    let (stage, protocol, members) = states(lib, q);
    let horizon = (q.until - q.as_of).num_days() as f64;
    let hazard = (q.opposes_change_per_year > 0.0)
        .then(|| Exp::new(q.opposes_change_per_year).ok())
        .flatten();
    let mut accession_days = Vec::with_capacity(q.trials as usize);
    let mut blocking = vec![0u64; members.len()];
    let mut last = vec![0u64; members.len()];
    let elapsed = protocol.map_or(0.0, |p| (q.as_of - p).num_days() as f64);
    for trial in 0..q.trials {
        if stage == Stage::AlreadyMember {
            accession_days.push(0.0);
            continue;
        }
        let mut rng = stream(q.seed, trial, u64::MAX);
        let mut lanes: Vec<Xoshiro256PlusPlus> = (0..members.len() as u64)
            .map(|i| stream(q.seed, trial, i))
            .collect();
        let mut acted = vec![0.0f64; members.len()];
        // Invitation by consensus: every member's consent; the slowest decides.
        let start_ratification = match stage {
            Stage::Invitation => {
                let mut invite = 0.0f64;
                for (i, m) in members.iter().enumerate() {
                    let c = if m.position == Position::Supports && m.probability.is_none() {
                        0.0
                    } else {
                        stance_delay(&mut lanes[i], m, model, hazard.as_ref(), 0.0, &model.regular)
                    };
                    acted[i] = c;
                    invite = invite.max(c);
                }
                invite + draw_ln(&mut rng, &model.invitation_to_protocol)
            }
            Stage::Protocol => draw_ln(&mut rng, &model.invitation_to_protocol),
            _ => -elapsed,
        };
        let mut slowest = (f64::NEG_INFINITY, usize::MAX);
        for (i, m) in members.iter().enumerate() {
            let regular = model.regular_for(m.procedure);
            let t = if m.ratified.is_some() {
                -elapsed
            } else if stage == Stage::Ratification {
                start_ratification + stance_delay(&mut lanes[i], m, model, hazard.as_ref(), elapsed, &regular)
            } else {
                // Conditions were met at the invitation: ratification is routine.
                start_ratification + draw_ln(&mut lanes[i], &regular)
            };
            acted[i] = acted[i].max(t);
            if t > slowest.0 {
                slowest = (t, i);
            }
        }
        let accession = if slowest.0.is_finite() {
            slowest.0.max(0.0) + draw_ln(&mut rng, &model.deposit)
        } else {
            f64::INFINITY
        };
        if slowest.1 != usize::MAX && slowest.0.is_finite() {
            last[slowest.1] += 1;
        }
        for (i, &t) in acted.iter().enumerate() {
            if t > horizon {
                blocking[i] += 1;
            }
        }
        accession_days.push(accession);
    }
    let n = q.trials.max(1) as f64;
    let by_until = accession_days.iter().filter(|d| **d <= horizon).count() as f64 / n;
    let mut sorted = accession_days.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let date_at = |d: f64| -> Option<String> {
        (d.is_finite() && d <= horizon).then(|| (q.as_of + Days::new(d.max(0.0).round() as u64)).to_string())
    };
    let quantile = |p: f64| {
        date_at(
            sorted
                .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
                .copied()
                .unwrap_or(f64::INFINITY),
        )
    };
    let mut cdf = Vec::new();
    let mut month = q.as_of;
    while month <= q.until {
        let d = (month - q.as_of).num_days() as f64;
        cdf.push((
            month.to_string(),
            accession_days.iter().filter(|x| **x <= d).count() as f64 / n,
        ));
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(q.until + Days::new(1));
    }
    let mut pivotal: Vec<Pivot> = members
        .iter()
        .enumerate()
        .map(|(i, m)| Pivot {
            member: m.member.clone(),
            p_blocking: blocking[i] as f64 / n,
            p_last: last[i] as f64 / n,
        })
        .collect();
    pivotal.sort_by(|a, b| {
        (b.p_blocking + b.p_last)
            .total_cmp(&(a.p_blocking + a.p_last))
            .then_with(|| a.member.cmp(&b.member))
    });
    Forecast {
        stage,
        protocol_signed: protocol.map(|p| p.to_string()),
        trials: q.trials,
        p_member_by_until: by_until,
        stderr: (by_until * (1.0 - by_until) / n).sqrt(),
        quantiles: Quantiles {
            p05: quantile(0.05),
            p50: quantile(0.5),
            p95: quantile(0.95),
        },
        cdf,
        pivotal,
        members,
        accession_days,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StanceEffect {
    pub member: String,
    pub change: String,
    pub p_member_by_until: f64,
    pub delta: f64,
    /// The median accession, in days after the as-of date (infinite: beyond reach).
    pub median_days: f64,
    pub delta_median_days: f64,
}

/// The median of simulated accession times (days), infinite when most trials never join.
pub fn median_days(f: &Forecast) -> f64 {
    let mut d = f.accession_days.clone();
    d.sort_by(|a, b| a.total_cmp(b));
    d.get(d.len() / 2).copied().unwrap_or(f64::INFINITY)
}

/// For every member that does not simply support: the result if it did.
pub fn stance_effects(lib: &Library, q: &Query, model: &DelayModel, base: &Forecast) -> Vec<StanceEffect> {
    let mut out: Vec<StanceEffect> = base
        .members
        .iter()
        .filter(|m| m.position != Position::Supports || m.probability.is_some())
        .map(|m| {
            let mut q2 = q.clone();
            q2.overrides.retain(|o| o.member != m.actor);
            q2.overrides.push(StanceOverride {
                member: m.actor,
                position: Position::Supports,
                probability: None,
            });
            let f = simulate(lib, &q2, model);
            let (m1, m0) = (median_days(&f), median_days(base));
            StanceEffect {
                member: m.member.clone(),
                change: format!("{} → supports", m.position),
                p_member_by_until: f.p_member_by_until,
                delta: f.p_member_by_until - base.p_member_by_until,
                median_days: m1,
                delta_median_days: if m1.is_finite() && m0.is_finite() {
                    m1 - m0
                } else {
                    f64::NAN
                },
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.delta.abs(), b.delta_median_days.abs())
            .partial_cmp(&(a.delta.abs(), a.delta_median_days.abs()))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.member.cmp(&b.member))
    });
    out
}
