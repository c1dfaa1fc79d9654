//! The tables of `negotiate`: the bargaining space, the model's rounds, where the numbers
//! come from, and the DEU III evaluation.

use casus_negotiate::cycle::Outcome;
use casus_negotiate::eum::{Model, Round};
use casus_negotiate::{deu, eum, space, Issue, Scenario};
use casus_render::{Report, Section};
use schemars::JsonSchema;
use serde::Serialize;

use crate::negotiate::{
    f, players, stakes_players, Blocked, EumRun, NegotiateRequest, Negotiation, PackageView, Packages,
    Verdict, ZoneView, SHOWN_ROUNDS,
};
use crate::negotiate_trace::{octant, Named, PerspectiveTrace, Replay, RoundsTrace};
use crate::Answer;

/// Zones of agreement, the verdict and the packages on the frontier.
pub(crate) fn space_sections(
    sc: &Scenario,
    sp: &space::Space,
    out: &mut Negotiation,
    sections: &mut Vec<Section>,
) {
    let name = |id: &str| sc.actor(id).map_or(id.to_string(), |a| a.name.clone());
    let mut zones = Section::new(
        "Zone of agreement by issue (between the parties' red lines)",
        &["issue", "zone", "blocked by", "status quo"],
    );
    let mut zj = Vec::new();
    for (z, issue) in sp.zones.iter().zip(&sc.issues) {
        let (zone, blocked) = match (&z.zone, &z.blocked_by) {
            (Some((a, b)), _) => (format!("{} – {}", f(*a), f(*b)), String::new()),
            (None, Some((lo_by, hi_by, gap))) => {
                let lr = issue.stake(lo_by).and_then(|s| s.red_line).unwrap_or(f64::NAN);
                let hr = issue.stake(hi_by).and_then(|s| s.red_line).unwrap_or(f64::NAN);
                (
                    "none".into(),
                    format!(
                        "{} accepts no less than {}, {} no more than {} (gap {})",
                        name(lo_by),
                        f(lr),
                        name(hi_by),
                        f(hr),
                        f(*gap)
                    ),
                )
            }
            (None, None) => ("none".into(), String::new()),
        };
        zones.row(vec![
            issue.name.clone(),
            zone,
            blocked,
            issue.status_quo.map_or("—".into(), f),
        ]);
        zj.push(ZoneView {
            issue: issue.id.clone(),
            zone: z.zone,
            blocked_by: z.blocked_by.as_ref().map(|(a, b, g)| Blocked {
                low_side: a.clone(),
                high_side: b.clone(),
                gap: *g,
            }),
        });
    }
    let blocking: Vec<&str> = sp
        .zones
        .iter()
        .zip(&sc.issues)
        .filter(|(z, _)| z.zone.is_none())
        .map(|(_, i)| i.name.as_str())
        .collect();
    let verdict = if !blocking.is_empty() {
        format!(
            "No zone of agreement: the red lines do not meet on {}.",
            blocking.join(", ")
        )
    } else if sp.zopa_size == 0 {
        "The red lines meet on every issue, but no package on the grid leaves every party better off than no agreement.".to_string()
    } else {
        format!("A zone of agreement exists: {} packages on the grid respect every red line and leave every party better off than no agreement.", sp.zopa_size)
    };
    zones.notes.push(verdict.clone());
    zones.notes.push(format!(
        "Zones count red lines of the parties only ({}); a red line is the worst outcome a party accepts.",
        sp.parties.iter().map(|p| name(p)).collect::<Vec<_>>().join(", ")
    ));
    sections.push(zones);
    out.zones = Some(zj);
    out.verdict = Some(Verdict {
        zone_of_agreement: sp.zopa_size > 0,
        blocking_issues: sc
            .issues
            .iter()
            .zip(&sp.zones)
            .filter(|(_, z)| z.zone.is_none())
            .map(|(i, _)| i.id.clone())
            .collect(),
        packages_in_zone: sp.zopa_size,
        text: verdict,
    });

    // Packages.
    let (front, nash_p, label) = if sp.zopa_size > 0 {
        (
            &sp.frontier,
            &sp.nash,
            "Packages on the Pareto frontier of the zone of agreement",
        )
    } else {
        (&sp.frontier_without_red_lines, &sp.nash_without_red_lines, "Packages on the Pareto frontier if the red lines gave (every party better off than no agreement)")
    };
    let mut headers: Vec<String> = sc.issues.iter().map(|i| i.id.clone()).collect();
    headers.extend(sp.parties.iter().map(|p| format!("u({p})")));
    headers.push("".into());
    let mut packs = Section {
        title: format!("{label}; grid of {} values per issue", sp.steps),
        headers,
        rows: vec![],
        notes: vec![],
    };
    let mut shown: Vec<&space::Package> = front.iter().collect();
    shown.sort_by(|a, b| b.utilities[0].total_cmp(&a.utilities[0]));
    let limit = 12;
    let keep: Vec<&space::Package> = if shown.len() > limit {
        (0..limit)
            .map(|k| shown[k * (shown.len() - 1) / (limit - 1)])
            .collect()
    } else {
        shown.clone()
    };
    let row = |p: &space::Package, nash: bool| {
        let mut row: Vec<String> = p.values.iter().map(|v| f(*v)).collect();
        row.extend(p.utilities.iter().map(|u| format!("{u:.3}")));
        row.push(if nash { "Nash".into() } else { String::new() });
        row
    };
    for p in &keep {
        packs.row(row(p, Some(*p) == nash_p.as_ref()));
    }
    if let Some(n) = nash_p {
        if !keep.contains(&n) {
            packs.row(row(n, true));
        }
    }
    packs.notes.push(format!(
        "{} frontier packages ({} shown). Utilities are additive over issues, weighted by salience; no agreement gives {}. Nash: the package maximising Π (u − d)^capability.",
        front.len(),
        packs.rows.len(),
        sp.parties.iter().zip(&sp.disagreement).map(|(p, d)| format!("u({p}) = {d:.3}")).collect::<Vec<_>>().join(", ")
    ));
    sections.push(packs);
    let pj = |p: &space::Package| PackageView {
        values: Named(
            sc.issues
                .iter()
                .map(|i| i.id.clone())
                .zip(p.values.iter().copied())
                .collect(),
        ),
        utilities: Named(
            sp.parties
                .iter()
                .cloned()
                .zip(p.utilities.iter().copied())
                .collect(),
        ),
    };
    out.packages = Some(Packages {
        steps: sp.steps,
        disagreement: Named(
            sp.parties
                .iter()
                .cloned()
                .zip(sp.disagreement.iter().copied())
                .collect(),
        ),
        frontier: sp.frontier.iter().map(pj).collect(),
        nash: sp.nash.as_ref().map(pj),
        frontier_without_red_lines: sp.frontier_without_red_lines.iter().map(pj).collect(),
        nash_without_red_lines: sp.nash_without_red_lines.as_ref().map(pj),
    });
}

