//! The bargaining space of a scenario (research note §5.1): per-issue zones of agreement
//! from red lines, packages across issues, the Pareto frontier and the Nash package.
//!
//! Each party's utility is additive over the issues it has a stake in:
//! `u_a(x) = Σ_k s_ak (1 − |x_k − x̂_ak| / (hi_k − lo_k)) / Σ_k s_ak`. The disagreement
//! point is the status quo of every issue (for the built-in scenario: the war goes on);
//! an issue without a status quo counts at the party's worst end. Packages are the
//! points of a grid with `steps` values per issue, plus its status quo and the parties' red lines.

use crate::discrete::pareto;
use crate::{Issue, Talks};

/// The zone of agreement on one issue, from the parties' red lines.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueZone {
    pub issue: String,
    /// The interval acceptable to every party, if any.
    pub zone: Option<(f64, f64)>,
    /// When empty: the two parties whose red lines do not meet, and the gap between them.
    pub blocked_by: Option<(String, String, f64)>,
}

/// A package: one value per issue and each party's utility.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub values: Vec<f64>,
    pub utilities: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    pub parties: Vec<String>,
    pub zones: Vec<IssueZone>,
    /// Each party's utility of no agreement.
    pub disagreement: Vec<f64>,
    /// Grid packages within every red line and better than disagreement for every party.
    pub zopa_size: usize,
    /// Pareto frontier of the zone of agreement (empty when there is none).
    pub frontier: Vec<Package>,
    pub nash: Option<Package>,
    /// The same if the red lines were dropped (packages better than disagreement for all).
    pub frontier_without_red_lines: Vec<Package>,
    pub nash_without_red_lines: Option<Package>,
    pub steps: usize,
}

fn party_utility_parts(issue: &Issue, party: &str, levels: &[f64]) -> (f64, Vec<f64>, f64) {
    match issue.stake(party) {
        None => (0.0, vec![0.0; levels.len()], 0.0),
        Some(s) => {
            let range = issue.range().max(f64::MIN_POSITIVE);
            let v = |x: f64| 1.0 - (x - s.position).abs() / range;
            let d = match issue.status_quo {
                Some(q) => v(q),
                None => v(issue.lo).min(v(issue.hi)),
            };
            (
                s.salience,
                levels.iter().map(|&x| s.salience * v(x)).collect(),
                s.salience * d,
            )
        }
    }
}

