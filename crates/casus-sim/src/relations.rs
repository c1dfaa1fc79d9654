//! What lies between an obligor and the state it would defend, beyond the commitment: their
//! alignment (how alike their defence-pact portfolios are, ATOP) and the standing record of
//! the commitment (requests made under it and whether they were met). Tables are handed in
//! as text; this module reads no file.

use std::collections::{BTreeMap, BTreeSet};

use casus_syntax::{Diagnostic, SourceFile};

/// Non-empty, non-comment lines with their byte offsets.
fn lines(file: &SourceFile) -> impl Iterator<Item = (usize, &str)> {
    file.text
        .split_inclusive('\n')
        .scan(0usize, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line.trim_end_matches(['\n', '\r'])))
        })
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
}

/// The byte range of cell `i` of a tab-separated line starting at `start`.
fn cell_span(start: usize, line: &str, i: usize) -> std::ops::Range<usize> {
    let cells: Vec<&str> = line.split('\t').collect();
    let before: usize = cells.iter().take(i).map(|c| c.len() + 1).sum();
    let len = cells.get(i).map_or(0, |c| c.len());
    start + before.min(line.len())..start + (before + len).min(line.len())
}

/// Every state's defence-pact partners in one year (every state of the system has a row,
/// those with no partner too): the portfolios that alliance-portfolio similarity compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolios {
    pub label: String,
    pub year: i32,
    allies: BTreeMap<u16, BTreeSet<u16>>,
}

impl Portfolios {
    /// Reads `ccode<TAB>year<TAB>defence_allies` (space-separated codes, may be empty).
    pub fn parse(file: &SourceFile, label: impl Into<String>) -> Result<Self, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut rows = lines(file);
        let header_ok = rows.next().is_some_and(|(_, h)| {
            h.split('\t')
                .map(str::trim)
                .eq(["ccode", "year", "defence_allies"])
        });
        if !header_ok {
            return Err(vec![Diagnostic::error(
                file,
                0..0,
                "a portfolio table's header is `ccode`, `year`, `defence_allies` (tab-separated)",
            )]);
        }
        let mut allies = BTreeMap::new();
        let mut year = None;
        for (start, line) in rows {
            let cells: Vec<&str> = line.split('\t').collect();
            let code = cells.first().and_then(|c| c.trim().parse::<u16>().ok());
            let y = cells.get(1).and_then(|c| c.trim().parse::<i32>().ok());
            let partners: Option<BTreeSet<u16>> = cells.get(2).map_or(Some(BTreeSet::new()), |c| {
                c.split_whitespace().map(|x| x.parse().ok()).collect()
            });
            match (code, y, partners) {
                (Some(code), Some(y), Some(p)) if year.is_none_or(|x| x == y) => {
                    year = Some(y);
                    if allies.insert(code, p).is_some() {
                        errors.push(Diagnostic::error(
                            file,
                            cell_span(start, line, 0),
                            format!("state code {code} appears twice"),
                        ));
                    }
                }
                (None, ..) => errors.push(Diagnostic::error(
                    file,
                    cell_span(start, line, 0),
                    "expected a COW state code (a whole number)",
                )),
                (_, None, _) => errors.push(Diagnostic::error(
                    file,
                    cell_span(start, line, 1),
                    "expected a year",
                )),
                (_, Some(_), None) => errors.push(Diagnostic::error(
                    file,
                    cell_span(start, line, 2),
                    "expected COW state codes separated by spaces",
                )),
                _ => errors.push(Diagnostic::error(
                    file,
                    cell_span(start, line, 1),
                    "every row of a portfolio table has the same year",
                )),
            }
        }
        match (errors.is_empty(), year) {
            (true, Some(year)) => Ok(Self {
                label: label.into(),
                year,
                allies,
            }),
            (true, None) => Err(vec![Diagnostic::error(file, 0..0, "empty portfolio table")]),
            _ => Err(errors),
        }
    }

    /// Cohen's kappa between the two states' portfolios over every state in the table (Häge
    /// 2011's chance-corrected alliance-portfolio similarity; each state counts as allied
    /// with itself, as in Signorino & Ritter 1999), with the tie between the two counted:
    /// the commitment being assessed creates it, and the cases behind the base rate had it.
    /// `None` if either state is not in the table.
    pub fn kappa(&self, a: u16, b: u16) -> Option<f64> {
        self.kappa_with(a, b, &BTreeSet::new())
    }

    /// [`Portfolios::kappa`] with `b`'s portfolio widened by the states in `extra` (those an
    /// assessed option would ally with `b`).
    pub fn kappa_with(&self, a: u16, b: u16, extra: &BTreeSet<u16>) -> Option<f64> {
        let portfolio = |x: u16, other: u16| -> Option<BTreeSet<u16>> {
            let mut s = self.allies.get(&x)?.clone();
            s.insert(x);
            s.insert(other);
            if x == b {
                s.extend(extra.iter().filter(|e| self.allies.contains_key(e)));
            }
            Some(s)
        };
        let (pa, pb) = (portfolio(a, b)?, portfolio(b, a)?);
        let n = self.allies.len() as f64;
        let only = pa.symmetric_difference(&pb).count() as f64;
        let observed = (n - only) / n;
        let (fa, fb) = (pa.len() as f64 / n, pb.len() as f64 / n);
        let chance = fa * fb + (1.0 - fa) * (1.0 - fb);
        (chance < 1.0).then(|| (observed - chance) / (1.0 - chance))
    }
}

