//! From surface files to the resolved [`Library`]: every id looked up, every date
//! checked, every word matched against its vocabulary, and the cross-checks that no
//! single file can make. All problems of all files are collected in one pass.

use std::collections::BTreeMap;
use std::ops::Range;

use casus_syntax::surface::*;
use casus_syntax::{parse_toml, tsv, Diagnostic, SourceFile, Spanned};
use chrono::NaiveDate;

use crate::date::{FuzzyDate, Spell, Truth};
use crate::library::*;
use crate::lookup::{self, LookupError};
use crate::words::*;

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

pub const COUNTRY_COLUMNS: &[&str] = &[
    "alpha2",
    "alpha3",
    "numeric",
    "name",
    "continent",
    "lat",
    "lon",
    "sovereign_state",
    "cow_code",
    "status",
];
pub const SUBDIVISION_COLUMNS: &[&str] = &["code", "name", "type", "parent", "lat", "lon"];

/// Builds the library from files. Files are taken in the order given; when two define
/// the same commitment or organisation id, the later one replaces the earlier (so a
/// user's `--library` can override a built-in file) and a warning says so.
pub fn load(files: &[SourceFile]) -> Loaded {
    let mut r = Resolver {
        lib: Library::default(),
        diags: Vec::new(),
    };
    let mut surfaces: Vec<(&SourceFile, SurfaceFile)> = Vec::new();
    let mut countries = Vec::new();
    let mut subdivisions = Vec::new();
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
        } else {
            r.diags.push(
                Diagnostic::warning(file, 0..0, "not a library file; ignored").with_hint(
                    "library files are .toml, or the gazetteer tables countries.tsv and subdivisions.tsv",
                ),
            );
        }
    }

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
    for (f, s) in &surfaces {
        for a in &s.actor {
            r.actor(f, a);
        }
    }
    for (f, s) in &surfaces {
        for t in &s.territory {
            r.territory(f, t);
        }
    }
    for (f, s) in &surfaces {
        if let Some(o) = &s.organisation {
            r.organisation(f, o);
        }
    }
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
            && s.parameter.is_empty()
            && s.assessment.is_none()
            && s.accession.is_none()
            && s.procedure.is_empty()
            && s.enlargement.is_empty()
            && s.stance.is_empty();
        if empty {
            r.diags.push(Diagnostic::warning(f, 0..0, "this file defines nothing").with_hint("expected [commitment], [organisation], [[scenario]], [[actor]], [[territory]] or [[sea]]"));
        }
    }
    r.drop_replaced_commitments();
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
    }
    // Parameters and assessments name commitments by id, so they come last.
    for (f, s) in &surfaces {
        let params: Vec<Parameter> = s.parameter.iter().filter_map(|p| r.parameter(f, p)).collect();
        match &s.assessment {
            Some(a) => r.assessment(f, a, &s.option, params),
            None => {
                if let Some(o) = s.option.first() {
                    r.diags.push(Diagnostic::error(
                        f,
                        o.span(),
                        "options belong to an [assessment] in the same file",
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

fn span_of<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

impl Resolver {
    fn error(&mut self, f: &SourceFile, span: Range<usize>, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(f, span, msg));
    }

    fn lookup_error(&mut self, f: &SourceFile, span: Range<usize>, e: LookupError) {
        let hints = e.hints();
        self.diags
            .push(Diagnostic::error(f, span, e.message).with_hints(hints));
    }

    fn word<T>(
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

    fn date(&mut self, f: &SourceFile, d: &DateText) -> Option<FuzzyDate> {
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

    fn opt_date(&mut self, f: &SourceFile, d: &Option<DateText>) -> Option<FuzzyDate> {
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
    fn spell(&mut self, f: &SourceFile, from: &Option<DateText>, until: &Option<DateText>) -> Spell {
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

    fn actor_ref(&mut self, f: &SourceFile, t: &Text) -> Option<ActorId> {
        self.lookup(f, t, lookup::actor)
    }

    /// Forces stationed abroad, as a commitment or a design option states them; an entry
    /// naming an unknown actor is reported and left out.
    fn forces(&mut self, f: &SourceFile, list: &[Spanned<ForcesSrc>]) -> Vec<Forces> {
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

    fn actor_refs(&mut self, f: &SourceFile, ts: &[Text]) -> Vec<ActorId> {
        ts.iter().filter_map(|t| self.actor_ref(f, t)).collect()
    }

    fn group_ref(&mut self, f: &SourceFile, t: &Text) -> Option<Group> {
        self.lookup(f, t, lookup::group)
    }

    fn group_refs(&mut self, f: &SourceFile, ts: &[Text]) -> Vec<Group> {
        ts.iter().filter_map(|t| self.group_ref(f, t)).collect()
    }

    fn place_ref(&mut self, f: &SourceFile, t: &Text) -> Option<PlaceId> {
        self.lookup(f, t, lookup::place)
    }

    fn add_place(&mut self, f: &SourceFile, span: Range<usize>, place: Place) -> Option<PlaceId> {
        if self.lib.place_index.contains_key(&place.id) {
            self.error(f, span, format!("place `{}` is defined twice", place.id));
            return None;
        }
        let id = PlaceId(self.lib.places.len() as u32);
        self.lib.place_index.insert(place.id.clone(), id);
        self.lib.places.push(place);
        Some(id)
    }

    fn add_actor(&mut self, actor: Actor) -> ActorId {
        let id = ActorId(self.lib.actors.len() as u32);
        self.lib.actor_index.insert(actor.id.clone(), id);
        self.lib.actors.push(actor);
        id
    }

    fn cell_f64(&mut self, f: &SourceFile, row: &tsv::Row, col: usize, range: f64) -> Option<f64> {
        let c = row.get(col)?;
        match c.text.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= range => Some(v),
            _ => {
                self.error(
                    f,
                    c.span.clone(),
                    format!(
                        "expected a number between -{range} and {range}, found `{}`",
                        c.text
                    ),
                );
                None
            }
        }
    }

    fn countries(&mut self, f: &SourceFile) {
        let (rows, diags) = tsv::parse(f, COUNTRY_COLUMNS);
        self.diags.extend(diags);
        for row in &rows {
            let text = |i: usize| row.cells[i].text;
            let continent = match row.get(4) {
                Some(c) => {
                    let v = Continent::parse(c.text);
                    if v.is_none() {
                        self.diags.push(
                            Diagnostic::error(f, c.span.clone(), format!("unknown continent `{}`", c.text))
                                .with_hint(format!("expected one of: {}", Continent::WORDS.join(", "))),
                        );
                    }
                    v
                }
                None => None,
            };
            let lat = self.cell_f64(f, row, 5, 90.0);
            let lon = self.cell_f64(f, row, 6, 180.0);
            let state = match text(7) {
                "yes" => true,
                "no" => false,
                other => {
                    self.error(
                        f,
                        row.cells[7].span.clone(),
                        format!("expected yes or no, found `{other}`"),
                    );
                    false
                }
            };
            let cow = match row.get(8) {
                Some(c) => match c.text.parse::<u16>() {
                    Ok(code) => vec![CowSpell {
                        code,
                        spell: Spell::default(),
                    }],
                    Err(_) => {
                        self.error(
                            f,
                            c.span.clone(),
                            format!(
                                "expected a Correlates of War code (a whole number), found `{}`",
                                c.text
                            ),
                        );
                        vec![]
                    }
                },
                None => vec![],
            };
            let historic = match text(9) {
                "current" => false,
                "historic" => true,
                other => {
                    self.error(
                        f,
                        row.cells[9].span.clone(),
                        format!("expected current or historic, found `{other}`"),
                    );
                    false
                }
            };
            let (alpha2, alpha3) = (text(0).to_string(), text(1).to_string());
            if alpha2.len() != 2 || alpha3.len() != 3 {
                self.error(f, row.span.clone(), "expected a 2-letter and a 3-letter ISO code");
                continue;
            }
            let place = Place {
                continent,
                lat,
                lon,
                ..Place::new(alpha2.clone(), text(3), PlaceKind::Country)
            };
            let Some(pid) = self.add_place(f, row.span.clone(), place) else {
                continue;
            };
            if state {
                if self.lib.actor_index.contains_key(&alpha3) {
                    self.error(
                        f,
                        row.cells[1].span.clone(),
                        format!("actor `{alpha3}` is defined twice"),
                    );
                    continue;
                }
                let aid = self.add_actor(Actor {
                    id: alpha3,
                    name: text(3).to_string(),
                    alpha2: Some(alpha2),
                    cow,
                    nuclear: None,
                    historic,
                    home: Some(pid),
                    note: None,
                });
                self.lib.places[pid.0 as usize].sovereign.push(SovereignSpell {
                    actor: aid,
                    spell: Spell::default(),
                });
            }
        }
    }

    fn subdivisions(&mut self, f: &SourceFile) {
        let (rows, diags) = tsv::parse(f, SUBDIVISION_COLUMNS);
        self.diags.extend(diags);
        let mut links = Vec::new();
        for row in &rows {
            let code = row.cells[0].text;
            let Some((country, _)) = code.split_once('-') else {
                self.error(
                    f,
                    row.cells[0].span.clone(),
                    format!("`{code}` is not an ISO 3166-2 code (CC-XXX)"),
                );
                continue;
            };
            let lat = self.cell_f64(f, row, 4, 90.0);
            let lon = self.cell_f64(f, row, 5, 180.0);
            let place = Place {
                lat,
                lon,
                ..Place::new(code, row.cells[1].text, PlaceKind::Subdivision)
            };
            if let Some(pid) = self.add_place(f, row.span.clone(), place) {
                let parent = row.get(3).map(|c| (c.text.to_string(), c.span.clone()));
                links.push((pid, country.to_string(), parent, row.cells[0].span.clone()));
            }
        }
        for (pid, country, parent, span) in links {
            let (name, span) = parent.unwrap_or((country, span));
            match self.lib.find_place(&name) {
                Some(p) => self.lib.places[pid.0 as usize].parent = Some(p),
                None => self.error(f, span, format!("unknown parent place `{name}`")),
            }
        }
    }

    fn sea(&mut self, f: &SourceFile, s: &Spanned<SeaSrc>) {
        let src = s.get_ref();
        let ocean = self.word(f, &src.ocean, "ocean region", Ocean::parse, Ocean::WORDS);
        let id = src.id.get_ref();
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            self.error(
                f,
                src.id.span(),
                format!("sea ids are lower-case words joined by hyphens, found `{id}`"),
            );
        }
        let place = Place {
            island: Some(false),
            ocean,
            lat: src.lat.as_ref().map(|v| *v.get_ref()),
            lon: src.lon.as_ref().map(|v| *v.get_ref()),
            source: Some(src.source.get_ref().clone()),
            note: src.note.as_ref().map(|n| n.get_ref().clone()),
            ..Place::new(id.clone(), src.name.get_ref().clone(), PlaceKind::Sea)
        };
        self.add_place(f, src.id.span(), place);
    }

    fn territory(&mut self, f: &SourceFile, t: &Spanned<TerritorySrc>) {
        let src = t.get_ref();
        let Some(pid) = self.place_ref(f, &src.place) else {
            return;
        };
        let continent = src
            .continent
            .as_ref()
            .and_then(|c| self.word(f, c, "continent", Continent::parse, Continent::WORDS));
        let ocean = src
            .ocean
            .as_ref()
            .and_then(|c| self.word(f, c, "ocean region", Ocean::parse, Ocean::WORDS));
        let mut sovereign = Vec::new();
        for s in &src.sovereign {
            let s = s.get_ref();
            if let Some(actor) = self.actor_ref(f, &s.actor) {
                let spell = self.spell(f, &s.from, &s.until);
                sovereign.push(SovereignSpell { actor, spell });
            }
        }
        let mut status = Vec::new();
        for s in &src.status {
            let st = s.get_ref();
            let Some(kind) = self.word(f, &st.kind, "status", StatusKind::parse, StatusKind::WORDS) else {
                continue;
            };
            let by = st.by.as_ref().and_then(|b| self.actor_ref(f, b));
            if matches!(
                kind,
                StatusKind::Occupied | StatusKind::AdministeredBy | StatusKind::AnnexationClaimed
            ) && st.by.is_none()
            {
                self.error(
                    f,
                    s.span(),
                    format!("a `{kind}` status needs `by`: who occupies, administers or claims it"),
                );
            }
            let spell = self.spell(f, &st.from, &st.until);
            status.push(StatusSpell {
                kind,
                by,
                spell,
                source: st.source.as_ref().map(|x| x.get_ref().clone()),
                note: st.note.as_ref().map(|x| x.get_ref().clone()),
            });
        }
        if let Some(n) = &src.name {
            let have = &self.lib.place(pid).name;
            if n.get_ref() != have {
                self.diags.push(Diagnostic::warning(
                    f,
                    n.span(),
                    format!("the gazetteer calls `{}` \"{have}\"", src.place.get_ref()),
                ));
            }
        }
        let p = &mut self.lib.places[pid.0 as usize];
        if continent.is_some() {
            p.continent = continent;
        }
        if ocean.is_some() {
            p.ocean = ocean;
        }
        if src.island.is_some() {
            p.island = src.island;
        }
        if !sovereign.is_empty() {
            p.sovereign = sovereign;
        }
        p.status.extend(status);
        p.source = Some(src.source.get_ref().clone());
        p.note = src.note.as_ref().map(|n| n.get_ref().clone());
    }

    fn actor(&mut self, f: &SourceFile, a: &Spanned<ActorSrc>) {
        let src = a.get_ref();
        let id = src.id.get_ref();
        let aid = match self.lib.find_actor(id) {
            Some(aid) => aid,
            None => {
                let Some(name) = &src.name else {
                    let e = lookup::actor(&self.lib, id).err();
                    let hints = e.map(|e| e.hints()).unwrap_or_default();
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

    fn organisation(&mut self, f: &SourceFile, o: &Spanned<OrganisationSrc>) {
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

    fn commitment(
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
        self.lib.commitment_index.insert(id, cid);
        self.lib.commitments.push(commitment);
        Some(cid)
    }

    /// Dates given in a sequence must not go backwards.
    fn ordered(&mut self, f: &SourceFile, seq: &[(&str, Option<FuzzyDate>, &Option<DateText>)]) {
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

    fn scenario(&mut self, f: &SourceFile, s: &Spanned<ScenarioSrc>, own: Option<CommitmentId>) {
        let src = s.get_ref();
        let ev = src.event.get_ref();
        let attacker = self.actor_ref(f, &ev.attacker);
        let target = self.actor_ref(f, &ev.target);
        let date = self.date(f, &ev.date);
        if attacker.is_some() && attacker == target {
            self.error(
                f,
                ev.target.span(),
                "the attacker and the target are the same actor",
            );
        }
        if let Some(d) = &date {
            if !d.is_exact() {
                self.error(
                    f,
                    ev.date.span(),
                    "an event's date must be a whole date (YYYY-MM-DD)",
                );
            }
        }
        let place = match (&ev.place, target) {
            (Some(p), _) => self.place_ref(f, p),
            (None, Some(t)) => {
                let home = self.lib.actor(t).home;
                if home.is_none() {
                    self.error(
                        f,
                        src.event.span(),
                        format!(
                            "{} has no home territory in the gazetteer; give `place`",
                            self.lib.actor(t).id
                        ),
                    );
                }
                home
            }
            (None, None) => None,
        };
        let kind = match &ev.kind {
            Some(k) => self.word(f, k, "event kind", EventKind::parse, EventKind::WORDS),
            None => Some(EventKind::ArmedAttack),
        };
        let against = match &ev.against {
            Some(k) => self.word(f, k, "object of attack", Object::parse, Object::WORDS),
            None => Some(Object::Territory),
        };
        let severity = match &ev.severity {
            Some(k) => self.word(f, k, "severity", Severity::parse, Severity::WORDS),
            None => Some(Severity::Unspecified),
        };
        let mut expectations = Vec::new();
        for e in &src.expect {
            if let Some(x) = self.expectation(f, e, own) {
                expectations.push(x);
            }
        }
        let (
            Some(attacker),
            Some(target),
            Some(place),
            Some(date),
            Some(kind),
            Some(against),
            Some(severity),
        ) = (attacker, target, place, date, kind, against, severity)
        else {
            return;
        };
        let lc = f.line_col(s.span().start);
        self.lib.scenarios.push(Scenario {
            name: src.name.get_ref().clone(),
            event: Event {
                attacker,
                target,
                place,
                against,
                kind,
                severity,
                date: date.earliest,
                provoked: ev.provoked.unwrap_or(false),
                assume_proposals: ev.assume_proposals.unwrap_or(false),
            },
            expectations,
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
            note: src.note.as_ref().map(|n| n.get_ref().clone()),
        });
    }

    fn expectation(
        &mut self,
        f: &SourceFile,
        e: &Spanned<ExpectSrc>,
        own: Option<CommitmentId>,
    ) -> Option<Expectation> {
        let src = e.get_ref();
        let reference = src.clause.get_ref();
        let (cid, clause_id) = match reference.split_once('/') {
            Some((doc, clause)) => match lookup::commitment(&self.lib, doc) {
                Ok(c) => (c, clause),
                Err(err) => {
                    self.lookup_error(f, src.clause.span(), err);
                    return None;
                }
            },
            None => match own {
                Some(c) => (c, reference.as_str()),
                None => {
                    self.error(
                        f,
                        src.clause.span(),
                        "outside a commitment's file, name clauses as `commitment-id/clause-id`",
                    );
                    return None;
                }
            },
        };
        let commitment = self.lib.commitment(cid);
        let Some((index, _)) = commitment.clause(clause_id) else {
            let ids: Vec<String> = commitment.clauses.iter().map(|c| c.id.clone()).collect();
            let sugg = casus_syntax::did_you_mean(clause_id, ids.iter().map(String::as_str));
            let d = Diagnostic::error(
                f,
                src.clause.span(),
                format!("`{}` has no clause `{clause_id}`", commitment.id),
            );
            let d = if sugg.is_empty() {
                d
            } else {
                d.with_hint(format!("did you mean {}?", sugg.join(", ")))
            };
            self.diags.push(d);
            return None;
        };
        let status = self.word(
            f,
            &src.status,
            "expected status",
            ExpectStatus::parse,
            ExpectStatus::WORDS,
        )?;
        let obligors = self.group_refs(f, &src.obligors);
        let strength = src
            .strength
            .as_ref()
            .and_then(|s| self.word(f, s, "strength", Strength::parse, Strength::WORDS));
        let reason = src
            .reason
            .as_ref()
            .and_then(|r| self.word(f, r, "reason", Reason::parse, Reason::WORDS))
            .map(|r| r.as_str().to_string());
        let lc = f.line_col(e.span().start);
        Some(Expectation {
            commitment: cid,
            clause: index,
            status,
            obligors,
            exactly: src.exactly,
            strength,
            reason,
            explanation_contains: src
                .explanation_contains
                .iter()
                .map(|t| t.get_ref().clone())
                .collect(),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        })
    }

    fn parameter(&mut self, f: &SourceFile, p: &Spanned<ParameterSrc>) -> Option<Parameter> {
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

    fn add_parameters(&mut self, f: &SourceFile, params: Vec<Parameter>) {
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

    fn commitment_refs(&mut self, f: &SourceFile, ts: &[Text]) -> Vec<CommitmentId> {
        ts.iter()
            .filter_map(|t| self.lookup(f, t, lookup::commitment))
            .collect()
    }

    fn assessment(
        &mut self,
        f: &SourceFile,
        a: &Spanned<AssessmentSrc>,
        options: &[Spanned<OptionSrc>],
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
            event: AssessEvent {
                attacker,
                target,
                place,
                date,
                kind,
                against,
                severity,
            },
            options: resolved,
            parameters,
            source: src.source.as_ref().map(|s| s.get_ref().clone()),
            path: f.path.clone(),
        });
    }

    fn org_ref(&mut self, f: &SourceFile, t: &Text) -> Option<OrgId> {
        self.lookup(f, t, lookup::org)
    }

    fn accession_rules(&mut self, f: &SourceFile, a: &Spanned<AccessionSrc>) {
        let src = a.get_ref();
        let Some(org) = self.org_ref(f, &src.org) else {
            return;
        };
        let verified = src
            .verified
            .as_ref()
            .and_then(|v| self.word(f, v, "verification", Verification::parse, Verification::WORDS));
        let mut steps = Vec::new();
        for st in &src.step {
            let ss = st.get_ref();
            let (Some(step), Some(rule)) = (
                self.word(
                    f,
                    &ss.id,
                    "accession step",
                    AccessionStep::parse,
                    AccessionStep::WORDS,
                ),
                self.word(f, &ss.rule, "step rule", StepRule::parse, StepRule::WORDS),
            ) else {
                continue;
            };
            steps.push(Step {
                step,
                rule,
                text: ss.text.get_ref().clone(),
                source: ss.source.as_ref().map(|x| x.get_ref().clone()),
            });
        }
        let mut conditions = Vec::new();
        for c in &src.condition {
            let cs = c.get_ref();
            let date = self.opt_date(f, &cs.date);
            let candidate = cs.candidate.as_ref().and_then(|c| self.actor_ref(f, c));
            conditions.push(AccessionCondition {
                text: cs.text.get_ref().clone(),
                candidate,
                date,
                source: cs.source.get_ref().clone(),
            });
        }
        let org_name = self.lib.org(org).name.clone();
        if self.lib.accession_rules.iter().any(|r| r.org == org) {
            self.diags.push(Diagnostic::warning(
                f,
                src.org.span(),
                format!("accession rules for {} replace earlier ones", src.org.get_ref()),
            ));
            self.lib.accession_rules.retain(|r| r.org != org);
        }
        self.lib.accession_rules.push(AccessionRules {
            org,
            citation: Citation {
                document: org_name,
                article: src.article.get_ref().clone(),
                quote: Some(src.quote.get_ref().clone()),
                source: Some(src.source.get_ref().clone()),
                verified,
            },
            steps,
            conditions,
        });
    }

    fn procedure(&mut self, f: &SourceFile, p: &Spanned<ProcedureSrc>) {
        let src = p.get_ref();
        let Some(actor) = self.actor_ref(f, &src.actor) else {
            return;
        };
        let Some(kind) = self.word(
            f,
            &src.kind,
            "procedure kind",
            ProcedureKind::parse,
            ProcedureKind::WORDS,
        ) else {
            return;
        };
        let verified = src
            .verified
            .as_ref()
            .and_then(|v| self.word(f, v, "verification", Verification::parse, Verification::WORDS));
        if self.lib.procedures.iter().any(|q| q.actor == actor) {
            self.error(
                f,
                src.actor.span(),
                format!("a procedure for {} is already defined", src.actor.get_ref()),
            );
            return;
        }
        self.lib.procedures.push(Procedure {
            actor,
            kind,
            bodies: src.bodies.get_ref().clone(),
            head_of_state_signs: src.head_of_state_signs,
            referendum: src.referendum,
            source: src.source.as_ref().map(|x| x.get_ref().clone()),
            verified,
            note: src.note.as_ref().map(|x| x.get_ref().clone()),
        });
    }

    fn enlargement(&mut self, f: &SourceFile, e: &Spanned<EnlargementSrc>) {
        let src = e.get_ref();
        let Some(org) = self.org_ref(f, &src.org) else {
            return;
        };
        let candidates = self.actor_refs(f, &src.candidates);
        let invited = self.opt_date(f, &src.invited);
        let protocol = self.date(f, &src.protocol_signed);
        let accession = self.date(f, &src.accession);
        self.ordered(
            f,
            &[
                ("invited", invited, &src.invited),
                ("protocol signed", protocol, &Some(src.protocol_signed.clone())),
                ("accession", accession, &Some(src.accession.clone())),
            ],
        );
        let (Some(protocol_signed), Some(accession)) = (protocol, accession) else {
            return;
        };
        let mut ratifications = Vec::new();
        for r in &src.ratification {
            let rs = r.get_ref();
            let (Some(member), Some(date)) = (self.actor_ref(f, &rs.member), self.date(f, &rs.date)) else {
                continue;
            };
            let candidate = rs.candidate.as_ref().and_then(|c| self.actor_ref(f, c));
            if date.latest < protocol_signed.earliest || date.earliest > accession.latest {
                self.error(
                    f,
                    rs.date.span(),
                    format!(
                        "a ratification on {date} falls outside the round ({protocol_signed} to {accession})"
                    ),
                );
            }
            if self.lib.is_member(org, member, protocol_signed.earliest) == Truth::No {
                self.error(
                    f,
                    rs.member.span(),
                    format!(
                        "{} was not a member of {} when the protocol was signed",
                        rs.member.get_ref(),
                        src.org.get_ref()
                    ),
                );
            }
            if ratifications
                .iter()
                .any(|x: &Ratification| x.member == member && x.candidate == candidate)
            {
                self.error(
                    f,
                    rs.member.span(),
                    format!("{} ratifies twice", rs.member.get_ref()),
                );
            }
            ratifications.push(Ratification {
                member,
                date,
                candidate,
                source: rs.source.as_ref().map(|x| x.get_ref().clone()),
            });
        }
        let lc = f.line_col(e.span().start);
        self.lib.enlargements.push(Enlargement {
            org,
            candidates,
            invited,
            protocol_signed,
            accession,
            source: src.source.get_ref().clone(),
            ratifications,
            note: src.note.as_ref().map(|x| x.get_ref().clone()),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        });
    }

    fn stance(&mut self, f: &SourceFile, st: &Spanned<StanceSrc>) {
        let src = st.get_ref();
        let (Some(org), Some(member), Some(candidate)) = (
            self.org_ref(f, &src.org),
            self.actor_ref(f, &src.member),
            self.actor_ref(f, &src.candidate),
        ) else {
            return;
        };
        let Some(position) = self.word(f, &src.position, "position", Position::parse, Position::WORDS) else {
            return;
        };
        let Some(date) = self.date(f, &src.date) else {
            return;
        };
        if position == Position::Conditional && src.condition.is_none() {
            self.error(
                f,
                src.position.span(),
                "a conditional stance needs its `condition`, in the member's words where possible",
            );
        }
        let probability = match &src.probability {
            Some(p) if !(0.0..=1.0).contains(p.get_ref()) => {
                self.error(f, p.span(), "a probability is between 0 and 1");
                None
            }
            Some(p) => Some(*p.get_ref()),
            None => None,
        };
        let lc = f.line_col(st.span().start);
        self.lib.stances.push(Stance {
            org,
            member,
            candidate,
            position,
            condition: src.condition.as_ref().map(|x| x.get_ref().clone()),
            date,
            source: src.source.get_ref().clone(),
            probability,
            note: src.note.as_ref().map(|x| x.get_ref().clone()),
            location: format!("{}:{}:{}", f.path, lc.line, lc.column),
        });
    }

    /// When a later file replaced a commitment id, keep only the later one.
    fn drop_replaced_commitments(&mut self) {
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

fn overlaps(a: &Spell, b: &Spell) -> bool {
    let start = |s: &Spell| s.from.map_or(NaiveDate::MIN, |d| d.earliest);
    let end = |s: &Spell| s.until.map_or(NaiveDate::MAX, |d| d.latest);
    start(a) <= end(b) && start(b) <= end(a)
}
