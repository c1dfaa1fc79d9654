//! `check` and `test`: validate library and scenario files (every problem located, with
//! "did you mean"), and run the scenario tests the files carry.

use casus_engine::scenario;
use casus_model::Library;
use casus_render::{Report, Section};
use casus_syntax::{Diagnostic, SourceFile};
use schemars::JsonSchema;
use serde::Serialize;

use crate::Answer;

/// What `casus check --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CheckResult {
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Files of the commitment model and negotiation scenarios, apart (each has its reader).
fn split(files: &[SourceFile]) -> (Vec<SourceFile>, Vec<&SourceFile>) {
    let model = files
        .iter()
        .filter(|f| casus_library::is_model_file(&f.path))
        .cloned()
        .collect();
    let negotiation = files
        .iter()
        .filter(|f| casus_library::is_negotiation(&f.path))
        .collect();
    (model, negotiation)
}

/// Checks every file: the commitment model's files together (cross-references), and each
/// negotiation scenario with its own reader.
pub fn check(files: &[SourceFile]) -> Answer<CheckResult> {
    let (model, negotiation) = split(files);
    let loaded = casus_model::load(&model);
    let mut diagnostics = loaded.diagnostics;
    for f in &negotiation {
        diagnostics.extend(casus_negotiate::parse::scenario_toml(f).diagnostics);
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let lib = &loaded.library;
    let summary = format!(
        "{} files: {} commitments, {} clauses, {} organisations, {} actors, {} places, {} scenarios, {} negotiation scenarios; {errors} errors, {warnings} warnings",
        files.len(),
        lib.commitments.len(),
        lib.commitments.iter().map(|c| c.clauses.len()).sum::<usize>(),
        lib.orgs.len(),
        lib.actors.len(),
        lib.places.len(),
        lib.scenarios.len(),
        negotiation.len(),
    );
    let mut s = Section::new(
        "Diagnostics",
        &["file", "line", "column", "severity", "message", "hints"],
    );
    for d in &diagnostics {
        s.row(vec![
            d.path.clone(),
            d.start.line.to_string(),
            d.start.column.to_string(),
            format!("{:?}", d.severity).to_lowercase(),
            d.message.clone(),
            d.hints.join("; "),
        ]);
    }
    // People read each diagnostic with its line (rendered by the interface, which has the
    // files); the table is the CSV form.
    let report = Report {
        heading: vec![summary],
        sections: vec![],
        records: Some(s),
    };
    Answer::new(
        CheckResult {
            errors,
            warnings,
            diagnostics,
        },
        report,
    )
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScenarioOutcome {
    pub name: String,
    pub location: String,
    pub passed: bool,
    pub failures: Vec<String>,
}

/// What `casus test --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TestResult {
    pub passed: usize,
    pub failed: usize,
    pub scenarios: Vec<ScenarioOutcome>,
}

/// Runs the scenario tests of the loaded library; with `only` (paths), just those the
/// given files define.
pub fn test(lib: &Library, only: &[&str]) -> Answer<TestResult> {
    let results: Vec<_> = lib
        .scenarios
        .iter()
        .filter(|s| only.is_empty() || only.iter().any(|p| s.location.starts_with(&format!("{p}:"))))
        .map(|s| scenario::run(lib, s))
        .collect();
    let passed = results.iter().filter(|r| r.passed()).count();
    let failed = results.len() - passed;
    let mut s = Section::new("Scenario tests", &["result", "scenario", "where"]);
    for r in &results {
        s.row(vec![
            if r.passed() { "ok".into() } else { "FAILED".into() },
            r.name.clone(),
            r.location.clone(),
        ]);
        s.notes.extend(r.failures.iter().map(|f| format!("  {f}")));
    }
    s.notes.push(format!("{passed} passed, {failed} failed"));
    let data = TestResult {
        passed,
        failed,
        scenarios: results
            .iter()
            .map(|r| ScenarioOutcome {
                name: r.name.clone(),
                location: r.location.clone(),
                passed: r.passed(),
                failures: r.failures.clone(),
            })
            .collect(),
    };
    Answer::new(
        data,
        Report {
            heading: vec![],
            sections: vec![s],
            records: None,
        },
    )
}
