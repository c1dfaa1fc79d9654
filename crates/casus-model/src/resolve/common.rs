//! Helpers every resolving pass shares: reporting an error at a span, matching a word
//! against its vocabulary (with "did you mean"), reading dates and spells, checking that a
//! sequence of dates does not go backwards, looking up actors, groups, places,
//! organisations and commitments by id, and adding places and actors to the library.

use std::ops::Range;

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile};

use crate::date::{FuzzyDate, Spell};
use crate::library::*;
use crate::lookup::{self, LookupError};

use super::Resolver;

impl Resolver {
    pub(super) fn error(&mut self, f: &SourceFile, span: Range<usize>, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(f, span, msg));
    }

    pub(super) fn lookup_error(&mut self, f: &SourceFile, span: Range<usize>, e: LookupError) {
        let hints = e.hints();
        self.diags
            .push(Diagnostic::error(f, span, e.message).with_hints(hints));
    }

    pub(super) fn word<T>(
        &mut self,
        f: &SourceFile,
        t: &Text,
        what: &str,
        parse: fn(&str) -> Option<T>,
        words: &[&str],
    ) -> Option<T> {
        let w = t.get_ref().as_str();
        let v = parse(w);
        if v.is_none() {
            let sugg = casus_syntax::did_you_mean(w, words.iter().copied());
            let mut d = Diagnostic::error(f, t.span(), format!("unknown {what} `{w}`"))
                .with_hint(format!("expected one of: {}", words.join(", ")));
            if let Some(s) = sugg.first() {
                d = d.with_hint(format!("did you mean `{s}`?"));
            }
            self.diags.push(d);
        }
        v
    }

    pub(super) fn date(&mut self, f: &SourceFile, d: &DateText) -> Option<FuzzyDate> {
        let text = match d.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(dt) if dt.date.is_some() && dt.time.is_none() => dt.to_string(),
            other => {
                self.error(
                    f,
                    d.span(),
                    format!(
                        "expected a date such as \"2024-03-07\", found {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        match FuzzyDate::parse(&text) {
            Ok(fd) => Some(fd),
            Err(e) => {
                self.error(f, d.span(), e);
                None
            }
        }
    }

    pub(super) fn opt_date(&mut self, f: &SourceFile, d: &Option<DateText>) -> Option<FuzzyDate> {
        d.as_ref().and_then(|d| self.date(f, d))
    }

    /// Looks a name up, reporting "did you mean" at its span when it is unknown.
    fn lookup<T>(
        &mut self,
        f: &SourceFile,
        t: &Text,
        find: fn(&Library, &str) -> Result<T, LookupError>,
    ) -> Option<T> {
        match find(&self.lib, t.get_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                self.lookup_error(f, t.span(), e);
                None
            }
        }
    }

    /// A spell whose end may not come before its start.
    pub(super) fn spell(
        &mut self,
        f: &SourceFile,
        from: &Option<DateText>,
        until: &Option<DateText>,
    ) -> Spell {
        let s = Spell {
            from: self.opt_date(f, from),
            until: self.opt_date(f, until),
        };
        if let (Some(a), Some(b), Some(u)) = (s.from, s.until, until) {
            if b.latest < a.earliest {
                self.error(f, u.span(), format!("ends ({b}) before it starts ({a})"));
            }
        }
        s
    }

    /// Dates given in a sequence must not go backwards.
    pub(super) fn ordered(&mut self, f: &SourceFile, seq: &[(&str, Option<FuzzyDate>, &Option<DateText>)]) {
        let mut last: Option<(&str, FuzzyDate)> = None;
        for (name, d, src) in seq {
            if let (Some(d), Some(src)) = (d, src) {
                if let Some((pname, p)) = last {
                    if d.latest < p.earliest {
                        self.error(f, src.span(), format!("{name} ({d}) comes before {pname} ({p})"));
                    }
                }
                last = Some((name, *d));
            }
        }
    }

    pub(super) fn actor_ref(&mut self, f: &SourceFile, t: &Text) -> Option<ActorId> {
        self.lookup(f, t, lookup::actor)
    }

    pub(super) fn actor_refs(&mut self, f: &SourceFile, ts: &[Text]) -> Vec<ActorId> {
        ts.iter().filter_map(|t| self.actor_ref(f, t)).collect()
    }

    fn group_ref(&mut self, f: &SourceFile, t: &Text) -> Option<Group> {
        self.lookup(f, t, lookup::group)
    }

    pub(super) fn group_refs(&mut self, f: &SourceFile, ts: &[Text]) -> Vec<Group> {
        ts.iter().filter_map(|t| self.group_ref(f, t)).collect()
    }

    pub(super) fn place_ref(&mut self, f: &SourceFile, t: &Text) -> Option<PlaceId> {
        self.lookup(f, t, lookup::place)
    }

    pub(super) fn org_ref(&mut self, f: &SourceFile, t: &Text) -> Option<OrgId> {
        self.lookup(f, t, lookup::org)
    }

    pub(super) fn commitment_refs(&mut self, f: &SourceFile, ts: &[Text]) -> Vec<CommitmentId> {
        ts.iter()
            .filter_map(|t| self.lookup(f, t, lookup::commitment))
            .collect()
    }

    pub(super) fn add_place(&mut self, f: &SourceFile, span: Range<usize>, place: Place) -> Option<PlaceId> {
        if self.lib.place_index.contains_key(&place.id) {
            self.error(f, span, format!("place `{}` is defined twice", place.id));
            return None;
        }
        let id = PlaceId(self.lib.places.len() as u32);
        self.lib.place_index.insert(place.id.clone(), id);
        self.lib.index_name(&place.name, Named::Place(id));
        self.lib.places.push(place);
        Some(id)
    }

    pub(super) fn add_actor(&mut self, actor: Actor) -> ActorId {
        let id = ActorId(self.lib.actors.len() as u32);
        self.lib.actor_index.insert(actor.id.clone(), id);
        self.lib.index_name(&actor.name, Named::Actor(id));
        self.lib.actors.push(actor);
        id
    }
}
