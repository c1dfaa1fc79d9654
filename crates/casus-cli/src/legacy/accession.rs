//! `casus accession`: when would a candidate join, who decides it, and what protects it
//! while it waits.

use std::path::Path;

use anyhow::{anyhow, Result};
use casus_accession::{
    backtest, fit, simulate, stance_effects, DelayModel, Fallbacks, Query, StanceOverride,
};
use casus_model::*;
use chrono::{Days, NaiveDate};
use serde_json::{json, Value};

use casus_render::charts;

use super::{Report, Section};

#[derive(clap::Args, Clone)]
pub struct AccessionArgs {
    /// The candidate (actor id or name).
    pub candidate: String,
    /// The organisation (NATO, EU …).
    #[arg(long, default_value = "NATO")]
    pub org: String,
    /// What is known on this date: stances stated and ratifications made before it (default: today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// The horizon (default: ten years after the as-of date).
    #[arg(long)]
    pub until: Option<String>,
    /// A TOML file of [[stance]] entries that override the library's (with `probability` if you like).
    #[arg(long, value_name = "FILE")]
    pub stances: Option<std::path::PathBuf>,
    #[arg(long, default_value_t = 20_000)]
    pub trials: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Replay every past enlargement from what was known at its protocol signature.
    #[arg(long)]
    pub backtest: bool,
    /// List the commitments that protect the candidate while it waits.
    #[arg(long)]
    pub coverage: bool,
    /// The attacker assumed for --coverage.
    #[arg(long, default_value = "RUS")]
    pub attacker: String,
    /// Write the CDF chart (SVG) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

fn param(lib: &Library, id: &str) -> Result<f64> {
    lib.parameters
        .iter()
        .find(|p| p.id == id && p.actor.is_none())
        .map(|p| p.value)
        .ok_or_else(|| anyhow!("the priors give no value for `{id}`"))
}

pub fn fallbacks(lib: &Library) -> Result<Fallbacks> {
    Ok(Fallbacks {
        holdout_median_days: param(lib, "accession.holdout.median_days")?,
        holdout_sigma: param(lib, "accession.holdout.sigma")?,
        invitation_to_protocol_days: param(lib, "accession.invitation_to_protocol.median_days")?,
        deposit_days: param(lib, "accession.deposit.median_days")?,
        pooling_weight: param(lib, "accession.procedure_pooling_weight")?,
    })
}

fn model_section(m: &DelayModel) -> Section {
    let mut s = Section::new(
        "Delay model fitted to past enlargements (days; log-normal)",
        &["delay", "median", "sigma", "observations"],
    );
    s.row(vec![
        "ratification by a supporting member (pooled)".into(),
        format!("{:.0}", m.regular.median),
        format!("{:.2}", m.regular.sigma),
        m.regular.n.to_string(),
    ]);
    for (k, f) in &m.by_procedure {
        s.row(vec![
            format!("  … procedure {k}"),
            format!("{:.0}", f.median),
            format!("{:.2}", f.sigma),
            f.n.to_string(),
        ]);
    }
    s.row(vec![
        "ratification or consent by a conditional member (holdout)".into(),
        format!("{:.0}", m.holdout.median),
        format!("{:.2}", m.holdout.sigma),
        m.holdout.n.to_string(),
    ]);
    s.row(vec![
        "invitation to protocol".into(),
        format!("{:.0}", m.invitation_to_protocol.median),
        format!("{:.2}", m.invitation_to_protocol.sigma),
        m.invitation_to_protocol.n.to_string(),
    ]);
    s.row(vec![
        "last ratification to accession (deposit)".into(),
        format!("{:.0}", m.deposit.median),
        format!("{:.2}", m.deposit.sigma),
        m.deposit.n.to_string(),
    ]);
    s.notes.push(format!(
        "  Fitted on: {}. Observations 0 or 1: the fallback values of library/priors (labelled assumptions).",
        m.rounds_used.join(", ")
    ));
    s
}

fn read_overrides(lib: &Library, path: &Path, org: OrgId, candidate: ActorId) -> Result<Vec<StanceOverride>> {
    let session =
        casus_session::Session::new(casus_session::Env::from_process(), true, vec![path.to_path_buf()]);
    let files: Vec<_> = session
        .library_files(&[])?
        .into_iter()
        .filter(|f| !casus_library::is_negotiation(&f.path))
        .collect();
    let loaded = casus_model::load(&files);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.short())
        .collect();
    if !errors.is_empty() {
        return Err(anyhow!("{}", errors.join("\n")));
    }
    let user_path = path.display().to_string();
    Ok(loaded
        .library
        .stances
        .iter()
        .filter(|s| s.location.starts_with(&user_path) && s.org == org && s.candidate == candidate)
        .filter_map(|s| {
            lookup::actor(lib, &loaded.library.actor(s.member).id)
                .ok()
                .map(|member| StanceOverride {
                    member,
                    position: s.position,
                    probability: s.probability,
                })
        })
        .collect())
}

