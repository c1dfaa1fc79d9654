//! The tables people read for an accession answer. Probabilities are shown to two places
//! with their band: the structure of the model does not support three.

use casus_render::{Report, Section};

use super::{Accession, Backtest, Forecast};

fn pct(p: f64) -> String {
    format!("{p:.2}")
}

fn or_beyond(d: &Option<String>) -> String {
    d.clone().unwrap_or_else(|| "beyond the horizon".into())
}

pub(super) fn report(a: &Accession) -> Report {
    let mut r = Report::default();
    if let Some(f) = &a.forecast {
        forecast(&mut r, &a.org, f);
    }
    if let Some(b) = &a.backtest {
        backtest(&mut r, &a.org, b);
    }
    r
}

fn forecast(r: &mut Report, org: &str, f: &Forecast) {
    let p = &f.p_member_by_until;
    if let Some(w) = &f.defaults.warning {
        r.heading.push(format!("WARNING: {w}"));
    }
    r.heading.push(format!(
        "{} joining {org}: as known on {}, horizon {}",
        f.candidate, f.as_of, f.until
    ));
    let band = match (p.band, p.worlds) {
        (Some((lo, hi)), Some(w)) => {
            format!(" (band {lo:.2}–{hi:.2} over {w} draws of the structural parameters)")
        }
        _ => String::new(),
    };
    r.heading.push(format!(
        "Stage: {}{} · P(member by {}) = {}{band} · accession date p05 {} · p50 {} · p95 {} · {} trials, seed {}",
        f.stage,
        f.protocol_signed
            .as_ref()
            .map(|d| format!(" (protocol signed {d})"))
            .unwrap_or_default(),
        f.until,
        pct(p.estimate),
        or_beyond(&f.quantiles.p05),
        or_beyond(&f.quantiles.p50),
        or_beyond(&f.quantiles.p95),
        f.trials,
        f.seed
    ));
    if let Some(rule) = &f.rule {
        r.heading.push(format!("Rule: {rule}"));
    }
    for c in &f.conditions {
        r.heading.push(format!("Stated condition: {c}"));
    }
    let mut m = Section::new(
        "Members: position known on the as-of date, and the veto measures",
        &[
            "member",
            "position",
            "basis",
            "ratified",
            "P(its consent missing at horizon)",
            "P(pivotal)",
            "P(member) if flipped",
            "P(last to ratify)",
        ],
    );
    for x in &f.members {
        let pos = match x.probability {
            Some(pr) => format!("{} (p = {pr})", x.position),
            None => x.position.clone(),
        };
        let pivotal = match x.p_pivotal_alone {
            Some(alone) => format!(
                "{} (alone {}; moves {})",
                pct(x.p_pivotal),
                pct(alone),
                x.moves_with.join(", ")
            ),
            None => pct(x.p_pivotal),
        };
        m.row(vec![
            x.member.clone(),
            pos,
            x.basis.chars().take(80).collect(),
            x.ratified.clone().unwrap_or_else(|| "—".into()),
            pct(x.p_missing_consent),
            pivotal,
            format!("{} → {}", x.flipped_to, pct(p.estimate + x.delta_if_flipped)),
            pct(x.p_last),
        ]);
    }
    for ms in &f.measures {
        m.notes.push(format!("  {}: {}", ms.column, ms.meaning));
    }
    r.sections.push(m);
    if !f.gates.is_empty() {
        let mut g = Section::new(
            "Conditions the process waits for (gates), each with its effect",
            &[
                "gate",
                "holds back",
                "P(met by horizon)",
                "P(still unmet, candidate out)",
                "P(member) without it",
                "median date without it",
                "basis",
            ],
        );
        for x in &f.gates {
            g.row(vec![
                x.id.clone(),
                x.member
                    .as_ref()
                    .map(|m| format!("{m}'s ratification"))
                    .unwrap_or_else(|| "the invitation".into()),
                pct(x.p_open_by_until),
                pct(x.p_missing),
                pct(x.p_member_without_it),
                or_beyond(&x.median_without_it),
                x.basis.chars().take(100).collect(),
            ]);
        }
        g.notes.push(format!(
            "  Without any gate: P(member by the horizon) = {}.",
            pct(f.p_member_without_gates)
        ));
        r.sections.push(g);
    }
    let d = &f.defaults;
    if !d.unknown_members.is_empty() {
        let mut s = Section::new(
            "Members with no recorded stance (drawn from the prior)",
            &[
                "members",
                "share",
                "prior (supports / conditional / opposes)",
                "P if all support",
                "P if all oppose",
            ],
        );
        s.row(vec![
            d.unknown_members.join(", "),
            pct(d.share_of_members),
            format!(
                "{} / {} / {}",
                d.prior.supports, d.prior.conditional, d.prior.opposes
            ),
            pct(d.p_if_unknown_support),
            pct(d.p_if_unknown_oppose),
        ]);
        s.notes.push(format!("  The prior's basis: {}", d.prior.basis));
        r.sections.push(s);
    }
    let mut c = Section::new("P(member by date)", &["date", "P"]);
    for x in f.cdf.iter().step_by(6) {
        c.row(vec![x.date.clone(), pct(x.p)]);
    }
    r.sections.push(c);
    let mdl = &f.model;
    let mut s = Section::new(
        "Delay model fitted to past enlargements (days; log-normal)",
        &["delay", "median", "sigma", "cases"],
    );
    let mut row = |name: String, d: &super::Delay| {
        s.row(vec![
            name,
            format!("{:.0}", d.median_days),
            format!("{:.2}", d.sigma),
            d.n.to_string(),
        ])
    };
    row(
        "ratification by a supporting member (pooled)".into(),
        &mdl.regular,
    );
    for (k, d) in &mdl.by_procedure {
        row(format!("  … procedure {k}"), d);
    }
    row("consent or ratification by a holdout".into(), &mdl.holdout);
    row("invitation to protocol".into(), &mdl.invitation_to_protocol);
    row("last ratification to accession (deposit)".into(), &mdl.deposit);
    s.notes.push(format!(
        "  Fitted on: {}. Cases 0 or 1: the fallback values of the priors (labelled assumptions).",
        if mdl.rounds_used.is_empty() {
            "no earlier round".to_string()
        } else {
            mdl.rounds_used.join(", ")
        }
    ));
    r.sections.push(s);
    if let Some(cov) = &f.coverage {
        let mut s = Section::new(
            "While it waits: who is bound if the attacker strikes",
            &["date", "commitment", "strongest obligation", "obligors"],
        );
        if cov.is_empty() {
            s.row(vec![
                f.as_of.clone(),
                "—".into(),
                "nothing".into(),
                "nobody".into(),
            ]);
        }
        for x in cov {
            s.row(vec![
                x.date.clone(),
                x.commitment.clone(),
                x.strength.to_string(),
                format!("{} ({})", x.obligors.join(", "), x.obligors.len()),
            ]);
        }
        r.sections.push(s);
    }
}

