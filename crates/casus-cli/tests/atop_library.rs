//! `--library atop:DIR`: ATOP's alliances as commitments, on the real ATOP 5.1 files in
//! ../shared/data (skipped when they are absent).

mod common;

use serde_json::Value;

use common::shared;

fn run(args: &[&str]) -> Value {
    common::json(args)
}

#[test]
fn germany_attacking_russia_in_1914_binds_france_under_the_franco_russian_alliance() {
    let Some(dir) = shared("atop-5.1") else {
        println!("skipped: data not found");
        return;
    };
    let lib = format!("--library=atop:{}", dir.display());
    let v = run(&[
        "obligations",
        "--attacker",
        "cow:255",
        "--target",
        "cow:365",
        "--date",
        "1914-08-01",
        &lib,
    ]);
    let obl = v["obligations"].as_array().unwrap();
    let owed: Vec<(&str, &str, &str, &str)> = obl
        .iter()
        .map(|o| {
            (
                o["commitment"].as_str().unwrap(),
                o["clause"].as_str().unwrap(),
                o["obligor"].as_str().unwrap(),
                o["strength"].as_str().unwrap(),
            )
        })
        .collect();
    // The Franco-Russian military convention (ATOP 1385): France owes Russia defence.
    assert!(
        owed.contains(&("atop-1385", "defence", "FRA", "action_deemed_necessary")),
        "{owed:?}"
    );
    // The Franco-Russian consultation pact (1380); Italy and Japan owe Russia consultation.
    assert!(
        owed.contains(&("atop-1380", "consultation", "FRA", "consult")),
        "{owed:?}"
    );
    assert!(owed.iter().all(|o| o.2 != "DEU" && o.2 != "RUS"), "{owed:?}");
    let f = obl.iter().find(|o| o["commitment"] == "atop-1385").unwrap();
    assert_eq!(f["citation"]["document"], "ATOP alliance 1385");
    assert_eq!(f["citation"]["article"], "ATOP `defense`");
    assert!(
        f["citation"]["source"].as_str().unwrap().contains("atopid 1385"),
        "{f}"
    );
    // The Dual Alliance names Russia as the adversary: Austria-Hungary (COW 300, an actor made
    // from the COW state system) owes Germany defence if Russia attacks, not the other way round.
    let v = run(&[
        "obligations",
        "--attacker",
        "cow:365",
        "--target",
        "cow:255",
        "--date",
        "1914-08-01",
        &lib,
        "--commitment",
        "atop-1335",
    ]);
    let o = &v["obligations"][0];
    assert_eq!(
        (o["obligor"].as_str(), o["clause"].as_str()),
        (Some("COW-AUH"), Some("defence")),
        "{v}"
    );
    // Cascade: France is drawn in on Russia's side.
    let c = run(&[
        "cascade",
        "--attacker",
        "cow:255",
        "--target",
        "cow:365",
        "--date",
        "1914-08-01",
        &lib,
    ]);
    let sides = c["sides"].as_array().unwrap();
    assert!(
        sides
            .iter()
            .any(|s| s["actor"] == "FRA" && s["side"] == "defender"),
        "{sides:?}"
    );
    // After ATOP's coverage the answer is unknown, never no.
    let v = run(&[
        "obligations",
        "--attacker",
        "RUS",
        "--target",
        "EST",
        "--date",
        "2020-06-01",
        &lib,
        "--commitment",
        "atop-3180-p2",
    ]);
    assert_eq!(v["obligations"].as_array().unwrap().len(), 0);
    let unknown = v["unknown"].as_array().unwrap();
    assert!(unknown.iter().any(|u| u["clause"] == "defence"), "{v}");
}

#[test]
fn cow_files_are_imported_by_content() {
    let (Some(states), Some(nmc)) = (shared("cow-state-system-2016"), shared("cow-nmc-7.0")) else {
        println!("skipped: data not found");
        return;
    };
    let store = std::env::temp_dir().join(format!("casus-cow-import-{}", std::process::id()));
    let run_in = |args: &[&str]| -> Value {
        let out = common::casus()
            .env("CASUS_DATA_DIR", &store)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = run_in(&["data", "import", "cow", states.to_str().unwrap()]);
    assert_eq!(v["states"], 217, "{v}");
    assert_eq!(v["majors"], 14, "{v}");
    let v = run_in(&["data", "import", "cow", nmc.to_str().unwrap()]);
    assert!(v["capabilities"].as_u64().unwrap() > 15_000, "{v}");
    assert_eq!(v["states"], 217, "the state system stays: {v}");
    let list = run_in(&["data", "list"]);
    let cow = list["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dataset"] == "cow")
        .cloned()
        .unwrap();
    assert_eq!(cow["coverage"][0], 1816, "{cow}");
    let _ = std::fs::remove_dir_all(&store);
}

#[test]
fn calibrate_draws_a_calibration_plot() {
    let (Some(cases), Some(atop), Some(_)) = (
        shared("alliance-reliability-berkemeier-fuhrmann-2018/BerkemeierFuhrmannRAP2018_0303.csv"),
        shared("atop-5.1"),
        shared("cow-state-system-2016/majors2016.csv"),
    ) else {
        println!("skipped: data not found");
        return;
    };
    let svg = std::env::temp_dir().join(format!("casus-calibration-{}.svg", std::process::id()));
    run(&[
        "calibrate",
        "--cases",
        cases.to_str().unwrap(),
        "--atop",
        atop.to_str().unwrap(),
        "--chart",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.starts_with("<svg") && text.contains("perfect calibration") && text.contains("base rate 0.50"),
        "{}",
        &text[..200.min(text.len())]
    );
    let _ = std::fs::remove_file(&svg);
}
