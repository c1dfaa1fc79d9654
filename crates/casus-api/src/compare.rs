//! `compare`: the design dimensions of commitments side by side, computed from their clauses.

use casus_engine::compare::{profile, Automaticity, Profile};
use casus_model::*;
use casus_render::{Report, Section};
use casus_syntax::SourceFile;
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::capabilities::{parse_nmc, Capabilities};
use crate::event::date_or_today;
use crate::names::{actor_ids, decision_text};
use crate::{Answer, Diagnostic, Result};

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct CompareRequest {
    /// Commitment ids.
    pub ids: Vec<String>,
    /// The date to compare on (rosters, nuclear status). Default: today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommitmentProfile {
    pub id: String,
    pub kind: DocKind,
    pub binding: Binding,
    pub legal_form: String,
    pub in_force: Truth,
    pub strongest_clause: Option<String>,
    pub strength: Option<Strength>,
    pub force_contemplated: bool,
    pub automaticity: Automaticity,
    pub decision: Option<DecisionRule>,
    pub must_agree: Option<usize>,
    pub domestic_approval: Vec<Requirement>,
    pub guarantors: Vec<String>,
    pub nuclear_guarantors: Vec<String>,
    pub combined_capability: Option<f64>,
    pub forces_stationed: Vec<String>,
    pub scope: String,
    pub duration: String,
}

/// What `casus compare --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Comparison {
    pub date: String,
    pub capabilities_year: Option<i32>,
    pub commitments: Vec<CommitmentProfile>,
}

/// `capabilities`: a COW NMC file (see [`crate::capabilities`]) to sum the guarantors' CINC.
pub fn compare(
    lib: &Library,
    today: NaiveDate,
    req: &CompareRequest,
    capabilities: Option<&SourceFile>,
) -> Result<Answer<Comparison>> {
    if req.ids.is_empty() {
        return Err(Diagnostic::input("ids", "name at least one commitment"));
    }
    let date = date_or_today("date", req.date.as_deref(), today)?;
    let mut cids = Vec::new();
    for id in &req.ids {
        cids.push(lookup::commitment(lib, id).map_err(|e| Diagnostic::input("ids", e.to_string()))?);
    }
    let capabilities = match capabilities {
        Some(f) => Some(parse_nmc(f, date.year())?),
        None => None,
    };
    let capabilities = capabilities.as_ref();
    let score = |a: ActorId| -> Option<f64> { capabilities?.cinc.get(&lib.cow_code(a, date)?).copied() };
    let profiles: Vec<Profile> = cids.iter().map(|c| profile(lib, *c, date, &score)).collect();
    let data = Comparison {
        date: date.to_string(),
        capabilities_year: capabilities.map(|c| c.year),
        commitments: profiles
            .iter()
            .map(|p| {
                let cm = lib.commitment(p.commitment);
                CommitmentProfile {
                    id: cm.id.clone(),
                    kind: cm.kind,
                    binding: cm.binding,
                    legal_form: cm.legal_form(),
                    in_force: p.in_force,
                    strongest_clause: p.strongest_clause.map(|i| cm.clauses[i].id.clone()),
                    strength: p.strength,
                    force_contemplated: p.force_contemplated,
                    automaticity: p.automaticity,
                    decision: p.decision.clone(),
                    must_agree: p.must_agree,
                    domestic_approval: p.domestic_approval.clone(),
                    guarantors: actor_ids(lib, &p.guarantors),
                    nuclear_guarantors: actor_ids(lib, &p.nuclear_guarantors),
                    combined_capability: p.combined_capability,
                    forces_stationed: p.forces.clone(),
                    scope: p.scope.clone(),
                    duration: p.duration.clone(),
                }
            })
            .collect(),
    };
    let report = report(lib, &req.ids, date, &profiles, capabilities);
    Ok(Answer::new(data, report))
}

fn report(
    lib: &Library,
    ids: &[String],
    date: NaiveDate,
    profiles: &[Profile],
    caps: Option<&Capabilities>,
) -> Report {
    let names = |v: &[ActorId]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            actor_ids(lib, v).join(", ")
        }
    };
    let mut headers = vec!["dimension".to_string()];
    headers.extend(profiles.iter().map(|p| lib.commitment(p.commitment).id.clone()));
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
        &|p| match (p.combined_capability, caps) {
            (Some(v), Some(c)) => format!("{v:.4} ({})", c.year),
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
    Report {
        heading: vec![format!("Comparing {}", ids.join(", "))],
        sections: vec![t],
        records: None,
    }
}
