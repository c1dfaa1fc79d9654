//! Correlates of War files, recognised by content: the state system (`states2016.csv`), the
//! major powers (`majors2016.csv`) and National Material Capabilities (`ccode,year,…,cinc`).
//! Parsed into one [`CowRelease`] that the CLI keeps in its store beside ATOP.

use serde::{Deserialize, Serialize};

use casus_syntax::table::Table;
use casus_syntax::{Diagnostic, SourceFile};

use crate::commitments::{parse_states, CowState};

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

/// A spell as a COW major power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorSpell {
    pub ccode: u16,
    pub from: u16,
    /// The last year; `None` while still a major power at the end of the data (an `endyear`
    /// equal to the release's `version` year, as COW writes it).
    pub until: Option<u16>,
}

impl MajorSpell {
    pub fn covers(&self, code: u16, year: u16) -> bool {
        self.ccode == code && self.from <= year && self.until.is_none_or(|u| year <= u)
    }
}

/// Reads COW's major powers (`majors2016.csv`: ccode, styear, endyear, version): the one
/// reader of that file.
pub fn parse_majors(file: &SourceFile) -> Result<Vec<MajorSpell>, Diagnostic> {
    let t = Table::csv(file)?;
    let (c, s, e) = (t.column("ccode")?, t.column("styear")?, t.column("endyear")?);
    let v = t.column("version").ok();
    let mut out = Vec::new();
    for row in &t.rows {
        let end = t.required(row, e)?;
        let open = match v {
            Some(v) => end >= t.required(row, v)?,
            None => false,
        };
        out.push(MajorSpell {
            ccode: t.required(row, c)? as u16,
            from: t.required(row, s)? as u16,
            until: (!open).then_some(end as u16),
        });
    }
    Ok(out)
}

/// Reads COW National Material Capabilities (columns `ccode`, `year`, `cinc`): the one reader
/// of CINC scores. Missing scores (empty, `NA`, `.`, negative codes such as -9) are left out:
/// unknown, not zero.
pub fn parse_cinc(file: &SourceFile) -> Result<Vec<Cinc>, Diagnostic> {
    let t = Table::csv(file)?;
    let (c, y, k) = (t.column("ccode")?, t.column("year")?, t.column("cinc")?);
    let mut out = Vec::new();
    for row in &t.rows {
        let Some(cinc) = t.number(row, k)? else { continue };
        if cinc < 0.0 {
            continue;
        }
        if !cinc.is_finite() || cinc > 1.0 {
            return Err(t.error(
                row,
                k,
                format!("cinc `{}` is not a share between 0 and 1", row.text(k)),
            ));
        }
        out.push(Cinc {
            ccode: t.required(row, c)? as u16,
            year: t.required(row, y)? as u16,
            cinc,
        });
    }
    Ok(out)
}

/// What casus keeps of the COW files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CowRelease {
    pub states: Vec<CowState>,
    pub majors: Vec<MajorSpell>,
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

impl CowRelease {
    /// Keeps what an earlier import stored and this one lacks (the NMC folder imported after
    /// the state-system one).
    pub fn keep_from(&mut self, old: CowRelease) {
        if self.states.is_empty() {
            self.states = old.states;
        }
        if self.majors.is_empty() {
            self.majors = old.majors;
        }
        if self.capabilities.is_empty() {
            self.capabilities = old.capabilities;
        }
        for v in old.versions {
            if !self.versions.iter().any(|(k, _)| *k == v.0) {
                self.versions.push(v);
            }
        }
    }
}

/// The version a file states in its `version` column, if it has one and it is the same throughout.
fn stated_version(file: &SourceFile) -> Result<Option<String>, Diagnostic> {
    let t = Table::csv(file)?;
    let Ok(col) = t.column("version") else {
        return Ok(None);
    };
    let mut v = t.rows.iter().map(|r| r.text(col).to_string());
    let Some(first) = v.next() else { return Ok(None) };
    Ok(v.all(|x| x == first).then_some(first))
}

/// Adds one recognised file to the release.
pub fn add_file(release: &mut CowRelease, kind: CowKind, file: &SourceFile) -> Result<(), Diagnostic> {
    let version = match kind {
        CowKind::StateSystem => {
            release.states = parse_states(file)?;
            stated_version(file)?
        }
        CowKind::MajorPowers => {
            release.majors = parse_majors(file)?;
            stated_version(file)?
        }
        CowKind::Capabilities => {
            release.capabilities = parse_cinc(file)?;
            stated_version(file)?.or_else(|| {
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
        add_file(&mut r, CowKind::StateSystem, &SourceFile::new("s.csv", states)).unwrap();
        add_file(&mut r, CowKind::MajorPowers, &SourceFile::new("m.csv", majors)).unwrap();
        add_file(&mut r, CowKind::Capabilities, &SourceFile::new("n.csv", nmc)).unwrap();
        assert_eq!(r.states[0].abbreviation, "AUH");
        assert_eq!(
            r.majors,
            vec![MajorSpell {
                ccode: 300,
                from: 1816,
                until: Some(1918)
            }]
        );
        let open = "ccode,styear,endyear,version\n2,1898,2016,2016\n";
        let m = parse_majors(&SourceFile::new("m.csv", open)).unwrap();
        assert!(m[0].until.is_none() && m[0].covers(2, 2020));
        assert_eq!(r.capabilities.len(), 1);
        assert_eq!(
            r.version(),
            "states 2016, majors 2016, capabilities 1914–1914 (no version column)"
        );
        assert_eq!(CowRelease::from_bytes(&r.to_bytes()).unwrap(), r);
        let bad = "ccode,year,cinc\n300,1914,x\n";
        assert!(
            add_file(&mut r, CowKind::Capabilities, &SourceFile::new("n.csv", bad))
                .unwrap_err()
                .to_string()
                .starts_with("n.csv:2:")
        );
    }
}
