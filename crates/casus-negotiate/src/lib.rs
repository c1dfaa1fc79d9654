//! The negotiation layer of casus: where could a deal lie, and where will talks end?
//!
//! Inputs are issues (continua with labelled ends and an optional status quo) and the
//! actors' stakes in them (capability, position, salience, optional red line). The
//! models are pure functions of those inputs — no I/O, no clock, no printing:
//!
//! - [`compromise`]: the capability × salience weighted mean and the weighted median,
//!   the baselines every other model must beat;
//! - [`nash`]: the (asymmetric) Nash bargaining solution on a continuum with a
//!   disagreement point;
//! - [`space`]: the bargaining space across issues — per-issue zones of agreement from
//!   red lines, packages, the Pareto frontier and the Nash package;
//! - [`eum`]: Bueno de Mesquita's expected utility model as reconstructed by Scholz,
//!   Calbert & Smith (2011), with the ambiguities of the published text as [`eum::Settings`],
//!   O(n²) per round, and [`cycle`]: whether a run settles, cycles or keeps moving;
//! - [`discrete`]: additive utilities over discrete issues (Genius/ANAC domains);
//! - [`deu`]: the DEU III data of EU legislative decisions and the models' errors on it.
//!
//! Parsing of user files (CSV of one issue, TOML scenarios) is in [`parse`], with
//! located [`casus_syntax::Diagnostic`]s.

pub mod compromise;
pub mod cycle;
pub mod deu;
pub mod discrete;
pub mod eum;
pub mod nash;
pub mod parse;
pub mod space;
mod types;

pub use types::{Actor, Issue, Scenario, Stake};