pub fn accession(lib: &Library, a: &AccessionArgs, today: NaiveDate) -> Result<Report> {
    let candidate = lookup::actor(lib, &a.candidate).map_err(|e| anyhow!("{e}"))?;
    let org = lookup::org(lib, &a.org).map_err(|e| anyhow!("--org: {e}"))?;
    let as_of = match &a.as_of {
        Some(d) => casus_api::event::parse_date("date", d)?,
        None => today,
    };
    let until = match &a.until {
        Some(d) => casus_api::event::parse_date("date", d)?,
        None => as_of + Days::new(3653),
    };
    if until <= as_of {
        return Err(anyhow!("--until must come after the as-of date ({as_of})"));
    }
    if a.trials == 0 || a.trials > 10_000_000 {
        return Err(anyhow!("--trials: between 1 and 10,000,000"));
    }
    let fb = fallbacks(lib)?;
    let hazard = param(lib, "accession.opposes_change_per_year")?;
    // Only what was known on the as-of date: rounds completed before it.
    let model = fit::fit(
        lib,
        org,
        &|e| e.accession.latest >= as_of || e.candidates.contains(&candidate),
        &fb,
    );
    let overrides = match &a.stances {
        Some(p) => read_overrides(lib, p, org, candidate)?,
        None => vec![],
    };
    let q = Query {
        org,
        candidate,
        as_of,
        until,
        trials: a.trials,
        seed: a.seed,
        overrides,
        opposes_change_per_year: hazard,
    };
    let f = simulate::simulate(lib, &q, &model);
    let effects = stance_effects(lib, &q, &model, &f);
    let cand = lib.actor(candidate);
    let orgname = lib.org(org).id.clone();
    let mut heading = vec![
        format!("{} ({}) joining {orgname}: as known on {as_of}, horizon {until}", cand.id, cand.name),
        format!(
            "Stage: {:?}{} · P(member by {until}) = {:.3} ± {:.3} · accession date p05 {} · p50 {} · p95 {} · {} trials, seed {}",
            f.stage,
            f.protocol_signed.as_ref().map(|p| format!(" (protocol signed {p})")).unwrap_or_default(),
            f.p_member_by_until,
            f.stderr,
            f.quantiles.p05.clone().unwrap_or_else(|| "beyond horizon".into()),
            f.quantiles.p50.clone().unwrap_or_else(|| "beyond horizon".into()),
            f.quantiles.p95.clone().unwrap_or_else(|| "beyond horizon".into()),
            f.trials,
            a.seed
        ),
    ];
    if let Some(rules) = lib.accession_rules.iter().find(|r| r.org == org) {
        heading.push(format!(
            "Rule: {} — {}",
            rules.citation.article,
            rules
                .steps
                .iter()
                .map(|s| format!("{} ({})", s.step, s.rule))
                .collect::<Vec<_>>()
                .join(" → ")
        ));
        // Conditions stated by the as-of date, for this candidate or for all.
        for c in rules
            .conditions
            .iter()
            .filter(|c| c.candidate.is_none_or(|x| x == candidate) && c.date.is_none_or(|d| d.latest < as_of))
        {
            let when = c.date.map(|d| format!("{d}: ")).unwrap_or_default();
            heading.push(format!("Stated condition: {when}{} ({})", c.text, c.source));
        }
    }
    let mut members = Section::new(
        "Members: stance known on the as-of date, and who is pivotal",
        &[
            "member",
            "position",
            "basis",
            "procedure",
            "ratified",
            "P(blocking at horizon)",
            "P(last to ratify)",
        ],
    );
    for p in f.pivotal.iter() {
        let m = f.members.iter().find(|m| m.member == p.member);
        if let Some(m) = m {
            members.row(vec![
                m.member.clone(),
                match m.probability {
                    Some(pr) => format!("{} (p = {pr})", m.position),
                    None => m.position.to_string(),
                },
                m.basis.chars().take(80).collect(),
                m.procedure.to_string(),
                m.ratified.clone().unwrap_or_else(|| "—".into()),
                format!("{:.3}", p.p_blocking),
                format!("{:.3}", p.p_last),
            ]);
        }
    }
    let mut eff = Section::new(
        "Which stance changes would move the result most",
        &[
            "member",
            "change",
            "P(member by horizon)",
            "change in P",
            "median accession moves by (days)",
        ],
    );
    for e in &effects {
        eff.row(vec![
            e.member.clone(),
            e.change.clone(),
            format!("{:.3}", e.p_member_by_until),
            format!("{:+.3}", e.delta),
            if e.delta_median_days.is_finite() {
                format!("{:+.0}", e.delta_median_days)
            } else {
                "—".into()
            },
        ]);
    }
    eff.notes.push("  Under unanimity any single supporter turning to opposition can hold the candidate out until it changes its mind.".into());
    let mut cdf = Section::new("P(member by date)", &["date", "P"]);
    for (d, p) in f.cdf.iter().step_by(6) {
        cdf.row(vec![d.clone(), format!("{p:.3}")]);
    }
    let mut sections = vec![members, eff, cdf, model_section(&model)];
    let mut json = json!({
        "candidate": cand.id,
        "org": orgname,
        "as_of": as_of.to_string(),
        "until": until.to_string(),
        "stage": f.stage,
        "protocol_signed": f.protocol_signed,
        "trials": f.trials,
        "seed": a.seed,
        "p_member_by_until": {"estimate": f.p_member_by_until, "stderr": f.stderr},
        "quantiles": f.quantiles,
        "cdf": f.cdf.iter().map(|(d, p)| json!({"date": d, "p": p})).collect::<Vec<_>>(),
        "pivotal": f.pivotal,
        "members": f.members,
        "stance_effects": effects,
        "model": model,
    });
    if a.backtest {
        let rows = backtest(lib, org, &fb, a.trials.min(10_000), a.seed, hazard);
        let mut t = Section::new(
            "Backtest: each past round predicted without itself (days from protocol to accession)",
            &[
                "round",
                "protocol",
                "actual",
                "p05",
                "p50",
                "p95",
                "PIT",
                "inside 90%",
            ],
        );
        for r in &rows {
            t.row(vec![
                r.round.clone(),
                r.protocol_signed.clone(),
                format!("{:.0}", r.actual_days),
                format!("{:.0}", r.p05_days),
                format!("{:.0}", r.p50_days),
                format!("{:.0}", r.p95_days),
                format!("{:.2}", r.pit),
                if r.inside_90 { "yes".into() } else { "no".into() },
            ]);
        }
        let inside = rows.iter().filter(|r| r.inside_90).count();
        t.notes.push(format!("  {inside} of {} actual dates fall inside the 90% interval (a calibrated model: about 90%). PIT = P(predicted ≤ actual).", rows.len()));
        sections.push(t);
        json["backtest"] = serde_json::to_value(&rows)?;
    }
    if a.coverage {
        let (s, j) = coverage(lib, candidate, &a.attacker, as_of, f.quantiles.p50.as_deref())?;
        sections.push(s);
        json["coverage"] = j;
    }
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir)?;
        let points: Vec<(f64, f64, f64)> = f
            .cdf
            .iter()
            .enumerate()
            .map(|(i, (_, p))| (i as f64, *p, (p * (1.0 - p) / f.trials as f64).sqrt()))
            .collect();
        let months = points.len().max(2) as f64 - 1.0;
        let axes = charts::Axes {
            x: "months after the as-of date",
            y: "P(a member by then)",
        };
        std::fs::write(
            dir.join(format!("accession-{}.svg", cand.id)),
            charts::curves(
                &format!("P({} a member of {orgname}) by months after {as_of}", cand.id),
                &axes,
                &[(cand.id.clone(), points)],
                months,
            )?,
        )?;
    }
    Ok(Report {
        heading,
        sections,
        json,
    })
}

