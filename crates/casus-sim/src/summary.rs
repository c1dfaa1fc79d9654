//! The figures a run reports, each with its Monte Carlo error.

use serde::Serialize;

use crate::prepare::{Gate, Prepared};
use crate::sampler::{OptionRun, CAPABILITY_MULTIPLES};
use crate::stats::{Estimate, DAYS_MAX};

#[derive(Debug, Clone, Serialize)]
pub struct CapabilitySummary {
    pub p05: Estimate,
    pub p50: Estimate,
    pub p95: Estimate,
    pub mean: Estimate,
    /// P(committed capability at least the attacker's).
    pub p_exceeds_attacker: Estimate,
    /// P(committed capability ≥ k × the attacker's), for k = 0.5, 1, 2.
    pub p_at_least: Vec<(f64, Estimate)>,
    /// P(the military responders that have arrived commit the attacker's capability
    /// within 30 days), and the median days until they do (`None`: in fewer than half of
    /// the trials within 120 days).
    pub p_parity_within_30_days: Estimate,
    pub parity_median_days: Option<f64>,
    /// P(parity by day d), d = 0..=DAYS_MAX.
    pub parity_curve: Vec<Estimate>,
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
    /// Its share of the guarantors' combined capability score, where every score is known.
    pub capability_share: Option<f64>,
    /// A lane of the lead guarantor.
    pub lead: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub trials: u64,
    pub p_any_military_response: Estimate,
    pub p_nuclear_guarantor_response: Estimate,
    /// P(the lead guarantor responds with force); `None` if there is no lead.
    pub p_lead_military_response: Option<Estimate>,
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
        p_at_least: CAPABILITY_MULTIPLES
            .iter()
            .zip(&t.cap_ge)
            .map(|(&k, &c)| (k, Estimate::proportion(c, n)))
            .collect(),
        p_parity_within_30_days: t.parity_within(30.0),
        parity_median_days: t.parity_quantile(0.5),
        parity_curve: (0..=DAYS_MAX).map(|d| t.parity_within(d as f64)).collect(),
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
            capability_share: g.capability_share,
            lead: g.lead,
        })
        .collect();
    Summary {
        trials: n,
        p_any_military_response: Estimate::proportion(t.any_military, n),
        p_nuclear_guarantor_response: Estimate::proportion(t.nuclear_military, n),
        p_lead_military_response: p.lead.map(|_| Estimate::proportion(t.lead_military, n)),
        p_military_within_7_days: Estimate::proportion(t.within_7, n),
        p_military_within_30_days: Estimate::proportion(t.within_30, n),
        p_any_support: Estimate::proportion(t.any_support, n),
        p_any_response: Estimate::proportion(t.any_response, n),
        response_curve: (0..=DAYS_MAX).map(|d| t.within(d as f64)).collect(),
        capability,
        guarantors,
    }
}

/// Every name [`metrics`] can give, for callers that let users pick one.
pub const METRIC_NAMES: [&str; 15] = [
    "p_any_military_response",
    "p_nuclear_guarantor_response",
    "p_military_within_7_days",
    "p_military_within_30_days",
    "p_any_support",
    "p_any_response",
    "p_lead_military_response",
    "capability_ratio_p05",
    "capability_ratio_median",
    "capability_ratio_p95",
    "capability_ratio_mean",
    "p_capability_ge_0.5",
    "p_capability_ge_1",
    "p_capability_ge_2",
    "p_parity_within_30_days",
];

/// The figures of a summary that get a band in a second-order run, by the names the JSON
/// output uses; a figure that does not apply (no lead, capability unknown) is absent.
pub fn metrics(s: &Summary) -> Vec<(&'static str, f64)> {
    let mut m = vec![
        ("p_any_military_response", s.p_any_military_response.estimate),
        (
            "p_nuclear_guarantor_response",
            s.p_nuclear_guarantor_response.estimate,
        ),
        ("p_military_within_7_days", s.p_military_within_7_days.estimate),
        ("p_military_within_30_days", s.p_military_within_30_days.estimate),
        ("p_any_support", s.p_any_support.estimate),
        ("p_any_response", s.p_any_response.estimate),
    ];
    if let Some(l) = s.p_lead_military_response {
        m.push(("p_lead_military_response", l.estimate));
    }
    if let Some(c) = &s.capability {
        m.push(("capability_ratio_p05", c.p05.estimate));
        m.push(("capability_ratio_median", c.p50.estimate));
        m.push(("capability_ratio_p95", c.p95.estimate));
        m.push(("capability_ratio_mean", c.mean.estimate));
        m.push(("p_capability_ge_0.5", c.p_at_least[0].1.estimate));
        m.push(("p_capability_ge_1", c.p_at_least[1].1.estimate));
        m.push(("p_capability_ge_2", c.p_at_least[2].1.estimate));
        m.push(("p_parity_within_30_days", c.p_parity_within_30_days.estimate));
    }
    m
}
