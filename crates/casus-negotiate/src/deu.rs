//! The DEU III data (Decision-making in the European Union, waves I–III; Arregui &
//! Perarnaud 2022, data DOI 10.34810/data53) and every model's error on it.
//!
//! The file is tab-separated with quoted headers: positions `p<actor>` and saliences
//! `s<actor>` on 0–100 for the Commission, the EP and the member states, the reference
//! point `rp` and the adopted outcome `out`. Capabilities are not in the data; they come
//! from the Council voting rules in force ([`capability`]).

use crate::{compromise, eum, nash, Stake};

/// The actors of the file, in column order.
pub const ACTORS: [&str; 30] = [
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu", "ie", "it",
    "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
];

/// One contested issue.
#[derive(Debug, Clone, PartialEq)]
pub struct DeuIssue {
    pub proposal: String,
    pub issue: String,
    /// Legislative procedure (`COD`, `CNS`, …).
    pub procedure: String,
    /// Council voting rule (`QMV`, `Unan`).
    pub voting: String,
    /// Introduction date `(year, month)` if readable (the file's dates are `dd-mm-yy`).
    pub introduced: Option<(i32, u32)>,
    /// `(actor index, position, salience 0–100 if given)`.
    pub stakes: Vec<(usize, f64, Option<f64>)>,
    pub reference: Option<f64>,
    pub outcome: Option<f64>,
}

/// Parses the DEU III file. Returns the issues and the problems (line number, message).
pub fn parse(text: &str) -> (Vec<DeuIssue>, Vec<(usize, String)>) {
    let mut problems = Vec::new();
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return (vec![], vec![(1, "empty file".into())]);
    };
    let head: Vec<String> = header
        .split('\t')
        .map(|h| h.trim().trim_matches('"').to_string())
        .collect();
    let col = |name: &str| head.iter().position(|h| h == name);
    let need = ["prnr", "isnr", "proc", "counvte", "intro", "rp", "out"];
    let mut idx = std::collections::HashMap::new();
    for n in need {
        match col(n) {
            Some(i) => {
                idx.insert(n, i);
            }
            None => problems.push((1, format!("no column `{n}`"))),
        }
    }
    let pcols: Vec<Option<usize>> = ACTORS.iter().map(|a| col(&format!("p{a}"))).collect();
    let scols: Vec<Option<usize>> = ACTORS.iter().map(|a| col(&format!("s{a}"))).collect();
    if !problems.is_empty() {
        return (vec![], problems);
    }
    let mut out = Vec::new();
    for (n, line) in lines {
        let cells: Vec<&str> = line.split('\t').map(|c| c.trim().trim_matches('"')).collect();
        let get = |i: usize| cells.get(i).copied().unwrap_or("");
        let num = |i: Option<usize>| -> Option<f64> { i.and_then(|i| get(i).parse::<f64>().ok()) };
        let prnr = get(idx["prnr"]);
        if prnr.is_empty() {
            continue; // the uploader's GDP row
        }
        let mut stakes = Vec::new();
        for a in 0..ACTORS.len() {
            if let Some(x) = num(pcols[a]) {
                stakes.push((a, x, num(scols[a])));
            }
        }
        let intro = get(idx["intro"]);
        let parts: Vec<&str> = intro.split('-').collect();
        let introduced = match parts.as_slice() {
            [_, m, y] => match (m.parse::<u32>(), y.parse::<i32>()) {
                (Ok(m), Ok(y)) if (1..=12).contains(&m) => {
                    Some((if y < 50 { 2000 + y } else { 1900 + y }, m))
                }
                _ => None,
            },
            _ => None,
        };
        if stakes.is_empty() {
            problems.push((n + 1, format!("issue {} has no positions", get(idx["isnr"]))));
        }
        out.push(DeuIssue {
            proposal: prnr.to_string(),
            issue: get(idx["isnr"]).to_string(),
            procedure: get(idx["proc"]).to_string(),
            voting: get(idx["counvte"]).to_string(),
            introduced,
            stakes,
            reference: num(Some(idx["rp"])),
            outcome: num(Some(idx["out"])),
        });
    }
    (out, problems)
}