fn backtest(r: &mut Report, org: &str, b: &Backtest) {
    let mut t = Section::new(
        format!("Backtest: every {org} round replayed (days from signature to accession)"),
        &[
            "round",
            "as of",
            "actual",
            "p05",
            "p50",
            "p95",
            "PIT",
            "interval score",
            "CRPS",
            "naive range",
            "naive IS",
            "naive CRPS",
        ],
    );
    for x in &b.rounds {
        let base = x.baseline.as_ref();
        t.row(vec![
            x.round.clone(),
            x.as_of.clone(),
            format!("{:.0}", x.actual_days),
            format!("{:.0}", x.p05_days),
            format!("{:.0}", x.p50_days),
            format!("{:.0}", x.p95_days),
            format!("{:.2}", x.pit),
            format!("{:.0}", x.model.interval_score),
            format!("{:.0}", x.model.crps),
            base.map_or("—".into(), |s| format!("{:.0}–{:.0}", s.low_days, s.high_days)),
            base.map_or("—".into(), |s| format!("{:.0}", s.interval_score)),
            base.map_or("—".into(), |s| format!("{:.0}", s.crps)),
        ]);
    }
    t.notes.push(format!("  {}.", b.method));
    for s in &b.summaries {
        t.notes.push(format!(
            "  {} ({} rounds): {} inside the 90% interval; mean interval score {:.0} (naive {:.0}); mean CRPS {:.0} \
             (naive {:.0}); PIT deciles {:?}.",
            s.rounds,
            s.count,
            s.inside_90,
            s.model_mean_interval_score,
            s.baseline_mean_interval_score,
            s.model_mean_crps,
            s.baseline_mean_crps,
            s.pit_histogram
        ));
    }
    r.sections.push(t);
}
