//! The sweep's promises: known answers (Ishigami's Sobol indices, a planted PRIM box), rows
//! independent of sharding, and resumption after a kill.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use casus_sweep::prim::{discover, prim, Threshold};
use casus_sweep::sobol::sobol;
use casus_sweep::workdir::{self, run_shard, RunInfo, Shard};
use casus_sweep::{plan, toy, Design, Scope};
use casus_syntax::SourceFile;

fn toy_scope() -> Scope {
    Scope::parse(&SourceFile::new("toy.toml", toy::SCOPE)).expect("the toy scope parses")
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("casus-sweep-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn ishigami_indices_fall_within_their_bootstrap_intervals() {
    let scope = toy_scope();
    let p = plan(&scope, Design::Saltelli, 4096, Some(3)).unwrap();
    let rows = workdir::evaluate(&p, 0..p.rows.len(), &toy::evaluate);
    let s = sobol(&p, &rows, "ishigami", 500, 0.99).unwrap();
    assert_eq!(s.groups.len(), 2, "one group per design");
    let exact = toy::ishigami_indices();
    for g in &s.groups {
        assert_eq!(g.base_points, 4096);
        for (i, ix) in g.indices.iter().enumerate() {
            let (s1, st) = exact[i];
            assert!(
                ix.first_low <= s1 && s1 <= ix.first_high,
                "{}: S1 {s1} outside [{}, {}]",
                ix.factor,
                ix.first_low,
                ix.first_high
            );
            assert!(
                ix.total_low <= st && st <= ix.total_high,
                "{}: ST {st} outside [{}, {}]",
                ix.factor,
                ix.total_low,
                ix.total_high
            );
            assert!(
                (ix.first - s1).abs() < 0.05 && (ix.total - st).abs() < 0.05,
                "{ix:?}"
            );
        }
    }
}

#[test]
fn prim_recovers_a_planted_box() {
    let scope = toy_scope();
    let p = plan(&scope, Design::Lhs, 4000, None).unwrap();
    let rows = workdir::evaluate(&p, 0..p.rows.len(), &toy::evaluate);
    let d = discover(&p, &rows, "response", Threshold::Below(0.5), 0.05, 0.01).unwrap();
    let narrow = &d.groups[0];
    assert_eq!(narrow.levers["design"], "narrow");
    let b = narrow.discovery.chosen_step().unwrap();
    assert!(b.density > 0.95 && b.coverage > 0.9, "{b:?}");
    let lim: Vec<(&str, f64, f64)> = b
        .limits
        .iter()
        .map(|l| (l.factor.as_str(), l.low, l.high))
        .collect();
    assert_eq!(lim.len(), 2, "only x1 and x2 restricted: {lim:?}");
    let x1 = lim.iter().find(|l| l.0 == "x1").unwrap();
    let x2 = lim.iter().find(|l| l.0 == "x2").unwrap();
    assert!((x1.1 - 0.0).abs() < 0.1 && (x1.2 - 2.0).abs() < 0.1, "{x1:?}");
    assert!((x2.1 + 1.0).abs() < 0.1 && (x2.2 - 1.0).abs() < 0.1, "{x2:?}");
    let wide = narrow_or_wide(&d.groups[1]);
    assert!(wide.0 == "x1" && (wide.1 - 1.0).abs() < 0.1, "{wide:?}");
}

fn narrow_or_wide(g: &casus_sweep::prim::GroupDiscovery) -> (String, f64, f64) {
    let b = g.discovery.chosen_step().unwrap();
    assert_eq!(b.limits.len(), 1, "{b:?}");
    (b.limits[0].factor.clone(), b.limits[0].low, b.limits[0].high)
}

#[test]
fn prim_on_pure_noise_keeps_the_whole_range_dense_as_the_base() {
    let names = vec!["a".to_string()];
    let x = vec![(0..100).map(|i| i as f64).collect::<Vec<_>>()];
    let y: Vec<bool> = (0..100).map(|i| i % 2 == 0).collect();
    let d = prim(&names, &x, &y, 0.1, 0.05);
    assert_eq!(d.cases, 50);
    assert!((d.base_density - 0.5).abs() < 1e-12);
}

#[test]
fn shards_give_the_same_results_whatever_their_number_and_order() {
    let scope = toy_scope();
    let p = plan(&scope, Design::Lhs, 101, None).unwrap();
    let one = tempdir("one");
    let four = tempdir("four");
    workdir::write_plan(&one, &p).unwrap();
    workdir::write_plan(&four, &p).unwrap();
    run_shard(&one, Shard::ALL, &toy::evaluate).unwrap();
    for i in (0..4).rev() {
        let r = run_shard(&four, Shard { index: i, count: 4 }, &toy::evaluate).unwrap();
        assert!(!r.skipped);
    }
    let info = RunInfo::default();
    assert_eq!(
        workdir::read_plan(&one).unwrap(),
        p,
        "the plan reads back to the same bits"
    );
    workdir::write_plan(&one, &p).expect("planning the same plan again is harmless");
    let a = workdir::merge(&one, &info).unwrap();
    let b = workdir::merge(&four, &info).unwrap();
    assert_eq!(a.rows, 202);
    assert_eq!(b.parts.len(), 4);
    let ra = std::fs::read(one.join("results.parquet")).unwrap();
    let rb = std::fs::read(four.join("results.parquet")).unwrap();
    assert_eq!(
        ra, rb,
        "results.parquet differs between 1 shard and 4 shards in reverse order"
    );
    let (_, rows) = workdir::read_results(&one).unwrap();
    assert_eq!(rows.len(), 202);
    assert_eq!(rows[3].row.levers, vec!["wide".to_string()]);
    assert_eq!(rows[2].row.seed, rows[3].row.seed, "one sample, one seed");
    let _ = std::fs::remove_dir_all(&one);
    let _ = std::fs::remove_dir_all(&four);
}

#[test]
fn a_killed_run_resumes_without_rerunning_finished_parts() {
    let scope = toy_scope();
    let p = plan(&scope, Design::Lhs, 40, None).unwrap();
    let dir = tempdir("resume");
    workdir::write_plan(&dir, &p).unwrap();
    // The first run dies after two parts, leaving a half-written temporary file behind.
    for i in 0..2 {
        run_shard(&dir, Shard { index: i, count: 4 }, &toy::evaluate).unwrap();
    }
    std::fs::write(dir.join("parts/.part-00002-of-00004.parquet.999.tmp"), b"half").unwrap();
    assert!(workdir::merge(&dir, &RunInfo::default())
        .unwrap_err()
        .contains("have not been run"));
    let calls = AtomicUsize::new(0);
    let counting = |i: &casus_sweep::Input| {
        calls.fetch_add(1, Ordering::SeqCst);
        toy::evaluate(i)
    };
    let mut skipped = 0;
    for i in 0..4 {
        let r = run_shard(&dir, Shard { index: i, count: 4 }, &counting).unwrap();
        skipped += r.skipped as usize;
    }
    assert_eq!(skipped, 2);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        40,
        "only the two missing shards' 40 rows ran"
    );
    let rec = workdir::merge(&dir, &RunInfo::default()).unwrap();
    assert_eq!(rec.rows, 80);
    assert_eq!(rec.parts.len(), 4, "the temporary file is not a part");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn failed_rows_keep_their_place_as_unknown() {
    let scope = toy_scope();
    let p = plan(&scope, Design::Factorial, 3, None).unwrap();
    assert_eq!(p.rows.len(), 27 * 2);
    let failing = |i: &casus_sweep::Input| {
        if i.row == 5 {
            Err("no answer".to_string())
        } else {
            toy::evaluate(i)
        }
    };
    let rows = workdir::evaluate(&p, 0..p.rows.len(), &failing);
    let bytes = casus_sweep::table::encode(&scope, &rows).unwrap();
    let back = casus_sweep::table::decode(&scope, bytes).unwrap();
    assert_eq!(back.len(), rows.len());
    assert!(back.iter().zip(&rows).all(|(a, b)| a.same(b)));
    assert_eq!(back[5].outcomes, vec![None, None]);
    assert_eq!(back[5].error.as_deref(), Some("no answer"));
}

#[test]
fn scope_errors_are_located() {
    let bad = "name = \"x\"\nseed = 1\n[[uncertainty]]\nname = \"a\"\nlow = 2\nhigh = 1\n[[outcome]]\nname = \"a\"\n";
    let e = Scope::parse(&SourceFile::new("s.toml", bad)).unwrap_err();
    let short: Vec<String> = e.iter().map(|d| d.short()).collect();
    assert!(short[0].starts_with("s.toml:4:"), "{short:?}");
    assert!(short.iter().any(|s| s.contains("named twice")), "{short:?}");
    let typo = "name = \"x\"\nseed = 1\nsed = 2\n";
    let e = Scope::parse(&SourceFile::new("t.toml", typo)).unwrap_err();
    assert!(e[0].short().starts_with("t.toml:3:"), "{:?}", e[0].short());
}

#[test]
fn designs_have_the_promised_shape() {
    let scope = toy_scope();
    let l = plan(&scope, Design::Lhs, 10, None).unwrap();
    // Each factor has one point in each tenth of its range.
    for d in 0..3 {
        let mut strata: Vec<usize> = l
            .rows
            .iter()
            .step_by(2)
            .map(|r| {
                let u = (r.values[d] + std::f64::consts::PI) / (2.0 * std::f64::consts::PI);
                (u * 10.0).floor() as usize
            })
            .collect();
        strata.sort();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
    }
    let s = plan(&scope, Design::Saltelli, 8, None).unwrap();
    assert_eq!(s.rows.len(), 8 * 5 * 2);
    assert_eq!(
        plan(&scope, Design::Lhs, 10, None).unwrap(),
        l,
        "same seed, same plan"
    );
    assert_ne!(plan(&scope, Design::Lhs, 10, Some(1)).unwrap().rows, l.rows);
}

#[test]
fn stated_ranges_are_filled_in_before_planning_and_new_ones_kept() {
    let text = "name = \"x\"\nmodel = \"m\"\nseed = 1\ntrials = 64\n\
                [[uncertainty]]\nname = \"a\"\nprior = \"p.a\"\nrange = \"stated\"\n\
                [[uncertainty]]\nname = \"b\"\nprior = \"p.b\"\nlow = 0\nhigh = 2\n\
                [[lever]]\nname = \"option\"\nvalues = [\"one\", \"two\", \"three\"]\n\
                [[outcome]]\nname = \"y\"\n";
    let mut scope = Scope::parse(&SourceFile::new("s.toml", text)).unwrap();
    assert_eq!(scope.trials, Some(64));
    assert_eq!(scope.unresolved(), ["a"]);
    assert!(plan(&scope, Design::Lhs, 4, None)
        .unwrap_err()
        .contains("resolve it against the library"));
    let err = scope.resolve_ranges(&|_| Err("no prior".into())).unwrap_err();
    assert_eq!(err, ["uncertainty `a`: no prior"]);
    scope
        .resolve_ranges(&|id| {
            assert_eq!(id, "p.a", "only stated ranges are looked up");
            Ok((0.1, 0.3))
        })
        .unwrap();
    assert_eq!(
        (scope.uncertainties[0].low, scope.uncertainties[0].high),
        (0.1, 0.3)
    );
    assert_eq!(
        (scope.uncertainties[1].low, scope.uncertainties[1].high),
        (0.0, 2.0)
    );
    scope.restrict("option", &["three".into(), "one".into()]).unwrap();
    assert_eq!(
        scope.combinations(),
        [vec!["one".to_string()], vec!["three".to_string()]]
    );
    assert!(scope.restrict("option", &["four".into()]).is_err());
    let p = plan(&scope, Design::Lhs, 4, None).unwrap();
    assert_eq!(p.rows.len(), 8);
    assert!(p.rows.iter().all(|r| (0.1..=0.3).contains(&r.values[0])));
}

#[test]
fn a_stated_range_with_numbers_or_a_column_name_with_a_dot_is_refused() {
    let both = "name = \"x\"\nseed = 1\n[[uncertainty]]\nname = \"a\"\nprior = \"p.a\"\nrange = \"stated\"\nlow = 0\nhigh = 1\n[[outcome]]\nname = \"y\"\n";
    let e = Scope::parse(&SourceFile::new("s.toml", both)).unwrap_err();
    assert!(e[0].message.contains("drop `low` and `high`"), "{}", e[0].message);
    let dot = "name = \"x\"\nseed = 1\n[[outcome]]\nname = \"p.y\"\n";
    let e = Scope::parse(&SourceFile::new("s.toml", dot)).unwrap_err();
    assert!(e[0].short().starts_with("s.toml:4:"), "{}", e[0].short());
}

#[test]
fn the_built_in_ukraine_scope_names_priors_options_and_attacks() {
    let scope = Scope::parse(&casus_sweep::builtin("ukraine").unwrap()).expect("parses");
    assert_eq!(scope.model, "ukraine");
    assert_eq!(scope.trials, Some(4096));
    assert!(scope.uncertainties.len() >= 10);
    assert!(scope
        .uncertainties
        .iter()
        .all(|u| u.prior.is_some() && u.range == casus_sweep::scope::RangeFrom::Stated));
    let levers: Vec<(&str, usize)> = scope
        .categorical()
        .iter()
        .map(|c| (c.name.as_str(), c.values.len()))
        .collect();
    assert_eq!(levers, [("option", 5), ("attack", 5)]);
    assert!(scope.outcome_index("p_lead_military_response").is_some());
}

#[test]
fn prim_on_one_point_or_none_does_not_peel() {
    let names = vec!["x".to_string()];
    let d = prim(&names, &[vec![0.5]], &[true], 0.05, 0.05);
    assert_eq!(d.trajectory.len(), 1);
    let d = prim(&names, &[vec![]], &[], 0.05, 0.05);
    assert_eq!((d.points, d.cases), (0, 0));
}
