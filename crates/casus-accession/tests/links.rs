//! Blocs (members who move together) and gates (conditions an invitation waits for) on toy
//! cases with closed forms, and the located errors their files can have.

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

const LINKS: &str = r#"
[[bloc]]
id = "a-leads-b"
org = "PACT"
leader = "AAA"
followers = ["BBB"]
follow = 1.0
date = "2019-01-01"
assumption = "invented for the test"

[[gate]]
id = "peace"
org = "PACT"
candidate = "EEE"
step = "invitation"
text = "when conditions are met"
date = "2019-01-01"
p_by = [{ date = "2021-06-01", p = 0.5 }]
assumption = "invented for the test"
"#;

fn load_with(extra: &str) -> Loaded {
    load(&[
        SourceFile::new("w/countries.tsv", COUNTRIES),
        SourceFile::new("w/world.toml", WORLD),
        SourceFile::new("w/links.toml", extra),
    ])
}

fn world() -> Library {
    let loaded = load_with(LINKS);
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
        regular: ln(10.0, 0.2),
        by_procedure: vec![],
        holdout: ln(1.0, 0.01),
        invitation_to_protocol: ln(5.0, 0.1),
        deposit: ln(0.0, 0.5),
        rounds_used: vec![],
        regular_likelihood: vec![],
    }
}

const TRIALS: u64 = 40_000;

fn query(lib: &Library, as_of: &str, horizon_days: u64, set: &[(&str, Position)], rate: f64) -> Query {
    Query {
        org: lib.find_org("PACT").unwrap(),
        candidate: lib.find_actor("EEE").unwrap(),
        as_of: day(as_of),
        until: day(as_of) + Days::new(horizon_days),
        trials: TRIALS,
        seed: 5,
        overrides: set
            .iter()
            .map(|(m, p)| StanceOverride {
                member: lib.find_actor(m).unwrap(),
                position: *p,
                probability: None,
            })
            .collect(),
        opposes_change_per_year: rate,
    }
}

fn setup() -> Setup {
    Setup {
        unknown: UnknownPrior {
            supports: 1.0,
            conditional: 0.0,
            opposes: 0.0,
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
    assert!((got - expected).abs() <= 4.0 * se + 0.003, "{got} vs {expected}");
}

#[test]
fn a_leader_and_its_follower_change_their_minds_together() {
    let lib = world();
    // AAA and BBB oppose; BBB follows AAA. With change rate r and H days, they come round
    // together: P ≈ 1 − e^(−r·H/365.25) rather than its square.
    let both = [("AAA", Position::Opposes), ("BBB", Position::Opposes)];
    let q = query(&lib, "2020-01-01", 730, &both, 0.5);
    let f = forecast(&lib, &q, &setup(), &model());
    let one = 1.0 - (-0.5f64 * 725.0 / 365.25).exp();
    close(f.p_member_by_until, one);
    // Without the link (a bloc-free library) they change independently.
    let mut unlinked = lib.clone();
    unlinked.blocs.clear();
    let g = forecast(&unlinked, &q, &setup(), &model());
    close(g.p_member_by_until, one * one);
}

#[test]
fn flipping_a_leader_moves_its_followers_in_the_pivotal_analysis() {
    let lib = world();
    let both = [("AAA", Position::Opposes), ("BBB", Position::Opposes)];
    let q = query(&lib, "2020-01-01", 3650, &both, 0.0);
    let f = forecast(&lib, &q, &setup(), &model());
    assert_eq!(f.p_member_by_until, 0.0);
    let a = pivot(&f, "AAA");
    assert_eq!(a.moves_with, ["BBB (p = 1)"]);
    // AAA turning supporter brings BBB along: the candidate gets in. Alone it would not.
    assert!(a.p_pivotal > 0.999, "{a:?}");
    assert_eq!(a.p_pivotal_alone, Some(0.0));
    // BBB turning alone changes nothing while AAA opposes.
    assert_eq!(pivot(&f, "BBB").p_pivotal, 0.0);
    assert_eq!(pivot(&f, "BBB").p_pivotal_alone, None);
}

#[test]
fn an_invitation_waits_for_its_gate_and_the_gate_effect_is_shown() {
    let lib = world();
    // Before the invitation, everyone supports; the condition holds by 2021-06-01 with
    // probability 0.5 (0 when stated on 2019-01-01, linear between), then never. Given that
    // it has not held by 2019-06-01 (F = 0.5 · 151/882), P(holds within ten years) is:
    let f0 = 0.5 * 151.0 / 882.0;
    let p_open = (0.5 - f0) / (1.0 - f0);
    let all = [
        ("AAA", Position::Supports),
        ("BBB", Position::Supports),
        ("CCC", Position::Supports),
        ("DDD", Position::Supports),
    ];
    let q = query(&lib, "2019-06-01", 3650, &all, 0.0);
    let f = forecast(&lib, &q, &setup(), &model());
    assert_eq!(f.stage, Stage::Invitation);
    close(f.p_member_by_until, p_open);
    assert_eq!(f.gates.len(), 1);
    let g = &f.gates[0];
    assert_eq!(g.id, "peace");
    assert!(g.basis.starts_with("assumption: "), "{}", g.basis);
    close(g.p_open_by_until, p_open);
    close(g.p_missing, 1.0 - p_open);
    assert!(g.p_member_without_it > 0.999 && f.p_member_without_gates > 0.999);
    // No member is the missing consent: the condition is.
    assert!(f.pivotal.iter().all(|p| p.p_missing_consent == 0.0));
    // After the invitation a gate no longer applies; a query before it was stated does not see it.
    let q = query(&lib, "2018-06-01", 3650, &all, 0.0);
    assert!(forecast(&lib, &q, &setup(), &model()).gates.is_empty());
}

#[test]
fn bloc_and_gate_mistakes_are_located_errors() {
    let bad = r#"
[[bloc]]
id = "x"
org = "PACT"
leader = "AAA"
followers = ["AAA"]
follow = 1.5
date = "2019-01-01"

[[gate]]
id = "g"
org = "PACT"
candidate = "EEE"
step = "ratification"
text = "t"
date = "2019-01-01"
p_by = [{ date = "2021-06-01", p = 0.5 }, { date = "2020-06-01", p = 0.4 }]
source = "s"
assumption = "a"
"#;
    let loaded = load_with(bad);
    let msgs: Vec<String> = loaded.diagnostics.iter().map(|d| d.short()).collect();
    let has = |s: &str| msgs.iter().any(|m| m.contains(s) && m.contains("w/links.toml:"));
    assert!(has("a probability is between 0 and 1"), "{msgs:#?}");
    assert!(has("leader is also listed among its followers"), "{msgs:#?}");
    assert!(has("needs exactly one of `source`"), "{msgs:#?}");
    assert!(has("names the `member` whose ratification waits"), "{msgs:#?}");
    assert!(has("go forward in time"), "{msgs:#?}");
    assert!(loaded.library.blocs.is_empty() && loaded.library.gates.is_empty());
}

#[test]
fn a_member_that_delays_is_a_holdout_without_opposing() {
    let lib = world();
    let q = query(&lib, "2020-01-01", 3650, &[("DDD", Position::Delays)], 0.0);
    let mut m = model();
    m.holdout = ln(300.0, 0.3);
    let f = forecast(&lib, &q, &setup(), &m);
    let d = f.members.iter().find(|x| x.member == "DDD").unwrap();
    assert_eq!(d.position, MemberPosition::Delays);
    // It ratifies in the end (no change of mind needed), last.
    assert!(f.p_member_by_until > 0.999);
    assert!(pivot(&f, "DDD").p_last > 0.99);
}
