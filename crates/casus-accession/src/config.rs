//! The model's stated inputs, read from the library's parameters (each a cited value or a
//! labelled assumption): the fallback delays, the opponents' rate of change with its range,
//! and the prior for members with no recorded stance. A missing parameter is an error that
//! names it, never a number made up here.

use casus_model::*;

use crate::fit::Fallbacks;
use crate::members::UnknownPrior;
use crate::simulate::{Setup, Structure};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingParameter(pub String);

impl std::fmt::Display for MissingParameter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the library gives no value for the parameter `{}`", self.0)
    }
}

impl std::error::Error for MissingParameter {}

fn param<'a>(lib: &'a Library, id: &str) -> Result<&'a Parameter, MissingParameter> {
    lib.parameters
        .iter()
        .find(|p| p.id == id && p.actor.is_none())
        .ok_or_else(|| MissingParameter(id.to_string()))
}

fn value(lib: &Library, id: &str) -> Result<f64, MissingParameter> {
    param(lib, id).map(|p| p.value)
}

/// The fallback delays, where history has fewer than two cases.
pub fn fallbacks(lib: &Library) -> Result<Fallbacks, MissingParameter> {
    Ok(Fallbacks {
        holdout_median_days: value(lib, "accession.holdout.median_days")?,
        holdout_sigma: value(lib, "accession.holdout.sigma")?,
        invitation_to_protocol_days: value(lib, "accession.invitation_to_protocol.median_days")?,
        deposit_days: value(lib, "accession.deposit.median_days")?,
        pooling_weight: value(lib, "accession.procedure_pooling_weight")?,
    })
}

/// The rate at which an opponent changes its mind, per year.
pub fn opposes_change_per_year(lib: &Library) -> Result<f64, MissingParameter> {
    value(lib, "accession.opposes_change_per_year")
}

/// The prior for members with no recorded stance, with its provenance as the basis.
pub fn unknown_prior(lib: &Library) -> Result<UnknownPrior, MissingParameter> {
    let ids = [
        "accession.unknown.p_supports",
        "accession.unknown.p_conditional",
        "accession.unknown.p_opposes",
    ];
    let ps = ids.map(|id| param(lib, id));
    let [s, c, o] = ps;
    let (s, c, o) = (s?, c?, o?);
    let basis = match &s.provenance {
        Provenance::Source(x) => format!("source: {x}"),
        Provenance::Assumption(x) => format!("assumption: {x}"),
    };
    Ok(UnknownPrior {
        supports: s.value,
        conditional: c.value,
        opposes: o.value,
        basis,
    })
}

/// The structural ranges: the opponents' rate between its stated low and high, a fallback
/// median's log-sd from the holdout fallback's stated range (read as a 90% range).
pub fn structure(lib: &Library, worlds: u64) -> Result<Structure, MissingParameter> {
    let rate = param(lib, "accession.opposes_change_per_year")?;
    let holdout = param(lib, "accession.holdout.median_days")?;
    let log_sd = match (holdout.low, holdout.high) {
        (Some(l), Some(h)) if l > 0.0 && h > l => (h / l).ln() / (2.0 * 1.645),
        _ => 0.0,
    };
    Ok(Structure {
        worlds,
        opposes_change_per_year: (rate.low.unwrap_or(rate.value), rate.high.unwrap_or(rate.value)),
        fallback_log_sd: log_sd,
    })
}

/// Everything a forecast needs from the library beyond the query.
pub fn setup(lib: &Library, worlds: Option<u64>) -> Result<Setup, MissingParameter> {
    Ok(Setup {
        unknown: unknown_prior(lib)?,
        structure: worlds.map(|w| structure(lib, w)).transpose()?,
    })
}
