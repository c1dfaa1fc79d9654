//! `casus calibrate` on the real case data in ../shared/data (skipped when absent).

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    p.exists().then_some(p)
}

#[test]
fn calibrates_out_of_sample_and_writes_priors_that_load() {
    let (Some(cases), Some(atop), Some(_), Some(_)) = (
        shared("alliance-reliability-berkemeier-fuhrmann-2018/BerkemeierFuhrmannRAP2018_0303.csv"),
        shared("atop-5.1"),
        shared("cow-state-system-2016/majors2016.csv"),
        shared("cow-nmc-7.0/nmc_7.0_abridged_peacesciencer.csv"),
    ) else {
        println!("skipped: data not found");
        return;
    };
    let dir = std::env::temp_dir().join(format!("casus-calibrate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("credibility.toml");
    let run = Command::cargo_bin("casus")
        .unwrap()
        .args([
            "calibrate",
            "--cases",
            cases.to_str().unwrap(),
            "--atop",
            atop.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let v: Value = serde_json::from_slice(&run.stdout).unwrap();
    let (_, schema) = casus_api::schemas()
        .into_iter()
        .find(|(n, _)| *n == "calibrate")
        .unwrap();
    let validator = jsonschema::validator_for(&serde_json::to_value(&schema).unwrap()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The literature base rate is the library's own prior (library/priors/credibility.toml).
    assert_eq!(v["quality"][0]["model"], "literature base rate 0.14 (not fitted)");
    // All 146 cases of performance under the LLM coding (73 honoured, 73 violated).
    assert_eq!(v["cases"], 146);
    let q = v["quality"].as_array().unwrap();
    assert_eq!(q.len(), 4);
    let (lit, base, previous, model) = (&q[0], &q[1], &q[2], &q[3]);
    for m in q {
        assert!(m["log_loss"].as_f64().unwrap() > 0.0 && m["brier"].as_f64().unwrap() > 0.0);
    }
    // The base rate alone is ~ln 2 for a 50% rate; the model beats it and the literature default.
    assert!((base["log_loss"].as_f64().unwrap() - 0.69).abs() < 0.02, "{base}");
    assert!(model["log_loss"].as_f64().unwrap() < base["log_loss"].as_f64().unwrap());
    assert!(model["brier"].as_f64().unwrap() < lit["brier"].as_f64().unwrap());
    assert!(previous["log_loss"].as_f64().unwrap() < base["log_loss"].as_f64().unwrap());
    // Conditions, strength and relative capability are in the model and each group is ablated.
    let names: Vec<&str> = v["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["feature"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"condition: specific adversary")
            && names.contains(&"capability: strongest member's share")
            && names.contains(&"strength: active support promised"),
        "{names:?}"
    );
    let ablation = v["ablation"].as_array().unwrap();
    assert_eq!(ablation.len(), 8);
    for a in ablation {
        let gain = a["gain"].as_f64().unwrap();
        assert!(gain.is_finite() && gain.abs() < 0.2, "{a}");
    }
    // The priors come from whichever model did better out of sample.
    let prior_model = v["prior_model"].as_str().unwrap();
    let better = if previous["log_loss"].as_f64() < model["log_loss"].as_f64() {
        "type, era, major power, size and institutions"
    } else {
        "all features"
    };
    assert_eq!(prior_model, better);
    assert_eq!(v["calibration"].as_array().unwrap().len(), 10);
    let written: Vec<&str> = v["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(written[0], "honour.base_rate");
    let rate = v["written"][0]["value"].as_f64().unwrap();
    assert!(
        rate > 0.0 && rate < 0.41,
        "post-1945 defence commitments are honoured less often: {rate}"
    );
    // The file loads: no errors, the parameter replaces the built-in one.
    let check = Command::cargo_bin("casus")
        .unwrap()
        .args(["check", out.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{text}");
    assert!(text.contains(" 0 errors"), "{text}");
    assert!(text.contains("parameter `honour.base_rate` replaces"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