/// The first [`SHOWN_ROUNDS`] rounds (and the last, if more were run).
fn shown_rounds(players: &[eum::Player], settings: eum::Settings, rounds: usize, last: &Round) -> Vec<Round> {
    let mut m = Model::new(players, settings);
    let mut v = vec![m.initial()];
    while m.round() < rounds.min(SHOWN_ROUNDS) {
        v.push(m.step(false));
    }
    if rounds > SHOWN_ROUNDS {
        v.push(last.clone());
    }
    v
}

/// The model's rounds: positions by round, each actor's view in round 1, and the JSON trace.
pub(crate) fn rounds_sections(
    sc: &Scenario,
    single: bool,
    req: &NegotiateRequest,
    settings: eum::Settings,
    runs: &[(&Issue, Outcome, Round)],
    out: &mut Negotiation,
    sections: &mut Vec<Section>,
) {
    let rounds = req.rounds();
    let skipped = (rounds > SHOWN_ROUNDS).then(|| {
        format!(
            "Rounds {}–{} not shown ({} rounds run); every round is in --format json.",
            SHOWN_ROUNDS + 1,
            rounds - 1,
            rounds
        )
    });
    let mut shown_all = Vec::new();
    for (issue, _, last) in runs {
        let actors: Vec<String> = issue.stakes.iter().map(|s| s.actor.clone()).collect();
        let pl = players(issue);
        let shown = shown_rounds(&pl, settings, rounds, last);
        if single || sc.issues.len() == 1 {
            let mut headers = vec!["round", "median", "mean"];
            headers.extend(actors.iter().map(String::as_str));
            let mut sec = Section::new(
                format!("Expected utility model: {} — positions by round", issue.name),
                &headers,
            );
            for r in &shown {
                let mut row = vec![r.round.to_string(), f(r.median), f(r.mean)];
                row.extend(r.positions.iter().map(|x| f(*x)));
                sec.row(row);
            }
            sec.notes.extend(skipped.clone());
            sections.push(sec);
            if rounds >= 1 {
                sections.push(view_in_round_1(issue, &actors, &pl, settings));
            }
        }
        out.charts.rounds.push((
            (*issue).clone(),
            shown.iter().map(|r| r.positions.clone()).collect(),
            shown.iter().map(|r| r.median).collect(),
        ));
        let replay = Replay {
            players: stakes_players(&issue.stakes),
            settings,
            rounds,
            actors: actors.clone(),
        };
        out.eum.push(EumRun {
            issue: issue.id.clone(),
            settings: req.settings_name().to_string(),
            actors,
            rounds: RoundsTrace(replay.clone()),
            perspective: PerspectiveTrace(replay),
        });
        shown_all.push(shown);
    }
    if !(runs.is_empty() || single || sc.issues.len() == 1) {
        let mut headers = vec!["round".to_string()];
        headers.extend(runs.iter().map(|(i, _, _)| format!("{} median / mean", i.id)));
        let mut sec = Section {
            title: "Expected utility model: weighted median and mean by round".into(),
            headers,
            rows: vec![],
            notes: vec![
                "Each actor's position by round and its view of the others are in --format json (`eum`)."
                    .into(),
            ],
        };
        sec.notes.extend(skipped);
        for k in 0..shown_all.first().map_or(0, Vec::len) {
            let mut row = vec![shown_all[0][k].round.to_string()];
            row.extend(shown_all.iter().map(|s| {
                s.get(k)
                    .map_or("—".into(), |r| format!("{} / {}", f(r.median), f(r.mean)))
            }));
            sec.row(row);
        }
        sections.push(sec);
    }
}

