//! `[[actor]]` entries: facts added to an actor of the ISO tables (Correlates of War code
//! spells, nuclear status, a note), or a new actor outside the tables, which must then
//! carry a `name` and an id of upper-case letters, digits and hyphens.

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile, Spanned};

use crate::library::*;
use crate::lookup::{self};

use super::Resolver;

impl Resolver {
    pub(super) fn actor(&mut self, f: &SourceFile, a: &Spanned<ActorSrc>) {
        let src = a.get_ref();
        let id = src.id.get_ref();
        let aid = match self.lib.find_actor(id) {
            Some(aid) => aid,
            None => {
                let Some(name) = &src.name else {
                    let hints = match lookup::actor(&self.lib, id) {
                        Ok(a) => vec![format!(
                            "`{id}` is another name of {}: write its id",
                            self.lib.actor(a).id
                        )],
                        Err(e) => e.hints(),
                    };
                    self.diags.push(
                        Diagnostic::error(f, src.id.span(), format!("unknown actor `{id}`"))
                            .with_hints(hints)
                            .with_hint("to add an actor the ISO tables lack, give it a `name`"),
                    );
                    return;
                };
                if !id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
                    || id.is_empty()
                {
                    self.error(
                        f,
                        src.id.span(),
                        format!("actor ids are upper-case letters, digits and hyphens, found `{id}`"),
                    );
                    return;
                }
                self.add_actor(Actor {
                    id: id.clone(),
                    name: name.get_ref().clone(),
                    alpha2: None,
                    cow: vec![],
                    nuclear: None,
                    historic: false,
                    home: None,
                    note: None,
                })
            }
        };
        let mut cow = Vec::new();
        for c in &src.cow {
            let c = c.get_ref();
            let spell = self.spell(f, &c.from, &c.until);
            match u16::try_from(*c.code.get_ref()) {
                Ok(code) => cow.push(CowSpell { code, spell }),
                Err(_) => self.error(
                    f,
                    c.code.span(),
                    "a Correlates of War code is a whole number from 2 to 999",
                ),
            }
        }
        let nuclear = src.nuclear.as_ref().and_then(|n| {
            let n = n.get_ref();
            let since = self.date(f, &n.since)?;
            Some(Nuclear {
                since,
                text: n.text.get_ref().clone(),
                source: n.source.get_ref().clone(),
            })
        });
        let actor = &mut self.lib.actors[aid.0 as usize];
        if !cow.is_empty() {
            actor.cow = cow;
        }
        if nuclear.is_some() {
            actor.nuclear = nuclear;
        }
        if let Some(n) = &src.note {
            actor.note = Some(n.get_ref().clone());
        }
    }
}
