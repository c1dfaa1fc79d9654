//! `casus negotiate`: the bargaining space of a settlement and forecasts of where talks end.
//! Reads a CSV of one issue or a TOML scenario (or the built-in `ukraine`), asks
//! casus-negotiate, and builds one [`Report`]; `--out DIR` adds SVG charts.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use casus_negotiate::{compromise, eum, nash, parse, space, Issue, Scenario};
use casus_syntax::SourceFile;
use plotters::prelude::*;
use serde_json::{json, Value};

use casus_render::diagnostics;

use super::{Report, Section};

/// The built-in scenario, compiled in.

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelChoice {
    Compromise,
    Nash,
    Eum,
    All,
}

#[derive(clap::Args)]
pub struct NegotiateArgs {
    /// `ukraine` (built in), a CSV of one issue (actor,capability,position,salience[,red_line]) or a TOML scenario.
    pub which: String,
    /// Which model to run.
    #[arg(long, value_enum, default_value_t = ModelChoice::All)]
    pub model: ModelChoice,
    /// Rounds of the expected utility model.
    #[arg(long, default_value_t = 10)]
    pub rounds: usize,
    /// Reading of the expected utility model: `scholz` (reproduces the published rounds) or `paper` (printed formulas).
    #[arg(long, default_value = "scholz")]
    pub settings: String,
    /// Grid values per issue for packages across issues.
    #[arg(long, default_value_t = 6)]
    pub steps: usize,
    /// Write charts (positions by round, the frontier) as SVG into this folder.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

fn f(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "—".into()
    }
}

fn load(which: &str) -> Result<(SourceFile, Scenario)> {
    let file = if let Some(f) = casus_library::negotiation_scenario(which) {
        f
    } else {
        let p = Path::new(which);
        if !p.is_file() {
            let built_in: Vec<String> = casus_library::negotiation_scenarios()
                .iter()
                .filter_map(|f| {
                    f.path
                        .strip_prefix("library/negotiation/")?
                        .strip_suffix(".toml")
                        .map(String::from)
                })
                .collect();
            bail!(
                "`{which}` is neither a built-in scenario ({}) nor a file",
                built_in.join(", ")
            );
        }
        SourceFile::new(
            which,
            std::fs::read_to_string(p).with_context(|| format!("reading {which}"))?,
        )
    };
    let (value, diags) = if file.path.ends_with(".csv") {
        let p = parse::issue_csv(&file);
        (
            p.value.map(|issue| Scenario {
                id: issue.id.clone(),
                title: format!("one issue from {}", file.path),
                parties: issue.stakes.iter().map(|s| s.actor.clone()).collect(),
                issues: vec![issue],
                ..Scenario::default()
            }),
            p.diagnostics,
        )
    } else {
        let p = parse::scenario_toml(&file);
        (p.value, p.diagnostics)
    };
    let files = [file.clone()];
    for d in &diags {
        eprint!("{}", diagnostics::render(d, &files));
    }
    match value {
        Some(s) => Ok((file, s)),
        None => bail!("{} has errors", file.path),
    }
}

fn players(issue: &Issue) -> Vec<eum::Player> {
    issue
        .stakes
        .iter()
        .map(|s| eum::Player {
            capability: s.capability,
            salience: s.salience,
            position: s.position,
        })
        .collect()
}

fn disagreement(issue: &Issue) -> nash::Disagreement {
    issue
        .status_quo
        .map_or(nash::Disagreement::Worst, nash::Disagreement::At)
}

