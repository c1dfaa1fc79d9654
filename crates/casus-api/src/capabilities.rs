//! Military capabilities by state from a Correlates of War National Material Capabilities
//! CSV (columns `ccode`, `year`, `cinc`): the latest score on or before a year. One reader,
//! used by every question that weighs guarantors (compare, simulate, assess).

use std::collections::BTreeMap;

use casus_syntax::{Diagnostic, SourceFile};

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

/// Reads an NMC file. Missing scores (`NA`, empty) are skipped: unknown, not zero.
pub fn parse_nmc(file: &SourceFile, year: i32) -> Result<Capabilities> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let at = |line: u64, msg: String| Diagnostic::plain(format!("{}:{line}: {msg}", file.path));
    let headers = reader.headers().map_err(|e| at(1, e.to_string()))?.clone();
    let col = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            at(
                1,
                format!("no `{name}` column (expected a COW NMC file with ccode, year and cinc)"),
            )
        })
    };
    let (ci, yi, si) = (col("ccode")?, col("year")?, col("cinc")?);
    let mut best: BTreeMap<u16, (i32, f64)> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            at(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let code: u16 = cell(ci)
            .parse()
            .map_err(|_| at(line, format!("ccode `{}` is not a COW code", cell(ci))))?;
        let y: i32 = cell(yi)
            .parse()
            .map_err(|_| at(line, format!("year `{}` is not a year", cell(yi))))?;
        let score = match cell(si) {
            "" | "NA" | "." => continue,
            s => s
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| at(line, format!("cinc `{s}` is not a share between 0 and 1")))?,
        };
        if y <= year && best.get(&code).is_none_or(|(by, _)| y > *by) {
            best.insert(code, (y, score));
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
        assert!(e.message.starts_with("nmc.csv:3:"), "{}", e.message);
    }
}
