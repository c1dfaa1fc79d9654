//! `assess`: guarantee designs compared on what they would deliver, against every attack of
//! the assessment, with bands from joint draws of the priors and the factors that make two
//! designs differ.

use casus_model::*;
use casus_render::{Report, Section};
use casus_sim::capability::Table;
use casus_sim::difference::explain_difference;
use casus_sim::sensitivity::{sensitivity, Sensitivity};
use casus_sim::summary::Summary;
use casus_sim::uncertainty::{second_order, BandConfig, Bands};
use casus_sim::{run, run_into, summarise, Obligated, OptionRun, Prepared, Priors, RunConfig, TrialSink};
use casus_syntax::SourceFile;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::obligations::EventView;
use crate::simulate::{
    capability_table, guarantor_rows, guarantor_section, library_hash, metric_rows, metrics, GuarantorRow,
    Metric, Metrics, RunSettings,
};
use crate::{Answer, Diagnostic, Result};

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AssessRequest {
    /// An assessment id (e.g. `ukraine`) or the path of the file that defines it.
    pub which: String,
    #[serde(flatten)]
    pub run: RunSettings,
    /// Vary each parameter over its range (one at a time) and show which move the result most.
    #[serde(default)]
    pub sensitivity: bool,
    /// Joint draws of the priors for the bands (0: no bands).
    #[serde(default = "default_draws")]
    pub draws: u64,
    /// Trials per option and draw.
    #[serde(default = "default_draw_trials")]
    pub draw_trials: u64,
}

/// Joint draws of the priors behind the bands, unless a request says otherwise.
pub const DEFAULT_DRAWS: u64 = 200;
/// Trials per option and draw, unless a request says otherwise.
pub const DEFAULT_DRAW_TRIALS: u64 = 4096;

pub fn default_draws() -> u64 {
    DEFAULT_DRAWS
}
pub fn default_draw_trials() -> u64 {
    DEFAULT_DRAW_TRIALS
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssessmentView {
    pub id: String,
    pub title: String,
    pub question: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssessHeader {
    pub version: String,
    pub library: String,
    pub assessment_file: String,
    pub date: String,
    pub seed: u64,
    pub threads: usize,
    pub trials_per_option: u64,
    pub precision: Option<f64>,
    pub capabilities: String,
    /// Joint draws of the priors behind every band, and trials per draw.
    pub draws: u64,
    pub trials_per_draw: u64,
}

/// One option under one attack.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AttackCell {
    pub attack: String,
    #[serde(flatten)]
    pub metrics: Metrics,
    pub guarantors_bound: usize,
    pub guarantors_bound_to_use_force: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OptionResult {
    pub id: String,
    #[serde(flatten)]
    pub metrics: Metrics,
    pub label: String,
    pub guarantors_bound: usize,
    pub guarantors_bound_to_use_force: usize,
    pub response_curve: Vec<Metric>,
    pub guarantors: Vec<GuarantorRow>,
    /// The lead guarantor.
    pub lead: Option<String>,
    pub by_attack: Vec<AttackCell>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AttackView {
    pub id: String,
    pub description: String,
    pub event: EventView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ParameterView {
    pub id: String,
    pub actor: Option<String>,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    pub defined_at: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FactorContribution {
    pub factor: String,
    pub contribution: f64,
    pub label: String,
}

/// What `--explain-difference A B --format json` prints: the contributions add up to the difference.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DifferenceView {
    pub from: String,
    pub to: String,
    pub metric: String,
    pub difference: f64,
    pub factors: Vec<FactorContribution>,
    pub from_value: f64,
    pub to_value: f64,
    pub trials: u64,
}

/// What `casus assess --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Assessed {
    pub assessment: AssessmentView,
    pub header: AssessHeader,
    pub event: EventView,
    pub options: Vec<OptionResult>,
    /// One parameter at a time over its range (with `sensitivity`).
    pub sensitivity: Option<serde_json::Value>,
    pub parameters: Vec<ParameterView>,
    pub attacks: Vec<AttackView>,
    /// Each option against the design with the highest P(any military response).
    pub differences: Vec<DifferenceView>,
}

/// What the command line needs beyond the answer to write charts and per-trial files.
pub struct AssessArtifacts {
    pub option_ids: Vec<String>,
    pub summaries: Vec<Summary>,
    pub military: Vec<bool>,
    pub sensitivity: Option<Sensitivity>,
    pub runs: Vec<OptionRun>,
}

/// An assessment by id, or by the path of the file that defines it.
pub fn find_assessment<'a>(lib: &'a Library, which: &str) -> Result<&'a Assessment> {
    if let Some(a) = lib.assessments.iter().find(|a| a.id == which || a.path == which) {
        return Ok(a);
    }
    let sugg = casus_syntax::did_you_mean(which, lib.assessments.iter().map(|a| a.id.as_str()));
    let names: Vec<&str> = lib.assessments.iter().map(|a| a.id.as_str()).collect();
    Err(Diagnostic::plain(format!(
        "no assessment `{which}`{}; the library has: {} (or give a file with an [assessment])",
        sugg.first()
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default(),
        names.join(", ")
    )))
}

/// Everything an assessment's runs share: its options prepared under any priors.
struct Setup<'a> {
    a: &'a Assessment,
    event: Event,
    variants: Vec<Library>,
    table: Table,
    priors: Priors,
}

