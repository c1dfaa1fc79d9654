//! The obligation engine: for one event, every clause of every commitment is either an
//! obligation (for each obligor), not triggered (with the reason), undetermined (the
//! data cannot say), or breached (a promise to refrain that the attacker broke).
//!
//! This file holds the answer's types and [`obligations`], the entry point;
//! `evaluate.rs` turns one clause into answers by combining checks (the clause holds only
//! if every check does, three-valued), and `checks.rs` holds the checks themselves, each
//! an [`Explanation`] node that cites the text it rests on.

use casus_model::*;

use crate::explain::Explanation;

mod checks;
mod evaluate;

pub use checks::in_force;
use evaluate::evaluate_clause;

#[derive(Debug, Clone)]
pub struct Obligation {
    pub commitment: CommitmentId,
    pub clause: usize,
    pub obligor: ActorId,
    pub beneficiary: ActorId,
    pub strength: Strength,
    pub explanation: Explanation,
}

/// A clause that does not oblige (or one obligor that is not bound), with the reason: the
/// answers listed as not triggered, and those the data leaves open (`unknown`).
#[derive(Debug, Clone)]
pub struct NoObligation {
    pub commitment: CommitmentId,
    pub clause: usize,
    pub obligor: Option<ActorId>,
    pub reason: Reason,
    pub explanation: Explanation,
}

#[derive(Debug, Clone)]
pub struct Breach {
    pub commitment: CommitmentId,
    pub clause: usize,
    pub obligor: ActorId,
    pub beneficiary: ActorId,
    pub explanation: Explanation,
}

/// Every clause's answer for one event.
#[derive(Debug, Clone)]
pub struct Answers {
    pub event: Event,
    pub obligations: Vec<Obligation>,
    pub not_triggered: Vec<NoObligation>,
    pub unknown: Vec<NoObligation>,
    pub breached: Vec<Breach>,
}

impl Answers {
    /// Files an answer that obliges nothing: under `not_triggered` when the deciding truth is
    /// "no", under `unknown` when the data leave it open. Its reason is the first deciding
    /// node's, else `fallback`.
    fn no_obligation(
        &mut self,
        t: Truth,
        commitment: CommitmentId,
        clause: usize,
        obligor: Option<ActorId>,
        explanation: Explanation,
        fallback: Reason,
    ) {
        let reason = explanation
            .first_with(t)
            .and_then(|n| n.reason)
            .unwrap_or(fallback);
        let entry = NoObligation {
            commitment,
            clause,
            obligor,
            reason,
            explanation,
        };
        if t == Truth::No {
            self.not_triggered.push(entry);
        } else {
            self.unknown.push(entry);
        }
    }
}

/// Evaluates every clause of the library for the event.
pub fn obligations(lib: &Library, event: &Event) -> Answers {
    let mut out = Answers {
        event: event.clone(),
        obligations: vec![],
        not_triggered: vec![],
        unknown: vec![],
        breached: vec![],
    };
    for cid in lib.commitment_ids() {
        let c = lib.commitment(cid);
        for (ci, clause) in c.clauses.iter().enumerate() {
            evaluate_clause(lib, event, cid, ci, clause, &mut out);
        }
    }
    out
}
