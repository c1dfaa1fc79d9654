//! The veto measures on toy unanimity cases with closed-form answers, and on the real data.

use casus_accession::*;
use casus_model::*;
use casus_syntax::SourceFile;
use chrono::{Days, NaiveDate};
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
        // Median 0: no deposit delay, so the closed forms need no convolution.
        deposit: ln(0.0, 0.5),
        rounds_used: vec![],
        regular_likelihood: vec![],
    }
}

fn cdf(median: f64, sigma: f64, t: f64) -> f64 {
    LogNormal::new(median.ln(), sigma).unwrap().cdf(t)
}

const TRIALS: u64 = 40_000;

fn query(lib: &Library, as_of: &str, horizon_days: u64, set: &[(&str, Position)]) -> Query {
    Query {
        org: lib.find_org("PACT").unwrap(),
        candidate: lib.find_actor("EEE").unwrap(),
        as_of: day(as_of),
        until: day(as_of) + Days::new(horizon_days),
        trials: TRIALS,
        seed: 11,
        overrides: set
            .iter()
            .map(|(m, p)| StanceOverride {
                member: lib.find_actor(m).unwrap(),
                position: *p,
                probability: None,
            })
            .collect(),
        opposes_change_per_year: 0.0,
    }
}

fn setup(supports: f64, opposes: f64) -> Setup {
    Setup {
        unknown: UnknownPrior {
            supports,
            conditional: 0.0,
            opposes,
            basis: "test prior".into(),
        },
        structure: None,
    }
}

fn pivot<'a>(f: &'a Forecast, m: &str) -> &'a Pivot {
    f.pivotal.iter().find(|p| p.member == m).unwrap()
}

fn close(got: f64, expected: f64) {
    let se = (expected * (1.0 - expected) / TRIALS as f64).sqrt();
    assert!((got - expected).abs() <= 4.0 * se + 1e-9, "{got} vs {expected}");
}

#[test]
fn one_opponent_that_never_ratifies_is_the_missing_consent_with_probability_one() {
    let lib = world();
    let q = query(&lib, "2020-01-01", 3650, &[("DDD", Position::Opposes)]);
    let f = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    assert_eq!(f.stage, Stage::Ratification);
    assert_eq!(f.p_member_by_until, 0.0);
    assert_eq!(pivot(&f, "DDD").p_missing_consent, 1.0);
    // It is pivotal whenever the three others ratify within ten years: ∏F(3650) ≈ 1.
    close(pivot(&f, "DDD").p_pivotal, cdf(30.0, 0.5, 3650.0).powi(3));
    assert!(pivot(&f, "DDD").delta_if_flipped > 0.99);
    for m in ["AAA", "BBB", "CCC"] {
        assert_eq!(pivot(&f, m).p_missing_consent, 0.0, "{m}");
        // Turning a supporter against changes nothing: the candidate is out anyway.
        assert_eq!(pivot(&f, m).p_pivotal, 0.0, "{m}");
    }
    assert_eq!(f.pivotal[0].member, "DDD");
}

#[test]
fn two_opponents_are_both_missing_and_neither_is_pivotal() {
    let lib = world();
    let q = query(
        &lib,
        "2020-01-01",
        3650,
        &[("DDD", Position::Opposes), ("CCC", Position::Opposes)],
    );
    let f = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    for m in ["CCC", "DDD"] {
        assert_eq!(pivot(&f, m).p_missing_consent, 1.0, "{m}");
        assert_eq!(pivot(&f, m).p_pivotal, 0.0, "{m}");
    }
}

#[test]
fn supporters_at_a_short_horizon_match_the_closed_forms() {
    let lib = world();
    // Four supporters, 40 days: a member is missing iff its own delay exceeds 40 days
    // (then the candidate is out too); each is pivotal iff all four ratify within 40 days
    // (turned opponent, with no change of mind, it would never ratify).
    let q = query(&lib, "2020-01-01", 40, &[("DDD", Position::Supports)]);
    let f = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    let fr = cdf(30.0, 0.5, 40.0);
    close(f.p_member_by_until, fr.powi(4));
    for m in ["AAA", "BBB", "CCC", "DDD"] {
        close(pivot(&f, m).p_missing_consent, 1.0 - fr);
        close(pivot(&f, m).p_pivotal, fr.powi(4));
        assert!(pivot(&f, m).delta_if_flipped <= 0.0);
    }
}