/// What a request under a commitment asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Consultation,
    Assistance,
}

/// One request made under a commitment and whether it was met.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub commitment: String,
    pub kind: RecordKind,
    pub date: String,
    pub requester: String,
    pub met: bool,
    pub source: String,
}

/// A standing body's record: the requests made under commitments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Records {
    pub records: Vec<Record>,
    /// Leader-follower rules (a separate table, carried here so that one bundle reaches
    /// the preparation).
    pub follows: Vec<Follows>,
}

impl Records {
    /// Reads `commitment, kind, date, requester, outcome, what, source` (tab-separated;
    /// kind `consultation` or `assistance`, outcome `met` or `refused`).
    pub fn parse(file: &SourceFile) -> Result<Self, Vec<Diagnostic>> {
        const HEADER: [&str; 7] = [
            "commitment",
            "kind",
            "date",
            "requester",
            "outcome",
            "what",
            "source",
        ];
        let mut rows = lines(file);
        if !rows
            .next()
            .is_some_and(|(_, h)| h.split('\t').map(str::trim).eq(HEADER))
        {
            return Err(vec![Diagnostic::error(
                file,
                0..0,
                format!("a record table's header is {} (tab-separated)", HEADER.join(", ")),
            )]);
        }
        let mut errors = Vec::new();
        let mut records = Vec::new();
        for (start, line) in rows {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let get = |i: usize| cells.get(i).copied().unwrap_or("");
            let kind = match get(1) {
                "consultation" => Some(RecordKind::Consultation),
                "assistance" => Some(RecordKind::Assistance),
                _ => None,
            };
            let met = match get(4) {
                "met" => Some(true),
                "refused" => Some(false),
                _ => None,
            };
            let mut bad = |i: usize, what: &str| {
                errors.push(Diagnostic::error(
                    file,
                    cell_span(start, line, i),
                    format!("expected {what}"),
                ))
            };
            if get(0).is_empty() {
                bad(0, "a commitment id");
            } else if kind.is_none() {
                bad(1, "`consultation` or `assistance`");
            } else if met.is_none() {
                bad(4, "`met` or `refused`");
            } else if !get(6).starts_with("http") {
                bad(6, "a source (a web address)");
            } else {
                records.push(Record {
                    commitment: get(0).to_string(),
                    kind: kind.unwrap_or(RecordKind::Assistance),
                    date: get(2).to_string(),
                    requester: get(3).to_string(),
                    met: met.unwrap_or(false),
                    source: get(6).to_string(),
                });
            }
        }
        if errors.is_empty() {
            Ok(Self {
                records,
                follows: Vec::new(),
            })
        } else {
            Err(errors)
        }
    }

    /// The same records with leader-follower rules.
    pub fn with_follows(mut self, follows: Vec<Follows>) -> Self {
        self.follows = follows;
        self
    }

    /// Requests of this kind under the commitment: (met, refused), or `None` if there were none.
    pub fn counts(&self, commitment: &str, kind: RecordKind) -> Option<(u32, u32)> {
        let (mut met, mut refused) = (0, 0);
        for r in self
            .records
            .iter()
            .filter(|r| r.commitment == commitment && r.kind == kind)
        {
            if r.met {
                met += 1;
            } else {
                refused += 1;
            }
        }
        (met + refused > 0).then_some((met, refused))
    }
}

