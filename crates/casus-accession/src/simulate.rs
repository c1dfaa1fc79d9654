//! Unanimity, simulated: each member consents (to an invitation) and ratifies (the
//! protocol) at its own time, drawn from its position and the fitted delays; the candidate
//! joins when the last member has ratified and it has deposited its instrument.
//!
//! Every trial draws each member's times from its own random stream (seed, trial, member),
//! so a counterfactual that changes one member's position leaves every other draw as it
//! was (common random numbers): the veto measures below compare the same trials.

use casus_model::*;
use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::fit::DelayModel;
use crate::members::{states, MemberPosition, MemberState, Stage, StanceOverride, UnknownPrior};
use crate::trial::{timeline, Change, Ctx, Draw, GateSpec, Link};

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
/// and its log σ with sd 1/√(2(n − 1)), and a delay the history does not fit (n < 2) from
/// its fallback's stated range.
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
    /// Its followers (bloc links), who move with it in the flip.
    pub moves_with: Vec<String>,
    /// For a leader: P(pivotal) if its followers did not move with it.
    pub p_pivotal_alone: Option<f64>,
    pub p_last: f64,
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
         turned opponent, anyone else turned supporter, its bloc followers moving with it; the same trials \
         with only their draws changed (common random numbers), so it equals |delta_if_flipped|",
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
    /// The conditions the invitation or a member's ratification waits for, each with its effect.
    pub gates: Vec<GateEffect>,
    /// P(member by the horizon) if no condition gated the invitation (same trials).
    pub p_member_without_gates: f64,
    pub band: Option<Band>,
    #[serde(skip)]
    pub accession_days: Vec<f64>,
}

/// What a gate does to the forecast (same trials, the gate removed).
#[derive(Debug, Clone, Serialize)]
pub struct GateEffect {
    pub id: String,
    /// For a ratification gate: the member whose ratification waits.
    pub member: Option<String>,
    pub text: String,
    /// "source: …" or "assumption: …".
    pub basis: String,
    /// P(the condition holds by the horizon), given that it did not on the as-of date.
    pub p_open_by_until: f64,
    /// P(not a member at the horizon and this condition still unmet).
    pub p_missing: f64,
    /// P(member by the horizon) if this condition were dropped.
    pub p_member_without_it: f64,
    /// The median accession date without it (none: beyond the horizon).
    pub median_without_it: Option<String>,
}

pub fn forecast(lib: &Library, q: &Query, setup: &Setup, model: &DelayModel) -> Forecast {
    forecast_with(lib, q, setup, model, &mut |_, _| {})
}

/// Trials between two progress reports.
const REPORT_EVERY: u64 = 4096;

