//! `negotiate`: the bargaining space of a settlement and forecasts of where talks end.
//! The input is a built-in scenario (`library/negotiation/ID.toml`, from
//! `casus_library::negotiation_scenario`), a user's CSV of one issue or TOML scenario, or the
//! DEU III data file (recognised by its tab-separated header), which the session reads.
//!
//! Limits (each a clear error, not an exhausted machine; docs/negotiation.md):
//! - [`MAX_ROUNDS`] rounds, [`MAX_ACTORS`] actors on an issue, and at most
//!   [`MAX_PAIR_ROUNDS`] actor pairs × rounds (the model costs O(n²) per round);
//! - at most [`MAX_PACKAGES`] packages on the grid of `steps` values per issue;
//! - positions, red lines and capabilities within ±10⁹ (`casus_negotiate::parse`).
//!
//! A run of the expected utility model that comes back to a set of positions it had before
//! repeats for ever; it is reported as settled or as a cycle (period and states), and a
//! cycle is not given as a forecast (`casus_negotiate::cycle`).

use casus_negotiate::cycle::{self, Outcome};
use casus_negotiate::{compromise, deu, eum, nash, parse, space, Issue, Scenario, Stake};
use casus_render::{Report, Section};
use casus_syntax::{Diagnostic, SourceFile};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::negotiate_out::{rounds_sections, sources_section, space_sections};
pub use crate::negotiate_out::{DeuEvaluation, DeuRow};
pub use crate::negotiate_trace::{Named, PerspectiveTrace, Replay, RoundsTrace};
use crate::{Answer, Result};

/// The most rounds of the expected utility model.
pub const MAX_ROUNDS: usize = 1_000_000;
/// The most actors on one issue (the model keeps three n × n tables).
pub const MAX_ACTORS: usize = 2_000;
/// The most actor pairs × rounds of one request (about a minute on one core).
pub const MAX_PAIR_ROUNDS: u64 = 20_000_000_000;
/// The most packages enumerated on the grid (`steps` per issue, plus the status quo and red lines).
pub const MAX_PACKAGES: u64 = 2_000_000;
/// Rounds shown in tables (all of them are in the JSON).
pub const SHOWN_ROUNDS: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModelChoice {
    Compromise,
    Nash,
    Eum,
    #[default]
    All,
}

/// What to negotiate and how.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct NegotiateRequest {
    /// A built-in scenario id (`ukraine`) or the path of the file the session read.
    pub which: String,
    #[serde(default)]
    pub model: ModelChoice,
    /// Rounds of the expected utility model (default 10).
    pub rounds: Option<usize>,
    /// `scholz` (default) or `paper`.
    pub settings: Option<String>,
    /// Grid values per issue for packages across issues (default 6).
    pub steps: Option<usize>,
}

impl NegotiateRequest {
    pub fn rounds(&self) -> usize {
        self.rounds.unwrap_or(10)
    }
    pub fn steps(&self) -> usize {
        self.steps.unwrap_or(6)
    }
    pub fn settings_name(&self) -> &str {
        self.settings.as_deref().unwrap_or("scholz")
    }
}

/// The built-in scenario `which`, if there is one.
pub fn builtin(which: &str) -> Option<SourceFile> {
    casus_library::negotiation_scenario(which)
}

/// The error for a name that is neither a built-in scenario nor a file.
pub fn not_found(which: &str) -> Diagnostic {
    let built_in: Vec<String> = casus_library::negotiation_scenarios()
        .iter()
        .filter_map(|f| {
            f.path
                .strip_prefix("library/negotiation/")?
                .strip_suffix(".toml")
                .map(String::from)
        })
        .collect();
    Diagnostic::input(
        "which",
        format!(
            "`{which}` is neither a built-in scenario ({}) nor a file",
            built_in.join(", ")
        ),
    )
}

/// DEU III's file: tab-separated, a `prnr` column.
pub fn is_deu(file: &SourceFile) -> bool {
    let head = file.text.lines().next().unwrap_or("");
    head.contains('\t') && head.split('\t').any(|h| h.trim().trim_matches('"') == "prnr")
}

/// A file read, ready for [`negotiate`].
pub enum Input {
    Scenario { scenario: Scenario, single: bool },
    Deu(Vec<deu::DeuIssue>),
}

