//! Following obligations through the alliance network. The first act is the event;
//! each state bound to the victim joins the victim's side and, in the model, strikes
//! back at the aggressor's home territory. That counter-strike is a new act, which may
//! bind the aggressor's own allies, and so on, up to a depth. A counter-strike counts as
//! provoked by the state it answers, so clauses that exclude provoked attacks stay quiet.

use std::collections::{BTreeMap, BTreeSet};

use casus_model::*;

use crate::obligations::obligations;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Attacker,
    Defender,
}

/// One step of a chain: `obligor` owes `beneficiary` under a clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub commitment: CommitmentId,
    pub clause: usize,
    pub obligor: ActorId,
    pub beneficiary: ActorId,
    pub strength: Strength,
}

#[derive(Debug, Clone)]
pub struct Joiner {
    pub actor: ActorId,
    pub side: Side,
    /// 0 for the attacker and the target.
    pub depth: usize,
    /// How it was drawn in, from the original event outwards.
    pub chain: Vec<Link>,
    pub nuclear: Truth,
}

#[derive(Debug, Clone)]
pub struct Cascade {
    pub event: Event,
    pub depth: usize,
    pub min_strength: Strength,
    pub joiners: Vec<Joiner>,
    /// States that owe both sides; the first obligation found placed them.
    pub cross_pressured: Vec<(ActorId, Link)>,
    /// Obligations the data leaves open, which the cascade did not follow.
    pub undetermined: Vec<(ActorId, Link)>,
}

struct Act {
    aggressor: ActorId,
    victim: ActorId,
    place: PlaceId,
    provoked: bool,
    chain: Vec<Link>,
}

pub fn cascade(lib: &Library, event: &Event, depth: usize, min_strength: Strength) -> Cascade {
    let date = event.date;
    let mut sides: BTreeMap<ActorId, Joiner> = BTreeMap::new();
    let mut order = vec![event.attacker];
    if event.target != event.attacker {
        order.push(event.target);
    }
    for (a, side) in [(event.target, Side::Defender), (event.attacker, Side::Attacker)] {
        sides.insert(
            a,
            Joiner {
                actor: a,
                side,
                depth: 0,
                chain: vec![],
                nuclear: lib.nuclear_armed(a, date),
            },
        );
    }
    let mut out = Cascade {
        event: event.clone(),
        depth,
        min_strength,
        joiners: vec![],
        cross_pressured: vec![],
        undetermined: vec![],
    };
    let mut frontier = vec![Act {
        aggressor: event.attacker,
        victim: event.target,
        place: event.place,
        provoked: event.provoked,
        chain: vec![],
    }];
    let mut seen_acts: BTreeSet<(ActorId, ActorId)> = BTreeSet::new();
    for level in 1..=depth {
        // A level with no new act adds nobody: deeper levels would be empty too (a depth of
        // 10^10 once looped 24 s over empty levels, #16 item 11).
        if frontier.is_empty() {
            break;
        }
        let mut next = Vec::new();
        for act in frontier {
            if !seen_acts.insert((act.aggressor, act.victim)) {
                continue;
            }
            let ev = Event {
                attacker: act.aggressor,
                target: act.victim,
                place: act.place,
                provoked: act.provoked,
                against: if level == 1 {
                    event.against
                } else {
                    Object::Territory
                },
                ..event.clone()
            };
            let victim_side = sides[&act.victim].side;
            let assessment = obligations(lib, &ev);
            for ob in assessment
                .obligations
                .iter()
                .filter(|o| o.strength >= min_strength)
            {
                let link = Link {
                    commitment: ob.commitment,
                    clause: ob.clause,
                    obligor: ob.obligor,
                    beneficiary: ob.beneficiary,
                    strength: ob.strength,
                };
                if let Some(j) = sides.get(&ob.obligor) {
                    if j.side != victim_side && !out.cross_pressured.iter().any(|(a, _)| *a == ob.obligor) {
                        out.cross_pressured.push((ob.obligor, link));
                    }
                    continue;
                }
                let mut chain = act.chain.clone();
                chain.push(link);
                sides.insert(
                    ob.obligor,
                    Joiner {
                        actor: ob.obligor,
                        side: victim_side,
                        depth: level,
                        chain: chain.clone(),
                        nuclear: lib.nuclear_armed(ob.obligor, date),
                    },
                );
                order.push(ob.obligor);
                if let Some(home) = lib.actor(act.aggressor).home {
                    next.push(Act {
                        aggressor: ob.obligor,
                        victim: act.aggressor,
                        place: home,
                        provoked: true,
                        chain,
                    });
                }
            }
            for u in assessment.unknown.iter().filter(|u| {
                lib.commitment(u.commitment).clauses[u.clause]
                    .strength
                    .is_some_and(|s| s >= min_strength)
            }) {
                let clause = &lib.commitment(u.commitment).clauses[u.clause];
                let link = Link {
                    commitment: u.commitment,
                    clause: u.clause,
                    obligor: u.obligor.unwrap_or(act.victim),
                    beneficiary: act.victim,
                    strength: clause.strength.unwrap_or(Strength::Consult),
                };
                let who = u.obligor.unwrap_or(act.victim);
                if !out
                    .undetermined
                    .iter()
                    .any(|(a, l)| *a == who && l.commitment == link.commitment && l.clause == link.clause)
                {
                    out.undetermined.push((who, link));
                }
            }
        }
        frontier = next;
    }
    out.joiners = order
        .into_iter()
        .map(|a| sides.remove(&a).expect("every ordered actor has a side"))
        .collect();
    out
}
