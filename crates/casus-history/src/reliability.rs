//! Alliance reliability in war: fulfilment rates from Berkemeier & Fuhrmann's (2018) case
//! data (alliance × war), under the Leeds–Long–Mitchell coding or their own.
//!
//! A case counts when it is coded honoured or violated; the rest (`dna`: non-aggression pacts
//! not broken, consultation pacts, casus foederis not met) are not cases of performance.
//! The rate is honoured / (honoured + violated), with a Wilson score interval.

use serde::Serialize;

use crate::atop::Obligations;
use casus_syntax::table::Table;
use casus_syntax::{Diagnostic, SourceFile};

/// Which coding of the cases to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Coding {
    /// Berkemeier & Fuhrmann's replication of Leeds, Long & Mitchell (2000): `honorLLM`, `violateLLM`.
    Llm,
    /// Their revised scheme: `honorBF`, `violateBF`.
    Bf,
}

impl Coding {
    fn suffix(self) -> &'static str {
        match self {
            Coding::Llm => "LLM",
            Coding::Bf => "BF",
        }
    }
}

/// One alliance-in-war case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub warid: i64,
    pub atopid: u32,
    pub war: String,
    /// `sample = 1`: the wars of 1816–1944 that LLM studied; 0: the extension, 1945–2003.
    pub before_1945: bool,
    pub multilateral: bool,
    pub obligations: Obligations,
    pub honoured: bool,
    pub violated: bool,
}

/// Reads the case file (`BerkemeierFuhrmannRAP2018_0303.csv`) under one coding.
pub fn parse_cases(file: &SourceFile, coding: Coding) -> Result<Vec<Case>, Diagnostic> {
    let t = Table::csv(file)?;
    let c = |n: &str| t.column(n);
    let (sample, warid, atopid, warname, multi) = (
        c("sample")?,
        c("warid")?,
        c("atopid")?,
        c("warname")?,
        c("multilateral")?,
    );
    let honor = c(&format!("honor{}", coding.suffix()))?;
    let violate = c(&format!("violate{}", coding.suffix()))?;
    let obl: Vec<usize> = Obligations::NAMES
        .iter()
        .map(|n| c(n))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let mut bits = 0;
        for (i, &col) in obl.iter().enumerate() {
            if t.flag(row, col)? {
                bits |= 1 << i;
            }
        }
        let honoured = t.flag(row, honor)?;
        let violated = t.flag(row, violate)?;
        if honoured && violated {
            return Err(t.error(row, honor, "a case is coded both honoured and violated"));
        }
        let before = match t.required(row, sample)? {
            1 => true,
            0 => false,
            v => {
                return Err(t.error(
                    row,
                    sample,
                    format!("`{v}`: expected sample 0 (1945–2003) or 1 (1816–1944)"),
                ))
            }
        };
        out.push(Case {
            warid: t.required(row, warid)?,
            atopid: t.required(row, atopid)? as u32,
            war: row.cells[warname].text.to_string(),
            before_1945: before,
            multilateral: t.flag(row, multi)?,
            obligations: Obligations(bits),
            honoured,
            violated,
        });
    }
    Ok(out)
}

/// A fulfilment rate with its counts and 95% Wilson interval.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Rate {
    pub group: String,
    pub honoured: u32,
    pub violated: u32,
    /// honoured / (honoured + violated); `None` with no cases.
    pub rate: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Rate {
    pub fn of<'a>(group: impl Into<String>, cases: impl IntoIterator<Item = &'a Case>) -> Self {
        let (mut h, mut v) = (0u32, 0u32);
        for c in cases {
            h += c.honoured as u32;
            v += c.violated as u32;
        }
        let (low, high) =
            wilson(h, h + v, 1.959_963_984_540_054).map_or((None, None), |(l, u)| (Some(l), Some(u)));
        Self {
            group: group.into(),
            honoured: h,
            violated: v,
            rate: (h + v > 0).then(|| h as f64 / (h + v) as f64),
            low,
            high,
        }
    }
    pub fn cases(&self) -> u32 {
        self.honoured + self.violated
    }
}

/// Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: u32, n: u32, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p) = (n as f64, k as f64 / n as f64);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// How to group the cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum By {
    Period,
    Obligation,
    Size,
}

/// Display names of the obligation types.
pub const OBLIGATION_LABELS: [&str; 5] = [
    "defence",
    "offence",
    "neutrality",
    "non-aggression",
    "consultation",
];

/// The overall rate first, then one per group. A case counts under every obligation its alliance carries.
pub fn rates(cases: &[Case], by: By) -> Vec<Rate> {
    let mut out = vec![Rate::of("all", cases)];
    match by {
        By::Period => {
            out.push(Rate::of("before 1945", cases.iter().filter(|c| c.before_1945)));
            out.push(Rate::of("1945–2003", cases.iter().filter(|c| !c.before_1945)));
        }
        By::Obligation => {
            for (i, label) in OBLIGATION_LABELS.iter().enumerate() {
                out.push(Rate::of(
                    *label,
                    cases.iter().filter(|c| c.obligations.has(1 << i)),
                ));
            }
        }
        By::Size => {
            out.push(Rate::of("bilateral", cases.iter().filter(|c| !c.multilateral)));
            out.push(Rate::of("multilateral", cases.iter().filter(|c| c.multilateral)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_known_values() {
        let (l, u) = wilson(73, 146, 1.959_963_984_540_054).unwrap();
        assert!((l - 0.4195).abs() < 5e-4 && (u - 0.5805).abs() < 5e-4, "{l} {u}");
        assert_eq!(wilson(0, 0, 1.96), None);
        let (l, u) = wilson(0, 10, 1.96).unwrap();
        assert!(l == 0.0 && u > 0.25 && u < 0.35);
    }

    #[test]
    fn counts_and_groups() {
        let text = "sample,warid,atopid,warname,multilateral,honorLLM,violateLLM,honorBF,violateBF,defense,offense,neutral,nonagg,consul\n\
1,1,1005,\"War, one\",0,1,0,1,0,1,0,0,0,0\n1,1,1010,War one,1,0,1,0,1,1,1,0,0,0\n0,2,3180,Two,1,,,0,0,0,0,0,1,0\n0,2,3185,Two,0,0,1,0,1,0,0,1,0,0\n";
        let cases = parse_cases(&SourceFile::new("bf.csv", text), Coding::Llm).unwrap();
        assert_eq!(cases[0].war, "War, one");
        let r = rates(&cases, By::Period);
        assert_eq!((r[0].honoured, r[0].violated, r[0].rate), (1, 2, Some(1.0 / 3.0)));
        assert_eq!((r[1].honoured, r[1].violated), (1, 1));
        assert_eq!((r[2].honoured, r[2].violated), (0, 1));
        let r = rates(&cases, By::Obligation);
        assert_eq!(
            (r[1].group.as_str(), r[1].honoured, r[1].violated),
            ("defence", 1, 1)
        );
        assert_eq!(r[4].rate, None);
        let bad = text.replace("0,2,3185,Two,0,0,1", "0,2,3185,Two,0,1,1");
        let e = parse_cases(&SourceFile::new("bf.csv", bad), Coding::Llm).unwrap_err();
        assert_eq!(e.start.line, 5);
        assert!(e.message.contains("both honoured and violated"));
    }
}
