//! The built-in library loads without errors and every scenario test in it holds.

use casus_engine::scenario;

#[test]
fn builtin_library_has_no_errors() {
    let loaded = casus_library::load();
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.short())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    let warnings: Vec<String> = loaded.diagnostics.iter().map(|d| d.short()).collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
}

#[test]
fn every_scenario_test_holds() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    assert!(
        lib.scenarios.len() >= 10,
        "only {} scenarios",
        lib.scenarios.len()
    );
    let mut failures = Vec::new();
    for s in &lib.scenarios {
        let r = scenario::run(lib, s);
        assert!(
            r.checked > 0,
            "scenario {} at {} checks nothing",
            r.name,
            r.location
        );
        for f in r.failures {
            failures.push(format!("{} ({}): {f}", r.name, r.location));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
