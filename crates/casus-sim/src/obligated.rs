//! The first stage of preparing an option: what the engine's obligations and the facts about
//! each actor give, before any prior is read. Who is bound, how strongly, under which
//! commitment and decision rule, whom it waits for, its capability, distance, alignment and
//! record: none of it depends on the priors, so a sweep computes it once per option and
//! attack and applies each row's priors with [`Obligated::with_priors`].

use casus_engine::obligations;
use casus_model::*;

use crate::prepare::{
    capability_decades, distance_km, lead_guarantor, logistic, logit, nearness_decades, requirement_rank,
    set_shares_and_lead, ActorFacts, DecisionGroup, Delay, Gate, Guarantor, Prepared, Relations,
};
use crate::priors::Priors;
use crate::relations::{record_log_odds, RecordKind};

/// The ids of the priors an option's lanes read, each once. Lanes name a prior by its index
/// here, so that a draw's values are looked up once per [`Obligated::with_priors`], not once
/// per lane and effect (a lookup by name is the slow part of applying the priors).
#[derive(Debug, Clone)]
struct Ids(Vec<&'static str>);

/// Read by every lane; interned first, at these indices.
const SHARED: [&str; 6] = [
    "honour.base_rate",
    "delay.decision.sigma",
    "delay.approval.sigma",
    "delay.deploy.sigma",
    "honour.alignment",
    "honour.alignment.reference",
];
const BASE_RATE: usize = 0;
const DECISION_SIGMA: usize = 1;
const APPROVAL_SIGMA: usize = 2;
const DEPLOY_SIGMA: usize = 3;
const ALIGNMENT: usize = 4;
const ALIGNMENT_REFERENCE: usize = 5;

impl Ids {
    fn of(&mut self, id: &'static str) -> usize {
        self.0.iter().position(|x| *x == id).unwrap_or_else(|| {
            self.0.push(id);
            self.0.len() - 1
        })
    }
}

/// One log-odds effect of an obligor's honour model, as the priors will weigh it (a prior
/// by its index in [`Ids`]).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Term {
    /// The prior's value.
    Value(usize),
    /// The prior's value times an input of the obligor (capability, nearness, record …).
    Scaled(usize, f64),
    /// `honour.alignment` × (this similarity − `honour.alignment.reference`).
    Alignment(f64),
}

/// What the priors give one lane (priors by their index in [`Ids`]): its effects, its
/// approval (probability, median delay) if it needs one, its decision and deployment delays,
/// and its share of capability committed if it commits any.
#[derive(Debug, Clone)]
struct Weights {
    terms: Vec<Term>,
    approve: Option<(usize, usize)>,
    decide: usize,
    deploy: usize,
    share: Option<usize>,
}

/// An option against one event with its obligations read and its facts looked up: the
/// priors-free stage of [`crate::prepare_full`]. It owns everything (no borrow of the library).
#[derive(Debug, Clone)]
pub struct Obligated {
    /// Each lane's guarantor with every field the priors do not set (gates included);
    /// `effects` empty, probabilities, delays and committed capability still to come.
    lanes: Vec<Guarantor>,
    weights: Vec<Weights>,
    ids: Ids,
    groups: Vec<DecisionGroup>,
    attacker_capability: Option<f64>,
}

