//! From the engine's obligations to the numbers the sampler needs, one guarantor at a
//! time: its probability of honouring (with the effects that make it up), what it needs
//! at home, how fast it decides and arrives, what it commits, and whom it must wait for.

use casus_engine::obligations;
use casus_model::*;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::priors::Priors;

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

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

fn logistic(x: f64) -> f64 {
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

fn requirement_rank(r: Requirement) -> u8 {
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
        major: None,
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
    prepare_with(lib, event, forces, priors, &|a| {
        let e = table.for_actor(lib, a, event.date);
        ActorFacts {
            capability: e.map(|e| e.cinc),
            major: e.and_then(|e| e.major),
        }
    })
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
    let capability = |a: ActorId| facts(a).capability;
    let attacker_score = capability(event.attacker);
    let assessment = obligations(lib, event);
    // Every obligation answers; an obligor's obligations stand together, strongest first.
    let mut best: Vec<&casus_engine::Obligation> = assessment.obligations.iter().collect();
    best.sort_by(|a, b| {
        lib.actor(a.obligor)
            .id
            .cmp(&lib.actor(b.obligor).id)
            .then(b.strength.cmp(&a.strength))
            .then(a.commitment.cmp(&b.commitment))
            .then(a.clause.cmp(&b.clause))
    });
    let attacker_nuclear = lib.nuclear_armed(event.attacker, event.date) == Truth::Yes;
    let stationed = |a: ActorId| {
        forces
            .iter()
            .chain(lib.commitments.iter().flat_map(|c| c.forces.iter()))
            .any(|f| f.from == a && f.stationed_in == event.target)
    };
    let mut guarantors: Vec<Guarantor> = best
        .iter()
        .map(|o| {
            let c = lib.commitment(o.commitment);
            let clause = &c.clauses[o.clause];
            let a = Some(o.obligor);
            let mut effects: Vec<(&'static str, f64)> = Vec::new();
            let mut add = |id: &'static str| effects.push((id, priors.value(id, a)));
            add(match o.strength {
                Strength::Consult => "honour.strength.consult",
                Strength::SeekUnAction => "honour.strength.seek_un_action",
                Strength::Assist => "honour.strength.assist",
                Strength::ActionDeemedNecessary => "honour.strength.action_deemed_necessary",
                Strength::MilitaryAssistance => "honour.strength.military_assistance",
            });
            add(match c.binding {
                Binding::Legal => "honour.binding.legal",
                Binding::Disputed => "honour.binding.disputed",
                Binding::Political => "honour.binding.political",
                Binding::None => "honour.binding.none",
            });
            for inst in &c.institutions {
                add(match inst {
                    Institution::IntegratedCommand => "honour.institution.integrated_command",
                    Institution::StandingBody => "honour.institution.standing_body",
                });
            }
            let tripwire = stationed(o.obligor);
            if tripwire {
                add("honour.tripwire");
            }
            if attacker_nuclear {
                add("honour.attacker_nuclear");
            }
            let own = facts(o.obligor);
            let mut scaled = |id: &'static str, x: f64| effects.push((id, priors.value(id, a) * x));
            if let Some(x) = own
                .capability
                .zip(attacker_score)
                .and_then(|(c, k)| capability_decades(c, k))
            {
                scaled("honour.capability", x);
            }
            if own.major == Some(true) {
                scaled("honour.major_power", 1.0);
            }
            let distance = distance_km(lib, o.obligor, event.target);
            if let Some(d) = distance {
                scaled("honour.proximity", nearness_decades(d));
            }
            let mut add = |id: &'static str| effects.push((id, priors.value(id, a)));
            add("honour.stake");
            let x = logit(priors.value("honour.base_rate", a)) + effects.iter().map(|(_, v)| v).sum::<f64>();
            let requirement = clause
                .domestic
                .iter()
                .filter(|d| d.applies_to.is_empty() || d.applies_to.contains(&o.obligor))
                .map(|d| d.requirement)
                .max_by_key(|r| requirement_rank(*r))
                .unwrap_or(Requirement::NoneStated);
            let (p_approve, approve_median) = match requirement {
                Requirement::NoneStated => (1.0, 0.0),
                Requirement::Executive => (
                    priors.value("approval.executive.p", a),
                    priors.value("approval.executive.median_days", a),
                ),
                Requirement::ConstitutionalProcesses => (
                    priors.value("approval.constitutional_processes.p", a),
                    priors.value("approval.constitutional_processes.median_days", a),
                ),
                Requirement::LegislativeApproval => (
                    priors.value("approval.legislative_approval.p", a),
                    priors.value("approval.legislative_approval.median_days", a),
                ),
            };
            let decide_median = match clause.decision.rule {
                DecisionRule::Individual => priors.value("delay.decision.individual.median_days", a),
                DecisionRule::Consensus | DecisionRule::QualifiedMajority { .. } => {
                    priors.value("delay.decision.consensus.median_days", a)
                }
                DecisionRule::SingleActor { .. } => {
                    priors.value("delay.decision.single_actor.median_days", a)
                }
            };
            let deploy_median = if tripwire {
                priors.value("delay.deploy.stationed.median_days", a)
            } else {
                priors.value("delay.deploy.remote.median_days", a)
            };
            let share = match o.strength {
                Strength::Consult | Strength::SeekUnAction => 0.0,
                Strength::Assist => priors.value("capability.share.assist", a),
                Strength::ActionDeemedNecessary => {
                    priors.value("capability.share.action_deemed_necessary", a)
                }
                Strength::MilitaryAssistance => priors.value("capability.share.military_assistance", a),
            };
            Guarantor {
                actor: o.obligor,
                same_as_previous: false,
                commitment: o.commitment,
                clause: o.clause,
                strength: o.strength,
                military: o.strength.includes_force(),
                support: o.strength >= Strength::Assist,
                nuclear: lib.nuclear_armed(o.obligor, event.date) == Truth::Yes,
                tripwire,
                capability_score: own.capability,
                capability_share: None,
                distance_km: distance,
                major_power: own.major,
                lead: false,
                p_honour: logistic(x),
                effects,
                requirement,
                p_approve,
                decide: Delay {
                    median: decide_median,
                    sigma: priors.value("delay.decision.sigma", a),
                },
                approve: Delay {
                    median: approve_median,
                    sigma: priors.value("delay.approval.sigma", a),
                },
                deploy: Delay {
                    median: deploy_median,
                    sigma: priors.value("delay.deploy.sigma", a),
                },
                capability: capability(o.obligor).map(|c| c * share),
                gate: Gate::Alone,
            }
        })
        .collect();
    for i in 1..guarantors.len() {
        guarantors[i].same_as_previous = guarantors[i].actor == guarantors[i - 1].actor;
    }
    // Decision rules: bodies deciding together, and guarantors acting in concert with a decider.
    let mut groups: Vec<DecisionGroup> = Vec::new();
    for i in 0..guarantors.len() {
        let c = lib.commitment(guarantors[i].commitment);
        let clause = &c.clauses[guarantors[i].clause];
        match &clause.decision.rule {
            DecisionRule::Individual => {}
            DecisionRule::Consensus | DecisionRule::QualifiedMajority { .. } => {
                let key = (guarantors[i].commitment, guarantors[i].clause);
                let members: Vec<usize> = (0..guarantors.len())
                    .filter(|&j| (guarantors[j].commitment, guarantors[j].clause) == key)
                    .collect();
                let need = match clause.decision.rule {
                    DecisionRule::QualifiedMajority {
                        numerator,
                        denominator,
                    } => (members.len() * numerator as usize)
                        .div_ceil(denominator as usize)
                        .max(1),
                    _ => members.len(),
                };
                let body = clause.decision.body.clone().unwrap_or_else(|| c.title.clone());
                let g = DecisionGroup { members, need, body };
                let index = groups.iter().position(|x| *x == g).unwrap_or_else(|| {
                    groups.push(g);
                    groups.len() - 1
                });
                guarantors[i].gate = Gate::Group(index);
            }
            DecisionRule::SingleActor { by } => {
                // The decider's obligation under the same document, else its strongest.
                let decides = |j: usize| by.iter().any(|b| *b == lib.actor(guarantors[j].actor).id);
                let leader = (0..guarantors.len())
                    .find(|&j| decides(j) && guarantors[j].commitment == guarantors[i].commitment)
                    .or_else(|| (0..guarantors.len()).find(|&j| decides(j)));
                if let Some(j) = leader.filter(|&j| j != i) {
                    guarantors[i].gate = Gate::Follows(j);
                }
            }
        }
    }
    // A follower of a follower follows the first leader (one level, no cycles).
    for i in 0..guarantors.len() {
        if let Gate::Follows(j) = guarantors[i].gate {
            if let Gate::Follows(k) = guarantors[j].gate {
                guarantors[i].gate = if k == i { Gate::Alone } else { Gate::Follows(k) };
            }
        }
    }
    let lead = lead_guarantor(&guarantors);
    set_shares_and_lead(&mut guarantors, lead);
    Prepared {
        guarantors,
        groups,
        rho: priors.value("honour.common_shock", None),
        attacker_capability: attacker_score,
        lead,
    }
}

/// The lead guarantor among those bound to use force: the decider that most military
/// guarantors follow, if any follows one; else the largest committed capability (ties to
/// the first in lane order). `None` if nobody is bound to use force or no capability is known.
pub fn lead_guarantor(g: &[Guarantor]) -> Option<ActorId> {
    let mut followed = vec![0usize; g.len()];
    for x in g.iter().filter(|x| x.military) {
        if let Gate::Follows(j) = x.gate {
            followed[j] += 1;
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
