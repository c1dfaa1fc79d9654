//! The built-in capability table: it reads, and with it every option of the built-in
//! assessments has a number for committed capability.

use casus_sim::capability::Table;
use casus_sim::{prepare_with_table, Priors};

#[test]
fn the_built_in_table_covers_every_guarantor_and_attacker_of_the_built_in_assessments() {
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0").expect("the table reads");
    assert_eq!(table.len(), 195);
    assert_eq!(table.latest_year(), Some(2022));
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    assert!(!lib.assessments.is_empty());
    for a in &lib.assessments {
        let priors = Priors::new(&lib.parameters, &a.parameters).unwrap();
        let event = a.event.on(date);
        for o in &a.options {
            let variant = lib.variant(o, date);
            let p = prepare_with_table(&variant, &event, &o.forces, &priors, &table);
            let unknown: Vec<&str> = p
                .guarantors
                .iter()
                .filter(|g| g.capability.is_none())
                .map(|g| lib.actor(g.actor).id.as_str())
                .collect();
            assert!(
                p.capability_known(),
                "{} / {}: no capability for {unknown:?} or the attacker",
                a.id,
                o.id
            );
            assert!(p.guarantors.iter().all(|g| g.capability_share.is_some()));
        }
    }
    // The United States and Iceland: both in the table, far apart, one a major power.
    let usa = lib.find_actor("USA").unwrap();
    let isl = lib.find_actor("ISL").unwrap();
    let (u, i) = (
        table.for_actor(lib, usa, date).unwrap(),
        table.for_actor(lib, isl, date).unwrap(),
    );
    assert!(u.cinc > 1000.0 * i.cinc);
    assert_eq!((u.major, i.major), (Some(true), Some(false)));
}
