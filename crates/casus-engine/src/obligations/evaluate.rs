//! One clause against one event: gathers the checks in order (in force, trigger,
//! beneficiary, place held, scope), combines them three-valued, and files the clause as
//! obligations (one per obligor other than the attacker and the target, each with its
//! own obligor and suspension checks), not triggered, undetermined or, for a promise to
//! refrain, breached. Definitions create nothing; a policy clause is reported but creates
//! no obligation to act.

use casus_model::*;

use crate::explain::{all, Check, Explanation};

use super::checks::{
    beneficiary_check, caveat_and_approval_notes, in_force, obligor_check, place_held_check, scope_check,
    suspension_checks, trigger_checks,
};
use super::{Answers, Breach, NoObligation, Obligation};

pub(super) fn evaluate_clause(
    lib: &Library,
    ev: &Event,
    cid: CommitmentId,
    ci: usize,
    clause: &Clause,
    out: &mut Answers,
) {
    let c = lib.commitment(cid);
    if clause.duty == Duty::Definition {
        return;
    }
    let mut checks = vec![in_force(c, ev.date, ev.assume_proposals)];
    if clause.duty == Duty::Refrain {
        return evaluate_refrain(lib, ev, cid, ci, clause, checks, out);
    }
    if let Some(t) = &clause.trigger {
        checks.extend(trigger_checks(lib, ev, c, clause, t));
    }
    checks.push(beneficiary_check(lib, ev, c, clause));
    if ev.against == Object::Territory {
        checks.push(place_held_check(lib, ev));
    }
    checks.push(scope_check(lib, ev, c, clause));
    if clause.duty == Duty::Policy {
        checks.push(
            Explanation::new(
                Check::Duty,
                Truth::No,
                "the clause states a policy; it creates no obligation to act",
            )
            .cite(&clause.citation)
            .because(Reason::PolicyOnly),
        );
    }
    let clause_truth = all(&checks);
    let root = |outcome: Truth, children: Vec<Explanation>| {
        let mut e = Explanation::new(Check::Clause, outcome, clause_title(c, clause)).cite(&clause.citation);
        e.children = children;
        e
    };
    if clause_truth != Truth::Yes {
        let node = root(clause_truth, checks);
        out.no_obligation(clause_truth, cid, ci, None, node, Reason::TriggerNotMet);
        return;
    }
    // The clause applies; now, who is bound?
    let mut obligors: Vec<(ActorId, Truth)> = Vec::new();
    for &g in &clause.obligors {
        for (a, t) in lib.expand(g, &c.parties, ev.date) {
            if let Some(e) = obligors.iter_mut().find(|(x, _)| *x == a) {
                e.1 = e.1.or(t);
            } else {
                obligors.push((a, t));
            }
        }
    }
    obligors.retain(|(a, _)| *a != ev.target && *a != ev.attacker);
    obligors.sort_by(|a, b| lib.actor(a.0).id.cmp(&lib.actor(b.0).id));
    if obligors.is_empty() {
        let mut checks = checks;
        checks.push(
            Explanation::new(
                Check::Obligor,
                Truth::No,
                format!(
                    "nobody is bound besides the attacker and the target ({})",
                    lib.groups_text(&clause.obligors)
                ),
            )
            .cite(&clause.citation)
            .because(Reason::NoObligor),
        );
        out.not_triggered.push(NoObligation {
            commitment: cid,
            clause: ci,
            obligor: None,
            reason: Reason::NoObligor,
            explanation: root(Truth::No, checks),
        });
        return;
    }
    for (obligor, member) in obligors {
        let mut nodes = checks.clone();
        nodes.push(obligor_check(lib, ev, c, clause, obligor, member));
        nodes.extend(suspension_checks(lib, ev, c, obligor));
        nodes.extend(caveat_and_approval_notes(lib, clause, obligor, ev.date));
        let truth = all(&nodes);
        let node = root(truth, nodes);
        match truth {
            Truth::Yes => out.obligations.push(Obligation {
                commitment: cid,
                clause: ci,
                obligor,
                beneficiary: ev.target,
                strength: clause.strength.unwrap_or(Strength::Consult),
                explanation: node,
            }),
            t => {
                out.no_obligation(t, cid, ci, Some(obligor), node, Reason::NotBound);
            }
        }
    }
}

/// A promise to refrain is broken when a bound party attacks a protected one.
fn evaluate_refrain(
    lib: &Library,
    ev: &Event,
    cid: CommitmentId,
    ci: usize,
    clause: &Clause,
    mut checks: Vec<Explanation>,
    out: &mut Answers,
) {
    let c = lib.commitment(cid);
    let bound = lib.in_any(&clause.obligors, &c.parties, ev.attacker, ev.date);
    let attacker = lib.actor(ev.attacker);
    checks.push(
        Explanation::new(
            Check::Obligor,
            bound,
            format!(
                "{} {} bound to refrain ({})",
                attacker.id,
                if bound == Truth::No { "is not" } else { "is" },
                lib.groups_text(&clause.obligors)
            ),
        )
        .cite(&clause.citation)
        .because(Reason::NotBound),
    );
    if let Some(t) = &clause.trigger {
        let ok = Truth::from_bool(ev.kind.satisfies(t.event));
        checks.push(
            Explanation::new(
                Check::Trigger,
                ok,
                format!("the promise covers {}; the event is {}", t.event, ev.kind),
            )
            .cite(&clause.citation)
            .because(Reason::TriggerNotMet),
        );
    }
    checks.push(beneficiary_check(lib, ev, c, clause));
    let truth = all(&checks);
    let mut node = Explanation::new(Check::Clause, truth, clause_title(c, clause)).cite(&clause.citation);
    node.children = checks;
    match truth {
        Truth::Yes => out.breached.push(Breach {
            commitment: cid,
            clause: ci,
            obligor: ev.attacker,
            beneficiary: ev.target,
            explanation: node,
        }),
        t => {
            out.no_obligation(t, cid, ci, None, node, Reason::NotBound);
        }
    }
}

/// "Budapest Memorandum — paragraph 4 (note: …)": the clause's note travels with every answer.
fn clause_title(c: &Commitment, clause: &Clause) -> String {
    match &clause.note {
        Some(n) => format!("{} — {} (note: {n})", c.title, clause.citation.article),
        None => format!("{} — {}", c.title, clause.citation.article),
    }
}
