//! `simulate`: how surely, how fast and how strongly the library as it stands answers an
//! attack (the credibility model, casus-sim), and the typed pieces `assess` shares: run
//! settings, a figure with its error and band, the metrics of one option, one guarantor's
//! row, and the capability table (the built-in COW NMC 7.0 figures, or the user's file).

use std::collections::BTreeMap;

use casus_model::*;
use casus_render::{Report, Section};
use casus_sim::capability::Table;
use casus_sim::explain::explain;
use casus_sim::summary::Summary;
use casus_sim::uncertainty::OptionBands;
use casus_sim::{
    prepare_with_table, run_into, summarise, Estimate, Prepared, Priors, RunConfig, TrialRecords, TrialSink,
};
use casus_syntax::SourceFile;
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::capabilities::parse_nmc;
use crate::obligations::EventView;
use crate::{Answer, Diagnostic, Result};

/// How many trials, how precisely, with which seed and on how many threads.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunSettings {
    /// Trials per option (default: as many as `precision` needs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trials: Option<u64>,
    /// Run until every reported probability's standard error is at most this.
    #[serde(default = "default_precision")]
    pub precision: f64,
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Worker threads; results do not depend on it.
    #[serde(default = "default_threads")]
    pub threads: usize,
    /// Keep one record per trial (for per-trial files).
    #[serde(default)]
    pub keep_trials: bool,
}

fn default_precision() -> f64 {
    0.005
}
fn default_seed() -> u64 {
    1
}
fn default_threads() -> usize {
    1
}

impl Default for RunSettings {
    fn default() -> Self {
        Self {
            trials: None,
            precision: default_precision(),
            seed: default_seed(),
            threads: default_threads(),
            keep_trials: false,
        }
    }
}

impl RunSettings {
    pub fn config(&self) -> Result<RunConfig> {
        if !(self.precision > 0.0 && self.precision < 0.5) {
            return Err(Diagnostic::input(
                "precision",
                "give a standard error between 0 and 0.5, e.g. 0.005",
            ));
        }
        if self.trials == Some(0) {
            return Err(Diagnostic::input("trials", "at least one trial"));
        }
        if self.threads == 0 || self.threads > 1024 {
            return Err(Diagnostic::input("threads", "between 1 and 1024"));
        }
        Ok(RunConfig {
            trials: self.trials,
            precision: self.precision,
            max_trials: 10_000_000,
            seed: self.seed,
            threads: self.threads,
            keep_trials: self.keep_trials,
        })
    }
}

/// A figure: its estimate at the priors' stated values, its Monte Carlo standard error,
/// and, where the priors were drawn jointly, the 5th–95th percentile band across draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, JsonSchema)]
pub struct Metric {
    pub estimate: f64,
    pub stderr: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<[f64; 2]>,
}

impl Metric {
    pub fn of(e: &Estimate, band: Option<[f64; 2]>) -> Self {
        Self {
            estimate: e.estimate,
            stderr: e.stderr,
            band,
        }
    }

    /// "0.591 [0.41, 0.78] ± 0.003", or "—".
    pub fn cell(&self) -> String {
        if self.estimate.is_nan() {
            return "—".into();
        }
        match self.band {
            Some([l, h]) => format!("{:.3} [{l:.2}, {h:.2}] ± {:.3}", self.estimate, self.stderr),
            None => format!("{:.3} ± {:.3}", self.estimate, self.stderr),
        }
    }
}

/// The figures of one option (or one option under one attack). The first six are read
/// first by scripts; capability figures are absent only where a score is unknown.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Metrics {
    pub p_any_military_response: Metric,
    pub p_nuclear_guarantor_response: Metric,
    pub p_military_within_7_days: Metric,
    pub p_military_within_30_days: Metric,
    pub p_any_support: Metric,
    pub p_any_response: Metric,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability_ratio_p05: Option<Metric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability_ratio_median: Option<Metric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability_ratio_p95: Option<Metric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability_ratio_mean: Option<Metric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_capability_at_least_attackers: Option<Metric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_any_military_response_independent: Option<Metric>,
    /// P(military response by the lead guarantor); absent if nobody is bound to use force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_lead_military_response: Option<Metric>,
    /// P(committed capability ≥ the attacker's) (k = 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_capability_ge_attacker: Option<Metric>,
    /// P(committed capability ≥ k × the attacker's), keyed by k ("0.5", "1", "2").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_capability_ge: Option<BTreeMap<String, Metric>>,
    /// P(the arrived military responders commit the attacker's capability within 30 days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_capability_parity_within_30_days: Option<Metric>,
    /// Median days until they do (absent: in fewer than half of the trials within 120 days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capability_parity_median_days: Option<f64>,
}