/// Reads a negotiation file: `(input, diagnostics)`; no input when there are errors.
pub fn read(file: &SourceFile) -> (Option<Input>, Vec<Diagnostic>) {
    if is_deu(file) {
        let (issues, problems) = deu::parse(&file.text);
        let diags: Vec<Diagnostic> = problems
            .iter()
            .map(|(line, msg)| {
                let start = line_start(&file.text, *line);
                Diagnostic::error(file, start..start, msg.clone())
            })
            .collect();
        let fatal = issues.is_empty() && !diags.is_empty();
        return ((!fatal).then_some(Input::Deu(issues)), diags);
    }
    if file.path.ends_with(".csv") {
        let p = parse::issue_csv(file);
        let v = p.value.map(|issue| Input::Scenario {
            scenario: Scenario {
                id: issue.id.clone(),
                title: format!("one issue from {}", file.path),
                parties: issue.stakes.iter().map(|s| s.actor.clone()).collect(),
                issues: vec![issue],
                ..Scenario::default()
            },
            single: true,
        });
        (v, p.diagnostics)
    } else {
        let p = parse::scenario_toml(file);
        let v = p.value.map(|scenario| Input::Scenario {
            scenario,
            single: false,
        });
        (v, p.diagnostics)
    }
}

fn line_start(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

/// What `casus negotiate --format json` prints for a scenario or one issue.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Negotiation {
    pub scenario: ScenarioView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zones: Option<Vec<ZoneView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packages: Option<Packages>,
    pub forecasts: Vec<Forecast>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub eum: Vec<EumRun>,
    /// For charts: the rounds shown (not serialised).
    #[serde(skip)]
    #[schemars(skip)]
    pub charts: Charts,
}

