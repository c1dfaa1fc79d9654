//! The gazetteer: countries and subdivisions from the ISO tables (`countries.tsv`,
//! `subdivisions.tsv`), seas, and `[[territory]]` entries that add facts (continent, ocean,
//! sovereignty and status spells) to places already known. A territory may not invent a
//! place; a name that differs from the gazetteer's is a warning, not a rename.

use casus_syntax::surface::*;
use casus_syntax::{tsv, Diagnostic, SourceFile, Spanned};

use crate::date::Spell;
use crate::library::*;
use crate::words::*;

use super::Resolver;

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

impl Resolver {
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

    pub(super) fn countries(&mut self, f: &SourceFile) {
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
            if historic {
                self.lib.historic_places.insert(pid);
            }
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

    pub(super) fn subdivisions(&mut self, f: &SourceFile) {
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

    pub(super) fn sea(&mut self, f: &SourceFile, s: &Spanned<SeaSrc>) {
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

    pub(super) fn territory(&mut self, f: &SourceFile, t: &Spanned<TerritorySrc>) {
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
}
