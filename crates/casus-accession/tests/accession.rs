//! The accession model against closed forms on an invented alliance, and on the real history.

use casus_accession::{
    backtest, fit, simulate, DelayModel, Fallbacks, LogNormalFit, Query, Stage, StanceOverride,
};
use casus_model::*;
use casus_syntax::SourceFile;
use chrono::NaiveDate;
use statrs::distribution::{ContinuousCDF, LogNormal};

const COUNTRIES: &str =
    "alpha2\talpha3\tnumeric\tname\tcontinent\tlat\tlon\tsovereign_state\tcow_code\tstatus
AA\tAAA\t001\tA\teurope\t50\t10\tyes\t1\tcurrent
BB\tBBB\t002\tB\teurope\t50\t10\tyes\t2\tcurrent
CC\tCCC\t003\tC\teurope\t50\t10\tyes\t3\tcurrent
DD\tDDD\t004\tD\teurope\t50\t10\tyes\t4\tcurrent
EE\tEEE\t005\tE\teurope\t50\t10\tyes\t5\tcurrent
";

const WORLD: &str = r#"
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
ratification = [{ member = "AAA", date = "2020-01-10" }]

[[stance]]
org = "PACT"
member = "DDD"
candidate = "EEE"
position = "conditional"
condition = "a bargain"
date = "2019-12-01"
source = "invented"
"#;