/// The most actors for which each pair's view is tabled (n² rows); all are in the JSON.
const VIEW_TABLE_ACTORS: usize = 20;

fn view_in_round_1(issue: &Issue, actors: &[String], pl: &[eum::Player], settings: eum::Settings) -> Section {
    let mut p = Section::new(
        format!(
            "Expected utility model: {} — each actor's view in round 1",
            issue.name
        ),
        &[
            "viewer",
            "other",
            "E(viewer challenges other)",
            "E(other challenges viewer)",
            "octant",
        ],
    );
    if actors.len() > VIEW_TABLE_ACTORS {
        p.notes.push(format!(
            "{} actors make {} pairs: not tabled; they are in --format json (`perspective`).",
            actors.len(),
            actors.len() * (actors.len() - 1)
        ));
        return p;
    }
    let r1 = Model::new(pl, settings).step(true);
    for (i, row) in r1.perspective.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if let Some((a, b)) = v {
                p.row(vec![
                    actors[i].clone(),
                    actors[j].clone(),
                    format!("{a:.4}"),
                    format!("{b:.4}"),
                    octant(*a, *b).into(),
                ]);
            }
        }
    }
    p
}

/// "Where the numbers come from".
pub(crate) fn sources_section(sc: &Scenario) -> Section {
    let mut src = Section::new(
        "Where the numbers come from",
        &["issue", "actor", "position", "salience", "red line", "basis"],
    );
    for issue in &sc.issues {
        if let Some(q) = issue.status_quo {
            src.row(vec![
                issue.id.clone(),
                "status quo".into(),
                f(q),
                String::new(),
                String::new(),
                issue.status_quo_basis.clone(),
            ]);
        }
        for s in &issue.stakes {
            src.row(vec![
                issue.id.clone(),
                s.actor.clone(),
                f(s.position),
                format!("{:.0}", s.salience * 100.0),
                s.red_line.map_or(String::new(), f),
                s.basis.clone(),
            ]);
        }
    }
    for a in &sc.actors {
        src.row(vec![
            "(capability)".into(),
            a.id.clone(),
            f(a.capability),
            String::new(),
            String::new(),
            a.basis.clone(),
        ]);
    }
    src.notes.extend(sc.notes.iter().cloned());
    src
}

