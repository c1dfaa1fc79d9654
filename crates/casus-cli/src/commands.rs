//! One function per command: ask the engine, shape a [`Report`] (tables for people,
//! JSON for scripts). Nothing here decides anything about obligations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use casus_engine::compare::{profile, Profile};
use casus_engine::{scenario, Assessment, Explanation, Side};
use casus_model::*;
use serde_json::{json, Value};

use crate::context;
use crate::diagnostics;
use crate::event::word;
use crate::output::{Format, Report, Section};

fn actor_id(lib: &Library, a: ActorId) -> String {
    lib.actor(a).id.clone()
}

pub fn event_json_pub(lib: &Library, e: &Event) -> Value {
    let place = lib.place(e.place);
    json!({
        "attacker": actor_id(lib, e.attacker),
        "target": actor_id(lib, e.target),
        "place": place.id,
        "place_name": place.name,
        "against": e.against,
        "kind": e.kind,
        "severity": e.severity,
        "date": e.date.to_string(),
        "provoked": e.provoked,
        "assume_proposals": e.assume_proposals,
    })
}

fn event_heading(lib: &Library, e: &Event) -> String {
    let place = lib.place(e.place);
    let mut s = format!(
        "{} attacks {} at {} ({}) on {}: {} against {}",
        actor_id(lib, e.attacker),
        actor_id(lib, e.target),
        place.id,
        place.name,
        e.date,
        e.kind,
        e.against
    );
    if e.severity != Severity::Unspecified {
        s.push_str(&format!(", severity {}", e.severity));
    }
    if e.provoked {
        s.push_str(", target struck first");
    }
    if e.assume_proposals {
        s.push_str(" (proposals assumed adopted)");
    }
    s
}

/// The detail of the first node that decided the answer.
fn why(e: &Explanation) -> String {
    e.first_with(e.outcome)
        .map(|n| n.detail.clone())
        .unwrap_or_else(|| e.detail.clone())
}

fn clause_label(lib: &Library, c: CommitmentId, clause: usize) -> (String, String) {
    let cm = lib.commitment(c);
    (
        cm.id.clone(),
        format!(
            "{} ({})",
            cm.clauses[clause].id, cm.clauses[clause].citation.article
        ),
    )
}

