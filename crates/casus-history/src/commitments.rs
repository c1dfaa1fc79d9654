//! ATOP's alliances as commitments in casus's own model, so that the obligation engine and
//! `cascade` answer on the historical network (`--library atop`).
//!
//! Each alliance phase becomes one [`Commitment`] (`atop-NNNN`, or `atop-NNNN-pK` for
//! alliances with several phases): a legally binding treaty whose parties are an
//! organisation of the same id with each member's own dated spell (entry and exit from the
//! member-level file; partial dates stay partial). One clause per obligation type present:
//!
//! | ATOP | casus clause |
//! | --- | --- |
//! | `defense` (clause `defence`) | duty act, strength `action_deemed_necessary`, trigger armed attack on territory or forces |
//! | `consul` | duty act, strength `consult`, trigger any threat |
//! | `neutral`, `nonagg` | duty `refrain`: broken when a bound member attacks another member |
//! | `offense` | duty `policy`: it promises to join the ally's own war, which casus's event (an attack *on* a beneficiary) cannot ask; reported, never an obligation |
//!
//! Obligors are the members whose row carries the obligation (every party when all do);
//! beneficiaries are the parties. Conditions: a specific adversary (`*coadv`) with the states
//! ATOP names (`statthr1`, `statthr2`) limits the trigger to them (`by`); non-provocation
//! (`defconpr`, `neuconpr`) excludes provoked attacks; every other condition (location,
//! conflict, number of attackers, demands, an unnamed adversary) is a caveat carrying ATOP's
//! column and code, since ATOP's location codes are not geometry. Alliances whose
//! obligations vary by partner (`obvary`) carry a caveat saying so.
//!
//! **Coverage.** After the release's last year (2018 for 5.1) nothing is known: open
//! memberships end and open alliances terminate on an interval from the first day after
//! coverage to the end of time, so the engine answers "unknown", never "no", and each clause
//! says why in its note.
//!
//! **Actors** come from the library's dated COW crosswalk ([`Library::actor_by_cow`] on the
//! member's entry date); members it lacks (Austria-Hungary 300, Bavaria 245, …) become actors
//! `COW-XXX` with the COW abbreviation from the state-system file the caller reads
//! (`states2016.csv`), their COW code and no home place.

use std::collections::BTreeMap;

use casus_model::*;
use chrono::NaiveDate;

use casus_syntax::table::Table;
use casus_syntax::{Diagnostic, SourceFile};

use crate::atop::{self, MemberFile, Obligations, PartialDate};

/// Condition columns of each obligation type, in ATOP's bit order (non-aggression has none).
const CONDITIONS: [&[&str]; 5] = [
    &atop::DEF_CONDITIONS,
    &atop::OFF_CONDITIONS,
    &atop::NEU_CONDITIONS,
    &[],
    &atop::CON_CONDITIONS,
];
/// Clause ids, in ATOP's bit order.
const WORDS: [&str; 5] = [
    "defence",
    "offence",
    "neutrality",
    "non-aggression",
    "consultation",
];

/// What each condition column means, for caveats.
fn condition_words(col: &str) -> &'static str {
    match &col[5..] {
        "adv" => "limited to a specific adversary",
        "loc" => "limited to a location",
        "con" => "limited to a specific conflict",
        "num" => "depends on the number of attackers",
        "dem" => "depends on the ally not meeting demands",
        "npr" => "excludes an attack the ally provoked",
        "att" => "limited to an attack by a non-member",
        "req" => "depends on a request",
        _ => "conditional",
    }
}

