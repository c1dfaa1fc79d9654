//! The JSON contract: a schema for every request and result, generated from the types the
//! API returns (so the command line's `--format json`, the HTTP API and Python cannot
//! drift apart). `docs/schema/NAME.json` holds them; `cargo test -p casus-api` checks that
//! they are current (`CASUS_WRITE_SCHEMAS=1` rewrites them). Add a result with `result::<T>()`
//! and its request with `request::<T>()`.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

/// A result's schema, as it is written (fields skipped when empty are optional).
fn result<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// A request's schema, as it is read (fields with defaults are optional).
fn request<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// (name, schema) for every request and result, in a stable order. A result is named
/// after its command (`obligations`), a request after its command with `.request`.
pub fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("obligations", result::<crate::obligations::Obligations>()),
        (
            "obligations.request",
            request::<crate::obligations::ObligationsRequest>(),
        ),
        ("cascade", result::<crate::cascade::Cascade>()),
        ("cascade.request", request::<crate::cascade::CascadeRequest>()),
        ("compare", result::<crate::compare::Comparison>()),
        ("compare.request", request::<crate::compare::CompareRequest>()),
        ("show", result::<crate::show::CommitmentView>()),
        ("show.request", request::<crate::show::ShowRequest>()),
        ("list", result::<crate::list::Listing>()),
        ("list.request", request::<crate::list::ListRequest>()),
        ("check", result::<crate::check::CheckResult>()),
        ("test", result::<crate::check::TestResult>()),
        ("simulate", result::<crate::simulate::Simulation>()),
        ("simulate.request", request::<crate::simulate::SimulateRequest>()),
        ("assess", result::<crate::assess::Assessed>()),
        ("assess.request", request::<crate::assess::AssessRequest>()),
        ("assess.difference", result::<crate::assess::DifferenceView>()),
        ("accession", result::<crate::accession::Accession>()),
        (
            "accession.request",
            request::<crate::accession::AccessionRequest>(),
        ),
        ("dyads", result::<crate::history_data::Dyads>()),
        ("dyads.request", request::<crate::history_data::DyadsRequest>()),
        ("dyads.written", result::<crate::history_data::DyadsWritten>()),
        ("reliability", result::<crate::history::ReliabilityResult>()),
        (
            "reliability.request",
            request::<crate::history::ReliabilityRequest>(),
        ),
        ("calibrate", result::<crate::history::CalibrateResult>()),
        ("calibrate.request", request::<crate::history::CalibrateRequest>()),
        ("data.import.atop", result::<crate::history_data::AtopImport>()),
        ("data.import.cow", result::<crate::history_data::CowImport>()),
        ("data.list", result::<crate::history_data::DataList>()),
        ("data.repair", result::<crate::history_data::DataRepair>()),
        ("data.cite", result::<crate::history_data::Citations>()),
        ("check.against-atop", result::<crate::history_check::AtopCheck>()),
        ("check.coverage", result::<crate::history_check::Coverage>()),
        ("check.sources", result::<crate::history_sources::SourcesResult>()),
        ("negotiate", result::<crate::negotiate::NegotiateResult>()),
        (
            "negotiate.request",
            request::<crate::negotiate::NegotiateRequest>(),
        ),
        ("sweep.sobol", result::<casus_sweep::sobol::Sobol>()),
        ("sweep.discover", result::<casus_sweep::prim::Discover>()),
    ]
}
