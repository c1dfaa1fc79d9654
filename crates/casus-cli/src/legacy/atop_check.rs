//! `casus check --against atop`: the hand-encoded commitments that carry `atop = ID` compared
//! with ATOP's member-level coding of the same alliance: members (through the actors' dated
//! COW codes), entry and exit dates, the treaty's dates, obligation types and coded conditions.
//!
//! A disagreement counts as explained when the commitment has an `uncertain` entry that
//! mentions ATOP and the disagreement's topic (the actor id, or the word for the aspect).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};
use casus_history::table::Table;
use casus_model::{ActorId, Commitment, Duty, FuzzyDate, Group, Library, Strength, Truth};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::{Report, Section};

/// Condition columns ATOP codes for defence and consultation, with casus's word for each.
const DEF_CONDITIONS: [(&str, &str); 6] = [
    ("defcoadv", "adversary"),
    ("defcoloc", "location"),
    ("defcocon", "conflict"),
    ("defconum", "attackers"),
    ("defcodem", "demands"),
    ("defconpr", "provocation"),
];
const CON_CONDITIONS: [(&str, &str); 3] = [
    ("concoadv", "adversary"),
    ("concoloc", "location"),
    ("concocon", "conflict"),
];
const OBLIGATIONS: [(&str, &str); 5] = [
    ("defense", "defence"),
    ("offense", "offence"),
    ("neutral", "neutrality"),
    ("nonagg", "non-aggression"),
    ("consul", "consultation"),
];

/// A date known to a day or to a range of days: (earliest, latest).
type Days = (NaiveDate, NaiveDate);
/// A spell of membership: entry and, unless still a member, exit.
type MemberSpell = (Days, Option<Days>);
/// Casus's spells, whose start may be unknown.
type OurSpell = (Option<Days>, Option<Days>);

/// One row of ATOP's member-level file, with what the cross-check reads.
#[derive(Debug, Clone)]
struct AtopRow {
    atopid: u32,
    member: u16,
    phase: u8,
    entry: (NaiveDate, NaiveDate),
    exit: Option<(NaiveDate, NaiveDate)>,
    obligations: [bool; 5],
    def_conditions: [bool; 6],
    con_conditions: [bool; 3],
}

/// One disagreement between the library and ATOP.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub commitment: String,
    pub atopid: u32,
    pub aspect: String,
    /// The actor id, or the aspect's word: what an explaining `uncertain` entry must mention.
    pub topic: String,
    pub atop: String,
    pub casus: String,
    pub explained: bool,
}

