//! `obligations`: every clause's answer for one attack — owed, broken, not triggered or
//! unknown — each with its explanation tree.

use std::collections::BTreeMap;

use casus_engine::{Check, Explanation, NoObligation};
use casus_model::*;
use casus_render::{Report, Section};
use casus_syntax::Diagnostic;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::event::EventRequest;
use crate::names::{actor_id, clause_label, decision_text, event_heading, qualifications};
use crate::{Answer, Result};

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ObligationsRequest {
    #[serde(flatten)]
    pub event: EventRequest,
    /// Only these commitments (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitment: Vec<String>,
    /// Only these obligors (actor ids or names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligor: Vec<String>,
    /// Show every explanation tree (each distinct tree once, with the obligors it applies to).
    #[serde(default)]
    pub explain: bool,
    /// List every clause that was not triggered, not only a summary by reason.
    #[serde(default)]
    pub show_not_triggered: bool,
}

/// The event as results describe it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EventView {
    pub attacker: String,
    pub target: String,
    pub place: String,
    pub place_name: String,
    pub against: Object,
    pub kind: EventKind,
    pub severity: Severity,
    pub date: String,
    pub provoked: bool,
    pub assume_proposals: bool,
}

impl EventView {
    pub fn new(lib: &Library, e: &Event) -> Self {
        let place = lib.place(e.place);
        Self {
            attacker: actor_id(lib, e.attacker),
            target: actor_id(lib, e.target),
            place: place.id.clone(),
            place_name: place.name.clone(),
            against: e.against,
            kind: e.kind,
            severity: e.severity,
            date: e.date.to_string(),
            provoked: e.provoked,
            assume_proposals: e.assume_proposals,
        }
    }
}

/// One obligor owing one beneficiary under one clause.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Owed {
    pub commitment: String,
    pub clause: String,
    pub article: String,
    pub obligor: String,
    pub beneficiary: String,
    pub strength: Strength,
    pub decision: Decision,
    pub legal_form: String,
    pub binding: Binding,
    pub citation: Citation,
    pub explanation: Explanation,
}

/// A clause (or one obligor under it) that does not oblige, or that the data cannot decide.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClauseAnswer {
    pub commitment: String,
    pub clause: String,
    pub article: String,
    /// The obligor concerned, or none when the answer is the clause's as a whole.
    pub obligor: Option<String>,
    pub reason: Reason,
    pub explanation: Explanation,
}

/// A promise the attacker itself breaks (a refrain clause).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Broken {
    pub commitment: String,
    pub clause: String,
    pub article: String,
    pub obligor: String,
    pub beneficiary: String,
    pub explanation: Explanation,
}

/// What `casus obligations --format json` prints and `POST /api/obligations` returns.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Obligations {
    pub event: EventView,
    pub obligations: Vec<Owed>,
    pub not_triggered: Vec<ClauseAnswer>,
    pub unknown: Vec<ClauseAnswer>,
    pub breached: Vec<Broken>,
}