impl Obligated {
    /// `lib` is the option's variant of the library, `forces` its hypothetical stationed
    /// forces, `facts` what the model knows of each actor, `relations` alignment and records.
    pub fn new(
        lib: &Library,
        event: &Event,
        forces: &[Forces],
        facts: &dyn Fn(ActorId) -> ActorFacts,
        relations: Relations,
    ) -> Self {
        let records = relations.records;
        let attacker_score = facts(event.attacker).capability;
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
        // Alignment with the attacked state: its portfolio gains every state the option binds
        // to use force for it (the option creates those ties: NATO membership allies Ukraine
        // with all members), the obligor's gains the attacked state. Portfolios describe one
        // year: an event before it gets no alignment ("unknown").
        let portfolios = relations
            .portfolios
            .filter(|p| chrono::Datelike::year(&event.date) >= p.year);
        let defenders: std::collections::BTreeSet<u16> = best
            .iter()
            .filter(|o| o.strength.includes_force())
            .filter_map(|o| lib.cow_code(o.obligor, event.date))
            .collect();
        let target_code = lib.cow_code(event.target, event.date);
        let alignment = |a: ActorId, given: Option<f64>| {
            given.or_else(|| portfolios?.kappa_with(lib.cow_code(a, event.date)?, target_code?, &defenders))
        };
        let stationed = |a: ActorId| {
            forces
                .iter()
                .chain(lib.commitments.iter().flat_map(|c| c.forces.iter()))
                .any(|f| f.from == a && f.stationed_in == event.target)
        };
        let mut ids = Ids(SHARED.to_vec());
        let (mut lanes, weights): (Vec<Guarantor>, Vec<Weights>) = best
            .iter()
            .map(|o| {
                let c = lib.commitment(o.commitment);
                let clause = &c.clauses[o.clause];
                let mut terms: Vec<Term> = Vec::new();
                terms.push(Term::Value(ids.of(match o.strength {
                    Strength::Consult => "honour.strength.consult",
                    Strength::SeekUnAction => "honour.strength.seek_un_action",
                    Strength::Assist => "honour.strength.assist",
                    Strength::ActionDeemedNecessary => "honour.strength.action_deemed_necessary",
                    Strength::MilitaryAssistance => "honour.strength.military_assistance",
                })));
                terms.push(Term::Value(ids.of(match c.binding {
                    Binding::Legal => "honour.binding.legal",
                    Binding::Disputed => "honour.binding.disputed",
                    Binding::Political => "honour.binding.political",
                    Binding::None => "honour.binding.none",
                })));
                // The stronger institution only: an integrated command answers to a standing
                // body, so a commitment with both would otherwise count the body twice.
                if c.institutions.contains(&Institution::IntegratedCommand) {
                    terms.push(Term::Value(ids.of("honour.institution.integrated_command")));
                } else if c.institutions.contains(&Institution::StandingBody) {
                    terms.push(Term::Value(ids.of("honour.institution.standing_body")));
                }
                let tripwire = stationed(o.obligor);
                if tripwire {
                    terms.push(Term::Value(ids.of("honour.tripwire")));
                }
                if attacker_nuclear {
                    terms.push(Term::Value(ids.of("honour.attacker_nuclear")));
                }
                let own = facts(o.obligor);
                if let Some(x) = own
                    .capability
                    .zip(attacker_score)
                    .and_then(|(c, k)| capability_decades(c, k))
                {
                    terms.push(Term::Scaled(ids.of("honour.capability"), x));
                }
                if own.major == Some(true) {
                    terms.push(Term::Scaled(ids.of("honour.major_power"), 1.0));
                }
                let distance = distance_km(lib, o.obligor, event.target);
                if let Some(d) = distance {
                    terms.push(Term::Scaled(ids.of("honour.proximity"), nearness_decades(d)));
                }
                // Alignment: zero at the base rate's cases' average similarity.
                if let Some(k) = alignment(o.obligor, own.alignment) {
                    terms.push(Term::Alignment(k));
                }
                // The record of requests of this kind under the same commitment.
                let kind = match o.strength {
                    Strength::Consult => Some(RecordKind::Consultation),
                    Strength::SeekUnAction => None,
                    _ => Some(RecordKind::Assistance),
                };
                if let Some((met, refused)) = kind.zip(records).and_then(|(k, r)| r.counts(&c.id, k)) {
                    terms.push(Term::Scaled(
                        ids.of("honour.record"),
                        record_log_odds(met, refused),
                    ));
                }
                terms.push(Term::Value(ids.of("honour.stake")));
                let requirement = clause
                    .domestic
                    .iter()
                    .filter(|d| d.applies_to.is_empty() || d.applies_to.contains(&o.obligor))
                    .map(|d| d.requirement)
                    .max_by_key(|r| requirement_rank(*r))
                    .unwrap_or(Requirement::NoneStated);
                let approve = match requirement {
                    Requirement::NoneStated => None,
                    Requirement::Executive => {
                        Some(("approval.executive.p", "approval.executive.median_days"))
                    }
                    Requirement::ConstitutionalProcesses => Some((
                        "approval.constitutional_processes.p",
                        "approval.constitutional_processes.median_days",
                    )),
                    Requirement::LegislativeApproval => Some((
                        "approval.legislative_approval.p",
                        "approval.legislative_approval.median_days",
                    )),
                };
                let decide = match clause.decision.rule {
                    DecisionRule::Individual => "delay.decision.individual.median_days",
                    DecisionRule::Consensus | DecisionRule::QualifiedMajority { .. } => {
                        "delay.decision.consensus.median_days"
                    }
                    DecisionRule::SingleActor { .. } => "delay.decision.single_actor.median_days",
                };
                let deploy = if tripwire {
                    "delay.deploy.stationed.median_days"
                } else {
                    "delay.deploy.remote.median_days"
                };
                let share = match o.strength {
                    Strength::Consult | Strength::SeekUnAction => None,
                    Strength::Assist => Some("capability.share.assist"),
                    Strength::ActionDeemedNecessary => Some("capability.share.action_deemed_necessary"),
                    Strength::MilitaryAssistance => Some("capability.share.military_assistance"),
                };
                let weights = Weights {
                    terms,
                    approve: approve.map(|(p, m)| (ids.of(p), ids.of(m))),
                    decide: ids.of(decide),
                    deploy: ids.of(deploy),
                    share: share.map(|x| ids.of(x)),
                };
                let none = Delay {
                    median: 0.0,
                    sigma: 0.0,
                };
                let guarantor = Guarantor {
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
                    p_honour: 0.0,
                    effects: Vec::new(),
                    requirement,
                    p_approve: 1.0,
                    decide: none,
                    approve: none,
                    deploy: none,
                    capability: None,
                    gate: Gate::Alone,
                };
                (guarantor, weights)
            })
            .unzip();
        for i in 1..lanes.len() {
            lanes[i].same_as_previous = lanes[i].actor == lanes[i - 1].actor;
        }
        let groups = decision_rules(lib, &mut lanes, records.map_or(&[][..], |r| &r.follows[..]));
        Self {
            lanes,
            weights,
            ids,
            groups,
            attacker_capability: attacker_score,
        }
    }

