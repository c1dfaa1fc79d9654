//! casus: accession by unanimity. Membership of NATO (or the EU) needs every member: an
//! invitation by consensus, a protocol, each member's ratification under its own
//! procedure, the candidate's deposit. From members' dated stances and delays fitted to
//! past enlargements, this crate simulates when (and whether) a candidate joins, whose
//! consent is missing and who is pivotal, which stance changes matter most, and how well
//! the model would have predicted past rounds. Pure: the library, the dates and the seed
//! are inputs.

pub mod backtest;
pub mod config;
pub mod fit;
pub mod members;
pub mod simulate;
mod trial;
mod worlds;

pub use backtest::{
    backtest_rounds, backtest_rounds_with, check_no_peeking, crps_sorted, crps_uniform, fit_as_of,
    interval_score, replay, summarise, BacktestRow, BacktestSummary, Scores,
};
pub use fit::{fit, DelayModel, Fallbacks, LogNormalFit};
pub use members::{
    check_org, states, AccessionError, MemberPosition, MemberState, Stage, StanceOverride, UnknownPrior,
};
pub use simulate::{
    forecast, forecast_with, Band, Defaults, Forecast, GateEffect, Pivot, Query, Setup, Structure, MEASURES,
};
