//! Loading and checking never panic: arbitrary text, and every library file mutated
//! (bytes flipped, lines dropped or doubled, values swapped), must give diagnostics,
//! not a crash. The engine, asked about any event, keeps its invariants.

use casus_engine::{cascade, obligations};
use casus_model::*;
use casus_syntax::SourceFile;
use proptest::prelude::*;

fn builtin() -> Vec<SourceFile> {
    casus_library::files()
}

/// Replaces one file of the library with a mutated version and loads everything.
fn load_with(index: usize, text: String) -> Loaded {
    let mut files = builtin();
    let i = index % files.len();
    files[i].text = text;
    casus_model::load(&files)
}

fn mutate(text: &str, op: u8, at: usize, byte: u8) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let n = lines.len().max(1);
    match op % 5 {
        0 => {
            // Flip a byte (kept valid UTF-8 by going through lossy conversion).
            let mut b = text.as_bytes().to_vec();
            if !b.is_empty() {
                let i = at % b.len();
                b[i] = byte;
            }
            String::from_utf8_lossy(&b).into_owned()
        }
        1 => {
            if !lines.is_empty() {
                lines.remove(at % n);
            }
            lines.join("\n")
        }
        2 => {
            if !lines.is_empty() {
                let l = lines[at % n];
                lines.insert(at % n, l);
            }
            lines.join("\n")
        }
        3 => {
            // Truncate anywhere (on a character boundary).
            let mut i = at % (text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            text[..i].to_string()
        }
        _ => text.replacen('"', &String::from(byte as char), 1 + at % 3),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_toml_text_never_panics(text in "\\PC{0,400}", index in 0usize..1000) {
        let mut files = builtin();
        files.push(SourceFile::new("user/arbitrary.toml", text.clone()));
        let loaded = casus_model::load(&files);
        // The built-in files are untouched, so every error must be in the user's file.
        for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            prop_assert_eq!(&d.path, "user/arbitrary.toml");
        }
        let _ = load_with(index, text);
    }

    #[test]
    fn mutated_library_files_give_diagnostics_not_panics(index in 0usize..1000, op in 0u8..5, at in 0usize..100_000, byte in 0u8..128) {
        let files = builtin();
        let original = &files[index % files.len()];
        let text = mutate(&original.text, op, at, byte);
        let changed = text != original.text;
        let loaded = load_with(index, text);
        for d in &loaded.diagnostics {
            prop_assert!(d.start.line >= 1 && d.start.column >= 1);
        }
        if !changed {
            prop_assert!(!loaded.has_errors());
        }
    }

    #[test]
    fn structured_toml_with_wrong_types_never_panics(
        key in prop::sample::select(vec!["id", "kind", "signed", "parties", "strength", "obligors", "trigger", "scope", "member", "from", "until", "place", "event", "expect", "lat"]),
        value in prop::sample::select(vec!["1", "\"\"", "[]", "{}", "true", "1979-02-30", "\"9999-99-99\"", "[1, 2]", "{ a = 1 }", "\"org:\"", "\"cow:abc\"", "-1e400"]),
        section in prop::sample::select(vec!["commitment", "[clause]", "[scenario]", "organisation", "[actor]", "[territory]", "[sea]"]),
    ) {
        let header = format!("[{section}]");
        let text = format!("{header}\n{key} = {value}\n");
        let mut files = builtin();
        files.push(SourceFile::new("user/typed.toml", text));
        let _ = casus_model::load(&files);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn any_event_keeps_the_engine_invariants(
        a in 0u32..1000, t in 0u32..1000, p in 0u32..100_000, days in -60_000i64..40_000,
        kind in 0usize..5, against in 0usize..2, severity in 0usize..3, provoked: bool, assume: bool,
    ) {
        let loaded = casus_library::load();
        let lib = &loaded.library;
        let n = lib.actors.len() as u32;
        let event = Event {
            attacker: ActorId(a % n),
            target: ActorId(t % n),
            place: PlaceId(p % lib.places.len() as u32),
            against: Object::ALL[against],
            kind: EventKind::ALL[kind],
            severity: Severity::ALL[severity],
            date: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days),
            provoked,
            assume_proposals: assume,
        };
        let r = obligations(lib, &event);
        for o in &r.obligations {
            prop_assert!(o.obligor != event.target && o.obligor != event.attacker);
            prop_assert_eq!(o.explanation.outcome, Truth::Yes);
        }
        for x in &r.not_triggered {
            prop_assert_eq!(x.explanation.outcome, Truth::No);
        }
        for x in &r.unknown {
            prop_assert_eq!(x.explanation.outcome, Truth::Unknown);
        }
        let c = cascade(lib, &event, 2, Strength::Assist);
        let mut seen = std::collections::BTreeSet::new();
        for j in &c.joiners {
            prop_assert!(seen.insert(j.actor), "an actor appears twice");
            prop_assert_eq!(j.chain.len(), j.depth);
        }
    }
}
