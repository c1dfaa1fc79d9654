//! The library checked against the record: `check --against atop` (every disagreement with
//! ATOP's coding, and whether the library explains it).

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
