//! `[commitment]` and its `[[clause]]`s: parties, dates in order, triggers, regions,
//! decision rules and stationed forces. A later file with the same commitment id replaces
//! the earlier one (with a warning); [`Resolver::drop_replaced_commitments`] then removes
//! the replaced entries and renumbers the ids that scenarios hold.

use std::ops::Range;

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile, Spanned};

use crate::library::*;
use crate::words::*;

use super::Resolver;

impl Resolver {
    pub(super) fn commitment(
        &mut self,
        f: &SourceFile,
        c: &Spanned<CommitmentSrc>,
        clauses: &[Spanned<ClauseSrc>],
    ) -> Option<CommitmentId> {
        let src = c.get_ref();
        let id = src.id.get_ref().clone();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            self.error(
                f,
                src.id.span(),
                format!("commitment ids are lower-case words, digits and hyphens, found `{id}`"),
            );
        }
        let kind = self.word(f, &src.kind, "document kind", DocKind::parse, DocKind::WORDS);
        let binding = self.word(f, &src.binding, "bindingness", Binding::parse, Binding::WORDS);
        let signed = self.opt_date(f, &src.signed);
        let in_force = self.opt_date(f, &src.in_force);
        let terminated = self.opt_date(f, &src.terminated);
        // A statute may take effect before it is enacted (the Taiwan Relations Act, 1979);
        // any other document enters into force on or after signature.
        if kind == Some(DocKind::DomesticLaw) {
            self.ordered(
                f,
                &[
                    ("signed", signed, &src.signed),
                    ("terminated", terminated, &src.terminated),
                ],
            );
            self.ordered(
                f,
                &[
                    ("in force", in_force, &src.in_force),
                    ("terminated", terminated, &src.terminated),
                ],
            );
        } else {
            self.ordered(
                f,
                &[
                    ("signed", signed, &src.signed),
                    ("in force", in_force, &src.in_force),
                    ("terminated", terminated, &src.terminated),
                ],
            );
        }
        if kind == Some(DocKind::Proposal) && in_force.is_some() {
            if let Some(d) = &src.in_force {
                self.error(
                    f,
                    d.span(),
                    "a proposal is not in force; give `signed` when it is signed, and change its kind",
                );
            }
        }
        if kind.is_some_and(|k| k != DocKind::Proposal) && src.in_force.is_none() && src.signed.is_none() {
            self.error(
                f,
                src.id.span(),
                "give `in_force` (or at least `signed`) for a document that is not a proposal",
            );
        }
        let parties = self.group_refs(f, &src.parties);
        if src.parties.is_empty() {
            self.error(f, c.span(), "a commitment needs `parties`");
        }
        if parties.contains(&Group::Parties) {
            self.error(f, c.span(), "`parties` cannot list itself");
        }
        let duration = src.duration.as_ref().and_then(|d| {
            let term = d.term.get_ref().as_str();
            let indefinite = match term {
                "indefinite" => true,
                "fixed" => false,
                _ => {
                    self.error(
                        f,
                        d.term.span(),
                        format!("expected `indefinite` or `fixed`, found `{term}`"),
                    );
                    return None;
                }
            };
            let years = d.years.as_ref().and_then(|y| match u32::try_from(*y.get_ref()) {
                Ok(v) => Some(v),
                Err(_) => {
                    self.error(f, y.span(), "years must be a positive whole number");
                    None
                }
            });
            if !indefinite && years.is_none() {
                self.error(f, d.term.span(), "a fixed term needs `years`");
            }
            Some(Duration {
                indefinite,
                years,
                renewable: d.renewable,
                withdrawal: d.withdrawal.as_ref().map(|w| w.get_ref().clone()),
                source: d.source.as_ref().map(|w| w.get_ref().clone()),
            })
        });
        let forces = self.forces(f, &src.forces);
        let mut suspensions = Vec::new();
        for s in &src.suspension {
            let ss = s.get_ref();
            let (Some(obligor), Some(beneficiary)) =
                (self.actor_ref(f, &ss.obligor), self.actor_ref(f, &ss.beneficiary))
            else {
                continue;
            };
            let spell = self.spell(f, &Some(ss.from.clone()), &ss.until);
            suspensions.push(Suspension {
                obligor,
                beneficiary,
                spell,
                text: ss.text.get_ref().clone(),
                source: ss.source.get_ref().clone(),
            });
        }
        let uncertain = src
            .uncertain
            .iter()
            .map(|u| Uncertain {
                fact: u.get_ref().fact.get_ref().clone(),
                source: u.get_ref().source.as_ref().map(|s| s.get_ref().clone()),
            })
            .collect();
        let institutions = src
            .institutions
            .iter()
            .filter_map(|t| self.word(f, t, "institution", Institution::parse, Institution::WORDS))
            .collect();
        let title = src.title.get_ref().clone();
        let mut resolved_clauses: Vec<Clause> = Vec::new();
        let mut scope_links = Vec::new();
        for cl in clauses {
            if resolved_clauses
                .iter()
                .any(|x| &x.id == cl.get_ref().id.get_ref())
            {
                self.error(
                    f,
                    cl.get_ref().id.span(),
                    format!("clause `{}` is defined twice", cl.get_ref().id.get_ref()),
                );
                continue;
            }
            if let Some(clause) = self.clause(f, cl, &title, &src.source) {
                if let Some(from) = &cl.get_ref().scope_from {
                    scope_links.push((resolved_clauses.len(), from.clone()));
                }
                resolved_clauses.push(clause);
            }
        }
        for (i, from) in scope_links {
            match resolved_clauses
                .iter()
                .find(|c| &c.id == from.get_ref())
                .and_then(|c| c.scope.clone())
            {
                Some(scope) if resolved_clauses[i].scope.is_none() => resolved_clauses[i].scope = Some(scope),
                Some(_) => self.error(
                    f,
                    from.span(),
                    "a clause has either `scope` or `scope_from`, not both",
                ),
                None => {
                    let ids: Vec<&str> = resolved_clauses
                        .iter()
                        .filter(|c| c.scope.is_some())
                        .map(|c| c.id.as_str())
                        .collect();
                    let sugg = casus_syntax::did_you_mean(from.get_ref(), ids.iter().copied());
                    let d = Diagnostic::error(
                        f,
                        from.span(),
                        format!("no clause `{}` with a scope in this document", from.get_ref()),
                    );
                    let d = if sugg.is_empty() {
                        d
                    } else {
                        d.with_hint(format!("did you mean {}?", sugg.join(", ")))
                    };
                    self.diags.push(d);
                }
            }
        }
        let atop = src.atop.as_ref().and_then(|a| match u32::try_from(*a.get_ref()) {
            Ok(v) if v > 0 => Some(v),
            _ => {
                self.error(
                    f,
                    a.span(),
                    "atop must be a positive whole number (ATOP's atopid)",
                );
                None
            }
        });
        let commitment = Commitment {
            id: id.clone(),
            title,
            short_title: src.short_title.as_ref().map(|s| s.get_ref().clone()),
            kind: kind?,
            binding: binding?,
            status: src.status.as_ref().map(|s| s.get_ref().clone()),
            summary: src.summary.as_ref().map(|s| s.get_ref().clone()),
            signed,
            in_force,
            terminated,
            parties,
            source: src.source.get_ref().clone(),
            other_sources: src.other_sources.iter().map(|s| s.get_ref().clone()).collect(),
            duration,
            forces,
            suspensions,
            uncertain,
            institutions,
            clauses: resolved_clauses,
            atop,
            path: f.path.clone(),
        };
        let cid = CommitmentId(self.lib.commitments.len() as u32);
        if let Some(&old) = self.lib.commitment_index.get(&id) {
            let old_path = self.lib.commitment(old).path.clone();
            self.diags.push(Diagnostic::warning(
                f,
                src.id.span(),
                format!("commitment `{id}` replaces the one in {old_path}"),
            ));
        }
        let aliases = self.commitment_alias_list(f, &id, &src.aliases);
        self.lib.commitment_aliases.insert(id.clone(), aliases);
        self.lib.commitment_index.insert(id, cid);
        self.lib.commitments.push(commitment);
        Some(cid)
    }

    fn clause(
        &mut self,
        f: &SourceFile,
        c: &Spanned<ClauseSrc>,
        document: &str,
        doc_source: &Text,
    ) -> Option<Clause> {
        let src = c.get_ref();
        let duty = match &src.duty {
            Some(d) => self.word(f, d, "duty", Duty::parse, Duty::WORDS)?,
            None => Duty::Act,
        };
        let verified = src
            .verified
            .as_ref()
            .and_then(|v| self.word(f, v, "verification", Verification::parse, Verification::WORDS));
        let citation = Citation {
            document: document.to_string(),
            article: src.article.get_ref().clone(),
            quote: src.quote.as_ref().map(|q| q.get_ref().clone()),
            source: Some(src.source.as_ref().unwrap_or(doc_source).get_ref().clone()),
            verified,
        };
        if src.quote.is_none() {
            self.error(
                f,
                src.id.span(),
                format!(
                    "clause `{}` has no citation: give `quote`, the operative words of {}",
                    src.id.get_ref(),
                    src.article.get_ref()
                ),
            );
        }
        if src.verified.is_none() {
            self.diags.push(
                Diagnostic::warning(
                    f,
                    src.id.span(),
                    format!(
                        "clause `{}` does not say how its quote was checked",
                        src.id.get_ref()
                    ),
                )
                .with_hint(format!(
                    "add `verified = ` one of: {}",
                    Verification::WORDS.join(", ")
                )),
            );
        }
        let obligors = self.group_refs(f, &src.obligors);
        let beneficiaries = self.group_refs(f, &src.beneficiaries);
        let commits = matches!(duty, Duty::Act | Duty::Refrain | Duty::Policy);
        if commits && src.obligors.is_empty() {
            self.error(
                f,
                src.id.span(),
                format!("clause `{}` needs `obligors`: who is bound", src.id.get_ref()),
            );
        }
        if commits && src.beneficiaries.is_empty() {
            self.error(
                f,
                src.id.span(),
                format!(
                    "clause `{}` needs `beneficiaries`: who is protected",
                    src.id.get_ref()
                ),
            );
        }
        let strength = src
            .strength
            .as_ref()
            .and_then(|s| self.word(f, s, "strength", Strength::parse, Strength::WORDS));
        if duty == Duty::Act && src.strength.is_none() {
            self.error(
                f,
                src.id.span(),
                format!(
                    "clause `{}` needs `strength`, one of: {}",
                    src.id.get_ref(),
                    Strength::WORDS.join(", ")
                ),
            );
        }
        let trigger = match &src.trigger {
            Some(t) => self.trigger(f, t),
            None => {
                if duty == Duty::Act {
                    self.error(
                        f,
                        src.id.span(),
                        format!(
                            "clause `{}` needs a `trigger`: what must happen for it to oblige",
                            src.id.get_ref()
                        ),
                    );
                }
                None
            }
        };
        let scope = src.scope.as_ref().map(|s| {
            let regions = s.region.iter().filter_map(|r| self.region(f, r)).collect();
            Scope {
                text: s.text.as_ref().map(|t| t.get_ref().clone()),
                regions,
                citation: citation.clone(),
            }
        });
        let decision = match &src.decision {
            Some(d) => self.decision(f, d)?,
            None => {
                if duty == Duty::Act {
                    self.error(
                        f,
                        src.id.span(),
                        format!(
                            "clause `{}` needs a `decision`: who decides that it applies, and how",
                            src.id.get_ref()
                        ),
                    );
                }
                Decision {
                    rule: DecisionRule::Individual,
                    body: None,
                    text: None,
                    source: None,
                }
            }
        };
        let mut domestic = Vec::new();
        for d in &src.domestic_approval {
            let ds = d.get_ref();
            let Some(requirement) = self.word(
                f,
                &ds.requirement,
                "domestic requirement",
                Requirement::parse,
                Requirement::WORDS,
            ) else {
                continue;
            };
            let applies_to = self.actor_refs(f, &ds.applies_to);
            domestic.push(DomesticApproval {
                requirement,
                text: ds.text.get_ref().clone(),
                applies_to,
                source: ds.source.as_ref().map(|s| s.get_ref().clone()),
            });
        }
        let mut caveats = Vec::new();
        for cv in &src.caveat {
            let cs = cv.get_ref();
            let applies_to = self.actor_refs(f, &cs.applies_to);
            let spell = self.spell(f, &cs.from, &cs.until);
            caveats.push(Caveat {
                text: cs.text.get_ref().clone(),
                applies_to,
                source: cs.source.as_ref().map(|s| s.get_ref().clone()),
                spell,
            });
        }
        Some(Clause {
            id: src.id.get_ref().clone(),
            citation,
            duty,
            obligors,
            beneficiaries,
            trigger,
            scope,
            strength,
            decision,
            domestic,
            caveats,
            note: src.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    fn objects(&mut self, f: &SourceFile, ts: &[Text]) -> Vec<Object> {
        let v: Vec<Object> = ts
            .iter()
            .filter_map(|t| self.word(f, t, "object of attack", Object::parse, Object::WORDS))
            .collect();
        if v.is_empty() {
            vec![Object::Territory]
        } else {
            v
        }
    }

    fn trigger(&mut self, f: &SourceFile, t: &TriggerSrc) -> Option<Trigger> {
        let event = self.word(f, &t.event, "trigger", TriggerKind::parse, TriggerKind::WORDS)?;
        let by = self.group_refs(f, &t.by);
        let against = self.objects(f, &t.against);
        let severity = t
            .severity
            .as_ref()
            .and_then(|s| self.word(f, s, "severity", Severity::parse, Severity::WORDS));
        let provocation_excluded = match &t.provocation {
            None => false,
            Some(p) => match p.get_ref().as_str() {
                "irrelevant" => false,
                "excluded" => true,
                other => {
                    self.error(
                        f,
                        p.span(),
                        format!("expected `irrelevant` or `excluded`, found `{other}`"),
                    );
                    false
                }
            },
        };
        if severity.is_some() && t.threshold.is_none() {
            self.error(
                f,
                t.event.span(),
                "a minimum `severity` needs the `threshold` words of the text it comes from",
            );
        }
        Some(Trigger {
            event,
            by,
            against,
            severity,
            threshold: t.threshold.as_ref().map(|x| x.get_ref().clone()),
            provocation_excluded,
            note: t.note.as_ref().map(|x| x.get_ref().clone()),
        })
    }

    fn region(&mut self, f: &SourceFile, r: &Spanned<RegionSrc>) -> Option<Region> {
        let src = r.get_ref();
        let continents = src
            .continent
            .iter()
            .filter_map(|c| self.word(f, c, "continent", Continent::parse, Continent::WORDS))
            .collect();
        let oceans = src
            .ocean
            .iter()
            .filter_map(|c| self.word(f, c, "ocean region", Ocean::parse, Ocean::WORDS))
            .collect();
        let places = src.places.iter().filter_map(|p| self.place_ref(f, p)).collect();
        let exclude_places = src
            .exclude_places
            .iter()
            .filter_map(|p| self.place_ref(f, p))
            .collect();
        let exclude_oceans = src
            .exclude_oceans
            .iter()
            .filter_map(|c| self.word(f, c, "ocean region", Ocean::parse, Ocean::WORDS))
            .collect();
        let held_by = match &src.held_by {
            Some(h) => self.word(f, h, "holder", HeldBy::parse, HeldBy::WORDS)?,
            None => HeldBy::Party,
        };
        let control = match &src.control {
            Some(h) => self.word(f, h, "control", Control::parse, Control::WORDS)?,
            None => Control::Sovereignty,
        };
        for lat in [&src.min_latitude, &src.max_latitude].into_iter().flatten() {
            if !(-90.0..=90.0).contains(lat.get_ref()) {
                self.error(f, span_of(lat), "a latitude is between -90 and 90");
            }
        }
        let spell = self.spell(f, &src.from, &src.until);
        Some(Region {
            label: src.label.get_ref().clone(),
            against: self.objects(f, &src.against),
            continents,
            places,
            oceans,
            exclude_places,
            exclude_oceans,
            island: src.island,
            min_latitude: src.min_latitude.as_ref().map(|v| *v.get_ref()),
            max_latitude: src.max_latitude.as_ref().map(|v| *v.get_ref()),
            held_by,
            control,
            spell,
        })
    }

    fn decision(&mut self, f: &SourceFile, d: &DecisionSrc) -> Option<Decision> {
        let word = self.word(
            f,
            &d.rule,
            "decision rule",
            DecisionWord::parse,
            DecisionWord::WORDS,
        )?;
        let rule = match word {
            DecisionWord::Individual => DecisionRule::Individual,
            DecisionWord::Consensus => DecisionRule::Consensus,
            DecisionWord::QualifiedMajority => {
                let Some(t) = &d.threshold else {
                    self.error(
                        f,
                        d.rule.span(),
                        "a qualified majority needs a `threshold` such as \"2/3\"",
                    );
                    return None;
                };
                let parsed = t
                    .get_ref()
                    .split_once('/')
                    .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)));
                match parsed {
                    Some((n, dd)) if n > 0 && n <= dd => DecisionRule::QualifiedMajority {
                        numerator: n,
                        denominator: dd,
                    },
                    _ => {
                        self.error(
                            f,
                            t.span(),
                            format!("expected a fraction such as \"2/3\", found `{}`", t.get_ref()),
                        );
                        return None;
                    }
                }
            }
            DecisionWord::SingleActor => {
                let by = self.actor_refs(f, &d.by);
                if d.by.is_empty() {
                    self.error(
                        f,
                        d.rule.span(),
                        "a single-actor decision needs `by`: who decides",
                    );
                }
                DecisionRule::SingleActor {
                    by: by.iter().map(|a| self.lib.actor(*a).id.clone()).collect(),
                }
            }
        };
        Some(Decision {
            rule,
            body: d.body.as_ref().map(|b| b.get_ref().clone()),
            text: d.text.as_ref().map(|b| b.get_ref().clone()),
            source: d.source.as_ref().map(|b| b.get_ref().clone()),
        })
    }

    /// Forces stationed abroad, as a commitment or a design option states them; an entry
    /// naming an unknown actor is reported and left out.
    pub(super) fn forces(&mut self, f: &SourceFile, list: &[Spanned<ForcesSrc>]) -> Vec<Forces> {
        let mut forces = Vec::new();
        for fo in list {
            let fs = fo.get_ref();
            let (Some(from), Some(into)) = (self.actor_ref(f, &fs.from), self.actor_ref(f, &fs.stationed_in))
            else {
                continue;
            };
            let since = self.opt_date(f, &fs.since);
            forces.push(Forces {
                from,
                stationed_in: into,
                text: fs.text.get_ref().clone(),
                since,
                source: fs.source.get_ref().clone(),
            });
        }
        forces
    }

    /// When a later file replaced a commitment id, keep only the later one.
    /// A commitment's `aliases`: each must have letters, and must not name another
    /// commitment already (its id, title, short title or an alias), or the name would be
    /// ambiguous wherever people type it.
    fn commitment_alias_list(&mut self, f: &SourceFile, id: &str, aliases: &[Text]) -> Vec<String> {
        let mut out = Vec::new();
        for a in aliases {
            let key = crate::lookup::fold(a.get_ref());
            if key.is_empty() {
                self.error(f, a.span(), "an alias needs letters or digits");
                continue;
            }
            let other = self.lib.commitments.iter().find(|c| {
                c.id != id
                    && crate::lookup::commitment_names(&self.lib, c).any(|n| crate::lookup::fold(n) == key)
            });
            if let Some(c) = other {
                self.diags.push(Diagnostic::warning(
                    f,
                    a.span(),
                    format!("`{}` also names commitment `{}`", a.get_ref(), c.id),
                ));
            }
            out.push(a.get_ref().clone());
        }
        out
    }

    pub(super) fn drop_replaced_commitments(&mut self) {
        let keep: Vec<bool> = (0..self.lib.commitments.len())
            .map(|i| {
                self.lib.commitment_index.get(&self.lib.commitments[i].id) == Some(&CommitmentId(i as u32))
            })
            .collect();
        if keep.iter().all(|k| *k) {
            return;
        }
        let mut remap = vec![None; keep.len()];
        let mut kept = Vec::new();
        for (i, c) in std::mem::take(&mut self.lib.commitments).into_iter().enumerate() {
            if keep[i] {
                remap[i] = Some(CommitmentId(kept.len() as u32));
                kept.push(c);
            }
        }
        self.lib.commitments = kept;
        self.lib.commitment_index = self
            .lib
            .commitments
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), CommitmentId(i as u32)))
            .collect();
        for s in &mut self.lib.scenarios {
            s.expectations
                .retain_mut(|e| match remap[e.commitment.0 as usize] {
                    Some(n) => {
                        e.commitment = n;
                        true
                    }
                    None => false,
                });
        }
    }
}

fn span_of<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}
