//! `cascade`: who is drawn in on each side through chains of commitments.

use casus_engine::{Link, Side};
use casus_model::*;
use casus_render::{Report, Section};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::event::{word, EventRequest};
use crate::names::{actor_id, event_heading};
use crate::obligations::EventView;
use crate::{Answer, Diagnostic, Result};

/// Chains longer than this add nothing on any library: the world has fewer states.
pub const MAX_DEPTH: usize = 300;

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct CascadeRequest {
    #[serde(flatten)]
    pub event: EventRequest,
    /// How many links a chain may have (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<usize>,
    /// The weakest obligation that draws a state in (default assist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_strength: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LinkView {
    pub commitment: String,
    pub clause: String,
    pub obligor: String,
    pub beneficiary: String,
    pub strength: Strength,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SideMember {
    pub actor: String,
    pub side: Side,
    pub depth: usize,
    pub nuclear_armed: Truth,
    pub chain: Vec<LinkView>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActorLink {
    pub actor: String,
    pub link: LinkView,
}

/// What `casus cascade --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Cascade {
    pub event: EventView,
    pub depth: usize,
    pub min_strength: Strength,
    pub sides: Vec<SideMember>,
    pub cross_pressured: Vec<ActorLink>,
    pub undetermined: Vec<ActorLink>,
}

pub fn cascade(lib: &Library, today: NaiveDate, req: &CascadeRequest) -> Result<Answer<Cascade>> {
    let event = req.event.resolve(lib, today)?;
    let depth = req.depth.unwrap_or(3);
    if depth > MAX_DEPTH {
        return Err(Diagnostic::input(
            "depth",
            format!("at most {MAX_DEPTH} links (a chain cannot be longer than the list of states)"),
        ));
    }
    let min = word(
        "min_strength",
        req.min_strength.as_deref().unwrap_or("assist"),
        Strength::parse,
        Strength::WORDS,
    )?;
    let c = casus_engine::cascade(lib, &event, depth, min);
    let link = |l: &Link| {
        let cm = lib.commitment(l.commitment);
        LinkView {
            commitment: cm.id.clone(),
            clause: cm.clauses[l.clause].id.clone(),
            obligor: actor_id(lib, l.obligor),
            beneficiary: actor_id(lib, l.beneficiary),
            strength: l.strength,
        }
    };
    let data = Cascade {
        event: EventView::new(lib, &event),
        depth,
        min_strength: min,
        sides: c
            .joiners
            .iter()
            .map(|j| SideMember {
                actor: actor_id(lib, j.actor),
                side: j.side,
                depth: j.depth,
                nuclear_armed: j.nuclear,
                chain: j.chain.iter().map(link).collect(),
            })
            .collect(),
        cross_pressured: c
            .cross_pressured
            .iter()
            .map(|(a, l)| ActorLink {
                actor: actor_id(lib, *a),
                link: link(l),
            })
            .collect(),
        undetermined: c
            .undetermined
            .iter()
            .map(|(a, l)| ActorLink {
                actor: actor_id(lib, *a),
                link: link(l),
            })
            .collect(),
    };
    Ok(Answer::new(data, report(lib, &c, depth, min)))
}

fn report(lib: &Library, c: &casus_engine::Cascade, depth: usize, min: Strength) -> Report {
    let chain_text = |chain: &[Link]| {
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
    let mut heading = vec![event_heading(lib, &c.event)];
    for side in [Side::Defender, Side::Attacker] {
        let members: Vec<_> = c.joiners.iter().filter(|j| j.side == side).collect();
        let nuclear: Vec<String> = members
            .iter()
            .filter(|j| j.nuclear == Truth::Yes)
            .map(|j| actor_id(lib, j.actor))
            .collect();
        heading.push(format!(
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
    Report {
        heading,
        sections: vec![t, cross, open],
        records: None,
    }
}