fn date_range(y: i64, m: i64, d: Option<i64>) -> Option<(NaiveDate, NaiveDate)> {
    let (y, m) = (y as i32, m as u32);
    match d {
        Some(d) => NaiveDate::from_ymd_opt(y, m, d as u32).map(|x| (x, x)),
        None => {
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
    }
}

fn read_rows(path: &Path, text: &str, wanted: &[u32]) -> Result<Vec<AtopRow>> {
    let name = path.display().to_string();
    let t = Table::parse(&name, text).map_err(|e| anyhow!("{e}"))?;
    let c = |n: &str| t.column(n).map_err(|e| anyhow!("{e}"));
    let cols = |names: &[&str]| names.iter().map(|n| c(n)).collect::<Result<Vec<_>>>();
    let obl = cols(&OBLIGATIONS.map(|x| x.0))?;
    let defc = cols(&DEF_CONDITIONS.map(|x| x.0))?;
    let conc = cols(&CON_CONDITIONS.map(|x| x.0))?;
    let [atopid, member, phase, ye, me, de, yx, mx, dx] = [
        "atopid", "member", "phase", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit",
    ]
    .map(c);
    let (atopid, member, phase, ye, me, de, yx, mx, dx) =
        (atopid?, member?, phase?, ye?, me?, de?, yx?, mx?, dx?);
    let mut out = Vec::new();
    for row in &t.rows {
        let int = |col: usize| t.int(row, col).map_err(|e| anyhow!("{e}"));
        let id = int(atopid)?.unwrap_or(0) as u32;
        if !wanted.contains(&id) {
            continue;
        }
        let positive = |cols: &[usize]| -> Result<Vec<bool>> {
            cols.iter().map(|&k| Ok(int(k)?.unwrap_or(0) > 0)).collect()
        };
        let entry = date_range(int(ye)?.unwrap_or(0), int(me)?.unwrap_or(1), int(de)?)
            .ok_or_else(|| t.error(row, ye, "not a date"))
            .map_err(|e| anyhow!("{e}"))?;
        let exit_year = int(yx)?.unwrap_or(0);
        let exit = if exit_year == 0 {
            None
        } else {
            date_range(exit_year, int(mx)?.unwrap_or(1), int(dx)?)
        };
        let o = positive(&obl)?;
        let d = positive(&defc)?;
        let k = positive(&conc)?;
        out.push(AtopRow {
            atopid: id,
            member: int(member)?.unwrap_or(0) as u16,
            phase: int(phase)?.unwrap_or(0) as u8,
            entry,
            exit,
            obligations: std::array::from_fn(|i| o[i]),
            def_conditions: std::array::from_fn(|i| d[i]),
            con_conditions: std::array::from_fn(|i| k[i]),
        });
    }
    Ok(out)
}

/// The member-level file in a folder (recognised by content), which must carry the
/// condition columns the comparison reads.
fn member_file(dir: &Path) -> Result<(PathBuf, String)> {
    let (name, text) = super::history::atop_member_text(dir)?;
    let head = text.lines().next().unwrap_or("").to_ascii_lowercase();
    if !head.split(',').any(|c| c.trim() == "defcoloc") {
        bail!(
            "no ATOP member-level file (atop5_1m.csv, with the condition columns) in {}",
            dir.display()
        );
    }
    Ok((PathBuf::from(name), text))
}

fn fmt_range((a, b): (NaiveDate, NaiveDate)) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}…{b}")
    }
}

fn fuzzy(d: &FuzzyDate) -> (NaiveDate, NaiveDate) {
    (d.earliest, d.latest)
}

/// Two date intervals that may be the same day, allowing `slack` days.
fn agree(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate), slack: i64) -> bool {
    a.0 - chrono::Duration::days(slack) <= b.1 && b.0 - chrono::Duration::days(slack) <= a.1
}

/// Casus's spells of membership per actor: the organisation's roster, or the named parties
/// from signature to termination.
fn casus_members(lib: &Library, c: &Commitment) -> BTreeMap<ActorId, Vec<OurSpell>> {
    let mut out: BTreeMap<ActorId, Vec<_>> = BTreeMap::new();
    let start = c.signed.as_ref().or(c.in_force.as_ref()).map(fuzzy);
    let end = c.terminated.as_ref().map(fuzzy);
    for g in &c.parties {
        match *g {
            Group::Actor(a) => out.entry(a).or_default().push((start, end)),
            Group::Org(o) => {
                for m in &lib.org(o).members {
                    // `until` is the last day; ATOP's exit is the day membership ends.
                    let until = m
                        .spell
                        .until
                        .as_ref()
                        .map(|u| (u.earliest, u.latest.succ_opt().unwrap_or(u.latest)));
                    let until = match (until, end) {
                        (Some(u), Some(e)) if e.0 < u.0 => Some(e),
                        (None, e) => e,
                        (u, _) => u,
                    };
                    out.entry(m.actor)
                        .or_default()
                        .push((m.spell.from.as_ref().map(fuzzy), until));
                }
            }
            Group::Parties => {}
        }
    }
    out
}

/// ATOP's spells per actor, phases merged, and each actor's obligations and conditions
/// over the phases that overlap the commitment.
struct AtopMember {
    spells: Vec<MemberSpell>,
    obligations: [bool; 5],
}

