//! The checks an answer is built from, each returning an [`Explanation`] with its truth,
//! its reason when it fails and the citation it rests on: the document in force, the
//! trigger, the beneficiary, whether the target holds the place, the scope and region,
//! the obligor's membership, suspensions, and caveats and domestic approvals (which
//! qualify an obligation but never decide it, so they are attached as satisfied notes).

use casus_model::*;
use chrono::{Datelike, NaiveDate};

use crate::explain::{Check, Explanation};

fn doc_citation(c: &Commitment) -> Citation {
    Citation {
        document: c.title.clone(),
        article: "dates".into(),
        quote: None,
        source: Some(c.source.clone()),
        verified: None,
    }
}

/// Was the document in force on the date? (`lib` answers an end set by an event: a membership.)
pub fn in_force(lib: &Library, c: &Commitment, date: NaiveDate, assume_proposals: bool) -> Explanation {
    let cite = doc_citation(c);
    if c.kind == DocKind::Proposal {
        let status = c.status.clone().unwrap_or_else(|| "not adopted".into());
        return if assume_proposals {
            Explanation::new(
                Check::InForce,
                Truth::Yes,
                format!("a proposal ({status}), assumed adopted and in force for this question"),
            )
            .cite(&cite)
        } else {
            Explanation::new(Check::InForce, Truth::No, format!("a proposal ({status}), not in force; ask with proposals assumed adopted to see what it would oblige"))
                .cite(&cite)
                .because(Reason::NotAdopted)
        };
    }
    let Some(start) = c.in_force.or(c.signed) else {
        return Explanation::new(
            Check::InForce,
            Truth::Unknown,
            "the library gives no date of entry into force",
        )
        .cite(&cite)
        .because(Reason::NotInForce);
    };
    let started = start.on_or_before(date);
    if started != Truth::Yes {
        return Explanation::new(
            Check::InForce,
            started,
            format!("in force from {start}; not yet on {date}"),
        )
        .cite(&cite)
        .because(Reason::NotInForce);
    }
    if let Some(end) = c.terminated {
        let ended = end.on_or_before(date);
        if ended != Truth::No {
            // An open end (to 9999) marks where the data stop, not a termination.
            let text = if end.latest.year() >= 9999 {
                format!(
                    "the data end on {}; whether it applied on {date} is unknown",
                    end.earliest.pred_opt().unwrap_or(end.earliest)
                )
            } else {
                format!("terminated on {end}")
            };
            return Explanation::new(Check::InForce, !ended, text)
                .cite(&cite)
                .because(Reason::NotInForce);
        }
    }
    if let Some(Duration {
        indefinite: false,
        years: Some(y),
        renewable,
        ..
    }) = &c.duration
    {
        let end = start
            .earliest
            .with_year(start.earliest.year() + *y as i32)
            .unwrap_or(start.earliest);
        if date >= end {
            let (t, tail) = match renewable {
                Some(false) => (Truth::No, "not renewable"),
                _ => (Truth::Unknown, "whether it was renewed is not recorded"),
            };
            return Explanation::new(
                Check::InForce,
                t,
                format!("its {y}-year term from {start} ended on {end}; {tail}"),
            )
            .cite(&cite)
            .because(Reason::NotInForce);
        }
    }
    if let Some(e) = c.duration.as_ref().and_then(|d| d.ends_on.as_ref()) {
        if let Some(x) = ended_by_event(lib, e, date, &cite) {
            return x;
        }
    }
    Explanation::new(Check::InForce, Truth::Yes, format!("in force since {start}")).cite(&cite)
}

