//! A document whose end is an event, not a date (`duration.ends_on`): it ends, or comes up
//! for review, once an actor is a member of an organisation; errors in it are located.

use casus_engine::obligations::in_force as in_force_check;
use casus_model::*;
use casus_syntax::SourceFile;

const COUNTRIES: &str =
    "alpha2\talpha3\tnumeric\tname\tcontinent\tlat\tlon\tsovereign_state\tcow_code\tstatus
AA\tAAA\t001\tAlpha\teurope\t50.0\t10.0\tyes\t1\tcurrent
BB\tBBB\t002\tBeta\teurope\t52.0\t12.0\tyes\t2\tcurrent
CC\tCCC\t003\tGamma\tasia\t40.0\t60.0\tyes\t3\tcurrent
";

const SUBDIVISIONS: &str = "code\tname\ttype\tparent\tlat\tlon\n";

const CLUB: &str = r#"
[organisation]
id = "CLUB"
name = "Club"
founded = "1950-01-01"
source = "invented"
member = [
  { actor = "AAA", from = "1950-01-01" },
  { actor = "BBB", from = "2030-01-01" },
  { actor = "CCC", from = "2031-05" },
]
"#;

fn deal(id: &str, member: &str, effect: &str) -> String {
    format!(
        r#"
[commitment]
id = "{id}"
title = "Deal {id}"
kind = "political_declaration"
binding = "political"
in_force = "2024-01-01"
parties = ["AAA", "{member}"]
source = "invented"
duration = {{ term = "fixed", years = 10, renewable = true, ends_on = {{ member = "{member}", org = "CLUB", effect = "{effect}", text = "if it joins the Club, the parties will decide on the future of this deal" }} }}

[[clause]]
id = "help"
article = "Art. 1"
quote = "help"
verified = "primary"
obligors = ["AAA"]
beneficiaries = ["{member}"]
strength = "assist"
trigger = {{ event = "armed_attack" }}
decision = {{ rule = "individual" }}
"#
    )
}

fn load_with(extra: &[(&str, String)]) -> Loaded {
    let mut files = vec![
        SourceFile::new("w/countries.tsv", COUNTRIES),
        SourceFile::new("w/subdivisions.tsv", SUBDIVISIONS),
        SourceFile::new("w/club.toml", CLUB),
    ];
    for (path, text) in extra {
        files.push(SourceFile::new(*path, text.as_str()));
    }
    load(&files)
}

fn world() -> Library {
    let loaded = load_with(&[
        ("w/review.toml", deal("review", "BBB", "review")),
        ("w/ends.toml", deal("ends", "BBB", "ends")),
        ("w/partial.toml", deal("partial", "CCC", "ends")),
    ]);
    let errors: Vec<String> = loaded.diagnostics.iter().map(|d| d.short()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    loaded.library
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Whether `deal` is in force on `date`, and why.
fn in_force(lib: &Library, deal: &str, date: &str) -> (Truth, String) {
    let c = lib.commitment(lookup::commitment(lib, deal).unwrap());
    let x = in_force_check(lib, c, day(date), false);
    (x.outcome, x.detail)
}

#[test]
fn before_the_event_the_deal_applies() {
    let lib = world();
    assert_eq!(in_force(&lib, "review", "2029-12-31").0, Truth::Yes);
    assert_eq!(in_force(&lib, "ends", "2029-12-31").0, Truth::Yes);
}

#[test]
fn review_leaves_it_unknown_and_ends_ends_it() {
    let lib = world();
    let (t, detail) = in_force(&lib, "review", "2030-01-01");
    assert_eq!(t, Truth::Unknown);
    assert!(
        detail.contains("BBB is a member of CLUB") && detail.contains("decide its future"),
        "{detail}"
    );
    let (t, detail) = in_force(&lib, "ends", "2030-01-01");
    assert_eq!(t, Truth::No);
    assert!(detail.contains("the document ends then"), "{detail}");
}

#[test]
fn a_membership_known_only_to_the_month_makes_the_end_unknown() {
    let lib = world();
    assert_eq!(in_force(&lib, "partial", "2031-04-30").0, Truth::Yes);
    let (t, detail) = in_force(&lib, "partial", "2031-05-15");
    assert_eq!(t, Truth::Unknown);
    assert!(detail.contains("may be a member"), "{detail}");
    assert_eq!(in_force(&lib, "partial", "2031-06-01").0, Truth::No);
}

#[test]
fn errors_in_ends_on_are_located() {
    let text = deal("bad", "BBB", "revew").replace("org = \"CLUB\"", "org = \"CLUBB\"");
    let loaded = load_with(&[("w/bad.toml", text)]);
    let msgs: Vec<String> = loaded.diagnostics.iter().map(|d| d.short()).collect();
    let effect = msgs
        .iter()
        .find(|m| m.contains("unknown effect `revew`"))
        .expect("effect error");
    assert!(effect.starts_with("w/bad.toml:10:"), "{effect}");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("w/bad.toml:10:") && m.contains("CLUBB")),
        "{msgs:#?}"
    );
    let unknown_key = deal("k", "BBB", "ends").replace("effect =", "efect =");
    let loaded = load_with(&[("w/key.toml", unknown_key)]);
    let d = &loaded.diagnostics[0];
    assert!(d.short().contains("unknown field `efect`"), "{}", d.short());
    assert_eq!(d.hints, vec!["did you mean `effect`?"]);
}
