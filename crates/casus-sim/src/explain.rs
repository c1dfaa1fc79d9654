//! Why each guarantor's probability of honouring is what it is: the base rate's log-odds,
//! each effect with its parameter and label, and the inputs the per-obligor effects read
//! (capability and its share, distance, major-power status). A typed structure; the
//! command line renders it.

use casus_model::params::spec;
use casus_model::Library;
use serde::Serialize;

use crate::prepare::Prepared;
use crate::priors::Priors;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    pub parameter: String,
    /// What the parameter means, from the model's list of parameters.
    pub label: String,
    /// Its contribution to the log-odds of honouring.
    pub log_odds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GuarantorExplain {
    pub actor: String,
    pub commitment: String,
    pub clause: String,
    pub p_honour: f64,
    /// The obligor's share of the guarantors' combined capability score.
    pub capability_share: Option<f64>,
    pub capability_score: Option<f64>,
    pub distance_km: Option<f64>,
    pub major_power: Option<bool>,
    pub lead: bool,
    /// logit of the base rate, before the effects.
    pub base_log_odds: f64,
    pub effects: Vec<Effect>,
}

fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

/// One entry per guarantor lane, in the option's order.
pub fn explain(lib: &Library, p: &Prepared, priors: &Priors) -> Vec<GuarantorExplain> {
    p.guarantors
        .iter()
        .map(|g| {
            let c = lib.commitment(g.commitment);
            GuarantorExplain {
                actor: lib.actor(g.actor).id.clone(),
                commitment: c.id.clone(),
                clause: c.clauses[g.clause].id.clone(),
                p_honour: g.p_honour,
                capability_share: g.capability_share,
                capability_score: g.capability_score,
                distance_km: g.distance_km,
                major_power: g.major_power,
                lead: g.lead,
                base_log_odds: logit(priors.value("honour.base_rate", Some(g.actor))),
                effects: g
                    .effects
                    .iter()
                    .map(|&(id, v)| Effect {
                        parameter: id.to_string(),
                        label: spec(id).map_or_else(|| id.to_string(), |s| s.about.to_string()),
                        log_odds: v,
                    })
                    .collect(),
            }
        })
        .collect()
}
