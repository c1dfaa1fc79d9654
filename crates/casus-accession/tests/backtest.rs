//! The backtest: scores with closed forms, no peeking, and the real rounds.

use casus_accession::*;
use chrono::Days;

#[test]
fn scores_match_their_closed_forms() {
    // Interval score: width, plus 20 × the miss.
    assert_eq!(interval_score(100.0, 300.0, 200.0), 200.0);
    assert_eq!(interval_score(100.0, 300.0, 350.0), 200.0 + 20.0 * 50.0);
    assert_eq!(interval_score(100.0, 300.0, 90.0), 200.0 + 20.0 * 10.0);
    // CRPS of a point forecast is the absolute error; of a uniform, its closed form.
    assert!((crps_sorted(&[5.0; 10], 8.0) - 3.0).abs() < 1e-12);
    let xs: Vec<f64> = (0..100_000)
        .map(|i| 100.0 + 200.0 * (i as f64 + 0.5) / 100_000.0)
        .collect();
    for y in [50.0, 150.0, 290.0, 400.0] {
        let (a, b) = (crps_sorted(&xs, y), crps_uniform(100.0, 300.0, y));
        assert!((a - b).abs() < 1e-3, "y={y}: {a} vs {b}");
    }
}

#[test]
fn a_backtest_fitted_on_later_data_is_refused() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let nato = lib.find_org("NATO").unwrap();
    let fb = config::fallbacks(lib).unwrap();
    let setup = config::setup(lib, None).unwrap();
    let round = lib
        .enlargements
        .iter()
        .find(|e| e.org == nato && e.candidates.contains(&lib.find_actor("MKD").unwrap()))
        .unwrap();
    // Fitted on everything, Finland and Sweden included: refused, naming the rounds.
    let all = fit(lib, nato, &|_| false, &fb);
    let err = replay(lib, round, &all, &setup, 500, 1, 0.2)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("refused") && err.contains("FIN (2022-07-05)") && err.contains("MKD"),
        "{err}"
    );
    // Fitted as of the day after the signature: accepted.
    let ok = fit_as_of(lib, nato, round.protocol_signed.earliest + Days::new(1), &fb);
    let row = replay(lib, round, &ok, &setup, 500, 1, 0.2).unwrap();
    assert!(row
        .fitted_on
        .iter()
        .all(|r| !r.starts_with("FIN") && !r.starts_with("MKD")));
}

fn print(rows: &[BacktestRow]) {
    println!("round | as of | actual | p05 | p50 | p95 | PIT | model IS | model CRPS | naive range | naive IS | naive CRPS");
    for r in rows {
        let b = r.baseline;
        println!(
            "{} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} | {} | {} | {}",
            r.round,
            r.as_of,
            r.actual_days,
            r.p05_days,
            r.p50_days,
            r.p95_days,
            r.pit,
            r.model.interval_score,
            r.model.crps,
            b.map_or("—".into(), |b| format!("{:.0}–{:.0}", b.low, b.high)),
            b.map_or("—".into(), |b| format!("{:.0}", b.interval_score)),
            b.map_or("—".into(), |b| format!("{:.0}", b.crps)),
        );
    }
}

#[test]
fn nato_rounds_replayed_from_the_day_after_signature() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let nato = lib.find_org("NATO").unwrap();
    let fb = config::fallbacks(lib).unwrap();
    let rate = config::opposes_change_per_year(lib).unwrap();
    let worlds = std::env::var("WORLDS").ok().map(|w| w.parse().unwrap());
    let setup = config::setup(lib, worlds).unwrap();
    let rows = backtest_rounds(lib, nato, &fb, &setup, 4000, 1, rate).unwrap();
    print(&rows);
    assert_eq!(rows.len(), 10);
    let since: Vec<&BacktestRow> = rows
        .iter()
        .filter(|r| r.protocol_signed.as_str() >= "2003")
        .collect();
    let s = summarise(&since);
    println!("{s:#?}");
    for r in &rows {
        assert!(r.fitted_on.iter().all(|f| {
            let date = f.rsplit('(').next().unwrap().trim_end_matches(')');
            date < r.as_of.as_str()
        }));
    }
}

#[test]
fn eu_rounds_replayed_from_the_day_after_signature() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let eu = lib.find_org("EU").unwrap();
    let fb = config::fallbacks(lib).unwrap();
    let rate = config::opposes_change_per_year(lib).unwrap();
    let worlds = std::env::var("WORLDS").ok().map(|w| w.parse().unwrap());
    let setup = config::setup(lib, worlds).unwrap();
    let rows = backtest_rounds(lib, eu, &fb, &setup, 4000, 1, rate).unwrap();
    print(&rows);
    assert_eq!(rows.len(), 7);
    println!("{:#?}", summarise(&rows.iter().collect::<Vec<_>>()));
}