fn world() -> Library {
    let loaded = load(&[
        SourceFile::new("w/countries.tsv", COUNTRIES),
        SourceFile::new("w/world.toml", WORLD),
    ]);
    let errors: Vec<String> = loaded.diagnostics.iter().map(|d| d.short()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.library
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ln(median: f64, sigma: f64) -> LogNormalFit {
    LogNormalFit { median, sigma, n: 0 }
}

fn model() -> DelayModel {
    DelayModel {
        regular: ln(30.0, 0.5),
        by_procedure: vec![],
        holdout: ln(200.0, 0.4),
        invitation_to_protocol: ln(20.0, 0.3),
        deposit: ln(0.0, 0.5),
        rounds_used: vec![],
        regular_likelihood: vec![],
    }
}

fn cdf(median: f64, sigma: f64, t: f64) -> f64 {
    LogNormal::new(median.ln(), sigma).unwrap().cdf(t)
}

fn query(lib: &Library, as_of: &str) -> Query {
    Query {
        org: lib.find_org("PACT").unwrap(),
        candidate: lib.find_actor("EEE").unwrap(),
        as_of: day(as_of),
        until: day(as_of) + chrono::Days::new(3650),
        trials: 100_000,
        seed: 3,
        overrides: vec![],
        opposes_change_per_year: 0.2,
    }
}

/// P(joined within t days of the protocol) from a forecast's simulated days.
fn p_within(f: &casus_accession::Forecast, t: f64) -> f64 {
    f.accession_days.iter().filter(|d| **d <= t).count() as f64 / f.accession_days.len() as f64
}

#[test]
fn unanimity_is_the_slowest_of_the_members() {
    let lib = world();
    // On the protocol day: AAA's ratification is not yet known (it came later), BBB and CCC
    // support, DDD is conditional: P(by t) = F_regular(t)^3 · F_holdout(t).
    let f = simulate(&lib, &query(&lib, "2020-01-01"), &model());
    assert_eq!(f.stage, Stage::Ratification);
    for t in [40.0, 150.0, 250.0, 400.0] {
        let expected = cdf(30.0, 0.5, t).powi(3) * cdf(200.0, 0.4, t);
        let got = p_within(&f, t);
        let se = (expected * (1.0 - expected) / 100_000.0).sqrt();
        assert!(
            (got - expected).abs() <= 4.0 * se + 1e-9,
            "t={t}: {got} vs {expected}"
        );
    }
    let ddd = f.pivotal.iter().find(|p| p.member == "DDD").unwrap();
    assert!(
        ddd.p_last > 0.9,
        "the conditional member is almost always last: {}",
        ddd.p_last
    );
}

#[test]
fn known_ratifications_count_and_remaining_delays_are_conditioned_on_time_passed() {
    let lib = world();
    // On 2020-02-01 AAA has ratified; BBB and CCC have not, 31 days on: their delays are
    // drawn given that they exceed 31 days. DDD is a holdout.
    let f = simulate(&lib, &query(&lib, "2020-02-01"), &model());
    let aaa = f.members.iter().find(|m| m.member == "AAA").unwrap();
    assert_eq!(aaa.ratified.as_deref(), Some("2020-01-10"));
    let t = 120.0; // days after the as-of date
    let elapsed = 31.0;
    let cond = |m: f64, s: f64| {
        let (a, b) = (cdf(m, s, elapsed), cdf(m, s, elapsed + t));
        (b - a) / (1.0 - a)
    };
    let expected = cond(30.0, 0.5).powi(2) * cond(200.0, 0.4);
    let got = p_within(&f, t);
    assert!((got - expected).abs() < 0.01, "{got} vs {expected}");
}

#[test]
fn an_opposing_member_blocks_unless_it_changes_its_mind() {
    let lib = world();
    let ddd = lib.find_actor("DDD").unwrap();
    let mut q = query(&lib, "2020-01-01");
    q.overrides = vec![StanceOverride {
        member: ddd,
        position: Position::Opposes,
        probability: None,
    }];
    q.opposes_change_per_year = 0.0;
    let f = simulate(&lib, &q, &model());
    assert_eq!(f.p_member_by_until, 0.0);
    assert!(f.quantiles.p50.is_none(), "beyond the horizon");
    assert_eq!(
        f.pivotal.iter().find(|p| p.member == "DDD").unwrap().p_blocking,
        1.0
    );
    // A probability stated by the user caps the chance.
    q.overrides = vec![StanceOverride {
        member: ddd,
        position: Position::Supports,
        probability: Some(0.3),
    }];
    let f = simulate(&lib, &q, &model());
    assert!(
        (f.p_member_by_until - 0.3).abs() < 0.01,
        "{}",
        f.p_member_by_until
    );
}

#[test]
fn a_candidate_not_yet_invited_waits_for_every_consent_first() {
    let lib = world();
    let f = simulate(&lib, &query(&lib, "2019-12-15"), &model());
    assert_eq!(f.stage, Stage::Invitation);
    // Consent: DDD's holdout; then invitation→protocol; then four routine ratifications.
    let med = {
        let mut d = f.accession_days.clone();
        d.sort_by(|a, b| a.total_cmp(b));
        d[d.len() / 2]
    };
    assert!(med > 200.0 + 20.0 && med < 200.0 + 20.0 + 120.0, "{med}");
}

#[test]
fn same_seed_same_forecast() {
    let lib = world();
    let a = simulate(&lib, &query(&lib, "2020-01-01"), &model());
    let b = simulate(&lib, &query(&lib, "2020-01-01"), &model());
    assert_eq!(a.accession_days, b.accession_days);
}

fn fallbacks() -> Fallbacks {
    Fallbacks {
        holdout_median_days: 365.0,
        holdout_sigma: 0.6,
        invitation_to_protocol_days: 30.0,
        deposit_days: 7.0,
        pooling_weight: 5.0,
    }
}

#[test]
fn the_real_history_fits_and_backtests() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let nato = lib.find_org("NATO").unwrap();
    let all = fit(lib, nato, &|_| false, &fallbacks());
    // 2022: most allies ratified within weeks; Turkey's conditions made it a holdout.
    assert!(
        all.regular.median > 5.0 && all.regular.median < 90.0,
        "{:?}",
        all.regular
    );
    assert!(all.holdout.n >= 2, "Turkey's two ratifications are holdout cases");
    assert!(all.holdout.median > 200.0, "{:?}", all.holdout);
    assert!(
        all.deposit.median >= 5.0 && all.deposit.median <= 10.0,
        "{:?}",
        all.deposit
    );
    let rows = backtest(lib, nato, &fallbacks(), 4000, 1, 0.2);
    assert_eq!(rows.len(), 10);
    let fin = rows.iter().find(|r| r.round == "FIN").unwrap();
    assert!(
        fin.fitted_on
            .iter()
            .all(|r| !r.starts_with("SWE") && !r.starts_with("FIN")),
        "no peeking: {:?}",
        fin.fitted_on
    );
    for r in &rows {
        assert!(
            (0.0..=1.0).contains(&r.pit) && r.p05_days <= r.p50_days && r.p50_days <= r.p95_days,
            "{r:?}"
        );
    }
}
