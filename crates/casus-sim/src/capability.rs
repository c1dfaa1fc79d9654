//! Capability per state: a table keyed by Correlates of War code, from the built-in
//! default (`library/capabilities/`, COW NMC 7.0, latest year per state) or a file the
//! user gives. The text is handed in; this module reads no file.

use std::collections::BTreeMap;

use casus_model::{ActorId, Library};
use casus_syntax::{Diagnostic, SourceFile};
use chrono::NaiveDate;

/// One state's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub year: i32,
    /// Composite Index of National Capability: a share of the system's total, 0 to 1.
    pub cinc: f64,
    /// Military expenditure, thousands of current US dollars; `None` where the data has none.
    pub milex: Option<f64>,
    /// A major power in COW's list; `None` where the table does not say.
    pub major: Option<bool>,
}

/// Capability figures by COW state code, with a description for report headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub label: String,
    entries: BTreeMap<u16, Entry>,
}

impl Table {
    /// Reads a tab-separated table with a header naming at least `ccode`, `year` and
    /// `cinc` (and optionally `milex`, `major`). Lines starting with `#` are comments.
    /// Every problem is reported at its `file:line:column`.
    pub fn parse(file: &SourceFile, label: impl Into<String>) -> Result<Self, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut lines = file
            .text
            .split_inclusive('\n')
            .scan(0usize, |offset, line| {
                let start = *offset;
                *offset += line.len();
                Some((start, line.trim_end_matches(['\n', '\r'])))
            })
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        let Some((_, header)) = lines.next() else {
            return Err(vec![Diagnostic::error(file, 0..0, "empty capability table")]);
        };
        let names: Vec<&str> = header.split('\t').map(str::trim).collect();
        let col = |name: &str| names.iter().position(|h| *h == name);
        let (Some(ci), Some(yi), Some(si)) = (col("ccode"), col("year"), col("cinc")) else {
            return Err(vec![Diagnostic::error(
                file,
                0..header.len(),
                "a capability table's header names `ccode`, `year` and `cinc` (tab-separated)",
            )]);
        };
        let (mi, ji) = (col("milex"), col("major"));
        let mut entries = BTreeMap::new();
        for (start, line) in lines {
            let cells: Vec<&str> = line.split('\t').collect();
            // The byte range of cell `i`, for located errors.
            let span = |i: usize| {
                let before: usize = cells.iter().take(i).map(|c| c.len() + 1).sum();
                let len = cells.get(i).map_or(0, |c| c.len());
                start + before.min(line.len())..start + (before + len).min(line.len())
            };
            let mut bad = |i: usize, what: &str| {
                errors.push(Diagnostic::error(file, span(i), format!("expected {what}")));
            };
            let code = cells.get(ci).and_then(|c| c.trim().parse::<u16>().ok());
            let year = cells.get(yi).and_then(|c| c.trim().parse::<i32>().ok());
            let cinc = cells
                .get(si)
                .and_then(|c| c.trim().parse::<f64>().ok())
                .filter(|x| x.is_finite() && (0.0..=1.0).contains(x));
            let milex = match mi.and_then(|i| cells.get(i)).map(|c| c.trim()) {
                None | Some("") => Ok(None),
                Some(c) => c.parse::<f64>().map(Some).map_err(|_| ()),
            };
            let major = match ji.and_then(|i| cells.get(i)).map(|c| c.trim()) {
                None | Some("") => Ok(None),
                Some("yes") => Ok(Some(true)),
                Some("no") => Ok(Some(false)),
                Some(_) => Err(()),
            };
            match (code, year, cinc, milex, major) {
                (Some(code), Some(year), Some(cinc), Ok(milex), Ok(major)) => {
                    if entries
                        .insert(
                            code,
                            Entry {
                                year,
                                cinc,
                                milex,
                                major,
                            },
                        )
                        .is_some()
                    {
                        errors.push(Diagnostic::error(
                            file,
                            span(ci),
                            format!("state code {code} appears twice"),
                        ));
                    }
                }
                _ => {
                    if code.is_none() {
                        bad(ci, "a COW state code (a whole number)");
                    }
                    if year.is_none() {
                        bad(yi, "a year");
                    }
                    if cinc.is_none() {
                        bad(si, "a CINC score between 0 and 1");
                    }
                    if milex.is_err() {
                        bad(mi.unwrap_or(0), "military expenditure as a number, or nothing");
                    }
                    if major.is_err() {
                        bad(ji.unwrap_or(0), "`yes`, `no` or nothing");
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Self {
                label: label.into(),
                entries,
            })
        } else {
            Err(errors)
        }
    }

    /// Replaces the CINC scores with the user's (e.g. a full COW NMC file read for the
    /// event's year); major-power status and expenditure stay where the codes agree.
    pub fn with_scores(&self, scores: &BTreeMap<u16, (i32, f64)>, label: impl Into<String>) -> Self {
        let entries = scores
            .iter()
            .map(|(&code, &(year, cinc))| {
                let old = self.entries.get(&code);
                (
                    code,
                    Entry {
                        year,
                        cinc,
                        milex: old.filter(|e| e.year == year).and_then(|e| e.milex),
                        major: old.and_then(|e| e.major),
                    },
                )
            })
            .collect();
        Self {
            label: label.into(),
            entries,
        }
    }

    pub fn get(&self, code: u16) -> Option<&Entry> {
        self.entries.get(&code)
    }

    /// The actor's figures on the date (through its dated COW code).
    pub fn for_actor(&self, lib: &Library, actor: ActorId, date: NaiveDate) -> Option<&Entry> {
        self.get(lib.cow_code(actor, date)?)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The latest year of any figure (for headers: "CINC 2022").
    pub fn latest_year(&self) -> Option<i32> {
        self.entries.values().map(|e| e.year).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("caps.tsv", text)
    }

    #[test]
    fn reads_the_columns_and_leaves_missing_expenditure_unknown() {
        let t = Table::parse(
            &file("# comment\nccode\tyear\tcinc\tmilex\tmajor\n2\t2022\t0.12\t838814000\tyes\n40\t2022\t0.001\t\tno\n"),
            "test",
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            t.get(2),
            Some(&Entry {
                year: 2022,
                cinc: 0.12,
                milex: Some(838_814_000.0),
                major: Some(true)
            })
        );
        assert_eq!(t.get(40).unwrap().milex, None);
        assert_eq!(t.latest_year(), Some(2022));
    }

    #[test]
    fn bad_cells_are_located() {
        let e = Table::parse(&file("ccode\tyear\tcinc\n2\t2022\t0.1\nx\t2022\t1.5\n"), "test").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!((e[0].start.line, e[0].start.column), (3, 1));
        assert_eq!((e[1].start.line, e[1].start.column), (3, 8));
        assert!(Table::parse(&file("a\tb\n"), "t").is_err());
    }

    #[test]
    fn user_scores_replace_cinc_and_keep_major_status() {
        let t = Table::parse(
            &file("ccode\tyear\tcinc\tmilex\tmajor\n2\t2022\t0.12\t5\tyes\n"),
            "built in",
        )
        .unwrap();
        let scores = BTreeMap::from([(2u16, (2021, 0.2)), (20u16, (2021, 0.01))]);
        let u = t.with_scores(&scores, "user");
        assert_eq!(u.get(2).unwrap().cinc, 0.2);
        assert_eq!(u.get(2).unwrap().major, Some(true));
        assert_eq!(
            u.get(2).unwrap().milex,
            None,
            "another year's expenditure is not carried over"
        );
        assert_eq!(u.get(20).unwrap().major, None);
    }
}