/// [`forecast`], calling `progress(done, planned)` every few thousand trials (a forecast of a
/// million trials takes half a minute; people should see it move).
pub fn forecast_with(
    lib: &Library,
    q: &Query,
    setup: &Setup,
    model: &DelayModel,
    progress: &mut dyn FnMut(u64, u64),
) -> Forecast {
    let (stage, protocol, members) = states(lib, q.org, q.candidate, q.as_of, &q.overrides);
    let horizon = (q.until - q.as_of).num_days() as f64;
    let index = |a: ActorId| members.iter().position(|m| m.actor == a);
    let mut links = Vec::new();
    for b in lib.blocs_on(q.org, q.candidate, q.as_of) {
        let Some(leader) = index(b.leader) else { continue };
        for f in b.followers.iter().filter_map(|f| index(*f)) {
            links.push(Link {
                follower: f,
                leader,
                follow: b.follow,
            });
        }
    }
    // Invitation gates matter only before the invitation; a ratification gate matters until
    // its member has ratified.
    let gate_list: Vec<(&Gate, Option<usize>)> = lib
        .gates_on(q.org, q.candidate, q.as_of)
        .filter_map(|g| match g.member {
            None => (stage == Stage::Invitation).then_some((g, None)),
            Some(a) => index(a)
                .filter(|&i| members[i].ratified.is_none() && stage != Stage::AlreadyMember)
                .map(|i| (g, Some(i))),
        })
        .collect();
    let mut c = Ctx {
        stage,
        as_of: q.as_of,
        elapsed: protocol.map_or(0.0, |p| (q.as_of - p).num_days() as f64),
        model: model.clone(),
        rate: q.opposes_change_per_year,
        prior: &setup.unknown,
        members: &members,
        links,
        gates: gate_list
            .iter()
            .map(|&(g, member)| GateSpec {
                gate: g,
                member,
                p_open_at_as_of: g.p_by(q.as_of).min(1.0 - 1e-9),
            })
            .collect(),
        seed: q.seed,
    };
    let n = members.len();
    let unknown: Vec<usize> = (0..n)
        .filter(|&i| members[i].position == MemberPosition::Unknown && members[i].ratified.is_none())
        .collect();
    let leaders: Vec<usize> = {
        let mut l: Vec<usize> = c.links.iter().map(|l| l.leader).collect();
        l.sort();
        l.dedup();
        l
    };
    let worlds = setup
        .structure
        .as_ref()
        .map_or(1, |s| s.worlds.clamp(1, q.trials.max(1)));
    let mut joined_in_world = vec![0u64; worlds as usize];
    let mut current_world = u64::MAX;
    let mut accession_days = Vec::with_capacity(q.trials as usize);
    let (mut missing, mut pivotal, mut gained, mut last) =
        (vec![0u64; n], vec![0u64; n], vec![0i64; n], vec![0u64; n]);
    let mut pivotal_alone = vec![0u64; n];
    let (mut if_support, mut if_oppose) = (0u64, 0u64);
    let ng = c.gates.len();
    let mut days_without_gate: Vec<Vec<f64>> = vec![Vec::new(); c.gates.len()];
    let (mut gate_open, mut gate_missing, mut without_gate, mut without_gates) =
        (vec![0u64; ng], vec![0u64; ng], vec![0u64; ng], 0u64);
    for trial in 0..q.trials {
        if trial % REPORT_EVERY == 0 {
            progress(trial, q.trials);
        }
        let w = trial * worlds / q.trials.max(1);
        if stage == Stage::AlreadyMember {
            accession_days.push(0.0);
            joined_in_world[w as usize] += 1;
            continue;
        }
        if let (Some(s), true) = (&setup.structure, w != current_world) {
            let (m, rate) = crate::worlds::world(model, q.opposes_change_per_year, s, q.seed, w);
            (c.model, c.rate, current_world) = (m, rate, w);
        }
        let t = c.trial(trial);
        let (invite, start, accession) = timeline(stage, &t.base.acts, &t.gates, t.itp, t.deposit);
        let joined = accession <= horizon;
        let outcome = |d: &Draw, gates: &[(Option<usize>, f64)]| {
            timeline(stage, &d.acts, gates, t.itp, t.deposit).2 <= horizon
        };
        let gate = t.gates.as_slice();
        joined_in_world[w as usize] += joined as u64;
        accession_days.push(accession);
        if invite.is_finite() {
            let slowest = t
                .base
                .acts
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.ratify.total_cmp(&b.1.ratify));
            if let Some((i, a)) = slowest.filter(|(_, a)| a.ratify.is_finite()) {
                last[i] += (a.ratify.is_finite()) as u64;
            }
        }
        if !joined {
            for (i, a) in t.base.acts.iter().enumerate() {
                // A ratification gate holds its member back: its ratification is missing too.
                let floor = t
                    .gates
                    .iter()
                    .filter(|(m, _)| *m == Some(i))
                    .fold(f64::NEG_INFINITY, |x, (_, d)| x.max(*d));
                let out = if invite > horizon {
                    a.consent > horizon
                } else {
                    start <= horizon && (start + a.ratify).max(floor) > horizon
                };
                missing[i] += out as u64;
            }
            for (g, &(_, x)) in t.gates.iter().enumerate() {
                gate_missing[g] += (x > horizon) as u64;
            }
        }
        for (g, &(_, x)) in t.gates.iter().enumerate() {
            gate_open[g] += (x <= horizon) as u64;
            let mut others = t.gates.clone();
            others[g].1 = 0.0;
            let days = timeline(stage, &t.base.acts, &others, t.itp, t.deposit).2;
            without_gate[g] += (days <= horizon) as u64;
            days_without_gate[g].push(days);
        }
        let open: Vec<(Option<usize>, f64)> = t.gates.iter().map(|&(m, _)| (m, 0.0)).collect();
        without_gates += outcome(&t.base, &open) as u64;
        // The counterfactual flips, one member at a time (its followers moving with it), on
        // the same trial.
        for (i, m) in members.iter().enumerate() {
            if m.ratified.is_some() {
                continue;
            }
            let set = [(i, m.position.flipped())];
            let j = outcome(
                &c.redraw(
                    &t,
                    &Change {
                        set: &set,
                        followers_move: true,
                    },
                ),
                gate,
            );
            if j != joined {
                pivotal[i] += 1;
                gained[i] += if j { 1 } else { -1 };
            }
            if leaders.contains(&i) {
                let alone = outcome(
                    &c.redraw(
                        &t,
                        &Change {
                            set: &set,
                            followers_move: false,
                        },
                    ),
                    gate,
                );
                pivotal_alone[i] += (alone != joined) as u64;
            }
        }
        // The unknown members all supporting, or all opposing.
        if !unknown.is_empty() {
            for (forced, count) in [
                (MemberPosition::Supports, &mut if_support),
                (MemberPosition::Opposes, &mut if_oppose),
            ] {
                let set: Vec<(usize, MemberPosition)> = unknown.iter().map(|&i| (i, forced)).collect();
                *count += outcome(
                    &c.redraw(
                        &t,
                        &Change {
                            set: &set,
                            followers_move: true,
                        },
                    ),
                    gate,
                ) as u64;
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
            moves_with: c
                .links
                .iter()
                .filter(|l| l.leader == i)
                .map(|l| format!("{} (p = {})", members[l.follower].member, l.follow))
                .collect(),
            p_pivotal_alone: leaders.contains(&i).then(|| pivotal_alone[i] as f64 / nt),
            p_last: last[i] as f64 / nt,
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
    let gates = gate_list
        .iter()
        .enumerate()
        .map(|(g, (x, member))| GateEffect {
            member: member.map(|i| members[i].member.clone()),
            id: x.id.clone(),
            text: x.text.clone(),
            basis: match &x.provenance {
                Provenance::Source(s) => format!("source: {s}"),
                Provenance::Assumption(s) => format!("assumption: {s}"),
            },
            p_open_by_until: gate_open[g] as f64 / nt,
            p_missing: gate_missing[g] as f64 / nt,
            p_member_without_it: without_gate[g] as f64 / nt,
            median_without_it: {
                let d = &mut days_without_gate[g];
                d.sort_by(|a, b| a.total_cmp(b));
                date_at(quantile_of(d, 0.5))
            },
        })
        .collect();
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
        gates,
        p_member_without_gates: without_gates as f64 / nt,
        members,
        band: setup.structure.as_ref().map(|_| {
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
                trials_per_world: q.trials / worlds,
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
