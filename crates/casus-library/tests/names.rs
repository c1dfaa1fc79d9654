//! Names people type: common English names, former names, codes and short titles resolve to
//! the right actor, place or commitment of the built-in library, and names that could mean
//! two things say so (issue 11, "Names people type").

use casus_model::{lookup, Library};

fn actor(lib: &Library, text: &str) -> Result<String, String> {
    lookup::actor(lib, text)
        .map(|a| lib.actor(a).id.clone())
        .map_err(|e| e.to_string())
}

fn place(lib: &Library, text: &str) -> Result<String, String> {
    lookup::place(lib, text)
        .map(|p| lib.place(p).id.clone())
        .map_err(|e| e.to_string())
}

fn commitment(lib: &Library, text: &str) -> Result<String, String> {
    lookup::commitment(lib, text)
        .map(|c| lib.commitment(c).id.clone())
        .map_err(|e| e.to_string())
}

const ACTORS: &[(&str, &str)] = &[
    ("UK", "GBR"),
    ("uk", "GBR"),
    ("Britain", "GBR"),
    ("Great Britain", "GBR"),
    ("United Kingdom", "GBR"),
    ("GB", "GBR"),
    ("US", "USA"),
    ("U.S.", "USA"),
    ("USA", "USA"),
    ("America", "USA"),
    ("United States", "USA"),
    ("United States of America", "USA"),
    ("South Korea", "KOR"),
    ("ROK", "KOR"),
    ("Republic of Korea", "KOR"),
    ("North Korea", "PRK"),
    ("DPRK", "PRK"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Turkey", "TUR"),
    ("Türkiye", "TUR"),
    ("Turkiye", "TUR"),
    ("Russia", "RUS"),
    ("Russian Federation", "RUS"),
    ("Soviet Union", "SUN"),
    ("USSR", "SUN"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("Czechoslovakia", "CSK"),
    ("Ivory Coast", "CIV"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d’Ivoire", "CIV"),
    ("Burma", "MMR"),
    ("Myanmar", "MMR"),
    ("Holland", "NLD"),
    ("the Netherlands", "NLD"),
    ("Taiwan", "TWN"),
    ("ROC", "TWN"),
    ("Republic of China", "TWN"),
    ("PRC", "CHN"),
    ("China", "CHN"),
    ("People's Republic of China", "CHN"),
    ("Iran", "IRN"),
    ("Persia", "IRN"),
    ("Moldova", "MDA"),
    ("Macedonia", "MKD"),
    ("North Macedonia", "MKD"),
    ("Swaziland", "SWZ"),
    ("Eswatini", "SWZ"),
    ("Cape Verde", "CPV"),
    ("Cabo Verde", "CPV"),
    ("Vatican", "VAT"),
    ("Vatican City", "VAT"),
    ("East Germany", "DDR"),
    ("West Germany", "DEU"),
    ("Germany", "DEU"),
    ("Ukraine", "UKR"),
    ("UA", "UKR"),
    ("Syria", "SYR"),
    ("Laos", "LAO"),
    ("Vietnam", "VNM"),
    ("North Vietnam", "VDR"),
    ("Yugoslavia", "YUG"),
    ("Zaire", "COD"),
    ("Ceylon", "LKA"),
    ("Kosovo", "XKX"),
    ("The Gambia", "GMB"),
    ("Bolivia", "BOL"),
    ("Tanzania", "TZA"),
    ("Venezuela", "VEN"),
    ("Palestine", "PSE"),
    ("East Timor", "TLS"),
    ("Georgia", "GEO"),
];

const PLACES: &[(&str, &str)] = &[
    ("Crimea", "UA-43"),
    ("Autonomous Republic of Crimea", "UA-43"),
    ("Sevastopol", "UA-40"),
    ("Donetsk", "UA-14"),
    ("Luhansk", "UA-09"),
    ("Zaporizhzhia", "UA-23"),
    ("Kherson", "UA-65"),
    ("Hawaii", "US-HI"),
    ("Guam", "GU"),
    ("Okinawa", "JP-47"),
    ("Greenland", "GL"),
    ("Transnistria", "MD-SN"),
    ("Abkhazia", "GE-AB"),
    ("Taiwan", "TW"),
    ("United States", "US"),
    ("UK", "GB"),
    ("England", "GB-ENG"),
    ("Georgia", "GE"),
    ("Puerto Rico", "PR"),
    ("Aland Islands", "AX"),
    ("Kaliningrad", "RU-KGD"),
    ("USA", "US"),
    ("Arima", "TT-ARI"),
];

const COMMITMENTS: &[(&str, &str)] = &[
    ("nato", "north-atlantic-treaty"),
    ("NATO", "north-atlantic-treaty"),
    ("washington treaty", "north-atlantic-treaty"),
    ("North Atlantic Treaty", "north-atlantic-treaty"),
    ("anzus", "anzus"),
    ("ANZUS Treaty", "anzus"),
    ("rio treaty", "rio-treaty"),
    ("TIAR", "rio-treaty"),
    ("CSTO", "collective-security-treaty"),
    ("Tashkent Treaty", "collective-security-treaty"),
    ("Budapest Memorandum", "budapest-memorandum"),
    ("TEU", "treaty-on-european-union"),
    ("Lisbon Treaty", "treaty-on-european-union"),
    ("SEATO", "manila-pact-1954"),
    ("Manila Pact", "manila-pact-1954"),
    ("Brussels Treaty", "modified-brussels-treaty"),
    ("Taiwan Relations Act", "taiwan-relations-act"),
];

#[test]
fn names_people_type_find_the_right_id() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let mut wrong = Vec::new();
    let mut typed = 0;
    for (kind, list, find) in [
        (
            "actor",
            ACTORS,
            actor as fn(&Library, &str) -> Result<String, String>,
        ),
        ("place", PLACES, place),
        ("commitment", COMMITMENTS, commitment),
    ] {
        for (text, want) in list {
            typed += 1;
            let got = find(lib, text);
            if got.as_deref() != Ok(*want) {
                wrong.push(format!("{kind} `{text}`: expected {want}, got {got:?}"));
            }
        }
    }
    assert!(typed >= 100, "only {typed} names typed");
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn names_that_mean_two_things_are_errors_listing_both() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    // "Korea": the two states are different sides of one war; casus will not guess.
    let e = actor(lib, "Korea").unwrap_err();
    assert!(e.contains("KOR") && e.contains("PRK"), "{e}");
    let e = place(lib, "korea").unwrap_err();
    assert!(e.contains("KR (") && e.contains("KP ("), "{e}");
    // "Congo": ISO's name for CG, and the head of ISO's name for CD.
    let e = actor(lib, "Congo").unwrap_err();
    assert!(e.contains("COG") && e.contains("COD"), "{e}");
    let e = place(lib, "Virgin Islands").unwrap_err();
    assert!(e.contains("VG (") && e.contains("VI ("), "{e}");
}

#[test]
fn what_used_to_go_wrong_now_goes_right() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    // Once: `UK` suggested Ukraine, `US` Australia, "South Korea" South Africa,
    // `--place Crimea` "Arima", `show nato` nothing.
    assert_eq!(actor(lib, "UK").as_deref(), Ok("GBR"));
    assert_eq!(actor(lib, "US").as_deref(), Ok("USA"));
    assert_eq!(actor(lib, "South Korea").as_deref(), Ok("KOR"));
    assert_eq!(place(lib, "Crimea").as_deref(), Ok("UA-43"));
    assert_eq!(commitment(lib, "nato").as_deref(), Ok("north-atlantic-treaty"));
    // A place typed as an actor says what it is.
    let e = actor(lib, "Crimea").unwrap_err();
    assert!(e.contains("UA-43") && e.contains("not an actor"), "{e}");
    // A typo still gets "did you mean", now among names and aliases too.
    let e = actor(lib, "Ukrain").unwrap_err();
    assert!(e.contains("UKR"), "{e}");
    let e = place(lib, "Crimee").unwrap_err();
    assert!(e.contains("UA-43"), "{e}");
    let e = commitment(lib, "washington treat").unwrap_err();
    assert!(e.contains("north-atlantic-treaty"), "{e}");
    assert!(actor(lib, "Ruritania").is_err());
}