/// A state whose response under a commitment waits for another's decision, where a source
/// says so (a government that commits forces only with another's backing).
#[derive(Debug, Clone, PartialEq)]
pub struct Follows {
    pub commitment: String,
    pub follower: String,
    pub leader: String,
    pub source: String,
}

/// Reads `commitment, follower, leader, what, source` (tab-separated; actors by id).
pub fn parse_follows(file: &SourceFile) -> Result<Vec<Follows>, Vec<Diagnostic>> {
    const HEADER: [&str; 5] = ["commitment", "follower", "leader", "what", "source"];
    let mut rows = lines(file);
    if !rows
        .next()
        .is_some_and(|(_, h)| h.split('\t').map(str::trim).eq(HEADER))
    {
        return Err(vec![Diagnostic::error(
            file,
            0..0,
            format!(
                "a leader-follower table's header is {} (tab-separated)",
                HEADER.join(", ")
            ),
        )]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (start, line) in rows {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        let get = |i: usize| cells.get(i).copied().unwrap_or("");
        if let Some(i) = (0..3).find(|&i| get(i).is_empty()) {
            errors.push(Diagnostic::error(
                file,
                cell_span(start, line, i),
                "expected an id",
            ));
        } else if !get(4).starts_with("http") {
            errors.push(Diagnostic::error(
                file,
                cell_span(start, line, 4),
                "expected a source (a web address)",
            ));
        } else {
            out.push(Follows {
                commitment: get(0).to_string(),
                follower: get(1).to_string(),
                leader: get(2).to_string(),
                source: get(4).to_string(),
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The record's log-odds of a request being met, shrunk towards even odds by half a case
/// each way (the Jeffreys estimate): 9 of 9 gives logit(0.95) = 2.94, 1 of 3 gives −0.51.
pub fn record_log_odds(met: u32, refused: u32) -> f64 {
    let q = (met as f64 + 0.5) / ((met + refused) as f64 + 1.0);
    (q / (1.0 - q)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.tsv", text)
    }

    #[test]
    fn kappa_against_a_hand_count() {
        // Four states; 1 and 2 allied, 3 and 4 alone. Portfolios of 1 and 2 with self and
        // the tie: {1, 2} and {1, 2}: identical, kappa 1.
        let p = Portfolios::parse(
            &file("ccode\tyear\tdefence_allies\n1\t2018\t2\n2\t2018\t1\n3\t2018\t\n4\t2018\t\n"),
            "t",
        )
        .unwrap();
        assert!((p.kappa(1, 2).unwrap() - 1.0).abs() < 1e-12);
        // 1 and 3: {1, 2, 3} against {1, 3}: agree on 1, 3 (yes) and 4 (no), differ on 2:
        // observed 3/4; chance (3/4)(2/4) + (1/4)(2/4) = 1/2; kappa (3/4 − 1/2) / (1/2) = 1/2.
        assert!((p.kappa(1, 3).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(p.kappa(1, 9), None);
        // An option that allies 3 with 1 and 2: 3's portfolio {1, 2, 3} against 2's {1, 2, 3}
        // (2 gains 3 through the tie with it): identical, kappa 1.
        let extra = [1u16, 2].into_iter().collect();
        assert!((p.kappa_with(2, 3, &extra).unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn record_counts_and_located_errors() {
        let r = Records::parse(&file(
            "commitment\tkind\tdate\trequester\toutcome\twhat\tsource\n\
             nat\tconsultation\t2020-02-28\tTUR\tmet\tx\thttps://a\n\
             csto\tassistance\t2022-01-06\tKAZ\tmet\tx\thttps://b\n\
             csto\tassistance\t2022-09-13\tARM\trefused\tx\thttps://c\n",
        ))
        .unwrap();
        assert_eq!(r.counts("nat", RecordKind::Consultation), Some((1, 0)));
        assert_eq!(r.counts("nat", RecordKind::Assistance), None);
        assert_eq!(r.counts("csto", RecordKind::Assistance), Some((1, 1)));
        assert!((record_log_odds(9, 0) - (0.95f64 / 0.05).ln()).abs() < 1e-12);
        assert!((record_log_odds(1, 1)).abs() < 1e-12);
        let e = Records::parse(&file(
            "commitment\tkind\tdate\trequester\toutcome\twhat\tsource\nnat\tconsult\t2020\tTUR\tmet\tx\thttps://a\n",
        ))
        .unwrap_err();
        assert!(e[0].message.contains("consultation"), "{:?}", e[0].message);
    }
}