/// Analyses the bargaining space among `scenario.parties` with `steps ≥ 2` grid values per issue.
pub fn analyse(scenario: &Talks, steps: usize) -> Space {
    let steps = steps.max(2);
    let parties = scenario.parties.clone();
    let np = parties.len();
    let mut zones = Vec::new();
    // The grid of each issue, plus its status quo and the parties' red lines (so that a
    // zone of a single point is not missed).
    let grid: Vec<Vec<f64>> = scenario
        .issues
        .iter()
        .map(|i| {
            let mut g: Vec<f64> = (0..steps)
                .map(|t| i.lo + i.range() * t as f64 / (steps - 1) as f64)
                .collect();
            g.extend(i.status_quo);
            g.extend(
                i.stakes
                    .iter()
                    .filter(|s| parties.contains(&s.actor))
                    .filter_map(|s| s.red_line),
            );
            g.sort_by(f64::total_cmp);
            g.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
            g
        })
        .collect();
    // contrib[k][a][level], totals[a], disagreement[a]
    let mut totals = vec![0.0; np];
    let mut dis = vec![0.0; np];
    let mut contrib = Vec::new();
    for (k, issue) in scenario.issues.iter().enumerate() {
        let mut per = Vec::new();
        for (a, p) in parties.iter().enumerate() {
            let (s, c, d) = party_utility_parts(issue, p, &grid[k]);
            totals[a] += s;
            dis[a] += d;
            per.push(c);
        }
        contrib.push(per);
        // Zone from red lines.
        let mut lo = issue.lo;
        let mut hi = issue.hi;
        let mut lo_by = String::new();
        let mut hi_by = String::new();
        for p in &parties {
            if let Some(s) = issue.stake(p) {
                let (a, b) = s.acceptable(issue.lo, issue.hi);
                if a > lo {
                    lo = a;
                    lo_by = p.clone();
                }
                if b < hi {
                    hi = b;
                    hi_by = p.clone();
                }
            }
        }
        zones.push(if lo <= hi + 1e-9 {
            IssueZone {
                issue: issue.id.clone(),
                zone: Some((lo, hi)),
                blocked_by: None,
            }
        } else {
            IssueZone {
                issue: issue.id.clone(),
                zone: None,
                blocked_by: Some((lo_by, hi_by, lo - hi)),
            }
        });
    }
    for a in 0..np {
        if totals[a] > 0.0 {
            dis[a] /= totals[a];
        }
    }
    let norm: Vec<f64> = totals
        .iter()
        .map(|&t| if t > 0.0 { 1.0 / t } else { 0.0 })
        .collect();
    let weights: Vec<f64> = parties
        .iter()
        .map(|p| scenario.actor(p).map_or(1.0, |a| a.capability))
        .collect();

    let enumerate = |respect_red_lines: bool| -> (Vec<Package>, Option<Package>, usize) {
        let allowed: Vec<Vec<usize>> = scenario
            .issues
            .iter()
            .enumerate()
            .map(|(k, issue)| {
                (0..grid[k].len())
                    .filter(|&l| {
                        !respect_red_lines
                            || parties
                                .iter()
                                .all(|p| !matches!(issue.stake(p), Some(s) if !s.accepts(grid[k][l])))
                    })
                    .collect()
            })
            .collect();
        if allowed.iter().any(|a| a.is_empty()) || scenario.issues.is_empty() {
            return (vec![], None, 0);
        }
        let mut idx = vec![0usize; allowed.len()];
        let mut points: Vec<Vec<f64>> = Vec::new();
        let mut packs: Vec<Vec<usize>> = Vec::new();
        loop {
            let u: Vec<f64> = (0..np)
                .map(|a| {
                    norm[a]
                        * idx
                            .iter()
                            .enumerate()
                            .map(|(k, &i)| contrib[k][a][allowed[k][i]])
                            .sum::<f64>()
                })
                .collect();
            if u.iter().zip(&dis).all(|(u, d)| u > d) {
                points.push(u);
                packs.push(idx.iter().enumerate().map(|(k, &i)| allowed[k][i]).collect());
            }
            // Odometer.
            let mut k = 0;
            loop {
                if k == idx.len() {
                    let n = points.len();
                    let front = pareto(&points);
                    let package = |i: usize| Package {
                        values: packs[i].iter().enumerate().map(|(k, &l)| grid[k][l]).collect(),
                        utilities: points[i].clone(),
                    };
                    let nash = crate::discrete::nash(&points, &dis, &weights).map(package);
                    return (front.into_iter().map(package).collect(), nash, n);
                }
                idx[k] += 1;
                if idx[k] < allowed[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
        }
    };
    let (frontier, nash, zopa_size) = enumerate(true);
    let (frontier_without_red_lines, nash_without_red_lines, _) = enumerate(false);
    Space {
        parties,
        zones,
        disagreement: dis,
        zopa_size,
        frontier,
        nash,
        frontier_without_red_lines,
        nash_without_red_lines,
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Negotiator, Stake};

    fn issue(id: &str, a: (f64, Option<f64>, f64), b: (f64, Option<f64>, f64), sq: f64) -> Issue {
        let mut i = Issue::from_stakes(
            id,
            vec![Stake::new("A", 1.0, a.0, a.2), Stake::new("B", 1.0, b.0, b.2)],
        );
        i.lo = 0.0;
        i.hi = 100.0;
        i.status_quo = Some(sq);
        i.stakes[0].red_line = a.1;
        i.stakes[1].red_line = b.1;
        i
    }

    fn scenario(issues: Vec<Issue>) -> Talks {
        Talks {
            actors: vec![
                Negotiator {
                    id: "A".into(),
                    name: "A".into(),
                    capability: 1.0,
                    basis: String::new(),
                },
                Negotiator {
                    id: "B".into(),
                    name: "B".into(),
                    capability: 1.0,
                    basis: String::new(),
                },
            ],
            parties: vec!["A".into(), "B".into()],
            issues,
            ..Talks::default()
        }
    }

    #[test]
    fn red_lines_that_do_not_meet_block_the_issue() {
        let s = scenario(vec![issue(
            "t",
            (0.0, Some(30.0), 1.0),
            (100.0, Some(60.0), 1.0),
            50.0,
        )]);
        let sp = analyse(&s, 11);
        assert_eq!(sp.zones[0].zone, None);
        assert_eq!(sp.zones[0].blocked_by, Some(("B".into(), "A".into(), 30.0)));
        assert!(sp.frontier.is_empty() && sp.nash.is_none());
    }

    #[test]
    fn logrolling_package_is_found() {
        // A cares about issue 1, B about issue 2; status quo in the middle of both.
        let s = scenario(vec![
            issue("one", (0.0, None, 0.9), (100.0, None, 0.1), 50.0),
            issue("two", (0.0, None, 0.1), (100.0, None, 0.9), 50.0),
        ]);
        let sp = analyse(&s, 11);
        let nash = sp.nash.unwrap();
        assert_eq!(
            nash.values,
            vec![0.0, 100.0],
            "each gets the issue it cares about"
        );
        assert!(nash.utilities.iter().all(|&u| (u - 0.9).abs() < 1e-12));
        assert!(sp
            .frontier
            .iter()
            .all(|p| p.utilities.iter().zip(&sp.disagreement).all(|(u, d)| u > d)));
        assert!(sp.zones.iter().all(|z| z.zone == Some((0.0, 100.0))));
    }
}
