//! Accession: an organisation's `[accession]` rules (steps and conditions, with the cited
//! article), national ratification `[[procedure]]`s, past `[[enlargement]]` rounds and
//! members' `[[stance]]`s towards candidates. Organisations must be resolved first; later
//! rules for the same organisation replace earlier ones with a warning.

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile, Spanned};

use crate::date::Truth;
use crate::library::*;
use crate::words::*;

use super::Resolver;

impl Resolver {
    pub(super) fn accession_rules(&mut self, f: &SourceFile, a: &Spanned<AccessionSrc>) {
        let src = a.get_ref();
        let Some(org) = self.org_ref(f, &src.org) else {
            return;
        };
        let verified = src
            .verified
            .as_ref()
            .and_then(|v| self.word(f, v, "verification", Verification::parse, Verification::WORDS));
        let mut steps = Vec::new();
        for st in &src.step {
            let ss = st.get_ref();
            let (Some(step), Some(rule)) = (
                self.word(
                    f,
                    &ss.id,
                    "accession step",
                    AccessionStep::parse,
                    AccessionStep::WORDS,
                ),
                self.word(f, &ss.rule, "step rule", StepRule::parse, StepRule::WORDS),
            ) else {
                continue;
            };
            steps.push(Step {
                step,
                rule,
                text: ss.text.get_ref().clone(),
                source: ss.source.as_ref().map(|x| x.get_ref().clone()),
            });
        }
        let mut conditions = Vec::new();
        for c in &src.condition {
            let cs = c.get_ref();
            let date = self.opt_date(f, &cs.date);
            let candidate = cs.candidate.as_ref().and_then(|c| self.actor_ref(f, c));
            conditions.push(AccessionCondition {
                text: cs.text.get_ref().clone(),
                candidate,
                date,
                source: cs.source.get_ref().clone(),
            });
        }
        let org_name = self.lib.org(org).name.clone();
        if self.lib.accession_rules.iter().any(|r| r.org == org) {
            self.diags.push(Diagnostic::warning(
                f,
                src.org.span(),
                format!("accession rules for {} replace earlier ones", src.org.get_ref()),
            ));
            self.lib.accession_rules.retain(|r| r.org != org);
        }
        self.lib.accession_rules.push(AccessionRules {
            org,
            citation: Citation {
                document: org_name,
                article: src.article.get_ref().clone(),
                quote: Some(src.quote.get_ref().clone()),
                source: Some(src.source.get_ref().clone()),
                verified,
            },
            steps,
            conditions,
        });
    }

    pub(super) fn procedure(&mut self, f: &SourceFile, p: &Spanned<ProcedureSrc>) {
        let src = p.get_ref();
        let Some(actor) = self.actor_ref(f, &src.actor) else {
            return;
        };
        let Some(kind) = self.word(
            f,
            &src.kind,
            "procedure kind",
            ProcedureKind::parse,
            ProcedureKind::WORDS,
        ) else {
            return;
        };
        let verified = src
            .verified
            .as_ref()
            .and_then(|v| self.word(f, v, "verification", Verification::parse, Verification::WORDS));
        if self.lib.procedures.iter().any(|q| q.actor == actor) {
            self.error(
                f,
                src.actor.span(),
                format!("a procedure for {} is already defined", src.actor.get_ref()),
            );
            return;
        }
        self.lib.procedures.push(Procedure {
            actor,
            kind,
            bodies: src.bodies.get_ref().clone(),
            head_of_state_signs: src.head_of_state_signs,
            referendum: src.referendum,
            source: src.source.as_ref().map(|x| x.get_ref().clone()),
            verified,
            note: src.note.as_ref().map(|x| x.get_ref().clone()),
        });
    }

    pub(super) fn enlargement(&mut self, f: &SourceFile, e: &Spanned<EnlargementSrc>) {
        let src = e.get_ref();
        let Some(org) = self.org_ref(f, &src.org) else {
            return;
        };
        let candidates = self.actor_refs(f, &src.candidates);
        let invited = self.opt_date(f, &src.invited);
        let protocol = self.date(f, &src.protocol_signed);
        let accession = self.date(f, &src.accession);
        self.ordered(
            f,
            &[
                ("invited", invited, &src.invited),
                ("protocol signed", protocol, &Some(src.protocol_signed.clone())),
                ("accession", accession, &Some(src.accession.clone())),
            ],
        );
        let (Some(protocol_signed), Some(accession)) = (protocol, accession) else {
            return;
        };
        let mut ratifications = Vec::new();
        for r in &src.ratification {
            let rs = r.get_ref();
            let (Some(member), Some(date)) = (self.actor_ref(f, &rs.member), self.date(f, &rs.date)) else {
                continue;
            };
            let candidate = rs.candidate.as_ref().and_then(|c| self.actor_ref(f, c));
            if date.latest < protocol_signed.earliest || date.earliest > accession.latest {
                self.error(
                    f,
                    rs.date.span(),
                    format!(
                        "a ratification on {date} falls outside the round ({protocol_signed} to {accession})"
                    ),
                );
            }
            if self.lib.is_member(org, member, protocol_signed.earliest) == Truth::No {
                self.error(
                    f,
                    rs.member.span(),
                    format!(
                        "{} was not a member of {} when the protocol was signed",
                        rs.member.get_ref(),
                        src.org.get_ref()
                    ),
                );
            }
            if ratifications
                .iter()
                .any(|x: &Ratification| x.member == member && x.candidate == candidate)
            {
                self.error(
                    f,
                    rs.member.span(),
                    format!("{} ratifies twice", rs.member.get_ref()),
                );
            }
            ratifications.push(Ratification {
                member,
                date,
                candidate,
                source: rs.source.as_ref().map(|x| x.get_ref().clone()),
            });
        }
        let lc = f.line_col(e.span().start);
        self.lib.enlargements.push(Enlargement {
            org,
            candidates,
            invited,
            protocol_signed,
            accession,
            source: src.source.get_ref().clone(),
            ratifications,
            note: src.note.as_ref().map(|x| x.get_ref().clone()),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        });
    }

    pub(super) fn stance(&mut self, f: &SourceFile, st: &Spanned<StanceSrc>) {
        let src = st.get_ref();
        let (Some(org), Some(member), Some(candidate)) = (
            self.org_ref(f, &src.org),
            self.actor_ref(f, &src.member),
            self.actor_ref(f, &src.candidate),
        ) else {
            return;
        };
        let Some(position) = self.word(f, &src.position, "position", Position::parse, Position::WORDS) else {
            return;
        };
        let Some(date) = self.date(f, &src.date) else {
            return;
        };
        if position == Position::Conditional && src.condition.is_none() {
            self.error(
                f,
                src.position.span(),
                "a conditional stance needs its `condition`, in the member's words where possible",
            );
        }
        let probability = match &src.probability {
            Some(p) if !(0.0..=1.0).contains(p.get_ref()) => {
                self.error(f, p.span(), "a probability is between 0 and 1");
                None
            }
            Some(p) => Some(*p.get_ref()),
            None => None,
        };
        let lc = f.line_col(st.span().start);
        self.lib.stances.push(Stance {
            org,
            member,
            candidate,
            position,
            condition: src.condition.as_ref().map(|x| x.get_ref().clone()),
            date,
            source: src.source.get_ref().clone(),
            probability,
            note: src.note.as_ref().map(|x| x.get_ref().clone()),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        });
    }
}
