//! The historical record, part 1: `reliability` (how often alliance commitments were honoured
//! in war) and `calibrate` (P(honoured) fitted to the same cases, and the priors to publish).
//! The models are casus-history's; this module turns requests into their inputs and their
//! results into the tables people read. The session reads the files and writes what a result
//! asks to be written (the priors file, the charts).

use casus_history::cow::{self, MajorSpell};
use casus_history::priors::{self, Calibration};
use casus_history::reliability::{self, By, Coding, Rate};
use casus_model::Library;
use casus_render::{Report, Section};
use casus_syntax::{Diagnostic, SourceFile};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Answer, Result};

fn coding_name(c: Coding) -> &'static str {
    match c {
        Coding::Llm => "Leeds–Long–Mitchell coding",
        Coding::Bf => "Berkemeier–Fuhrmann coding",
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("–".into(), |x| format!("{:.0}%", x * 100.0))
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReliabilityRequest {
    #[serde(default = "llm")]
    pub coding: Coding,
    #[serde(default = "period")]
    pub by: By,
    /// Where the chart will be written (named in the notes), if one is wanted.
    #[serde(default)]
    pub chart: Option<String>,
}

fn llm() -> Coding {
    Coding::Llm
}
fn period() -> By {
    By::Period
}

/// What `casus reliability --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReliabilityResult {
    pub cases_file: String,
    pub coding: Coding,
    pub cases: usize,
    pub not_performance: usize,
    pub interval: String,
    pub rates: Vec<Rate>,
    /// The rates drawn in the chart (by period, then by obligation type) and its title.
    #[serde(skip)]
    pub chart_rows: Vec<Rate>,
    #[serde(skip)]
    pub chart_title: String,
}

/// Fulfilment rates from Berkemeier & Fuhrmann's case data (`cases`: their CSV).
pub fn reliability(cases: &SourceFile, req: &ReliabilityRequest) -> Result<Answer<ReliabilityResult>> {
    let all = reliability::parse_cases(cases, req.coding)?;
    let rates = reliability::rates(&all, req.by);
    let name = coding_name(req.coding);
    let mut s = Section::new(
        format!("Fulfilment of alliance commitments in war ({name})"),
        &["group", "honoured", "violated", "rate", "95% interval"],
    );
    for r in &rates {
        s.row(vec![
            r.group.clone(),
            r.honoured.to_string(),
            r.violated.to_string(),
            pct(r.rate),
            format!("{}–{}", pct(r.low), pct(r.high)),
        ]);
    }
    let excluded = all.iter().filter(|c| !c.honoured && !c.violated).count();
    s.notes.push(format!(
        "{} alliance-in-war cases; {excluded} are not cases of performance (casus foederis not met, consultation pacts, non-aggression pacts kept). Intervals: Wilson score.",
        all.len()
    ));
    s.notes.push("Source: Berkemeier & Fuhrmann (2018), Research & Politics; Leeds, Long & Mitchell (2000), JCR 44(5).".into());
    let mut chart_rows = Vec::new();
    if let Some(path) = &req.chart {
        chart_rows = reliability::rates(&all, By::Period);
        chart_rows.extend(reliability::rates(&all, By::Obligation).into_iter().skip(1));
        s.notes.push(format!("Chart: {path}"));
    }
    let data = ReliabilityResult {
        cases_file: cases.path.clone(),
        coding: req.coding,
        cases: all.len(),
        not_performance: excluded,
        interval: "wilson 95%".into(),
        rates,
        chart_rows,
        chart_title: format!("Alliance commitments honoured in war ({name})"),
    };
    let report = Report {
        heading: vec!["Alliance reliability".into()],
        sections: vec![s],
        records: None,
    };
    Ok(Answer::new(data, report))
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CalibrateRequest {
    #[serde(default = "llm")]
    pub coding: Coding,
    /// Number of cross-validation folds.
    #[serde(default = "ten")]
    pub folds: usize,
    /// Where the priors file will be written (named in the result), if anywhere.
    #[serde(default)]
    pub out: Option<String>,
    /// Where the calibration chart will be written, if one is wanted.
    #[serde(default)]
    pub chart: Option<String>,
}

fn ten() -> usize {
    10
}

/// The files `calibrate` reads, as the session read them.
pub struct CalibrateInputs<'a> {
    /// Berkemeier & Fuhrmann's cases.
    pub cases: &'a SourceFile,
    /// COW major powers (`majors2016.csv`).
    pub majors: &'a SourceFile,
    /// COW NMC capabilities (ccode, year, cinc).
    pub nmc: &'a SourceFile,
    /// The files of ATOP's release folder (the member-level file is found by content).
    pub atop: &'a [SourceFile],
    /// That folder, for messages.
    pub atop_dir: &'a str,
}

/// What `casus calibrate --format json` prints.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CalibrateResult {
    pub cases_file: String,
    pub coding: Coding,
    #[serde(flatten)]
    pub calibration: Calibration,
    pub out: Option<String>,
    /// The priors file to write at `out` (the shape of library/priors/credibility.toml).
    #[serde(skip)]
    pub priors_file: Option<String>,
    /// The calibration chart (SVG) to write at the request's `chart`.
    #[serde(skip)]
    pub chart_svg: Option<String>,
}

