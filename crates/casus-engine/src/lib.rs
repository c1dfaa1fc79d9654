//! Layer 3 of casus: the engine.
//!
//! Given a [`casus_model::Library`] and an [`casus_model::Event`] it says who owes what
//! to whom ([`obligations`]), how obligations chain through the network ([`cascade`]),
//! how commitments compare on design dimensions ([`compare::profile`]), and whether the
//! library's scenario tests hold ([`scenario::run`]). It does no I/O, reads no clock
//! and prints nothing: the date and the library are inputs.

pub mod cascade;
pub mod compare;
pub mod explain;
pub mod obligations;
pub mod scenario;

pub use cascade::{cascade, Cascade, Joiner, Link, Side};
pub use explain::{Check, Explanation};
pub use obligations::{obligations, Answers, Breach, NoObligation, Obligation};
