//! Why two designs differ: the difference in a figure between option A and option B,
//! shared among the factors that make a design (Shapley values). A factor is switched
//! from A to B by building a hybrid: the guarantors of one option with, factor by
//! factor, the other's decision rule, domestic approval, strength, legal form,
//! institutions, forces in place or lead. Every subset of factors is simulated with the
//! same seed; each factor's share is its average marginal effect over the orders in which
//! the factors could be switched, so the shares add up to the difference exactly.
//!
//! How a factor is read from the other option: per guarantor, from the same actor's lane
//! in that option (its k-th obligation for its k-th), else from that option's lead lane,
//! else its first lane bound to use force. This is a modelling choice, stated in
//! docs/credibility.md.

use serde::Serialize;

use crate::prepare::{lead_guarantor, set_shares_and_lead, DecisionGroup, Gate, Guarantor, Prepared};
use crate::sampler::{run, RunConfig};
use crate::summary::{metrics, summarise};

/// The factors, in the order of their bits in a subset mask.
pub const FACTORS: [(&str, &str); 8] = [
    ("guarantors", "who is bound (number and identity of guarantors)"),
    (
        "decision_rule",
        "decision rule (alone, a body's consensus, or one decider others follow)",
    ),
    ("domestic_approval", "domestic approval each guarantor needs"),
    (
        "strength",
        "strength of what is owed (consultation to military assistance)",
    ),
    ("legal_form", "legal form (treaty, political declaration)"),
    ("institutions", "institutions (integrated command, standing body)"),
    ("forces_in_place", "forces already in the attacked state"),
    ("lead", "who leads"),
];

const GUARANTORS: u32 = 1 << 0;
const DECISION: u32 = 1 << 1;
const APPROVAL: u32 = 1 << 2;
const STRENGTH: u32 = 1 << 3;
const LEGAL: u32 = 1 << 4;
const INSTITUTIONS: u32 = 1 << 5;
const FORCES: u32 = 1 << 6;
const LEAD: u32 = 1 << 7;

#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    pub factor: &'static str,
    pub label: &'static str,
    pub contribution: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub metric: String,
    pub from_value: f64,
    pub to_value: f64,
    /// `to_value - from_value`; the contributions add up to it.
    pub difference: f64,
    pub factors: Vec<Contribution>,
    pub trials: u64,
}

/// Exact Shapley values of `n` players for a value function of subset masks.
pub fn shapley(n: usize, v: &dyn Fn(u32) -> f64) -> Vec<f64> {
    let values: Vec<f64> = (0..1u32 << n).map(v).collect();
    let fact = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let total = fact(n);
    (0..n)
        .map(|i| {
            let bit = 1u32 << i;
            (0..1u32 << n)
                .filter(|s| s & bit == 0)
                .map(|s| {
                    let k = s.count_ones() as usize;
                    fact(k) * fact(n - k - 1) / total * (values[(s | bit) as usize] - values[s as usize])
                })
                .sum()
        })
        .collect()
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    (p / (1.0 - p)).ln()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The lane of `y` that stands for lane `i` of `x` (same actor, same rank among its
/// obligations; else `y`'s lead lane; else its first military lane; else its first).
fn counterpart<'a>(x: &Prepared, i: usize, y: &'a Prepared) -> Option<&'a Guarantor> {
    let g = &x.guarantors[i];
    let rank = x.guarantors[..i].iter().filter(|h| h.actor == g.actor).count();
    let same: Vec<&Guarantor> = y.guarantors.iter().filter(|h| h.actor == g.actor).collect();
    same.get(rank)
        .or(same.first())
        .copied()
        .or_else(|| y.lead.and_then(|l| y.guarantors.iter().find(|h| h.actor == l)))
        .or_else(|| y.guarantors.iter().find(|h| h.military))
        .or(y.guarantors.first())
}

