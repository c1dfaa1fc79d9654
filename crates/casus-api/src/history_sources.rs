//! `check --sources`: every citation of the library graded (primary / official / secondary /
//! mirror) by the documented domain list (`library/sources/grades.tsv`, the rule in
//! `library/sources/README.md`), with counts, and the load-bearing facts (a clause quote, a
//! document's dates, a roster entry) that rest on a mirror alone, known exceptions
//! (`library/sources/exceptions.tsv`) apart.

use std::collections::BTreeMap;

use casus_model::Library;
use casus_render::{Report, Section};
use casus_syntax::table::Table;
use casus_syntax::SourceFile;
use schemars::JsonSchema;
use serde::Serialize;

use crate::{Answer, Result};

/// The grades, best first; `unknown` is a host not listed (counted as secondary).
pub const GRADES: [&str; 5] = ["primary", "official", "secondary", "mirror", "unknown"];

/// The domain list: (domain, grade), longest domain first.
#[derive(Debug)]
pub struct Grades {
    domains: Vec<(String, String)>,
}

impl Grades {
    pub fn read(file: &SourceFile) -> Result<Self> {
        let t = Table::tsv(file)?;
        let (g, d) = (t.column("grade")?, t.column("domain")?);
        let mut domains = Vec::new();
        for row in &t.rows {
            let grade = row.text(g);
            if !GRADES[..4].contains(&grade) {
                return Err(t
                    .error(row, g, format!("`{grade}` is not a grade"))
                    .with_hint("one of: primary, official, secondary, mirror"));
            }
            domains.push((row.text(d).to_ascii_lowercase(), grade.to_string()));
        }
        domains.sort_by_key(|(d, _)| std::cmp::Reverse(d.len()));
        Ok(Self { domains })
    }

    /// The grade of a citation: of the longest listed domain its host ends with.
    pub fn grade(&self, citation: &str) -> &str {
        let Some(host) = host(citation) else {
            return "unknown";
        };
        self.domains
            .iter()
            .find(|(d, _)| host == *d || host.ends_with(&format!(".{d}")))
            .map_or("unknown", |(_, g)| g.as_str())
    }
}

/// Best first; `unknown` counts as secondary.
fn rank(grade: &str) -> usize {
    match grade {
        "primary" => 0,
        "official" => 1,
        "secondary" | "unknown" => 2,
        _ => 3,
    }
}

/// The host of a web address (`https://www.nato.int/x` → `www.nato.int`).
fn host(citation: &str) -> Option<String> {
    let rest = citation
        .trim()
        .strip_prefix("https://")
        .or_else(|| citation.trim().strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    Some(host.to_ascii_lowercase())
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GradeCount {
    pub grade: String,
    pub citations: usize,
}

/// A load-bearing fact that rests on a mirror alone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OnMirror {
    /// The commitment or organisation.
    pub document: String,
    pub fact: String,
    pub source: String,
    /// The reason it stays, when `exceptions.tsv` lists it.
    pub known_exception: Option<String>,
}

/// What `casus check --sources --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SourcesResult {
    pub citations: usize,
    pub grades: Vec<GradeCount>,
    /// Load-bearing facts on a mirror alone that no exception explains.
    pub on_mirror: Vec<OnMirror>,
    /// Those the exceptions list explains.
    pub known_exceptions: Vec<OnMirror>,
    /// Exceptions listed that are no longer findings (remove them from the list).
    pub stale_exceptions: Vec<String>,
    /// Hosts not in the domain list, with their number of citations.
    pub unknown_hosts: BTreeMap<String, usize>,
}

