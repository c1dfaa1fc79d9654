//! The guarantor the sampler tests start from; each test file changes the fields its closed
//! form is about.

#![allow(dead_code)] // each test file uses its own subset

use casus_model::{ActorId, CommitmentId, Requirement, Strength};
use casus_sim::prepare::{Delay, Gate, Guarantor};

/// A guarantor bound to use force alone, honouring with `p`, deciding in a median of one
/// day, needing no approval, arriving at once; no capability.
pub fn guarantor(actor: u32, p: f64) -> Guarantor {
    Guarantor {
        actor: ActorId(actor),
        same_as_previous: false,
        commitment: CommitmentId(0),
        clause: 0,
        strength: Strength::ActionDeemedNecessary,
        military: true,
        support: true,
        nuclear: false,
        tripwire: false,
        capability_score: None,
        capability_share: None,
        distance_km: None,
        major_power: None,
        lead: false,
        p_honour: p,
        effects: vec![],
        requirement: Requirement::NoneStated,
        p_approve: 1.0,
        decide: days(1.0),
        approve: days(0.0),
        deploy: days(0.0),
        capability: None,
        gate: Gate::Alone,
    }
}

/// A log-normal delay with this median (days) and the tests' spread, 0.5.
pub fn days(median: f64) -> Delay {
    Delay { median, sigma: 0.5 }
}
