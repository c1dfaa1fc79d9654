//! Parameters of the credibility model: a value with its range and its provenance, a
//! cited source or a labelled assumption, never a bare number.

use serde::Serialize;

use super::*;

/// Where a parameter's value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    Source(String),
    Assumption(String),
}

/// A number the credibility model reads, with its range for sensitivity analysis.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub id: String,
    pub actor: Option<ActorId>,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub provenance: Provenance,
    pub note: Option<String>,
    /// `path:line:column` where it is written.
    pub location: String,
}
