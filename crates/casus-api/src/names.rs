//! How results name things: actor ids, clause labels, decision rules and qualifications in
//! words. Shared by the obligation questions (obligations, cascade, compare, show).

use casus_model::*;

pub fn actor_id(lib: &Library, a: ActorId) -> String {
    lib.actor(a).id.clone()
}

pub fn actor_ids(lib: &Library, actors: &[ActorId]) -> Vec<String> {
    actors.iter().map(|a| actor_id(lib, *a)).collect()
}

/// (commitment id, "clause (article)").
pub fn clause_label(lib: &Library, c: CommitmentId, clause: usize) -> (String, String) {
    let cm = lib.commitment(c);
    (
        cm.id.clone(),
        format!(
            "{} ({})",
            cm.clauses[clause].id, cm.clauses[clause].citation.article
        ),
    )
}

pub fn decision_text(d: &Decision) -> String {
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

/// Domestic approval and caveats of a clause, in one line.
pub fn qualifications(lib: &Library, clause: &Clause) -> String {
    let mut parts = Vec::new();
    for d in &clause.domestic {
        let who = if d.applies_to.is_empty() {
            String::new()
        } else {
            format!(" ({})", actor_ids(lib, &d.applies_to).join(", "))
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
            actor_ids(lib, &c.applies_to).join(", ")
        };
        let text: String = c.text.chars().take(70).collect();
        parts.push(format!(
            "caveat ({who}): {text}{}",
            if c.text.chars().count() > 70 { "…" } else { "" }
        ));
    }
    parts.join("; ")
}

/// The event in one line, for headings.
pub fn event_heading(lib: &Library, e: &Event) -> String {
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
