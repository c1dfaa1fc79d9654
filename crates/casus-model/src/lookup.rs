//! Turning names people type into ids, with "did you mean" when they are wrong.
//! Shared by the file resolver (which adds spans) and the command line.
//!
//! Order: the exact id (any case), then a name or alias compared folded ([`fold`]: case,
//! accents, dots and apostrophes do not matter). A name that names several things is an
//! error listing them, with two rankings first: a current place or actor wins over a
//! former one (ISO 3166-3), and a country or sea wins over a subdivision ("Georgia" is GE,
//! not US-GA, which stays reachable by its code). Only then "did you mean" among ids,
//! names and aliases.

use casus_syntax::did_you_mean;

use crate::library::{ActorId, Commitment, CommitmentId, Group, Library, Named, OrgId, PlaceId};
use crate::words::PlaceKind;

#[derive(Debug, Clone, PartialEq)]
pub struct LookupError {
    pub message: String,
    pub suggestions: Vec<String>,
}

impl LookupError {
    pub fn hints(&self) -> Vec<String> {
        if self.suggestions.is_empty() {
            Vec::new()
        } else {
            vec![format!("did you mean {}?", self.suggestions.join(", "))]
        }
    }
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        for h in self.hints() {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// The key names are compared by: lower case, accents and ligatures folded to ASCII
/// ("Côte d’Ivoire" → "cote divoire", "Türkiye" → "turkiye"), dots and apostrophes
/// dropped ("U.S." → "us"), "&" read as "and", any other punctuation a space, and a
/// leading "the" dropped. Letters of other scripts are kept as they are (lower-cased).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if matches!(
            c,
            '.' | '\'' | '\u{2019}' | '\u{2018}' | '\u{02BB}' | '\u{02BC}' | '`'
        ) {
        } else if c == '&' {
            out.push_str(" and ");
        } else if let Some(b) = latin_base(c) {
            out.push_str(b);
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else {
            out.push(' ');
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let words = match words.split_first() {
        Some((&"the", rest)) if !rest.is_empty() => rest,
        _ => &words[..],
    };
    words.join(" ")
}

/// The ASCII letters of an accented Latin letter (Latin-1, Latin Extended-A, the Romanian
/// comma letters, schwa and the Vietnamese letters of Latin Extended Additional).
fn latin_base(c: char) -> Option<&'static str> {
    const LATIN1: [&str; 64] = [
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", //
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "ss", //
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", //
        "d", "n", "o", "o", "o", "o", "o", " ", "o", "u", "u", "u", "u", "y", "th", "y",
    ];
    // Latin Extended-A in runs of one base letter: (first code point after the run, base).
    const EXT_A: [(u32, &str); 22] = [
        (0x106, "a"),
        (0x10E, "c"),
        (0x112, "d"),
        (0x11C, "e"),
        (0x124, "g"),
        (0x128, "h"),
        (0x132, "i"),
        (0x134, "ij"),
        (0x136, "j"),
        (0x139, "k"),
        (0x143, "l"),
        (0x14C, "n"),
        (0x152, "o"),
        (0x154, "oe"),
        (0x15A, "r"),
        (0x162, "s"),
        (0x168, "t"),
        (0x174, "u"),
        (0x176, "w"),
        (0x179, "y"),
        (0x17F, "z"),
        (0x180, "s"),
    ];
    const VIET: [(u32, &str); 6] = [
        (0x1EB8, "a"),
        (0x1EC8, "e"),
        (0x1ECC, "i"),
        (0x1EE4, "o"),
        (0x1EF2, "u"),
        (0x1EFA, "y"),
    ];
    let u = c as u32;
    match u {
        0xC0..=0xFF => Some(LATIN1[(u - 0xC0) as usize]),
        0x100..=0x17F => EXT_A.iter().find(|(end, _)| u < *end).map(|(_, b)| *b),
        0x218 | 0x219 => Some("s"),
        0x21A | 0x21B => Some("t"),
        0x18F | 0x259 => Some("e"),
        0x1EA0..=0x1EF9 => VIET.iter().find(|(end, _)| u < *end).map(|(_, b)| *b),
        _ => None,
    }
}

/// A code as people may write it: upper case, without dots ("u.s." → "US").
fn code_form(t: &str) -> String {
    t.chars().filter(|&c| c != '.').collect::<String>().to_uppercase()
}

/// The places and actors a folded name names, as written.
fn named<'a>(lib: &'a Library, text: &str) -> &'a [(Named, String)] {
    lib.name_index.get(&fold(text)).map(Vec::as_slice).unwrap_or(&[])
}

/// The actor whose own country is `place`.
fn actor_at(lib: &Library, place: PlaceId) -> Option<ActorId> {
    lib.actor_ids().find(|&a| lib.actor(a).home == Some(place))
}