    /// [`Obligated::new`] with the figures of a capability table (CINC and major-power
    /// status) and its relations.
    pub fn with_table(
        lib: &Library,
        event: &Event,
        forces: &[Forces],
        table: &crate::capability::Table,
    ) -> Self {
        Self::new(
            lib,
            event,
            forces,
            &|a| {
                let e = table.for_actor(lib, a, event.date);
                ActorFacts {
                    capability: e.map(|e| e.cinc),
                    major: e.and_then(|e| e.major),
                    alignment: None,
                }
            },
            Relations {
                portfolios: table.portfolios.as_ref(),
                records: table.records.as_ref(),
            },
        )
    }

    /// The second stage: the priors weigh each lane's effects and give its delays, approval
    /// and committed share; the lead follows (its fallback is the largest committed capability).
    pub fn with_priors(&self, priors: &Priors) -> Prepared {
        let ids = &self.ids.0;
        let globals: Vec<f64> = ids.iter().map(|id| priors.value(id, None)).collect();
        let mut guarantors: Vec<Guarantor> = (self.lanes.iter().zip(&self.weights))
            .map(|(g, w)| w.apply(g, priors, ids, &globals))
            .collect();
        let lead = lead_guarantor(&guarantors);
        set_shares_and_lead(&mut guarantors, lead);
        Prepared {
            guarantors,
            groups: self.groups.clone(),
            rho: priors.value("honour.common_shock", None),
            attacker_capability: self.attacker_capability,
            lead,
        }
    }
}

impl Weights {
    /// The lane `g` under `priors`; `globals` are the priors' global values of `ids`.
    fn apply(&self, g: &Guarantor, priors: &Priors, ids: &[&'static str], globals: &[f64]) -> Guarantor {
        // A value given for this obligor alone comes first, as in `Priors::value`.
        let own = priors.per_actor().iter().any(|p| p.actor == Some(g.actor));
        let value = |i: usize| {
            if own {
                priors.value(ids[i], Some(g.actor))
            } else {
                globals[i]
            }
        };
        let effects: Vec<(&'static str, f64)> = self
            .terms
            .iter()
            .map(|t| match *t {
                Term::Value(i) => (ids[i], value(i)),
                Term::Scaled(i, x) => (ids[i], value(i) * x),
                Term::Alignment(k) => (
                    ids[ALIGNMENT],
                    value(ALIGNMENT) * (k - value(ALIGNMENT_REFERENCE)),
                ),
            })
            .collect();
        let x = logit(value(BASE_RATE)) + effects.iter().map(|(_, v)| v).sum::<f64>();
        let (p_approve, approve_median) = self.approve.map_or((1.0, 0.0), |(p, m)| (value(p), value(m)));
        let share = self.share.map_or(0.0, value);
        Guarantor {
            p_honour: logistic(x),
            effects,
            p_approve,
            decide: Delay {
                median: value(self.decide),
                sigma: value(DECISION_SIGMA),
            },
            approve: Delay {
                median: approve_median,
                sigma: value(APPROVAL_SIGMA),
            },
            deploy: Delay {
                median: value(self.deploy),
                sigma: value(DEPLOY_SIGMA),
            },
            capability: g.capability_score.map(|c| c * share),
            ..g.clone()
        }
    }
}

/// Decision rules: bodies deciding together, guarantors acting in concert with a decider,
/// and followers by source. Sets each guarantor's gate; returns the bodies.
fn decision_rules(
    lib: &Library,
    guarantors: &mut [Guarantor],
    follows: &[crate::relations::Follows],
) -> Vec<DecisionGroup> {
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
    // Followers by source: a guarantor deciding alone under a commitment waits for the
    // leader's decision where a source says so (its lane under the same commitment, else its
    // first lane bound to use force).
    for rule in follows {
        let is = |j: usize, who: &str| lib.actor(guarantors[j].actor).id == who;
        let of = |j: usize| lib.commitment(guarantors[j].commitment).id == rule.commitment;
        let leader = (0..guarantors.len())
            .find(|&j| is(j, &rule.leader) && of(j))
            .or_else(|| (0..guarantors.len()).find(|&j| is(j, &rule.leader) && guarantors[j].support));
        let Some(j) = leader else { continue };
        let followers: Vec<usize> = (0..guarantors.len())
            .filter(|&i| i != j && is(i, &rule.follower) && of(i) && guarantors[i].gate == Gate::Alone)
            .collect();
        for i in followers {
            guarantors[i].gate = Gate::Follows(j);
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
    groups
}