/// Council votes under the Treaty of Nice weighting (Protocol on the enlargement, Art. 3,
/// as amended by the 2003, 2005 and 2012 Acts of Accession), in force 2004-11-01 to
/// 2014-10-31 and on request to 2017-03-31.
pub fn nice_weight(actor: &str) -> Option<f64> {
    Some(match actor {
        "de" | "fr" | "it" | "uk" => 29.0,
        "es" | "pl" => 27.0,
        "ro" => 14.0,
        "nl" => 13.0,
        "be" | "cz" | "el" | "hu" | "pt" => 12.0,
        "at" | "bu" | "se" => 10.0,
        "dk" | "ie" | "lt" | "sk" | "fi" | "cr" => 7.0,
        "cy" | "ee" | "lv" | "lu" | "si" => 4.0,
        "mt" => 3.0,
        _ => return None,
    })
}

/// Council votes under TEC Art. 205(2) as amended by the 1994 Act of Accession (EU-15),
/// in force to 2004-10-31.
pub fn eu15_weight(actor: &str) -> Option<f64> {
    Some(match actor {
        "de" | "fr" | "it" | "uk" => 10.0,
        "es" => 8.0,
        "be" | "el" | "nl" | "pt" => 5.0,
        "at" | "se" => 4.0,
        "dk" | "ie" | "fi" => 3.0,
        "lu" => 2.0,
        _ => return None,
    })
}

/// How capabilities are assigned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// Member states by the Council voting rule (true) or all equal (false).
    pub voting_weights: bool,
    /// The Commission's capability, in units of the mean member-state capability of the issue.
    pub commission: f64,
    /// The EP's capability under co-decision (`COD`), same unit.
    pub ep_codecision: f64,
    /// The EP's capability under other procedures (consultation), same unit.
    pub ep_other: f64,
    /// Salience used where a position is given without one (0–100).
    pub missing_salience: f64,
}

impl Default for Rules {
    /// The documented default: Council weights of the rule in force; the Commission and the
    /// EP (under co-decision) weighted like an average member state, the EP under
    /// consultation not at all (it gives an opinion only). Assumption, fixed before any
    /// figure was measured and not tuned; a position without a salience takes no part
    /// (as in the research note's sanity values).
    fn default() -> Self {
        Self {
            voting_weights: true,
            commission: 1.0,
            ep_codecision: 1.0,
            ep_other: 0.0,
            missing_salience: 0.0,
        }
    }
}

/// The capability of actor `a` on `issue`: under QMV the Council weights in force at the
/// proposal's introduction (EU-15 weights before 2004-05, Nice weights after; the
/// double-majority rule of 2014 is approximated by the Nice weights — an assumption);
/// under unanimity every member state alike.
pub fn capability(issue: &DeuIssue, a: usize, rules: &Rules) -> f64 {
    let mean = mean_member_weight(issue, rules);
    match ACTORS[a] {
        "com" => rules.commission * mean,
        "ep" => {
            (if issue.procedure == "COD" {
                rules.ep_codecision
            } else {
                rules.ep_other
            }) * mean
        }
        m => member_weight(issue, m, rules),
    }
}

fn member_weight(issue: &DeuIssue, m: &str, rules: &Rules) -> f64 {
    if !rules.voting_weights || issue.voting != "QMV" {
        return 1.0;
    }
    let early = issue.introduced.is_some_and(|d| d < (2004, 5));
    let w = if early {
        eu15_weight(m).or_else(|| nice_weight(m))
    } else {
        nice_weight(m)
    };
    w.unwrap_or(1.0)
}

fn mean_member_weight(issue: &DeuIssue, rules: &Rules) -> f64 {
    let ws: Vec<f64> = issue
        .stakes
        .iter()
        .filter(|s| s.0 >= 2)
        .map(|s| member_weight(issue, ACTORS[s.0], rules))
        .collect();
    if ws.is_empty() {
        1.0
    } else {
        ws.iter().sum::<f64>() / ws.len() as f64
    }
}

/// The stakes of an issue with capabilities.
pub fn stakes(issue: &DeuIssue, rules: &Rules) -> Vec<Stake> {
    issue
        .stakes
        .iter()
        .map(|&(a, x, s)| {
            Stake::new(
                ACTORS[a],
                capability(issue, a, rules),
                x,
                s.unwrap_or(rules.missing_salience) / 100.0,
            )
        })
        .collect()
}