pub fn obligations(lib: &Library, today: NaiveDate, req: &ObligationsRequest) -> Result<Answer<Obligations>> {
    let event = req.event.resolve(lib, today)?;
    let mut keep = Vec::new();
    for id in &req.commitment {
        keep.push(lookup::commitment(lib, id).map_err(|e| Diagnostic::input("commitment", e.to_string()))?);
    }
    let mut only = Vec::new();
    for id in &req.obligor {
        only.push(lookup::actor(lib, id).map_err(|e| Diagnostic::input("obligor", e.to_string()))?);
    }
    let mut a = casus_engine::obligations(lib, &event);
    let kept = |c: CommitmentId| keep.is_empty() || keep.contains(&c);
    let bound = |o: Option<ActorId>| only.is_empty() || o.is_some_and(|o| only.contains(&o));
    a.obligations
        .retain(|o| kept(o.commitment) && bound(Some(o.obligor)));
    a.breached
        .retain(|o| kept(o.commitment) && bound(Some(o.obligor)));
    // A clause-wide answer (no obligor) concerns every obligor, so a filter keeps it.
    a.not_triggered
        .retain(|o| kept(o.commitment) && (o.obligor.is_none() || bound(o.obligor)));
    a.unknown
        .retain(|o| kept(o.commitment) && (o.obligor.is_none() || bound(o.obligor)));

    let answer = |n: &NoObligation| {
        let cm = lib.commitment(n.commitment);
        ClauseAnswer {
            commitment: cm.id.clone(),
            clause: cm.clauses[n.clause].id.clone(),
            article: cm.clauses[n.clause].citation.article.clone(),
            obligor: n.obligor.map(|x| actor_id(lib, x)),
            reason: n.reason,
            explanation: n.explanation.clone(),
        }
    };
    let data = Obligations {
        event: EventView::new(lib, &a.event),
        obligations: a
            .obligations
            .iter()
            .map(|o| {
                let cm = lib.commitment(o.commitment);
                let clause = &cm.clauses[o.clause];
                Owed {
                    commitment: cm.id.clone(),
                    clause: clause.id.clone(),
                    article: clause.citation.article.clone(),
                    obligor: actor_id(lib, o.obligor),
                    beneficiary: actor_id(lib, o.beneficiary),
                    strength: o.strength,
                    decision: clause.decision.clone(),
                    legal_form: cm.legal_form(),
                    binding: cm.binding,
                    citation: clause.citation.clone(),
                    explanation: o.explanation.clone(),
                }
            })
            .collect(),
        not_triggered: a.not_triggered.iter().map(answer).collect(),
        unknown: a.unknown.iter().map(answer).collect(),
        breached: a
            .breached
            .iter()
            .map(|b| {
                let cm = lib.commitment(b.commitment);
                Broken {
                    commitment: cm.id.clone(),
                    clause: cm.clauses[b.clause].id.clone(),
                    article: cm.clauses[b.clause].citation.article.clone(),
                    obligor: actor_id(lib, b.obligor),
                    beneficiary: actor_id(lib, b.beneficiary),
                    explanation: b.explanation.clone(),
                }
            })
            .collect(),
    };
    let report = report(lib, &a, req);
    Ok(Answer::new(data, report))
}

/// The detail of the first node that decided the answer.
fn why(e: &Explanation) -> String {
    e.first_with(e.outcome)
        .map(|n| n.detail.clone())
        .unwrap_or_else(|| e.detail.clone())
}

