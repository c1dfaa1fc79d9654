//! One simulated trial: each member's position (drawn from the prior when unknown, moved
//! with its bloc's leader when linked), its times to consent and to ratify, the gates'
//! opening times, and the timeline they imply.
//!
//! Every member draws from its own streams (seed, trial, member): a counterfactual that
//! changes one member's position redraws that member (and those that follow it) only, so
//! comparisons run on common random numbers.

use casus_model::*;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use statrs::distribution::{ContinuousCDF, LogNormal};

use crate::fit::{DelayModel, LogNormalFit};
use crate::members::{MemberPosition, MemberState, Stage, UnknownPrior};

pub(crate) fn draw_ln<R: Rng>(rng: &mut R, f: &LogNormalFit) -> f64 {
    let z: f64 = rng.sample(StandardNormal);
    f.median * (f.sigma * z).exp()
}

/// A delay drawn on condition that it exceeds `elapsed` (a member that has not acted yet).
fn draw_ln_after<R: Rng>(rng: &mut R, f: &LogNormalFit, elapsed: f64) -> f64 {
    if elapsed <= 0.0 {
        return draw_ln(rng, f);
    }
    let Ok(d) = LogNormal::new(f.mu(), f.sigma.max(1e-6)) else {
        return elapsed;
    };
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

const PRE_LANE: u64 = 1 << 40;
const RATIFY_LANE: u64 = 1 << 41;
const GATE_LANE: u64 = u64::MAX - 16;

/// A follower linked to a leader (indices into the members).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub follower: usize,
    pub leader: usize,
    pub follow: f64,
}

/// A gate as the trial uses it: its opening day is drawn given that it has not opened by
/// the as-of date (`p_open_at_as_of` of the mass is behind us).
pub(crate) struct GateSpec<'a> {
    pub gate: &'a Gate,
    /// The member whose ratification waits (none: the invitation).
    pub member: Option<usize>,
    pub p_open_at_as_of: f64,
}

pub(crate) struct Ctx<'a> {
    pub stage: Stage,
    pub as_of: chrono::NaiveDate,
    /// Days from the protocol to the as-of date (ratification stage).
    pub elapsed: f64,
    pub model: DelayModel,
    /// Opponents' rate of changing their minds, per year.
    pub rate: f64,
    pub prior: &'a UnknownPrior,
    pub members: &'a [MemberState],
    pub links: Vec<Link>,
    pub gates: Vec<GateSpec<'a>>,
    pub seed: u64,
}

/// A member's uniform draws that do not depend on its position.
#[derive(Debug, Clone, Copy)]
struct Pre {
    prior: f64,
    cap: f64,
    change: f64,
    follow: f64,
}

/// One member's times: its consent (days after the as-of date; 0 when the invitation is
/// behind it) and its ratification (days after the ratification starts; in the
/// ratification stage, after the as-of date).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Act {
    pub consent: f64,
    pub ratify: f64,
}

/// A trial's draws under one assignment of positions.
#[derive(Debug, Clone)]
pub(crate) struct Draw {
    pub pos: Vec<MemberPosition>,
    change: Vec<f64>,
    pub acts: Vec<Act>,
}

pub(crate) struct Trial {
    pub index: u64,
    pre: Vec<Pre>,
    pub itp: f64,
    pub deposit: f64,
    /// Each gate's member (none: the invitation) and opening, days after the as-of date
    /// (infinite: never).
    pub gates: Vec<(Option<usize>, f64)>,
    pub base: Draw,
}

/// How a counterfactual changes positions: `set` gives members a position; with
/// `followers_move`, the followers of a changed leader move with it.
pub(crate) struct Change<'a> {
    pub set: &'a [(usize, MemberPosition)],
    pub followers_move: bool,
}