/// The command.
pub fn report(args: &NegotiateArgs) -> Result<Report> {
    let settings = eum::Settings::named(&args.settings).with_context(|| {
        format!(
            "unknown --settings `{}`; expected one of {}",
            args.settings,
            eum::Settings::NAMES.join(", ")
        )
    })?;
    let (file, sc) = load(&args.which)?;
    let single = file.path.ends_with(".csv");
    let want = |m: ModelChoice| args.model == m || args.model == ModelChoice::All;
    let mut sections = Vec::new();
    let mut heading = vec![format!("casus negotiate: {}", sc.title)];
    if !sc.date.is_empty() {
        heading.push(format!("positions as of {} · source: {}", sc.date, file.path));
    }
    let mut out = serde_json::Map::new();
    out.insert("scenario".into(), json!({ "id": sc.id, "title": sc.title, "date": sc.date, "source": file.path, "parties": sc.parties }));

    // The bargaining space (scenarios with red lines and parties).
    let sp = (!single).then(|| space::analyse(&sc, args.steps));
    if let Some(sp) = &sp {
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
            zj.push(json!({ "issue": issue.id, "zone": z.zone.map(|(a, b)| json!([a, b])), "blocked_by": z.blocked_by.as_ref().map(|(a, b, g)| json!({ "low_side": a, "high_side": b, "gap": g })) }));
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
        zones
            .notes
            .push(format!("Zones count red lines of the parties only ({}); a red line is the worst outcome a party accepts.", sp.parties.iter().map(|p| name(p)).collect::<Vec<_>>().join(", ")));
        sections.push(zones);
        out.insert("zones".into(), Value::Array(zj));
        out.insert("verdict".into(), json!({ "zone_of_agreement": sp.zopa_size > 0, "blocking_issues": sc.issues.iter().zip(&sp.zones).filter(|(_, z)| z.zone.is_none()).map(|(i, _)| i.id.clone()).collect::<Vec<_>>(), "packages_in_zone": sp.zopa_size, "text": verdict }));

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
        for p in &keep {
            let mut row: Vec<String> = p.values.iter().map(|v| f(*v)).collect();
            row.extend(p.utilities.iter().map(|u| format!("{u:.3}")));
            row.push(if Some(*p) == nash_p.as_ref() {
                "Nash".into()
            } else {
                String::new()
            });
            packs.row(row);
        }
        if let Some(n) = nash_p {
            if !keep.contains(&n) {
                let mut row: Vec<String> = n.values.iter().map(|v| f(*v)).collect();
                row.extend(n.utilities.iter().map(|u| format!("{u:.3}")));
                row.push("Nash".into());
                packs.row(row);
            }
        }
        packs.notes.push(format!(
            "{} frontier packages ({} shown). Utilities are additive over issues, weighted by salience; no agreement gives {}. Nash: the package maximising Π (u − d)^capability.",
            front.len(),
            packs.rows.len(),
            sp.parties.iter().zip(&sp.disagreement).map(|(p, d)| format!("u({p}) = {d:.3}")).collect::<Vec<_>>().join(", ")
        ));
        sections.push(packs);
        let pj = |p: &space::Package| json!({ "values": sc.issues.iter().zip(&p.values).map(|(i, v)| (i.id.clone(), json!(v))).collect::<serde_json::Map<_, _>>(), "utilities": sp.parties.iter().zip(&p.utilities).map(|(a, u)| (a.clone(), json!(u))).collect::<serde_json::Map<_, _>>() });
        out.insert(
            "packages".into(),
            json!({
                "steps": sp.steps,
                "disagreement": sp.parties.iter().zip(&sp.disagreement).map(|(a, u)| (a.clone(), json!(u))).collect::<serde_json::Map<_, _>>(),
                "frontier": sp.frontier.iter().map(pj).collect::<Vec<_>>(),
                "nash": sp.nash.as_ref().map(pj),
                "frontier_without_red_lines": sp.frontier_without_red_lines.iter().map(pj).collect::<Vec<_>>(),
                "nash_without_red_lines": sp.nash_without_red_lines.as_ref().map(pj),
            }),
        );
    }

    // Forecasts per issue.
    let mut fc = Section::new(
        "Forecasts by issue (0–100 unless the file says otherwise)",
        &[
            "issue",
            "compromise (mean)",
            "weighted median",
            "Nash (bargainers, d = status quo)",
            "EUM median",
            "EUM mean",
        ],
    );
    let mut fj = Vec::new();
    let mut runs = Vec::new();
    for issue in &sc.issues {
        let mean = compromise::weighted_mean(&issue.stakes);
        let median = compromise::weighted_median(&issue.stakes);
        // The bargainers: every actor of a single issue; the parties of a scenario.
        let bargainers: Vec<casus_negotiate::Stake> = issue
            .stakes
            .iter()
            .filter(|s| single || sc.parties.contains(&s.actor))
            .cloned()
            .collect();
        let nbs = nash::solve_stakes(
            &bargainers,
            issue.lo,
            issue.hi,
            disagreement(issue),
            nash::Settings::default(),
        );
        let run = want(ModelChoice::Eum).then(|| eum::run(&players(issue), args.rounds, &settings, true));
        let last = run.as_ref().and_then(|r| r.last().cloned());
        let cell = |x: Option<f64>, on: bool| {
            if on {
                x.map_or("—".into(), f)
            } else {
                "·".into()
            }
        };
        fc.row(vec![
            issue.name.clone(),
            cell(mean, want(ModelChoice::Compromise)),
            cell(median, want(ModelChoice::Compromise)),
            if want(ModelChoice::Nash) {
                nbs.map_or("—".into(), |s| {
                    if s.agreement {
                        f(s.x)
                    } else {
                        format!("{} (no deal beats d)", f(s.x))
                    }
                })
            } else {
                "·".into()
            },
            cell(last.as_ref().map(|r| r.median), want(ModelChoice::Eum)),
            cell(last.as_ref().map(|r| r.mean), want(ModelChoice::Eum)),
        ]);
        fj.push(json!({
            "issue": issue.id,
            "compromise": want(ModelChoice::Compromise).then_some(mean).flatten(),
            "weighted_median": want(ModelChoice::Compromise).then_some(median).flatten(),
            "nash": if want(ModelChoice::Nash) { nbs.map(|s| json!({ "x": s.x, "agreement": s.agreement })) } else { None },
            "eum": last.as_ref().map(|r| json!({ "median": r.median, "mean": r.mean, "rounds": args.rounds })),
        }));
        if let Some(run) = run {
            runs.push((issue, run));
        }
    }
    fc.notes.push(format!(
        "compromise = Σ c·s·x / Σ c·s; Nash = quadratic asymmetric NBS among the bargainers (the parties of a scenario, every actor of one issue), weights c·s, \"no deal beats d\" when no outcome of the issue alone is better than the status quo for all of them; EUM = Bueno de Mesquita's model as reconstructed by Scholz et al. (2011), setting `{}`, after {} rounds (its forecast is the weighted median).",
        args.settings, args.rounds
    ));
    sections.push(fc);
    out.insert("forecasts".into(), Value::Array(fj));

    // Expected utility model: rounds and perspectives.
    let mut ej = Vec::new();
    for (issue, run) in &runs {
        let actors: Vec<&str> = issue.stakes.iter().map(|s| s.actor.as_str()).collect();
        let mut headers = vec!["round", "median", "mean"];
        headers.extend(actors.iter().copied());
        let mut sec = Section::new(
            format!("Expected utility model: {} — positions by round", issue.name),
            &headers,
        );
        for r in run {
            let mut row = vec![r.round.to_string(), f(r.median), f(r.mean)];
            row.extend(r.positions.iter().map(|x| f(*x)));
            sec.row(row);
        }
        if single || sc.issues.len() == 1 {
            sections.push(sec);
            if let Some(r1) = run.get(1) {
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
                for (i, row) in r1.perspective.iter().enumerate() {
                    for (j, v) in row.iter().enumerate() {
                        if let Some((a, b)) = v {
                            p.row(vec![
                                actors[i].into(),
                                actors[j].into(),
                                format!("{a:.4}"),
                                format!("{b:.4}"),
                                octant(*a, *b).into(),
                            ]);
                        }
                    }
                }
                sections.push(p);
            }
        }
        ej.push(json!({
            "issue": issue.id,
            "settings": args.settings,
            "actors": actors,
            "rounds": run.iter().map(|r| json!({
                "round": r.round,
                "median": r.median,
                "mean": r.mean,
                "positions": actors.iter().zip(&r.positions).map(|(a, x)| (a.to_string(), json!(x))).collect::<serde_json::Map<_, _>>(),
                "risk": actors.iter().zip(&r.risk).map(|(a, x)| (a.to_string(), json!(x))).collect::<serde_json::Map<_, _>>(),
                "moves": r.moves.iter().enumerate().filter_map(|(i, m)| m.map(|m| json!({ "actor": actors[i], "to_actor": actors[m.to_actor], "kind": m.kind, "from": m.from, "to": m.to }))).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "perspective": run.iter().flat_map(|r| r.perspective.iter().enumerate().flat_map(move |(i, row)| row.iter().enumerate().filter_map(move |(j, v)| v.map(|(a, b)| (r.round, i, j, a, b))))).map(|(t, i, j, a, b)| json!({ "round": t, "viewer": actors[i], "other": actors[j], "challenge": a, "challenged": b, "octant": octant(a, b) })).collect::<Vec<_>>(),
        }));
    }
    if !(runs.is_empty() || single || sc.issues.len() == 1) {
        let mut headers = vec!["round".to_string()];
        headers.extend(runs.iter().map(|(i, _)| format!("{} median / mean", i.id)));
        let mut sec = Section {
            title: "Expected utility model: weighted median and mean by round".into(),
            headers,
            rows: vec![],
            notes: vec![
                "Each actor's position by round and its view of the others are in --format json (`eum`)."
                    .into(),
            ],
        };
        for t in 0..=args.rounds {
            let mut row = vec![t.to_string()];
            row.extend(runs.iter().map(|(_, r)| {
                r.get(t)
                    .map_or("—".into(), |r| format!("{} / {}", f(r.median), f(r.mean)))
            }));
            sec.row(row);
        }
        sections.push(sec);
    }
    if !ej.is_empty() {
        out.insert("eum".into(), Value::Array(ej));
    }
    // Sources.
    if !single {
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
        sections.push(src);
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (issue, run) in &runs {
            chart_rounds(&dir.join(format!("rounds-{}.svg", issue.id)), issue, run)?;
        }
        if let Some(sp) = &sp {
            chart_frontier(&dir.join("frontier.svg"), sp)?;
        }
        heading.push(format!("charts written to {}", dir.display()));
    }
    Ok(Report {
        heading,
        sections,
        json: Value::Object(out),
    })
}

/// The region of Fig. 6 (Scholz et al. 2011) of a pair of expected utilities.
fn octant(a: f64, b: f64) -> &'static str {
    match (a > 0.0, b > 0.0) {
        (true, true) if a > b => "confrontation+ (other gives in)",
        (true, true) => "confrontation− (viewer gives in)",
        (true, false) if a > -b => "compromise+ (other moves part way)",
        (true, false) => "compel+",
        (false, true) if b > -a => "compromise− (viewer moves part way)",
        (false, true) => "compel−",
        (false, false) => "stalemate",
    }
}

const COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

fn chart_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("chart: {e:?}")
}

fn chart_rounds(path: &Path, issue: &Issue, run: &[eum::Round]) -> Result<()> {
    let root = SVGBackend::new(path, (820, 460)).into_drawing_area();
    root.fill(&WHITE).map_err(chart_err)?;
    let rounds = run.len().saturating_sub(1).max(1) as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{}: positions by round (expected utility model)", issue.name),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..rounds, issue.lo..issue.hi)
        .map_err(chart_err)?;
    chart
        .configure_mesh()
        .x_desc("round")
        .y_desc("position")
        .draw()
        .map_err(chart_err)?;
    for (k, s) in issue.stakes.iter().enumerate() {
        let c = COLOURS[k % COLOURS.len()];
        chart
            .draw_series(LineSeries::new(
                run.iter().map(|r| (r.round as f64, r.positions[k])),
                c.stroke_width(2),
            ))
            .map_err(chart_err)?
            .label(s.actor.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
    }
    chart
        .draw_series(LineSeries::new(
            run.iter().map(|r| (r.round as f64, r.median)),
            BLACK.stroke_width(3),
        ))
        .map_err(chart_err)?
        .label("weighted median")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.stroke_width(3)));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(chart_err)?;
    root.present().map_err(chart_err)?;
    Ok(())
}

