//! Military capabilities by state from a Correlates of War National Material Capabilities
//! CSV (columns `ccode`, `year`, `cinc`): the latest score on or before a year. One reader,
//! used by every question that weighs guarantors (compare, simulate, assess).

use std::collections::BTreeMap;

use casus_syntax::SourceFile;

use crate::Result;

/// CINC scores by COW code, each the latest on or before the year asked.
#[derive(Debug, Clone, Default)]
pub struct Capabilities {
    pub cinc: BTreeMap<u16, f64>,
    /// The latest year any score comes from.
    pub year: i32,
    /// Where the scores come from, for headings (`CINC from FILE (year Y)`).
    pub label: String,
}

/// Reads an NMC file (through the one reader of CINC scores, `casus_history::cow::parse_cinc`).
/// Missing scores (`NA`, empty) are skipped: unknown, not zero.
pub fn parse_nmc(file: &SourceFile, year: i32) -> Result<Capabilities> {
    let mut best: BTreeMap<u16, (i32, f64)> = BTreeMap::new();
    for c in casus_history::cow::parse_cinc(file)? {
        let y = c.year as i32;
        if y <= year && best.get(&c.ccode).is_none_or(|(by, _)| y > *by) {
            best.insert(c.ccode, (y, c.cinc));
        }
    }
    let latest = best.values().map(|(y, _)| *y).max().unwrap_or(year);
    Ok(Capabilities {
        cinc: best.into_iter().map(|(k, (_, v))| (k, v)).collect(),
        year: latest,
        label: format!("CINC from {} (year {latest})", file.path),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_score_before_the_year_and_na_skipped() {
        let f = SourceFile::new(
            "nmc.csv",
            "ccode,year,cinc\n2,2010,0.15\n2,2012,0.14\n2,2030,0.5\n365,2012,NA\n365,2011,0.04\n",
        );
        let c = parse_nmc(&f, 2020).unwrap();
        assert_eq!(c.cinc[&2], 0.14);
        assert_eq!(c.cinc[&365], 0.04);
        assert_eq!(c.year, 2012);
    }

    #[test]
    fn a_bad_cell_is_located() {
        let f = SourceFile::new("nmc.csv", "ccode,year,cinc\n2,2010,0.15\nx,2012,0.14\n");
        let e = parse_nmc(&f, 2020).unwrap_err();
        assert!(e.to_string().starts_with("nmc.csv:3:1:"), "{e}");
    }
}