/// Replaces the effects whose parameter starts with `prefix` by those of `from`.
fn swap_effects(g: &mut Guarantor, from: &Guarantor, prefix: &str) {
    g.effects.retain(|(id, _)| !id.starts_with(prefix));
    g.effects.extend(
        from.effects
            .iter()
            .filter(|(id, _)| id.starts_with(prefix))
            .copied(),
    );
}

/// How an option decides, for a hybrid that takes its decision rule.
enum Rule {
    Individual,
    /// One body of all lanes bound to use force, needing this share of them.
    Body(f64),
    /// Everyone bound to use force follows the lead.
    Decider,
}

fn rule_of(p: &Prepared) -> Rule {
    if p.guarantors.iter().any(|g| matches!(g.gate, Gate::Follows(_))) {
        Rule::Decider
    } else if let Some(g) = p.groups.first() {
        Rule::Body(g.need as f64 / g.members.len().max(1) as f64)
    } else {
        Rule::Individual
    }
}

/// The hybrid of `a` and `b` taking from `b` the factors in `mask`.
pub fn hybrid(a: &Prepared, b: &Prepared, mask: u32) -> Prepared {
    let pick = |bit: u32| if mask & bit != 0 { b } else { a };
    let x = pick(GUARANTORS);
    let mut lanes: Vec<Guarantor> = x.guarantors.clone();
    for (i, g) in lanes.iter_mut().enumerate() {
        let base = logit(g.p_honour) - g.effects.iter().map(|(_, v)| v).sum::<f64>();
        let other = |bit: u32| {
            let y = pick(bit);
            if std::ptr::eq(y, x) {
                None
            } else {
                counterpart(x, i, y)
            }
        };
        if let Some(s) = other(STRENGTH) {
            let share = match (s.capability, s.capability_score) {
                (Some(c), Some(k)) if k > 0.0 => Some(c / k),
                _ => None,
            };
            g.strength = s.strength;
            g.military = s.military;
            g.support = s.support;
            g.capability = g.capability_score.zip(share).map(|(k, f)| k * f).or(g.capability);
            swap_effects(g, s, "honour.strength.");
        }
        if let Some(s) = other(LEGAL) {
            swap_effects(g, s, "honour.binding.");
        }
        if let Some(s) = other(INSTITUTIONS) {
            swap_effects(g, s, "honour.institution.");
        }
        if let Some(s) = other(APPROVAL) {
            g.requirement = s.requirement;
            g.p_approve = s.p_approve;
            g.approve = s.approve;
        }
        if let Some(s) = other(FORCES) {
            g.tripwire = s.tripwire;
            g.deploy = s.deploy;
            swap_effects(g, s, "honour.tripwire");
        }
        if let Some(s) = other(DECISION) {
            g.decide = s.decide;
        }
        g.p_honour = logistic(base + g.effects.iter().map(|(_, v)| v).sum::<f64>());
    }
    // The lead: the other option's, if that actor is among these guarantors.
    let lead_source = pick(LEAD);
    let lead = if std::ptr::eq(lead_source, x) {
        x.lead
    } else {
        lead_source
            .lead
            .filter(|l| lanes.iter().any(|g| g.actor == *l))
            .or_else(|| lead_guarantor(&lanes))
    };
    let rules = pick(DECISION);
    let mut groups = x.groups.clone();
    if !std::ptr::eq(rules, x) || !std::ptr::eq(lead_source, x) {
        groups.clear();
        for g in lanes.iter_mut() {
            g.gate = Gate::Alone;
        }
        match rule_of(rules) {
            Rule::Individual => {}
            Rule::Body(share) => {
                let members: Vec<usize> = (0..lanes.len()).filter(|&i| lanes[i].military).collect();
                if !members.is_empty() {
                    let need = ((members.len() as f64 * share).ceil() as usize).clamp(1, members.len());
                    for &m in &members {
                        lanes[m].gate = Gate::Group(0);
                    }
                    groups.push(DecisionGroup {
                        members,
                        need,
                        body: "hybrid".into(),
                    });
                }
            }
            Rule::Decider => {
                // The lead's strongest lane decides; every other military lane follows it.
                // Without a lead among these guarantors, nobody decides, and a body that
                // needs more members than it has stands for that.
                let military: Vec<usize> = (0..lanes.len()).filter(|&i| lanes[i].military).collect();
                match lead.and_then(|l| lanes.iter().position(|g| g.actor == l)) {
                    Some(j) => {
                        for &i in &military {
                            if lanes[i].actor != lanes[j].actor {
                                lanes[i].gate = Gate::Follows(j);
                            }
                        }
                    }
                    None if !military.is_empty() => {
                        for &i in &military {
                            lanes[i].gate = Gate::Group(0);
                        }
                        groups.push(DecisionGroup {
                            need: military.len() + 1,
                            members: military,
                            body: "no decider".into(),
                        });
                    }
                    None => {}
                }
            }
        }
    }
    set_shares_and_lead(&mut lanes, lead);
    Prepared {
        guarantors: lanes,
        groups,
        rho: x.rho,
        attacker_capability: x.attacker_capability,
        lead,
    }
}

