//! `[assessment]` and its `[[option]]`s: a design question over one event, each option
//! naming the commitments in force, the proposals it adopts (only proposals can be),
//! added memberships and stationed forces. Parameters in an assessment's file belong to
//! that assessment, not to the library's global parameters.

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile, Spanned};

use crate::library::*;
use crate::words::*;

use super::Resolver;

impl Resolver {
    pub(super) fn assessment(
        &mut self,
        f: &SourceFile,
        a: &Spanned<AssessmentSrc>,
        options: &[Spanned<OptionSrc>],
        attacks: &[Spanned<AttackSrc>],
        parameters: Vec<Parameter>,
    ) {
        let src = a.get_ref();
        let ev = src.event.get_ref();
        let attacker = self.actor_ref(f, &ev.attacker);
        let target = self.actor_ref(f, &ev.target);
        let date = ev.date.as_ref().and_then(|d| self.date(f, d)).map(|d| d.earliest);
        let place = match (&ev.place, target) {
            (Some(p), _) => self.place_ref(f, p),
            (None, Some(t)) => self.lib.actor(t).home,
            _ => None,
        };
        let kind = ev.kind.as_ref().map_or(Some(EventKind::ArmedAttack), |k| {
            self.word(f, k, "event kind", EventKind::parse, EventKind::WORDS)
        });
        let against = ev.against.as_ref().map_or(Some(Object::Territory), |k| {
            self.word(f, k, "object of attack", Object::parse, Object::WORDS)
        });
        let severity = ev.severity.as_ref().map_or(Some(Severity::Unspecified), |k| {
            self.word(f, k, "severity", Severity::parse, Severity::WORDS)
        });
        let mut resolved = Vec::new();
        for o in options {
            let os = o.get_ref();
            if resolved.iter().any(|x: &DesignOption| &x.id == os.id.get_ref()) {
                self.error(
                    f,
                    os.id.span(),
                    format!("option `{}` is defined twice", os.id.get_ref()),
                );
                continue;
            }
            let commitments = self.commitment_refs(f, &os.commitments);
            let adopt = self.commitment_refs(f, &os.adopt);
            for (c, t) in adopt.iter().zip(&os.adopt) {
                if !commitments.contains(c) {
                    self.error(
                        f,
                        t.span(),
                        format!(
                            "`{}` is adopted but not among the option's commitments",
                            t.get_ref()
                        ),
                    );
                }
                if self.lib.commitment(*c).kind != DocKind::Proposal {
                    self.error(
                        f,
                        t.span(),
                        format!("`{}` is not a proposal; only proposals are adopted", t.get_ref()),
                    );
                }
            }
            let binding_as = os
                .binding_as
                .as_ref()
                .and_then(|b| self.word(f, b, "bindingness", Binding::parse, Binding::WORDS));
            let mut members = Vec::new();
            for m in &os.members {
                let ms = m.get_ref();
                let org = self.org_ref(f, &ms.org);
                if let (Some(org), Some(actor)) = (org, self.actor_ref(f, &ms.actor)) {
                    members.push((org, actor));
                }
            }
            let forces = self.forces(f, &os.forces);
            resolved.push(DesignOption {
                id: os.id.get_ref().clone(),
                label: os.label.get_ref().clone(),
                commitments,
                adopt,
                binding_as,
                members,
                forces,
                note: os.note.as_ref().map(|n| n.get_ref().clone()),
            });
        }
        if options.is_empty() {
            self.error(f, a.span(), "an assessment needs at least one [[option]]");
        }
        let (Some(attacker), Some(target), Some(place), Some(kind), Some(against), Some(severity)) =
            (attacker, target, place, kind, against, severity)
        else {
            return;
        };
        let event = AssessEvent {
            attacker,
            target,
            place,
            date,
            kind,
            against,
            severity,
        };
        let attacks = self.attacks(f, attacks, &event);
        let id = src.id.get_ref().clone();
        if self.lib.assessments.iter().any(|x| x.id == id) {
            self.diags.push(Diagnostic::warning(
                f,
                src.id.span(),
                format!("assessment `{id}` replaces an earlier one"),
            ));
            self.lib.assessments.retain(|x| x.id != id);
        }
        self.lib.assessments.push(Assessment {
            id,
            title: src.title.get_ref().clone(),
            question: src.question.as_ref().map(|q| q.get_ref().clone()),
            event,
            options: resolved,
            attacks,
            parameters,
            source: src.source.as_ref().map(|s| s.get_ref().clone()),
            path: f.path.clone(),
        });
    }

    /// An assessment's attacks: each its event with the place, kind, object or severity it
    /// gives; ids unique.
    fn attacks(&mut self, f: &SourceFile, attacks: &[Spanned<AttackSrc>], base: &AssessEvent) -> Vec<Attack> {
        let mut out: Vec<Attack> = Vec::new();
        for a in attacks {
            let src = a.get_ref();
            if out.iter().any(|x| &x.id == src.id.get_ref()) {
                self.error(
                    f,
                    src.id.span(),
                    format!("attack `{}` is defined twice", src.id.get_ref()),
                );
                continue;
            }
            let place = match &src.place {
                Some(p) => self.place_ref(f, p),
                None => Some(base.place),
            };
            let kind = src.kind.as_ref().map_or(Some(base.kind), |k| {
                self.word(f, k, "event kind", EventKind::parse, EventKind::WORDS)
            });
            let against = src.against.as_ref().map_or(Some(base.against), |k| {
                self.word(f, k, "object of attack", Object::parse, Object::WORDS)
            });
            let severity = src.severity.as_ref().map_or(Some(base.severity), |k| {
                self.word(f, k, "severity", Severity::parse, Severity::WORDS)
            });
            if let (Some(place), Some(kind), Some(against), Some(severity)) = (place, kind, against, severity)
            {
                out.push(Attack {
                    id: src.id.get_ref().clone(),
                    description: src.description.get_ref().clone(),
                    event: AssessEvent {
                        place,
                        kind,
                        against,
                        severity,
                        ..base.clone()
                    },
                    note: src.note.as_ref().map(|n| n.get_ref().clone()),
                });
            }
        }
        out
    }
}
