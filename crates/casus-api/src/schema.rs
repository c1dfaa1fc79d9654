//! The JSON contract: a schema for every request and result, generated from the types the
//! API returns (so the command line's `--format json`, the HTTP API and Python cannot
//! drift apart). `docs/schema/NAME.json` holds them; `cargo test -p casus-api` checks that
//! they are current (`CASUS_WRITE_SCHEMAS=1` rewrites them).

use schemars::{schema_for, Schema};

/// (name, schema) for every request and result, in a stable order. A result is named
/// after its command (`obligations`), a request after its command with `.request`.
pub fn schemas() -> Vec<(&'static str, Schema)> {
    vec![
        ("obligations", schema_for!(crate::obligations::Obligations)),
        (
            "obligations.request",
            schema_for!(crate::obligations::ObligationsRequest),
        ),
        ("cascade", schema_for!(crate::cascade::Cascade)),
        ("cascade.request", schema_for!(crate::cascade::CascadeRequest)),
        ("compare", schema_for!(crate::compare::Comparison)),
        ("compare.request", schema_for!(crate::compare::CompareRequest)),
        ("show", schema_for!(crate::show::CommitmentView)),
        ("show.request", schema_for!(crate::show::ShowRequest)),
        ("list", schema_for!(crate::list::Listing)),
        ("list.request", schema_for!(crate::list::ListRequest)),
        ("check", schema_for!(crate::check::CheckResult)),
        ("test", schema_for!(crate::check::TestResult)),
        ("negotiate", schema_for!(crate::negotiate::NegotiateResult)),
        (
            "negotiate.request",
            schema_for!(crate::negotiate::NegotiateRequest),
        ),
    ]
}
