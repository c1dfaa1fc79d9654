//! Other names people type for places and actors: the generated `aliases.tsv` (common
//! English names, former names and codes from CLDR, ISO and country_converter, for every
//! place) and hand-kept `[[alias]]` entries, each with a source or a reason. An alias points
//! at a place (an actor is found through its home place) or at an actor without one.
//! Names are compared folded (`lookup::fold`); one name may name several places, and the
//! lookup then says so.

use casus_syntax::surface::*;
use casus_syntax::{tsv, Diagnostic, SourceFile, Spanned};

use crate::library::*;
use crate::lookup;

use super::Resolver;

pub const ALIAS_COLUMNS: &[&str] = &["alias", "place", "source"];

impl Resolver {
    pub(super) fn alias_table(&mut self, f: &SourceFile) {
        let (rows, diags) = tsv::parse(f, ALIAS_COLUMNS);
        self.diags.extend(diags);
        for row in &rows {
            let (alias, place) = (&row.cells[0], &row.cells[1]);
            if row.get(2).is_none_or(|c| c.text.is_empty()) {
                self.error(f, row.span.clone(), "an alias needs its source");
                continue;
            }
            if lookup::fold(alias.text).is_empty() {
                self.error(f, alias.span.clone(), "an alias needs letters or digits");
                continue;
            }
            match self.lib.find_place(place.text) {
                Some(p) => self.lib.index_name(alias.text, Named::Place(p)),
                None => {
                    let e = lookup::place(&self.lib, place.text).err();
                    self.diags.push(
                        Diagnostic::error(f, place.span.clone(), format!("unknown place `{}`", place.text))
                            .with_hints(e.map(|e| e.hints()).unwrap_or_default()),
                    );
                }
            }
        }
    }

    pub(super) fn alias(&mut self, f: &SourceFile, a: &Spanned<AliasSrc>) {
        let src = a.get_ref();
        let name = src.name.get_ref();
        if src.source.is_none() && src.reason.is_none() {
            self.error(f, a.span(), "an alias needs a `source` or a `reason`");
        }
        if lookup::fold(name).is_empty() {
            self.error(f, src.name.span(), "an alias needs letters or digits");
            return;
        }
        let target = match (&src.place, &src.actor) {
            (Some(p), None) => match self.lib.find_place(p.get_ref()) {
                Some(pid) => Named::Place(pid),
                None => {
                    let e = lookup::place(&self.lib, p.get_ref()).err();
                    self.diags.push(
                        Diagnostic::error(f, p.span(), format!("unknown place id `{}`", p.get_ref()))
                            .with_hints(e.map(|e| e.hints()).unwrap_or_default()),
                    );
                    return;
                }
            },
            (None, Some(t)) => match self.lib.find_actor(t.get_ref()) {
                Some(aid) => Named::Actor(aid),
                None => {
                    let e = lookup::actor(&self.lib, t.get_ref()).err();
                    self.diags.push(
                        Diagnostic::error(f, t.span(), format!("unknown actor id `{}`", t.get_ref()))
                            .with_hints(e.map(|e| e.hints()).unwrap_or_default()),
                    );
                    return;
                }
            },
            _ => {
                self.error(f, a.span(), "an alias names exactly one of `place` and `actor`");
                return;
            }
        };
        // Ids are looked up before names, so an alias spelled like an id is never reached.
        let upper = name.to_uppercase();
        if self.lib.find_place(&upper).is_some() || self.lib.find_actor(&upper).is_some() {
            self.diags.push(Diagnostic::warning(
                f,
                src.name.span(),
                format!("`{name}` is an id; ids are looked up before aliases, so this alias is never used"),
            ));
            return;
        }
        let key = lookup::fold(name);
        let known = self
            .lib
            .name_index
            .get(&key)
            .is_some_and(|v| v.iter().any(|(t, _)| *t == target));
        if known {
            self.diags.push(
                Diagnostic::warning(f, src.name.span(), format!("`{name}` already names this"))
                    .with_hint("the gazetteer's names and aliases.tsv have it; remove this entry"),
            );
            return;
        }
        self.lib.index_name(name, target);
    }
}