/// A document's end set by an event (an actor's membership of an organisation): `Ends` makes
/// it not apply from that day, `Review` leaves it unknown (the parties decide its future).
/// Nothing while the membership is certainly not held; unknown while it may be.
fn ended_by_event(lib: &Library, e: &EndsOn, date: NaiveDate, cite: &Citation) -> Option<Explanation> {
    let member = lib.is_member(e.org, e.actor, date);
    if member == Truth::No {
        return None;
    }
    let (who, org) = (&lib.actor(e.actor).id, &lib.org(e.org).id);
    let held = if member == Truth::Yes { "is" } else { "may be" };
    let (outcome, what) = match e.effect {
        EndEffect::Ends => (!member, "the document ends then"),
        EndEffect::Review => (
            Truth::Unknown,
            "the parties then decide its future, which is not recorded",
        ),
    };
    let cite = Citation {
        quote: Some(e.text.clone()),
        source: e.source.clone().or_else(|| cite.source.clone()),
        ..cite.clone()
    };
    Some(
        Explanation::new(
            Check::InForce,
            outcome,
            format!("{who} {held} a member of {org} on {date}: {what} ('{}')", e.text),
        )
        .cite(&cite)
        .because(Reason::NotInForce),
    )
}

pub(super) fn trigger_checks(
    lib: &Library,
    ev: &Event,
    c: &Commitment,
    clause: &Clause,
    t: &Trigger,
) -> Vec<Explanation> {
    let cite = &clause.citation;
    let mut v = Vec::new();
    let kind_ok = ev.kind.satisfies(t.event);
    let obj_ok = t.against.contains(&ev.against);
    let against: Vec<&str> = t.against.iter().map(|o| o.as_str()).collect();
    v.push(
        Explanation::new(
            Check::Trigger,
            Truth::from_bool(kind_ok && obj_ok),
            format!(
                "the clause answers {} against {}; the event is {} against {}",
                t.event,
                against.join(" or "),
                ev.kind,
                ev.against
            ),
        )
        .cite(cite)
        .because(Reason::TriggerNotMet),
    );
    if !t.by.is_empty() {
        let named = lib.in_any(&t.by, &c.parties, ev.attacker, ev.date);
        v.push(
            Explanation::new(
                Check::Attacker,
                named,
                format!(
                    "the clause names the attacker ({}); the attacker is {}",
                    lib.groups_text(&t.by),
                    lib.actor(ev.attacker).id
                ),
            )
            .cite(cite)
            .because(Reason::AttackerNotNamed),
        );
    }
    if let Some(min) = t.severity {
        let words = t.threshold.clone().unwrap_or_default();
        let (truth, detail) = match ev.severity {
            Severity::Unspecified => (Truth::Unknown, format!("the text demands an attack that is \"{words}\"; the event does not say how grave it is (give its severity)")),
            s => (Truth::from_bool(s >= min), format!("the text demands an attack that is \"{words}\" ({min}); the event is {s}")),
        };
        v.push(
            Explanation::new(Check::Severity, truth, detail)
                .cite(cite)
                .because(Reason::BelowThreshold),
        );
    }
    if t.provocation_excluded {
        let truth = Truth::from_bool(!ev.provoked);
        let detail = if ev.provoked {
            "the clause does not cover an attack the beneficiary provoked, and the target struck first"
        } else {
            "the clause excludes provoked attacks; the target did not strike first"
        };
        v.push(
            Explanation::new(Check::Provocation, truth, detail)
                .cite(cite)
                .because(Reason::Provoked),
        );
    }
    v
}