/// The literature's base rate the calibration must beat: the library's `honour.base_rate`.
fn literature_base_rate(lib: &Library) -> Result<f64> {
    lib.parameters
        .iter()
        .find(|p| p.id == "honour.base_rate" && p.actor.is_none())
        .map(|p| p.value)
        .ok_or_else(|| {
            Diagnostic::plain(
                "the library has no parameter `honour.base_rate` (library/priors/credibility.toml)",
            )
        })
}

/// A logistic model of P(honoured) on the Berkemeier & Fuhrmann cases, and its priors.
pub fn calibrate(
    lib: &Library,
    files: &CalibrateInputs,
    req: &CalibrateRequest,
) -> Result<Answer<CalibrateResult>> {
    let cases = reliability::parse_cases(files.cases, req.coding)?;
    let majors: Vec<MajorSpell> = cow::parse_majors(files.majors)?;
    let cinc = cow::parse_cinc(files.nmc)?;
    let atop = casus_history::atop::member_file(files.atop_dir, files.atop)?;
    let c = priors::calibrate(&priors::Inputs {
        cases: &cases,
        coding: req.coding,
        atop: &atop,
        majors: &majors,
        cinc: &cinc,
        folds: req.folds,
        literature_base_rate: literature_base_rate(lib)?,
    })?;
    let (k, n, ridge) = (c.folds, c.cases, priors::RIDGE);
    let mut quality = Section::new(
        format!("Out-of-sample quality ({k}-fold cross-validation, {n} cases)"),
        &["model", "log loss", "Brier score"],
    );
    for q in &c.quality {
        quality.row(vec![
            q.model.clone(),
            format!("{:.4}", q.log_loss),
            format!("{:.4}", q.brier),
        ]);
    }
    let mut coefs = Section::new(
        format!("Fitted coefficients (log-odds of honouring, all {n} cases, ridge {ridge})"),
        &["feature", "coefficient", "std. error", "cases with it"],
    );
    for co in &c.coefficients {
        coefs.row(vec![
            co.feature.clone(),
            format!("{:+.3}", co.coefficient),
            format!("{:.3}", co.se),
            co.cases_with.to_string(),
        ]);
    }
    if c.skipped > 0 {
        coefs.notes.push(format!("{} cases of performance left out: war year not found, alliance not in ATOP {}, or no member with a COW CINC score.", c.skipped, atop.release.version));
    }
    let mut abl = Section::new(
        format!("Which features help out of sample (each group dropped from the full model; full model: log loss {:.4}, Brier {:.4})", c.full_log_loss, c.full_brier),
        &["group left out", "log loss without", "Brier without", "gain from the group"],
    );
    for a in &c.ablation {
        abl.row(vec![
            a.group.clone(),
            format!("{:.4}", a.log_loss_without),
            format!("{:.4}", a.brier_without),
            format!("{:+.4}", a.gain),
        ]);
    }
    abl.notes.push("A positive gain means the cross-validated log loss rises when the group is left out: the group helps out of sample.".into());
    abl.notes.push("Conditions and strength are ATOP's member-level codings (any member in the war's first year). Relative capability uses COW NMC's CINC of the members in the war's first year: the alliance's summed share of world capabilities and its strongest member's share of that sum (the case data names the alliance, not the obligor, and a proposed commitment has no opponent yet, so both are computed from the members alone).".into());
    let mut calib = Section::new(
        "Calibration of the model behind the priors (out-of-fold predictions, deciles)",
        &["decile", "cases", "mean predicted", "observed"],
    );
    for (i, b) in c.calibration.iter().enumerate() {
        calib.row(vec![
            (i + 1).to_string(),
            b.cases.to_string(),
            format!("{:.2}", b.mean_predicted),
            format!("{:.2}", b.observed),
        ]);
    }
    let mut chart_svg = None;
    if let Some(path) = &req.chart {
        let points: Vec<(f64, f64, usize)> = c
            .calibration
            .iter()
            .map(|b| (b.mean_predicted, b.observed, b.cases))
            .collect();
        let svg = casus_render::charts::calibration(
            "Calibration of P(honoured), cross-validated",
            &points,
            c.observed_rate,
        )
        .map_err(|e| Diagnostic::plain(format!("chart: {e}")))?;
        chart_svg = Some(svg);
        calib.notes.push(format!("Chart: {path}"));
    }
    let mut written = Section::new("Priors written", &["parameter", "value", "low", "high"]);
    for p in &c.written {
        written.row(vec![
            p.id.clone(),
            format!("{:.3}", p.value),
            format!("{:.3}", p.low),
            format!("{:.3}", p.high),
        ]);
    }
    written.notes.push("Era, major-power status, alliance size, ATOP's obligation types, conditions and strength, and relative capability are not parameters of the credibility model, so their effects inform the base rate only; an institution effect is written only if it lowers the cross-validated log loss.".into());
    written.notes.push(format!(
        "The priors come from the logistic model with {} (cross-validated log loss {:.4}; the other model {:.4}).",
        c.prior_model, c.prior_log_loss, c.other_log_loss
    ));
    let priors_file = req.out.as_ref().map(|path| {
        written.notes.push(format!("Written to {path}"));
        priors::priors_file(&c.written)
    });
    let report = Report {
        heading: vec!["Calibrating P(honoured) on alliance commitments in war".into()],
        sections: vec![quality, abl, coefs, calib, written],
        records: None,
    };
    let data = CalibrateResult {
        cases_file: files.cases.path.clone(),
        coding: req.coding,
        calibration: c,
        out: req.out.clone(),
        priors_file,
        chart_svg,
    };
    Ok(Answer::new(data, report))
}
