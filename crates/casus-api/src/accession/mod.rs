//! `accession`: when would a candidate join an organisation that admits by unanimity, whose
//! consent is missing and who is pivotal, what conditions and blocs hold it back, what
//! protects it meanwhile; and how well the model would have predicted past rounds.
//! The model is `casus-accession`; this module turns a request into its inputs (the
//! library's parameters, the user's stance file) and its results into the typed answer.

mod report;

use casus_accession as acc;
use casus_model::*;
use casus_syntax::SourceFile;
use chrono::{Days, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::event::date_or_today;
use crate::{Answer, Diagnostic, Result};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AccessionRequest {
    /// The candidate (actor id or name); may be omitted with `backtest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    /// The organisation (NATO, EU …).
    #[serde(default = "default_org")]
    pub org: String,
    /// What is known on this date: stances stated and ratifications made before it. Default: today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The horizon. Default: ten years after the as-of date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default = "default_trials")]
    pub trials: u64,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Worlds the structural parameters are drawn in (the band); 0: the fitted values only.
    #[serde(default = "default_worlds")]
    pub worlds: u64,
    /// Replay every past round of the organisation.
    #[serde(default)]
    pub backtest: bool,
    /// List the commitments that protect the candidate while it waits, against this attacker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_attacker: Option<String>,
}

fn default_org() -> String {
    "NATO".into()
}
fn default_trials() -> u64 {
    20_000
}
fn default_seed() -> u64 {
    1
}
fn default_worlds() -> u64 {
    40
}

impl Default for AccessionRequest {
    fn default() -> Self {
        Self {
            candidate: None,
            org: default_org(),
            as_of: None,
            until: None,
            trials: default_trials(),
            seed: default_seed(),
            worlds: default_worlds(),
            backtest: false,
            coverage_attacker: None,
        }
    }
}

/// A probability with its Monte Carlo error and, when worlds are drawn, its structural band.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Probability {
    pub estimate: f64,
    pub stderr: f64,
    /// 5% and 95% of P across worlds that draw the structural parameters from their ranges
    /// (the estimate, the dates and the measures use the fitted values).
    pub band: Option<(f64, f64)>,
    pub worlds: Option<u64>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Quantiles {
    pub p05: Option<String>,
    pub p50: Option<String>,
    pub p95: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CdfPoint {
    pub date: String,
    pub p: f64,
}

/// A column of the members table and what it measures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Measure {
    pub column: String,
    pub meaning: String,
}

/// One member: its position and where it comes from, and the veto measures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Member {
    pub member: String,
    /// supports | conditional | delays | opposes | unknown
    pub position: String,
    pub basis: String,
    pub stated: Option<String>,
    pub source: Option<String>,
    pub probability: Option<f64>,
    pub procedure: ProcedureKind,
    pub ratified: Option<String>,
    pub p_missing_consent: f64,
    pub p_pivotal: f64,
    pub flipped_to: String,
    pub delta_if_flipped: f64,
    pub moves_with: Vec<String>,
    pub p_pivotal_alone: Option<f64>,
    pub p_last: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Prior {
    pub supports: f64,
    pub conditional: f64,
    pub opposes: f64,
    pub basis: String,
}

/// How much of the result rests on members with no recorded stance.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Defaults {
    pub unknown_members: Vec<String>,
    pub share_of_members: f64,
    pub prior: Prior,
    pub p_if_unknown_support: f64,
    pub p_if_unknown_oppose: f64,
    pub warning: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Gate {
    pub id: String,
    /// For a ratification gate, the member whose ratification waits; none: the invitation.
    pub member: Option<String>,
    pub text: String,
    pub basis: String,
    pub p_open_by_until: f64,
    pub p_missing: f64,
    pub p_member_without_it: f64,
    /// The median accession date without it.
    pub median_without_it: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Delay {
    pub median_days: f64,
    pub sigma: f64,
    /// Cases it rests on; 0 or 1: the fallback of the priors.
    pub n: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Model {
    pub regular: Delay,
    pub by_procedure: Vec<(ProcedureKind, Delay)>,
    pub holdout: Delay,
    pub invitation_to_protocol: Delay,
    pub deposit: Delay,
    pub rounds_used: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Protection {
    pub date: String,
    pub commitment: String,
    pub strength: Strength,
    pub obligors: Vec<String>,
}

/// The forecast for one candidate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Forecast {
    pub candidate: String,
    pub as_of: String,
    pub until: String,
    /// already_member | invitation | protocol | ratification
    pub stage: String,
    pub protocol_signed: Option<String>,
    pub trials: u64,
    pub seed: u64,
    pub p_member_by_until: Probability,
    pub quantiles: Quantiles,
    pub cdf: Vec<CdfPoint>,
    /// The organisation's rule and the conditions stated by the as-of date.
    pub rule: Option<String>,
    pub conditions: Vec<String>,
    pub measures: Vec<Measure>,
    /// Sorted by `p_missing_consent`, then `p_pivotal`.
    pub members: Vec<Member>,
    pub defaults: Defaults,
    pub gates: Vec<Gate>,
    pub p_member_without_gates: f64,
    pub model: Model,
    pub coverage: Option<Vec<Protection>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Scores {
    pub low_days: f64,
    pub high_days: f64,
    pub interval_score: f64,
    pub crps: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BacktestRound {
    pub round: String,
    pub candidate: String,
    pub signed: String,
    pub as_of: String,
    pub accession: String,
    pub actual_days: f64,
    pub p05_days: f64,
    pub p50_days: f64,
    pub p95_days: f64,
    pub pit: f64,
    pub inside_90: bool,
    pub model: Scores,
    /// "Between the shortest and the longest earlier round"; none for the first round.
    pub baseline: Option<Scores>,
    pub fitted_on: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BacktestSummary {
    /// The rounds summarised: all, or those signed since a year.
    pub rounds: String,
    pub count: usize,
    pub inside_90: usize,
    pub pit_histogram: Vec<usize>,
    pub model_mean_interval_score: f64,
    pub baseline_mean_interval_score: f64,
    pub model_mean_crps: f64,
    pub baseline_mean_crps: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Backtest {
    pub trials: u64,
    pub seed: u64,
    /// How each round is predicted.
    pub method: String,
    pub rounds: Vec<BacktestRound>,
    pub summaries: Vec<BacktestSummary>,
}

/// What `casus accession --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Accession {
    pub org: String,
    #[serde(flatten)]
    pub forecast: Option<Forecast>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backtest: Option<Backtest>,
}

fn input(field: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::input(field, e.to_string())
}

/// The user's stances (a TOML file of `[[stance]]` entries) for this candidate, resolved
/// against the built-in library.
fn overrides(
    lib: &Library,
    file: &SourceFile,
    org: OrgId,
    candidate: ActorId,
) -> Result<Vec<acc::StanceOverride>> {
    let mut files = casus_library::files();
    files.retain(|f| casus_library::is_model_file(&f.path));
    files.push(file.clone());
    let loaded = casus_model::load(&files);
    if let Some(d) = loaded.diagnostics.iter().find(|d| d.is_error()) {
        return Err(d.clone());
    }
    Ok(loaded
        .library
        .stances
        .iter()
        .filter(|s| s.location.starts_with(&file.path) && s.org == org && s.candidate == candidate)
        .filter_map(|s| {
            lookup::actor(lib, &loaded.library.actor(s.member).id)
                .ok()
                .map(|member| acc::StanceOverride {
                    member,
                    position: s.position,
                    probability: s.probability,
                })
        })
        .collect())
}

fn delay(f: &acc::LogNormalFit) -> Delay {
    Delay {
        median_days: f.median,
        sigma: f.sigma,
        n: f.n,
    }
}

/// The forecast for `req`, the backtest if asked, with their tables.
pub fn accession(
    lib: &Library,
    today: NaiveDate,
    req: &AccessionRequest,
    stances: Option<&SourceFile>,
) -> Result<Answer<Accession>> {
    accession_with(lib, today, req, stances, &mut |_, _, _| {})
}

/// [`accession`], reporting `progress(stage, done, planned)` trials as the forecast and the
/// backtest run.
pub fn accession_with(
    lib: &Library,
    today: NaiveDate,
    req: &AccessionRequest,
    stances: Option<&SourceFile>,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<Answer<Accession>> {
    let org = lookup::org(lib, &req.org).map_err(|e| input("org", e))?;
    acc::check_org(lib, org).map_err(|e| input("org", e))?;
    if req.trials == 0 || req.trials > 10_000_000 {
        return Err(Diagnostic::input("trials", "between 1 and 10,000,000"));
    }
    let fb = acc::config::fallbacks(lib).map_err(|e| input("org", e))?;
    let rate = acc::config::opposes_change_per_year(lib).map_err(|e| input("org", e))?;
    let worlds = (req.worlds > 0).then_some(req.worlds);
    let setup = acc::config::setup(lib, worlds).map_err(|e| input("org", e))?;
    let forecast = match &req.candidate {
        None if !req.backtest => {
            return Err(Diagnostic::input(
                "candidate",
                "name a candidate (or ask for the backtest)",
            ))
        }
        None => None,
        Some(c) => Some(forecast(
            lib, today, req, org, c, &fb, rate, &setup, stances, progress,
        )?),
    };
    let backtest = if req.backtest {
        let plug_in = acc::config::setup(lib, None).map_err(|e| input("org", e))?;
        let trials = req.trials.min(10_000);
        // Progress in trials over all rounds, as the forecast counts them.
        let mut each_round = |done: u64, rounds: u64| progress("backtest", done * trials, rounds * trials);
        let rows =
            acc::backtest_rounds_with(lib, org, &fb, &plug_in, trials, req.seed, rate, &mut each_round)
                .map_err(|e| input("org", e))?;
        Some(backtest_view(&rows, trials, req.seed))
    } else {
        None
    };
    let data = Accession {
        org: lib.org(org).id.clone(),
        forecast,
        backtest,
    };
    let report = report::report(&data);
    Ok(Answer::new(data, report))
}

#[allow(clippy::too_many_arguments)]
fn forecast(
    lib: &Library,
    today: NaiveDate,
    req: &AccessionRequest,
    org: OrgId,
    candidate: &str,
    fb: &acc::Fallbacks,
    rate: f64,
    setup: &acc::Setup,
    stances: Option<&SourceFile>,
    progress: &mut dyn FnMut(&str, u64, u64),
) -> Result<Forecast> {
    let candidate = lookup::actor(lib, candidate).map_err(|e| input("candidate", e))?;
    let as_of = date_or_today("as_of", req.as_of.as_deref(), today)?;
    let until = match &req.until {
        Some(d) => crate::event::parse_date("until", d)?,
        None => as_of + Days::new(3653),
    };
    if until <= as_of {
        return Err(Diagnostic::input(
            "until",
            format!("the horizon must come after the as-of date ({as_of})"),
        ));
    }
    // Only what was known on the as-of date: rounds completed before it, and never the
    // candidate's own round.
    let model = acc::fit(
        lib,
        org,
        &|e| e.accession.latest >= as_of || e.candidates.contains(&candidate),
        fb,
    );
    let q = acc::Query {
        org,
        candidate,
        as_of,
        until,
        trials: req.trials,
        seed: req.seed,
        overrides: match stances {
            Some(f) => overrides(lib, f, org, candidate)?,
            None => vec![],
        },
        opposes_change_per_year: rate,
    };
    // The forecast uses the fitted values (the backtest's choice: it scores better than
    // pooling the structural draws into the dates); the structural draws give the band on P.
    let plug_in = acc::Setup {
        unknown: setup.unknown.clone(),
        structure: None,
    };
    let mut f = acc::forecast_with(lib, &q, &plug_in, &model, &mut |d, n| progress("forecast", d, n));
    if setup.structure.is_some() {
        f.band = acc::forecast_with(lib, &q, setup, &model, &mut |d, n| progress("band", d, n)).band;
    }
    let (rule, conditions) = rules(lib, org, candidate, as_of);
    let coverage = match &req.coverage_attacker {
        Some(a) => Some(coverage(lib, candidate, a, as_of, f.quantiles.p50.as_deref())?),
        None => None,
    };
    Ok(view(lib, req, &q, &f, &model, rule, conditions, coverage))
}

fn rules(lib: &Library, org: OrgId, candidate: ActorId, as_of: NaiveDate) -> (Option<String>, Vec<String>) {
    let Some(r) = lib.accession_rules.iter().find(|r| r.org == org) else {
        return (None, vec![]);
    };
    let rule = format!(
        "{} — {}",
        r.citation.article,
        r.steps
            .iter()
            .map(|s| format!("{} ({})", s.step, s.rule))
            .collect::<Vec<_>>()
            .join(" → ")
    );
    let conditions = r
        .conditions
        .iter()
        .filter(|c| c.candidate.is_none_or(|x| x == candidate) && c.date.is_none_or(|d| d.latest < as_of))
        .map(|c| {
            let when = c.date.map(|d| format!("{d}: ")).unwrap_or_default();
            format!("{when}{} ({})", c.text, c.source)
        })
        .collect();
    (Some(rule), conditions)
}

#[allow(clippy::too_many_arguments)]
fn view(
    lib: &Library,
    req: &AccessionRequest,
    q: &acc::Query,
    f: &acc::Forecast,
    m: &acc::DelayModel,
    rule: Option<String>,
    conditions: Vec<String>,
    coverage: Option<Vec<Protection>>,
) -> Forecast {
    let members = f
        .pivotal
        .iter()
        .filter_map(|p| {
            let s = f.members.iter().find(|s| s.member == p.member)?;
            Some(Member {
                member: p.member.clone(),
                position: p.position.to_string(),
                basis: s.basis.clone(),
                stated: s.stated.clone(),
                source: s.source.clone(),
                probability: s.probability,
                procedure: s.procedure,
                ratified: s.ratified.clone(),
                p_missing_consent: p.p_missing_consent,
                p_pivotal: p.p_pivotal,
                flipped_to: p.flipped_to.to_string(),
                delta_if_flipped: p.delta_if_flipped,
                moves_with: p.moves_with.clone(),
                p_pivotal_alone: p.p_pivotal_alone,
                p_last: p.p_last,
            })
        })
        .collect();
    let d = &f.defaults;
    Forecast {
        candidate: lib.actor(q.candidate).id.clone(),
        as_of: q.as_of.to_string(),
        until: q.until.to_string(),
        stage: serde_json::to_value(f.stage)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        protocol_signed: f.protocol_signed.clone(),
        trials: f.trials,
        seed: req.seed,
        p_member_by_until: Probability {
            estimate: f.p_member_by_until,
            stderr: f.stderr,
            band: f.band.as_ref().map(|b| (b.p05, b.p95)),
            worlds: f.band.as_ref().map(|b| b.worlds),
        },
        quantiles: Quantiles {
            p05: f.quantiles.p05.clone(),
            p50: f.quantiles.p50.clone(),
            p95: f.quantiles.p95.clone(),
        },
        cdf: f
            .cdf
            .iter()
            .map(|(date, p)| CdfPoint {
                date: date.clone(),
                p: *p,
            })
            .collect(),
        rule,
        conditions,
        measures: acc::MEASURES
            .iter()
            .map(|(c, m)| Measure {
                column: c.to_string(),
                meaning: m.to_string(),
            })
            .collect(),
        members,
        defaults: Defaults {
            unknown_members: d.unknown_members.clone(),
            share_of_members: d.share_of_members,
            prior: Prior {
                supports: d.prior.supports,
                conditional: d.prior.conditional,
                opposes: d.prior.opposes,
                basis: d.prior.basis.clone(),
            },
            p_if_unknown_support: d.p_if_unknown_support,
            p_if_unknown_oppose: d.p_if_unknown_oppose,
            warning: d.warning.clone(),
        },
        gates: f
            .gates
            .iter()
            .map(|g| Gate {
                id: g.id.clone(),
                member: g.member.clone(),
                text: g.text.clone(),
                basis: g.basis.clone(),
                p_open_by_until: g.p_open_by_until,
                p_missing: g.p_missing,
                p_member_without_it: g.p_member_without_it,
                median_without_it: g.median_without_it.clone(),
            })
            .collect(),
        p_member_without_gates: f.p_member_without_gates,
        model: Model {
            regular: delay(&m.regular),
            by_procedure: m.by_procedure.iter().map(|(k, f)| (*k, delay(f))).collect(),
            holdout: delay(&m.holdout),
            invitation_to_protocol: delay(&m.invitation_to_protocol),
            deposit: delay(&m.deposit),
            rounds_used: m.rounds_used.clone(),
        },
        coverage,
    }
}

fn scores(s: &acc::Scores) -> Scores {
    Scores {
        low_days: s.low,
        high_days: s.high,
        interval_score: s.interval_score,
        crps: s.crps,
    }
}

fn backtest_view(rows: &[acc::BacktestRow], trials: u64, seed: u64) -> Backtest {
    let summary = |label: &str, rs: Vec<&acc::BacktestRow>| {
        let s = acc::summarise(&rs);
        BacktestSummary {
            rounds: label.to_string(),
            count: s.rounds,
            inside_90: s.inside_90,
            pit_histogram: s.pit_histogram.to_vec(),
            model_mean_interval_score: s.model_mean_interval_score,
            baseline_mean_interval_score: s.baseline_mean_interval_score,
            model_mean_crps: s.model_mean_crps,
            baseline_mean_crps: s.baseline_mean_crps,
        }
    };
    Backtest {
        trials,
        seed,
        method:
            "each round forecast as of the day after its signature, fitted only on rounds completed before \
                 that day, with the fitted values (no structural draws); scores in days from signature to \
                 accession; baseline: the range of the earlier rounds' durations"
                .into(),
        rounds: rows
            .iter()
            .map(|r| BacktestRound {
                round: r.round.clone(),
                candidate: r.candidate.clone(),
                signed: r.protocol_signed.clone(),
                as_of: r.as_of.clone(),
                accession: r.accession.clone(),
                actual_days: r.actual_days,
                p05_days: r.p05_days,
                p50_days: r.p50_days,
                p95_days: r.p95_days,
                pit: r.pit,
                inside_90: r.inside_90,
                model: scores(&r.model),
                baseline: r.baseline.as_ref().map(scores),
                fitted_on: r.fitted_on.clone(),
            })
            .collect(),
        summaries: vec![
            summary("all", rows.iter().collect()),
            summary(
                "signed since 2003",
                rows.iter()
                    .filter(|r| r.protocol_signed.as_str() >= "2003")
                    .collect(),
            ),
        ],
    }
}

/// The commitments that protect the candidate on the as-of date and, if it comes before
/// the horizon, on the median accession date's eve.
fn coverage(
    lib: &Library,
    candidate: ActorId,
    attacker: &str,
    as_of: NaiveDate,
    median: Option<&str>,
) -> Result<Vec<Protection>> {
    let attacker = lookup::actor(lib, attacker).map_err(|e| input("coverage_attacker", e))?;
    let place = lib.actor(candidate).home.ok_or_else(|| {
        Diagnostic::input(
            "candidate",
            format!(
                "{} has no home territory in the gazetteer",
                lib.actor(candidate).id
            ),
        )
    })?;
    let mut dates = vec![as_of];
    if let Some(eve) = median
        .and_then(|m| NaiveDate::parse_from_str(m, "%Y-%m-%d").ok())
        .and_then(|m| m.pred_opt())
        .filter(|e| *e > as_of)
    {
        dates.push(eve);
    }
    let mut out = Vec::new();
    for d in dates {
        let ev = Event {
            attacker,
            target: candidate,
            place,
            against: Object::Territory,
            kind: EventKind::ArmedAttack,
            severity: Severity::Unspecified,
            date: d,
            provoked: false,
            assume_proposals: false,
        };
        let a = casus_engine::obligations(lib, &ev);
        let mut by: std::collections::BTreeMap<CommitmentId, (Strength, Vec<String>)> = Default::default();
        for o in &a.obligations {
            let e = by.entry(o.commitment).or_insert((o.strength, vec![]));
            e.0 = e.0.max(o.strength);
            let id = lib.actor(o.obligor).id.clone();
            if !e.1.contains(&id) {
                e.1.push(id);
            }
        }
        out.extend(by.into_iter().map(|(c, (strength, obligors))| Protection {
            date: d.to_string(),
            commitment: lib.commitment(c).id.clone(),
            strength,
            obligors,
        }));
    }
    Ok(out)
}
