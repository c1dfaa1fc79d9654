//! `[[parameter]]`: model parameters, each checked against the registry in
//! [`crate::params`] (unknown keys get "did you mean") and its unit's range, with
//! low <= value <= high and exactly one of a `source` or an `assumption`. A later
//! definition of the same parameter replaces the earlier one, with a warning saying where.

use casus_syntax::surface::*;
use casus_syntax::{Diagnostic, SourceFile, Spanned};

use crate::library::*;

use super::Resolver;

impl Resolver {
    pub(super) fn parameter(&mut self, f: &SourceFile, p: &Spanned<ParameterSrc>) -> Option<Parameter> {
        let src = p.get_ref();
        let id = src.id.get_ref();
        let Some(spec) = crate::params::spec(id) else {
            let sugg = casus_syntax::did_you_mean(id, crate::params::PARAMETERS.iter().map(|p| p.id));
            let d = Diagnostic::error(f, src.id.span(), format!("unknown parameter `{id}`"));
            let d = match sugg.first() {
                Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                None => d.with_hint("`casus list parameters` names them all"),
            };
            self.diags.push(d);
            return None;
        };
        let actor = src.actor.as_ref().and_then(|a| self.actor_ref(f, a));
        let value = *src.value.get_ref();
        let mut ok = true;
        for (what, v) in [
            ("value", Some(&src.value)),
            ("low", src.low.as_ref()),
            ("high", src.high.as_ref()),
        ] {
            if let Some(v) = v {
                if !spec.unit.valid(*v.get_ref()) {
                    self.error(
                        f,
                        v.span(),
                        format!("{what} {} is out of range for a {}", v.get_ref(), spec.unit),
                    );
                    ok = false;
                }
            }
        }
        let low = src.low.as_ref().map(|v| *v.get_ref());
        let high = src.high.as_ref().map(|v| *v.get_ref());
        if low.is_some_and(|l| l > value) || high.is_some_and(|h| h < value) {
            self.error(
                f,
                src.value.span(),
                format!(
                    "the value {value} lies outside its range [{}, {}]",
                    low.map_or("-".into(), |l| l.to_string()),
                    high.map_or("-".into(), |h| h.to_string())
                ),
            );
            ok = false;
        }
        let provenance = match (&src.source, &src.assumption) {
            (Some(s), None) => Provenance::Source(s.get_ref().clone()),
            (None, Some(a)) => Provenance::Assumption(a.get_ref().clone()),
            _ => {
                self.error(f, src.id.span(), format!("parameter `{id}` needs exactly one of `source` (a citation) or `assumption` (why this value)"));
                return None;
            }
        };
        let lc = f.line_col(p.span().start);
        ok.then(|| Parameter {
            id: id.clone(),
            actor,
            value,
            low,
            high,
            provenance,
            note: src.note.as_ref().map(|n| n.get_ref().clone()),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        })
    }

    pub(super) fn add_parameters(&mut self, f: &SourceFile, params: Vec<Parameter>) {
        for p in params {
            if let Some(old) = self
                .lib
                .parameters
                .iter_mut()
                .find(|q| q.id == p.id && q.actor == p.actor)
            {
                self.diags.push(Diagnostic::warning(
                    f,
                    0..0,
                    format!("parameter `{}` replaces the one at {}", p.id, old.location),
                ));
                *old = p;
            } else {
                self.lib.parameters.push(p);
            }
        }
    }
}