/// Grades every citation of the library and finds the load-bearing facts on a mirror alone.
pub fn sources(
    lib: &Library,
    grades_file: &SourceFile,
    exceptions: &SourceFile,
) -> Result<Answer<SourcesResult>> {
    let g = Grades::read(grades_file)?;
    let ex = Table::tsv(exceptions)?;
    let (ed, ef, er) = (ex.column("document")?, ex.column("fact")?, ex.column("reason")?);
    let known: Vec<(String, String, String)> = ex
        .rows
        .iter()
        .map(|r| (r.text(ed).into(), r.text(ef).into(), r.text(er).into()))
        .collect();

    // Every citation, once per place it is cited.
    let mut all: Vec<&str> = Vec::new();
    let mut facts: Vec<(String, String, &str)> = Vec::new();
    for c in &lib.commitments {
        all.push(&c.source);
        all.extend(c.other_sources.iter().map(String::as_str));
        all.extend(c.uncertain.iter().filter_map(|u| u.source.as_deref()));
        for k in &c.clauses {
            if let Some(s) = &k.citation.source {
                all.push(s);
            }
            if k.citation.quote.is_some() {
                let on = k.citation.source.as_deref().unwrap_or(&c.source);
                facts.push((
                    c.id.clone(),
                    format!("quote of {} (clause {})", k.citation.article, k.id),
                    on,
                ));
            }
        }
        // A document's dates rest on its source and its other sources together: the best of them.
        let best = std::iter::once(c.source.as_str())
            .chain(c.other_sources.iter().map(String::as_str))
            .min_by_key(|s| rank(g.grade(s)))
            .unwrap_or(&c.source);
        for (word, date) in [
            ("signed", &c.signed),
            ("in_force", &c.in_force),
            ("terminated", &c.terminated),
        ] {
            if date.is_some() {
                facts.push((c.id.clone(), format!("{word} date"), best));
            }
        }
    }
    for o in &lib.orgs {
        all.push(&o.source);
        for m in &o.members {
            if let Some(s) = &m.source {
                all.push(s);
            }
            let on = m.source.as_deref().unwrap_or(&o.source);
            facts.push((
                o.id.clone(),
                format!("roster entry {}", lib.actor(m.actor).id),
                on,
            ));
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unknown_hosts: BTreeMap<String, usize> = BTreeMap::new();
    for s in &all {
        let grade = g.grade(s);
        *counts.entry(grade).or_default() += 1;
        if grade == "unknown" {
            *unknown_hosts
                .entry(host(s).unwrap_or_else(|| "(not a web address)".into()))
                .or_default() += 1;
        }
    }
    let (mut on_mirror, mut excepted) = (Vec::new(), Vec::new());
    for (doc, fact, on) in facts {
        if g.grade(on) != "mirror" {
            continue;
        }
        let reason = known
            .iter()
            .find(|(d, f, _)| *d == doc && *f == fact)
            .map(|k| k.2.clone());
        let finding = OnMirror {
            document: doc,
            fact,
            source: on.to_string(),
            known_exception: reason.clone(),
        };
        if reason.is_some() {
            excepted.push(finding);
        } else {
            on_mirror.push(finding);
        }
    }
    let stale: Vec<String> = known
        .iter()
        .filter(|(d, f, _)| !excepted.iter().any(|e| e.document == *d && e.fact == *f))
        .map(|(d, f, _)| format!("{d}: {f}"))
        .collect();
    let grades: Vec<GradeCount> = GRADES
        .iter()
        .map(|g| GradeCount {
            grade: (*g).into(),
            citations: counts.get(g).copied().unwrap_or(0),
        })
        .collect();

    let mut t = Section::new("Citations by grade", &["grade", "citations"]);
    for c in &grades {
        t.row(vec![c.grade.clone(), c.citations.to_string()]);
    }
    t.notes.push(format!(
        "{} citations graded by {} (the rule: library/sources/README.md); `unknown` is a host not listed, counted as secondary.",
        all.len(),
        grades_file.path
    ));
    let mut m = Section::new(
        format!(
            "Load-bearing facts on a mirror alone: {} ({} known exceptions)",
            on_mirror.len(),
            excepted.len()
        ),
        &["document", "fact", "source", "known exception"],
    );
    for f in on_mirror.iter().chain(&excepted) {
        m.row(vec![
            f.document.clone(),
            f.fact.clone(),
            f.source.clone(),
            f.known_exception.clone().unwrap_or_else(|| "NO".into()),
        ]);
    }
    m.notes.extend(
        stale
            .iter()
            .map(|s| format!("stale exception (no longer on a mirror alone): {s}")),
    );
    let mut u = Section::new("Hosts not in the domain list", &["host", "citations"]);
    for (h, n) in &unknown_hosts {
        u.row(vec![h.clone(), n.to_string()]);
    }
    let report = Report {
        heading: vec![format!(
            "Sources of the library: {} citations; {} load-bearing facts on a mirror alone",
            all.len(),
            on_mirror.len() + excepted.len()
        )],
        sections: vec![t, m, u],
        records: None,
    };
    let data = SourcesResult {
        citations: all.len(),
        grades,
        on_mirror,
        known_exceptions: excepted,
        stale_exceptions: stale,
        unknown_hosts,
    };
    Ok(Answer::new(data, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_domain_decides() {
        let f = SourceFile::new(
            "g.tsv",
            "grade\tdomain\tnote\nprimary\tstate.gov\t\nofficial\thistory.state.gov\t\nmirror\tscribd.com\t\n",
        );
        let g = Grades::read(&f).unwrap();
        assert_eq!(g.grade("https://history.state.gov/x"), "official");
        assert_eq!(g.grade("https://www.state.gov/x"), "primary");
        assert_eq!(g.grade("http://notstate.gov/"), "unknown");
        assert_eq!(g.grade("https://www.scribd.com/doc/1"), "mirror");
        assert_eq!(g.grade("5 UST 2368"), "unknown");
        let bad = SourceFile::new("g.tsv", "grade\tdomain\tnote\ngood\tx.org\t\n");
        assert_eq!(Grades::read(&bad).unwrap_err().start.line, 2);
    }
}
