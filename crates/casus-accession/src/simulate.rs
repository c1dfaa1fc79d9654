//! Unanimity, simulated: each member consents (to an invitation) and ratifies (the
//! protocol) at its own time, drawn from its position and the fitted delays; the candidate
//! joins when the last member has ratified and it has deposited its instrument.
//!
//! Every trial draws each member's times from its own random stream (seed, trial, member),
//! so a counterfactual that changes one member's position leaves every other draw as it
//! was (common random numbers): the veto measures below compare the same trials.

use casus_model::*;
use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, LogNormal};

use crate::fit::{DelayModel, LogNormalFit};
use crate::members::{states, MemberPosition, MemberState, Stage, StanceOverride, UnknownPrior};

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

/// What the caller states beyond the query: the prior for members with no recorded stance,
/// and the ranges the structural parameters are drawn from.
#[derive(Debug, Clone)]
pub struct Setup {
    pub unknown: UnknownPrior,
    /// `None`: the parameters as fitted and given, a single world (no band).
    pub structure: Option<Structure>,
}

/// How the structural parameters vary between simulated worlds. Each world draws the rate
/// at which opponents change their minds from a triangular distribution (low, the query's
/// value, high), each fitted delay's log-median from its sampling distribution (sd σ/√n)
/// and its σ from the χ² of its n − 1 degrees of freedom, and a delay the history does not
/// fit (n < 2) from its fallback's stated range.
#[derive(Debug, Clone, Serialize)]
pub struct Structure {
    pub worlds: u64,
    pub opposes_change_per_year: (f64, f64),
    /// Log-sd of a fallback median (ln(high/low)/3.29 for a stated 90% range).
    pub fallback_log_sd: f64,
}

/// The spread of P(member by the horizon) across the worlds: structural uncertainty, with
/// the Monte Carlo error of a world's trials inside it.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    pub p05: f64,
    pub p95: f64,
    pub worlds: u64,
    pub trials_per_world: u64,
}

/// For each member: the veto measures (what each column means is in [`MEASURES`]).
#[derive(Debug, Clone, Serialize)]
pub struct Pivot {
    pub member: String,
    pub position: MemberPosition,
    pub p_missing_consent: f64,
    pub p_pivotal: f64,
    /// The position the counterfactual gives it.
    pub flipped_to: MemberPosition,
    /// P(member by the horizon) with the flip, less the forecast's (same trials).
    pub delta_if_flipped: f64,
    pub p_last: f64,
    /// Old name of `p_missing_consent`, kept until the command moves to casus-api.
    pub p_blocking: f64,
}