#[test]
fn finland_and_sweden_as_of_the_protocols_are_inside_short_intervals_and_differ_for_a_reason() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let nato = lib.find_org("NATO").unwrap();
    let fb = config::fallbacks(lib).unwrap();
    let setup = config::setup(lib, None).unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2022, 7, 5).unwrap();
    let model = fit_as_of(lib, nato, as_of, &fb);
    assert!(model
        .rounds_used
        .iter()
        .all(|r| !r.starts_with("FIN") && !r.starts_with("SWE")));
    let mut out = vec![];
    for (c, real) in [("FIN", "2023-04-04"), ("SWE", "2024-03-07")] {
        let q = Query {
            org: nato,
            candidate: lib.find_actor(c).unwrap(),
            as_of,
            until: as_of + Days::new(3653),
            trials: 10_000,
            seed: 1,
            overrides: vec![],
            opposes_change_per_year: config::opposes_change_per_year(lib).unwrap(),
        };
        let f = forecast(lib, &q, &setup, &model);
        let (lo, hi) = (f.quantiles.p05.clone().unwrap(), f.quantiles.p95.clone().unwrap());
        println!("{c}: p05 {lo} p50 {:?} p95 {hi}; real {real}", f.quantiles.p50);
        assert!(
            lo.as_str() <= real && real <= hi.as_str(),
            "{c}: {lo}..{hi} vs {real}"
        );
        let (a, b) = (
            chrono::NaiveDate::parse_from_str(&lo, "%Y-%m-%d").unwrap(),
            chrono::NaiveDate::parse_from_str(&hi, "%Y-%m-%d").unwrap(),
        );
        assert!((b - a).num_days() <= 3 * 365 + 1, "{c}: {lo}..{hi}");
        out.push(f);
    }
    // They differ, and the reason is stated: Sweden's part of the memorandum holds Turkey back.
    assert_ne!(out[0].quantiles.p50, out[1].quantiles.p50);
    assert!(out[0].gates.is_empty());
    let g = &out[1].gates[0];
    assert_eq!(
        (g.id.as_str(), g.member.as_deref()),
        ("sweden-terror-law", Some("TUR"))
    );
    assert!(g.p_member_without_it >= out[1].p_member_by_until);
    // Turkey is the likeliest missing consent for both, and the last to ratify.
    for f in &out {
        assert_eq!(f.pivotal[0].member, "TUR", "{:?}", &f.pivotal[..3]);
    }
}

#[test]
fn over_the_nato_rounds_since_2003_the_model_beats_the_naive_range() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let nato = lib.find_org("NATO").unwrap();
    let fb = config::fallbacks(lib).unwrap();
    let rate = config::opposes_change_per_year(lib).unwrap();
    let rows = backtest_rounds(lib, nato, &fb, &config::setup(lib, None).unwrap(), 4000, 1, rate).unwrap();
    let since: Vec<&BacktestRow> = rows
        .iter()
        .filter(|r| r.protocol_signed.as_str() >= "2003")
        .collect();
    assert_eq!(since.len(), 6);
    let s = summarise(&since);
    assert!(
        s.model_mean_interval_score < s.baseline_mean_interval_score,
        "{} vs {}",
        s.model_mean_interval_score,
        s.baseline_mean_interval_score
    );
    assert!(s.inside_90 >= 5, "{s:?}");
}

#[test]
fn the_backtest_reports_each_round_as_it_finishes_and_gives_the_same_rows() {
    let loaded = casus_library::load();
    let lib = &loaded.library;
    let nato = lib.find_org("NATO").unwrap();
    let fb = config::fallbacks(lib).unwrap();
    let rate = config::opposes_change_per_year(lib).unwrap();
    let setup = config::setup(lib, None).unwrap();
    let mut seen = vec![];
    let rows = backtest_rounds_with(lib, nato, &fb, &setup, 500, 1, rate, &mut |d, n| {
        seen.push((d, n))
    })
    .unwrap();
    let n = rows.len() as u64;
    // Once before the first round, then once after each.
    assert_eq!(seen, (0..=n).map(|d| (d, n)).collect::<Vec<_>>());
    let plain = backtest_rounds(lib, nato, &fb, &setup, 500, 1, rate).unwrap();
    assert_eq!(format!("{rows:?}"), format!("{plain:?}"));
}