/// One model's mean absolute error on DEU III's adopted outcomes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeuRow {
    pub model: String,
    pub train: f64,
    pub train_n: usize,
    pub test: f64,
    pub test_n: usize,
    pub all: f64,
    pub all_n: usize,
}

/// What `casus negotiate deu3.csv` answers: every model against the adopted outcomes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeuEvaluation {
    pub source: String,
    pub issues: usize,
    pub with_outcome: usize,
    pub rounds: usize,
    pub settings: String,
    pub models: Vec<DeuRow>,
}

pub(crate) fn deu(
    issues: &[deu::DeuIssue],
    req: &NegotiateRequest,
    settings: eum::Settings,
    source: &str,
) -> Answer<DeuEvaluation> {
    use deu::Model;
    let rules = deu::Rules::default();
    let split = deu::is_test(issues);
    let rounds = req.rounds();
    let name = req.settings_name();
    let models = [
        ("compromise (weighted mean)".to_string(), Model::Mean),
        ("weighted median".to_string(), Model::Median),
        ("Nash (quadratic, d = reference point)".to_string(), Model::Nash),
        (
            format!("EUM `{name}`, {rounds} rounds, median"),
            Model::EumMedian(settings, rounds),
        ),
        (
            format!("EUM `{name}`, {rounds} rounds, mean"),
            Model::EumMean(settings, rounds),
        ),
    ];
    let mut s = Section::new(
        "Mean absolute error on the adopted outcomes (0–100)",
        &["model", "train", "test", "all"],
    );
    let mut rows = Vec::new();
    for (label, m) in models {
        let (tr, te, all) = deu::evaluate(issues, &split, &rules, m);
        let cell = |e: deu::Mae| format!("{} (n={})", f(e.mae), e.n);
        s.row(vec![label.clone(), cell(tr), cell(te), cell(all)]);
        rows.push(DeuRow {
            model: label,
            train: tr.mae,
            train_n: tr.n,
            test: te.mae,
            test_n: te.n,
            all: all.mae,
            all_n: all.n,
        });
    }
    s.notes.push("Fixed split: issues of odd-numbered proposals (in order of first appearance) are the test half. Capabilities: Council votes of the rule in force; the Commission and the EP under co-decision as an average member state (assumption; docs/negotiation.md).".into());
    let with_outcome = issues.iter().filter(|i| i.outcome.is_some()).count();
    let data = DeuEvaluation {
        source: source.to_string(),
        issues: issues.len(),
        with_outcome,
        rounds,
        settings: name.to_string(),
        models: rows,
    };
    Answer::new(
        data,
        Report {
            heading: vec![
                format!("casus negotiate: DEU III, every model against the adopted outcomes"),
                format!(
                    "{} issues ({with_outcome} with an adopted outcome) · source: {source}",
                    issues.len()
                ),
            ],
            sections: vec![s],
            records: None,
        },
    )
}
