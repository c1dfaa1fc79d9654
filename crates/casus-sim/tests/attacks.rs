//! The attacks of an assessment are data: each a variant of its event, and each design's
//! triggers, thresholds and geography decide what is owed in each.

use casus_sim::capability::Table;
use casus_sim::{prepare_with_table, Priors};

#[test]
fn the_ukraine_assessment_tests_five_attacks_and_triggers_decide_what_is_owed() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let a = lib.assessments.iter().find(|a| a.id == "ukraine").unwrap();
    let ids: Vec<&str> = a.attacks.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "major-attack",
            "limited-incursion",
            "hybrid",
            "air-strikes",
            "occupied-territory"
        ]
    );
    assert!(a.attacks.iter().all(|x| !x.description.is_empty()));
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0").unwrap();
    let priors = Priors::new(&lib.parameters, &a.parameters).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let option = |id: &str| a.options.iter().find(|o| o.id == id).unwrap();
    let usa = lib.find_actor("USA").unwrap();
    let us_bound_to_fight = |attack: &str| {
        let o = option("us-article5-like");
        let x = a.attacks.iter().find(|x| x.id == attack).unwrap();
        let p = prepare_with_table(
            &lib.variant(o, date),
            &x.event.on(date),
            &o.forces,
            &priors,
            &table,
        );
        p.guarantors.iter().any(|g| g.actor == usa && g.military)
    };
    // The reported US proposal answers a "significant, deliberate, and sustained" attack only.
    assert!(us_bound_to_fight("major-attack"));
    assert!(!us_bound_to_fight("limited-incursion"));
    assert!(!us_bound_to_fight("hybrid"));
    assert!(!us_bound_to_fight("air-strikes"));
    // NATO's Art. 5 answers an armed attack of any size on the member's territory; a threat
    // below it brings consultation only.
    let nato = option("nato-membership");
    let bound = |attack: &str| {
        let x = a.attacks.iter().find(|x| x.id == attack).unwrap();
        let p = prepare_with_table(
            &lib.variant(nato, date),
            &x.event.on(date),
            &nato.forces,
            &priors,
            &table,
        );
        (p.military_obligors(), p.obligors())
    };
    assert_eq!(bound("limited-incursion").0, 32);
    let (military, any) = bound("hybrid");
    assert_eq!(military, 0);
    assert!(any > 0, "consultation under Art. 4");
}

#[test]
fn a_bad_attack_is_a_located_error() {
    let mut files = casus_library::files();
    let f = files
        .iter_mut()
        .find(|f| f.path.ends_with("assessments/ukraine.toml"))
        .unwrap();
    f.text.push_str(
        "\n[[attack]]\nid = \"hybrid\"\ndescription = \"again\"\n\n[[attack]]\nid = \"x\"\ndescription = \"x\"\nplace = \"UA-99\"\nseverity = \"huge\"\n",
    );
    let loaded = casus_model::load(&files);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == casus_syntax::Level::Error)
        .map(|d| format!("{}:{}:{}: {}", d.path, d.start.line, d.start.column, d.message))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].contains("attack `hybrid` is defined twice"),
        "{errors:#?}"
    );
    assert!(errors
        .iter()
        .all(|e| e.starts_with("library/assessments/ukraine.toml:")));
}

#[test]
fn the_worked_example_in_the_docs_loads_and_runs() {
    let doc = include_str!("../../../docs/credibility.md");
    let start = doc.find("```toml\n[assessment]").expect("the example") + "```toml\n".len();
    let text = &doc[start..start + doc[start..].find("```").unwrap()];
    let mut files = casus_library::files();
    files.push(casus_syntax::SourceFile::new("baltic.toml", text));
    let loaded = casus_model::load(&files);
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == casus_syntax::Level::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let lib = &loaded.library;
    let a = lib.assessments.iter().find(|a| a.id == "baltic").unwrap();
    assert_eq!((a.options.len(), a.attacks.len(), a.parameters.len()), (2, 2, 1));
    let table = Table::parse(&casus_library::capabilities(), "COW NMC 7.0").unwrap();
    let priors = Priors::new(&lib.parameters, &a.parameters).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let deu = lib.find_actor("DEU").unwrap();
    let p_deu = |o: usize| {
        let o = &a.options[o];
        let p = prepare_with_table(
            &lib.variant(o, date),
            &a.event.on(date),
            &o.forces,
            &priors,
            &table,
        );
        p.guarantors
            .iter()
            .find(|g| g.actor == deu && g.military)
            .unwrap()
            .p_honour
    };
    assert!(p_deu(1) > p_deu(0), "the stationed brigade is a tripwire");
}
