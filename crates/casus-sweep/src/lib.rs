//! Exploratory sweeps, knowing no model: a scope file says what varies (uncertainties),
//! what is chosen (levers) and what is measured (outcomes); a plan samples it (Latin
//! hypercube, Saltelli, full factorial) with a seed per row; shards run the rows through an
//! evaluator the caller gives and write one Parquet part each; a merge puts them in plan
//! order; Sobol indices and PRIM boxes read the merged rows.
//!
//! Everything but [`workdir`] is pure; `workdir` is the sweep folder's I/O, shared by the
//! command line, Slurm jobs and Python workers.

pub mod plan;
pub mod prim;
pub mod scope;
pub mod sobol;
pub mod table;
pub mod toy;
pub mod workdir;

/// The scopes built in, by name: (name, file text). Their models are in the caller's
/// registry (`casus_api::sweep`); `toy`'s is [`toy::evaluate`].
pub const BUILTIN: &[(&str, &str)] = &[("toy", toy::SCOPE), ("ukraine", UKRAINE)];

/// The `ukraine` scope: the assessment of that id over the credibility priors.
pub const UKRAINE: &str = include_str!("../scopes/ukraine.toml");

/// A built-in scope file by name.
pub fn builtin(name: &str) -> Option<casus_syntax::SourceFile> {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| casus_syntax::SourceFile::new(format!("<built-in scope {n}>"), *text))
}

pub use plan::{plan, Design, Input, Plan, Row};
pub use scope::Scope;
pub use table::Evaluated;
pub use workdir::{Evaluator, RunInfo, Shard};
