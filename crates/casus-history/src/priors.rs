//! Calibrated priors for P(honoured): the features of each alliance-in-war case, the models
//! compared out of sample, and the choice of which fitted model's priors to publish.
//!
//! One row per case of performance (honoured or violated) of the Berkemeier & Fuhrmann 2018
//! data, with the features listed in [`FEATURES`] (see [`crate::calibrate`] for what each is
//! worth). Four models are scored by cross-validated log loss and Brier score: the
//! literature's base rate (the library's `honour.base_rate`, not fitted), the base rate fitted
//! in each fold, the model with the first [`PREVIOUS_FEATURES`] features, and all features.
//!
//! **Which priors are published.** The base rate comes from whichever of the two logistic
//! models has the lower cross-validated log loss (at the average profile of the post-1945
//! defence cases, with a 95% interval from the delta method); if that model does not beat the
//! base rate alone out of sample, the observed rate of all cases is written instead. An
//! institution effect (integrated command, organisation) is written only if removing its
//! feature raises the chosen model's cross-validated log loss.

use std::collections::HashMap;

use casus_syntax::Diagnostic;
use schemars::JsonSchema;
use serde::Serialize;

use crate::atop::{MemberFile, Membership};
use crate::calibrate::{self as cal, Ablation, Bin};
use crate::cow::{Cinc, MajorSpell};
use crate::reliability::{Case, Coding};

/// The ridge penalty of every fit.
pub const RIDGE: f64 = 0.1;
/// The features of the model before conditions, capability and strength were added (columns 0..9).
pub const PREVIOUS_FEATURES: usize = 9;

/// The features, in column order.
pub const FEATURES: [&str; 18] = [
    "defence",
    "offence",
    "neutrality",
    "non-aggression",
    "after 1945",
    "major-power member",
    "multilateral",
    "integrated command",
    "organisation",
    "condition: specific adversary",
    "condition: location",
    "condition: non-provocation",
    "condition: number of attackers",
    "condition: demands",
    "strength: active support promised",
    "strength: contributions specified",
    "capability: alliance CINC (tenths of world)",
    "capability: strongest member's share",
];

/// Groups of columns dropped together in the ablation.
fn groups() -> Vec<(&'static str, Vec<usize>)> {
    vec![
        ("obligation type", vec![0, 1, 2, 3]),
        ("era (after 1945)", vec![4]),
        ("major-power member", vec![5]),
        ("multilateral", vec![6]),
        ("institutions (integrated command, organisation)", vec![7, 8]),
        (
            "conditions (adversary, location, non-provocation, attackers, demands)",
            vec![9, 10, 11, 12, 13],
        ),
        ("strength (active support, contributions)", vec![14, 15]),
        ("relative capability (CINC total, strongest share)", vec![16, 17]),
    ]
}

/// What the calibration reads.
pub struct Inputs<'a> {
    pub cases: &'a [Case],
    pub coding: Coding,
    pub atop: &'a MemberFile,
    pub majors: &'a [MajorSpell],
    pub cinc: &'a [Cinc],
    pub folds: usize,
    /// The base rate the library's priors give (`honour.base_rate`): the model to beat.
    pub literature_base_rate: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Quality {
    pub model: String,
    pub log_loss: f64,
    pub brier: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Coefficient {
    pub feature: String,
    pub coefficient: f64,
    pub se: f64,
    /// Cases with the feature nonzero.
    #[serde(skip)]
    pub cases_with: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct InstitutionEffect {
    pub parameter: String,
    pub feature: String,
    pub coefficient: f64,
    pub se: f64,
    pub log_loss_with: f64,
    pub log_loss_without: f64,
    pub written: bool,
}

/// One calibrated prior, in the shape of `library/priors/credibility.toml`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Prior {
    pub id: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub source: String,
}

/// The calibration: scores, coefficients, the model chosen and the priors written.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Calibration {
    pub cases: usize,
    pub skipped: usize,
    pub folds: usize,
    pub ridge: f64,
    pub quality: Vec<Quality>,
    pub coefficients: Vec<Coefficient>,
    pub calibration: Vec<Bin>,
    pub institution_effects: Vec<InstitutionEffect>,
    pub ablation: Vec<Ablation>,
    pub prior_model: String,
    pub written: Vec<Prior>,
    /// Cross-validated scores of the full model, the chosen one and the other one.
    #[serde(skip)]
    pub full_log_loss: f64,
    #[serde(skip)]
    pub full_brier: f64,
    #[serde(skip)]
    pub prior_log_loss: f64,
    #[serde(skip)]
    pub other_log_loss: f64,
    /// The observed rate of honouring among the cases (the calibration chart's base line).
    #[serde(skip)]
    pub observed_rate: f64,
}

