//! Layer 2 of casus: the resolved model.
//!
//! [`load`] turns [`casus_syntax::SourceFile`]s into a [`Library`] of actors, places,
//! organisations with dated rosters, and commitments with their clauses and scenario
//! tests, collecting every [`casus_syntax::Diagnostic`] on the way. Nothing here knows
//! about any particular treaty or country: that is all data.

mod date;
mod library;
pub mod lookup;
pub mod params;
mod resolve;
mod words;

pub use date::{FuzzyDate, Spell, Truth};
pub use library::*;
pub use resolve::{load, Loaded, ALIAS_COLUMNS, COUNTRY_COLUMNS, SUBDIVISION_COLUMNS};
pub use words::*;
