//! Guarantors differ: for NATO allies against a Russian attack on Estonia, each ally's
//! probability of honouring depends on its capability, major-power status and distance,
//! with the effects visible.

use casus_model::{Event, EventKind, Object, Severity};
use casus_sim::capability::Table;
use casus_sim::explain::explain;
use casus_sim::{prepare_with_table, Priors};

/// An armed attack by Russia on `target`'s home territory on 1 June of `year`.
fn russian_attack(lib: &casus_model::Library, target: &str, year: i32, assume_proposals: bool) -> Event {
    let target = lib.find_actor(target).unwrap();
    Event {
        attacker: lib.find_actor("RUS").unwrap(),
        target,
        place: lib.actor(target).home.unwrap(),
        against: Object::Territory,
        kind: EventKind::ArmedAttack,
        severity: Severity::Unspecified,
        date: chrono::NaiveDate::from_ymd_opt(year, 6, 1).unwrap(),
        provoked: false,
        assume_proposals,
    }
}

#[test]
fn nato_allies_differ_against_russia_and_say_why() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0").unwrap();
    let priors = Priors::new(&lib.parameters, &[]).unwrap();
    let event = russian_attack(lib, "EST", 2026, false);
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
    assert_eq!(p.lead, Some(lib.find_actor("USA").unwrap()));
    // The log-odds add up to the probability.
    let x = usa.base_log_odds + usa.effects.iter().map(|e| e.log_odds).sum::<f64>();
    assert!((1.0 / (1.0 + (-x).exp()) - usa.p_honour).abs() < 1e-12);
    // NATO has an integrated command and a standing body: only the stronger effect counts.
    assert!(effect(usa, "honour.institution.integrated_command").is_some());
    assert_eq!(effect(usa, "honour.institution.standing_body"), None);
    // The base rate is a per-obligor rate (bilateral defence pacts after 1945, 6 of 22).
    let base = 1.0 / (1.0 + (-usa.base_log_odds).exp());
    assert!((base - 0.27).abs() < 1e-9, "{base}");
    let km = usa.distance_km.unwrap();
    assert!((7000.0..10000.0).contains(&km), "{km}");
}

#[test]
fn alignment_and_record_enter_as_labelled_effects() {
    use casus_sim::relations::{Portfolios, Records};
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let data = |p: &str| casus_library::data_file(p).unwrap();
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0")
        .unwrap()
        .with_relations(
            Some(Portfolios::parse(&data("relations/atop-5.1-2018-defence-portfolios.tsv"), "ATOP").unwrap()),
            Some(Records::parse(&data("relations/invocation-records.tsv")).unwrap()),
        );
    let priors = Priors::new(&lib.parameters, &[]).unwrap();
    let id = |s: &str| lib.find_actor(s).unwrap();
    let event = |target: &str, year: i32| russian_attack(lib, target, year, false);
    let p = prepare_with_table(lib, &event("EST", 2026), &[], &priors, &table);
    let rows = explain(lib, &p, &priors);
    let lane = |a: &str, clause: &str| {
        rows.iter()
            .find(|r| r.actor == a && r.commitment == "north-atlantic-treaty" && r.clause == clause)
            .unwrap()
    };
    let effect = |r: &casus_sim::explain::GuarantorExplain, p: &str| {
        r.effects.iter().find(|e| e.parameter == p).map(|e| e.log_odds)
    };
    let b = priors.value("honour.record", None);
    let logit = |q: f64| (q / (1.0 - q)).ln();
    // NATO Art. 4: nine requests, nine met -> (9.5 / 10); Art. 5: one of one -> (1.5 / 2).
    let art4 = effect(lane("USA", "art4"), "honour.record").unwrap();
    assert!((art4 - b * logit(0.95)).abs() < 1e-9, "{art4}");
    let art5 = effect(lane("USA", "art5"), "honour.record").unwrap();
    assert!((art5 - b * logit(0.75)).abs() < 1e-9, "{art5}");
    // Alignment with Estonia: Germany (NATO and EU) is closer than the United States.
    let (deu, usa) = (
        effect(lane("DEU", "art5"), "honour.alignment").unwrap(),
        effect(lane("USA", "art5"), "honour.alignment").unwrap(),
    );
    assert!(deu > usa, "{deu} {usa}");
    // NATO membership for Ukraine allies it with every member: the allies' alignment with it
    // is then as high as with Estonia, where a bilateral guarantee leaves it low.
    let ukr = prepare_with_table(lib, &event("UKR", 2026), &[], &priors, &table);
    let art5_alignment = |p: &casus_sim::Prepared, a: &str| {
        p.guarantors
            .iter()
            .find(|g| g.actor == id(a) && lib.commitment(g.commitment).id == "north-atlantic-treaty")
            .and_then(|g| {
                g.effects
                    .iter()
                    .find(|(e, _)| *e == "honour.alignment")
                    .map(|(_, v)| *v)
            })
    };
    // Ukraine is not a NATO member in the built-in library: no Art. 5 lane there.
    assert_eq!(art5_alignment(&ukr, "DEU"), None);
    // Before the portfolios' year, alignment is unknown: no effect.
    let old = prepare_with_table(lib, &event("EST", 2010), &[], &priors, &table);
    assert!(old
        .guarantors
        .iter()
        .all(|g| g.effects.iter().all(|(id, _)| *id != "honour.alignment")));
}

#[test]
fn a_sourced_follower_waits_for_its_leader() {
    use casus_sim::relations::{parse_follows, Records};
    use casus_sim::{run, summarise, Gate, RunConfig};
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let follows = parse_follows(&casus_library::data_file("relations/followers.tsv").unwrap()).unwrap();
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0")
        .unwrap()
        .with_relations(None, Some(Records::default().with_follows(follows)));
    // Independent guarantors, so that the closed form is a product.
    let priors = Priors::new(&lib.parameters, &[])
        .unwrap()
        .with("honour.common_shock", 0.0);
    let id = |s: &str| lib.find_actor(s).unwrap();
    let event = russian_attack(lib, "UKR", 2026, true);
    let p = prepare_with_table(lib, &event, &[], &priors, &table);
    let lane = |a: &str| {
        p.guarantors
            .iter()
            .position(|g| {
                g.actor == id(a) && lib.commitment(g.commitment).id == "european-force-ukraine-proposal"
            })
            .unwrap_or_else(|| panic!("{a} is bound by the force"))
    };
    let (gbr, usa) = (lane("GBR"), lane("USA"));
    // The UK waits for the US (Starmer, 17 February 2025); France, with no source, decides alone.
    assert_eq!(p.guarantors[gbr].gate, Gate::Follows(usa));
    assert_eq!(p.guarantors[lane("FRA")].gate, Gate::Alone);
    // The US backstop is aid, not force: the lead of a military response stays the largest
    // capability bound to use force.
    assert_eq!(p.lead, Some(id("GBR")));
    let n = 200_000;
    let cfg = RunConfig {
        trials: Some(n),
        precision: 0.0,
        max_trials: n,
        seed: 7,
        threads: 2,
        keep_trials: false,
    };
    let s = summarise(&p, &run(std::slice::from_ref(&p), &cfg, &mut |_, _| {})[0]);
    let (g, u) = (&p.guarantors[gbr], &p.guarantors[usa]);
    let expected = g.p_honour * g.p_approve * u.p_honour * u.p_approve;
    let est = s.guarantors[gbr].p_responds;
    assert!(
        (est.estimate - expected).abs() <= 4.0 * est.stderr.max(1e-9),
        "{} vs {expected}",
        est.estimate
    );
}