/// The metrics of a summary, with bands where a second-order run gave them.
pub fn metrics(s: &Summary, independent: Option<&Summary>, bands: Option<&OptionBands>) -> Metrics {
    let band = |name: &str| bands.and_then(|b| b.get(name)).map(|b| b.band);
    let m = |e: &Estimate, name: &str| Metric::of(e, band(name));
    let c = s.capability.as_ref();
    let k = |i: usize| c.map(|c| c.p_at_least[i].1);
    Metrics {
        p_any_military_response: m(&s.p_any_military_response, "p_any_military_response"),
        p_nuclear_guarantor_response: m(&s.p_nuclear_guarantor_response, "p_nuclear_guarantor_response"),
        p_military_within_7_days: m(&s.p_military_within_7_days, "p_military_within_7_days"),
        p_military_within_30_days: m(&s.p_military_within_30_days, "p_military_within_30_days"),
        p_any_support: m(&s.p_any_support, "p_any_support"),
        p_any_response: m(&s.p_any_response, "p_any_response"),
        capability_ratio_p05: c.map(|c| m(&c.p05, "capability_ratio_p05")),
        capability_ratio_median: c.map(|c| m(&c.p50, "capability_ratio_median")),
        capability_ratio_p95: c.map(|c| m(&c.p95, "capability_ratio_p95")),
        capability_ratio_mean: c.map(|c| m(&c.mean, "capability_ratio_mean")),
        p_capability_at_least_attackers: c.map(|c| m(&c.p_exceeds_attacker, "p_capability_ge_1")),
        p_any_military_response_independent: independent
            .map(|i| Metric::of(&i.p_any_military_response, None)),
        p_lead_military_response: s
            .p_lead_military_response
            .as_ref()
            .map(|e| m(e, "p_lead_military_response")),
        p_capability_ge_attacker: k(1).map(|e| m(&e, "p_capability_ge_1")),
        p_capability_ge: c.map(|c| {
            c.p_at_least
                .iter()
                .map(|(k, e)| {
                    let key = format!("{k}");
                    (key.clone(), m(e, &format!("p_capability_ge_{key}")))
                })
                .collect()
        }),
        p_capability_parity_within_30_days: c
            .map(|c| m(&c.p_parity_within_30_days, "p_parity_within_30_days")),
        capability_parity_median_days: c.and_then(|c| c.parity_median_days),
    }
}

/// One effect on a guarantor's log-odds of honouring.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EffectRow {
    pub parameter: String,
    pub log_odds: f64,
    /// What the parameter means.
    pub label: String,
}

/// One obligation of one guarantor.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GuarantorRow {
    pub actor: String,
    pub commitment: String,
    pub clause: String,
    pub strength: Strength,
    pub p_honour: f64,
    pub effects: Vec<EffectRow>,
    pub domestic_requirement: Requirement,
    pub p_approve: f64,
    pub waits_for: Option<String>,
    pub tripwire: bool,
    pub nuclear_armed: bool,
    pub capability_committed: Option<f64>,
    pub p_responds: Metric,
    /// Its share of the guarantors' combined capability score (CINC).
    pub capability_share: Option<f64>,
    pub capability_score: Option<f64>,
    /// Distance from the attacked state (km, between the gazetteer's points).
    pub distance_km: Option<f64>,
    pub major_power: Option<bool>,
    /// A lane of the lead guarantor.
    pub lead: bool,
}

pub fn guarantor_rows(lib: &Library, p: &Prepared, s: &Summary, priors: &Priors) -> Vec<GuarantorRow> {
    explain(lib, p, priors)
        .into_iter()
        .zip(&p.guarantors)
        .zip(&s.guarantors)
        .map(|((x, g), gs)| GuarantorRow {
            actor: x.actor,
            commitment: x.commitment,
            clause: x.clause,
            strength: g.strength,
            p_honour: g.p_honour,
            effects: x
                .effects
                .into_iter()
                .map(|e| EffectRow {
                    parameter: e.parameter,
                    log_odds: e.log_odds,
                    label: e.label,
                })
                .collect(),
            domestic_requirement: g.requirement,
            p_approve: g.p_approve,
            waits_for: gs.waits_for.clone(),
            tripwire: g.tripwire,
            nuclear_armed: g.nuclear,
            capability_committed: g.capability,
            p_responds: Metric::of(&gs.p_responds, None),
            capability_share: g.capability_share,
            capability_score: g.capability_score,
            distance_km: g.distance_km,
            major_power: g.major_power,
            lead: g.lead,
        })
        .collect()
}