/// One row of the member-level file with what the commitments need.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub atopid: u32,
    pub phase: u8,
    pub maxphase: u8,
    pub member: u16,
    pub entry: PartialDate,
    pub exit: Option<PartialDate>,
    pub obligations: Obligations,
    pub obvary: bool,
    /// Nonzero condition codes, by column name, for each obligation type in ATOP's bit order.
    pub conditions: [Vec<(&'static str, i64)>; 5],
    /// States ATOP names as the threat (`statthr1`, `statthr2`), COW codes.
    pub threats: Vec<u16>,
}

/// The member-level file's rows with what the commitments need (the file must carry the
/// condition columns).
pub fn member_rows(file: &MemberFile) -> Result<Vec<MemberRow>, Diagnostic> {
    let details = file.details()?;
    Ok(file
        .release
        .memberships
        .iter()
        .zip(details)
        .map(|(m, d)| MemberRow {
            atopid: m.atopid,
            phase: m.phase,
            maxphase: d.maxphase,
            member: m.member,
            entry: m.entry,
            exit: m.exit,
            obligations: m.obligations,
            obvary: m.obvary,
            conditions: std::array::from_fn(|i| {
                CONDITIONS[i]
                    .iter()
                    .map(|&c| (c, d.condition(c)))
                    .filter(|&(_, v)| v > 0)
                    .collect()
            }),
            threats: d
                .threats
                .into_iter()
                .filter(|&x| x > 0)
                .map(|x| x as u16)
                .collect(),
        })
        .collect())
}

/// A state of the COW state system: abbreviation, name and its spells in the system.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CowState {
    pub code: u16,
    pub abbreviation: String,
    pub name: String,
    pub spells: Vec<(NaiveDate, NaiveDate)>,
}

/// Reads the COW state-system file (`states2016.csv`: stateabb, ccode, statenme, styear, …).
pub fn parse_states(file: &SourceFile) -> Result<Vec<CowState>, Diagnostic> {
    let t = Table::csv(file)?;
    let c = |n: &str| t.column(n);
    let [abb, code, name, sy, sm, sd, ey, em, ed] = [
        "stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday",
    ]
    .map(c);
    let (abb, code, name, sy, sm, sd, ey, em, ed) = (abb?, code?, name?, sy?, sm?, sd?, ey?, em?, ed?);
    let mut by_code: BTreeMap<u16, CowState> = BTreeMap::new();
    for row in &t.rows {
        let day = |y: usize, m: usize, d: usize| -> Result<NaiveDate, Diagnostic> {
            let (yy, mm, dd) = (t.required(row, y)?, t.required(row, m)?, t.required(row, d)?);
            NaiveDate::from_ymd_opt(yy as i32, mm as u32, dd as u32)
                .ok_or_else(|| t.error(row, y, "not a date"))
        };
        let k = t.required(row, code)? as u16;
        let spell = (day(sy, sm, sd)?, day(ey, em, ed)?);
        by_code
            .entry(k)
            .or_insert_with(|| CowState {
                code: k,
                abbreviation: row.text(abb).to_string(),
                name: row.text(name).to_string(),
                spells: vec![],
            })
            .spells
            .push(spell);
    }
    Ok(by_code.into_values().collect())
}

/// What [`to_commitments`] makes: append with [`Library::extend_with`] in this order.
#[derive(Debug, Clone, Default)]
pub struct Historical {
    pub commitments: Vec<Commitment>,
    pub actors: Vec<Actor>,
    pub orgs: Vec<Organisation>,
}

fn fuzzy(d: PartialDate) -> FuzzyDate {
    let text = d.to_string();
    FuzzyDate::parse(&text).unwrap_or_else(|_| {
        // A day the calendar lacks (ATOP has a few 31sts of short months): the month.
        FuzzyDate::parse(&text[..7]).unwrap_or(FuzzyDate::day(NaiveDate::MIN))
    })
}

fn next_day(d: FuzzyDate) -> FuzzyDate {
    FuzzyDate {
        earliest: d.earliest.succ_opt().unwrap_or(d.earliest),
        latest: d.latest.succ_opt().unwrap_or(d.latest),
    }
}

