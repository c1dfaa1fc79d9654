//! Against the real files in ../shared/data (skipped, passing, when they are absent):
//! the derived directed dyad-years must equal ATOP's own, row for row, and the reliability
//! figures must be Berkemeier & Fuhrmann's.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

use casus_history::corrections::Corrections;
use casus_history::reliability::{parse_cases, rates, By, Coding};
use casus_history::{atop, derive};
use casus_syntax::SourceFile;

fn data(rel: &str) -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    std::fs::read_to_string(p).ok()
}

#[test]
fn dyad_years_reproduce_atop_exactly() {
    let (Some(members), Some(expected)) = (
        data("atop-5.1/atop5_1m.csv"),
        data("atop-5.1-dyad-year/atop5_1_ddyr_obligations_peacesciencer.csv"),
    ) else {
        println!("skipped: data not found");
        return;
    };
    let release = atop::parse_members(&SourceFile::new("atop5_1m.csv", members)).unwrap();
    let dyads = derive(&release, &Corrections::for_version(&release.version), 1815, 2018);
    let mut ours: Vec<String> = dyads
        .rows
        .iter()
        .map(|r| {
            let f = r.obligations.flags();
            format!(
                "{},{},{},{},{},{},{},{}",
                r.ccode1, r.ccode2, r.year, f[0] as u8, f[1] as u8, f[2] as u8, f[3] as u8, f[4] as u8
            )
        })
        .collect();
    let mut theirs: Vec<String> = expected
        .lines()
        .skip(1)
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    ours.sort();
    theirs.sort();
    assert_eq!(theirs.len(), 273_296);
    let missing: Vec<_> = theirs
        .iter()
        .filter(|l| ours.binary_search(l).is_err())
        .take(10)
        .collect();
    let extra: Vec<_> = ours
        .iter()
        .filter(|l| theirs.binary_search(l).is_err())
        .take(10)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "ATOP rows we lack or differ on: {missing:?}\nrows only we have: {extra:?}"
    );
    assert_eq!(ours.len(), theirs.len());
}

#[test]
fn all_columns_match_atops_verbatim_excerpt() {
    let (Some(members), Some(excerpt)) = (
        data("atop-5.1/atop5_1m.csv"),
        data("atop-5.1-dyad-year/atop5_1ddyr_excerpt.csv"),
    ) else {
        println!("skipped: data not found");
        return;
    };
    let release = atop::parse_members(&SourceFile::new("atop5_1m.csv", members)).unwrap();
    let dyads = derive(&release, &Corrections::for_version("5.1"), 1815, 2018);
    let excerpt = SourceFile::new("excerpt", excerpt);
    let t = casus_syntax::table::Table::csv(&excerpt).unwrap();
    let col = |n: &str| t.column(n).unwrap();
    let mut checked = 0;
    for row in &t.rows {
        let get = |n: &str| t.int(row, col(n)).unwrap();
        let (a, b, y) = (
            get("stateA").unwrap() as u16,
            get("stateB").unwrap() as u16,
            get("year").unwrap() as u16,
        );
        let ours = dyads
            .rows
            .iter()
            .find(|r| (r.ccode1, r.ccode2, r.year) == (a, b, y))
            .unwrap_or_else(|| panic!("no row {a}->{b} {y}"));
        let f = ours.obligations.flags();
        for (i, n) in ["defense", "offense", "neutral", "nonagg", "consul"]
            .iter()
            .enumerate()
        {
            assert_eq!(get(n), Some(f[i] as i64), "{n} {a}->{b} {y}");
        }
        assert_eq!(get("number"), Some(ours.number as i64), "number {a}->{b} {y}");
        assert_eq!(get("bilatno"), Some(ours.bilatno as i64), "bilatno {a}->{b} {y}");
        assert_eq!(
            get("multino"),
            Some(ours.multino() as i64),
            "multino {a}->{b} {y}"
        );
        assert_eq!(get("asymm"), Some(ours.asymm as i64), "asymm {a}->{b} {y}");
        assert_eq!(get("transyr"), Some(ours.transyr as i64), "transyr {a}->{b} {y}");
        let ids: Vec<u32> = (1..=9)
            .filter_map(|k| get(&format!("atopid{k}")).map(|v| v as u32))
            .collect();
        let mut mine = dyads.alliances(ours).to_vec();
        mine.sort_unstable();
        let mut theirs = ids.clone();
        theirs.sort_unstable();
        assert_eq!(theirs, mine, "atopids {a}->{b} {y}");
        checked += 1;
    }
    assert_eq!(checked, 111);
}

#[test]
fn berkemeier_fuhrmann_figures_under_the_llm_coding() {
    let Some(text) = data("alliance-reliability-berkemeier-fuhrmann-2018/BerkemeierFuhrmannRAP2018_0303.csv")
    else {
        println!("skipped: data not found");
        return;
    };
    let cases = parse_cases(&SourceFile::new("bf.csv", text.clone()), Coding::Llm).unwrap();
    assert_eq!(cases.len(), 576);
    let pct = |r: &casus_history::reliability::Rate| (r.rate.unwrap() * 100.0).round() as i64;
    let p = rates(&cases, By::Period);
    assert_eq!((p[0].honoured, p[0].violated, pct(&p[0])), (73, 73, 50));
    assert_eq!(
        (p[1].group.as_str(), p[1].honoured, p[1].violated, pct(&p[1])),
        ("before 1945", 61, 31, 66)
    );
    assert_eq!((p[2].honoured, p[2].violated, pct(&p[2])), (12, 42, 22));
    let o = rates(&cases, By::Obligation);
    let got: Vec<(&str, i64)> = o[1..5].iter().map(|r| (r.group.as_str(), pct(r))).collect();
    assert_eq!(
        got,
        [
            ("defence", 41),
            ("offence", 74),
            ("neutrality", 78),
            ("non-aggression", 37)
        ]
    );
    let bf = rates(
        &parse_cases(&SourceFile::new("bf.csv", text.clone()), Coding::Bf).unwrap(),
        By::Period,
    );
    assert_eq!((bf[0].honoured, bf[0].violated), (69, 70));
}
