//! A scope file (TOML, after TMIP-EMAT's scope files): what varies, what the analyst chooses,
//! and what is measured.
//!
//! ```toml
//! name = "toy"
//! seed = 7
//! model = "toy"            # which evaluator runs the rows (default: the name)
//! trials = 4096            # optional: Monte Carlo trials per row, for models that simulate
//! date = "2026-01-01"      # optional: the date the model runs on (default: set when planned)
//!
//! [[uncertainty]]          # sampled by the design
//! name = "x1"
//! low = -3.14159
//! high = 3.14159
//! prior = "some.parameter" # optional: the cited prior this factor sets (the evaluator reads it)
//! range = "new"            # with `prior`: "stated" takes the prior's own range (no low/high),
//!                          # "new" the range given here; inferred from low/high when absent
//!
//! [[lever]]                # a categorical lever: every sample runs under every value, kept as names
//! name = "design"
//! values = ["single", "coalition"]
//!
//! [[lever]]                # a numeric lever: sampled with the uncertainties
//! name = "guarantors"
//! low = 1
//! high = 5
//! integer = true
//!
//! [[outcome]]
//! name = "response"
//! kind = "maximize"        # minimize | maximize | info
//! ```

use std::collections::BTreeSet;

use casus_syntax::{Diagnostic, SourceFile};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A parsed, checked scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub name: String,
    /// Which evaluator runs the scope (`toy`, `ukraine` …); default: the scope's name.
    pub model: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The master seed: every row's seed derives from it.
    pub seed: u64,
    /// Monte Carlo trials per row, for models that simulate (`None`: the model has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trials: Option<u64>,
    /// The date the model runs on (ISO); set when planned if the scope gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub uncertainties: Vec<Numeric>,
    pub levers: Vec<Lever>,
    pub outcomes: Vec<Outcome>,
}

/// A factor sampled over a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Numeric {
    pub name: String,
    pub low: f64,
    pub high: f64,
    #[serde(default)]
    pub integer: bool,
    /// The cited prior this factor sets, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<String>,
    /// Where `low` and `high` come from: the scope (`new`) or the prior's stated range.
    #[serde(default)]
    pub range: RangeFrom,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a factor's range comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RangeFrom {
    /// Given in the scope (a new range, for a prior).
    #[default]
    New,
    /// The cited prior's stated range, filled in by [`Scope::resolve_ranges`].
    Stated,
}

