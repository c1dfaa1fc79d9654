//! Correlates of War files, recognised by content: the state system (`states2016.csv`), the
//! major powers (`majors2016.csv`) and National Material Capabilities (`ccode,year,…,cinc`).
//! Parsed into one [`CowRelease`] that the CLI keeps in its store beside ATOP.

use serde::{Deserialize, Serialize};

use crate::commitments::{parse_states, CowState};
use crate::error::DataError;
use crate::table::Table;

/// Which COW file a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CowKind {
    StateSystem,
    MajorPowers,
    Capabilities,
}

impl CowKind {
    pub fn name(self) -> &'static str {
        match self {
            CowKind::StateSystem => "COW state system",
            CowKind::MajorPowers => "COW major powers",
            CowKind::Capabilities => "COW national material capabilities",
        }
    }
}

fn columns(text: &str) -> Vec<String> {
    text.lines()
        .next()
        .unwrap_or("")
        .trim_start_matches('\u{feff}')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect()
}

/// Recognises a COW file by its header, not its name.
pub fn recognise(text: &str) -> Option<CowKind> {
    let cols = columns(text);
    let has = |c: &str| cols.iter().any(|x| x == c);
    if has("stateabb") && has("ccode") && has("styear") && has("endyear") {
        Some(CowKind::StateSystem)
    } else if has("ccode") && has("styear") && has("endyear") {
        Some(CowKind::MajorPowers)
    } else if has("ccode") && has("year") && has("cinc") {
        Some(CowKind::Capabilities)
    } else {
        None
    }
}

/// One state-year of capabilities.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cinc {
    pub ccode: u16,
    pub year: u16,
    pub cinc: f64,
}

/// What casus keeps of the COW files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CowRelease {
    pub states: Vec<CowState>,
    /// Major-power spells: (ccode, first year, last year).
    pub majors: Vec<(u16, u16, u16)>,
    pub capabilities: Vec<Cinc>,
    /// Each file's version as written in its `version` column, or its years when it has none.
    pub versions: Vec<(CowKind, String)>,
}

impl CowRelease {
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).unwrap_or_default()
    }
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        postcard::from_bytes(bytes).ok()
    }
    /// "states 2016, majors 2016, capabilities 1816–2022".
    pub fn version(&self) -> String {
        self.versions
            .iter()
            .map(|(k, v)| format!("{} {v}", short(*k)))
            .collect::<Vec<_>>()
            .join(", ")
    }
    /// The years the capabilities cover.
    pub fn coverage(&self) -> Option<(u16, u16)> {
        let min = self.capabilities.iter().map(|c| c.year).min()?;
        Some((min, self.capabilities.iter().map(|c| c.year).max()?))
    }
    pub fn citation(&self) -> String {
        "Correlates of War Project. 2017. \"State System Membership List, v2016.\" Singer, J. David, Stuart Bremer, and John Stuckey. 1972. \"Capability Distribution, Uncertainty, and Major Power War, 1820-1965.\" In Bruce Russett (ed.), Peace, War, and Numbers: 19-48 (NMC data, correlatesofwar.org).".into()
    }
}

fn short(k: CowKind) -> &'static str {
    match k {
        CowKind::StateSystem => "states",
        CowKind::MajorPowers => "majors",
        CowKind::Capabilities => "capabilities",
    }
}

/// The version a file states in its `version` column, if it has one and it is the same throughout.
fn stated_version(t: &Table) -> Option<String> {
    let col = t.column("version").ok()?;
    let mut v = t.rows.iter().map(|r| r.fields[col].text.trim().to_string());
    let first = v.next()?;
    v.all(|x| x == first).then_some(first)
}

/// Adds one recognised file to the release.
pub fn add_file(release: &mut CowRelease, kind: CowKind, file: &str, text: &str) -> Result<(), DataError> {
    let t = Table::parse(file, text)?;
    let version = match kind {
        CowKind::StateSystem => {
            release.states = parse_states(file, text)?;
            stated_version(&t)
        }
        CowKind::MajorPowers => {
            let (c, s, e) = (t.column("ccode")?, t.column("styear")?, t.column("endyear")?);
            for row in &t.rows {
                release.majors.push((
                    t.required(row, c)? as u16,
                    t.required(row, s)? as u16,
                    t.required(row, e)? as u16,
                ));
            }
            stated_version(&t)
        }
        CowKind::Capabilities => {
            let (c, y, k) = (t.column("ccode")?, t.column("year")?, t.column("cinc")?);
            release.capabilities.clear();
            for row in &t.rows {
                let text = row.fields[k].text.trim();
                if text.is_empty() || text == "NA" || text == "-9" {
                    continue;
                }
                let cinc: f64 = text
                    .parse()
                    .map_err(|_| t.error(row, k, format!("`{text}` is not a number")))?;
                release.capabilities.push(Cinc {
                    ccode: t.required(row, c)? as u16,
                    year: t.required(row, y)? as u16,
                    cinc,
                });
            }
            stated_version(&t).or_else(|| {
                release
                    .coverage()
                    .map(|(a, b)| format!("{a}–{b} (no version column)"))
            })
        }
    };
    release.versions.retain(|(k, _)| *k != kind);
    release
        .versions
        .push((kind, version.unwrap_or_else(|| "unstated".into())));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content_and_round_trip() {
        let states = "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\nAUH,300,Austria-Hungary,1816,1,1,1918,11,3,2016\n";
        let majors =
            "ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n300,1816,1,1,1918,11,3,2016\n";
        let nmc = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n300,1914,1,1,1,1,1,1,0.05\n300,1915,1,1,1,1,1,1,NA\n";
        assert_eq!(recognise(states), Some(CowKind::StateSystem));
        assert_eq!(recognise(majors), Some(CowKind::MajorPowers));
        assert_eq!(recognise(nmc), Some(CowKind::Capabilities));
        assert_eq!(recognise("a,b\n"), None);
        let mut r = CowRelease::default();
        add_file(&mut r, CowKind::StateSystem, "s.csv", states).unwrap();
        add_file(&mut r, CowKind::MajorPowers, "m.csv", majors).unwrap();
        add_file(&mut r, CowKind::Capabilities, "n.csv", nmc).unwrap();
        assert_eq!(r.states[0].abbreviation, "AUH");
        assert_eq!(r.majors, vec![(300, 1816, 1918)]);
        assert_eq!(r.capabilities.len(), 1);
        assert_eq!(
            r.version(),
            "states 2016, majors 2016, capabilities 1914–1914 (no version column)"
        );
        assert_eq!(CowRelease::from_bytes(&r.to_bytes()).unwrap(), r);
        let bad = "ccode,year,cinc\n300,1914,x\n";
        assert!(add_file(&mut r, CowKind::Capabilities, "n.csv", bad)
            .unwrap_err()
            .to_string()
            .starts_with("n.csv:2:"));
    }
}
