//! `[[scenario]]`: the tests that live beside the rules. An event (attacker, target, whole
//! date, place defaulting to the target's home) and the expectations about named
//! commitments' clauses. A scenario in a commitment file may name its own commitment's
//! clauses without the commitment id.

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile, Spanned};

use crate::library::*;
use crate::lookup::{self};
use crate::words::*;

use super::Resolver;

impl Resolver {
    pub(super) fn scenario(&mut self, f: &SourceFile, s: &Spanned<ScenarioSrc>, own: Option<CommitmentId>) {
        let src = s.get_ref();
        let ev = src.event.get_ref();
        let attacker = self.actor_ref(f, &ev.attacker);
        let target = self.actor_ref(f, &ev.target);
        let date = self.date(f, &ev.date);
        if attacker.is_some() && attacker == target {
            self.error(
                f,
                ev.target.span(),
                "the attacker and the target are the same actor",
            );
        }
        if let Some(d) = &date {
            if !d.is_exact() {
                self.error(
                    f,
                    ev.date.span(),
                    "an event's date must be a whole date (YYYY-MM-DD)",
                );
            }
        }
        let place = match (&ev.place, target) {
            (Some(p), _) => self.place_ref(f, p),
            (None, Some(t)) => {
                let home = self.lib.actor(t).home;
                if home.is_none() {
                    self.error(
                        f,
                        src.event.span(),
                        format!(
                            "{} has no home territory in the gazetteer; give `place`",
                            self.lib.actor(t).id
                        ),
                    );
                }
                home
            }
            (None, None) => None,
        };
        let kind = match &ev.kind {
            Some(k) => self.word(f, k, "event kind", EventKind::parse, EventKind::WORDS),
            None => Some(EventKind::ArmedAttack),
        };
        let against = match &ev.against {
            Some(k) => self.word(f, k, "object of attack", Object::parse, Object::WORDS),
            None => Some(Object::Territory),
        };
        let severity = match &ev.severity {
            Some(k) => self.word(f, k, "severity", Severity::parse, Severity::WORDS),
            None => Some(Severity::Unspecified),
        };
        let mut expectations = Vec::new();
        for e in &src.expect {
            if let Some(x) = self.expectation(f, e, own) {
                expectations.push(x);
            }
        }
        let (
            Some(attacker),
            Some(target),
            Some(place),
            Some(date),
            Some(kind),
            Some(against),
            Some(severity),
        ) = (attacker, target, place, date, kind, against, severity)
        else {
            return;
        };
        let lc = f.line_col(s.span().start);
        self.lib.scenarios.push(ScenarioTest {
            name: src.name.get_ref().clone(),
            event: Event {
                attacker,
                target,
                place,
                against,
                kind,
                severity,
                date: date.earliest,
                provoked: ev.provoked.unwrap_or(false),
                assume_proposals: ev.assume_proposals.unwrap_or(false),
            },
            expectations,
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
            note: src.note.as_ref().map(|n| n.get_ref().clone()),
        });
    }

    fn expectation(
        &mut self,
        f: &SourceFile,
        e: &Spanned<ExpectSrc>,
        own: Option<CommitmentId>,
    ) -> Option<Expectation> {
        let src = e.get_ref();
        let reference = src.clause.get_ref();
        let (cid, clause_id) = match reference.split_once('/') {
            Some((doc, clause)) => match lookup::commitment(&self.lib, doc) {
                Ok(c) => (c, clause),
                Err(err) => {
                    self.lookup_error(f, src.clause.span(), err);
                    return None;
                }
            },
            None => match own {
                Some(c) => (c, reference.as_str()),
                None => {
                    self.error(
                        f,
                        src.clause.span(),
                        "outside a commitment's file, name clauses as `commitment-id/clause-id`",
                    );
                    return None;
                }
            },
        };
        let commitment = self.lib.commitment(cid);
        let Some((index, _)) = commitment.clause(clause_id) else {
            let ids: Vec<String> = commitment.clauses.iter().map(|c| c.id.clone()).collect();
            let sugg = casus_syntax::did_you_mean(clause_id, ids.iter().map(String::as_str));
            let d = Diagnostic::error(
                f,
                src.clause.span(),
                format!("`{}` has no clause `{clause_id}`", commitment.id),
            );
            let d = if sugg.is_empty() {
                d
            } else {
                d.with_hint(format!("did you mean {}?", sugg.join(", ")))
            };
            self.diags.push(d);
            return None;
        };
        let status = self.word(
            f,
            &src.status,
            "expected status",
            ExpectStatus::parse,
            ExpectStatus::WORDS,
        )?;
        let obligors = self.group_refs(f, &src.obligors);
        let strength = src
            .strength
            .as_ref()
            .and_then(|s| self.word(f, s, "strength", Strength::parse, Strength::WORDS));
        let reason = src
            .reason
            .as_ref()
            .and_then(|r| self.word(f, r, "reason", Reason::parse, Reason::WORDS))
            .map(|r| r.as_str().to_string());
        let lc = f.line_col(e.span().start);
        Some(Expectation {
            commitment: cid,
            clause: index,
            status,
            obligors,
            exactly: src.exactly,
            strength,
            reason,
            explanation_contains: src
                .explanation_contains
                .iter()
                .map(|t| t.get_ref().clone())
                .collect(),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        })
    }
}
