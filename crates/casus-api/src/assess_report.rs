//! The tables people read for an assessment: the options side by side (each figure with
//! its band and Monte Carlo error), the option × attack matrices, why designs differ, each
//! option's guarantors, sensitivity and the parameters.

use casus_render::{Report, Section};
use casus_sim::sensitivity::Sensitivity;
use casus_sim::Prepared;

use crate::assess::{differences_of, guarantors_of, rows_of, Assessed};
use crate::simulate::Metrics;

pub(crate) fn report(d: &Assessed, prepared: &[Prepared], sens: Option<&Sensitivity>) -> Report {
    let ids: Vec<&str> = d.options.iter().map(|o| o.id.as_str()).collect();
    let h = &d.header;
    let bands = h.draws > 0;
    let mut headers = vec!["metric"];
    headers.extend(ids.iter().copied());
    let mut table = Section::new(
        if bands {
            "Options side by side: estimate [5%–95% band over the priors] ± Monte Carlo standard error"
        } else {
            "Options side by side (estimate ± Monte Carlo standard error)"
        },
        &headers,
    );
    let per_option: Vec<Vec<(&str, Option<crate::simulate::Metric>)>> =
        d.options.iter().map(|o| rows_of(&o.metrics)).collect();
    for r in 0..per_option.first().map_or(0, Vec::len) {
        let mut row = vec![per_option[0][r].0.to_string()];
        row.extend(per_option.iter().map(|rows| match rows[r].1 {
            Some(m) => m.cell(),
            None => "— (nobody bound to use force)".into(),
        }));
        table.row(row);
    }
    let mut add = |label: &str, f: &dyn Fn(usize) -> String| {
        let mut row = vec![label.to_string()];
        row.extend((0..d.options.len()).map(f));
        table.row(row);
    };
    add(
        "  … P(any military response) with independent guarantors",
        &|i| {
            d.options[i]
                .metrics
                .p_any_military_response_independent
                .map_or("—".into(), |m| m.cell())
        },
    );
    add("committed capability / attacker's: median [5%, 95%]", &|i| {
        let m = &d.options[i].metrics;
        match (
            m.capability_ratio_median,
            m.capability_ratio_p05,
            m.capability_ratio_p95,
        ) {
            (Some(a), Some(l), Some(u)) => {
                format!("{:.3} [{:.3}, {:.3}]", a.estimate, l.estimate, u.estimate)
            }
            _ => "unknown".into(),
        }
    });
    add("days until capability parity (median)", &|i| match (
        d.options[i].metrics.capability_parity_median_days,
        &d.options[i].metrics.capability_ratio_median,
    ) {
        (Some(x), _) => format!("{x:.1}"),
        (None, Some(_)) => "not in half of the trials".into(),
        _ => "unknown".into(),
    });
    add("lead guarantor", &|i| {
        d.options[i].lead.clone().unwrap_or_else(|| "—".into())
    });
    add("guarantors bound (of which to use force)", &|i| {
        format!("{} ({})", prepared[i].obligors(), prepared[i].military_obligors())
    });
    table.notes.push(format!(
        "Options: {}",
        d.options
            .iter()
            .map(|o| format!("{} = {}", o.id, o.label))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    if bands {
        table.notes.push(format!(
            "Bands: 5th–95th percentile over {} joint draws of the priors ({} trials each); read them first. The ± is Monte Carlo error at the stated values.",
            h.draws, h.trials_per_draw
        ));
    }
    let mut sections = vec![table];
    // The option × attack matrices.
    if !d.attacks.is_empty() {
        let matrix = |title: &str, pick: &dyn Fn(&Metrics) -> Option<crate::simulate::Metric>| {
            let mut headers = vec!["attack"];
            headers.extend(ids.iter().copied());
            let mut t = Section::new(title, &headers);
            for (x, atk) in d.attacks.iter().enumerate() {
                let mut row = vec![atk.description.clone()];
                row.extend(d.options.iter().map(|o| match pick(&o.by_attack[x].metrics) {
                    Some(m) => m.cell(),
                    None => "— (nobody bound to use force)".into(),
                }));
                t.row(row);
            }
            t
        };
        sections.push(matrix(
            "Option × attack: P(military response by the lead guarantor)",
            &|m| m.p_lead_military_response,
        ));
        sections.push(matrix("Option × attack: P(any military response)", &|m| {
            Some(m.p_any_military_response)
        }));
        sections.push(matrix(
            "Option × attack: P(committed capability ≥ 0.5 × attacker's)",
            &|m| m.p_capability_ge.as_ref().and_then(|g| g.get("0.5").copied()),
        ));
    }
    for diff in &d.differences {
        sections.push(differences_of(diff));
    }
    for o in &d.options {
        sections.push(guarantors_of(
            format!("Guarantors of {}: {}", o.id, o.label),
            &o.guarantors,
        ));
    }
    if let Some(s) = sens {
        let mut t = Section::new(
            format!(
                "Sensitivity: P(any military response) with each parameter at the ends of its range ({} trials each)",
                s.trials
            ),
            &["parameter", "range"],
        );
        t.headers.extend(ids.iter().map(|i| i.to_string()));
        for r in s.rows.iter().take(12) {
            let mut row = vec![r.parameter.clone(), format!("{} – {}", r.low, r.high)];
            row.extend(
                r.at_low
                    .iter()
                    .zip(&r.at_high)
                    .map(|(l, h)| format!("{l:.3} – {h:.3}")),
            );
            t.row(row);
        }
        sections.push(t);
    }
    let mut t = Section::new(
        "Parameters (each a cited fact or a labelled assumption)",
        &["parameter", "value", "range", "basis"],
    );
    for p in &d.parameters {
        let (kind, text) = match (&p.source, &p.assumption) {
            (Some(s), _) => ("source", s.as_str()),
            (_, Some(a)) => ("assumption", a.as_str()),
            _ => ("", ""),
        };
        let short: String = text.chars().take(90).collect();
        t.row(vec![
            match &p.actor {
                Some(a) => format!("{} [{a}]", p.id),
                None => p.id.clone(),
            },
            format!("{}", p.value),
            match (p.low, p.high) {
                (Some(l), Some(h)) => format!("{l} – {h}"),
                _ => "—".into(),
            },
            format!(
                "{kind}: {short}{}",
                if text.chars().count() > 90 { "…" } else { "" }
            ),
        ]);
    }
    sections.push(t);
    let e = &d.event;
    let heading = vec![
        d.assessment.title.clone(),
        d.assessment.question.clone().unwrap_or_default(),
        format!("Event: {} attacks {} on {}", e.attacker, e.target, h.date),
        format!(
            "casus {} · library {} · seed {} · {} threads · {} trials per option · capability: {}{}",
            h.version,
            h.library,
            h.seed,
            h.threads,
            h.trials_per_option,
            h.capabilities,
            if bands {
                format!(" · bands: {} draws × {} trials", h.draws, h.trials_per_draw)
            } else {
                String::new()
            }
        ),
    ];
    Report {
        heading,
        sections,
        records: None,
    }
}
