//! Preparation in two stages: the obligations and facts of an option against an event
//! (`Obligated`, computed once) and the priors applied to them (`with_priors`, once per
//! prior draw, as a sweep does for each row). One `Obligated` reused across draws, in any
//! order, gives what preparing afresh under each draw gives: every field of `Prepared`
//! and every metric of a run on it.

use casus_model::{Parameter, Provenance};
use casus_sim::capability::Table;
use casus_sim::relations::{parse_follows, Portfolios, Records};
use casus_sim::sampler::run_serial;
use casus_sim::summary::metrics;
use casus_sim::{prepare_with_table, summarise, Obligated, Prepared, Priors};
use rand::{Rng, SeedableRng};

/// The built-in capability table with the built-in portfolios, records and followers, so
/// that the alignment, record and follower rules all take part.
fn table() -> Table {
    let data = |path: &str| casus_library::data_file(path).expect(path);
    let portfolios = Portfolios::parse(&data("relations/atop-5.1-2018-defence-portfolios.tsv"), "ATOP")
        .expect("portfolios read");
    let follows = parse_follows(&data("relations/followers.tsv")).expect("followers read");
    let records = Records::parse(&data("relations/invocation-records.tsv"))
        .expect("records read")
        .with_follows(follows);
    Table::parse(&casus_library::capabilities(), "COW NMC 7.0")
        .expect("the table reads")
        .with_relations(Some(portfolios), Some(records))
}

fn run_metrics(p: &Prepared) -> Vec<(&'static str, f64)> {
    let runs = run_serial(std::slice::from_ref(p), 2048, 11);
    metrics(&summarise(p, &runs[0]))
}

#[test]
fn one_obligated_reused_across_prior_draws_prepares_what_each_draw_prepares_afresh() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let table = table();
    let a = lib
        .assessments
        .iter()
        .find(|a| a.id == "ukraine")
        .expect("the ukraine assessment");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    // A per-actor value too, so that lookups by obligor take part.
    let usa = lib.find_actor("USA").unwrap();
    let stake = Parameter {
        id: "honour.stake".into(),
        actor: Some(usa),
        value: 0.4,
        low: None,
        high: None,
        provenance: Provenance::Assumption(String::new()),
        note: None,
        location: String::new(),
    };
    let base = Priors::new(&lib.parameters, &a.parameters).unwrap();
    let per_actor = Priors::new(&lib.parameters, &[a.parameters.clone(), vec![stake]].concat()).unwrap();
    let ranged: Vec<(String, f64, f64)> = base.ranged().map(|(p, l, h)| (p.id.clone(), l, h)).collect();
    assert!(ranged.len() > 10, "the priors state ranges to draw from");
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
    let mut draws = vec![base.clone(), per_actor.clone()];
    for from in [&base, &base, &per_actor] {
        let mut p = from.clone();
        for (id, l, h) in &ranged {
            p = p.with(id, rng.random_range(*l..=*h));
        }
        draws.push(p);
    }
    let mut events = vec![("event", a.event.on(date))];
    events.extend(a.attacks.iter().map(|x| (x.id.as_str(), x.event.on(date))));
    let mut cases = 0;
    for o in &a.options {
        let variant = lib.variant(o, date);
        for (attack, event) in &events {
            let once = Obligated::with_table(&variant, event, &o.forces, &table);
            // Last draw first: nothing of one draw may stay behind for the next.
            for (i, priors) in draws.iter().enumerate().rev() {
                let fresh = prepare_with_table(&variant, event, &o.forces, priors, &table);
                let reused = once.with_priors(priors);
                assert_eq!(
                    format!("{reused:?}"),
                    format!("{fresh:?}"),
                    "{} against {attack}, draw {i}",
                    o.id
                );
                assert_eq!(run_metrics(&reused), run_metrics(&fresh));
                cases += 1;
            }
        }
    }
    assert_eq!(cases, a.options.len() * events.len() * draws.len());
    // The draws change what is prepared (else the test would prove nothing).
    let variant = lib.variant(&a.options[0], date);
    let once = Obligated::with_table(&variant, &events[0].1, &a.options[0].forces, &table);
    let honour = |p: &Priors| -> Vec<f64> {
        once.with_priors(p)
            .guarantors
            .iter()
            .map(|g| g.p_honour)
            .collect()
    };
    assert_ne!(honour(&draws[0]), honour(&draws[2]));
    assert_ne!(honour(&draws[0]), honour(&draws[1]));
}