#[test]
fn a_conditional_member_is_pivotal_when_it_alone_is_late() {
    let lib = world();
    let t = 150.0;
    let q = query(&lib, "2020-01-01", t as u64, &[("DDD", Position::Conditional)]);
    let f = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    let (fr, fh) = (cdf(30.0, 0.5, t), cdf(200.0, 0.4, t));
    close(f.p_member_by_until, fr.powi(3) * fh);
    // Flipped to support: P = F_r^4; the trials that change are those where only DDD is late.
    close(pivot(&f, "DDD").p_pivotal, fr.powi(3) * (fr - fh));
    close(pivot(&f, "DDD").delta_if_flipped, fr.powi(3) * (fr - fh));
    close(pivot(&f, "DDD").p_missing_consent, 1.0 - fh);
}

#[test]
fn members_the_process_has_not_reached_are_not_missing() {
    let lib = world();
    // Before the invitation: DDD opposes for good. The others consent at once; their
    // ratifications never start, and that is not their doing.
    let q = query(&lib, "2019-06-01", 3650, &[("DDD", Position::Opposes)]);
    let f = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    assert_eq!(f.stage, Stage::Invitation);
    assert_eq!(pivot(&f, "DDD").p_missing_consent, 1.0);
    for m in ["AAA", "BBB", "CCC"] {
        assert_eq!(pivot(&f, m).p_missing_consent, 0.0, "{m}");
    }
}

#[test]
fn unknown_stances_are_drawn_from_the_stated_prior_and_reported() {
    let lib = world();
    // Before the invitation AAA, BBB and CCC have no stance: unknown, not "supports".
    let q = query(&lib, "2019-06-01", 3650, &[("DDD", Position::Supports)]);
    let all_oppose = forecast(&lib, &q, &setup(0.0, 1.0), &model());
    for m in ["AAA", "BBB", "CCC"] {
        let s = all_oppose.members.iter().find(|x| x.member == m).unwrap();
        assert_eq!(s.position, MemberPosition::Unknown);
        assert!(s.basis.contains("no recorded stance"), "{}", s.basis);
    }
    assert_eq!(all_oppose.p_member_by_until, 0.0);
    assert_eq!(all_oppose.defaults.unknown_members, ["AAA", "BBB", "CCC"]);
    assert!(
        all_oppose
            .defaults
            .warning
            .as_deref()
            .unwrap()
            .contains("rests mostly on defaults"),
        "{:?}",
        all_oppose.defaults
    );
    // A prior of one in two opposing: each unknown consents with probability 1/2 (no change
    // of mind), so P = 1/8 times the routine steps (certain within ten years).
    let half = forecast(&lib, &q, &setup(0.5, 0.5), &model());
    close(half.p_member_by_until, 0.125);
    close(half.defaults.p_if_unknown_support, 1.0);
    assert_eq!(half.defaults.p_if_unknown_oppose, 0.0);
    // After the protocol, a member without a stated position has signed it: not unknown.
    let q = query(&lib, "2020-01-01", 3650, &[]);
    let f = forecast(&lib, &q, &setup(0.0, 1.0), &model());
    assert!(f.defaults.unknown_members.is_empty());
    assert!(f
        .members
        .iter()
        .all(|m| m.position == MemberPosition::Supports && m.basis.contains("signed the protocol")));
    assert!(f.defaults.warning.is_none());
}

#[test]
fn same_seed_same_measures() {
    let lib = world();
    let q = query(&lib, "2020-01-01", 150, &[("DDD", Position::Conditional)]);
    let a = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    let b = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    assert_eq!(a.accession_days, b.accession_days);
    let pa: Vec<f64> = a.pivotal.iter().map(|p| p.p_pivotal).collect();
    let pb: Vec<f64> = b.pivotal.iter().map(|p| p.p_pivotal).collect();
    assert_eq!(pa, pb);
}

#[test]
fn an_organisation_without_rules_or_history_is_refused_with_what_is_missing() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let csto = lib.find_org("CSTO").unwrap();
    let err = check_org(lib, csto).unwrap_err().to_string();
    assert!(
        err.contains("CSTO") && err.contains("accession rules") && err.contains("enlargement history"),
        "{err}"
    );
    assert!(check_org(lib, lib.find_org("NATO").unwrap()).is_ok());
    // A toy pact with history but no rules: only the rules are missing.
    let w = world();
    let err = check_org(&w, w.find_org("PACT").unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("accession rules") && !err.contains("enlargement history"),
        "{err}"
    );
}

