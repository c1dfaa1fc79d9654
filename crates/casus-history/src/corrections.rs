//! ATOP's hand corrections of directed obligations in multilateral alliances whose members
//! owe different things to different partners (OBVARY). The data is in
//! `data/atop-5.1-directed.tsv`, with its source; this module only reads it.

use casus_syntax::table::{Options, Table};
use casus_syntax::{Diagnostic, SourceFile};

use crate::atop::Obligations;

/// One directed correction: `obligor` does not owe `withheld` to `beneficiary` in this alliance phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub atopid: u32,
    pub phase: u8,
    pub obligor: u16,
    pub beneficiary: u16,
    pub withheld: u8,
    pub source: String,
}

/// The corrections for one ATOP version, sorted for lookup.
#[derive(Debug, Clone, Default)]
pub struct Corrections {
    rows: Vec<Correction>,
}

const ATOP_5_1: &str = include_str!("../data/atop-5.1-directed.tsv");

impl Corrections {
    /// The corrections that go with an ATOP version (none are known for other versions).
    pub fn for_version(version: &str) -> Self {
        match version {
            "5.1" => Self::parse(&SourceFile::new("atop-5.1-directed.tsv", ATOP_5_1)).unwrap_or_default(),
            _ => Self::default(),
        }
    }

    /// Reads a corrections table: header `atopid phase obligor beneficiary withheld note`,
    /// tab-separated, `#` comments; `withheld` is a comma list of ATOP obligation names.
    pub fn parse(file: &SourceFile) -> Result<Self, Diagnostic> {
        let t = Table::parse(
            file,
            Options {
                delimiter: b'\t',
                comments: true,
            },
        )?;
        let c = |n: &str| t.column(n);
        let (atopid, phase, obligor, beneficiary, withheld, note) = (
            c("atopid")?,
            c("phase")?,
            c("obligor")?,
            c("beneficiary")?,
            c("withheld")?,
            c("note")?,
        );
        let mut rows = Vec::new();
        for row in &t.rows {
            let mut bits = 0u8;
            for name in row.text(withheld).split(',') {
                bits |= Obligations::from_name(name.trim()).ok_or_else(|| {
                    t.error(
                        row,
                        withheld,
                        format!(
                            "`{name}` is not an ATOP obligation (defense, offense, neutral, nonagg, consul)"
                        ),
                    )
                })?;
            }
            let num = |k: usize| -> Result<i64, Diagnostic> { t.required(row, k) };
            rows.push(Correction {
                atopid: num(atopid)? as u32,
                phase: num(phase)? as u8,
                obligor: num(obligor)? as u16,
                beneficiary: num(beneficiary)? as u16,
                withheld: bits,
                source: row.text(note).to_string(),
            });
        }
        rows.sort_by_key(|c| (c.atopid, c.phase, c.obligor, c.beneficiary));
        Ok(Self { rows })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    pub fn rows(&self) -> &[Correction] {
        &self.rows
    }

    /// Whether an alliance phase has any correction.
    pub fn touches(&self, atopid: u32, phase: u8) -> bool {
        let i = self
            .rows
            .partition_point(|c| (c.atopid, c.phase) < (atopid, phase));
        self.rows
            .get(i)
            .is_some_and(|c| (c.atopid, c.phase) == (atopid, phase))
    }

    /// The obligations `obligor` does not owe `beneficiary` in this alliance phase (bits).
    pub fn withheld(&self, atopid: u32, phase: u8, obligor: u16, beneficiary: u16) -> u8 {
        let key = (atopid, phase, obligor, beneficiary);
        self.rows
            .binary_search_by_key(&key, |c| (c.atopid, c.phase, c.obligor, c.beneficiary))
            .map_or(0, |i| self.rows[i].withheld)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_reads() {
        let c = Corrections::for_version("5.1");
        assert!(c.len() > 50, "{}", c.len());
        // Locarno (1925): Germany does not guarantee Britain or Italy.
        assert_eq!(
            c.withheld(2130, 0, 255, 200),
            Obligations::DEFENSE | Obligations::NONAGG
        );
        assert!(c.touches(1350, 3));
        assert_eq!(c.withheld(3180, 2, 2, 20), 0);
        assert!(Corrections::for_version("4.01").is_empty());
    }

    #[test]
    fn bad_rows_are_located() {
        let f = SourceFile::new(
            "c.tsv",
            "# x\natopid\tphase\tobligor\tbeneficiary\twithheld\tnote\n1\t0\t2\t20\tdefence\tnote\n",
        );
        let e = Corrections::parse(&f).unwrap_err();
        assert_eq!((e.start.line, e.start.column), (3, 10));
        assert!(e.message.contains("not an ATOP obligation"));
    }
}