/// Turns ATOP's member rows into commitments, organisations and the actors the library lacks.
/// `source` names the release (e.g. "ATOP 5.1, atop5_1m.csv"); `last_year` ends its coverage.
pub fn to_commitments(
    lib: &Library,
    rows: &[MemberRow],
    states: &[CowState],
    source: &str,
    last_year: u16,
) -> Historical {
    let mut out = Historical::default();
    let mut made: BTreeMap<u16, ActorId> = BTreeMap::new();
    let coverage_end = NaiveDate::from_ymd_opt(last_year as i32, 12, 31).unwrap_or(NaiveDate::MAX);
    // Open ends run to 9999-12-31: the engine reads that as "the data stop here".
    let end_of_time = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let after = FuzzyDate {
        earliest: coverage_end,
        latest: end_of_time,
    };
    let ends = FuzzyDate {
        earliest: coverage_end.succ_opt().unwrap_or(coverage_end),
        latest: end_of_time,
    };
    let coverage_note = format!(
        "coded by {source}; ATOP covers {} to {coverage_end}, after which casus answers unknown",
        atop::COVERAGE_START
    );

    let mut phases: BTreeMap<(u32, u8), Vec<&MemberRow>> = BTreeMap::new();
    for r in rows {
        phases.entry((r.atopid, r.phase)).or_default().push(r);
    }
    let mut actor_for = |code: u16, on: NaiveDate, out: &mut Historical| -> ActorId {
        if let Some(a) = lib.actor_by_cow(code, Some(on)) {
            return a;
        }
        *made.entry(code).or_insert_with(|| {
            let id = ActorId((lib.actors.len() + out.actors.len()) as u32);
            let state = states.iter().find(|s| s.code == code);
            let (aid, name, cow) = match state {
                Some(s) => (
                    format!("COW-{}", s.abbreviation),
                    s.name.clone(),
                    s.spells.iter().map(|&(a, b)| CowSpell { code, spell: Spell { from: Some(FuzzyDate::day(a)), until: Some(FuzzyDate::day(b)) } }).collect(),
                ),
                None => (format!("COW-{code}"), format!("COW code {code}"), vec![CowSpell { code, spell: Spell::default() }]),
            };
            let taken = lib.find_actor(&aid).is_some() || out.actors.iter().any(|a| a.id == aid);
            out.actors.push(Actor {
                id: if taken { format!("COW-{code}") } else { aid },
                name,
                alpha2: None,
                cow,
                nuclear: None,
                historic: true,
                home: None,
                note: Some(format!("made from ATOP's member code {code} (no actor in the library has it on the date); names from the COW state system")),
            });
            id
        })
    };

    for ((atopid, phase), members) in phases {
        let multi = members.iter().any(|m| m.maxphase > 1) || phase > 1;
        let id = if multi {
            format!("atop-{atopid}-p{phase}")
        } else {
            format!("atop-{atopid}")
        };
        let org_id = OrgId((lib.orgs.len() + out.orgs.len()) as u32);
        let mut memberships = Vec::new();
        let mut obligors_of: [Vec<ActorId>; 5] = Default::default();
        let mut names = Vec::new();
        for m in &members {
            let from = fuzzy(m.entry);
            let actor = actor_for(m.member, from.earliest, &mut out);
            let until = m.exit.map(fuzzy).unwrap_or(after);
            memberships.push(Membership {
                actor,
                spell: Spell {
                    from: Some(from),
                    until: Some(until),
                },
                source: Some(source.to_string()),
                note: None,
            });
            for (i, list) in obligors_of.iter_mut().enumerate() {
                if m.obligations.0 & (1 << i) != 0 && !list.contains(&actor) {
                    list.push(actor);
                }
            }
            names.push(actor);
        }
        names.dedup();
        let start = members
            .iter()
            .map(|m| fuzzy(m.entry))
            .min_by_key(|d| d.earliest)
            .unwrap_or(FuzzyDate::day(NaiveDate::MIN));
        let terminated = if members.iter().all(|m| m.exit.is_some()) {
            members
                .iter()
                .filter_map(|m| m.exit.map(fuzzy))
                .max_by_key(|d| d.latest)
                .map(next_day)
        } else {
            Some(ends)
        };
        let actor_name = |a: ActorId| {
            lib.actors
                .get(a.0 as usize)
                .or_else(|| out.actors.get(a.0 as usize - lib.actors.len()))
                .map(|x| x.id.clone())
                .unwrap_or_default()
        };
        let who: Vec<String> = names.iter().map(|&a| actor_name(a)).collect();
        let phase_text = if multi {
            format!(", phase {phase}")
        } else {
            String::new()
        };
        let title = format!("ATOP {atopid}{phase_text}: {}", who.join(", "));
        let all_members: Vec<ActorId> = memberships.iter().map(|m| m.actor).collect();
        let mut clauses = Vec::new();
        for (bit, label) in Obligations::NAMES.iter().enumerate() {
            let word = WORDS[bit];
            let obligors = &obligors_of[bit];
            if obligors.is_empty() {
                continue;
            }
            let everyone = all_members.iter().all(|a| obligors.contains(a));
            let citation = Citation {
                document: format!("ATOP alliance {atopid}{phase_text}"),
                article: format!("ATOP `{label}`"),
                quote: None,
                source: Some(format!("{source}, atopid {atopid}, phase {phase}")),
                verified: Some(Verification::Secondary),
            };
            let (duty, strength, event) = match 1u8 << bit {
                Obligations::DEFENSE => (
                    Duty::Act,
                    Some(Strength::ActionDeemedNecessary),
                    TriggerKind::ArmedAttack,
                ),
                Obligations::CONSUL => (Duty::Act, Some(Strength::Consult), TriggerKind::Threat),
                Obligations::OFFENSE => (Duty::Policy, None, TriggerKind::ArmedAttack),
                _ => (Duty::Refrain, None, TriggerKind::ArmedAttack),
            };
            let mut by = Vec::new();
            let mut provocation_excluded = false;
            let mut caveats = Vec::new();
            let mut seen: Vec<(&str, i64)> = Vec::new();
            for m in &members {
                if m.obligations.0 & (1 << bit) == 0 {
                    continue;
                }
                for &(col, code) in &m.conditions[bit] {
                    if seen.contains(&(col, code)) {
                        continue;
                    }
                    seen.push((col, code));
                    if col.ends_with("adv") && !m.threats.is_empty() {
                        for &t in &m.threats {
                            let a = actor_for(t, start.earliest, &mut out);
                            if !by.contains(&Group::Actor(a)) {
                                by.push(Group::Actor(a));
                            }
                        }
                    } else if col.ends_with("npr") {
                        provocation_excluded = true;
                    } else {
                        caveats.push(Caveat {
                            text: format!("ATOP codes the {word} obligation as {} (`{col}` = {code}); casus does not check it", condition_words(col)),
                            applies_to: vec![],
                            source: citation.source.clone(),
                            spell: Spell::default(),
                        });
                    }
                }
            }
            if members.iter().any(|m| m.obvary) {
                caveats.push(Caveat {
                    text: "ATOP codes obligations that vary by partner (`obvary`); its directed dyad-year file says which pairs".into(),
                    applies_to: vec![],
                    source: citation.source.clone(),
                    spell: Spell::default(),
                });
            }
            let note = match duty {
                Duty::Policy => format!("an offence pact: it promises to join the ally's own war, which an attack on a beneficiary does not ask; {coverage_note}"),
                _ => coverage_note.clone(),
            };
            clauses.push(Clause {
                id: word.to_string(),
                citation,
                duty,
                obligors: if everyone {
                    vec![Group::Parties]
                } else {
                    obligors.iter().map(|&a| Group::Actor(a)).collect()
                },
                beneficiaries: vec![Group::Parties],
                trigger: Some(Trigger {
                    event,
                    by,
                    against: vec![Object::Territory, Object::Forces],
                    severity: None,
                    threshold: None,
                    provocation_excluded,
                    note: None,
                }),
                scope: None,
                strength,
                decision: Decision {
                    rule: DecisionRule::Individual,
                    body: None,
                    text: None,
                    source: None,
                },
                domestic: vec![],
                caveats,
                note: Some(note),
            });
        }
        let org_source = format!("{source}, atopid {atopid}");
        out.orgs.push(Organisation {
            id: id.clone(),
            name: title.clone(),
            founded: start,
            dissolved: None,
            source: org_source.clone(),
            note: Some("the members of an ATOP alliance phase, each with ATOP's entry and exit dates".into()),
            members: memberships,
        });
        out.commitments.push(Commitment {
            id,
            title,
            short_title: None,
            kind: DocKind::Treaty,
            binding: Binding::Legal,
            status: None,
            summary: None,
            signed: Some(start),
            in_force: Some(start),
            terminated,
            parties: vec![Group::Org(org_id)],
            source: org_source,
            other_sources: vec![],
            duration: None,
            forces: vec![],
            suspensions: vec![],
            uncertain: vec![Uncertain {
                fact: format!("dates are ATOP's: entry is often the signature of the alliance or of an accession protocol, not ratification; after {coverage_end} ATOP has no data"),
                source: Some(source.to_string()),
            }],
            institutions: vec![],
            clauses,
            atop: Some(atopid),
            path: format!("{source} (atopid {atopid})"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "atopid,phase,maxphase,member,yrent,moent,dayent,yrexit,moexit,dayexit,obvary,statthr1,statthr2,defense,offense,neutral,nonagg,consul,defcoadv,defcoloc,defcocon,defconum,defcodem,defconpr,offcoadv,offcoloc,offcocon,offconum,offcodem,neucoadv,neucoloc,neucocon,neuconum,neucodem,neuconpr,neucoatt,concoadv,concoloc,concocon,concoreq,bilat,asymm,cowsys,conditio,milcon,intcom,organ1,base,active,contrib,version\n";
    const TAIL: &str = ",0,0,1,0,0,0,0,0,0,0,5.1";

    fn rows(text: &str) -> Vec<MemberRow> {
        let text: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("{l}\n")
                } else {
                    format!("{}{TAIL}\n", l.trim())
                }
            })
            .collect();
        member_rows(&atop::read_members(&SourceFile::new("m.csv", text)).unwrap()).unwrap()
    }

    #[test]
    fn phases_become_commitments_with_clauses_conditions_and_new_actors() {
        let text = format!(
            "{HEAD}1350,4,4,255,1912,12,5,1915,5,4,0,220,0,1,1,1,0,1,1,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n\
             1350,4,4,300,1912,12,5,1915,5,4,0,220,0,1,0,1,0,1,1,2,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
        );
        let rows = rows(&text);
        assert_eq!(
            rows[1].conditions[0],
            vec![("defcoadv", 1), ("defcoloc", 2), ("defconpr", 1)]
        );
        let states = parse_states(&SourceFile::new("s.csv", "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\nAUH,300,Austria-Hungary,1816,1,1,1918,11,3,2016\n")).unwrap();
        let lib = Library::default();
        let h = to_commitments(&lib, &rows, &states, "ATOP 5.1", 2018);
        assert_eq!(h.commitments.len(), 1);
        let c = &h.commitments[0];
        assert_eq!(c.id, "atop-1350-p4");
        let ids: Vec<&str> = h.actors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["COW-255", "COW-AUH", "COW-220"]);
        let def = &c.clauses[0];
        assert_eq!(
            (def.id.as_str(), def.strength),
            ("defence", Some(Strength::ActionDeemedNecessary))
        );
        let t = def.trigger.as_ref().unwrap();
        assert!(t.provocation_excluded);
        assert_eq!(t.by, vec![Group::Actor(ActorId(2))]);
        assert!(def.caveats[0].text.contains("`defcoloc` = 2"));
        let off = c.clause("offence").unwrap().1;
        assert_eq!(off.duty, Duty::Policy);
        assert_eq!(off.obligors, vec![Group::Actor(ActorId(0))]);
        assert_eq!(c.clause("neutrality").unwrap().1.duty, Duty::Refrain);
        assert_eq!(
            c.terminated.unwrap().earliest,
            NaiveDate::from_ymd_opt(1915, 5, 5).unwrap()
        );
        let mut lib = lib;
        lib.extend_with(h.commitments, h.actors, h.orgs).unwrap();
        assert_eq!(lib.find_actor("COW-AUH"), Some(ActorId(1)));
        assert!(lib.find_commitment("atop-1350-p4").is_some());
    }

    #[test]
    fn open_alliances_are_unknown_after_coverage() {
        let text = format!(
            "{HEAD}3180,0,1,2,1949,4,4,0,0,0,0,0,0,1,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
        );
        let rows = rows(&text);
        let h = to_commitments(&Library::default(), &rows, &[], "ATOP 5.1", 2018);
        let m = &h.orgs[0].members[0];
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(m.spell.contains(d("2018-12-31")), Truth::Yes);
        assert_eq!(m.spell.contains(d("2019-01-01")), Truth::Unknown);
        assert_eq!(
            h.commitments[0].terminated.unwrap().on_or_before(d("2018-12-31")),
            Truth::No
        );
        assert_eq!(
            h.commitments[0].terminated.unwrap().on_or_before(d("2025-01-01")),
            Truth::Unknown
        );
        assert_eq!(h.commitments[0].id, "atop-3180");
    }
}
