//! casus-history: the historical record. ATOP 5.1 alliances read from the files as a user
//! downloads them, ATOP's directed dyad-year obligations derived from the member-level file,
//! and alliance reliability in war (Berkemeier & Fuhrmann 2018) with confidence intervals.
//!
//! ```text
//! atop5_1m.csv ──► atop::parse_members ──► Release ──► dyads::derive ──► Vec<DyadYear>
//!  (text handed     (typed rows, every        (version      (pairs that overlap in
//!   in by the CLI)   error file:line:column)   by content)   time, phases, directed
//!                                                           corrections, OR over alliances)
//! BF 2018 cases ──► reliability::parse_cases ──► reliability::rates (honoured, violated, Wilson CI)
//! ```
//!
//! Like the engine, this crate does no I/O, reads no clock and prints nothing: the CLI reads
//! the files and hands their text in, and keeps the parsed [`atop::Release`] in its store.
//!
//! ## Decisions
//!
//! - **Which pairs, which years.** A directed pair of members of one alliance phase is allied
//!   in every year both memberships cover, except when one joined on or after the day the other
//!   left (the codebook's "never members simultaneously": West Germany 260 leaves and unified
//!   Germany 255 joins on 1990-10-03). Partial dates (day missing) never decide that rule in
//!   ATOP 5.1; an entry day that is missing counts as the month's first day and an exit day
//!   as its last, so an unknown day never removes a pair.
//! - **Phases.** When an alliance changes phase within a year, the later phase's obligations
//!   describe that year for every directed pair present in it (Britain–Japan 1905: Japan's
//!   offence and neutrality end with phase 1 in August, and ATOP codes 1905 without them).
//!   Pairs that only exist in the earlier phase keep its obligations for that year.
//! - **Directed obligations.** A member's flags are owed to every other member, except where
//!   ATOP corrected multilateral alliances by hand (OBVARY): those corrections are data, in
//!   `data/atop-5.1-directed.tsv`, with their source, not code.
//! - **Actor codes** stay COW codes here; the CLI maps them to casus ids through the library's
//!   dated crosswalk. Members without a 3-digit COW code (Annam, 8152) are left out of dyads,
//!   as ATOP does.
//! - **Alliances as commitments.** [`commitments::to_commitments`] turns each ATOP alliance
//!   phase into a `casus_model::Commitment` (`atop-NNNN[-pK]`) with a dated organisation of
//!   its members, so the engine and `cascade` run on the historical network; the mapping of
//!   obligation types and conditions is in that module's docs. [`cow`] reads the COW state
//!   system, major powers and capabilities for the store.
//! - **Coverage.** ATOP 5.1 ends in 2018; [`atop::Release::coverage`] says so and the CLI
//!   answers "unknown" outside it, never "no".
//!
//! ## Dependencies
//!
//! - `postcard` (serde's compact binary format, maintained, `no_std`-grade and stable wire
//!   format since 1.0) encodes a parsed [`atop::Release`] for the CLI's store: decoding the
//!   2,510 member rows takes microseconds, so later commands never re-parse the CSVs. Chosen
//!   over bincode (unmaintained since 2025) and JSON (ten times larger, slower to decode).
//! - The store itself is `redb` in the CLI (pure Rust, ACID, one file, no C library, stable
//!   file format since 2.0), chosen over sled (unreleased rewrite) and SQLite (a C build and
//!   a schema for what is one keyed blob per dataset version).
//! - Every table (ATOP, COW, the case data, the corrections) is read by one reader,
//!   `casus_syntax::table`, which keeps each cell's span; every error is a
//!   `casus_syntax::Diagnostic` located at `file:line:column`. ATOP's member-level file has
//!   one reader ([`atop::read_members`]); the dyads, the commitments, the calibration and the
//!   cross-check each take what they need from what it read.

pub mod atop;
pub mod calibrate;
pub mod commitments;
pub mod corrections;
pub mod coverage;
pub mod cow;
pub mod crosscheck;
pub mod dyads;
pub mod priors;
pub mod reliability;

pub use atop::{Membership, Obligations, Release};
pub use casus_syntax::Diagnostic;
pub use dyads::{derive, DyadYear};
