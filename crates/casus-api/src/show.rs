//! `show`: a commitment's quoted text beside its encoding, with citations and uncertain facts.

use casus_model::*;
use casus_render::{Report, Section};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::names::{actor_id, actor_ids, decision_text, qualifications};
use crate::{Answer, Diagnostic, Result};

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ShowRequest {
    /// A commitment id (or its title).
    pub id: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UncertainFact {
    pub fact: String,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TriggerView {
    pub event: TriggerKind,
    pub by: Vec<String>,
    pub against: Vec<Object>,
    pub severity: Option<Severity>,
    pub threshold: Option<String>,
    pub provocation_excluded: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScopeView {
    /// The article that defines the scope.
    pub from: String,
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CaveatView {
    pub text: String,
    pub applies_to: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ApprovalView {
    pub requirement: Requirement,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClauseView {
    pub id: String,
    pub citation: Citation,
    pub duty: Duty,
    pub obligors: Vec<String>,
    pub beneficiaries: Vec<String>,
    pub strength: Option<Strength>,
    pub decision: Decision,
    pub trigger: Option<TriggerView>,
    pub scope: Option<ScopeView>,
    pub caveats: Vec<CaveatView>,
    pub domestic_approval: Vec<ApprovalView>,
    pub note: Option<String>,
}

/// What `casus show --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommitmentView {
    pub id: String,
    pub title: String,
    pub kind: DocKind,
    pub binding: Binding,
    pub status: Option<String>,
    pub signed: Option<FuzzyDate>,
    pub in_force: Option<FuzzyDate>,
    pub terminated: Option<FuzzyDate>,
    pub parties: Vec<String>,
    pub source: String,
    pub file: String,
    pub uncertain: Vec<UncertainFact>,
    pub clauses: Vec<ClauseView>,
}

pub fn show(lib: &Library, req: &ShowRequest) -> Result<Answer<CommitmentView>> {
    let cid = lookup::commitment(lib, &req.id).map_err(|e| Diagnostic::input("id", e.to_string()))?;
    let c = lib.commitment(cid);
    let groups = |gs: &[Group]| gs.iter().map(|g| lib.group_name(*g)).collect::<Vec<_>>();
    let data = CommitmentView {
        id: c.id.clone(),
        title: c.title.clone(),
        kind: c.kind,
        binding: c.binding,
        status: c.status.clone(),
        signed: c.signed,
        in_force: c.in_force,
        terminated: c.terminated,
        parties: groups(&c.parties),
        source: c.source.clone(),
        file: c.path.clone(),
        uncertain: c
            .uncertain
            .iter()
            .map(|u| UncertainFact {
                fact: u.fact.clone(),
                source: u.source.clone(),
            })
            .collect(),
        clauses: c
            .clauses
            .iter()
            .map(|cl| ClauseView {
                id: cl.id.clone(),
                citation: cl.citation.clone(),
                duty: cl.duty,
                obligors: groups(&cl.obligors),
                beneficiaries: groups(&cl.beneficiaries),
                strength: cl.strength,
                decision: cl.decision.clone(),
                trigger: cl.trigger.as_ref().map(|t| TriggerView {
                    event: t.event,
                    by: groups(&t.by),
                    against: t.against.clone(),
                    severity: t.severity,
                    threshold: t.threshold.clone(),
                    provocation_excluded: t.provocation_excluded,
                }),
                scope: cl.scope.as_ref().map(|s| ScopeView {
                    from: s.citation.article.clone(),
                    regions: s.regions.iter().map(|r| r.label.clone()).collect(),
                }),
                caveats: cl
                    .caveats
                    .iter()
                    .map(|c| CaveatView {
                        text: c.text.clone(),
                        applies_to: actor_ids(lib, &c.applies_to),
                    })
                    .collect(),
                domestic_approval: cl
                    .domestic
                    .iter()
                    .map(|d| ApprovalView {
                        requirement: d.requirement,
                        text: d.text.clone(),
                    })
                    .collect(),
                note: cl.note.clone(),
            })
            .collect(),
    };
    Ok(Answer::new(data, report(lib, c)))
}

fn report(lib: &Library, c: &Commitment) -> Report {
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
        format!("parties: {}", lib.groups_text(&c.parties)),
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
            enc.push(format!("bound: {}", lib.groups_text(&cl.obligors)));
            enc.push(format!("protected: {}", lib.groups_text(&cl.beneficiaries)));
        }
        if let Some(t) = &cl.trigger {
            let mut s = format!(
                "trigger: {} against {}",
                t.event,
                t.against.iter().map(|o| o.as_str()).collect::<Vec<_>>().join("/")
            );
            if !t.by.is_empty() {
                s.push_str(&format!(" by {}", lib.groups_text(&t.by)));
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
    Report {
        heading,
        sections,
        records: None,
    }
}