impl Setup<'_> {
    fn prepare(&self, p: &Priors, event: &Event) -> Vec<Prepared> {
        under(&self.obligated(event), p)
    }

    /// Each option's obligations against `event`: what does not depend on the priors, so that
    /// runs under many priors (bands, sensitivity) compute it once.
    fn obligated(&self, event: &Event) -> Vec<Obligated> {
        self.a
            .options
            .iter()
            .zip(&self.variants)
            .map(|(o, v)| Obligated::with_table(v, event, &o.forces, &self.table))
            .collect()
    }

    fn attack_events(&self) -> Vec<Event> {
        self.a
            .attacks
            .iter()
            .map(|x| x.event.on(self.event.date))
            .collect()
    }
}

/// Options prepared under `p` from their obligations.
fn under(obligated: &[Obligated], p: &Priors) -> Vec<Prepared> {
    obligated.iter().map(|o| o.with_priors(p)).collect()
}

fn setup<'a>(
    lib: &'a Library,
    which: &str,
    date: NaiveDate,
    capabilities: Option<&SourceFile>,
) -> Result<Setup<'a>> {
    let a = find_assessment(lib, which)?;
    let event = a.event.on(a.event.date.unwrap_or(date));
    let priors = Priors::new(&lib.parameters, &a.parameters).map_err(Diagnostic::plain)?;
    let table = capability_table(capabilities, event.date)?;
    let variants = a.options.iter().map(|o| lib.variant(o, event.date)).collect();
    Ok(Setup {
        a,
        event,
        variants,
        table,
        priors,
    })
}

fn difference_view(from: &str, to: &str, d: casus_sim::difference::Difference) -> DifferenceView {
    DifferenceView {
        from: from.into(),
        to: to.into(),
        metric: d.metric,
        difference: d.difference,
        factors: d
            .factors
            .into_iter()
            .map(|f| FactorContribution {
                factor: f.factor.into(),
                contribution: f.contribution,
                label: f.label.into(),
            })
            .collect(),
        from_value: d.from_value,
        to_value: d.to_value,
        trials: d.trials,
    }
}

fn difference_section(d: &DifferenceView) -> Section {
    let mut t = Section::new(
        format!(
            "Why {} differs from {}: {} ({:.3} → {:.3}, {:+.3})",
            d.to,
            d.from,
            metric_label(&d.metric),
            d.from_value,
            d.to_value,
            d.difference
        ),
        &["factor", "contribution"],
    );
    for f in &d.factors {
        t.row(vec![f.label.clone(), format!("{:+.3}", f.contribution)]);
    }
    t.notes.push(format!(
        "  Shapley shares over the factors ({} trials per hybrid, one seed): they add up to the difference.",
        d.trials
    ));
    t
}

/// The label people read for a metric's JSON name.
pub fn metric_label(name: &str) -> String {
    match name {
        "p_any_military_response" => "P(any military response)".into(),
        "p_lead_military_response" => "P(military response by the lead guarantor)".into(),
        "p_capability_ge_0.5" => "P(committed capability ≥ 0.5 × attacker's)".into(),
        "p_capability_ge_1" => "P(committed capability ≥ attacker's)".into(),
        "p_capability_ge_2" => "P(committed capability ≥ 2 × attacker's)".into(),
        "p_any_support" => "P(any support: aid or more)".into(),
        "p_military_within_30_days" => "P(military response within 30 days)".into(),
        other => other.replace('_', " "),
    }
}

