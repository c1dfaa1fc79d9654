//! The engine's logic on a small invented world, independent of the real library:
//! membership on a date, unknown from partial dates, scopes as unions of regions,
//! refrain clauses, suspensions, thresholds, and chains through the network.

use casus_engine::{cascade, compare, obligations, Side};
use casus_model::*;
use casus_syntax::SourceFile;

const COUNTRIES: &str =
    "alpha2\talpha3\tnumeric\tname\tcontinent\tlat\tlon\tsovereign_state\tcow_code\tstatus
AA\tAAA\t001\tAlpha\teurope\t50.0\t10.0\tyes\t1\tcurrent
BB\tBBB\t002\tBeta\teurope\t52.0\t12.0\tyes\t2\tcurrent
CC\tCCC\t003\tGamma\tasia\t40.0\t60.0\tyes\t3\tcurrent
DD\tDDD\t004\tDelta\tasia\t42.0\t62.0\tyes\t4\tcurrent
IS\tISL\t005\tIsle\teurope\t60.0\t-20.0\tno\t\tcurrent
";

const SUBDIVISIONS: &str = "code\tname\ttype\tparent\tlat\tlon
AA-01\tAlpha North\tRegion\t\t55.0\t10.0
AA-99\tAlpha Overseas\tRegion\t\t10.0\t-60.0
";

const WORLD: &str = r#"
[[territory]]
place = "AA-99"
continent = "south_america"
island = true
ocean = "caribbean"
source = "invented"

[[territory]]
place = "IS"
island = true
ocean = "north_atlantic"
sovereign = [{ actor = "AAA" }]
source = "invented"

[[sea]]
id = "inner-sea"
name = "Inner Sea"
ocean = "mediterranean"
source = "invented"

[[actor]]
id = "CCC"
nuclear = { since = "1960-01-01", text = "invented", source = "invented" }

[organisation]
id = "PACT"
name = "Pact"
founded = "1950-01-01"
source = "invented"
member = [
  { actor = "AAA", from = "1950-01-01" },
  { actor = "BBB", from = "1950-01-01" },
  { actor = "CCC", from = "2001-05", note = "month only" },
]
"#;

const PACT: &str = r#"
[commitment]
id = "pact"
title = "Pact"
kind = "treaty"
binding = "legal"
in_force = "1950-01-01"
parties = ["org:PACT"]
source = "invented"

[[clause]]
id = "defend"
article = "Art. 1"
quote = "defend"
verified = "primary"
obligors = ["parties"]
beneficiaries = ["parties"]
strength = "military_assistance"
trigger = { event = "armed_attack", against = ["territory", "forces"] }
decision = { rule = "consensus", body = "Council" }
[clause.scope]
[[clause.scope.region]]
label = "party territory in Europe"
against = ["territory", "forces"]
continent = ["europe"]
exclude_oceans = ["caribbean"]
[[clause.scope.region]]
label = "party islands north of 45"
against = ["territory", "forces"]
island = true
min_latitude = 45.0
[[clause.scope.region]]
label = "forces at sea"
against = ["forces"]
places = ["inner-sea"]
held_by = "any"

[[clause]]
id = "no-attack"
article = "Art. 2"
duty = "refrain"
quote = "no attack"
verified = "primary"
obligors = ["parties"]
beneficiaries = ["parties"]
trigger = { event = "threat" }
"#;

const GUARANTEE: &str = r#"
[commitment]
id = "guarantee"
title = "Guarantee"
kind = "executive_agreement"
binding = "political"
signed = "2010-01-01"
parties = ["DDD", "CCC"]
source = "invented"
suspension = [{ obligor = "DDD", beneficiary = "CCC", from = "2020-01-01", text = "suspended", source = "invented" }]

[[clause]]
id = "help"
article = "Art. 1"
quote = "help"
verified = "primary"
obligors = ["DDD"]
beneficiaries = ["CCC"]
strength = "assist"
trigger = { event = "armed_attack", severity = "major", threshold = "grave", provocation = "excluded" }
decision = { rule = "individual" }
[[clause.domestic_approval]]
requirement = "legislative_approval"
text = "a vote"
"#;