/// The commitments that protect the candidate on the as-of date and, if it comes before
/// the horizon, on the median accession date's eve.
fn coverage(
    lib: &Library,
    candidate: ActorId,
    attacker: &str,
    as_of: NaiveDate,
    median: Option<&str>,
) -> Result<(Section, Value)> {
    let attacker = lookup::actor(lib, attacker).map_err(|e| anyhow!("--attacker: {e}"))?;
    let place = lib.actor(candidate).home.ok_or_else(|| {
        anyhow!(
            "{} has no home territory in the gazetteer",
            lib.actor(candidate).id
        )
    })?;
    let mut dates = vec![as_of];
    if let Some(m) = median.and_then(|m| NaiveDate::parse_from_str(m, "%Y-%m-%d").ok()) {
        if let Some(eve) = m.pred_opt().filter(|e| *e > as_of) {
            dates.push(eve);
        }
    }
    let mut s = Section::new(
        format!(
            "While it waits: who is bound if {} attacks",
            lib.actor(attacker).id
        ),
        &["date", "commitment", "strongest obligation", "obligors"],
    );
    let mut j = Vec::new();
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
        let mut by: std::collections::BTreeMap<CommitmentId, (Strength, Vec<String>)> =
            std::collections::BTreeMap::new();
        for o in &a.obligations {
            let e = by.entry(o.commitment).or_insert((o.strength, vec![]));
            e.0 = e.0.max(o.strength);
            let id = lib.actor(o.obligor).id.clone();
            if !e.1.contains(&id) {
                e.1.push(id);
            }
        }
        if by.is_empty() {
            s.row(vec![d.to_string(), "—".into(), "nothing".into(), "nobody".into()]);
        }
        for (c, (st, who)) in &by {
            s.row(vec![
                d.to_string(),
                lib.commitment(*c).id.clone(),
                st.to_string(),
                format!("{} ({})", who.join(", "), who.len()),
            ]);
            j.push(json!({"date": d.to_string(), "commitment": lib.commitment(*c).id, "strength": st, "obligors": who}));
        }
    }
    Ok((s, Value::Array(j)))
}