/// `--explain-difference FROM TO`: the difference in `metric` between two options, shared
/// among the design factors.
pub fn explain_pair(
    lib: &Library,
    req: &AssessRequest,
    date: NaiveDate,
    capabilities: Option<&SourceFile>,
    from: &str,
    to: &str,
    metric: &str,
) -> Result<Answer<DifferenceView>> {
    let s = setup(lib, &req.which, date, capabilities)?;
    if !casus_sim::summary::METRIC_NAMES.contains(&metric) {
        return Err(Diagnostic::input(
            "metric",
            format!(
                "unknown metric `{metric}`; one of: {}",
                casus_sim::summary::METRIC_NAMES.join(", ")
            ),
        ));
    }
    let index = |id: &str| {
        s.a.options.iter().position(|o| o.id == id).ok_or_else(|| {
            let sugg = casus_syntax::did_you_mean(id, s.a.options.iter().map(|o| o.id.as_str()));
            Diagnostic::input(
                "explain-difference",
                format!(
                    "no option `{id}` in {}{}",
                    s.a.id,
                    sugg.first()
                        .map(|x| format!(" (did you mean {x}?)"))
                        .unwrap_or_default()
                ),
            )
        })
    };
    let (i, j) = (index(from)?, index(to)?);
    let prepared = s.prepare(&s.priors, &s.event);
    let cfg = RunConfig {
        trials: Some(req.run.trials.unwrap_or(16_384)),
        keep_trials: false,
        ..req.run.config()?
    };
    let d = difference_view(
        from,
        to,
        explain_difference(&prepared[i], &prepared[j], metric, &cfg),
    );
    let report = Report {
        heading: vec![format!("{}: {}", s.a.id, s.a.title)],
        sections: vec![difference_section(&d)],
        records: None,
    };
    Ok(Answer::new(d, report))
}

