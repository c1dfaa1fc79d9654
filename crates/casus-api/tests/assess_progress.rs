//! Every stage of an assessment reports progress: a server cancels a job from the progress
//! callback, so a stage that reported nothing could not be cancelled until it ended.

use casus_api::assess::{assess, AssessRequest};

#[test]
fn every_stage_of_an_assessment_reports_its_progress() {
    let loaded = casus_library::load();
    let req: AssessRequest = serde_json::from_value(serde_json::json!({
        "which": "ukraine", "trials": 2048, "seed": 1, "threads": 1, "draws": 4, "draw_trials": 512
    }))
    .unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut calls: Vec<(String, u64, u64)> = vec![];
    assess(
        &loaded.library,
        &[],
        &req,
        date,
        None,
        &mut |stage, d, n| calls.push((stage.to_string(), d, n)),
        None,
    )
    .unwrap();
    for stage in [
        "simulating",
        "independent guarantors",
        "attacks",
        "bands",
        "differences",
    ] {
        assert!(
            calls.iter().any(|c| c.0 == stage),
            "no progress from `{stage}`: {calls:?}"
        );
    }
    // The attacks count up to one planned total across all attacks.
    let attacks: Vec<&(String, u64, u64)> = calls.iter().filter(|c| c.0 == "attacks").collect();
    let planned = attacks[0].2;
    assert!(attacks.iter().all(|c| c.2 == planned));
    assert!(attacks.windows(2).all(|w| w[0].1 <= w[1].1), "{attacks:?}");
    assert_eq!(attacks.last().unwrap().1, planned);
}
