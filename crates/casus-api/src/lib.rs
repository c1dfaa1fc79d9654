//! The one API under every interface. The command line, the HTTP server and the Python
//! package each turn what their user typed into a typed request, hand it with the loaded
//! library (and whatever files the session read) to one function here, and get a typed
//! result back: the same answer, and the same JSON, whichever door the question came in by.
//!
//! Rules for this crate:
//! - Pure: no file, clock, environment or store access (the session does that, above us);
//!   dates default to a `today` the caller passes.
//! - One error type: [`casus_syntax::Diagnostic`], located in a file or naming the request
//!   field it concerns.
//! - Every result derives `Serialize` and `JsonSchema`; [`schemas`] lists them, and
//!   `docs/schema/` holds the generated schemas that the tests validate the output against.
//! - A result's people-readable tables come with it ([`Answer::report`]), built here once,
//!   as plain rows, so every interface shows the same tables.
//! - No command's code imports another's: what two need lives in a shared module
//!   ([`event`], [`names`]).

pub mod accession;
pub mod assess;
mod assess_report;
pub mod capabilities;
pub mod cascade;
pub mod check;
pub mod compare;
pub mod event;
pub mod history;
pub mod history_check;
pub mod history_data;
pub mod history_sources;
pub mod list;
pub mod names;
pub mod negotiate;
mod negotiate_out;
mod negotiate_trace;
pub mod obligations;
pub mod out_files;
pub mod schema;
pub mod show;
pub mod simulate;
pub mod sweep;

use casus_render::Report;
pub use casus_syntax::Diagnostic;
use serde::Serialize;

/// Every API function's result type.
pub type Result<T> = std::result::Result<T, Diagnostic>;

/// A typed result with the tables people read.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    pub data: T,
    pub report: Report,
}

impl<T: Serialize> Answer<T> {
    pub fn new(data: T, report: Report) -> Self {
        Self { data, report }
    }

    /// The result as JSON: what `--format json` prints, the server returns and Python receives.
    pub fn json(&self) -> serde_json::Value {
        // Results are plain data (strings, numbers, vectors, maps with string keys): they
        // always serialise.
        serde_json::to_value(&self.data).unwrap_or(serde_json::Value::Null)
    }
}

pub use schema::schemas;
