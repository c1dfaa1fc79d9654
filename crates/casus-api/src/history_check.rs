//! The library checked against the record: `check --against atop` (every disagreement with
//! ATOP's coding, and whether the library explains it) and `check --coverage atop` (which of
//! ATOP's active defence commitments the library encodes, and why not the others).

use casus_history::atop::Release;
use casus_history::coverage::{self, AgainstAtop, CoverageRow};
use casus_history::crosscheck::{self, Finding};
use casus_model::Library;
use casus_render::{Report, Section};
use casus_syntax::SourceFile;
use schemars::JsonSchema;
use serde::Serialize;

use crate::{Answer, Result};

/// What `casus check --against atop --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AtopCheck {
    pub atop_file: String,
    pub compared: Vec<String>,
    pub disagreements: Vec<Finding>,
    pub unexplained: usize,
}

/// Compares the commitments that carry `atop = ID` with ATOP's release (`files`: the
/// folder `dir` as the session read it; the member-level file is found by content).
pub fn against_atop(lib: &Library, dir: &str, files: &[SourceFile]) -> Result<Answer<AtopCheck>> {
    let member = casus_history::atop::member_file(dir, files)?;
    let c = crosscheck::cross_check(lib, &member)?;
    let mut s = Section::new(
        format!("Disagreements between the library and ATOP {}", c.version),
        &[
            "commitment",
            "atopid",
            "aspect",
            "who/what",
            "ATOP",
            "casus",
            "explained in library",
        ],
    );
    for f in &c.findings {
        s.row(vec![
            f.commitment.clone(),
            f.atopid.to_string(),
            f.aspect.clone(),
            f.topic.clone(),
            f.atop.clone(),
            f.casus.clone(),
            if f.explained { "yes".into() } else { "NO".into() },
        ]);
    }
    let unexplained = c.findings.iter().filter(|f| !f.explained).count();
    s.notes.push(format!(
        "Compared {} commitments with ATOP ({}): {} disagreements, {unexplained} not explained by an `uncertain` entry that mentions ATOP.",
        c.compared.len(),
        c.compared.join(", "),
        c.findings.len()
    ));
    s.notes.push(format!("ATOP dates entries from signatures (of the treaty or an accession protocol); its coverage ends in {}, so later members and changes are not compared. Defence = an act clause of strength assist or stronger; consultation = consult or seek_un_action; non-aggression = a refrain clause.", c.last_year));
    s.notes.push(format!("Source: {}", member.path));
    let report = Report {
        heading: vec!["casus check --against atop".into()],
        sections: vec![s],
        records: None,
    };
    let data = AtopCheck {
        atop_file: member.path.clone(),
        compared: c.compared,
        disagreements: c.findings,
        unexplained,
    };
    Ok(Answer::new(data, report))
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusCount {
    pub status: String,
    pub alliances: usize,
}

/// What `casus check --coverage atop --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Coverage {
    pub table: String,
    pub alliances: usize,
    pub totals: Vec<StatusCount>,
    /// Disagreements of the table with the library (none in a consistent library).
    pub problems: Vec<String>,
    /// The table against ATOP's release, when it was given.
    pub atop: Option<AgainstAtop>,
    pub rows: Vec<CoverageRow>,
}

/// The coverage table (every ATOP alliance in force at the end of its coverage with a
/// defence or offence obligation, and whether the library encodes it), with totals by
/// status, checked against the library and, when given, ATOP's release.
pub fn coverage(lib: &Library, table: &SourceFile, atop: Option<&Release>) -> Result<Answer<Coverage>> {
    let rows = coverage::read(table)?;
    let totals: Vec<StatusCount> = coverage::STATUSES
        .iter()
        .map(|s| StatusCount {
            status: (*s).into(),
            alliances: rows.iter().filter(|r| r.status == *s).count(),
        })
        .collect();
    let problems = coverage::against_library(lib, &rows);
    let against = atop.map(|r| coverage::against_atop(r, &rows));
    let mut t = Section::new(
        "ATOP alliances in force at the end of ATOP's coverage with a defence or offence obligation",
        &["atopid", "name", "members", "begin", "status", "casus", "reason"],
    );
    for r in &rows {
        t.row(vec![
            r.atopid.to_string(),
            r.name.clone(),
            r.members.len().to_string(),
            r.begin.clone(),
            r.status.clone(),
            r.casus.join(" "),
            r.reason.clone(),
        ]);
    }
    t.notes.push(format!(
        "Table: {} (how it is made: library/coverage/PROVENANCE.md).",
        table.path
    ));
    let mut s = Section::new("Totals by status", &["status", "alliances"]);
    for c in &totals {
        s.row(vec![c.status.clone(), c.alliances.to_string()]);
    }
    s.row(vec!["all".into(), rows.len().to_string()]);
    s.notes.extend(problems.iter().map(|p| format!("problem: {p}")));
    if let Some(a) = &against {
        let ids = |v: &[u32]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ");
        s.notes.push(format!(
            "ATOP {}: {} alliances in force with a defence or offence member at the end of its coverage; missing from the table: {}; in the table but not in force in ATOP: {}.",
            a.version,
            a.active,
            if a.missing_from_table.is_empty() { "none".into() } else { ids(&a.missing_from_table) },
            if a.not_active_in_atop.is_empty() { "none".into() } else { ids(&a.not_active_in_atop) },
        ));
    }
    let report = Report {
        heading: vec![format!(
            "Coverage of ATOP's active defence commitments: {} alliances, {} encoded",
            rows.len(),
            totals[0].alliances
        )],
        sections: vec![t, s],
        records: None,
    };
    let data = Coverage {
        table: table.path.clone(),
        alliances: rows.len(),
        totals,
        problems,
        atop: against,
        rows,
    };
    Ok(Answer::new(data, report))
}
