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
    ]
}
