//! The ANAC 2010 England–Zimbabwe domain (`../shared/data/negotiation/anac2010_england_zimbabwe/`):
//! Pareto frontier and Nash point, checked by brute force. Without the data the test says so and passes.
#![allow(clippy::print_stderr)]

use casus_negotiate::discrete::{nash, outcomes, pareto, parse_genius, Profile};

fn load(name: &str) -> Option<Profile> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/negotiation/anac2010_england_zimbabwe")
        .join(name);
    match std::fs::read_to_string(&p) {
        Ok(t) => Some(parse_genius(&t).expect("a valid Genius profile")),
        Err(_) => {
            eprintln!("skipped: data not found ({})", p.display());
            None
        }
    }
}

#[test]
fn frontier_and_nash_point_match_brute_force() {
    let (Some(eng), Some(zim)) = (load("England.xml"), load("Zimbabwe.xml")) else {
        return;
    };
    let sizes: Vec<usize> = eng.items.iter().map(Vec::len).collect();
    assert_eq!(sizes, zim.items.iter().map(Vec::len).collect::<Vec<_>>());
    let all = outcomes(&sizes);
    assert_eq!(all.len(), 576, "research note §3.3");
    let pts: Vec<Vec<f64>> = all.iter().map(|o| vec![eng.utility(o), zim.utility(o)]).collect();

    // Brute force: a point is on the frontier when no other point is at least as good for
    // both and better for one.
    let brute: Vec<usize> = (0..pts.len())
        .filter(|&i| {
            !pts.iter()
                .any(|q| q[0] >= pts[i][0] && q[1] >= pts[i][1] && (q[0] > pts[i][0] || q[1] > pts[i][1]))
        })
        .collect();
    assert_eq!(pareto(&pts), brute);
    assert_eq!(brute.len(), 25, "research note §3.3: 25 frontier points");

    // Nash point at d = (reservation, reservation) = (0, 0), by brute force over all outcomes.
    let d = [eng.reservation, zim.reservation];
    assert_eq!(d, [0.0, 0.0]);
    let mut products: Vec<(f64, usize)> = pts.iter().enumerate().map(|(i, p)| (p[0] * p[1], i)).collect();
    products.sort_by(|a, b| b.0.total_cmp(&a.0));
    let n = nash(&pts, &d, &[1.0, 1.0]).unwrap();
    assert_eq!(n, products[0].1);
    assert!(
        (pts[n][0] - 0.910916).abs() < 1e-6 && (pts[n][1] - 0.733218).abs() < 1e-6,
        "{:?}",
        pts[n]
    );
    assert!((products[0].0 - 0.667900).abs() < 1e-6);
    assert!((products[1].0 - 0.655450).abs() < 1e-6, "runner-up");
    // The Nash point is the maximum-welfare point and lies on the frontier.
    let welfare = (0..pts.len())
        .max_by(|&a, &b| (pts[a][0] + pts[a][1]).total_cmp(&(pts[b][0] + pts[b][1])))
        .unwrap();
    assert_eq!(welfare, n);
    assert!(brute.contains(&n));
    let labels: Vec<&str> = all[n]
        .iter()
        .enumerate()
        .map(|(k, &i)| eng.items[k][i].0.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "$10 billion",
            "Reduction equal to fund size",
            "Zimbabwe will increase tariffs on imports",
            "England will increase imports",
            "Creation of committee to discuss creation of fund"
        ]
    );
}