fn qualifications(lib: &Library, clause: &Clause) -> String {
    let mut parts = Vec::new();
    for d in &clause.domestic {
        let who = if d.applies_to.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                d.applies_to
                    .iter()
                    .map(|a| actor_id(lib, *a))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        parts.push(format!(
            "domestic: {}{who}",
            d.requirement.as_str().replace('_', " ")
        ));
    }
    for c in &clause.caveats {
        let who = if c.applies_to.is_empty() {
            "all".to_string()
        } else {
            c.applies_to
                .iter()
                .map(|a| actor_id(lib, *a))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text: String = c.text.chars().take(70).collect();
        parts.push(format!(
            "caveat ({who}): {text}{}",
            if c.text.chars().count() > 70 { "…" } else { "" }
        ));
    }
    parts.join("; ")
}

fn decision_text(d: &Decision) -> String {
    let rule = match &d.rule {
        DecisionRule::Individual => "each decides".to_string(),
        DecisionRule::Consensus => "consensus".to_string(),
        DecisionRule::QualifiedMajority {
            numerator,
            denominator,
        } => format!("{numerator}/{denominator} majority"),
        DecisionRule::SingleActor { by } => format!("{} decides", by.join(", ")),
    };
    match &d.body {
        Some(b) => format!("{rule} ({b})"),
        None => rule,
    }
}

pub fn obligations(lib: &Library, event: &Event, only: &[String], explain: bool) -> Result<Report> {
    let mut keep = Vec::new();
    for id in only {
        keep.push(lookup::commitment(lib, id).map_err(|e| anyhow!("--commitment: {e}"))?);
    }
    let mut a = casus_engine::obligations(lib, event);
    if !keep.is_empty() {
        a.obligations.retain(|o| keep.contains(&o.commitment));
        a.not_triggered.retain(|o| keep.contains(&o.commitment));
        a.unknown.retain(|o| keep.contains(&o.commitment));
        a.breached.retain(|o| keep.contains(&o.commitment));
    }
    Ok(assessment_report(lib, &a, explain))
}

fn assessment_report(lib: &Library, a: &Assessment, explain: bool) -> Report {
    let ev = &a.event;
    // Obligations grouped by clause for people; one object per obligor for scripts.
    let mut groups: BTreeMap<(CommitmentId, usize), Vec<ActorId>> = BTreeMap::new();
    for o in &a.obligations {
        groups
            .entry((o.commitment, o.clause))
            .or_default()
            .push(o.obligor);
    }
    let mut ob = Section::new(
        format!(
            "Obligations: {} obligors under {} clauses",
            a.obligations.len(),
            groups.len()
        ),
        &[
            "commitment",
            "clause",
            "strength",
            "obligors",
            "decision",
            "qualifications",
        ],
    );
    let mut sorted: Vec<_> = groups.into_iter().collect();
    sorted.sort_by_key(|((c, i), _)| (std::cmp::Reverse(lib.commitment(*c).clauses[*i].strength), *c, *i));
    for ((c, i), obligors) in &sorted {
        let clause = &lib.commitment(*c).clauses[*i];
        let (cid, cl) = clause_label(lib, *c, *i);
        let names: Vec<String> = obligors.iter().map(|x| actor_id(lib, *x)).collect();
        ob.row(vec![
            cid,
            cl,
            clause.strength.map(|s| s.to_string()).unwrap_or_default(),
            format!("{} ({})", names.join(", "), names.len()),
            decision_text(&clause.decision),
            qualifications(lib, clause),
        ]);
    }
    let mut br = Section::new(
        format!("Broken promises: {}", a.breached.len()),
        &["commitment", "clause", "by", "promise"],
    );
    for b in &a.breached {
        let (cid, cl) = clause_label(lib, b.commitment, b.clause);
        let quote = lib.commitment(b.commitment).clauses[b.clause]
            .citation
            .quote
            .clone()
            .unwrap_or_default();
        br.row(vec![cid, cl, actor_id(lib, b.obligor), quote]);
    }
    let listing = |title: String, items: &[casus_engine::NotTriggered]| {
        let mut s = Section::new(title, &["commitment", "clause", "obligor", "reason", "why"]);
        for n in items {
            let (cid, cl) = clause_label(lib, n.commitment, n.clause);
            s.row(vec![
                cid,
                cl,
                n.obligor.map(|x| actor_id(lib, x)).unwrap_or_else(|| "—".into()),
                n.reason.to_string(),
                why(&n.explanation),
            ]);
        }
        s
    };
    let nt = listing(
        format!("Not triggered: {}", a.not_triggered.len()),
        &a.not_triggered,
    );
    let un = listing(
        format!("Unknown (the data cannot say): {}", a.unknown.len()),
        &a.unknown,
    );
    let mut sections = vec![ob, br, un, nt];
    if explain {
        let mut ex = Section::new("Explanations", &[]);
        for o in &a.obligations {
            ex.notes.push(format!(
                "{} owes {} {}:\n{}",
                actor_id(lib, o.obligor),
                actor_id(lib, o.beneficiary),
                o.strength,
                o.explanation.text()
            ));
        }
        for b in &a.breached {
            ex.notes.push(format!(
                "{} breaks:\n{}",
                actor_id(lib, b.obligor),
                b.explanation.text()
            ));
        }
        for n in a.unknown.iter().chain(&a.not_triggered) {
            ex.notes.push(format!(
                "{} ({}):\n{}",
                n.reason,
                n.obligor
                    .map(|x| actor_id(lib, x))
                    .unwrap_or_else(|| "clause".into()),
                n.explanation.text()
            ));
        }
        sections.push(ex);
    }
    let entry = |n: &casus_engine::NotTriggered| {
        let cm = lib.commitment(n.commitment);
        json!({
            "commitment": cm.id,
            "clause": cm.clauses[n.clause].id,
            "article": cm.clauses[n.clause].citation.article,
            "obligor": n.obligor.map(|x| actor_id(lib, x)),
            "reason": n.reason,
            "explanation": n.explanation,
        })
    };
    let json = json!({
        "event": event_json_pub(lib, ev),
        "obligations": a.obligations.iter().map(|o| {
            let cm = lib.commitment(o.commitment);
            let clause = &cm.clauses[o.clause];
            json!({
                "commitment": cm.id,
                "clause": clause.id,
                "article": clause.citation.article,
                "obligor": actor_id(lib, o.obligor),
                "beneficiary": actor_id(lib, o.beneficiary),
                "strength": o.strength,
                "decision": clause.decision,
                "legal_form": cm.legal_form(),
                "binding": cm.binding,
                "citation": clause.citation,
                "explanation": o.explanation,
            })
        }).collect::<Vec<_>>(),
        "not_triggered": a.not_triggered.iter().map(entry).collect::<Vec<_>>(),
        "unknown": a.unknown.iter().map(entry).collect::<Vec<_>>(),
        "breached": a.breached.iter().map(|b| {
            let cm = lib.commitment(b.commitment);
            json!({
                "commitment": cm.id,
                "clause": cm.clauses[b.clause].id,
                "article": cm.clauses[b.clause].citation.article,
                "obligor": actor_id(lib, b.obligor),
                "beneficiary": actor_id(lib, b.beneficiary),
                "explanation": b.explanation,
            })
        }).collect::<Vec<_>>(),
    });
    Report {
        heading: vec![event_heading(lib, ev)],
        sections,
        json,
    }
}

pub fn cascade(lib: &Library, event: &Event, depth: usize, min_strength: &str) -> Result<Report> {
    let min = word("min-strength", min_strength, Strength::parse, Strength::WORDS)?;
    let c = casus_engine::cascade(lib, event, depth, min);
    let chain_text = |chain: &[casus_engine::Link]| {
        chain
            .iter()
            .map(|l| {
                let cm = lib.commitment(l.commitment);
                format!(
                    "{} owes {} under {}/{} ({})",
                    actor_id(lib, l.obligor),
                    actor_id(lib, l.beneficiary),
                    cm.id,
                    cm.clauses[l.clause].id,
                    l.strength
                )
            })
            .collect::<Vec<_>>()
            .join(" ⇒ ")
    };
    let mut summary = Vec::new();
    for side in [Side::Defender, Side::Attacker] {
        let members: Vec<&casus_engine::Joiner> = c.joiners.iter().filter(|j| j.side == side).collect();
        let nuclear: Vec<String> = members
            .iter()
            .filter(|j| j.nuclear == Truth::Yes)
            .map(|j| actor_id(lib, j.actor))
            .collect();
        summary.push(format!(
            "{} side: {} states ({} nuclear-armed: {})",
            if side == Side::Defender {
                "Defending"
            } else {
                "Attacking"
            },
            members.len(),
            nuclear.len(),
            if nuclear.is_empty() {
                "none".to_string()
            } else {
                nuclear.join(", ")
            }
        ));
    }
    let mut t = Section::new(
        format!("Drawn in (obligations of {min} or stronger, chains up to {depth} links)"),
        &["side", "state", "name", "depth", "nuclear", "chain"],
    );
    for j in &c.joiners {
        t.row(vec![
            format!("{:?}", j.side).to_lowercase(),
            actor_id(lib, j.actor),
            lib.actor(j.actor).name.clone(),
            j.depth.to_string(),
            match j.nuclear {
                Truth::Yes => "yes".into(),
                Truth::No => "no".into(),
                Truth::Unknown => "unknown".into(),
            },
            if j.depth == 0 {
                "(original party)".into()
            } else {
                chain_text(&j.chain)
            },
        ]);
    }
    let mut cross = Section::new("Owing both sides", &["state", "also owes"]);
    for (a, l) in &c.cross_pressured {
        cross.row(vec![actor_id(lib, *a), chain_text(std::slice::from_ref(l))]);
    }
    let mut open = Section::new("Not followed: the data cannot say", &["state", "obligation"]);
    for (a, l) in &c.undetermined {
        open.row(vec![actor_id(lib, *a), chain_text(std::slice::from_ref(l))]);
    }
    let link_json = |l: &casus_engine::Link| {
        let cm = lib.commitment(l.commitment);
        json!({"commitment": cm.id, "clause": cm.clauses[l.clause].id, "obligor": actor_id(lib, l.obligor), "beneficiary": actor_id(lib, l.beneficiary), "strength": l.strength})
    };
    let json = json!({
        "event": event_json_pub(lib, event),
        "depth": depth,
        "min_strength": min,
        "sides": c.joiners.iter().map(|j| json!({
            "actor": actor_id(lib, j.actor),
            "side": j.side,
            "depth": j.depth,
            "nuclear_armed": j.nuclear,
            "chain": j.chain.iter().map(link_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "cross_pressured": c.cross_pressured.iter().map(|(a, l)| json!({"actor": actor_id(lib, *a), "link": link_json(l)})).collect::<Vec<_>>(),
        "undetermined": c.undetermined.iter().map(|(a, l)| json!({"actor": actor_id(lib, *a), "link": link_json(l)})).collect::<Vec<_>>(),
    });
    let mut heading = vec![event_heading(lib, event)];
    heading.extend(summary);
    Ok(Report {
        heading,
        sections: vec![t, cross, open],
        json,
    })
}

/// CINC scores by COW code for the latest year on or before `year`, from an NMC CSV.
pub fn read_capabilities(path: &Path, year: i32) -> Result<(BTreeMap<u16, f64>, i32)> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(|h| h.trim_matches('"'))
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| anyhow!("{}: no `{name}` column (expected a COW NMC file)", path.display()))
    };
    let (ci, yi, si) = (col("ccode")?, col("year")?, col("cinc")?);
    let mut best: BTreeMap<u16, (i32, f64)> = BTreeMap::new();
    for (n, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        let parse = || -> Option<(u16, i32, f64)> {
            Some((
                cells.get(ci)?.parse().ok()?,
                cells.get(yi)?.parse().ok()?,
                cells.get(si)?.parse().ok()?,
            ))
        };
        let Some((code, y, cinc)) = parse() else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(anyhow!(
                "{}:{}: cannot read ccode, year and cinc",
                path.display(),
                n + 2
            ));
        };
        if y <= year && best.get(&code).is_none_or(|(by, _)| y > *by) {
            best.insert(code, (y, cinc));
        }
    }
    let latest = best.values().map(|(y, _)| *y).max().unwrap_or(year);
    Ok((best.into_iter().map(|(k, (_, v))| (k, v)).collect(), latest))
}

pub fn compare(
    lib: &Library,
    ids: &[String],
    date: chrono::NaiveDate,
    capabilities: Option<&Path>,
) -> Result<Report> {
    let mut cids = Vec::new();
    for id in ids {
        cids.push(lookup::commitment(lib, id).map_err(|e| anyhow!("{e}"))?);
    }
    let caps = match capabilities {
        Some(p) => Some(read_capabilities(p, chrono::Datelike::year(&date))?),
        None => None,
    };
    let score = |a: ActorId| -> Option<f64> {
        let (map, _) = caps.as_ref()?;
        map.get(&lib.cow_code(a, date)?).copied()
    };
    let profiles: Vec<Profile> = cids.iter().map(|c| profile(lib, *c, date, &score)).collect();
    let names = |v: &[ActorId]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter().map(|a| actor_id(lib, *a)).collect::<Vec<_>>().join(", ")
        }
    };
    let mut headers = vec!["dimension".to_string()];
    headers.extend(cids.iter().map(|c| lib.commitment(*c).id.clone()));
    let mut t = Section {
        title: format!("Design dimensions on {date}"),
        headers,
        rows: vec![],
        notes: vec![],
    };
    let mut add = |label: &str, f: &dyn Fn(&Profile) -> String| {
        let mut row = vec![label.to_string()];
        row.extend(profiles.iter().map(f));
        t.rows.push(row);
    };
    add("legal form", &|p| lib.commitment(p.commitment).legal_form());
    add("in force on the date", &|p| {
        format!("{:?}", p.in_force).to_lowercase()
    });
    add(
        "strongest obligation",
        &|p| match (p.strength, p.strongest_clause) {
            (Some(s), Some(i)) => format!(
                "{s} ({})",
                lib.commitment(p.commitment).clauses[i].citation.article
            ),
            _ => "none".into(),
        },
    );
    add("force contemplated", &|p| {
        if p.force_contemplated {
            "yes".into()
        } else {
            "no".into()
        }
    });
    add("automaticity", &|p| {
        serde_json::to_value(p.automaticity)
            .ok()
            .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
            .unwrap_or_default()
    });
    add("decision rule", &|p| {
        p.strongest_clause
            .map(|i| decision_text(&lib.commitment(p.commitment).clauses[i].decision))
            .unwrap_or_else(|| "—".into())
    });
    add("must agree", &|p| {
        p.must_agree.map(|n| n.to_string()).unwrap_or_else(|| "—".into())
    });
    add("domestic approval", &|p| {
        if p.domestic_approval.is_empty() {
            "none stated".into()
        } else {
            p.domestic_approval
                .iter()
                .map(|r| r.as_str().replace('_', " "))
                .collect::<Vec<_>>()
                .join(", ")
        }
    });
    add("guarantors", &|p| {
        format!("{}: {}", p.guarantors.len(), names(&p.guarantors))
    });
    add("nuclear-armed guarantors", &|p| {
        format!("{}: {}", p.nuclear_guarantors.len(), names(&p.nuclear_guarantors))
    });
    add(
        "combined capability (CINC)",
        &|p| match (p.combined_capability, &caps) {
            (Some(v), Some((_, y))) => format!("{v:.4} ({y})"),
            (None, Some(_)) => "unknown (a guarantor has no score)".into(),
            _ => "unknown (give --capabilities)".into(),
        },
    );
    add("forces stationed", &|p| {
        if p.forces.is_empty() {
            "none in the text".into()
        } else {
            p.forces.join("; ")
        }
    });
    add("geographic scope", &|p| p.scope.clone());
    add("duration", &|p| p.duration.clone());
    let json = json!({
        "date": date.to_string(),
        "capabilities_year": caps.as_ref().map(|(_, y)| *y),
        "commitments": profiles.iter().map(|p| {
            let cm = lib.commitment(p.commitment);
            json!({
                "id": cm.id,
                "kind": cm.kind,
                "binding": cm.binding,
                "legal_form": cm.legal_form(),
                "in_force": p.in_force,
                "strongest_clause": p.strongest_clause.map(|i| cm.clauses[i].id.clone()),
                "strength": p.strength,
                "force_contemplated": p.force_contemplated,
                "automaticity": p.automaticity,
                "decision": p.decision,
                "must_agree": p.must_agree,
                "domestic_approval": p.domestic_approval,
                "guarantors": p.guarantors.iter().map(|a| actor_id(lib, *a)).collect::<Vec<_>>(),
                "nuclear_guarantors": p.nuclear_guarantors.iter().map(|a| actor_id(lib, *a)).collect::<Vec<_>>(),
                "combined_capability": p.combined_capability,
                "forces_stationed": p.forces,
                "scope": p.scope,
                "duration": p.duration,
            })
        }).collect::<Vec<_>>(),
    });
    Ok(Report {
        heading: vec![format!("Comparing {}", ids.join(", "))],
        sections: vec![t],
        json,
    })
}