/// Builds the feature rows, cross-validates the models and chooses the priors.
pub fn calibrate(inp: &Inputs) -> Result<Calibration, Diagnostic> {
    let details = cal::member_details(inp.atop)?;
    let mut details_of: HashMap<u32, Vec<&cal::MemberDetail>> = HashMap::new();
    for d in &details {
        details_of.entry(d.atopid).or_default().push(d);
    }
    let cinc = cal::cinc_by_year(inp.cinc);
    let atop = &inp.atop.release;
    let mut by_alliance: HashMap<u32, Vec<&Membership>> = HashMap::new();
    for m in &atop.memberships {
        by_alliance.entry(m.atopid).or_default().push(m);
    }
    let names = FEATURES;
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let mut skipped = 0usize;
    for c in inp.cases.iter().filter(|c| c.honoured || c.violated) {
        let (Some(year), Some(members)) = (cal::war_year(&c.war), by_alliance.get(&c.atopid)) else {
            skipped += 1;
            continue;
        };
        let in_war =
            |m: &&&Membership| m.years(atop.last_year).0 <= year && year <= m.years(atop.last_year).1;
        // The case data names the alliance, not the obligor: an alliance counts as having a
        // major power when a member in the war's first year was a COW major power then.
        let major = members
            .iter()
            .filter(in_war)
            .any(|m| inp.majors.iter().any(|s| s.covers(m.member, year)));
        let f = c.obligations.flags();
        let row = [
            f[0],
            f[1],
            f[2],
            f[3],
            !c.before_1945,
            major,
            c.multilateral,
            members.iter().any(|m| m.intcom),
            members.iter().any(|m| m.organ),
        ];
        let mut r: Vec<f64> = row.into_iter().map(|b| b as u8 as f64).collect();
        // Conditions and strength: any member in the war's first year (all members when none is).
        let ds = details_of.get(&c.atopid).map(Vec::as_slice).unwrap_or(&[]);
        let now: Vec<&&cal::MemberDetail> = ds.iter().filter(|d| d.covers(year)).collect();
        let now = if now.is_empty() { ds.iter().collect() } else { now };
        for k in 0..cal::CONDITIONS.len() {
            r.push(now.iter().any(|d| d.conditions[k]) as u8 as f64);
        }
        r.push(now.iter().any(|d| d.active) as u8 as f64);
        r.push(now.iter().any(|d| d.contrib) as u8 as f64);
        let mut ids: Vec<u16> = members.iter().filter(in_war).map(|m| m.member).collect();
        if ids.is_empty() {
            ids = members.iter().map(|m| m.member).collect();
        }
        ids.sort_unstable();
        ids.dedup();
        let Some(cap) = cal::capability(&ids, year, &cinc) else {
            skipped += 1;
            continue;
        };
        r.push(cap.total * 10.0);
        r.push(cap.top_share);
        x.push(r);
        y.push(c.honoured as u8 as f64);
    }
    if y.len() < inp.folds.max(2) * 2 {
        return Err(Diagnostic::plain(format!(
            "only {} cases of performance: too few to cross-validate",
            y.len()
        )));
    }
    let k = inp.folds.max(2);
    let all: Vec<usize> = (0..names.len()).collect();
    let base_cv = cal::cross_validate(&x, &y, k, RIDGE, &[]);
    let full_cv = cal::cross_validate(&x, &y, k, RIDGE, &all);
    let previous: Vec<usize> = (0..PREVIOUS_FEATURES).collect();
    let previous_cv = cal::cross_validate(&x, &y, k, RIDGE, &previous);
    let ablation = cal::ablate(&x, &y, k, RIDGE, &groups());
    let lit = vec![inp.literature_base_rate; y.len()];
    let full = cal::fit(&x, &y, RIDGE);
    let mut quality = Vec::new();
    for (label, p) in [
        (
            format!("literature base rate {} (not fitted)", inp.literature_base_rate),
            &lit,
        ),
        ("base rate alone (fitted in each fold)".to_string(), &base_cv),
        (
            "logistic model, type, era, major power, size, institutions".to_string(),
            &previous_cv,
        ),
        (
            "logistic model, all features (+ conditions, strength, capability)".to_string(),
            &full_cv,
        ),
    ] {
        quality.push(Quality {
            model: label,
            log_loss: cal::log_loss(p, &y),
            brier: cal::brier(p, &y),
        });
    }
    // The model behind the priors: the one with the lower cross-validated log loss of the two
    // above (the previous features are a prefix of the full list, so column indices agree).
    let full_ll = cal::log_loss(&full_cv, &y);
    let (prior_cols, prior_cv, prior_label) = if cal::log_loss(&previous_cv, &y) < full_ll {
        (
            previous.clone(),
            &previous_cv,
            "type, era, major power, size and institutions",
        )
    } else {
        (all.clone(), &full_cv, "all features")
    };
    let xp: Vec<Vec<f64>> = x.iter().map(|r| r[..prior_cols.len()].to_vec()).collect();
    let prior_fit = cal::fit(&xp, &y, RIDGE);
    let prior_ll = cal::log_loss(prior_cv, &y);
    let full_wins = prior_ll < cal::log_loss(&base_cv, &y);
    // Parameters of the credibility model that a feature estimates: written only if adding the
    // feature lowers the out-of-sample log loss.
    let mut written: Vec<Prior> = Vec::new();
    let mut zeroed: Vec<usize> = Vec::new();
    let mut effects = Vec::new();
    for (feature, param) in [
        ("integrated command", "honour.institution.integrated_command"),
        ("organisation", "honour.institution.standing_body"),
    ] {
        let Some(j) = names.iter().position(|n| *n == feature) else {
            continue;
        };
        let without: Vec<usize> = prior_cols.iter().copied().filter(|&c| c != j).collect();
        let ll_without = cal::log_loss(&cal::cross_validate(&x, &y, k, RIDGE, &without), &y);
        let ll_with = prior_ll;
        let (b, se) = (prior_fit.coef[j + 1], prior_fit.se[j + 1]);
        let better = ll_with < ll_without;
        effects.push(InstitutionEffect {
            parameter: param.into(),
            feature: feature.into(),
            coefficient: b,
            se,
            log_loss_with: ll_with,
            log_loss_without: ll_without,
            written: better,
        });
        if better {
            zeroed.push(j);
            written.push(Prior { id: param.into(), value: b, low: b - 1.96 * se, high: b + 1.96 * se, source: format!("casus calibrate: logistic coefficient of ATOP's {feature} provision on honouring ({} Berkemeier & Fuhrmann 2018 cases, ridge {RIDGE}); cross-validated log loss {ll_with:.4} with it, {ll_without:.4} without. Range: ±1.96 standard errors.", y.len()) });
        }
    }
    // The base rate: a defence obligation after 1945, averaged over those cases' other features
    // (with any written effect's feature set to 0, since the simulation adds it separately).
    let modern: Vec<Vec<f64>> = xp
        .iter()
        .filter(|r| r[0] == 1.0 && r[4] == 1.0)
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(j, v)| if zeroed.contains(&j) { 0.0 } else { *v })
                .collect()
        })
        .collect();
    let (base, low, high, how) = if full_wins && !modern.is_empty() {
        let mean: Vec<f64> = (0..prior_cols.len())
            .map(|j| modern.iter().map(|r| r[j]).sum::<f64>() / modern.len() as f64)
            .collect();
        let (eta, se) = (prior_fit.eta(&mean), prior_fit.eta_se(&mean));
        let s = |z: f64| 1.0 / (1.0 + (-z).exp());
        (s(eta), s(eta - 1.96 * se), s(eta + 1.96 * se), format!("the fitted logistic model ({prior_label}) at the average profile of the {} defence cases after 1945", modern.len()))
    } else {
        let m = y.iter().sum::<f64>() / y.len() as f64;
        let se = (m * (1.0 - m) / y.len() as f64).sqrt();
        (
            m,
            (m - 1.96 * se).max(0.0),
            (m + 1.96 * se).min(1.0),
            "the rate of all cases (the model did not beat it out of sample)".to_string(),
        )
    };
    let coding = if inp.coding == Coding::Llm {
        "Leeds–Long–Mitchell"
    } else {
        "Berkemeier–Fuhrmann"
    };
    written.insert(0, Prior { id: "honour.base_rate".into(), value: base, low, high, source: format!("casus calibrate: {how}; {} Berkemeier & Fuhrmann 2018 cases ({coding} coding), COW majors 2016, ridge {RIDGE}. Cross-validated log loss {:.4} (model) against {:.4} (base rate alone). Range: 95% interval.", y.len(), prior_ll, cal::log_loss(&base_cv, &y)) });
    let coefficients = std::iter::once("intercept")
        .chain(names.iter().copied())
        .enumerate()
        .map(|(i, n)| Coefficient {
            feature: n.into(),
            coefficient: full.coef[i],
            se: full.se[i],
            cases_with: if i == 0 {
                y.len()
            } else {
                x.iter().filter(|r| r[i - 1] != 0.0).count()
            },
        })
        .collect();
    Ok(Calibration {
        cases: y.len(),
        skipped,
        folds: k,
        ridge: RIDGE,
        quality,
        coefficients,
        calibration: cal::calibration(prior_cv, &y, 10),
        institution_effects: effects,
        ablation,
        prior_model: prior_label.into(),
        written,
        full_log_loss: full_ll,
        full_brier: cal::brier(&full_cv, &y),
        prior_log_loss: prior_ll,
        other_log_loss: if prior_cols.len() == all.len() {
            cal::log_loss(&previous_cv, &y)
        } else {
            full_ll
        },
        observed_rate: y.iter().sum::<f64>() / y.len().max(1) as f64,
    })
}

/// The priors as a library file (`--library FILE` loads it; each parameter replaces the
/// built-in one).
pub fn priors_file(written: &[Prior]) -> String {
    let mut f = String::from("# Written by `casus calibrate` (casus-history): priors fitted to the Berkemeier & Fuhrmann 2018\n# alliance-in-war cases. Load with --library FILE; each parameter replaces the built-in one.\n");
    for p in written {
        // A string always serialises as JSON, which is a valid TOML basic string here.
        let source = serde_json::to_string(&p.source).unwrap_or_default();
        f.push_str(&format!(
            "\n[[parameter]]\nid = \"{}\"\nvalue = {:.4}\nlow = {:.4}\nhigh = {:.4}\nsource = {source}\n",
            p.id, p.value, p.low, p.high
        ));
    }
    f
}