/// Says how an actor belongs to a group on a date: "member of NATO since 2004-03-29".
fn membership_detail(
    lib: &Library,
    groups: &[Group],
    parties: &[Group],
    actor: ActorId,
    date: NaiveDate,
) -> String {
    let id = &lib.actor(actor).id;
    let mut parts = Vec::new();
    let expanded: Vec<Group> = groups
        .iter()
        .flat_map(|g| {
            if *g == Group::Parties {
                parties.to_vec()
            } else {
                vec![*g]
            }
        })
        .collect();
    for &g in &expanded {
        match g {
            Group::Actor(a) if a == actor => parts.push(format!("{id} is named")),
            Group::Org(o) => {
                let org = lib.org(o);
                let spells: Vec<&Membership> = org.members.iter().filter(|m| m.actor == actor).collect();
                if spells.is_empty() {
                    if org.founded.earliest > date {
                        parts.push(format!(
                            "{} did not exist yet on {date} (founded {})",
                            org.id, org.founded
                        ));
                    } else {
                        parts.push(format!("{id} has never been a member of {}", org.id));
                    }
                }
                for m in spells {
                    let from = m.spell.from.map(|d| d.to_string()).unwrap_or_else(|| "?".into());
                    let t = m.spell.contains(date);
                    let when = match m.spell.until {
                        Some(u) => format!("{from} to {u}"),
                        None => format!("since {from}"),
                    };
                    let verb = match t {
                        Truth::Yes => "member of",
                        Truth::No => "not a member of",
                        Truth::Unknown => "perhaps a member of",
                    };
                    parts.push(format!("{id} {verb} {} on {date} (member {when})", org.id));
                }
            }
            _ => {}
        }
    }
    if parts.is_empty() {
        parts.push(format!("{id} is not among {}", lib.groups_text(&expanded)));
    }
    parts.join("; ")
}

pub(super) fn beneficiary_check(lib: &Library, ev: &Event, c: &Commitment, clause: &Clause) -> Explanation {
    let t = lib.in_any(&clause.beneficiaries, &c.parties, ev.target, ev.date);
    Explanation::new(
        Check::Beneficiary,
        t,
        format!(
            "protected: {}",
            membership_detail(lib, &clause.beneficiaries, &c.parties, ev.target, ev.date)
        ),
    )
    .cite(&clause.citation)
    .because(Reason::NotBeneficiary)
}

/// For an attack on territory: is the place the target's?
pub(super) fn place_held_check(lib: &Library, ev: &Event) -> Explanation {
    let place = lib.place(ev.place);
    let target = &lib.actor(ev.target).id;
    let mut node = match lib.sovereign_on(ev.place, ev.date) {
        Some((a, t)) if a == ev.target => Explanation::new(
            Check::PlaceHeld,
            t,
            format!(
                "{} ({}) is {target}'s territory on {}",
                place.id, place.name, ev.date
            ),
        ),
        Some((a, _)) => Explanation::new(
            Check::PlaceHeld,
            Truth::No,
            format!(
                "{} ({}) is {}'s territory, not {target}'s",
                place.id,
                place.name,
                lib.actor(a).id
            ),
        ),
        None => Explanation::new(
            Check::PlaceHeld,
            Truth::Unknown,
            format!(
                "the gazetteer records no sovereign for {} ({}) on {}",
                place.id, place.name, ev.date
            ),
        ),
    }
    .because(Reason::NotTargetsPlace);
    for (s, t) in lib.status_on(ev.place, ev.date) {
        let by = s.by.map(|a| lib.actor(a).id.clone()).unwrap_or_default();
        let since = s.spell.from.map(|d| format!(" since {d}")).unwrap_or_default();
        let mut d = format!("{} {by}{since}", s.kind.as_str().replace('_', " "));
        if let Some(n) = &s.note {
            d.push_str(&format!(" — {n}"));
        }
        let mut n = Explanation::new(Check::Status, t, d);
        if let Some(src) = &s.source {
            n.citation = Some(Citation {
                document: "gazetteer".into(),
                article: place.id.clone(),
                quote: None,
                source: Some(src.clone()),
                verified: None,
            });
        }
        node = node.child(n);
    }
    node
}