/// A lever: named choices (crossed with every sample) or a numeric range (sampled).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Lever {
    Categorical(Categorical),
    Numeric(Numeric),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Categorical {
    pub name: String,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeKind {
    Minimize,
    Maximize,
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub name: String,
    pub kind: OutcomeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Column names the result tables use for themselves.
pub const RESERVED: &[&str] = &["row", "sample", "seed", "block", "role", "error"];

impl Scope {
    /// Parses and checks a scope file; errors are located (`file:line:column`).
    pub fn parse(file: &SourceFile) -> Result<Scope, Vec<Diagnostic>> {
        let raw: RawScope = toml::from_str(&file.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            vec![Diagnostic::error(file, span, e.message().to_string())]
        })?;
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        let mut name = |n: &Spanned<String>, errors: &mut Vec<Diagnostic>| {
            let s = n.get_ref().clone();
            let plain = s
                .chars()
                .enumerate()
                .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
            if s.is_empty() {
                errors.push(Diagnostic::error(file, n.span(), "a name cannot be empty"));
            } else if !plain {
                errors.push(Diagnostic::error(
                    file,
                    n.span(),
                    format!("`{s}`: a name is letters, digits and `_` (it names a column), not starting with a digit"),
                ));
            } else if RESERVED.contains(&s.as_str()) {
                errors.push(Diagnostic::error(
                    file,
                    n.span(),
                    format!("`{s}` is a column of every result table; choose another name"),
                ));
            } else if !seen.insert(s.clone()) {
                errors.push(Diagnostic::error(file, n.span(), format!("`{s}` is named twice")));
            }
            s
        };
        let numeric = |r: RawFactor, what: &str, errors: &mut Vec<Diagnostic>, n: String| {
            let stated = match (r.range.as_deref(), &r.prior, r.low.is_some() || r.high.is_some()) {
                (Some("stated"), Some(_), false) | (None, Some(_), false) => true,
                (Some("new") | None, _, _) => false,
                (Some("stated"), None, _) => {
                    errors.push(Diagnostic::error(
                        file,
                        r.name.span(),
                        format!("{what} `{n}`: `range = \"stated\"` takes the range of a `prior`; name one"),
                    ));
                    return None;
                }
                (Some("stated"), Some(_), true) => {
                    errors.push(Diagnostic::error(
                        file,
                        r.name.span(),
                        format!("{what} `{n}`: `range = \"stated\"` takes the prior's range; drop `low` and `high` (or say `range = \"new\"`)"),
                    ));
                    return None;
                }
                (Some(other), _, _) => {
                    errors.push(Diagnostic::error(
                        file,
                        r.name.span(),
                        format!("{what} `{n}`: `range` is \"stated\" or \"new\", not `{other}`"),
                    ));
                    return None;
                }
            };
            if stated {
                return Some(Numeric {
                    name: n,
                    low: f64::NAN,
                    high: f64::NAN,
                    integer: r.integer,
                    prior: r.prior,
                    range: RangeFrom::Stated,
                    note: r.note,
                });
            }
            let (Some(low), Some(high)) = (r.low, r.high) else {
                errors.push(Diagnostic::error(
                    file,
                    r.name.span(),
                    format!(
                        "{what} `{n}` needs `low` and `high`{}",
                        if what == "lever" { " (or `values`)" } else { "" }
                    ),
                ));
                return None;
            };
            if !(low.is_finite() && high.is_finite() && low <= high) {
                errors.push(Diagnostic::error(
                    file,
                    r.name.span(),
                    format!("{what} `{n}`: `low` ({low}) must be a number not above `high` ({high})"),
                ));
                return None;
            }
            Some(Numeric {
                name: n,
                low,
                high,
                integer: r.integer,
                prior: r.prior,
                range: RangeFrom::New,
                note: r.note,
            })
        };
        let mut uncertainties = Vec::new();
        for u in raw.uncertainty {
            let n = name(&u.name, &mut errors);
            if u.values.is_some() {
                errors.push(Diagnostic::error(
                    file,
                    u.name.span(),
                    format!("uncertainty `{n}`: named values belong to levers; give `low` and `high`"),
                ));
                continue;
            }
            uncertainties.extend(numeric(u, "uncertainty", &mut errors, n));
        }
        let mut levers = Vec::new();
        for l in raw.lever {
            let n = name(&l.name, &mut errors);
            if l.prior.is_some() || l.range.is_some() {
                errors.push(Diagnostic::error(
                    file,
                    l.name.span(),
                    format!("lever `{n}`: `prior` and `range` belong to uncertainties"),
                ));
                continue;
            }
            match l.values.clone() {
                Some(values) => {
                    let distinct: BTreeSet<&String> = values.iter().collect();
                    if values.is_empty() || distinct.len() != values.len() {
                        errors.push(Diagnostic::error(
                            file,
                            l.name.span(),
                            format!("lever `{n}`: give one or more distinct values"),
                        ));
                    }
                    levers.push(Lever::Categorical(Categorical {
                        name: n,
                        values,
                        note: l.note,
                    }));
                }
                None => levers.extend(numeric(l, "lever", &mut errors, n).map(Lever::Numeric)),
            }
        }
        let mut outcomes = Vec::new();
        for o in raw.outcome {
            let n = name(&o.name, &mut errors);
            outcomes.push(Outcome {
                name: n,
                kind: o.kind.unwrap_or(OutcomeKind::Info),
                note: o.note,
            });
        }
        if outcomes.is_empty() {
            errors.push(Diagnostic::error(
                file,
                0..0,
                "a scope needs at least one [[outcome]]",
            ));
        }
        if raw.trials == Some(0) {
            errors.push(Diagnostic::error(file, 0..0, "`trials`: at least one"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Scope {
            model: raw.model.unwrap_or_else(|| raw.name.clone()),
            name: raw.name,
            description: raw.description.unwrap_or_default(),
            seed: raw.seed,
            trials: raw.trials,
            date: raw.date,
            uncertainties,
            levers,
            outcomes,
        })
    }

    /// The sampled factors, in column order: uncertainties, then numeric levers.
    pub fn numeric(&self) -> Vec<&Numeric> {
        let levers = self.levers.iter().filter_map(|l| match l {
            Lever::Numeric(n) => Some(n),
            Lever::Categorical(_) => None,
        });
        self.uncertainties.iter().chain(levers).collect()
    }

    /// The categorical levers, in column order.
    pub fn categorical(&self) -> Vec<&Categorical> {
        self.levers
            .iter()
            .filter_map(|l| match l {
                Lever::Categorical(c) => Some(c),
                Lever::Numeric(_) => None,
            })
            .collect()
    }

    /// Every combination of the categorical levers' values (one empty combination when
    /// there are none), the first lever varying slowest.
    pub fn combinations(&self) -> Vec<Vec<String>> {
        let mut out = vec![Vec::new()];
        for c in self.categorical() {
            out = out
                .into_iter()
                .flat_map(|prefix| {
                    c.values.iter().map(move |v| {
                        let mut p = prefix.clone();
                        p.push(v.clone());
                        p
                    })
                })
                .collect();
        }
        out
    }

    /// Fills in the stated ranges: `stated(prior)` gives a prior's (low, high), or why it
    /// cannot. Returns every problem, by factor.
    pub fn resolve_ranges(
        &mut self,
        stated: &dyn Fn(&str) -> Result<(f64, f64), String>,
    ) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for u in self
            .uncertainties
            .iter_mut()
            .filter(|u| u.range == RangeFrom::Stated)
        {
            let prior = u.prior.clone().unwrap_or_default();
            match stated(&prior) {
                Ok((low, high)) if low.is_finite() && high.is_finite() && low <= high => {
                    u.low = low;
                    u.high = high;
                }
                Ok((low, high)) => errors.push(format!(
                    "uncertainty `{}`: prior `{prior}` states no usable range ({low} – {high}); give `low` and `high`",
                    u.name
                )),
                Err(e) => errors.push(format!("uncertainty `{}`: {e}", u.name)),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether every range is known (stated ranges resolved).
    pub fn unresolved(&self) -> Vec<&str> {
        self.numeric()
            .into_iter()
            .filter(|n| !(n.low.is_finite() && n.high.is_finite()))
            .map(|n| n.name.as_str())
            .collect()
    }

    /// Keeps only `values` of the categorical lever `lever` (in the scope's order).
    pub fn restrict(&mut self, lever: &str, values: &[String]) -> Result<(), String> {
        let names: Vec<String> = self.categorical().iter().map(|c| c.name.clone()).collect();
        let c = self
            .levers
            .iter_mut()
            .find_map(|l| match l {
                Lever::Categorical(c) if c.name == lever => Some(c),
                _ => None,
            })
            .ok_or_else(|| {
                format!(
                    "no categorical lever `{lever}`; the scope has: {}",
                    names.join(", ")
                )
            })?;
        if let Some(v) = values.iter().find(|v| !c.values.contains(v)) {
            return Err(format!(
                "lever `{lever}` has no value `{v}`; its values: {}",
                c.values.join(", ")
            ));
        }
        c.values.retain(|v| values.contains(v));
        Ok(())
    }

    pub fn outcome_index(&self, name: &str) -> Option<usize> {
        self.outcomes.iter().position(|o| o.name == name)
    }
}

impl Numeric {
    /// The factor's value at `u` in [0, 1]: a point of the range (integers: each value
    /// equally likely).
    pub fn at(&self, u: f64) -> f64 {
        if self.integer {
            let (lo, hi) = (self.low.ceil(), self.high.floor());
            (lo + (u * (hi - lo + 1.0)).floor()).min(hi)
        } else {
            self.low + u * (self.high - self.low)
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScope {
    name: String,
    model: Option<String>,
    description: Option<String>,
    seed: u64,
    trials: Option<u64>,
    date: Option<String>,
    #[serde(default)]
    uncertainty: Vec<RawFactor>,
    #[serde(default)]
    lever: Vec<RawFactor>,
    #[serde(default)]
    outcome: Vec<RawOutcome>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactor {
    name: Spanned<String>,
    low: Option<f64>,
    high: Option<f64>,
    #[serde(default)]
    integer: bool,
    values: Option<Vec<String>>,
    prior: Option<String>,
    range: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    name: Spanned<String>,
    kind: Option<OutcomeKind>,
    note: Option<String>,
}
