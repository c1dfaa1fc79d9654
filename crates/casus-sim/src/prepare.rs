//! From the engine's obligations to the numbers the sampler needs, one guarantor at a
//! time: its probability of honouring (with the effects that make it up), what it needs
//! at home, how fast it decides and arrives, what it commits, and whom it must wait for.

use casus_model::*;
use statrs::distribution::{ContinuousCDF, Normal};

pub use crate::obligated::Obligated;
use crate::priors::Priors;
use crate::relations::{Portfolios, Records};

/// Whom a guarantor's response depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// It decides alone.
    Alone,
    /// It acts only if its body decides (index into `Prepared::groups`).
    Group(usize),
    /// It acts in concert with another guarantor's decision (index into `guarantors`).
    Follows(usize),
}

/// A body deciding by consensus (`need` = all members) or qualified majority.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionGroup {
    pub members: Vec<usize>,
    pub need: usize,
    pub body: String,
}

/// One obligation of one obligor. An obligor bound several times has several, in a row,
/// sharing one draw of its willingness (so that its answers are consistent: if it honours
/// a harder obligation it honours an easier one).
#[derive(Debug, Clone)]
pub struct Guarantor {
    pub actor: ActorId,
    /// The previous guarantor is the same obligor.
    pub same_as_previous: bool,
    pub commitment: CommitmentId,
    pub clause: usize,
    pub strength: Strength,
    /// Honours with force (what the text contemplates: action deemed necessary or more).
    pub military: bool,
    /// Honours with at least aid (assist or more).
    pub support: bool,
    pub nuclear: bool,
    pub tripwire: bool,
    /// The obligor's capability score (e.g. CINC), its share of the guarantors' combined
    /// score, its distance from the attacked state and its major-power status, where known:
    /// the inputs of the per-obligor effects, shown with them.
    pub capability_score: Option<f64>,
    pub capability_share: Option<f64>,
    pub distance_km: Option<f64>,
    pub major_power: Option<bool>,
    /// A lane of the lead guarantor (the decider others follow, else the largest committed
    /// capability among those bound to use force).
    pub lead: bool,
    pub p_honour: f64,
    /// The log-odds effects that make up `p_honour`: (parameter id, value).
    pub effects: Vec<(&'static str, f64)>,
    pub requirement: Requirement,
    pub p_approve: f64,
    /// Log-normal delays (days): `mu` is the log of the median; a median of 0 means none.
    pub decide: Delay,
    pub approve: Delay,
    pub deploy: Delay,
    /// Capability committed when it responds (capability score × share), if known.
    pub capability: Option<f64>,
    pub gate: Gate,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delay {
    pub median: f64,
    pub sigma: f64,
}

impl Delay {
    /// A random delay; no number is drawn for a delay that is always 0.
    #[inline]
    pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if self.median > 0.0 {
            self.sample(rng.sample(rand_distr::StandardNormal))
        } else {
            0.0
        }
    }

    /// The delay for a standard normal draw `z`.
    #[inline]
    pub fn sample(&self, z: f64) -> f64 {
        if self.median <= 0.0 {
            0.0
        } else {
            self.median * (self.sigma * z).exp()
        }
    }
}

/// Everything the sampler needs for one option.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub guarantors: Vec<Guarantor>,
    pub groups: Vec<DecisionGroup>,
    /// Correlation of honour decisions (the common shock).
    pub rho: f64,
    pub attacker_capability: Option<f64>,
    /// The lead guarantor, if there is one with an obligation to use force.
    pub lead: Option<ActorId>,
}

impl Prepared {
    /// Distinct obligors (an obligor bound several times counts once).
    pub fn obligors(&self) -> usize {
        self.guarantors.iter().filter(|g| !g.same_as_previous).count()
    }

    /// Distinct obligors bound to use force.
    pub fn military_obligors(&self) -> usize {
        let mut n = 0;
        let mut counted = false;
        for g in &self.guarantors {
            if !g.same_as_previous {
                counted = false;
            }
            if g.military && !counted {
                n += 1;
                counted = true;
            }
        }
        n
    }

    /// The committed capability can be compared with the attacker's only if every score is known.
    pub fn capability_known(&self) -> bool {
        self.attacker_capability.is_some_and(|c| c > 0.0)
            && self.guarantors.iter().all(|g| g.capability.is_some())
    }
}

pub(crate) fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

pub(crate) fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Inverse of the standard normal CDF: the sampler honours when a draw falls below it.
pub fn normal_threshold(p: f64) -> f64 {
    let n = Normal::standard();
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else {
        n.inverse_cdf(p)
    }
}

pub(crate) fn requirement_rank(r: Requirement) -> u8 {
    match r {
        Requirement::NoneStated => 0,
        Requirement::Executive => 1,
        Requirement::ConstitutionalProcesses => 2,
        Requirement::LegislativeApproval => 3,
    }
}

/// What the model knows of an actor beyond the library.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ActorFacts {
    /// A capability score (e.g. CINC).
    pub capability: Option<f64>,
    /// A major power (COW's list).
    pub major: Option<bool>,
    /// Alliance-portfolio similarity (kappa) with the attacked state, where known.
    pub alignment: Option<f64>,
}