/// Runs every option of an assessment against its event and every attack, with bands.
/// `progress(what, done, planned)` reports each stage. Per-trial records of the main run
/// (with `keep_trials`) go to `sink` as they are drawn if one is given (option index = the
/// assessment's option order), else into the artifacts' runs.
pub fn assess(
    lib: &Library,
    files: &[SourceFile],
    req: &AssessRequest,
    date: NaiveDate,
    capabilities: Option<&SourceFile>,
    progress: &mut dyn FnMut(&str, u64, u64),
    sink: Option<&mut dyn TrialSink>,
) -> Result<(Answer<Assessed>, AssessArtifacts)> {
    let s = setup(lib, &req.which, date, capabilities)?;
    let (a, event, priors) = (s.a, &s.event, &s.priors);
    let cfg = req.run.config()?;
    let event_obligated = s.obligated(event);
    let prepared = under(&event_obligated, priors);
    let runs = run_into(&prepared, &cfg, &mut |d, n| progress("simulating", d, n), sink);
    let summaries: Vec<Summary> = prepared.iter().zip(&runs).map(|(p, r)| summarise(p, r)).collect();
    let trials_used = summaries.first().map_or(0, |x| x.trials);
    let fixed = RunConfig {
        trials: Some(trials_used.max(1)),
        keep_trials: false,
        ..cfg.clone()
    };
    // The common shock's effect: the same options with independent guarantors. Each stage
    // reports progress, which is also where a server's job is cancelled.
    let independent_prepared = under(&event_obligated, &priors.with("honour.common_shock", 0.0));
    let independent: Vec<Summary> = independent_prepared
        .iter()
        .zip(run(&independent_prepared, &fixed, &mut |d, n| {
            progress("independent guarantors", d, n)
        }))
        .map(|(p, r)| summarise(p, &r))
        .collect();
    // Every attack, at the stated values.
    let attack_events = s.attack_events();
    let attack_obligated: Vec<Vec<Obligated>> = attack_events.iter().map(|e| s.obligated(e)).collect();
    let attacks = attack_events.len() as u64;
    let mut by_attack: Vec<(Vec<Prepared>, Vec<Summary>)> = Vec::with_capacity(attack_events.len());
    for (k, ob) in (0u64..).zip(&attack_obligated) {
        let p = under(ob, priors);
        let r = run(&p, &fixed, &mut |d, n| {
            progress("attacks", k * n + d, attacks * n)
        });
        let sm = p.iter().zip(&r).map(|(p, r)| summarise(p, r)).collect();
        by_attack.push((p, sm));
    }
    // Bands: the event and every attack under joint draws of the priors.
    let n = a.options.len();
    let bands: Option<Bands> = (req.draws > 0).then(|| {
        let all = |p: &Priors| {
            let mut v = under(&event_obligated, p);
            for ob in &attack_obligated {
                v.extend(under(ob, p));
            }
            v
        };
        let bc = BandConfig {
            draws: req.draws,
            trials: req.draw_trials.max(1),
            seed: cfg.seed,
            threads: cfg.threads,
        };
        second_order(&all, priors, &bc, &mut |d, t| progress("bands", d, t))
    });
    let band_of = |k: usize| bands.as_ref().map(|b| &b.options[k]);
    // Why designs differ: each option against the one with the highest P(any military response).
    let best = (0..n).max_by(|&i, &j| {
        summaries[i]
            .p_any_military_response
            .estimate
            .total_cmp(&summaries[j].p_any_military_response.estimate)
            .then(j.cmp(&i))
    });
    let dcfg = RunConfig {
        trials: Some(trials_used.clamp(1, 8_192)),
        ..fixed.clone()
    };
    let mut differences = Vec::new();
    if let Some(b) = best {
        for i in (0..n).filter(|&i| i != b) {
            progress("differences", i as u64, n as u64);
            let d = explain_difference(&prepared[i], &prepared[b], "p_any_military_response", &dcfg);
            differences.push(difference_view(&a.options[i].id, &a.options[b].id, d));
        }
    }
    let sens: Option<Sensitivity> = req.sensitivity.then(|| {
        let scfg = RunConfig {
            trials: Some(trials_used.clamp(1, 16_384)),
            ..fixed.clone()
        };
        let prepare_all = |p: &Priors| under(&event_obligated, p);
        sensitivity(&prepare_all, priors, &scfg, &mut |i, t| {
            progress("sensitivity", i as u64, t as u64)
        })
    });

    let options: Vec<OptionResult> = a
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| OptionResult {
            id: o.id.clone(),
            metrics: metrics(&summaries[i], Some(&independent[i]), band_of(i)),
            label: o.label.clone(),
            guarantors_bound: prepared[i].obligors(),
            guarantors_bound_to_use_force: prepared[i].military_obligors(),
            response_curve: summaries[i]
                .response_curve
                .iter()
                .map(|e| Metric::of(e, None))
                .collect(),
            guarantors: guarantor_rows(&s.variants[i], &prepared[i], &summaries[i], priors),
            lead: prepared[i].lead.map(|l| lib.actor(l).id.clone()),
            by_attack: a
                .attacks
                .iter()
                .zip(&by_attack)
                .enumerate()
                .map(|(x, (atk, (p, sm)))| AttackCell {
                    attack: atk.id.clone(),
                    metrics: metrics(&sm[i], None, band_of(n * (x + 1) + i)),
                    guarantors_bound: p[i].obligors(),
                    guarantors_bound_to_use_force: p[i].military_obligors(),
                })
                .collect(),
        })
        .collect();
    let parameters: Vec<ParameterView> = priors
        .global()
        .iter()
        .chain(priors.per_actor())
        .map(|p| {
            let (kind, text) = casus_sim::priors::provenance_label(p);
            ParameterView {
                id: p.id.clone(),
                actor: p.actor.map(|x| lib.actor(x).id.clone()),
                value: p.value,
                low: p.low,
                high: p.high,
                source: (kind == "source").then(|| text.to_string()),
                assumption: (kind == "assumption").then(|| text.to_string()),
                defined_at: p.location.clone(),
            }
        })
        .collect();
    let header = AssessHeader {
        version: env!("CARGO_PKG_VERSION").into(),
        library: library_hash(files),
        assessment_file: a.path.clone(),
        date: event.date.to_string(),
        seed: cfg.seed,
        threads: cfg.threads,
        trials_per_option: trials_used,
        precision: cfg.trials.is_none().then_some(cfg.precision),
        capabilities: s.table.label.clone(),
        draws: if bands.is_some() { req.draws } else { 0 },
        trials_per_draw: if bands.is_some() { req.draw_trials } else { 0 },
    };
    let data = Assessed {
        assessment: AssessmentView {
            id: a.id.clone(),
            title: a.title.clone(),
            question: a.question.clone(),
        },
        header,
        event: EventView::new(lib, event),
        options,
        sensitivity: sens.as_ref().map(|x| serde_json::to_value(x).unwrap_or_default()),
        parameters,
        attacks: a
            .attacks
            .iter()
            .zip(&attack_events)
            .map(|(x, e)| AttackView {
                id: x.id.clone(),
                description: x.description.clone(),
                event: EventView::new(lib, e),
                note: x.note.clone(),
            })
            .collect(),
        differences,
    };
    let report = crate::assess_report::report(&data, &prepared, sens.as_ref());
    let artifacts = AssessArtifacts {
        option_ids: a.options.iter().map(|o| o.id.clone()).collect(),
        military: prepared.iter().map(|p| p.military_obligors() > 0).collect(),
        summaries,
        sensitivity: sens,
        runs,
    };
    Ok((Answer::new(data, report), artifacts))
}

pub(crate) fn rows_of(m: &Metrics) -> Vec<(&'static str, Option<Metric>)> {
    metric_rows(m)
}

pub(crate) fn guarantors_of(title: String, rows: &[GuarantorRow]) -> Section {
    guarantor_section(title, rows)
}

pub(crate) fn differences_of(d: &DifferenceView) -> Section {
    difference_section(d)
}
