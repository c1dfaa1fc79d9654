//! The coverage table (`library/coverage/atop-active-2018.tsv`): every ATOP alliance in force
//! at the end of ATOP's coverage with a defence or offence obligation, and whether the library
//! encodes it (its status and, when encoded, the commitment). The table is data written by
//! `tools/coverage`; this module reads it (located errors), checks it against the library (an
//! `encoded` row must name commitments the library has, with `atop` set to the row's id) and,
//! given ATOP's release, against ATOP (the alliances still in force with a defence or offence
//! member at the end of the coverage).

use std::collections::BTreeSet;

use casus_model::Library;
use casus_syntax::table::Table;
use casus_syntax::{Diagnostic, SourceFile};
use schemars::JsonSchema;
use serde::Serialize;

use crate::atop::Release;

/// The statuses a row may have, as `library/coverage/PROVENANCE.md` defines them.
pub const STATUSES: [&str; 5] = [
    "encoded",
    "defers",
    "superseded",
    "text_unavailable",
    "not_searched",
];

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CoverageRow {
    pub atopid: u32,
    pub name: String,
    /// Members in force at the end of the coverage (ISO alpha-3).
    pub members: Vec<String>,
    pub defense: String,
    pub offense: String,
    pub begin: String,
    pub status: String,
    /// The commitments that encode it.
    pub casus: Vec<String>,
    pub reason: String,
}

/// Reads the coverage table.
pub fn read(file: &SourceFile) -> Result<Vec<CoverageRow>, Diagnostic> {
    let t = Table::tsv(file)?;
    let c = |n: &str| t.column(n);
    let [atopid, name, members, defense, offense, begin, status, casus, reason] = [
        "atopid", "name", "members", "defense", "offense", "begin", "status", "casus", "reason",
    ]
    .map(c);
    let (atopid, name, members, defense, offense, begin, status, casus, reason) = (
        atopid?, name?, members?, defense?, offense?, begin?, status?, casus?, reason?,
    );
    let mut out = Vec::new();
    for row in &t.rows {
        let s = row.text(status);
        if !STATUSES.contains(&s) {
            return Err(t
                .error(row, status, format!("`{s}` is not a status"))
                .with_hint(format!("one of: {}", STATUSES.join(", "))));
        }
        let list = |col: usize| -> Vec<String> {
            row.text(col)
                .split([' ', ','])
                .filter(|x| !x.is_empty())
                .map(String::from)
                .collect()
        };
        out.push(CoverageRow {
            atopid: t.required(row, atopid)? as u32,
            name: row.text(name).into(),
            members: list(members),
            defense: row.text(defense).into(),
            offense: row.text(offense).into(),
            begin: row.text(begin).into(),
            status: s.into(),
            casus: list(casus),
            reason: row.text(reason).into(),
        });
    }
    Ok(out)
}

/// Problems of the table against the library: an `encoded` row without a commitment the
/// library has, or a commitment the library marks `atop = N` for an alliance of the table
/// whose row does not say `encoded`.
pub fn against_library(lib: &Library, rows: &[CoverageRow]) -> Vec<String> {
    let mut out = Vec::new();
    for r in rows {
        if r.status == "encoded" && r.casus.is_empty() {
            out.push(format!("ATOP {}: encoded, but no commitment is named", r.atopid));
        }
        for id in &r.casus {
            if lib.find_commitment(id).is_none() {
                out.push(format!(
                    "ATOP {}: names commitment `{id}`, which the library does not have",
                    r.atopid
                ));
            }
        }
        let marked: Vec<&str> = lib
            .commitments
            .iter()
            .filter(|c| c.atop == Some(r.atopid))
            .map(|c| c.id.as_str())
            .collect();
        if !marked.is_empty() && r.status != "encoded" {
            out.push(format!(
                "ATOP {}: {} carries `atop = {}`, but the row says `{}`",
                r.atopid,
                marked.join(", "),
                r.atopid,
                r.status
            ));
        }
    }
    out
}

/// The table against ATOP's release: alliances with a member still in force at the end of
/// the coverage that owes defence or offence, missing from the table, and rows for alliances
/// that are not.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AgainstAtop {
    pub version: String,
    /// Alliances in force with a defence or offence member at the end of the coverage.
    pub active: usize,
    pub missing_from_table: Vec<u32>,
    pub not_active_in_atop: Vec<u32>,
}

pub fn against_atop(release: &Release, rows: &[CoverageRow]) -> AgainstAtop {
    use crate::atop::Obligations;
    let active: BTreeSet<u32> = release
        .memberships
        .iter()
        .filter(|m| m.exit.is_none())
        .filter(|m| m.obligations.has(Obligations::DEFENSE) || m.obligations.has(Obligations::OFFENSE))
        .map(|m| m.atopid)
        .collect();
    let listed: BTreeSet<u32> = rows.iter().map(|r| r.atopid).collect();
    AgainstAtop {
        version: release.version.clone(),
        active: active.len(),
        missing_from_table: active.difference(&listed).copied().collect(),
        not_active_in_atop: listed.difference(&active).copied().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects_an_unknown_status() {
        let head = "atopid\tname\tmembers\tdefense\toffense\tbegin\tstatus\tcasus\treason\n";
        let f = SourceFile::new(
            "c.tsv",
            format!("{head}3180\tNATO\tBEL USA\tall\tnone\t1949-04-04\tencoded\tnorth-atlantic-treaty\t\n"),
        );
        let r = read(&f).unwrap();
        assert_eq!(r[0].members, ["BEL", "USA"]);
        assert_eq!(against_library(&Library::default(), &r).len(), 1);
        let f = SourceFile::new("c.tsv", format!("{head}1\tX\tUSA\tall\tnone\t1949\tdone\t\t\n"));
        let e = read(&f).unwrap_err();
        assert_eq!((e.start.line, e.start.column), (2, 23));
    }
}