/// Prepares one option: `lib` is the option's variant of the library, `forces` the
/// option's hypothetical stationed forces, `capability` a score per actor (e.g. CINC).
pub fn prepare(
    lib: &Library,
    event: &Event,
    forces: &[Forces],
    priors: &Priors,
    capability: &dyn Fn(ActorId) -> Option<f64>,
) -> Prepared {
    prepare_with(lib, event, forces, priors, &|a| ActorFacts {
        capability: capability(a),
        ..ActorFacts::default()
    })
}

/// [`prepare`] with the figures of a capability table (CINC and major-power status).
pub fn prepare_with_table(
    lib: &Library,
    event: &Event,
    forces: &[Forces],
    priors: &Priors,
    table: &crate::capability::Table,
) -> Prepared {
    Obligated::with_table(lib, event, forces, table).with_priors(priors)
}

/// Great-circle distance (km) between two actors' representative points in the gazetteer.
pub fn distance_km(lib: &Library, a: ActorId, b: ActorId) -> Option<f64> {
    let point = |x: ActorId| -> Option<(f64, f64)> {
        let home = lib.actor(x).home?;
        let place = lib
            .ancestry(home)
            .map(|p| lib.place(p))
            .find(|p| p.lat.is_some() && p.lon.is_some())?;
        Some((place.lat?.to_radians(), place.lon?.to_radians()))
    };
    let ((la1, lo1), (la2, lo2)) = (point(a)?, point(b)?);
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    Some(2.0 * 6371.0 * h.sqrt().min(1.0).asin())
}

/// The per-obligor inputs of the honour model, as the effects use them: capability
/// relative to the attacker's in decades (log10, clamped to [-3, 1]) and nearness to the
/// attacked state in decades of distance below 1,000 km (log10(1000 km / d), clamped to
/// [-1.5, 1]). The clamps keep a state with no armed forces or on the far side of the
/// world from dominating the sum.
pub fn capability_decades(own: f64, attacker: f64) -> Option<f64> {
    (own > 0.0 && attacker > 0.0).then(|| (own / attacker).log10().clamp(-3.0, 1.0))
}

pub fn nearness_decades(km: f64) -> f64 {
    (1000.0 / km.max(1.0)).log10().clamp(-1.5, 1.0)
}

/// Prepares one option with whatever the caller knows of each actor.
pub fn prepare_with(
    lib: &Library,
    event: &Event,
    forces: &[Forces],
    priors: &Priors,
    facts: &dyn Fn(ActorId) -> ActorFacts,
) -> Prepared {
    prepare_full(lib, event, forces, priors, facts, Relations::default())
}

/// What lies between obligors and the attacked state beyond the commitments, where known.
#[derive(Debug, Clone, Copy, Default)]
pub struct Relations<'a> {
    /// Defence-pact portfolios, for alignment.
    pub portfolios: Option<&'a Portfolios>,
    /// Records of requests and leader-follower rules.
    pub records: Option<&'a Records>,
}

/// [`prepare_with`] with alignment, the standing record of requests under commitments and
/// leader-follower rules: the two stages in sequence, the obligations and facts
/// ([`Obligated::new`]) then the priors ([`Obligated::with_priors`]).
pub fn prepare_full(
    lib: &Library,
    event: &Event,
    forces: &[Forces],
    priors: &Priors,
    facts: &dyn Fn(ActorId) -> ActorFacts,
    relations: Relations,
) -> Prepared {
    Obligated::new(lib, event, forces, facts, relations).with_priors(priors)
}

/// The lead guarantor among those bound to use force: the decider that most military
/// guarantors follow, if any follows one; else the largest committed capability (ties to
/// the first in lane order). `None` if nobody is bound to use force or no capability is known.
pub fn lead_guarantor(g: &[Guarantor]) -> Option<ActorId> {
    let mut followed = vec![0usize; g.len()];
    for x in g.iter().filter(|x| x.military) {
        if let Gate::Follows(j) = x.gate {
            // Only a decider itself bound to use force leads a military response.
            if g[j].military {
                followed[j] += 1;
            }
        }
    }
    if let Some((j, _)) = followed
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0)))
    {
        return Some(g[j].actor);
    }
    let mut best: Option<(f64, ActorId)> = None;
    for x in g.iter().filter(|x| x.military) {
        if let Some(c) = x.capability {
            if best.is_none_or(|(b, _)| c > b) {
                best = Some((c, x.actor));
            }
        }
    }
    best.map(|(_, a)| a)
}

/// Marks the lead's lanes and gives each obligor its share of the guarantors' combined
/// capability score (each obligor counted once), where every score is known.
pub fn set_shares_and_lead(g: &mut [Guarantor], lead: Option<ActorId>) {
    let known = g.iter().all(|x| x.capability_score.is_some());
    let total: f64 = g
        .iter()
        .filter(|x| !x.same_as_previous)
        .filter_map(|x| x.capability_score)
        .sum();
    for x in g.iter_mut() {
        x.lead = Some(x.actor) == lead;
        x.capability_share = (known && total > 0.0).then(|| x.capability_score.unwrap_or(0.0) / total);
    }
}