fn compare(lib: &Library, rows: &[AtopRow], last_day: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    for cid in lib.commitment_ids() {
        let c = lib.commitment(cid);
        let Some(atopid) = c.atop else { continue };
        let mine: Vec<&AtopRow> = rows.iter().filter(|r| r.atopid == atopid).collect();
        let explained = |topic: &str| {
            c.uncertain
                .iter()
                .any(|u| u.fact.contains("ATOP") && u.fact.contains(topic))
        };
        let mut push = |aspect: &str, topic: &str, atop: String, casus: String| {
            out.push(Finding {
                commitment: c.id.clone(),
                atopid,
                aspect: aspect.into(),
                topic: topic.into(),
                atop,
                casus,
                explained: explained(topic),
            })
        };
        if mine.is_empty() {
            push(
                "alliance",
                "atopid",
                format!("no alliance {atopid}"),
                "atop = {atopid}".into(),
            );
            continue;
        }
        let signed = c.signed.as_ref().map(fuzzy);
        let end = c.terminated.as_ref().map(fuzzy);
        // Phases that overlap the commitment (the earlier Brussels Treaty is ATOP 3130's phase 1).
        let overlaps = |r: &AtopRow| {
            signed.is_none_or(|s| r.exit.is_none_or(|x| x.1 > s.0)) && end.is_none_or(|e| r.entry.0 < e.1)
        };
        let used: Vec<&AtopRow> = mine.iter().copied().filter(|r| overlaps(r)).collect();
        // The treaty's dates: signature against the start of an ATOP phase.
        let mut phase_starts: BTreeMap<u8, (NaiveDate, NaiveDate)> = BTreeMap::new();
        for r in &mine {
            let e = phase_starts.entry(r.phase).or_insert(r.entry);
            if r.entry.0 < e.0 {
                *e = r.entry;
            }
        }
        if let Some(s) = signed {
            if !phase_starts.values().any(|&p| agree(p, s, 0)) {
                let atop = phase_starts
                    .iter()
                    .map(|(ph, d)| format!("phase {ph}: {}", fmt_range(*d)))
                    .collect::<Vec<_>>()
                    .join("; ");
                push("signed", "signed", atop, fmt_range(s));
            }
        }
        let atop_end = if used.iter().any(|r| r.exit.is_none()) {
            None
        } else {
            used.iter().filter_map(|r| r.exit).max()
        };
        match (atop_end, end) {
            (None, None) => {}
            (Some(a), Some(e)) if agree(a, e, 1) => {}
            (a, e) if e.is_some_and(|e| e.0 > last_day) && a.is_none() => {}
            (a, e) => push(
                "terminated",
                "terminated",
                a.map_or("in force at the end of the data".into(), fmt_range),
                e.map_or("in force".into(), fmt_range),
            ),
        }
        // Members.
        let mut atop_members: BTreeMap<ActorId, AtopMember> = BTreeMap::new();
        for r in &used {
            let Some(a) = lib
                .actor_by_cow(r.member, Some(r.entry.0))
                .or_else(|| lib.actor_by_cow(r.member, None))
            else {
                push(
                    "member",
                    &format!("cow:{}", r.member),
                    format!("member cow:{} from {}", r.member, fmt_range(r.entry)),
                    "no actor with this COW code".into(),
                );
                continue;
            };
            let m = atop_members.entry(a).or_insert(AtopMember {
                spells: vec![],
                obligations: [false; 5],
            });
            for (i, f) in r.obligations.iter().enumerate() {
                m.obligations[i] |= *f;
            }
            // Merge phases (and successor codes, 260 → 255) that follow on one another.
            match m
                .spells
                .iter_mut()
                .find(|(_, x)| x.is_some_and(|x| agree(x, r.entry, 1)))
            {
                Some(s) => s.1 = r.exit,
                None => m.spells.push((r.entry, r.exit)),
            }
        }
        for m in atop_members.values_mut() {
            m.spells.sort();
            let mut merged: Vec<MemberSpell> = Vec::new();
            for s in m.spells.drain(..) {
                match merged.last_mut() {
                    Some(last) if last.1.is_some_and(|x| agree(x, s.0, 1)) => last.1 = s.1,
                    _ => merged.push(s),
                }
            }
            m.spells = merged;
        }
        let ours = casus_members(lib, c);
        let first_day = signed.map_or(NaiveDate::MIN, |s| s.0);
        for (&a, spells) in &ours {
            let id = lib.actor(a).id.clone();
            // Spells that begin inside ATOP's coverage and do not end before the commitment.
            let spells: Vec<_> = spells
                .iter()
                .filter(|(f, u)| f.is_none_or(|f| f.0 <= last_day) && u.is_none_or(|u| u.1 > first_day))
                .collect();
            if spells.is_empty() {
                continue;
            }
            let Some(am) = atop_members.get(&a) else {
                let from = spells[0].0.map_or("?".into(), fmt_range);
                push(
                    "member",
                    &id,
                    "not a member".into(),
                    format!("member from {from}"),
                );
                continue;
            };
            for (i, (from, until)) in spells.iter().enumerate() {
                let Some(&(ae, ax)) = am.spells.get(i) else {
                    push(
                        "member",
                        &id,
                        format!("{} spell(s) of membership", am.spells.len()),
                        format!("another spell from {}", from.map_or("?".into(), fmt_range)),
                    );
                    continue;
                };
                // A roster that starts before the commitment is read from the signature.
                let from = from.map(|f| {
                    if signed.is_some_and(|s| f.1 < s.0) {
                        signed.unwrap_or(f)
                    } else {
                        f
                    }
                });
                if let Some(f) = from {
                    if ae.1 < f.0 {
                        // ATOP dates entry from the signature of the treaty or protocol; casus
                        // from entry into force or deposit: one explanation covers them all.
                        push(
                            "entry",
                            "entry",
                            format!("{id} from {}", fmt_range(ae)),
                            format!("{id} from {}", fmt_range(f)),
                        );
                    } else if !agree(ae, f, 0) {
                        push("entry", &id, fmt_range(ae), fmt_range(f));
                    }
                }
                let until = until.filter(|u| u.0 <= last_day);
                match (ax, until) {
                    (None, None) => {}
                    (Some(x), Some(u)) if agree(x, u, 1) => {}
                    (x, u) => push(
                        "exit",
                        &id,
                        x.map_or("still a member in 2018".into(), fmt_range),
                        u.map_or("still a member".into(), fmt_range),
                    ),
                }
            }
            if am.spells.len() > spells.len() {
                push(
                    "member",
                    &id,
                    format!("{} spells of membership", am.spells.len()),
                    format!("{} spell(s)", spells.len()),
                );
            }
        }
        for (&a, am) in &atop_members {
            if !ours.contains_key(&a) {
                let id = lib.actor(a).id.clone();
                push(
                    "member",
                    &id,
                    format!("member from {}", fmt_range(am.spells[0].0)),
                    "not a party".into(),
                );
            }
        }
        // Obligations, member by member, on a day each is a member in both codings; one row
        // per obligation type and direction, naming the members.
        let defence = |s: Option<Strength>| s.is_some_and(|s| s >= Strength::Assist);
        let consult = |s: Option<Strength>| s.is_some_and(|s| s < Strength::Assist);
        let in_force = c.in_force.as_ref().map(fuzzy);
        let mut differ: BTreeMap<(usize, bool), Vec<String>> = BTreeMap::new();
        for (&a, am) in &atop_members {
            let Some(&(entry, _)) = am.spells.first() else {
                continue;
            };
            let our_from = ours.get(&a).and_then(|s| s.first()).and_then(|s| s.0);
            let day = [Some(entry), our_from, in_force, signed]
                .into_iter()
                .flatten()
                .map(|d| d.1)
                .max()
                .unwrap_or(entry.1);
            let owes = |want: &dyn Fn(&casus_model::Clause) -> bool| {
                c.clauses
                    .iter()
                    .any(|k| want(k) && lib.in_any(&k.obligors, &c.parties, a, day) != Truth::No)
            };
            let mine = [
                owes(&|k| k.duty == Duty::Act && defence(k.strength)),
                false,
                false,
                owes(&|k| k.duty == Duty::Refrain),
                owes(&|k| k.duty == Duty::Act && consult(k.strength)),
            ];
            for (i, (theirs, ours)) in am.obligations.iter().zip(mine).enumerate() {
                if *theirs != ours {
                    differ
                        .entry((i, *theirs))
                        .or_default()
                        .push(lib.actor(a).id.clone());
                }
            }
        }
        for ((i, atop_says), who) in differ {
            let word = OBLIGATIONS[i].1;
            let names = who.join(" ");
            let (yes, no) = (format!("{names} owe {word}"), format!("{names} owe no {word}"));
            let (a_text, c_text) = if atop_says { (yes, no) } else { (no, yes) };
            push("obligation", word, a_text, c_text);
        }
        // Conditions of defence and consultation, over the whole alliance.
        let any_def: [bool; 6] = std::array::from_fn(|i| used.iter().any(|r| r.def_conditions[i]));
        let any_con: [bool; 3] = std::array::from_fn(|i| used.iter().any(|r| r.con_conditions[i]));
        let ours_cond = |want: &dyn Fn(Option<Strength>) -> bool, word: &str| -> Option<bool> {
            let clauses: Vec<_> = c
                .clauses
                .iter()
                .filter(|k| k.duty == Duty::Act && want(k.strength))
                .collect();
            if clauses.is_empty() {
                return None;
            }
            Some(clauses.iter().any(|k| match word {
                "location" => k.scope.as_ref().is_some_and(|s| !s.regions.is_empty()),
                "adversary" => k.trigger.as_ref().is_some_and(|t| !t.by.is_empty()),
                "provocation" => k.trigger.as_ref().is_some_and(|t| t.provocation_excluded),
                _ => false,
            }))
        };
        for (kind, conds, atop_flags, want) in [
            (
                "defence",
                &DEF_CONDITIONS[..],
                &any_def[..],
                &defence as &dyn Fn(Option<Strength>) -> bool,
            ),
            ("consultation", &CON_CONDITIONS[..], &any_con[..], &consult),
        ] {
            for (i, (_, word)) in conds.iter().enumerate() {
                let Some(ours) = ours_cond(want, word) else {
                    continue;
                };
                if atop_flags[i] != ours {
                    let say = |b: bool| {
                        if b {
                            format!("{kind} limited by {word}")
                        } else {
                            format!("{kind} not limited by {word}")
                        }
                    };
                    push("condition", word, say(atop_flags[i]), say(ours));
                }
            }
        }
    }
    out
}