/// The capability table a run uses: the user's NMC file (its CINC for the event's year,
/// COW major-power status from the built-in table), else the built-in table.
pub fn capability_table(user: Option<&SourceFile>, date: NaiveDate) -> Result<Table> {
    let builtin = Table::parse(
        &casus_library::capabilities(),
        "CINC from COW NMC 7.0, 2022 (built in; library/capabilities/PROVENANCE.md)",
    )
    .map_err(|mut e| e.remove(0))?
    .with_relations(builtin_portfolios()?, builtin_records()?);
    match user {
        None => Ok(builtin),
        Some(f) => {
            let c = parse_nmc(f, date.year())?;
            let scores = c.cinc.iter().map(|(&k, &v)| (k, (c.year, v))).collect();
            Ok(builtin.with_scores(&scores, c.label))
        }
    }
}

/// The built-in defence-pact portfolios (ATOP 5.1, 2018) for the alignment effect.
fn builtin_portfolios() -> Result<Option<casus_sim::relations::Portfolios>> {
    casus_library::data_file("relations/atop-5.1-2018-defence-portfolios.tsv")
        .map(|f| {
            casus_sim::relations::Portfolios::parse(
                &f,
                "ATOP 5.1 defence-pact portfolios, 2018 (built in; library/relations/PROVENANCE.md)",
            )
        })
        .transpose()
        .map_err(|mut e| e.remove(0))
}

/// The built-in record of requests under standing commitments, for the record effect.
/// With the leader-follower rules that sources give (`relations/followers.tsv`).
fn builtin_records() -> Result<Option<casus_sim::relations::Records>> {
    let follows = casus_library::data_file("relations/followers.tsv")
        .map(|f| casus_sim::relations::parse_follows(&f))
        .transpose()
        .map_err(|mut e| e.remove(0))?
        .unwrap_or_default();
    let records = casus_library::data_file("relations/invocation-records.tsv")
        .map(|f| casus_sim::relations::Records::parse(&f))
        .transpose()
        .map_err(|mut e| e.remove(0))?;
    Ok(records.map(|r| r.with_follows(follows)))
}

