//! The library against ATOP (`casus check --against atop`): the hand-encoded commitments
//! that carry `atop = ID` compared with ATOP's member-level coding of the same alliance:
//! members (through the actors' dated COW codes), entry and exit dates, the treaty's dates,
//! obligation types and coded conditions.
//!
//! A disagreement counts as explained when the commitment has an `uncertain` entry that
//! mentions ATOP and the disagreement's topic (the actor id, or the word for the aspect).
//! ATOP's coverage ends with its release's last year ([`crate::atop::last_year`]); later
//! members and changes are not compared.

use std::collections::BTreeMap;

use casus_model::{ActorId, Commitment, Duty, FuzzyDate, Group, Library, Strength, Truth};
use casus_syntax::Diagnostic;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::atop::{Details, MemberFile, PartialDate};

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
#[derive(Debug, Clone, Serialize, JsonSchema)]
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

fn days(d: PartialDate) -> Days {
    let first = NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, 1);
    let month = first.and_then(|f| {
        let next = if d.month == 12 {
            NaiveDate::from_ymd_opt(d.year as i32 + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(d.year as i32, d.month as u32 + 1, 1)
        }?;
        Some((f, next.pred_opt()?))
    });
    // A day the calendar lacks (ATOP has a few 31sts of short months) counts as its month.
    let day = d
        .day
        .and_then(|x| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, x as u32));
    match (day, month) {
        (Some(x), _) => (x, x),
        (None, Some(m)) => m,
        (None, None) => (NaiveDate::MIN, NaiveDate::MAX),
    }
}

/// The rows of the alliances the library names, with what the comparison reads.
fn rows(file: &MemberFile, wanted: &[u32]) -> Result<Vec<AtopRow>, Diagnostic> {
    let details = file.details()?;
    let positive =
        |cols: &[&str], d: &Details| -> Vec<bool> { cols.iter().map(|c| d.condition(c) > 0).collect() };
    Ok(file
        .release
        .memberships
        .iter()
        .zip(details)
        .filter(|(m, _)| wanted.contains(&m.atopid))
        .map(|(m, d)| {
            let def = positive(&DEF_CONDITIONS.map(|x| x.0), d);
            let con = positive(&CON_CONDITIONS.map(|x| x.0), d);
            AtopRow {
                atopid: m.atopid,
                member: m.member,
                phase: m.phase,
                entry: days(m.entry),
                exit: m.exit.map(days),
                obligations: m.obligations.flags(),
                def_conditions: std::array::from_fn(|i| def[i]),
                con_conditions: std::array::from_fn(|i| con[i]),
            }
        })
        .collect())
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

fn compare(lib: &Library, rows: &[AtopRow], last_year: u16) -> Vec<Finding> {
    let last_day = NaiveDate::from_ymd_opt(last_year as i32, 12, 31).unwrap_or(NaiveDate::MAX);
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
                        x.map_or(format!("still a member in {last_year}"), fmt_range),
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

/// The comparison of the library with one ATOP release.
#[derive(Debug, Clone)]
pub struct CrossCheck {
    /// `commitment = atopid` for each commitment compared.
    pub compared: Vec<String>,
    pub findings: Vec<Finding>,
    pub version: String,
    pub last_year: u16,
}

/// Compares every commitment with `atop = ID` with ATOP's member-level file (which must
/// carry the condition columns).
pub fn cross_check(lib: &Library, file: &MemberFile) -> Result<CrossCheck, Diagnostic> {
    let wanted: Vec<u32> = lib.commitments.iter().filter_map(|c| c.atop).collect();
    let rows = rows(file, &wanted)?;
    let last_year = file.release.last_year;
    Ok(CrossCheck {
        compared: lib
            .commitments
            .iter()
            .filter_map(|c| Some(format!("{} = {}", c.id, c.atop?)))
            .collect(),
        findings: compare(lib, &rows, last_year),
        version: file.release.version.clone(),
        last_year,
    })
}
