//! Why two designs differ: Shapley shares over design factors add up to the difference,
//! the hybrids at the corners are the two designs, and a factor that does not differ
//! gets nothing.

use casus_sim::capability::Table;
use casus_sim::difference::{explain_difference, hybrid, FACTORS};
use casus_sim::{prepare_with_table, run, Prepared, Priors, RunConfig};

fn options() -> Vec<(String, Prepared)> {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let a = lib.assessments.iter().find(|a| a.id == "ukraine").unwrap();
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0").unwrap();
    let priors = Priors::new(&lib.parameters, &a.parameters).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    a.options
        .iter()
        .map(|o| {
            let p = prepare_with_table(
                &lib.variant(o, date),
                &a.event.on(date),
                &o.forces,
                &priors,
                &table,
            );
            (o.id.clone(), p)
        })
        .collect()
}

fn cfg(trials: u64) -> RunConfig {
    RunConfig {
        trials: Some(trials),
        precision: 0.0,
        max_trials: trials,
        seed: 3,
        threads: 2,
        keep_trials: false,
    }
}

#[test]
fn contributions_add_up_to_the_difference_between_nato_and_the_us_guarantee() {
    let all = options();
    let get = |id: &str| all.iter().find(|(i, _)| i == id).unwrap().1.clone();
    let (nato, us) = (get("nato-membership"), get("us-article5-like"));
    for metric in [
        "p_any_military_response",
        "p_lead_military_response",
        "p_capability_ge_1",
    ] {
        let d = explain_difference(&nato, &us, metric, &cfg(4_096));
        let sum: f64 = d.factors.iter().map(|f| f.contribution).sum();
        assert!(
            (sum - d.difference).abs() < 1e-9,
            "{metric}: {sum} vs {}",
            d.difference
        );
        assert_eq!(d.factors.len(), FACTORS.len());
        // The corners are the two designs themselves (same seed, same tallies).
        let direct = run(&[nato.clone(), us.clone()], &cfg(4_096), &mut |_, _| {});
        let corners = run(
            &[
                hybrid(&nato, &us, 0),
                hybrid(&nato, &us, (1 << FACTORS.len()) - 1),
            ],
            &cfg(4_096),
            &mut |_, _| {},
        );
        assert_eq!(direct[0].tally, corners[0].tally);
        assert_eq!(direct[1].tally, corners[1].tally);
    }
}

#[test]
fn a_factor_that_does_not_differ_gets_nothing() {
    let all = options();
    let a = all
        .iter()
        .find(|(i, _)| i == "us-article5-like")
        .unwrap()
        .1
        .clone();
    // The same design with every obligation's legal form one step weaker (political).
    let mut b = a.clone();
    for g in &mut b.guarantors {
        for e in &mut g.effects {
            if e.0.starts_with("honour.binding.") {
                let x = -0.5 - e.1;
                e.0 = "honour.binding.political";
                e.1 = -0.5;
                g.p_honour = 1.0 / (1.0 + (-((g.p_honour / (1.0 - g.p_honour)).ln() + x)).exp());
            }
        }
    }
    let d = explain_difference(&a, &b, "p_any_military_response", &cfg(16_384));
    assert!(d.difference < 0.0, "{d:?}");
    for f in &d.factors {
        if f.factor == "legal_form" {
            assert!((f.contribution - d.difference).abs() < 1e-12, "{d:?}");
        } else {
            assert_eq!(f.contribution, 0.0, "{}: {d:?}", f.factor);
        }
    }
}