#[test]
fn for_ukraine_every_opposing_member_ranks_above_every_supporting_one() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let nato = lib.find_org("NATO").unwrap();
    let ukr = lib.find_actor("UKR").unwrap();
    let as_of = day("2026-06-01");
    let fb = Fallbacks {
        holdout_median_days: 365.0,
        holdout_sigma: 0.6,
        invitation_to_protocol_days: 30.0,
        deposit_days: 7.0,
        pooling_weight: 5.0,
    };
    let model = fit(lib, nato, &|e| e.accession.latest >= as_of, &fb);
    let q = Query {
        org: nato,
        candidate: ukr,
        as_of,
        until: as_of + Days::new(3653),
        trials: 5000,
        seed: 1,
        overrides: vec![],
        opposes_change_per_year: 0.2,
    };
    let f = forecast(lib, &q, &config::setup(lib, Some(20)).unwrap(), &model);
    // The bloc and the gates show: Washington moves Budapest and Bratislava; two conditions.
    let usa = f.pivotal.iter().find(|p| p.member == "USA").unwrap();
    assert_eq!(usa.moves_with, ["HUN (p = 0.5)", "SVK (p = 0.5)"], "{usa:?}");
    assert!(usa.p_pivotal >= usa.p_pivotal_alone.unwrap(), "{usa:?}");
    let ids: Vec<&str> = f.gates.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "end-of-active-hostilities",
            "no-settlement-clause-barring-membership"
        ]
    );
    assert!(f
        .gates
        .iter()
        .all(|g| g.p_member_without_it >= f.p_member_by_until));
    let b = f.band.clone().unwrap();
    assert!(
        b.p05 <= f.p_member_by_until && f.p_member_by_until <= b.p95,
        "{b:?}"
    );
    println!(
        "UKR: P = {:.3} (band {:.2}-{:.2}), without gates {:.3}; {:#?} {:#?}",
        f.p_member_by_until,
        b.p05,
        b.p95,
        f.p_member_without_gates,
        f.gates,
        &f.pivotal[..6]
    );
    let of =
        |pos: MemberPosition| -> Vec<&Pivot> { f.pivotal.iter().filter(|p| p.position == pos).collect() };
    let (opp, sup) = (of(MemberPosition::Opposes), of(MemberPosition::Supports));
    assert!(!opp.is_empty() && !sup.is_empty());
    let lowest_opp = opp.iter().map(|p| p.p_missing_consent).fold(1.0, f64::min);
    let highest_sup = sup.iter().map(|p| p.p_missing_consent).fold(0.0, f64::max);
    assert!(
        lowest_opp > highest_sup,
        "{lowest_opp} vs {highest_sup}: {:#?}",
        f.pivotal
    );
    // Sorted by the measure: the opponents come first.
    let first_sup = f
        .pivotal
        .iter()
        .position(|p| p.position == MemberPosition::Supports)
        .unwrap();
    let last_opp = f
        .pivotal
        .iter()
        .rposition(|p| p.position == MemberPosition::Opposes)
        .unwrap();
    assert!(last_opp < first_sup);
}

#[test]
fn structural_uncertainty_gives_a_band_around_the_estimate() {
    let lib = world();
    // DDD opposes and changes its mind at a rate drawn from (0.05, 0.2, 0.8) a year.
    let mut q = query(&lib, "2020-01-01", 5 * 365, &[("DDD", Position::Opposes)]);
    q.opposes_change_per_year = 0.2;
    let point = forecast(&lib, &q, &setup(1.0, 0.0), &model());
    assert!(point.band.is_none());
    let mut s = setup(1.0, 0.0);
    s.structure = Some(Structure {
        worlds: 200,
        opposes_change_per_year: (0.05, 0.8),
        fallback_log_sd: 0.3,
    });
    let f = forecast(&lib, &q, &s, &model());
    let b = f.band.clone().unwrap();
    assert_eq!((b.worlds, b.trials_per_world), (200, TRIALS / 200));
    // The rate alone moves P(change within ~4.5 years) from about 0.2 to about 0.97: the
    // band is far wider than the Monte Carlo error of a world (sd ≤ 0.035).
    assert!(
        b.p05 < point.p_member_by_until && point.p_member_by_until < b.p95,
        "{b:?}"
    );
    assert!(b.p95 - b.p05 > 0.3, "{b:?}");
    assert!(b.p05 <= f.p_member_by_until && f.p_member_by_until <= b.p95);
    // Same seed, same band.
    assert_eq!(forecast(&lib, &q, &s, &model()).band.unwrap().p05, b.p05);
    // With nothing uncertain (a point rate, fits resting on many cases) the band is only
    // Monte Carlo error.
    s.structure = Some(Structure {
        worlds: 20,
        opposes_change_per_year: (0.2, 0.2),
        fallback_log_sd: 0.0,
    });
    let mut m = model();
    for f in [
        &mut m.regular,
        &mut m.holdout,
        &mut m.invitation_to_protocol,
        &mut m.deposit,
    ] {
        f.n = 1_000_000;
    }
    let f = forecast(&lib, &q, &s, &m);
    let b = f.band.unwrap();
    let se = (f.p_member_by_until * (1.0 - f.p_member_by_until) / (TRIALS / 20) as f64).sqrt();
    assert!(b.p95 - b.p05 < 5.0 * se, "{b:?} vs se {se}");
}
