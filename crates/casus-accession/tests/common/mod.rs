//! The invented alliance the accession tests share: five states, a four-member pact and one
//! candidate, with helpers for dates and delay models. Each test file adds what it needs.

#![allow(dead_code)] // each test file uses its own subset

use casus_accession::{DelayModel, LogNormalFit, Setup, UnknownPrior};
use casus_model::{load, Library, Loaded};
use casus_syntax::SourceFile;
use chrono::NaiveDate;
use statrs::distribution::{ContinuousCDF, LogNormal};

pub const COUNTRIES: &str =
    "alpha2\talpha3\tnumeric\tname\tcontinent\tlat\tlon\tsovereign_state\tcow_code\tstatus
AA\tAAA\t001\tA\teurope\t50\t10\tyes\t1\tcurrent
BB\tBBB\t002\tB\teurope\t50\t10\tyes\t2\tcurrent
CC\tCCC\t003\tC\teurope\t50\t10\tyes\t3\tcurrent
DD\tDDD\t004\tD\teurope\t50\t10\tyes\t4\tcurrent
EE\tEEE\t005\tE\teurope\t50\t10\tyes\t5\tcurrent
";

/// The pact of AAA–DDD and EEE's enlargement round; ends inside the `[[enlargement]]` table,
/// so a test may append keys to it (e.g. `ratification = …`).
pub const PACT: &str = r#"
[organisation]
id = "PACT"
name = "Pact"
founded = "2000-01-01"
source = "invented"
member = [
  { actor = "AAA", from = "2000-01-01" },
  { actor = "BBB", from = "2000-01-01" },
  { actor = "CCC", from = "2000-01-01" },
  { actor = "DDD", from = "2000-01-01" },
]

[[enlargement]]
org = "PACT"
candidates = ["EEE"]
protocol_signed = "2020-01-01"
accession = "2020-06-01"
source = "invented"
"#;

/// The countries, the pact followed by `pact_tail`, and `extra` as a file of its own.
pub fn load_pact(pact_tail: &str, extra: Option<&str>) -> Loaded {
    let world = format!("{PACT}{pact_tail}");
    let mut files = vec![
        SourceFile::new("w/countries.tsv", COUNTRIES),
        SourceFile::new("w/world.toml", world),
    ];
    if let Some(extra) = extra {
        files.push(SourceFile::new("w/links.toml", extra));
    }
    load(&files)
}

/// As [`load_pact`], failing the test on any diagnostic.
pub fn pact_library(pact_tail: &str, extra: Option<&str>) -> Library {
    let loaded = load_pact(pact_tail, extra);
    let errors: Vec<String> = loaded.diagnostics.iter().map(|d| d.short()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.library
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn ln(median: f64, sigma: f64) -> LogNormalFit {
    LogNormalFit { median, sigma, n: 0 }
}

/// A delay model with these regular, holdout and invitation-to-protocol delays, and no deposit
/// delay (median 0), so the closed forms need no convolution.
pub fn delays(regular: LogNormalFit, holdout: LogNormalFit, invitation: LogNormalFit) -> DelayModel {
    DelayModel {
        regular,
        by_procedure: vec![],
        holdout,
        invitation_to_protocol: invitation,
        deposit: ln(0.0, 0.5),
        rounds_used: vec![],
        regular_likelihood: vec![],
    }
}

/// The log-normal CDF at `t`.
pub fn cdf(median: f64, sigma: f64, t: f64) -> f64 {
    LogNormal::new(median.ln(), sigma).unwrap().cdf(t)
}

/// The prior of these tests: every member whose stance is unknown supports (stated, as the
/// model requires).
pub fn all_support() -> Setup {
    Setup {
        unknown: UnknownPrior {
            supports: 1.0,
            conditional: 0.0,
            opposes: 0.0,
            basis: "test prior: unknown stances support".into(),
        },
        structure: None,
    }
}
