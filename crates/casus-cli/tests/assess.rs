//! `casus simulate` and `casus assess` as users run them.

use assert_cmd::Command;
use serde_json::Value;

fn casus() -> Command {
    let mut c = Command::cargo_bin("casus").expect("binary built");
    c.env("COLUMNS", "120").env_remove("CASUS_NMC");
    c
}

fn json(args: &[&str]) -> Value {
    let out = casus()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn option<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no option {id}"))
}

#[test]
fn assess_ukraine_json_contract() {
    let v = json(&[
        "assess",
        "ukraine",
        "--date",
        "2026-06-01",
        "--trials",
        "4000",
        "--draws",
        "16",
        "--draw-trials",
        "512",
    ]);
    let ids: Vec<&str> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "bilateral-2024",
            "budapest-style",
            "us-article5-like",
            "european-force",
            "nato-membership"
        ]
    );
    for o in v["options"].as_array().unwrap() {
        let keys: Vec<&String> = o.as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "id");
        assert_eq!(keys[1], "p_any_military_response", "the first metric");
        for k in [
            "p_any_military_response",
            "p_nuclear_guarantor_response",
            "p_military_within_7_days",
            "p_military_within_30_days",
        ] {
            assert!(
                o[k]["estimate"].is_f64() && o[k]["stderr"].is_f64(),
                "{k}: {}",
                o[k]
            );
        }
    }
    assert_eq!(v["header"]["trials_per_option"], 4000);
    // Designs with no obligation to use force give no military response.
    assert_eq!(
        option(&v, "bilateral-2024")["p_any_military_response"]["estimate"],
        0.0
    );
    assert_eq!(
        option(&v, "budapest-style")["p_any_military_response"]["estimate"],
        0.0
    );
    // Membership binds 32 allies; the US-led guarantee waits for one decider.
    let nato = option(&v, "nato-membership")["p_any_military_response"]["estimate"]
        .as_f64()
        .unwrap();
    let us = option(&v, "us-article5-like")["p_any_military_response"]["estimate"]
        .as_f64()
        .unwrap();
    assert!(nato > us && us > 0.0, "{nato} {us}");
    assert_eq!(option(&v, "nato-membership")["guarantors_bound"], 32);
    assert_eq!(option(&v, "nato-membership")["guarantors_bound_to_use_force"], 32);
    // Art. 4 and Art. 5 for each ally: one obligation each.
    assert_eq!(
        option(&v, "nato-membership")["guarantors"]
            .as_array()
            .unwrap()
            .len(),
        64
    );
    // Adding the US guarantee to today's agreements cannot lower the chance of support.
    let support = |id: &str| option(&v, id)["p_any_support"]["estimate"].as_f64().unwrap();
    assert!(
        support("us-article5-like") >= support("bilateral-2024") - 0.02,
        "{} {}",
        support("us-article5-like"),
        support("bilateral-2024")
    );
    let followers: Vec<&Value> = option(&v, "us-article5-like")["guarantors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["waits_for"].is_string())
        .collect();
    assert_eq!(
        followers.len(),
        5,
        "the European partners act in concert with the US"
    );
    // Without a capabilities file, capability comes from the built-in COW table: a number.
    for o in v["options"].as_array().unwrap() {
        assert!(o["capability_ratio_median"]["estimate"].is_f64(), "{}", o["id"]);
    }
    assert!(v["header"]["capabilities"]
        .as_str()
        .unwrap()
        .starts_with("CINC from COW NMC 7.0"));
    // The output contract of issue #12: bands from joint draws of the priors, the lead
    // guarantor, capability against multiples of the attacker's, the attacks and the
    // per-guarantor fields.
    assert_eq!(v["header"]["draws"], 16);
    for o in v["options"].as_array().unwrap() {
        let band = |k: &str| {
            o[k]["band"]
                .as_array()
                .map(|b| (b[0].as_f64().unwrap(), b[1].as_f64().unwrap()))
        };
        let (low, high) = band("p_any_military_response").expect("a band");
        assert!(low <= high);
        assert!(o["p_capability_ge_attacker"]["estimate"].is_f64());
        let ge: Vec<&String> = o["p_capability_ge"].as_object().unwrap().keys().collect();
        assert_eq!(ge, ["0.5", "1", "2"]);
        let by: Vec<&str> = o["by_attack"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["attack"].as_str().unwrap())
            .collect();
        assert_eq!(
            by,
            [
                "major-attack",
                "limited-incursion",
                "hybrid",
                "air-strikes",
                "occupied-territory"
            ]
        );
        for g in o["guarantors"].as_array().unwrap() {
            assert!(g["actor"].is_string() && g["p_honour"].is_f64() && g.get("capability_share").is_some());
        }
    }
    let nato = option(&v, "nato-membership");
    assert!(nato["p_lead_military_response"]["estimate"].is_f64());
    let (low, high) = (
        nato["p_any_military_response"]["band"][0].as_f64().unwrap(),
        nato["p_any_military_response"]["band"][1].as_f64().unwrap(),
    );
    assert!(
        high - low > 4.0 * nato["p_any_military_response"]["stderr"].as_f64().unwrap(),
        "the priors' band is wider than the Monte Carlo error"
    );
    assert!(option(&v, "bilateral-2024")
        .get("p_lead_military_response")
        .is_none());
    let attacks: Vec<&str> = v["attacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(attacks.len(), 5);
    assert!(v["attacks"][0]["description"].is_string());
    // The reported US proposal does not answer a limited incursion; NATO does.
    let cell = |o: &str, x: usize| {
        option(&v, o)["by_attack"][x]["p_any_military_response"]["estimate"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(cell("us-article5-like", 1), 0.0);
    assert!(cell("nato-membership", 1) > 0.3);
    // Each option against the strongest, shared among the design factors.
    for d in v["differences"].as_array().unwrap() {
        let sum: f64 = d["factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["contribution"].as_f64().unwrap())
            .sum();
        assert!((sum - d["difference"].as_f64().unwrap()).abs() < 1e-9, "{d}");
    }
    // Every parameter shown has its basis.
    for p in v["parameters"].as_array().unwrap() {
        assert!(p.get("source").is_some() || p.get("assumption").is_some(), "{p}");
    }
}

#[test]
fn same_seed_same_numbers_with_1_2_and_8_threads() {
    let run = |threads: &str, seed: &str| {
        let v = json(&[
            "assess",
            "ukraine",
            "--date",
            "2026-06-01",
            "--trials",
            "20000",
            "--seed",
            seed,
            "--threads",
            threads,
            "--draws",
            "12",
            "--draw-trials",
            "256",
        ]);
        let mut v = v["options"].clone();
        for o in v.as_array_mut().unwrap() {
            o.as_object_mut().unwrap().remove("label");
        }
        v
    };
    let one = run("1", "7");
    assert_eq!(one, run("2", "7"));
    assert_eq!(one, run("8", "7"));
    assert_ne!(one, run("2", "8"));
}

#[test]
fn simulate_the_library_as_it_stands() {
    let v = json(&[
        "simulate",
        "--attacker",
        "RUS",
        "--target",
        "EST",
        "--date",
        "2025-06-01",
    ]);
    let m = &v["metrics"];
    assert!(m["p_any_military_response"]["estimate"].as_f64().unwrap() > 0.5);
    assert!(m["p_any_military_response"]["stderr"].as_f64().unwrap() <= 0.005);
    let usa = v["guarantors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["actor"] == "USA")
        .unwrap();
    assert_eq!(usa["commitment"], "north-atlantic-treaty");
    assert!(usa["effects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["parameter"] == "honour.institution.integrated_command"));
    // Guarantors differ: the United States and Iceland, and why.
    let art5 = |a: &str| {
        v["guarantors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["actor"] == a && g["clause"] == "art5")
            .unwrap()
            .clone()
    };
    let (us, is) = (art5("USA"), art5("ISL"));
    assert!(us["p_honour"].as_f64().unwrap() > is["p_honour"].as_f64().unwrap() + 0.02);
    assert!(us["capability_share"].as_f64().unwrap() > 0.3);
    assert_eq!(us["lead"], true);
    assert!(is["effects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["parameter"] == "honour.capability" && e["log_odds"].as_f64().unwrap() < -0.8));
    assert_eq!(v["lead"], "USA");
}

#[test]
fn explain_difference_shares_add_up() {
    let v = json(&[
        "assess",
        "ukraine",
        "--date",
        "2026-06-01",
        "--trials",
        "2000",
        "--explain-difference",
        "nato-membership",
        "us-article5-like",
    ]);
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("nato-membership"), Some("us-article5-like"))
    );
    assert_eq!(v["metric"], "p_any_military_response");
    let factors = v["factors"].as_array().unwrap();
    assert_eq!(factors.len(), 8);
    let sum: f64 = factors.iter().map(|f| f["contribution"].as_f64().unwrap()).sum();
    let d = v["difference"].as_f64().unwrap();
    assert!(d < 0.0 && (sum - d).abs() < 1e-9, "{sum} vs {d}");
    let out = casus()
        .args([
            "assess",
            "ukraine",
            "--explain-difference",
            "nato-membership",
            "us-article5",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean us-article5-like"));
}

#[test]
fn simulate_explains_why_guarantors_differ() {
    let out = casus()
        .args([
            "simulate",
            "--attacker",
            "RUS",
            "--target",
            "EST",
            "--date",
            "2025-06-01",
            "--explain",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Why each guarantor's P(honour) differs"), "{text}");
    assert!(text.contains("capability") && text.contains("proximity") && text.contains("(major power)"));
    assert!(text.contains("P(military response by the lead guarantor)"));
}

#[test]
fn assess_writes_report_charts_and_per_trial_files() {
    let dir = std::env::temp_dir().join(format!("casus-assess-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = casus()
        .args([
            "assess",
            "ukraine",
            "--date",
            "2026-06-01",
            "--trials",
            "3000",
            "--draws",
            "8",
            "--draw-trials",
            "256",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in [
        "report.md",
        "summary.json",
        "response-over-time.svg",
        "sensitivity-nato-membership.svg",
        "trials.csv",
        "trials.parquet",
    ] {
        assert!(dir.join(f).exists(), "missing {f}");
    }
    let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(report.contains("± "), "numbers carry their uncertainty");
    assert!(report.contains("assumption:") && report.contains("source:"));
    assert!(report.contains("![Probability of a military response over time"));
    let csv = std::fs::read_to_string(dir.join("trials.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 5 * 3000);
    assert!(csv.starts_with("option,trial,responders"));
    let svg = std::fs::read_to_string(dir.join("response-over-time.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("nato-membership"));
    // Parquet: readable, all rows there (row groups of up to 65,536 rows, streamed).
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader = SerializedFileReader::new(std::fs::File::open(dir.join("trials.parquet")).unwrap()).unwrap();
    assert_eq!(reader.metadata().file_metadata().num_rows(), 5 * 3000);
    assert!(reader.metadata().num_row_groups() >= 1);
}

#[test]
fn committed_capability_from_the_cow_capabilities_file() {
    let nmc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cow-nmc-7.0/nmc_7.0_abridged_peacesciencer.csv");
    if !nmc.exists() {
        println!("skipped: data not found");
        return;
    }
    let dir = std::env::temp_dir().join(format!("casus-assess-cinc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = casus()
        .args([
            "assess",
            "ukraine",
            "--date",
            "2026-06-01",
            "--trials",
            "4000",
            "--draws",
            "0",
            "--format",
            "json",
            "--capabilities",
        ])
        .arg(&nmc)
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["header"]["capabilities"].as_str().unwrap().starts_with("CINC"),
        "{}",
        v["header"]["capabilities"]
    );
    // Budapest-style assurances commit nothing; membership commits a share of 32 allies' CINC.
    let median = |id: &str| {
        option(&v, id)["capability_ratio_median"]["estimate"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(median("budapest-style"), 0.0);
    assert!(
        median("nato-membership") > median("bilateral-2024"),
        "{} {}",
        median("nato-membership"),
        median("bilateral-2024")
    );
    let svg = std::fs::read_to_string(dir.join("capability.svg")).expect("the capability chart");
    assert!(svg.contains("nato-membership") && svg.contains("parity"));
}

#[test]
fn a_users_own_assessment_file() {
    let dir = std::env::temp_dir().join(format!("casus-own-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("baltic.toml");
    std::fs::write(
        &file,
        r#"
[assessment]
id = "baltic"
title = "Russia attacks Estonia"
event = { attacker = "RUS", target = "EST", date = "2025-06-01" }

[[option]]
id = "nato-only"
label = "NATO alone"
commitments = ["north-atlantic-treaty"]

[[option]]
id = "nato-and-eu"
label = "NATO and the EU"
commitments = ["north-atlantic-treaty", "treaty-on-european-union"]

[[parameter]]
id = "honour.stake"
actor = "USA"
value = 1.0
assumption = "a test: the US sees a high stake"
"#,
    )
    .unwrap();
    let v = json(&[
        "assess",
        file.to_str().unwrap(),
        "--trials",
        "4000",
        "--draws",
        "4",
        "--draw-trials",
        "256",
    ]);
    assert_eq!(v["event"]["date"], "2025-06-01");
    let a = option(&v, "nato-only")["guarantors_bound"].as_u64().unwrap();
    let b = option(&v, "nato-and-eu")["guarantors_bound"].as_u64().unwrap();
    assert_eq!((a, b), (31, 35), "the EU adds Austria, Ireland, Malta and Cyprus");
    let usa = option(&v, "nato-only")["guarantors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["actor"] == "USA")
        .unwrap();
    let deu = option(&v, "nato-only")["guarantors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["actor"] == "DEU")
        .unwrap();
    assert!(
        usa["p_honour"].as_f64().unwrap() > deu["p_honour"].as_f64().unwrap(),
        "the override applies to the US only"
    );
    // A mistake in it is located.
    std::fs::write(
        &file,
        "[assessment]\nid = \"x\"\ntitle = \"x\"\nevent = { attacker = \"RUS\", target = \"EST\" }\n[[option]]\nid = \"a\"\nlabel = \"a\"\ncommitments = [\"north-atlantic-treat\"]\n",
    )
    .unwrap();
    let out = casus().args(["check"]).arg(&file).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(":8:16: error: unknown commitment `north-atlantic-treat`")
            && text.contains("north-atlantic-treaty"),
        "{text}"
    );
}

#[test]
fn assess_rejects_bad_settings_clearly() {
    let out = casus().args(["assess", "ukrain"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean ukraine"));
    let out = casus()
        .args(["assess", "ukraine", "--precision", "0"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--precision"));
}

#[test]
fn parameters_are_listed_with_their_basis() {
    let v = json(&["list", "parameters"]);
    let base = v
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "honour.base_rate")
        .unwrap();
    assert_eq!(
        base["value"], 0.27,
        "per ally: bilateral defence pacts after 1945, 6 of 22"
    );
    assert!(base["source"].as_str().unwrap().contains("Berkemeier"));
    // One global value for every parameter the model reads.
    assert_eq!(v.as_array().unwrap().len(), casus_model::params::PARAMETERS.len());
}