/// The veto measures, by column name, with what each means.
pub const MEASURES: &[(&str, &str)] = &[
    (
        "p_missing_consent",
        "P(the candidate is not a member at the horizon and this member's consent is among those still \
         missing): its consent to the invitation while the invitation waits, its ratification once the \
         protocol is signed; 0 for steps the process has not reached",
    ),
    (
        "p_pivotal",
        "P(the outcome at the horizon would differ if this member's position were flipped): a supporter \
         turned opponent, anyone else turned supporter; the same trials with only its draws changed \
         (common random numbers), so it equals |delta_if_flipped|",
    ),
    (
        "p_last",
        "P(every member ratifies, at any time, and this member is the last)",
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct Quantiles {
    pub p05: Option<String>,
    pub p50: Option<String>,
    pub p95: Option<String>,
}

/// How much of the result rests on positions the library does not record.
#[derive(Debug, Clone, Serialize)]
pub struct Defaults {
    /// Members whose position is unknown and drawn from the prior.
    pub unknown_members: Vec<String>,
    pub share_of_members: f64,
    pub prior: UnknownPrior,
    /// P(member by the horizon) if every unknown member supported, or opposed (same trials).
    pub p_if_unknown_support: f64,
    pub p_if_unknown_oppose: f64,
    /// Set when the forecast rests mostly on defaults; say it at the top.
    pub warning: Option<String>,
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
    pub defaults: Defaults,
    pub band: Option<Band>,
    #[serde(skip)]
    pub accession_days: Vec<f64>,
}

fn ln_dist(f: &LogNormalFit) -> Option<LogNormal> {
    LogNormal::new(f.mu(), f.sigma.max(1e-6)).ok()
}

pub(crate) fn draw_ln<R: Rng>(rng: &mut R, f: &LogNormalFit) -> f64 {
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

/// SplitMix64: one stream per (trial, lane).
pub(crate) fn stream(seed: u64, trial: u64, lane: u64) -> Xoshiro256PlusPlus {
    let mut z = seed ^ trial.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ lane.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    Xoshiro256PlusPlus::seed_from_u64(z ^ (z >> 31))
}

/// What a trial's draws depend on besides the member.
struct Ctx<'a> {
    stage: Stage,
    /// Days from the protocol to the as-of date (ratification stage).
    elapsed: f64,
    model: DelayModel,
    hazard: Option<Exp<f64>>,
    prior: &'a UnknownPrior,
}

/// One member's times in one trial: its consent (days after the as-of date; 0 when the
/// invitation is behind it) and its ratification (days after the ratification starts; in
/// the ratification stage, after the as-of date).
#[derive(Debug, Clone, Copy)]
struct Act {
    consent: f64,
    ratify: f64,
}

/// Draws a member's times from its lane, as if its position were `pos` (`Unknown`: drawn
/// from the prior, or forced by `unknown_as`).
fn act(
    seed: u64,
    trial: u64,
    lane: u64,
    m: &MemberState,
    pos: MemberPosition,
    unknown_as: Option<MemberPosition>,
    c: &Ctx,
) -> Act {
    let mut rng = stream(seed, trial, lane);
    let u_prior: f64 = rng.random();
    let u_cap: f64 = rng.random();
    if m.ratified.is_some() {
        return Act {
            consent: 0.0,
            ratify: -c.elapsed,
        };
    }
    let pos = match pos {
        MemberPosition::Unknown => unknown_as.unwrap_or_else(|| c.prior.draw(u_prior)),
        p => p,
    };
    let acts = m.probability.is_none_or(|p| u_cap < p);
    let regular = c.model.regular_for(m.procedure);
    // The step the member's position governs, `after` days already elapsed on it.
    let governed = |rng: &mut Xoshiro256PlusPlus, after: f64| -> f64 {
        if !acts {
            return f64::INFINITY;
        }
        match pos {
            MemberPosition::Supports => draw_ln_after(rng, &regular, after) - after,
            MemberPosition::Conditional | MemberPosition::Delays | MemberPosition::Unknown => {
                draw_ln_after(rng, &c.model.holdout, after) - after
            }
            MemberPosition::Opposes => match &c.hazard {
                Some(h) => h.sample(rng) * 365.25 + draw_ln(rng, &c.model.holdout),
                None => f64::INFINITY,
            },
        }
    };
    match c.stage {
        Stage::Invitation => {
            let consent = if pos == MemberPosition::Supports {
                if acts {
                    0.0
                } else {
                    f64::INFINITY
                }
            } else {
                governed(&mut rng, 0.0)
            };
            // The conditions were met at the invitation: ratification is routine.
            Act {
                consent,
                ratify: draw_ln(&mut rng, &regular),
            }
        }
        Stage::Protocol => Act {
            consent: 0.0,
            ratify: governed(&mut rng, 0.0),
        },
        Stage::Ratification | Stage::AlreadyMember => Act {
            consent: 0.0,
            ratify: governed(&mut rng, c.elapsed),
        },
    }
}

/// The largest value, its index, and the second largest.
#[derive(Debug, Clone, Copy)]
struct Top2 {
    v1: f64,
    i1: usize,
    v2: f64,
}

impl Top2 {
    fn of(xs: impl Iterator<Item = f64>) -> Top2 {
        let mut t = Top2 {
            v1: f64::NEG_INFINITY,
            i1: usize::MAX,
            v2: f64::NEG_INFINITY,
        };
        for (i, x) in xs.enumerate() {
            if x > t.v1 {
                (t.v2, t.v1, t.i1) = (t.v1, x, i);
            } else if x > t.v2 {
                t.v2 = x;
            }
        }
        t
    }

    /// The largest value with member `i`'s replaced by `x`.
    fn with(&self, i: usize, x: f64) -> f64 {
        let others = if i == self.i1 { self.v2 } else { self.v1 };
        others.max(x)
    }
}

/// When the invitation comes, when ratification starts, and the accession (days after the
/// as-of date), from the slowest consent and the slowest ratification.
fn timeline(stage: Stage, max_consent: f64, max_ratify: f64, itp: f64, deposit: f64) -> (f64, f64, f64) {
    let invite = match stage {
        Stage::Invitation => max_consent.max(0.0),
        _ => 0.0,
    };
    let start = match stage {
        Stage::Invitation => invite + itp,
        Stage::Protocol => itp,
        _ => 0.0,
    };
    let accession = if invite.is_finite() && max_ratify.is_finite() {
        (start + max_ratify).max(0.0) + deposit
    } else {
        f64::INFINITY
    };
    (invite, start, accession)
}

pub fn forecast(lib: &Library, q: &Query, setup: &Setup, model: &DelayModel) -> Forecast {
    let (stage, protocol, members) = states(lib, q.org, q.candidate, q.as_of, &q.overrides);
    let horizon = (q.until - q.as_of).num_days() as f64;
    let hazard = |rate: f64| (rate > 0.0).then(|| Exp::new(rate).ok()).flatten();
    let mut c = Ctx {
        stage,
        elapsed: protocol.map_or(0.0, |p| (q.as_of - p).num_days() as f64),
        model: model.clone(),
        hazard: hazard(q.opposes_change_per_year),
        prior: &setup.unknown,
    };
    let worlds = setup
        .structure
        .as_ref()
        .map_or(1, |s| s.worlds.clamp(1, q.trials.max(1)));
    let mut joined_in_world = vec![0u64; worlds as usize];
    let mut current_world = u64::MAX;
    let n = members.len();
    let unknown: Vec<usize> = (0..n)
        .filter(|&i| members[i].position == MemberPosition::Unknown && members[i].ratified.is_none())
        .collect();
    let mut accession_days = Vec::with_capacity(q.trials as usize);
    let (mut missing, mut pivotal, mut gained, mut last) =
        (vec![0u64; n], vec![0u64; n], vec![0i64; n], vec![0u64; n]);
    let (mut if_support, mut if_oppose) = (0u64, 0u64);
    let mut acts: Vec<Act> = Vec::with_capacity(n);
    for trial in 0..q.trials {
        let w = trial * worlds / q.trials.max(1);
        if stage == Stage::AlreadyMember {
            accession_days.push(0.0);
            joined_in_world[w as usize] += 1;
            continue;
        }
        if let (Some(s), true) = (&setup.structure, w != current_world) {
            let (m, rate) = crate::worlds::world(model, q.opposes_change_per_year, s, q.seed, w);
            (c.model, c.hazard, current_world) = (m, hazard(rate), w);
        }
        let mut rng = stream(q.seed, trial, u64::MAX);
        let itp = draw_ln(&mut rng, &c.model.invitation_to_protocol);
        let deposit = draw_ln(&mut rng, &c.model.deposit);
        acts.clear();
        acts.extend(
            members
                .iter()
                .enumerate()
                .map(|(i, m)| act(q.seed, trial, i as u64, m, m.position, None, &c)),
        );
        let tc = Top2::of(acts.iter().map(|a| a.consent));
        let tr = Top2::of(acts.iter().map(|a| a.ratify));
        let (invite, start, accession) = timeline(stage, tc.v1, tr.v1, itp, deposit);
        let joined = accession <= horizon;
        joined_in_world[w as usize] += joined as u64;
        accession_days.push(accession);
        if tr.v1.is_finite() && tr.i1 != usize::MAX && invite.is_finite() {
            last[tr.i1] += 1;
        }
        if !joined {
            for (i, a) in acts.iter().enumerate() {
                let out = if invite > horizon {
                    a.consent > horizon
                } else {
                    start <= horizon && start + a.ratify > horizon
                };
                missing[i] += out as u64;
            }
        }
        // The counterfactual flips, one member at a time, on the same trial.
        for (i, m) in members.iter().enumerate() {
            if m.ratified.is_some() {
                continue;
            }
            let f = act(q.seed, trial, i as u64, m, m.position.flipped(), None, &c);
            let (_, _, acc) = timeline(stage, tc.with(i, f.consent), tr.with(i, f.ratify), itp, deposit);
            let j = acc <= horizon;
            if j != joined {
                pivotal[i] += 1;
                gained[i] += if j { 1 } else { -1 };
            }
        }
        // The unknown members all supporting, or all opposing.
        if !unknown.is_empty() {
            for (forced, count) in [
                (MemberPosition::Supports, &mut if_support),
                (MemberPosition::Opposes, &mut if_oppose),
            ] {
                let (mut mc, mut mr) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
                for (i, m) in members.iter().enumerate() {
                    let a = if unknown.contains(&i) {
                        act(q.seed, trial, i as u64, m, m.position, Some(forced), &c)
                    } else {
                        acts[i]
                    };
                    (mc, mr) = (mc.max(a.consent), mr.max(a.ratify));
                }
                *count += (timeline(stage, mc, mr, itp, deposit).2 <= horizon) as u64;
            }
        }
    }
    let nt = q.trials.max(1) as f64;
    let by_until = accession_days.iter().filter(|d| **d <= horizon).count() as f64 / nt;
    let mut sorted = accession_days.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let date_at = |d: f64| -> Option<String> {
        (d.is_finite() && d <= horizon).then(|| (q.as_of + Days::new(d.max(0.0).round() as u64)).to_string())
    };
    let quantile = |p: f64| date_at(quantile_of(&sorted, p));
    let mut cdf = Vec::new();
    let mut month = q.as_of;
    while month <= q.until {
        let d = (month - q.as_of).num_days() as f64;
        cdf.push((month.to_string(), sorted.partition_point(|x| *x <= d) as f64 / nt));
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(q.until + Days::new(1));
    }
    let mut pivots: Vec<Pivot> = members
        .iter()
        .enumerate()
        .map(|(i, m)| Pivot {
            member: m.member.clone(),
            position: m.position,
            p_missing_consent: missing[i] as f64 / nt,
            p_pivotal: pivotal[i] as f64 / nt,
            flipped_to: m.position.flipped(),
            delta_if_flipped: gained[i] as f64 / nt,
            p_last: last[i] as f64 / nt,
            p_blocking: missing[i] as f64 / nt,
        })
        .collect();
    pivots.sort_by(|a, b| {
        b.p_missing_consent
            .total_cmp(&a.p_missing_consent)
            .then(b.p_pivotal.total_cmp(&a.p_pivotal))
            .then(b.p_last.total_cmp(&a.p_last))
            .then_with(|| a.member.cmp(&b.member))
    });
    let share = unknown.len() as f64 / n.max(1) as f64;
    let (p_sup, p_opp) = if unknown.is_empty() {
        (by_until, by_until)
    } else {
        (if_support as f64 / nt, if_oppose as f64 / nt)
    };
    let warning = (share > 0.5 || p_sup - p_opp > 0.5).then(|| {
        format!(
            "This forecast rests mostly on defaults: {} of {} members have no recorded stance and are drawn \
             from the prior ({}); P(member by the horizon) would be {:.2} if they all supported and {:.2} if \
             they all opposed.",
            unknown.len(),
            n,
            setup.unknown.basis,
            p_sup,
            p_opp
        )
    });
    Forecast {
        stage,
        protocol_signed: protocol.map(|p| p.to_string()),
        trials: q.trials,
        p_member_by_until: by_until,
        stderr: (by_until * (1.0 - by_until) / nt).sqrt(),
        quantiles: Quantiles {
            p05: quantile(0.05),
            p50: quantile(0.5),
            p95: quantile(0.95),
        },
        cdf,
        pivotal: pivots,
        defaults: Defaults {
            unknown_members: unknown.iter().map(|&i| members[i].member.clone()).collect(),
            share_of_members: share,
            prior: setup.unknown.clone(),
            p_if_unknown_support: p_sup,
            p_if_unknown_oppose: p_opp,
            warning,
        },
        members,
        band: setup.structure.as_ref().map(|_| {
            let per = q.trials / worlds;
            let mut ps: Vec<f64> = joined_in_world
                .iter()
                .enumerate()
                .map(|(w, &j)| {
                    let size = (w as u64 + 1) * q.trials / worlds - w as u64 * q.trials / worlds;
                    j as f64 / size.max(1) as f64
                })
                .collect();
            ps.sort_by(|a, b| a.total_cmp(b));
            Band {
                p05: quantile_of(&ps, 0.05),
                p95: quantile_of(&ps, 0.95),
                worlds,
                trials_per_world: per,
            }
        }),
        accession_days,
    }
}

/// The value at quantile `p` of sorted draws (infinite beyond them).
pub fn quantile_of(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .copied()
        .unwrap_or(f64::INFINITY)
}

/// The prior the command used before it stated one: every unknown member supports. Kept
/// for `casus-cli` until the command moves to casus-api; the basis says so in the output.
pub fn legacy_setup() -> Setup {
    Setup {
        structure: None,
        unknown: UnknownPrior {
            supports: 1.0,
            conditional: 0.0,
            opposes: 0.0,
            basis: "no prior stated by the caller: unknown stances counted as support".into(),
        },
    }
}

/// [`forecast`] with [`legacy_setup`].
pub fn simulate(lib: &Library, q: &Query, model: &DelayModel) -> Forecast {
    forecast(lib, q, &legacy_setup(), model)
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
    let setup = Setup {
        unknown: base.defaults.prior.clone(),
        structure: None,
    };
    let mut out: Vec<StanceEffect> = base
        .members
        .iter()
        .filter(|m| {
            m.ratified.is_none() && (m.position != MemberPosition::Supports || m.probability.is_some())
        })
        .map(|m| {
            let mut q2 = q.clone();
            q2.overrides.retain(|o| o.member != m.actor);
            q2.overrides.push(StanceOverride {
                member: m.actor,
                position: Position::Supports,
                probability: None,
            });
            let f = forecast(lib, &q2, &setup, model);
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