/// Positions by round (first rounds only) and the frontier, for an interface's charts.
#[derive(Debug, Clone, Default)]
pub struct Charts {
    /// (issue, its lower and upper bound, actors, positions by round, medians by round).
    pub rounds: Vec<(Issue, Vec<Vec<f64>>, Vec<f64>)>,
    pub space: Option<space::Space>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScenarioView {
    pub id: String,
    pub title: String,
    pub date: String,
    pub source: String,
    pub parties: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Blocked {
    pub low_side: String,
    pub high_side: String,
    pub gap: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ZoneView {
    pub issue: String,
    pub zone: Option<(f64, f64)>,
    pub blocked_by: Option<Blocked>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Verdict {
    pub zone_of_agreement: bool,
    pub blocking_issues: Vec<String>,
    pub packages_in_zone: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PackageView {
    pub values: Named<f64>,
    pub utilities: Named<f64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Packages {
    pub steps: usize,
    pub disagreement: Named<f64>,
    pub frontier: Vec<PackageView>,
    pub nash: Option<PackageView>,
    pub frontier_without_red_lines: Vec<PackageView>,
    pub nash_without_red_lines: Option<PackageView>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NashView {
    pub x: f64,
    pub agreement: bool,
}

/// How a run of the expected utility model ended.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EumOutcome {
    /// No position moves from `from_round` on: the median is the forecast.
    Settled { from_round: usize },
    /// The positions repeat every `period` rounds from `from_round` on: no forecast; the
    /// median and mean after `rounds` depend on `rounds`. `states`: one period's rounds.
    Cycle {
        from_round: usize,
        period: usize,
        states: Vec<CycleStateView>,
    },
    /// Still moving after the rounds run: the median is where the run stopped, not a rest point.
    Moving { rounds: usize },
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CycleStateView {
    pub round: usize,
    pub median: f64,
    pub mean: f64,
}

impl From<&Outcome> for EumOutcome {
    fn from(o: &Outcome) -> Self {
        match o {
            Outcome::Settled { from_round } => Self::Settled {
                from_round: *from_round,
            },
            Outcome::Moving { rounds } => Self::Moving { rounds: *rounds },
            Outcome::Cycle {
                from_round,
                period,
                states,
            } => Self::Cycle {
                from_round: *from_round,
                period: *period,
                states: states
                    .iter()
                    .map(|s| CycleStateView {
                        round: s.round,
                        median: s.median,
                        mean: s.mean,
                    })
                    .collect(),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EumForecast {
    /// The weighted median after `rounds` rounds (in a cycle: of that round only).
    pub median: f64,
    pub mean: f64,
    pub rounds: usize,
    pub outcome: EumOutcome,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Forecast {
    pub issue: String,
    pub compromise: Option<f64>,
    pub weighted_median: Option<f64>,
    pub nash: Option<NashView>,
    pub eum: Option<EumForecast>,
}

/// Every round of the model on one issue (computed while written: memory flat in rounds).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EumRun {
    pub issue: String,
    pub settings: String,
    pub actors: Vec<String>,
    pub rounds: RoundsTrace,
    pub perspective: PerspectiveTrace,
}

/// What `casus negotiate` answers: a scenario (or one issue), or the DEU III evaluation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum NegotiateResult {
    Scenario(Box<Negotiation>),
    Deu(DeuEvaluation),
}

pub(crate) fn f(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "—".into()
    }
}

pub(crate) fn players(issue: &Issue) -> Vec<eum::Player> {
    stakes_players(&issue.stakes)
}

pub(crate) fn stakes_players(stakes: &[Stake]) -> Vec<eum::Player> {
    stakes
        .iter()
        .map(|s| eum::Player {
            capability: s.capability,
            salience: s.salience,
            position: s.position,
        })
        .collect()
}

fn settings(req: &NegotiateRequest) -> Result<eum::Settings> {
    eum::Settings::named(req.settings_name()).ok_or_else(|| {
        Diagnostic::input(
            "settings",
            format!(
                "unknown `{}`; expected one of {}",
                req.settings_name(),
                eum::Settings::NAMES.join(", ")
            ),
        )
    })
}

/// Checks the request's size against the limits before any work.
fn check_limits(req: &NegotiateRequest, sizes: impl Iterator<Item = usize>) -> Result<()> {
    let rounds = req.rounds();
    if rounds > MAX_ROUNDS {
        return Err(Diagnostic::input(
            "rounds",
            format!("{rounds} is above the limit of {MAX_ROUNDS} rounds (a run that has not settled by then will not; runs that settle or cycle are detected and reported)"),
        ));
    }
    let mut pair_rounds = 0u64;
    for n in sizes {
        if n > MAX_ACTORS {
            return Err(Diagnostic::plain(format!(
                "an issue has {n} actors; the limit is {MAX_ACTORS} (the expected utility model keeps n × n tables)"
            )));
        }
        pair_rounds = pair_rounds.saturating_add((n as u64).pow(2).saturating_mul(rounds.max(1) as u64));
    }
    if pair_rounds > MAX_PAIR_ROUNDS {
        return Err(Diagnostic::input(
            "rounds",
            format!(
                "{rounds} rounds over these actors are {pair_rounds:.1e} pair evaluations, above the limit of {MAX_PAIR_ROUNDS:.0e} (about a minute); use fewer rounds",
                pair_rounds = pair_rounds as f64,
                MAX_PAIR_ROUNDS = MAX_PAIR_ROUNDS as f64
            ),
        ));
    }
    Ok(())
}

/// The bargaining space and every model's forecast.
pub fn negotiate(req: &NegotiateRequest, file: &SourceFile, input: Input) -> Result<Answer<NegotiateResult>> {
    let settings = settings(req)?;
    let (sc, single) = match input {
        Input::Deu(issues) => {
            check_limits(req, issues.iter().map(|i| i.stakes.len()))?;
            let a = crate::negotiate_out::deu(&issues, req, settings, &file.path);
            return Ok(Answer::new(NegotiateResult::Deu(a.data), a.report));
        }
        Input::Scenario { scenario, single } => (scenario, single),
    };
    check_limits(req, sc.issues.iter().map(|i| i.stakes.len()))?;
    let want = |m: ModelChoice| req.model == m || req.model == ModelChoice::All;
    let rounds = req.rounds();
    let mut heading = vec![format!("casus negotiate: {}", sc.title)];
    if !sc.date.is_empty() {
        heading.push(format!("positions as of {} · source: {}", sc.date, file.path));
    }
    let mut sections = Vec::new();
    let mut result = Negotiation {
        scenario: ScenarioView {
            id: sc.id.clone(),
            title: sc.title.clone(),
            date: sc.date.clone(),
            source: file.path.clone(),
            parties: sc.parties.clone(),
        },
        zones: None,
        verdict: None,
        packages: None,
        forecasts: vec![],
        eum: vec![],
        charts: Charts::default(),
    };
    if !single {
        let grid: u64 = sc
            .issues
            .iter()
            .map(|i| {
                let extra = i.stakes.iter().filter(|s| s.red_line.is_some()).count() + 1;
                (req.steps().max(2) + extra) as u64
            })
            .fold(1u64, |a, b| a.saturating_mul(b));
        if grid > MAX_PACKAGES {
            let k = sc.issues.len().max(1) as f64;
            let most = (MAX_PACKAGES as f64).powf(1.0 / k).floor() as usize;
            return Err(Diagnostic::input(
                "steps",
                format!(
                    "{} values on each of {} issues make about {grid:.1e} packages, above the limit of {:.0e}; use --steps {} or fewer",
                    req.steps(),
                    sc.issues.len(),
                    MAX_PACKAGES as f64,
                    most.saturating_sub(2).max(2),
                    grid = grid as f64,
                ),
            ));
        }
        let sp = space::analyse(&sc, req.steps());
        space_sections(&sc, &sp, &mut result, &mut sections);
        result.charts.space = Some(sp);
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
    let mut cycles = Vec::new();
    let mut runs = Vec::new();
    for issue in &sc.issues {
        let mean = compromise::weighted_mean(&issue.stakes);
        let median = compromise::weighted_median(&issue.stakes);
        // The bargainers: every actor of a single issue; the parties of a scenario.
        let bargainers: Vec<Stake> = issue
            .stakes
            .iter()
            .filter(|s| single || sc.parties.contains(&s.actor))
            .cloned()
            .collect();
        let d = issue
            .status_quo
            .map_or(nash::Disagreement::Worst, nash::Disagreement::At);
        let nbs = nash::solve_stakes(&bargainers, issue.lo, issue.hi, d, nash::Settings::default());
        let run = want(ModelChoice::Eum).then(|| cycle::watch(&players(issue), rounds, &settings));
        let cell = |x: Option<f64>, on: bool| {
            if on {
                x.map_or("—".into(), f)
            } else {
                "·".into()
            }
        };
        let (eum_median, eum_mean) = match &run {
            None => ("·".to_string(), "·".to_string()),
            Some((Outcome::Cycle { period, states, .. }, _)) => {
                cycles.push((issue.name.clone(), *period, states.clone()));
                let show = |g: fn(&cycle::CycleState) -> f64| {
                    let mut v: Vec<String> = states.iter().map(|s| f(g(s))).collect();
                    v.dedup();
                    format!("cycle {}: {}", period, v.join(" ↔ "))
                };
                (show(|s| s.median), show(|s| s.mean))
            }
            Some((Outcome::Moving { .. }, last)) => (
                format!("{} (moving)", f(last.median)),
                format!("{} (moving)", f(last.mean)),
            ),
            Some((Outcome::Settled { .. }, last)) => (f(last.median), f(last.mean)),
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
            eum_median,
            eum_mean,
        ]);
        result.forecasts.push(Forecast {
            issue: issue.id.clone(),
            compromise: want(ModelChoice::Compromise).then_some(mean).flatten(),
            weighted_median: want(ModelChoice::Compromise).then_some(median).flatten(),
            nash: want(ModelChoice::Nash)
                .then(|| {
                    nbs.map(|s| NashView {
                        x: s.x,
                        agreement: s.agreement,
                    })
                })
                .flatten(),
            eum: run.as_ref().map(|(o, last)| EumForecast {
                median: last.median,
                mean: last.mean,
                rounds,
                outcome: o.into(),
            }),
        });
        if let Some((o, last)) = run {
            runs.push((issue, o, last));
        }
    }
    fc.notes.push(format!(
        "compromise = Σ c·s·x / Σ c·s; Nash = quadratic asymmetric NBS among the bargainers (the parties of a scenario, every actor of one issue), weights c·s, \"no deal beats d\" when no outcome of the issue alone is better than the status quo for all of them; EUM = Bueno de Mesquita's model as reconstructed by Scholz et al. (2011), setting `{}`, after {} rounds (its forecast is the weighted median).",
        req.settings_name(),
        rounds
    ));
    for (name, period, states) in &cycles {
        let from = states.first().map_or(0, |s| s.round);
        fc.notes.push(format!(
            "{name}: the model does not settle — from round {} the positions repeat every {period} rounds (medians {}), so the median after N rounds depends on N; no EUM forecast.",
            from.saturating_sub(1),
            states.iter().map(|s| f(s.median)).collect::<Vec<_>>().join(", ")
        ));
    }
    if runs.iter().any(|(_, o, _)| matches!(o, Outcome::Moving { .. })) {
        fc.notes.push(format!(
            "(moving): no set of positions repeated within {rounds} rounds; the value is where the run stopped, not a rest point."
        ));
    }
    sections.push(fc);
    rounds_sections(&sc, single, req, settings, &runs, &mut result, &mut sections);
    if !single {
        sections.push(sources_section(&sc));
    }
    Ok(Answer::new(
        NegotiateResult::Scenario(Box::new(result)),
        Report {
            heading,
            sections,
            records: None,
        },
    ))
}