fn world() -> Library {
    let files = vec![
        SourceFile::new("w/countries.tsv", COUNTRIES),
        SourceFile::new("w/subdivisions.tsv", SUBDIVISIONS),
        SourceFile::new("w/world.toml", WORLD),
        SourceFile::new("w/pact.toml", PACT),
        SourceFile::new("w/guarantee.toml", GUARANTEE),
    ];
    let loaded = load(&files);
    let errors: Vec<String> = loaded.diagnostics.iter().map(|d| d.short()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.library
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn event(lib: &Library, a: &str, t: &str, place: &str, date: &str) -> Event {
    Event {
        attacker: lookup::actor(lib, a).unwrap(),
        target: lookup::actor(lib, t).unwrap(),
        place: lookup::place(lib, place).unwrap(),
        against: Object::Territory,
        kind: EventKind::ArmedAttack,
        severity: Severity::Major,
        date: day(date),
        provoked: false,
        assume_proposals: false,
    }
}

fn obligors(lib: &Library, a: &casus_engine::Answers, clause: &str) -> Vec<String> {
    let mut v: Vec<String> = a
        .obligations
        .iter()
        .filter(|o| lib.commitment(o.commitment).clauses[o.clause].id == clause)
        .map(|o| lib.actor(o.obligor).id.clone())
        .collect();
    v.sort();
    v
}

fn pact_reason(lib: &Library, a: &casus_engine::Answers) -> Reason {
    a.not_triggered
        .iter()
        .find(|n| {
            lib.commitment(n.commitment).id == "pact"
                && lib.commitment(n.commitment).clauses[n.clause].id == "defend"
        })
        .unwrap()
        .reason
}

#[test]
fn members_owe_each_other_and_a_partial_date_is_unknown() {
    let lib = world();
    let a = obligations(&lib, &event(&lib, "DDD", "AAA", "AA", "2001-05-15"));
    assert_eq!(obligors(&lib, &a, "defend"), ["BBB"]);
    let unknown: Vec<_> = a
        .unknown
        .iter()
        .filter_map(|u| u.obligor)
        .map(|o| lib.actor(o).id.clone())
        .collect();
    assert_eq!(unknown, ["CCC"], "CCC joined some day in May 2001");
    assert_eq!(a.unknown[0].reason, Reason::NotBound);
    let later = obligations(&lib, &event(&lib, "DDD", "AAA", "AA", "2001-06-01"));
    assert_eq!(obligors(&lib, &later, "defend"), ["BBB", "CCC"]);
}

#[test]
fn scope_is_a_union_of_regions_with_inheritance_and_carve_outs() {
    let lib = world();
    // A subdivision inherits its country's continent.
    assert_eq!(
        obligors(
            &lib,
            &obligations(&lib, &event(&lib, "DDD", "AAA", "AA-01", "2005-01-01")),
            "defend"
        ),
        ["BBB", "CCC"]
    );
    // The overseas island has its own continent and ocean, south of 45°: outside.
    let a = obligations(&lib, &event(&lib, "DDD", "AAA", "AA-99", "2005-01-01"));
    assert_eq!(pact_reason(&lib, &a), Reason::OutsideScope);
    // A dependency of a party, an island north of 45°: inside through the island region.
    assert_eq!(
        obligors(
            &lib,
            &obligations(&lib, &event(&lib, "DDD", "AAA", "IS", "2005-01-01")),
            "defend"
        ),
        ["BBB", "CCC"]
    );
    // Forces at sea, in the named sea: inside.
    let mut ev = event(&lib, "DDD", "AAA", "inner-sea", "2005-01-01");
    ev.against = Object::Forces;
    assert_eq!(obligors(&lib, &obligations(&lib, &ev), "defend"), ["BBB", "CCC"]);
}

#[test]
fn the_place_must_be_the_targets() {
    let lib = world();
    let a = obligations(&lib, &event(&lib, "DDD", "AAA", "BB", "2005-01-01"));
    assert_eq!(pact_reason(&lib, &a), Reason::NotTargetsPlace);
}

#[test]
fn a_party_that_attacks_a_party_breaks_its_promise_and_owes_nothing() {
    let lib = world();
    let a = obligations(&lib, &event(&lib, "BBB", "AAA", "AA", "2005-01-01"));
    assert_eq!(a.breached.len(), 1);
    assert_eq!(lib.actor(a.breached[0].obligor).id, "BBB");
    assert_eq!(
        obligors(&lib, &a, "defend"),
        ["CCC"],
        "the attacker is not its victim's defender"
    );
}

#[test]
fn thresholds_provocation_and_suspension() {
    let lib = world();
    let mut ev = event(&lib, "AAA", "CCC", "CC", "2015-01-01");
    assert_eq!(obligors(&lib, &obligations(&lib, &ev), "help"), ["DDD"]);
    ev.severity = Severity::Limited;
    assert!(obligations(&lib, &ev)
        .not_triggered
        .iter()
        .any(|n| n.reason == Reason::BelowThreshold));
    ev.severity = Severity::Unspecified;
    assert!(obligations(&lib, &ev)
        .unknown
        .iter()
        .any(|n| n.reason == Reason::BelowThreshold));
    ev.severity = Severity::Major;
    ev.provoked = true;
    assert!(obligations(&lib, &ev)
        .not_triggered
        .iter()
        .any(|n| n.reason == Reason::Provoked));
    let a = obligations(&lib, &event(&lib, "AAA", "CCC", "CC", "2021-01-01"));
    let s = a
        .not_triggered
        .iter()
        .find(|n| lib.commitment(n.commitment).id == "guarantee")
        .unwrap();
    assert_eq!(s.reason, Reason::Suspended);
    let early = obligations(&lib, &event(&lib, "AAA", "CCC", "CC", "2009-12-31"));
    assert!(early
        .not_triggered
        .iter()
        .any(|n| lib.commitment(n.commitment).id == "guarantee" && n.reason == Reason::NotInForce));
}

#[test]
fn a_huge_depth_stops_when_a_level_adds_nobody() {
    // #16 item 11: `cascade --depth 10^10` looped 24 s over empty levels.
    let lib = world();
    let ev = event(&lib, "DDD", "AAA", "AA", "2015-01-01");
    let t = std::time::Instant::now();
    let deep = cascade(&lib, &ev, 10_000_000_000, Strength::Assist);
    assert!(t.elapsed().as_secs_f64() < 1.0, "{:?}", t.elapsed());
    let shallow = cascade(&lib, &ev, 50, Strength::Assist);
    assert_eq!(deep.joiners.len(), shallow.joiners.len());
}

#[test]
fn cascades_follow_chains() {
    let lib = world();
    let c = cascade(
        &lib,
        &event(&lib, "DDD", "AAA", "AA", "2015-01-01"),
        3,
        Strength::Assist,
    );
    let side = |c: &casus_engine::Cascade, id: &str| {
        c.joiners
            .iter()
            .find(|j| lib.actor(j.actor).id == id)
            .map(|j| (j.side, j.depth))
    };
    assert_eq!(side(&c, "BBB"), Some((Side::Defender, 1)));
    assert_eq!(side(&c, "CCC"), Some((Side::Defender, 1)));
    assert_eq!(side(&c, "DDD"), Some((Side::Attacker, 0)));
    let ccc = c.joiners.iter().find(|j| lib.actor(j.actor).id == "CCC").unwrap();
    assert_eq!(ccc.nuclear, Truth::Yes);
    assert_eq!(ccc.chain.len(), 1);
    // CCC strikes back at DDD; DDD's own guarantee protects CCC, not DDD: nobody joins DDD.
    assert_eq!(c.joiners.iter().filter(|j| j.side == Side::Attacker).count(), 1);
    // BBB attacks CCC in Asia, outside the pact's area: only the guarantee answers (DDD).
    // DDD's counter-strike on BBB in Europe is inside the pact's area, so the pact binds
    // AAA to BBB — a chain of two links — and binds CCC to BBB too: CCC owes both sides.
    let c2 = cascade(
        &lib,
        &event(&lib, "BBB", "CCC", "CC", "2015-01-01"),
        3,
        Strength::Assist,
    );
    assert_eq!(side(&c2, "DDD"), Some((Side::Defender, 1)));
    assert_eq!(side(&c2, "AAA"), Some((Side::Attacker, 2)));
    let aaa = c2
        .joiners
        .iter()
        .find(|j| lib.actor(j.actor).id == "AAA")
        .unwrap();
    assert_eq!(lib.actor(aaa.chain[0].obligor).id, "DDD");
    assert_eq!(lib.actor(aaa.chain[1].beneficiary).id, "BBB");
    assert!(
        c2.cross_pressured.iter().any(|(a, _)| lib.actor(*a).id == "CCC"),
        "{:?}",
        c2.cross_pressured
    );
    // Depth 1 stops after the first links.
    let c1 = cascade(
        &lib,
        &event(&lib, "BBB", "CCC", "CC", "2015-01-01"),
        1,
        Strength::Assist,
    );
    assert_eq!(side(&c1, "AAA"), None);
    assert!(c1.cross_pressured.is_empty());
}

#[test]
fn compare_derives_automaticity_and_agreement_from_clauses() {
    let lib = world();
    let no_caps = |_: ActorId| None;
    let pact = compare::profile(
        &lib,
        lookup::commitment(&lib, "pact").unwrap(),
        day("2015-01-01"),
        &no_caps,
    );
    assert_eq!(pact.automaticity, compare::Automaticity::CollectiveDecision);
    assert_eq!(pact.must_agree, Some(3));
    assert_eq!(pact.nuclear_guarantors.len(), 1);
    let g = compare::profile(
        &lib,
        lookup::commitment(&lib, "guarantee").unwrap(),
        day("2015-01-01"),
        &|_| Some(0.25),
    );
    assert_eq!(g.automaticity, compare::Automaticity::SubjectToDomesticProcess);
    assert_eq!(g.guarantors.len(), 1, "the protected party is not a guarantor");
    assert_eq!(g.combined_capability, Some(0.25));
}
