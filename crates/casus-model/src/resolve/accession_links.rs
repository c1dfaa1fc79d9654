//! Accession inputs beyond members' own stances: `[[bloc]]`s (a leader whose change of
//! position moves its followers) and `[[gate]]`s (a condition a step waits for, with the
//! probability that it holds by each date). Each carries a source or a labelled assumption.

use casus_syntax::surface::*;
use casus_syntax::{SourceFile, Spanned};

use crate::library::*;
use crate::words::*;

use super::Resolver;

impl Resolver {
    fn provenance(
        &mut self,
        f: &SourceFile,
        id: &Text,
        what: &str,
        source: &Option<Text>,
        assumption: &Option<Text>,
    ) -> Option<Provenance> {
        match (source, assumption) {
            (Some(s), None) => Some(Provenance::Source(s.get_ref().clone())),
            (None, Some(a)) => Some(Provenance::Assumption(a.get_ref().clone())),
            _ => {
                self.error(
                    f,
                    id.span(),
                    format!(
                        "{what} `{}` needs exactly one of `source` (a citation) or `assumption` (why)",
                        id.get_ref()
                    ),
                );
                None
            }
        }
    }

    fn probability(&mut self, f: &SourceFile, p: &Spanned<f64>) -> Option<f64> {
        let v = *p.get_ref();
        if (0.0..=1.0).contains(&v) {
            Some(v)
        } else {
            self.error(f, p.span(), "a probability is between 0 and 1");
            None
        }
    }

    pub(super) fn bloc(&mut self, f: &SourceFile, b: &Spanned<BlocSrc>) {
        let src = b.get_ref();
        let org = self.org_ref(f, &src.org);
        let leader = self.actor_ref(f, &src.leader);
        let followers = self.actor_refs(f, &src.followers);
        let candidate = src.candidate.as_ref().and_then(|c| self.actor_ref(f, c));
        let date = self.date(f, &src.date);
        let follow = self.probability(f, &src.follow);
        let provenance = self.provenance(f, &src.id, "bloc", &src.source, &src.assumption);
        if let Some(l) = leader {
            if followers.contains(&l) {
                self.error(
                    f,
                    src.leader.span(),
                    "the leader is also listed among its followers",
                );
            }
        }
        if self.lib.blocs.iter().any(|x| &x.id == src.id.get_ref()) {
            self.error(
                f,
                src.id.span(),
                format!("bloc `{}` is already defined", src.id.get_ref()),
            );
            return;
        }
        let (Some(org), Some(leader), Some(date), Some(follow), Some(provenance)) =
            (org, leader, date, follow, provenance)
        else {
            return;
        };
        if followers.len() != src.followers.len() {
            return;
        }
        let lc = f.line_col(b.span().start);
        self.lib.blocs.push(Bloc {
            id: src.id.get_ref().clone(),
            org,
            leader,
            followers,
            follow,
            candidate,
            date,
            provenance,
            note: src.note.as_ref().map(|n| n.get_ref().clone()),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        });
    }

    pub(super) fn gate(&mut self, f: &SourceFile, g: &Spanned<GateSrc>) {
        let src = g.get_ref();
        let org = self.org_ref(f, &src.org);
        let candidate = self.actor_ref(f, &src.candidate);
        let step = self.word(
            f,
            &src.step,
            "accession step",
            AccessionStep::parse,
            AccessionStep::WORDS,
        );
        let member = src.member.as_ref().and_then(|m| self.actor_ref(f, m));
        match (step, &src.member) {
            (Some(AccessionStep::Invitation), None)
            | (Some(AccessionStep::Ratification), Some(_))
            | (None, _) => {}
            (Some(AccessionStep::Ratification), None) => self.error(
                f,
                src.step.span(),
                "a ratification gate names the `member` whose ratification waits",
            ),
            (Some(AccessionStep::Invitation), Some(m)) => self.error(
                f,
                m.span(),
                "an invitation gate holds for every member: no `member`",
            ),
            (Some(_), _) => self.error(
                f,
                src.step.span(),
                "a gate holds back the invitation, or one member's ratification",
            ),
        }
        let date = self.date(f, &src.date);
        let provenance = self.provenance(f, &src.id, "gate", &src.source, &src.assumption);
        let mut p_by: Vec<(chrono::NaiveDate, f64)> = Vec::new();
        let mut ok = true;
        for pt in &src.p_by {
            let ps = pt.get_ref();
            let (Some(d), Some(p)) = (self.date(f, &ps.date), self.probability(f, &ps.p)) else {
                ok = false;
                continue;
            };
            if let Some(&(pd, pp)) = p_by.last() {
                if d.latest <= pd || p < pp {
                    self.error(
                        f,
                        pt.span(),
                        "`p_by` points go forward in time with a probability that never falls",
                    );
                    ok = false;
                }
            }
            if date.is_some_and(|s| d.latest <= s.latest) {
                self.error(
                    f,
                    ps.date.span(),
                    "a `p_by` date comes after the date the gate was stated",
                );
                ok = false;
            }
            p_by.push((d.latest, p));
        }
        if p_by.is_empty() {
            self.error(f, src.id.span(), "a gate needs at least one `p_by` point");
            ok = false;
        }
        if self.lib.gates.iter().any(|x| &x.id == src.id.get_ref()) {
            self.error(
                f,
                src.id.span(),
                format!("gate `{}` is already defined", src.id.get_ref()),
            );
            return;
        }
        let ok = ok && (src.member.is_none() || member.is_some());
        let (Some(org), Some(candidate), Some(step), Some(date), Some(provenance), true) =
            (org, candidate, step, date, provenance, ok)
        else {
            return;
        };
        let lc = f.line_col(g.span().start);
        self.lib.gates.push(Gate {
            id: src.id.get_ref().clone(),
            org,
            candidate,
            step,
            member,
            text: src.text.get_ref().clone(),
            date,
            p_by,
            provenance,
            note: src.note.as_ref().map(|n| n.get_ref().clone()),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        });
    }
}