/// FNV-1a over every file's path and text: identifies the library a result came from.
pub fn library_hash(files: &[SourceFile]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        for b in f.path.bytes().chain([0]).chain(f.text.bytes()).chain([0]) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The labels people read for the metrics, in the order the report shows them.
pub fn metric_rows(m: &Metrics) -> Vec<(&'static str, Option<Metric>)> {
    let ge = |k: &str| m.p_capability_ge.as_ref().and_then(|g| g.get(k).copied());
    vec![
        (
            "P(military response by the lead guarantor)",
            m.p_lead_military_response,
        ),
        ("P(committed capability ≥ 0.5 × attacker's)", ge("0.5")),
        ("P(committed capability ≥ attacker's)", ge("1")),
        ("P(committed capability ≥ 2 × attacker's)", ge("2")),
        (
            "P(capability parity within 30 days)",
            m.p_capability_parity_within_30_days,
        ),
        ("P(any military response)", Some(m.p_any_military_response)),
        (
            "P(response by a nuclear-armed guarantor)",
            Some(m.p_nuclear_guarantor_response),
        ),
        (
            "P(military response within 7 days)",
            Some(m.p_military_within_7_days),
        ),
        (
            "P(military response within 30 days)",
            Some(m.p_military_within_30_days),
        ),
        ("P(any support: aid or more)", Some(m.p_any_support)),
        ("P(any response, consultation included)", Some(m.p_any_response)),
    ]
}

/// The guarantors table: who, under what, how likely, and why.
pub fn guarantor_section(title: String, rows: &[GuarantorRow]) -> Section {
    let mut t = Section::new(
        title,
        &[
            "guarantor",
            "obligation",
            "P(honour)",
            "capability share",
            "approval",
            "waits for",
            "forces there",
            "P(responds)",
        ],
    );
    for g in rows {
        t.row(vec![
            format!(
                "{}{}{}",
                g.actor,
                if g.nuclear_armed { " (nuclear)" } else { "" },
                if g.lead { " (lead)" } else { "" }
            ),
            format!("{}/{} ({})", g.commitment, g.clause, g.strength),
            format!("{:.3}", g.p_honour),
            g.capability_share
                .map_or("unknown".into(), |s| format!("{:.1}%", 100.0 * s)),
            if g.p_approve < 1.0 {
                format!(
                    "{} ({:.2})",
                    g.domestic_requirement.as_str().replace('_', " "),
                    g.p_approve
                )
            } else {
                "—".into()
            },
            g.waits_for.clone().unwrap_or_else(|| "—".into()),
            if g.tripwire { "yes".into() } else { "—".into() },
            g.p_responds.cell(),
        ]);
    }
    if rows.is_empty() {
        t.notes
            .push("  No obligation is triggered: nobody is bound to respond.".into());
    }
    t
}

/// Why each guarantor's P(honour) is what it is: the base log-odds and every effect.
pub fn explain_section(title: String, rows: &[GuarantorRow], base: f64) -> Section {
    let mut t = Section::new(
        title,
        &[
            "guarantor",
            "obligation",
            "P(honour)",
            "capability share",
            "distance",
            "effects on the log-odds",
        ],
    );
    for g in rows {
        let effects: Vec<String> = g
            .effects
            .iter()
            .filter(|e| e.log_odds != 0.0)
            .map(|e| format!("{} {:+.2}", e.parameter.trim_start_matches("honour."), e.log_odds))
            .collect();
        t.row(vec![
            format!(
                "{}{}",
                g.actor,
                if g.major_power == Some(true) {
                    " (major power)"
                } else {
                    ""
                }
            ),
            format!("{}/{}", g.commitment, g.clause),
            format!("{:.3}", g.p_honour),
            g.capability_share
                .map_or("unknown".into(), |s| format!("{:.2}%", 100.0 * s)),
            g.distance_km.map_or("unknown".into(), |d| format!("{d:.0} km")),
            effects.join("; "),
        ]);
    }
    t.notes.push(format!(
        "  Each P(honour) is the logistic of the base rate's log-odds ({base:+.2}) plus the effects; effects of 0 are left out."
    ));
    t
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SimulateRequest {
    #[serde(flatten)]
    pub run: RunSettings,
    /// Show why each guarantor's probability of honouring is what it is.
    #[serde(default)]
    pub explain: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SimulateHeader {
    pub version: String,
    pub library: String,
    pub seed: u64,
    pub threads: usize,
    pub trials: u64,
    pub capabilities: String,
}

/// What `casus simulate --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Simulation {
    pub event: EventView,
    pub header: SimulateHeader,
    pub metrics: Metrics,
    pub guarantors: Vec<GuarantorRow>,
    /// The lead guarantor (the decider others follow, else the largest committed capability).
    pub lead: Option<String>,
}

/// Runs the credibility model on the library as it stands. Returns the answer and the
/// per-trial records (when `keep_trials`); with a `sink`, the records go to it as they are
/// drawn (option 0) and none are returned.
pub fn simulate(
    lib: &Library,
    files: &[SourceFile],
    event: &Event,
    req: &SimulateRequest,
    capabilities: Option<&SourceFile>,
    progress: &mut dyn FnMut(u64, u64),
    sink: Option<&mut dyn TrialSink>,
) -> Result<(Answer<Simulation>, TrialRecords)> {
    let priors = Priors::new(&lib.parameters, &[]).map_err(Diagnostic::plain)?;
    let table = capability_table(capabilities, event.date)?;
    let cfg = req.run.config()?;
    let prepared = prepare_with_table(lib, event, &[], &priors, &table);
    let mut runs = run_into(std::slice::from_ref(&prepared), &cfg, progress, sink);
    let s = summarise(&prepared, &runs[0]);
    let rows = guarantor_rows(lib, &prepared, &s, &priors);
    let data = Simulation {
        event: EventView::new(lib, event),
        header: SimulateHeader {
            version: env!("CARGO_PKG_VERSION").into(),
            library: library_hash(files),
            seed: cfg.seed,
            threads: cfg.threads,
            trials: s.trials,
            capabilities: table.label.clone(),
        },
        metrics: metrics(&s, None, None),
        guarantors: rows,
        lead: prepared.lead.map(|a| lib.actor(a).id.clone()),
    };
    let heading = vec![
        format!(
            "{} attacks {} on {}: response of the library as it stands",
            lib.actor(event.attacker).id,
            lib.actor(event.target).id,
            event.date
        ),
        format!(
            "casus {} · library {} · seed {} · {} trials · capability: {}",
            data.header.version, data.header.library, cfg.seed, s.trials, table.label
        ),
    ];
    let mut m = Section::new("Response", &["metric", "estimate ± standard error"]);
    for (label, v) in metric_rows(&data.metrics) {
        if let Some(v) = v {
            m.row(vec![label.to_string(), v.cell()]);
        }
    }
    if let Some(l) = &data.lead {
        m.notes.push(format!("  Lead guarantor: {l}."));
    }
    let mut sections = vec![m, guarantor_section("Guarantors".into(), &data.guarantors)];
    if req.explain {
        let base =
            (priors.value("honour.base_rate", None) / (1.0 - priors.value("honour.base_rate", None))).ln();
        sections.push(explain_section(
            "Why each guarantor's P(honour) differs".into(),
            &data.guarantors,
            base,
        ));
    }
    let records = std::mem::take(&mut runs[0].records);
    Ok((
        Answer::new(
            data,
            Report {
                heading,
                sections,
                records: None,
            },
        ),
        records,
    ))
}
