//! From surface files to the resolved [`Library`]: every id looked up, every date
//! checked, every word matched against its vocabulary, and the cross-checks that no
//! single file can make. All problems of all files are collected in one pass.
//!
//! [`load`] runs the passes in a fixed order, each in its own file, because each pass
//! looks up what the passes before it defined: gazetteer, actors, territories,
//! organisations, commitments, scenarios, accession, then parameters and assessments.
//! Helpers every pass shares are in `common.rs`.

use casus_syntax::surface::*;
use casus_syntax::{parse_toml, Diagnostic, SourceFile};

use crate::library::*;

mod accession;
mod accession_links;
mod actors;
mod aliases;
mod commitments;
mod common;
mod designs;
mod gazetteer;
mod organisations;
mod parameters;
mod scenarios;

pub use aliases::ALIAS_COLUMNS;
pub use gazetteer::{COUNTRY_COLUMNS, SUBDIVISION_COLUMNS};

/// The library built from a set of files, with everything found wrong in them.
/// The library is as complete as the files allowed; callers that need a sound
/// library refuse to go on when any diagnostic is an error.
pub struct Loaded {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Builds the library from files. Files are taken in the order given; when two define
/// the same commitment or organisation id, the later one replaces the earlier (so a
/// user's `--library` can override a built-in file) and a warning says so.
pub fn load(files: &[SourceFile]) -> Loaded {
    // Pass 0: sort the files: TOML is parsed to surface syntax, the two gazetteer tables
    // are kept aside, anything else is a warning.
    let mut r = Resolver {
        lib: Library::default(),
        diags: Vec::new(),
    };
    let mut surfaces: Vec<(&SourceFile, SurfaceFile)> = Vec::new();
    let mut countries = Vec::new();
    let mut subdivisions = Vec::new();
    let mut alias_tables = Vec::new();
    for file in files {
        let base = file.path.rsplit(['/', '\\']).next().unwrap_or(&file.path);
        if file.path.ends_with(".toml") {
            match parse_toml(file) {
                Ok(s) => surfaces.push((file, s)),
                Err(d) => r.diags.push(d),
            }
        } else if base == "countries.tsv" {
            countries.push(file);
        } else if base == "subdivisions.tsv" {
            subdivisions.push(file);
        } else if base == "aliases.tsv" {
            alias_tables.push(file);
        } else {
            r.diags.push(
                Diagnostic::warning(file, 0..0, "not a library file; ignored").with_hint(
                    "library files are .toml, or the gazetteer tables countries.tsv, subdivisions.tsv and aliases.tsv",
                ),
            );
        }
    }

    // Pass 1 (gazetteer.rs): countries, then subdivisions (which name their country), then
    // seas. This defines every place and every ISO actor.
    for f in &countries {
        r.countries(f);
    }
    for f in &subdivisions {
        r.subdivisions(f);
    }
    for (f, s) in &surfaces {
        for sea in &s.sea {
            r.sea(f, sea);
        }
    }
    // Pass 2 (actors.rs): facts about actors, and actors the ISO tables lack.
    for (f, s) in &surfaces {
        for a in &s.actor {
            r.actor(f, a);
        }
    }
    // Pass 2b (aliases.rs): other names of places and actors, generated and hand-kept.
    for f in &alias_tables {
        r.alias_table(f);
    }
    for (f, s) in &surfaces {
        for a in &s.alias {
            r.alias(f, a);
        }
    }
    // Pass 3 (gazetteer.rs): territories, whose sovereigns and statuses name actors.
    for (f, s) in &surfaces {
        for t in &s.territory {
            r.territory(f, t);
        }
    }
    // Pass 4 (organisations.rs): organisations and their dated rosters.
    for (f, s) in &surfaces {
        if let Some(o) = &s.organisation {
            r.organisation(f, o);
        }
    }
    // Pass 5 (commitments.rs): commitments and their clauses, which name actors, groups
    // (organisations) and places.
    // Commitments first, scenarios after: a scenario may name any commitment's clause.
    let mut file_commitment: Vec<Option<CommitmentId>> = Vec::new();
    for (f, s) in &surfaces {
        let id = s.commitment.as_ref().and_then(|c| r.commitment(f, c, &s.clause));
        if s.commitment.is_none() && !s.clause.is_empty() {
            r.diags.push(Diagnostic::error(
                f,
                s.clause[0].span(),
                "clauses need a [commitment] in the same file",
            ));
        }
        file_commitment.push(id);
    }
    // Pass 6 (scenarios.rs): scenario tests, then a warning for files that define nothing.
    for ((f, s), own) in surfaces.iter().zip(&file_commitment) {
        for sc in &s.scenario {
            r.scenario(f, sc, *own);
        }
        let empty = s.commitment.is_none()
            && s.organisation.is_none()
            && s.scenario.is_empty()
            && s.actor.is_empty()
            && s.territory.is_empty()
            && s.sea.is_empty()
            && s.alias.is_empty()
            && s.parameter.is_empty()
            && s.assessment.is_none()
            && s.accession.is_none()
            && s.procedure.is_empty()
            && s.enlargement.is_empty()
            && s.stance.is_empty()
            && s.bloc.is_empty()
            && s.gate.is_empty();
        if empty {
            r.diags.push(Diagnostic::warning(f, 0..0, "this file defines nothing").with_hint("expected [commitment], [organisation], [[scenario]], [[actor]], [[territory]], [[sea]] or [[alias]]"));
        }
    }
    // Pass 7 (commitments.rs): drop commitments a later file replaced, renumbering ids.
    r.drop_replaced_commitments();
    // Pass 8 (accession.rs): accession rules, procedures, enlargements and stances, which
    // name organisations and actors.
    for (f, s) in &surfaces {
        if let Some(a) = &s.accession {
            r.accession_rules(f, a);
        }
        for p in &s.procedure {
            r.procedure(f, p);
        }
        for e in &s.enlargement {
            r.enlargement(f, e);
        }
        for st in &s.stance {
            r.stance(f, st);
        }
        for b in &s.bloc {
            r.bloc(f, b);
        }
        for g in &s.gate {
            r.gate(f, g);
        }
    }
    // Pass 9 (parameters.rs, designs.rs): parameters, and assessments with their options.
    // Parameters and assessments name commitments by id, so they come last.
    for (f, s) in &surfaces {
        let params: Vec<Parameter> = s.parameter.iter().filter_map(|p| r.parameter(f, p)).collect();
        match &s.assessment {
            Some(a) => r.assessment(f, a, &s.option, &s.attack, params),
            None => {
                if let Some(o) = s.option.first() {
                    r.diags.push(Diagnostic::error(
                        f,
                        o.span(),
                        "options belong to an [assessment] in the same file",
                    ));
                }
                if let Some(a) = s.attack.first() {
                    r.diags.push(Diagnostic::error(
                        f,
                        a.span(),
                        "attacks belong to an [assessment] in the same file",
                    ));
                }
                r.add_parameters(f, params);
            }
        }
    }
    Loaded {
        library: r.lib,
        diagnostics: r.diags,
    }
}

struct Resolver {
    lib: Library,
    diags: Vec<Diagnostic>,
}