/// `casus check --against atop [--atop DIR]`.
pub fn run(cx: &crate::cx::Cx, atop: Option<&Path>) -> Result<ExitCode> {
    let loaded = cx.library()?;
    let lib = &loaded.library;
    let Some(dir) = atop else {
        bail!("--against atop needs ATOP's release files: --atop DIR (the folder with atop5_1m.csv); the store keeps no condition columns");
    };
    let (path, text) = member_file(dir)?;
    let wanted: Vec<u32> = lib.commitments.iter().filter_map(|c| c.atop).collect();
    let rows = read_rows(&path, &text, &wanted)?;
    let last_day = NaiveDate::from_ymd_opt(2018, 12, 31).unwrap_or(NaiveDate::MAX);
    let findings = compare(lib, &rows, last_day);
    let mut s = Section::new(
        "Disagreements between the library and ATOP 5.1",
        &[
            "commitment",
            "atopid",
            "aspect",
            "who/what",
            "ATOP",
            "casus",
            "explained in library",
        ],
    );
    for f in &findings {
        s.row(vec![
            f.commitment.clone(),
            f.atopid.to_string(),
            f.aspect.clone(),
            f.topic.clone(),
            f.atop.clone(),
            f.casus.clone(),
            if f.explained { "yes".into() } else { "NO".into() },
        ]);
    }
    let compared: Vec<String> = lib
        .commitments
        .iter()
        .filter(|c| c.atop.is_some())
        .map(|c| format!("{} = {}", c.id, c.atop.unwrap_or(0)))
        .collect();
    let unexplained = findings.iter().filter(|f| !f.explained).count();
    s.notes.push(format!(
        "Compared {} commitments with ATOP ({}): {} disagreements, {unexplained} not explained by an `uncertain` entry that mentions ATOP.",
        compared.len(),
        compared.join(", "),
        findings.len()
    ));
    s.notes.push("ATOP dates entries from signatures (of the treaty or an accession protocol); its coverage ends in 2018, so later members and changes are not compared. Defence = an act clause of strength assist or stronger; consultation = consult or seek_un_action; non-aggression = a refrain clause.".into());
    s.notes.push(format!("Source: {}", path.display()));
    let report = Report {
        heading: vec!["casus check --against atop".into()],
        sections: vec![s],
        json: json!({"atop_file": path.display().to_string(), "compared": compared, "disagreements": findings, "unexplained": unexplained}),
    };
    let (people, json) = report.split();
    cx.print_report(&people, &json)
}