/// The value of `metric` (a name from [`metrics`]; 0 where the figure does not apply).
fn value_of(p: &Prepared, r: &crate::sampler::OptionRun, metric: &str) -> f64 {
    metrics(&summarise(p, r))
        .into_iter()
        .find(|(n, _)| *n == metric)
        .map_or(0.0, |(_, v)| v)
}

/// Decomposes `metric(b) - metric(a)` over [`FACTORS`], simulating every hybrid with the
/// same seed and `cfg.trials` trials.
pub fn explain_difference(a: &Prepared, b: &Prepared, metric: &str, cfg: &RunConfig) -> Difference {
    let n = FACTORS.len();
    let hybrids: Vec<Prepared> = (0..1u32 << n).map(|m| hybrid(a, b, m)).collect();
    let cfg = RunConfig {
        keep_trials: false,
        ..cfg.clone()
    };
    let runs = run(&hybrids, &cfg, &mut |_, _| {});
    let values: Vec<f64> = hybrids
        .iter()
        .zip(&runs)
        .map(|(p, r)| value_of(p, r, metric))
        .collect();
    let phi = shapley(n, &|m| values[m as usize]);
    let (from_value, to_value) = (values[0], values[(1 << n) - 1]);
    Difference {
        metric: metric.to_string(),
        from_value,
        to_value,
        difference: to_value - from_value,
        factors: FACTORS
            .iter()
            .zip(phi)
            .map(|(&(factor, label), contribution)| Contribution {
                factor,
                label,
                contribution,
            })
            .collect(),
        trials: runs.first().map_or(0, |r| r.tally.trials),
    }
}

#[cfg(test)]
mod tests {
    use super::shapley;

    #[test]
    fn shapley_values_of_a_known_game() {
        // v(S) = |S|² on three players: symmetric, so each gets v(N)/3 = 3.
        let phi = shapley(3, &|m| f64::from(m.count_ones()).powi(2));
        assert!(phi.iter().all(|x| (x - 3.0).abs() < 1e-12), "{phi:?}");
        // An additive game: each player gets its own worth; a dummy gets nothing.
        let w = [1.0, -2.0, 0.0, 5.0];
        let phi = shapley(4, &|m| (0..4).filter(|i| m >> i & 1 == 1).map(|i| w[i]).sum());
        assert!(phi.iter().zip(w).all(|(a, b)| (a - b).abs() < 1e-12), "{phi:?}");
        // Interaction: v = 1 only with both players 0 and 1; they share it.
        let phi = shapley(3, &|m| f64::from(u8::from(m & 3 == 3)));
        assert_eq!(phi, [0.5, 0.5, 0.0]);
    }
}
