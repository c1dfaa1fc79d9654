//! The figures a run reports, each with its Monte Carlo error.

use serde::Serialize;

use crate::prepare::{Gate, Prepared};
use crate::sampler::OptionRun;
use crate::stats::{Estimate, DAYS_MAX};

#[derive(Debug, Clone, Serialize)]
pub struct CapabilitySummary {
    pub p05: Estimate,
    pub p50: Estimate,
    pub p95: Estimate,
    pub mean: Estimate,
    /// P(committed capability at least the attacker's).
    pub p_exceeds_attacker: Estimate,
}

#[derive(Debug, Clone, Serialize)]
pub struct GuarantorSummary {
    pub index: usize,
    /// The model's probability of honouring, before approval and decision rules.
    pub p_honour: f64,
    pub p_approve: f64,
    /// Simulated: honoured, approved, and not blocked by the decision rule.
    pub p_responds: Estimate,
    pub military: bool,
    pub nuclear: bool,
    pub tripwire: bool,
    pub waits_for: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub trials: u64,
    pub p_any_military_response: Estimate,
    pub p_nuclear_guarantor_response: Estimate,
    pub p_military_within_7_days: Estimate,
    pub p_military_within_30_days: Estimate,
    pub p_any_support: Estimate,
    pub p_any_response: Estimate,
    /// P(a military response has arrived by day d), d = 0..=DAYS_MAX.
    pub response_curve: Vec<Estimate>,
    pub capability: Option<CapabilitySummary>,
    pub guarantors: Vec<GuarantorSummary>,
}

pub fn summarise(p: &Prepared, r: &OptionRun) -> Summary {
    let t = &r.tally;
    let n = t.trials;
    let capability = p.capability_known().then(|| CapabilitySummary {
        p05: t.capability_quantile(0.05),
        p50: t.capability_quantile(0.5),
        p95: t.capability_quantile(0.95),
        mean: t.cap_mean.estimate(),
        p_exceeds_attacker: Estimate::proportion(t.cap_exceeds, n),
    });
    let guarantors = p
        .guarantors
        .iter()
        .enumerate()
        .map(|(i, g)| GuarantorSummary {
            index: i,
            p_honour: g.p_honour,
            p_approve: g.p_approve,
            p_responds: Estimate::proportion(t.responded[i], n),
            military: g.military,
            nuclear: g.nuclear,
            tripwire: g.tripwire,
            waits_for: match g.gate {
                Gate::Alone => None,
                Gate::Group(k) => Some(format!(
                    "{} ({} of {} must agree)",
                    p.groups[k].body,
                    p.groups[k].need,
                    p.groups[k].members.len()
                )),
                Gate::Follows(_) => Some("the deciding guarantor".into()),
            },
        })
        .collect();
    Summary {
        trials: n,
        p_any_military_response: Estimate::proportion(t.any_military, n),
        p_nuclear_guarantor_response: Estimate::proportion(t.nuclear_military, n),
        p_military_within_7_days: Estimate::proportion(t.within_7, n),
        p_military_within_30_days: Estimate::proportion(t.within_30, n),
        p_any_support: Estimate::proportion(t.any_support, n),
        p_any_response: Estimate::proportion(t.any_response, n),
        response_curve: (0..=DAYS_MAX).map(|d| t.within(d as f64)).collect(),
        capability,
        guarantors,
    }
}
