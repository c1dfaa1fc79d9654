//! Guarantors differ: for NATO allies against a Russian attack on Estonia, each ally's
//! probability of honouring depends on its capability, major-power status and distance,
//! with the effects visible.

use casus_model::{Event, EventKind, Object, Severity};
use casus_sim::capability::Table;
use casus_sim::explain::explain;
use casus_sim::{prepare_with_table, Priors};

#[test]
fn nato_allies_differ_against_russia_and_say_why() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0").unwrap();
    let priors = Priors::new(&lib.parameters, &[]).unwrap();
    let id = |s: &str| lib.find_actor(s).unwrap();
    let target = id("EST");
    let event = Event {
        attacker: id("RUS"),
        target,
        place: lib.actor(target).home.unwrap(),
        against: Object::Territory,
        kind: EventKind::ArmedAttack,
        severity: Severity::Unspecified,
        date: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        provoked: false,
        assume_proposals: false,
    };
    let p = prepare_with_table(lib, &event, &[], &priors, &table);
    let rows = explain(lib, &p, &priors);
    // Art. 5 lanes (the strongest obligation of each ally).
    let art5 = |a: &str| {
        rows.iter()
            .find(|r| r.actor == a && r.commitment == "north-atlantic-treaty" && r.clause == "art5")
            .unwrap_or_else(|| panic!("{a} has an Art. 5 lane"))
    };
    let (usa, isl, pol) = (art5("USA"), art5("ISL"), art5("POL"));
    assert!(usa.p_honour > isl.p_honour + 0.02, "{usa:#?}\n{isl:#?}");
    assert!(pol.p_honour > isl.p_honour);
    // The reasons: each per-obligor effect is there with its parameter and label.
    let effect = |r: &casus_sim::explain::GuarantorExplain, p: &str| {
        r.effects.iter().find(|e| e.parameter == p).map(|e| e.log_odds)
    };
    assert!(effect(usa, "honour.capability").unwrap() > 0.0);
    assert!(effect(isl, "honour.capability").unwrap() < -0.8);
    assert!(effect(usa, "honour.major_power").unwrap() < 0.0);
    assert_eq!(effect(isl, "honour.major_power"), None);
    assert!(effect(usa, "honour.proximity").unwrap() < effect(pol, "honour.proximity").unwrap());
    assert!(usa.effects.iter().all(|e| !e.label.is_empty()));
    // The shares add up to one over the obligors, the US has the largest, and it leads.
    let share: f64 = p
        .guarantors
        .iter()
        .filter(|g| !g.same_as_previous)
        .map(|g| g.capability_share.unwrap())
        .sum();
    assert!((share - 1.0).abs() < 1e-9, "{share}");
    assert!(usa.capability_share.unwrap() > 0.3);
    assert!(usa.lead && !isl.lead);
    assert_eq!(p.lead, Some(id("USA")));
    // The log-odds add up to the probability.
    let x = usa.base_log_odds + usa.effects.iter().map(|e| e.log_odds).sum::<f64>();
    assert!((1.0 / (1.0 + (-x).exp()) - usa.p_honour).abs() < 1e-12);
    let km = usa.distance_km.unwrap();
    assert!((7000.0..10000.0).contains(&km), "{km}");
}