impl Ctx<'_> {
    fn pre(&self, trial: u64, i: usize) -> Pre {
        let mut r = stream(self.seed, trial, PRE_LANE + i as u64);
        Pre {
            prior: r.random(),
            cap: r.random(),
            change: r.random(),
            follow: r.random(),
        }
    }

    fn act(&self, trial: u64, i: usize, pos: MemberPosition, change_days: f64, pre: &Pre) -> Act {
        let m = &self.members[i];
        if m.ratified.is_some() {
            return Act {
                consent: 0.0,
                ratify: -self.elapsed,
            };
        }
        let mut rng = stream(self.seed, trial, i as u64);
        let acts = m.probability.is_none_or(|p| pre.cap < p);
        let regular = self.model.regular_for(m.procedure);
        let model = &self.model;
        // The step the member's position governs, `after` days already elapsed on it.
        let governed = |rng: &mut Xoshiro256PlusPlus, after: f64| -> f64 {
            if !acts {
                return f64::INFINITY;
            }
            match pos {
                MemberPosition::Supports => draw_ln_after(rng, &regular, after) - after,
                MemberPosition::Opposes => change_days + draw_ln(rng, &model.holdout),
                _ => draw_ln_after(rng, &model.holdout, after) - after,
            }
        };
        match self.stage {
            Stage::Invitation => {
                let consent = match (pos, acts) {
                    (MemberPosition::Supports, true) => 0.0,
                    (MemberPosition::Supports, false) => f64::INFINITY,
                    _ => governed(&mut rng, 0.0),
                };
                // The conditions were met at the invitation: ratification is routine, drawn
                // from its own stream so that it is the same whatever the member's position.
                Act {
                    consent,
                    ratify: draw_ln(&mut stream(self.seed, trial, RATIFY_LANE + i as u64), &regular),
                }
            }
            Stage::Protocol => Act {
                consent: 0.0,
                ratify: governed(&mut rng, 0.0),
            },
            Stage::Ratification | Stage::AlreadyMember => Act {
                consent: 0.0,
                ratify: governed(&mut rng, self.elapsed),
            },
        }
    }

    /// Positions and change-of-mind days under a change (none: the forecast's own).
    fn positions(&self, pre: &[Pre], change: &Change) -> (Vec<MemberPosition>, Vec<f64>) {
        let mut pos: Vec<MemberPosition> = self
            .members
            .iter()
            .zip(pre)
            .map(|(m, p)| match m.position {
                MemberPosition::Unknown => self.prior.draw(p.prior),
                x => x,
            })
            .collect();
        let mut days: Vec<f64> = pre
            .iter()
            .map(|p| {
                if self.rate > 0.0 {
                    -(1.0 - p.change).ln() / self.rate * 365.25
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        // The forecast's own links: a follower takes its leader's position and change day
        // (unless the change sets the follower itself). A leader that is changed moves its
        // followers only with `followers_move`; otherwise they stay as they were.
        let set = |i: usize| change.set.iter().any(|(j, _)| *j == i);
        let follows = |l: &Link| !set(l.follower) && pre[l.follower].follow < l.follow;
        for l in self.links.iter().filter(|l| follows(l)) {
            pos[l.follower] = pos[l.leader];
            days[l.follower] = days[l.leader];
        }
        for &(i, p) in change.set {
            pos[i] = match p {
                MemberPosition::Unknown => self.prior.draw(pre[i].prior),
                x => x,
            };
        }
        if change.followers_move {
            for l in self.links.iter().filter(|l| set(l.leader) && follows(l)) {
                pos[l.follower] = pos[l.leader];
            }
        }
        (pos, days)
    }

    /// The trial's own draws.
    pub fn trial(&self, index: u64) -> Trial {
        let pre: Vec<Pre> = (0..self.members.len()).map(|i| self.pre(index, i)).collect();
        let mut rng = stream(self.seed, index, u64::MAX);
        let itp = draw_ln(&mut rng, &self.model.invitation_to_protocol);
        let deposit = draw_ln(&mut rng, &self.model.deposit);
        let gates = self
            .gates
            .iter()
            .enumerate()
            .map(|(g, spec)| {
                let u: f64 = stream(self.seed, index, GATE_LANE - g as u64).random();
                let u = spec.p_open_at_as_of + (1.0 - spec.p_open_at_as_of) * u;
                let days = spec
                    .gate
                    .opens_at(u)
                    .map_or(f64::INFINITY, |d| ((d - self.as_of).num_days() as f64).max(0.0));
                (spec.member, days)
            })
            .collect();
        let (pos, change) = self.positions(
            &pre,
            &Change {
                set: &[],
                followers_move: true,
            },
        );
        let acts = (0..self.members.len())
            .map(|i| self.act(index, i, pos[i], change[i], &pre[i]))
            .collect();
        let base = Draw { pos, change, acts };
        Trial {
            index,
            pre,
            itp,
            deposit,
            gates,
            base,
        }
    }

    /// The trial's draws under a change of positions: members whose position or change
    /// day differs are redrawn from their own streams, the rest kept.
    pub fn redraw(&self, t: &Trial, change: &Change) -> Draw {
        let (pos, days) = self.positions(&t.pre, change);
        let acts = (0..self.members.len())
            .map(|i| {
                if pos[i] == t.base.pos[i] && days[i].total_cmp(&t.base.change[i]).is_eq() {
                    t.base.acts[i]
                } else {
                    self.act(t.index, i, pos[i], days[i], &t.pre[i])
                }
            })
            .collect();
        Draw {
            pos,
            change: days,
            acts,
        }
    }
}

/// When the invitation comes, when ratification starts, and the accession (days after the
/// as-of date). An invitation waits for every consent and every invitation gate; a member
/// with a ratification gate ratifies no earlier than the gate opens. `gates` pairs each
/// gate's member (none: the invitation) with its opening day.
pub(crate) fn timeline(
    stage: Stage,
    acts: &[Act],
    gates: &[(Option<usize>, f64)],
    itp: f64,
    deposit: f64,
) -> (f64, f64, f64) {
    let max_consent = acts.iter().map(|a| a.consent).fold(0.0, f64::max);
    let invitation_gate = gates
        .iter()
        .filter(|(m, _)| m.is_none())
        .fold(0.0, |x: f64, (_, d)| x.max(*d));
    let invite = match stage {
        Stage::Invitation => max_consent.max(invitation_gate),
        _ => 0.0,
    };
    let start = match stage {
        Stage::Invitation => invite + itp,
        Stage::Protocol => itp,
        _ => 0.0,
    };
    let mut max_ratify = f64::NEG_INFINITY;
    for (i, a) in acts.iter().enumerate() {
        let floor = gates
            .iter()
            .filter(|(m, _)| *m == Some(i))
            .fold(f64::NEG_INFINITY, |x, (_, d)| x.max(d - start));
        max_ratify = max_ratify.max(a.ratify.max(floor));
    }
    let accession = if invite.is_finite() && max_ratify.is_finite() {
        (start + max_ratify).max(0.0) + deposit
    } else if invite.is_finite() && acts.is_empty() {
        start + deposit
    } else {
        f64::INFINITY
    };
    (invite, start, accession)
}