pub(super) fn scope_check(lib: &Library, ev: &Event, c: &Commitment, clause: &Clause) -> Explanation {
    let Some(scope) = &clause.scope else {
        return Explanation::new(Check::Scope, Truth::Yes, "the clause sets no geographic limit")
            .cite(&clause.citation);
    };
    let regions: Vec<Explanation> = scope
        .regions
        .iter()
        .map(|r| region_check(lib, ev, c, r))
        .collect();
    let truth = regions.iter().fold(Truth::No, |acc, r| acc.or(r.outcome));
    let place = lib.place(ev.place);
    let verdict = match truth {
        Truth::Yes => "inside",
        Truth::No => "outside",
        Truth::Unknown => "perhaps inside",
    };
    let mut node = Explanation::new(
        Check::Scope,
        truth,
        format!("{} ({}) is {verdict} the treaty area", place.id, place.name),
    )
    .cite(&scope.citation)
    .because(Reason::OutsideScope);
    node.children = regions;
    node
}

fn region_check(lib: &Library, ev: &Event, c: &Commitment, r: &Region) -> Explanation {
    let p = ev.place;
    let mut conds: Vec<(Truth, String)> = Vec::new();
    if r.spell.from.is_some() || r.spell.until.is_some() {
        conds.push((r.spell.contains(ev.date), format!("applies on {}", ev.date)));
    }
    conds.push((
        Truth::from_bool(r.against.contains(&ev.against)),
        format!("covers attacks on {}", ev.against),
    ));
    if !r.continents.is_empty() {
        let t = match lib.continent(p) {
            Some(k) => (
                Truth::from_bool(r.continents.contains(&k)),
                format!("continent {k}"),
            ),
            None if lib.place(p).kind == PlaceKind::Sea => (Truth::No, "a sea, on no continent".into()),
            None => (Truth::Unknown, "continent not recorded".into()),
        };
        conds.push(t);
    }
    if !r.places.is_empty() {
        let hit = r.places.iter().find(|q| lib.is_within(p, **q));
        conds.push(match hit {
            Some(q) => (Truth::Yes, format!("within {}", lib.place(*q).id)),
            None => (
                Truth::No,
                format!(
                    "not within {}",
                    r.places
                        .iter()
                        .map(|q| lib.place(*q).id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        });
    }
    if !r.oceans.is_empty() {
        conds.push(match lib.ocean(p) {
            Some(o) => (
                Truth::from_bool(r.oceans.contains(&o)),
                format!("ocean region {o}"),
            ),
            None => (Truth::Unknown, "ocean region not recorded".into()),
        });
    }
    if let Some(q) = r.exclude_places.iter().find(|q| lib.is_within(p, **q)) {
        conds.push((Truth::No, format!("{} is carved out", lib.place(*q).id)));
    }
    if let Some(o) = lib.ocean(p).filter(|o| r.exclude_oceans.contains(o)) {
        conds.push((Truth::No, format!("the {o} region is carved out")));
    }
    if let Some(want) = r.island {
        conds.push(match lib.island(p) {
            Some(is) => (
                Truth::from_bool(is == want),
                if is {
                    "an island".into()
                } else {
                    "not an island".into()
                },
            ),
            None => (Truth::Unknown, "whether it is an island is not recorded".into()),
        });
    }
    if r.min_latitude.is_some() || r.max_latitude.is_some() {
        conds.push(match lib.latitude(p) {
            Some(lat) => {
                let ok = r.min_latitude.is_none_or(|m| lat >= m) && r.max_latitude.is_none_or(|m| lat <= m);
                (Truth::from_bool(ok), format!("latitude {lat:.2}"))
            }
            None => (Truth::Unknown, "latitude not recorded".into()),
        });
    }
    let holder = match r.control {
        Control::Sovereignty => lib.sovereign_on(p, ev.date),
        Control::Administration => lib.administrator_on(p, ev.date),
    };
    let control = r.control.as_str();
    let sea = lib.place(p).kind == PlaceKind::Sea;
    match r.held_by {
        HeldBy::Target | HeldBy::Party if sea => conds.push((Truth::No, "a sea, nobody's territory".into())),
        HeldBy::Any => {}
        HeldBy::Target => conds.push(match holder {
            Some((a, t)) => (
                if a == ev.target { t } else { Truth::No },
                format!("under the {control} of {}", lib.actor(a).id),
            ),
            None => (Truth::Unknown, format!("{control} not recorded")),
        }),
        HeldBy::Party => conds.push(match holder {
            Some((a, t)) => {
                let party = lib.in_any(&c.parties, &[], a, ev.date);
                (
                    party.and(t),
                    format!(
                        "under the {control} of {}, {} party",
                        lib.actor(a).id,
                        if party == Truth::No { "not a" } else { "a" }
                    ),
                )
            }
            None => (Truth::Unknown, format!("{control} not recorded")),
        }),
    }
    let truth = conds.iter().fold(Truth::Yes, |acc, (t, _)| acc.and(*t));
    let mut node = Explanation::new(
        Check::Region,
        truth,
        format!(
            "{}: {}",
            r.label,
            conds
                .iter()
                .map(|(_, d)| d.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    );
    node.reason = Some(Reason::OutsideScope);
    node
}

pub(super) fn obligor_check(
    lib: &Library,
    ev: &Event,
    c: &Commitment,
    clause: &Clause,
    obligor: ActorId,
    member: Truth,
) -> Explanation {
    Explanation::new(
        Check::Obligor,
        member,
        format!(
            "bound: {}",
            membership_detail(lib, &clause.obligors, &c.parties, obligor, ev.date)
        ),
    )
    .cite(&clause.citation)
    .because(Reason::NotBound)
}

pub(super) fn suspension_checks(
    lib: &Library,
    ev: &Event,
    c: &Commitment,
    obligor: ActorId,
) -> Vec<Explanation> {
    c.suspensions
        .iter()
        .filter(|s| s.obligor == obligor && s.beneficiary == ev.target)
        .filter_map(|s| {
            let t = s.spell.contains(ev.date);
            (t != Truth::No).then(|| {
                let cite = Citation {
                    document: c.title.clone(),
                    article: "suspension".into(),
                    quote: None,
                    source: Some(s.source.clone()),
                    verified: None,
                };
                Explanation::new(
                    Check::Suspension,
                    !t,
                    format!(
                        "{} suspended its obligations to {}: {}",
                        lib.actor(obligor).id,
                        lib.actor(ev.target).id,
                        s.text
                    ),
                )
                .cite(&cite)
                .because(Reason::Suspended)
            })
        })
        .collect()
}

/// Caveats and domestic approvals do not decide whether the obligation exists; they
/// qualify it, so they are shown as satisfied notes attached to the obligation.
pub(super) fn caveat_and_approval_notes(
    lib: &Library,
    clause: &Clause,
    obligor: ActorId,
    date: NaiveDate,
) -> Vec<Explanation> {
    let applies = |list: &[ActorId]| list.is_empty() || list.contains(&obligor);
    let cite = |source: &Option<String>| Citation {
        source: source.clone().or(clause.citation.source.clone()),
        ..clause.citation.clone()
    };
    let mut v = Vec::new();
    for cv in clause.caveats.iter().filter(|c| applies(&c.applies_to)) {
        if cv.spell.contains(date) == Truth::No {
            continue;
        }
        v.push(
            Explanation::new(
                Check::Caveat,
                Truth::Yes,
                format!("caveat for {}: {}", lib.actor(obligor).id, cv.text),
            )
            .cite(&cite(&cv.source)),
        );
    }
    for d in clause.domestic.iter().filter(|d| applies(&d.applies_to)) {
        v.push(
            Explanation::new(
                Check::DomesticApproval,
                Truth::Yes,
                format!(
                    "{} acts {}: {}",
                    lib.actor(obligor).id,
                    d.requirement.as_str().replace('_', " "),
                    d.text
                ),
            )
            .cite(&cite(&d.source)),
        );
    }
    v
}
