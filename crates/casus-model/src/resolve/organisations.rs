//! `[organisation]`: an organisation and its dated roster. A member may not join before the
//! founding date or be listed twice for overlapping spells; a later file with the same id
//! replaces the earlier definition (with a warning), so a user's library can override.

use std::collections::BTreeMap;

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile, Spanned};
use chrono::NaiveDate;

use crate::date::Spell;
use crate::library::*;

use super::Resolver;

impl Resolver {
    pub(super) fn organisation(&mut self, f: &SourceFile, o: &Spanned<OrganisationSrc>) {
        let src = o.get_ref();
        let Some(founded) = self.date(f, &src.founded) else {
            return;
        };
        let dissolved = self.opt_date(f, &src.dissolved);
        let mut members = Vec::new();
        let mut seen: BTreeMap<ActorId, Vec<Spell>> = BTreeMap::new();
        for m in &src.member {
            let ms = m.get_ref();
            let Some(actor) = self.actor_ref(f, &ms.actor) else {
                continue;
            };
            let spell = self.spell(f, &Some(ms.from.clone()), &ms.until);
            if let Some(from) = spell.from {
                if from.latest < founded.earliest {
                    self.error(
                        f,
                        ms.from.span(),
                        format!(
                            "{} joins {} on {from}, before it was founded ({founded})",
                            ms.actor.get_ref(),
                            src.id.get_ref()
                        ),
                    );
                }
            }
            let earlier = seen.entry(actor).or_default();
            if earlier.iter().any(|e| overlaps(e, &spell)) {
                self.error(
                    f,
                    m.span(),
                    format!("{} is listed twice for overlapping periods", ms.actor.get_ref()),
                );
            }
            earlier.push(spell);
            members.push(Membership {
                actor,
                spell,
                source: ms.source.as_ref().map(|s| s.get_ref().clone()),
                note: ms.note.as_ref().map(|s| s.get_ref().clone()),
            });
        }
        let org = Organisation {
            id: src.id.get_ref().clone(),
            name: src.name.get_ref().clone(),
            founded,
            dissolved,
            source: src.source.get_ref().clone(),
            note: src.note.as_ref().map(|s| s.get_ref().clone()),
            members,
        };
        if let Some(&existing) = self.lib.org_index.get(&org.id) {
            self.diags.push(Diagnostic::warning(
                f,
                src.id.span(),
                format!("organisation `{}` replaces an earlier definition", org.id),
            ));
            self.lib.orgs[existing.0 as usize] = org;
        } else {
            self.lib
                .org_index
                .insert(org.id.clone(), OrgId(self.lib.orgs.len() as u32));
            self.lib.orgs.push(org);
        }
    }
}

fn overlaps(a: &Spell, b: &Spell) -> bool {
    let start = |s: &Spell| s.from.map_or(NaiveDate::MIN, |d| d.earliest);
    let end = |s: &Spell| s.until.map_or(NaiveDate::MAX, |d| d.latest);
    start(a) <= end(b) && start(b) <= end(a)
}