/// Keeps the best-ranked candidates: lower rank wins, ties stay.
fn best<T: Copy + PartialEq>(cands: Vec<T>, rank: impl Fn(T) -> u8) -> Vec<T> {
    let Some(top) = cands.iter().map(|&c| rank(c)).min() else {
        return cands;
    };
    let mut out: Vec<T> = Vec::new();
    for c in cands {
        if rank(c) == top && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

fn ambiguous(what: &str, t: &str, mut labels: Vec<String>) -> LookupError {
    labels.sort();
    LookupError {
        message: format!("`{t}` names more than one {what}"),
        suggestions: labels,
    }
}

fn actor_label(lib: &Library, a: ActorId) -> String {
    format!("{} ({})", lib.actor(a).id, lib.actor(a).name)
}

fn place_label(lib: &Library, p: PlaceId) -> String {
    format!("{} ({})", lib.place(p).id, lib.place(p).name)
}

/// "Did you mean" among ids and the names and aliases that `keep` accepts, each shown with
/// the id it leads to.
fn suggest(lib: &Library, t: &str, ids: Vec<&str>, keep: impl Fn(Named) -> Option<String>) -> Vec<String> {
    let mut label = std::collections::BTreeMap::new();
    for (target, text) in lib.name_index.values().flatten() {
        if let Some(id) = keep(*target) {
            label.entry(text.as_str()).or_insert(id);
        }
    }
    let ids: Vec<&str> = ids;
    let cands = ids.iter().copied().chain(label.keys().copied());
    let hits: Vec<(String, String)> = did_you_mean(t, cands)
        .into_iter()
        .map(|s| {
            let id = label.get(s.as_str()).cloned().unwrap_or_else(|| s.clone());
            (s, id)
        })
        .collect();
    one_per_target(hits)
}

/// One suggestion per target, in order of first appearance: the id itself when it was
/// among the suggestions, else the first name with its id ("Ukraine (UKR)").
fn one_per_target(hits: Vec<(String, String)>) -> Vec<String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (s, id) in &hits {
        if out.iter().any(|(_, i)| i == id) {
            continue;
        }
        let shown = if hits.iter().any(|(s2, i2)| i2 == id && s2 == id) || s == id {
            id.clone()
        } else {
            format!("{s} ({id})")
        };
        out.push((shown, id.clone()));
    }
    out.into_iter().map(|(s, _)| s).collect()
}

/// An actor by id (`UKR`), Correlates of War code (`cow:369`), its country's ISO code
/// (`UA`), or a name or alias (`Ukraine`, `UK`, `Britain`, `Soviet Union`).
pub fn actor(lib: &Library, text: &str) -> Result<ActorId, LookupError> {
    let t = text.trim();
    if let Some(code) = t.strip_prefix("cow:") {
        let n: u16 = code.parse().map_err(|_| LookupError {
            message: format!("`{t}` is not a Correlates of War code (write cow:NNN, e.g. cow:365)"),
            suggestions: vec![],
        })?;
        return lib.actor_by_cow(n, None).ok_or_else(|| LookupError {
            message: format!("no actor has the Correlates of War code {n}"),
            suggestions: vec![],
        });
    }
    if let Some(a) = lib.find_actor(t).or_else(|| lib.find_actor(&t.to_uppercase())) {
        return Ok(a);
    }
    if let Some(a) = lib.find_actor(&code_form(t)) {
        return Ok(a);
    }
    let code = lib
        .find_place(&code_form(t))
        .filter(|&p| lib.place(p).kind == PlaceKind::Country);
    if let Some(a) = code.and_then(|p| actor_at(lib, p)) {
        return Ok(a);
    }
    let hits = named(lib, t);
    let cands: Vec<ActorId> = hits
        .iter()
        .filter_map(|(n, _)| match *n {
            Named::Actor(a) => Some(a),
            Named::Place(p) => actor_at(lib, p),
        })
        .collect();
    let cands = best(cands, |a| u8::from(lib.actor(a).historic));
    match cands.as_slice() {
        [a] => return Ok(*a),
        [] => {}
        many => {
            let labels = many.iter().map(|&a| actor_label(lib, a)).collect();
            return Err(ambiguous("actor", t, labels));
        }
    }
    // A place that is not an actor: say what it is and who to name instead.
    if let Some(p) = hits.iter().find_map(|(n, _)| match n {
        Named::Place(p) => Some(*p),
        Named::Actor(_) => None,
    }) {
        return Err(LookupError {
            message: format!(
                "`{t}` is a place, {}, not an actor: name the state that holds it, and the place with --place",
                place_label(lib, p)
            ),
            suggestions: vec![],
        });
    }
    let suggestions = suggest(lib, t, lib.actor_names().collect(), |n| match n {
        Named::Actor(a) => Some(lib.actor(a).id.clone()),
        Named::Place(p) => actor_at(lib, p).map(|a| lib.actor(a).id.clone()),
    });
    Err(LookupError {
        message: format!("unknown actor `{t}`"),
        suggestions,
    })
}

/// A place by ISO code (`UA-43`, `US`), an actor's id for its country (`USA`), a sea id, or
/// a name or alias (`Crimea`, `Hawaii`, `United States`).
pub fn place(lib: &Library, text: &str) -> Result<PlaceId, LookupError> {
    let t = text.trim();
    if let Some(p) = lib.find_place(t).or_else(|| lib.find_place(&t.to_uppercase())) {
        return Ok(p);
    }
    if let Some(p) = lib.find_place(&code_form(t)) {
        return Ok(p);
    }
    if let Some(home) = lib.find_actor(&code_form(t)).and_then(|a| lib.actor(a).home) {
        return Ok(home);
    }
    let cands: Vec<PlaceId> = named(lib, t)
        .iter()
        .filter_map(|(n, _)| match *n {
            Named::Place(p) => Some(p),
            Named::Actor(a) => lib.actor(a).home,
        })
        .collect();
    let cands = best(cands, |p| u8::from(lib.historic_places.contains(&p)));
    let cands = best(cands, |p| u8::from(lib.place(p).kind == PlaceKind::Subdivision));
    match cands.as_slice() {
        [p] => Ok(*p),
        [] => Err(LookupError {
            message: format!("unknown place `{t}`"),
            suggestions: suggest(lib, t, lib.place_names().collect(), |n| match n {
                Named::Place(p) => Some(lib.place(p).id.clone()),
                Named::Actor(a) => lib.actor(a).home.map(|p| lib.place(p).id.clone()),
            }),
        }),
        many => Err(ambiguous(
            "place",
            t,
            many.iter().map(|&p| place_label(lib, p)).collect(),
        )),
    }
}

pub fn org(lib: &Library, text: &str) -> Result<OrgId, LookupError> {
    let t = text.trim();
    lib.find_org(t)
        .or_else(|| lib.find_org(&t.to_uppercase()))
        .ok_or_else(|| LookupError {
            message: format!("unknown organisation `{t}`"),
            suggestions: did_you_mean(t, lib.org_names()),
        })
}

/// Everything a commitment is called: its id, title, short title and aliases.
pub(crate) fn commitment_names<'a>(lib: &'a Library, c: &'a Commitment) -> impl Iterator<Item = &'a str> {
    let aliases = lib.commitment_aliases.get(&c.id).into_iter().flatten();
    [c.id.as_str(), c.title.as_str()]
        .into_iter()
        .chain(c.short_title.as_deref())
        .chain(aliases.map(String::as_str))
}

/// A commitment by id (`north-atlantic-treaty`), or by its title, short title or an alias
/// (`NATO`, `Washington Treaty`).
pub fn commitment(lib: &Library, text: &str) -> Result<CommitmentId, LookupError> {
    let t = text.trim();
    if let Some(c) = lib.find_commitment(t) {
        return Ok(c);
    }
    let key = fold(t);
    let hits: Vec<CommitmentId> = lib
        .commitment_ids()
        .filter(|&c| commitment_names(lib, lib.commitment(c)).any(|n| fold(n) == key))
        .collect();
    match hits.as_slice() {
        [c] => Ok(*c),
        [] => {
            let mut label = std::collections::BTreeMap::new();
            for c in &lib.commitments {
                for n in commitment_names(lib, c) {
                    label.entry(n).or_insert(c.id.as_str());
                }
            }
            let hits = did_you_mean(t, label.keys().copied())
                .into_iter()
                .map(|s| {
                    let id = label[s.as_str()].to_string();
                    (s, id)
                })
                .collect();
            let suggestions = one_per_target(hits);
            Err(LookupError {
                message: format!("unknown commitment `{t}`"),
                suggestions,
            })
        }
        many => Err(ambiguous(
            "commitment",
            t,
            many.iter()
                .map(|&c| format!("{} ({})", lib.commitment(c).id, lib.commitment(c).title))
                .collect(),
        )),
    }
}

/// `parties`, `org:NATO`, or an actor.
pub fn group(lib: &Library, text: &str) -> Result<Group, LookupError> {
    let t = text.trim();
    if t == "parties" {
        return Ok(Group::Parties);
    }
    if let Some(o) = t.strip_prefix("org:") {
        return org(lib, o).map(Group::Org);
    }
    actor(lib, t).map(Group::Actor).map_err(|mut e| {
        if e.suggestions.is_empty() && lib.find_org(t).is_some() {
            e.suggestions.push(format!("org:{t}"));
        }
        e
    })
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Côte d’Ivoire"), "cote divoire");
        assert_eq!(fold("Cote d'Ivoire"), "cote divoire");
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("U.S.A."), "usa");
        assert_eq!(fold("  The  Gambia "), "gambia");
        assert_eq!(fold("Guinea-Bissau"), "guinea bissau");
        assert_eq!(fold("Åland Islands"), "aland islands");
        assert_eq!(fold("Bosnia & Herzegovina"), "bosnia and herzegovina");
        assert_eq!(fold("Łódzkie"), "lodzkie");
        assert_eq!(fold("Hà Nội"), "ha noi");
        assert_eq!(fold("the"), "the");
    }
}
