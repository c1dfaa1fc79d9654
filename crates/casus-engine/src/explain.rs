//! Explanations are a typed tree, not strings: each node is one condition the engine
//! checked, its outcome, and the citation it rests on. Tables, JSON and Markdown are
//! renderings of the same tree.

use casus_model::{Citation, Reason, Truth};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Clause,
    InForce,
    Duty,
    Trigger,
    Attacker,
    Severity,
    Provocation,
    Beneficiary,
    PlaceHeld,
    Scope,
    Region,
    Obligor,
    Suspension,
    Caveat,
    DomesticApproval,
    Status,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Explanation {
    pub check: Check,
    pub outcome: Truth,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Explanation>,
    /// What a "no" or "unknown" here means, for the summary lists.
    #[serde(skip)]
    pub reason: Option<Reason>,
}

impl Explanation {
    pub fn new(check: Check, outcome: Truth, detail: impl Into<String>) -> Self {
        Self {
            check,
            outcome,
            detail: detail.into(),
            citation: None,
            children: Vec::new(),
            reason: None,
        }
    }

    pub fn cite(mut self, c: &Citation) -> Self {
        self.citation = Some(c.clone());
        self
    }

    pub fn because(mut self, r: Reason) -> Self {
        self.reason = Some(r);
        self
    }

    pub fn child(mut self, c: Explanation) -> Self {
        self.children.push(c);
        self
    }

    /// The node that decided an outcome `t`: depth first, through nodes whose outcome is
    /// `t` only (a failing branch under a passing node decided nothing), the first that
    /// says why.
    pub fn first_with(&self, t: Truth) -> Option<&Explanation> {
        if self.outcome != t {
            return None;
        }
        if self.reason.is_some() {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.first_with(t))
    }

    /// All the words of the tree, for searching (scenario tests) and plain rendering.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write_text(0, None, &mut out);
        out
    }

    /// One line per node; a citation is printed where it differs from the parent's.
    fn write_text(&self, depth: usize, parent: Option<&Citation>, out: &mut String) {
        let mark = match self.outcome {
            Truth::Yes => "yes",
            Truth::No => "no",
            Truth::Unknown => "unknown",
        };
        out.push_str(&"  ".repeat(depth));
        out.push_str(&format!("[{mark}] {}", self.detail));
        if let Some(c) = self.citation.as_ref().filter(|c| Some(*c) != parent) {
            out.push_str(&format!(" ({})", c.short()));
        }
        out.push('\n');
        for c in &self.children {
            c.write_text(depth + 1, self.citation.as_ref().or(parent), out);
        }
    }
}

/// Combines the outcomes of sibling conditions that must all hold.
pub fn all(nodes: &[Explanation]) -> Truth {
    nodes.iter().fold(Truth::Yes, |acc, n| acc.and(n.outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deciding_node_ignores_failed_branches_of_a_passing_check() {
        let scope = Explanation::new(Check::Scope, Truth::Yes, "inside")
            .because(Reason::OutsideScope)
            .child(Explanation::new(Check::Region, Truth::No, "forces only").because(Reason::OutsideScope))
            .child(Explanation::new(Check::Region, Truth::Yes, "territory"));
        let suspended =
            Explanation::new(Check::Suspension, Truth::No, "suspended").because(Reason::Suspended);
        let root = Explanation::new(Check::Clause, Truth::No, "clause")
            .child(scope)
            .child(suspended);
        assert_eq!(
            root.first_with(Truth::No).map(|n| n.reason),
            Some(Some(Reason::Suspended))
        );
    }
}