fn group_names(lib: &Library, groups: &[Group]) -> String {
    lib.groups_text(groups)
}

pub fn show(lib: &Library, id: &str) -> Result<Report> {
    let cid = lookup::commitment(lib, id).map_err(|e| anyhow!("{e}"))?;
    let c = lib.commitment(cid);
    let date = |d: Option<FuzzyDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    let mut heading = vec![
        c.title.clone(),
        format!("id: {}   kind: {}   {}", c.id, c.kind, c.legal_form()),
        format!(
            "signed: {}   in force: {}   terminated: {}",
            date(c.signed),
            date(c.in_force),
            date(c.terminated)
        ),
        format!("parties: {}", group_names(lib, &c.parties)),
        format!("source: {}", c.source),
    ];
    if let Some(s) = &c.status {
        heading.push(format!("status: {s}"));
    }
    if let Some(s) = &c.summary {
        heading.push(s.clone());
    }
    let mut clauses = Section::new("Clauses: text and encoding", &["text", "encoding"]);
    for cl in &c.clauses {
        let mut text = format!(
            "{}\n\"{}\"\n{}",
            cl.citation.article,
            cl.citation.quote.clone().unwrap_or_default(),
            cl.citation.source.clone().unwrap_or_default()
        );
        if let Some(v) = cl.citation.verified {
            text.push_str(&format!("\n(checked: {v})"));
        }
        let mut enc = vec![format!("id: {}   duty: {}", cl.id, cl.duty)];
        if !cl.obligors.is_empty() {
            enc.push(format!("bound: {}", group_names(lib, &cl.obligors)));
            enc.push(format!("protected: {}", group_names(lib, &cl.beneficiaries)));
        }
        if let Some(t) = &cl.trigger {
            let mut s = format!(
                "trigger: {} against {}",
                t.event,
                t.against.iter().map(|o| o.as_str()).collect::<Vec<_>>().join("/")
            );
            if !t.by.is_empty() {
                s.push_str(&format!(" by {}", group_names(lib, &t.by)));
            }
            if let (Some(min), Some(th)) = (t.severity, &t.threshold) {
                s.push_str(&format!("; at least {min} (\"{th}\")"));
            }
            if t.provocation_excluded {
                s.push_str("; not if provoked");
            }
            enc.push(s);
        }
        if let Some(st) = cl.strength {
            enc.push(format!("strength: {st}"));
        }
        if cl.duty == Duty::Act {
            enc.push(format!("decision: {}", decision_text(&cl.decision)));
        }
        if let Some(sc) = &cl.scope {
            enc.push(format!(
                "scope ({}): {}",
                sc.citation.article,
                sc.regions
                    .iter()
                    .map(|r| r.label.clone())
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
        let q = qualifications(lib, cl);
        if !q.is_empty() {
            enc.push(q);
        }
        if let Some(n) = &cl.note {
            enc.push(format!("note: {n}"));
        }
        clauses.row(vec![text, enc.join("\n")]);
    }
    let mut sections = vec![clauses];
    if !c.suspensions.is_empty() || !c.forces.is_empty() {
        let mut s = Section::new("Suspensions and forces", &["what", "who", "text", "source"]);
        for x in &c.suspensions {
            s.row(vec![
                "suspension".into(),
                format!(
                    "{} → {} from {}",
                    actor_id(lib, x.obligor),
                    actor_id(lib, x.beneficiary),
                    date(x.spell.from)
                ),
                x.text.clone(),
                x.source.clone(),
            ]);
        }
        for x in &c.forces {
            s.row(vec![
                "forces".into(),
                format!("{} in {}", actor_id(lib, x.from), actor_id(lib, x.stationed_in)),
                x.text.clone(),
                x.source.clone(),
            ]);
        }
        sections.push(s);
    }
    let mut unc = Section::new("Uncertain facts", &["fact", "source"]);
    for u in &c.uncertain {
        unc.row(vec![u.fact.clone(), u.source.clone().unwrap_or_default()]);
    }
    sections.push(unc);
    let json = json!({
        "id": c.id,
        "title": c.title,
        "kind": c.kind,
        "binding": c.binding,
        "status": c.status,
        "signed": c.signed,
        "in_force": c.in_force,
        "terminated": c.terminated,
        "parties": c.parties.iter().map(|g| lib.group_name(*g)).collect::<Vec<_>>(),
        "source": c.source,
        "file": c.path,
        "uncertain": c.uncertain.iter().map(|u| json!({"fact": u.fact, "source": u.source})).collect::<Vec<_>>(),
        "clauses": c.clauses.iter().map(|cl| json!({
            "id": cl.id,
            "citation": cl.citation,
            "duty": cl.duty,
            "obligors": cl.obligors.iter().map(|g| lib.group_name(*g)).collect::<Vec<_>>(),
            "beneficiaries": cl.beneficiaries.iter().map(|g| lib.group_name(*g)).collect::<Vec<_>>(),
            "strength": cl.strength,
            "decision": cl.decision,
            "trigger": cl.trigger.as_ref().map(|t| json!({
                "event": t.event,
                "by": t.by.iter().map(|g| lib.group_name(*g)).collect::<Vec<_>>(),
                "against": t.against,
                "severity": t.severity,
                "threshold": t.threshold,
                "provocation_excluded": t.provocation_excluded,
            })),
            "scope": cl.scope.as_ref().map(|s| json!({"from": s.citation.article, "regions": s.regions.iter().map(|r| r.label.clone()).collect::<Vec<_>>()})),
            "caveats": cl.caveats.iter().map(|c| json!({"text": c.text, "applies_to": c.applies_to.iter().map(|a| actor_id(lib, *a)).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "domestic_approval": cl.domestic.iter().map(|d| json!({"requirement": d.requirement, "text": d.text})).collect::<Vec<_>>(),
            "note": cl.note,
        })).collect::<Vec<_>>(),
    });
    Ok(Report {
        heading,
        sections,
        json,
    })
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ListWhat {
    Actors,
    Places,
    Commitments,
    Orgs,
    /// The credibility model's parameters, with their values and basis.
    Parameters,
}

pub fn list(lib: &Library, what: ListWhat, search: Option<&str>, today: chrono::NaiveDate) -> Report {
    let matches = |id: &str, name: &str| {
        search.is_none_or(|s| {
            id.to_lowercase().contains(&s.to_lowercase()) || name.to_lowercase().contains(&s.to_lowercase())
        })
    };
    let (section, json) = match what {
        ListWhat::Actors => {
            let mut s = Section::new("Actors", &["id", "name", "cow", "nuclear since", "historic"]);
            let mut j = Vec::new();
            let mut ids: Vec<ActorId> = lib
                .actor_ids()
                .filter(|a| matches(&lib.actor(*a).id, &lib.actor(*a).name))
                .collect();
            ids.sort_by(|a, b| lib.actor(*a).id.cmp(&lib.actor(*b).id));
            for a in ids {
                let x = lib.actor(a);
                let cow: Vec<String> = x
                    .cow
                    .iter()
                    .map(|c| c.code.to_string())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let nuclear = x
                    .nuclear
                    .as_ref()
                    .map(|n| n.since.to_string())
                    .unwrap_or_default();
                s.row(vec![
                    x.id.clone(),
                    x.name.clone(),
                    cow.join("/"),
                    nuclear.clone(),
                    if x.historic { "yes".into() } else { String::new() },
                ]);
                j.push(json!({"id": x.id, "name": x.name, "cow": cow, "nuclear_since": x.nuclear.as_ref().map(|n| n.since), "historic": x.historic}));
            }
            (s, Value::Array(j))
        }
        ListWhat::Places => {
            let mut s = Section::new(
                format!("Places (sovereign as of {today})"),
                &["id", "name", "kind", "continent", "ocean", "sovereign"],
            );
            let mut j = Vec::new();
            for (i, p) in lib
                .places
                .iter()
                .enumerate()
                .filter(|(_, p)| matches(&p.id, &p.name))
            {
                let pid = PlaceId(i as u32);
                let sov = lib
                    .sovereign_on(pid, today)
                    .map(|(a, _)| actor_id(lib, a))
                    .unwrap_or_default();
                let cont = lib.continent(pid).map(|c| c.to_string()).unwrap_or_default();
                let ocean = lib.ocean(pid).map(|c| c.to_string()).unwrap_or_default();
                s.row(vec![
                    p.id.clone(),
                    p.name.clone(),
                    p.kind.to_string(),
                    cont.clone(),
                    ocean.clone(),
                    sov.clone(),
                ]);
                j.push(json!({"id": p.id, "name": p.name, "kind": p.kind, "continent": cont, "ocean": ocean, "sovereign": sov, "lat": lib.latitude(pid)}));
            }
            (s, Value::Array(j))
        }
        ListWhat::Commitments => {
            let mut s = Section::new(
                "Commitments",
                &["id", "title", "legal form", "in force", "clauses", "scenarios"],
            );
            let mut j = Vec::new();
            for cid in lib.commitment_ids() {
                let c = lib.commitment(cid);
                if !matches(&c.id, &c.title) {
                    continue;
                }
                let scen = lib
                    .scenarios
                    .iter()
                    .filter(|sc| sc.expectations.iter().any(|e| e.commitment == cid))
                    .count();
                let inf = c
                    .in_force
                    .or(c.signed)
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "—".into());
                s.row(vec![
                    c.id.clone(),
                    c.title.clone(),
                    c.legal_form(),
                    inf.clone(),
                    c.clauses.len().to_string(),
                    scen.to_string(),
                ]);
                j.push(json!({"id": c.id, "title": c.title, "kind": c.kind, "binding": c.binding, "in_force": c.in_force, "signed": c.signed, "terminated": c.terminated, "clauses": c.clauses.len(), "scenarios": scen}));
            }
            (s, Value::Array(j))
        }
        ListWhat::Orgs => {
            let mut s = Section::new(
                format!("Organisations (members as of {today})"),
                &["id", "name", "founded", "members", "ever"],
            );
            let mut j = Vec::new();
            for (i, o) in lib
                .orgs
                .iter()
                .enumerate()
                .filter(|(_, o)| matches(&o.id, &o.name))
            {
                let now = lib.members_on(OrgId(i as u32), today);
                s.row(vec![
                    o.id.clone(),
                    o.name.clone(),
                    o.founded.to_string(),
                    now.len().to_string(),
                    o.members.len().to_string(),
                ]);
                j.push(json!({
                    "id": o.id, "name": o.name, "founded": o.founded, "members_today": now.iter().map(|(a, _)| actor_id(lib, *a)).collect::<Vec<_>>(),
                    "roster": o.members.iter().map(|m| json!({"actor": actor_id(lib, m.actor), "from": m.spell.from, "until": m.spell.until})).collect::<Vec<_>>(),
                }));
            }
            (s, Value::Array(j))
        }
        ListWhat::Parameters => {
            let mut s = Section::new(
                "Parameters of the credibility model (library/priors)",
                &["id", "unit", "value", "range", "basis", "meaning"],
            );
            let mut j = Vec::new();
            for spec in casus_model::params::PARAMETERS
                .iter()
                .filter(|p| matches(p.id, p.about))
            {
                let given: Vec<&Parameter> = lib.parameters.iter().filter(|p| p.id == spec.id).collect();
                if given.is_empty() {
                    s.row(vec![
                        spec.id.into(),
                        spec.unit.to_string(),
                        "missing".into(),
                        String::new(),
                        String::new(),
                        spec.about.into(),
                    ]);
                }
                for p in given {
                    let (kind, text) = match &p.provenance {
                        Provenance::Source(t) => ("source", t.as_str()),
                        Provenance::Assumption(t) => ("assumption", t.as_str()),
                    };
                    let id = match p.actor {
                        Some(a) => format!("{} [{}]", p.id, actor_id(lib, a)),
                        None => p.id.clone(),
                    };
                    let range = match (p.low, p.high) {
                        (Some(l), Some(h)) => format!("{l} – {h}"),
                        _ => String::new(),
                    };
                    s.row(vec![
                        id,
                        spec.unit.to_string(),
                        p.value.to_string(),
                        range,
                        format!("{kind}: {text}"),
                        spec.about.into(),
                    ]);
                    j.push(json!({"id": p.id, "actor": p.actor.map(|a| actor_id(lib, a)), "unit": spec.unit, "value": p.value, "low": p.low, "high": p.high, kind: text, "meaning": spec.about}));
                }
            }
            (s, Value::Array(j))
        }
    };
    Report {
        heading: vec![],
        sections: vec![section],
        json,
    }
}

fn emit(report: &Report, format: Format) {
    print!("{}", report.render(format));
}

pub fn check(builtin: bool, library: &[PathBuf], paths: &[PathBuf], format: Format) -> Result<ExitCode> {
    let files = context::gather(builtin, &[library, paths].concat())?;
    let loaded = context::load_files(&files);
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    let lib = &loaded.library;
    let summary = format!(
        "{} files: {} commitments, {} clauses, {} organisations, {} actors, {} places, {} scenarios; {errors} errors, {warnings} warnings",
        files.len(),
        lib.commitments.len(),
        lib.commitments.iter().map(|c| c.clauses.len()).sum::<usize>(),
        lib.orgs.len(),
        lib.actors.len(),
        lib.places.len(),
        lib.scenarios.len()
    );
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"errors": errors, "warnings": warnings, "diagnostics": loaded.diagnostics})
            )?
        ),
        _ => {
            for d in &loaded.diagnostics {
                print!("{}", diagnostics::render(d, &files));
            }
            println!("{summary}");
        }
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn test(builtin: bool, library: &[PathBuf], paths: &[PathBuf], format: Format) -> Result<ExitCode> {
    let mut files = context::gather(builtin, library)?;
    let mut given = Vec::new();
    for p in paths {
        given.extend(context::read_path(p)?);
    }
    let given_count = given.len();
    context::add(&mut files, given);
    let first_given = files.len() - given_count;
    let loaded = context::load_files(&files);
    if loaded.has_errors() {
        for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            eprint!("{}", diagnostics::render(d, &files));
        }
        return Ok(ExitCode::FAILURE);
    }
    let lib = &loaded.library;
    // With paths, run only the scenarios those files define.
    let only: Vec<&str> = files[first_given..].iter().map(|f| f.path.as_str()).collect();
    let results: Vec<_> = lib
        .scenarios
        .iter()
        .filter(|s| only.is_empty() || only.iter().any(|p| s.location.starts_with(&format!("{p}:"))))
        .map(|s| scenario::run(lib, s))
        .collect();
    let passed = results.iter().filter(|r| r.passed()).count();
    let failed = results.len() - passed;
    let mut s = Section::new("Scenario tests", &["result", "scenario", "where"]);
    for r in &results {
        s.row(vec![
            if r.passed() { "ok".into() } else { "FAILED".into() },
            r.name.clone(),
            r.location.clone(),
        ]);
        s.notes.extend(r.failures.iter().map(|f| format!("  {f}")));
    }
    s.notes.push(format!("{passed} passed, {failed} failed"));
    let json = json!({
        "passed": passed,
        "failed": failed,
        "scenarios": results.iter().map(|r| json!({"name": r.name, "location": r.location, "passed": r.passed(), "failures": r.failures})).collect::<Vec<_>>(),
    });
    emit(
        &Report {
            heading: vec![],
            sections: vec![s],
            json,
        },
        format,
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