fn report(lib: &Library, a: &casus_engine::Answers, req: &ObligationsRequest) -> Report {
    // People read obligations grouped by clause; scripts get one record per obligor.
    let mut groups: BTreeMap<(CommitmentId, usize), Vec<ActorId>> = BTreeMap::new();
    for o in &a.obligations {
        groups
            .entry((o.commitment, o.clause))
            .or_default()
            .push(o.obligor);
    }
    let states: std::collections::BTreeSet<ActorId> = a.obligations.iter().map(|o| o.obligor).collect();
    let mut ob = Section::new(
        format!(
            "Obligations: {} states owe under {} clauses ({} state–clause pairs)",
            states.len(),
            groups.len(),
            a.obligations.len()
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
    let listing = |title: String, items: &[NoObligation]| {
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
    let un = listing(
        format!("Unknown (the data cannot say): {}", a.unknown.len()),
        &a.unknown,
    );
    let nt = if req.show_not_triggered {
        listing(
            format!("Not triggered: {}", a.not_triggered.len()),
            &a.not_triggered,
        )
    } else {
        not_triggered_summary(lib, &a.not_triggered)
    };
    let mut sections = vec![ob, br, un, nt];
    if req.explain {
        sections.push(explanations(lib, a, req.show_not_triggered));
    }
    // CSV: one row per obligor–clause pair.
    let mut records = Section::new(
        "obligations",
        &[
            "commitment",
            "clause",
            "article",
            "obligor",
            "beneficiary",
            "strength",
            "decision",
            "legal_form",
        ],
    );
    for o in &a.obligations {
        let cm = lib.commitment(o.commitment);
        let clause = &cm.clauses[o.clause];
        records.row(vec![
            cm.id.clone(),
            clause.id.clone(),
            clause.citation.article.clone(),
            actor_id(lib, o.obligor),
            actor_id(lib, o.beneficiary),
            o.strength.to_string(),
            decision_text(&clause.decision),
            cm.legal_form(),
        ]);
    }
    Report {
        heading: vec![event_heading(lib, &a.event)],
        sections,
        records: Some(records),
    }
}

/// Clauses not triggered, counted by reason (the full list is `show_not_triggered`).
fn not_triggered_summary(lib: &Library, items: &[NoObligation]) -> Section {
    let mut by: BTreeMap<String, (usize, std::collections::BTreeSet<String>)> = BTreeMap::new();
    for n in items {
        let e = by.entry(n.reason.to_string()).or_default();
        e.0 += 1;
        e.1.insert(lib.commitment(n.commitment).id.clone());
    }
    let mut s = Section::new(
        format!(
            "Not triggered: {} answers, by reason (show them all with --show-not-triggered)",
            items.len()
        ),
        &["reason", "answers", "commitments"],
    );
    let mut rows: Vec<_> = by.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    for (reason, (n, cms)) in rows {
        let list: Vec<String> = cms.into_iter().collect();
        s.row(vec![reason, n.to_string(), list.join(", ")]);
    }
    s
}

/// The tree without the nodes about the obligor itself, and those nodes' text: trees that
/// differ only in who is bound are shown once.
fn shared_part(e: &Explanation) -> (Explanation, Vec<String>) {
    let mut own = Vec::new();
    let mut tree = e.clone();
    strip_obligor(&mut tree, &mut own);
    (tree, own)
}

fn strip_obligor(e: &mut Explanation, own: &mut Vec<String>) {
    e.children.retain(|c| {
        let is_obligor = c.check == Check::Obligor;
        if is_obligor {
            own.push(c.text().trim_end().to_string());
        }
        !is_obligor
    });
    for c in &mut e.children {
        strip_obligor(c, own);
    }
}

/// `text` with the obligor's id, as a whole word, replaced by "each obligor".
fn generic(text: &str, id: &str) -> String {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(id) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + id.len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
        out.push_str(&rest[..i]);
        out.push_str(if word(before) || word(after) {
            id
        } else {
            "each obligor"
        });
        rest = &rest[i + id.len()..];
    }
    out.push_str(rest);
    out
}

/// Each distinct explanation tree once, headed by what it answers and the obligors it
/// applies to, each obligor's own check (why it is bound) listed under the shared tree.
/// Trees of clauses not triggered are shown only when those clauses are listed in full.
fn explanations(lib: &Library, a: &casus_engine::Answers, not_triggered: bool) -> Section {
    struct Group {
        heading: String,
        tree: String,
        who: Vec<String>,
        own: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut add = |heading: String, e: &Explanation, who: String| {
        let (tree, own) = shared_part(e);
        let tree = generic(&tree.text(), &who);
        match groups.iter_mut().find(|g| g.heading == heading && g.tree == tree) {
            Some(g) => {
                g.who.push(who);
                g.own.extend(own);
            }
            None => groups.push(Group {
                heading,
                tree,
                who: vec![who],
                own,
            }),
        }
    };
    for o in &a.obligations {
        let (cid, cl) = clause_label(lib, o.commitment, o.clause);
        add(
            format!(
                "owe {} {} under {cid} {cl}",
                actor_id(lib, o.beneficiary),
                o.strength
            ),
            &o.explanation,
            actor_id(lib, o.obligor),
        );
    }
    for b in &a.breached {
        let (cid, cl) = clause_label(lib, b.commitment, b.clause);
        add(
            format!("break {cid} {cl}"),
            &b.explanation,
            actor_id(lib, b.obligor),
        );
    }
    let shown: &[NoObligation] = if not_triggered { &a.not_triggered } else { &[] };
    for n in a.unknown.iter().chain(shown) {
        let (cid, cl) = clause_label(lib, n.commitment, n.clause);
        let who = n
            .obligor
            .map(|x| actor_id(lib, x))
            .unwrap_or_else(|| "the clause as a whole".into());
        add(format!("{} under {cid} {cl}", n.reason), &n.explanation, who);
    }
    let mut ex = Section::new("Explanations", &[]);
    for g in groups {
        let count = if g.who.len() > 1 {
            format!(" ({} states)", g.who.len())
        } else {
            String::new()
        };
        let mut text = format!(
            "{}{count}: {}\n{}",
            g.heading,
            g.who.join(", "),
            g.tree.trim_end()
        );
        for line in &g.own {
            text.push_str(&format!("\n    {}", line.trim_start()));
        }
        text.push('\n');
        ex.notes.push(text);
    }
    ex
}
