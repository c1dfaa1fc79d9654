//! Layer 4 of casus: credibility. A guarantee on paper is not a guarantee in practice:
//! for each obligation the engine finds, a trial samples whether the obligor honours it,
//! whether its domestic approval comes, what its decision rule waits for, how long it
//! takes to decide and arrive, and what it commits. Parameters are data (priors with
//! citations or labelled assumptions); the seed fixes every result, whatever the thread
//! count. No I/O: the command line writes reports.

pub mod capability;
pub mod difference;
pub mod explain;
mod lanes;
mod normal_cdf;
mod obligated;
pub mod prepare;
pub mod priors;
pub mod relations;
pub mod sampler;
pub mod sensitivity;
pub mod stats;
pub mod summary;
pub mod trials;
pub mod uncertainty;

pub use prepare::{
    prepare, prepare_full, prepare_with, prepare_with_table, ActorFacts, Gate, Guarantor, Obligated,
    Prepared, Relations,
};
pub use priors::Priors;
pub use sampler::{run, run_into, OptionRun, RunConfig};
pub use stats::{Estimate, Tally};
pub use summary::{summarise, Summary};
pub use trials::{obligor_actors, Trial, TrialRecord, TrialRecords, TrialSink};
pub use uncertainty::{second_order, Band, BandConfig, Bands};