/// The models compared on DEU III.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    Mean,
    Median,
    /// Quadratic NBS, weights `c s`, disagreement at the reference point (else each actor's worst).
    Nash,
    /// The expected utility model: weighted median after `rounds` rounds.
    EumMedian(eum::Settings, usize),
    /// The same: weighted mean after `rounds` rounds.
    EumMean(eum::Settings, usize),
}

/// One model's forecast for an issue.
pub fn predict(issue: &DeuIssue, rules: &Rules, model: Model) -> Option<f64> {
    let st = stakes(issue, rules);
    match model {
        Model::Mean => compromise::weighted_mean(&st),
        Model::Median => compromise::weighted_median(&st),
        Model::Nash => {
            let d = issue
                .reference
                .map_or(nash::Disagreement::Worst, nash::Disagreement::At);
            nash::solve_stakes(&st, 0.0, 100.0, d, nash::Settings::default()).map(|s| s.x)
        }
        Model::EumMedian(s, r) | Model::EumMean(s, r) => {
            let players: Vec<eum::Player> = st
                .iter()
                .map(|s| eum::Player {
                    capability: s.capability,
                    salience: s.salience,
                    position: s.position,
                })
                .collect();
            let run = eum::run(&players, r, &s, false);
            let last = run.last()?;
            Some(if matches!(model, Model::EumMedian(..)) {
                last.median
            } else {
                last.mean
            })
        }
    }
}

/// The fixed split: proposals numbered in order of first appearance; issues of odd-numbered
/// proposals are the test half (whole proposals stay on one side).
pub fn is_test(issues: &[DeuIssue]) -> Vec<bool> {
    let mut order: Vec<&str> = Vec::new();
    issues
        .iter()
        .map(|i| {
            let k = order.iter().position(|p| *p == i.proposal).unwrap_or_else(|| {
                order.push(&i.proposal);
                order.len() - 1
            });
            k % 2 == 1
        })
        .collect()
}

/// Mean absolute error on the 0–100 scale over issues with an outcome and a forecast.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mae {
    pub n: usize,
    pub mae: f64,
}

/// `(train, test, all)` errors of a model.
pub fn evaluate(issues: &[DeuIssue], split: &[bool], rules: &Rules, model: Model) -> (Mae, Mae, Mae) {
    let mut sums = [(0usize, 0.0f64); 3];
    for (issue, &test) in issues.iter().zip(split) {
        let (Some(out), Some(p)) = (issue.outcome, predict(issue, rules, model)) else {
            continue;
        };
        let e = (p - out).abs();
        for k in [usize::from(test), 2] {
            sums[k].0 += 1;
            sums[k].1 += e;
        }
    }
    let m = |(n, s): (usize, f64)| Mae {
        n,
        mae: if n > 0 { s / n as f64 } else { f64::NAN },
    };
    (m(sums[0]), m(sums[1]), m(sums[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_tab_separated_rows() {
        let text = "\"prnr\"\t\"isnr\"\t\"proc\"\t\"counvte\"\t\"intro\"\t\"pcom\"\t\"pde\"\t\"scom\"\t\"sde\"\t\"rp\"\t\"out\"\n\t\t\t\t\t4.1\t2.8\t\t\t\t\n\"d1\"\t\"d1i1\"\t\"COD\"\t\"QMV\"\t\"26-01-00\"\t100\t0\t80\t\t0\t100\n";
        let (issues, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(issues.len(), 1);
        let i = &issues[0];
        assert_eq!(i.introduced, Some((2000, 1)));
        assert_eq!(i.stakes, vec![(0, 100.0, Some(80.0)), (12, 0.0, None)]);
        assert_eq!((i.reference, i.outcome), (Some(0.0), Some(100.0)));
        // Germany under the EU-15 weights in 2000; the Commission as an average member.
        let r = Rules::default();
        assert_eq!(capability(i, 12, &r), 10.0);
        assert_eq!(capability(i, 0, &r), 10.0);
    }
}