fn chart_frontier(path: &Path, sp: &space::Space) -> Result<()> {
    if sp.parties.len() < 2 {
        return Ok(());
    }
    let root = SVGBackend::new(path, (620, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(chart_err)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Pareto frontier: u({}) against u({})",
                sp.parties[0], sp.parties[1]
            ),
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..1f64, 0f64..1f64)
        .map_err(chart_err)?;
    chart
        .configure_mesh()
        .x_desc(format!("u({})", sp.parties[0]))
        .y_desc(format!("u({})", sp.parties[1]))
        .draw()
        .map_err(chart_err)?;
    let mut free: Vec<(f64, f64)> = sp
        .frontier_without_red_lines
        .iter()
        .map(|p| (p.utilities[0], p.utilities[1]))
        .collect();
    free.sort_by(|a, b| a.0.total_cmp(&b.0));
    chart
        .draw_series(LineSeries::new(free.iter().copied(), COLOURS[0].stroke_width(2)))
        .map_err(chart_err)?
        .label("frontier without red lines")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], COLOURS[0].stroke_width(2)));
    chart
        .draw_series(
            sp.frontier
                .iter()
                .map(|p| Circle::new((p.utilities[0], p.utilities[1]), 4, COLOURS[2].filled())),
        )
        .map_err(chart_err)?
        .label("frontier within red lines")
        .legend(|(x, y)| Circle::new((x + 8, y), 4, COLOURS[2].filled()));
    let d = (sp.disagreement[0], sp.disagreement[1]);
    chart
        .draw_series([Cross::new(d, 6, COLOURS[3].stroke_width(2))])
        .map_err(chart_err)?
        .label("no agreement")
        .legend(|(x, y)| Cross::new((x + 8, y), 5, COLOURS[3].stroke_width(2)));
    if let Some(n) = sp.nash.as_ref().or(sp.nash_without_red_lines.as_ref()) {
        chart
            .draw_series([TriangleMarker::new(
                (n.utilities[0], n.utilities[1]),
                7,
                BLACK.filled(),
            )])
            .map_err(chart_err)?
            .label("Nash package")
            .legend(|(x, y)| TriangleMarker::new((x + 8, y), 5, BLACK.filled()));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(chart_err)?;
    root.present().map_err(chart_err)?;
    Ok(())
}
