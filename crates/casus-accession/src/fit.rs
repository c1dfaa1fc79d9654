//! Delay distributions fitted to the history of enlargements.
//!
//! A member's ratification delay (days from protocol signature) is log-normal. Members
//! that supported the candidate ("regular") and members that set conditions or opposed
//! ("holdouts") have separate distributions. The regular one is fitted by maximum
//! likelihood to (a) every ratification date of rounds whose dates are all known and (b) for
//! every other round, its duration as the *maximum* of its members' delays (density
//! n·F^(n−1)·f): the few dates recorded for such a round are its first, last or famous
//! ratifications, not a sample. Procedure types shift the regular median with
//! partial pooling. Partial dates ("2022-09") enter at their midpoint.

use casus_model::*;
use chrono::NaiveDate;
use serde::Serialize;
use statrs::distribution::{Continuous, ContinuousCDF, LogNormal};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LogNormalFit {
    /// Median in days (e^mu).
    pub median: f64,
    pub sigma: f64,
    /// How many observations it rests on.
    pub n: usize,
}

impl LogNormalFit {
    pub fn mu(&self) -> f64 {
        self.median.max(1e-9).ln()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DelayModel {
    pub regular: LogNormalFit,
    /// Median by procedure type (partially pooled toward `regular`).
    pub by_procedure: Vec<(ProcedureKind, LogNormalFit)>,
    pub holdout: LogNormalFit,
    pub invitation_to_protocol: LogNormalFit,
    pub deposit: LogNormalFit,
    /// Rounds used, by their first candidate's id and protocol date.
    pub rounds_used: Vec<String>,
    /// The regular delay's likelihood over a grid of (log-median, sigma), as points with
    /// their cumulative normalised weight: the structural draws take (log-median, sigma)
    /// together from it, so their correlation (round durations pin the slowest member, not
    /// the median) is kept. Empty when the fit rests on fallbacks.
    #[serde(skip)]
    pub regular_likelihood: Vec<(f64, f64, f64)>,
}

impl DelayModel {
    pub fn regular_for(&self, kind: ProcedureKind) -> LogNormalFit {
        self.by_procedure
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(self.regular, |(_, f)| *f)
    }
}

/// Values the fit falls back on where history says nothing; each is a labelled
/// assumption in the priors file.
#[derive(Debug, Clone, Copy)]
pub struct Fallbacks {
    pub holdout_median_days: f64,
    pub holdout_sigma: f64,
    pub invitation_to_protocol_days: f64,
    pub deposit_days: f64,
    /// Observations a procedure type needs to weigh as much as the pooled median.
    pub pooling_weight: f64,
}

fn days(d: &FuzzyDate, from: NaiveDate) -> f64 {
    let mid = d.earliest + (d.latest - d.earliest) / 2;
    (mid - from).num_days() as f64
}

fn log_fit(xs: &[f64], fallback_median: f64, fallback_sigma: f64) -> LogNormalFit {
    let logs: Vec<f64> = xs.iter().filter(|x| **x > 0.0).map(|x| x.ln()).collect();
    match logs.len() {
        0 => LogNormalFit {
            median: fallback_median,
            sigma: fallback_sigma,
            n: 0,
        },
        1 => LogNormalFit {
            median: logs[0].exp(),
            sigma: fallback_sigma,
            n: 1,
        },
        n => {
            let m = logs.iter().sum::<f64>() / n as f64;
            let v = logs.iter().map(|l| (l - m).powi(2)).sum::<f64>() / (n - 1) as f64;
            LogNormalFit {
                median: m.exp(),
                sigma: v.sqrt().max(0.05),
                n,
            }
        }
    }
}

/// Is a ratification by `member` in round `e` the act of a holdout (a conditional or
/// opposing stance known on the protocol date)?
fn holdout(lib: &Library, e: &Enlargement, member: ActorId, candidate: Option<ActorId>) -> bool {
    let date = e.protocol_signed.latest;
    let candidates: Vec<ActorId> = match candidate {
        Some(c) => vec![c],
        None => e.candidates.clone(),
    };
    candidates.iter().any(|&c| {
        lib.stance_on(e.org, member, c, date)
            .is_some_and(|s| s.position != Position::Supports)
    })
}

/// Fits the delay model to the org's enlargements, leaving out those `exclude` says.
pub fn fit(lib: &Library, org: OrgId, exclude: &dyn Fn(&Enlargement) -> bool, fb: &Fallbacks) -> DelayModel {
    let rounds: Vec<&Enlargement> = lib
        .enlargements
        .iter()
        .filter(|e| e.org == org && !exclude(e))
        .collect();
    let mut regular: Vec<(f64, ProcedureKind)> = Vec::new();
    let mut holdouts: Vec<f64> = Vec::new();
    let mut maxima: Vec<(f64, usize)> = Vec::new();
    let mut deposits: Vec<f64> = Vec::new();
    let mut invites: Vec<f64> = Vec::new();
    for e in &rounds {
        let p = e.protocol_signed.earliest;
        if let Some(i) = e.invited {
            invites.push((p - i.earliest).num_days() as f64);
        }
        let members: Vec<ActorId> = lib
            .members_on(org, p)
            .into_iter()
            .filter(|(_, t)| *t == Truth::Yes)
            .map(|(a, _)| a)
            .collect();
        // Per candidate: the known dates, and whether every member's date is known.
        for &cand in &e.candidates {
            let known: Vec<&Ratification> = e
                .ratifications
                .iter()
                .filter(|r| r.candidate.is_none_or(|c| c == cand))
                .collect();
            let complete =
                !members.is_empty() && members.iter().all(|m| known.iter().any(|r| r.member == *m));
            if complete {
                for r in &known {
                    let d = days(&r.date, p).max(0.5);
                    if holdout(lib, e, r.member, Some(cand)) {
                        holdouts.push(d);
                    } else {
                        regular.push((
                            d,
                            lib.procedure_of(r.member)
                                .map_or(ProcedureKind::Unknown, |x| x.kind),
                        ));
                    }
                }
                if let Some(last) = known.iter().map(|r| r.date.latest).max() {
                    deposits.push((e.accession.earliest - last).num_days() as f64);
                }
            } else if e.candidates.first() == Some(&cand) {
                // A round known only in part enters by its duration alone: the dates sources
                // record are the first, the last and the famous, not a sample of delays.
                maxima.push(((e.accession.earliest - p).num_days() as f64, members.len().max(1)));
            }
        }
    }
    let deposit = log_fit(&deposits, fb.deposit_days, 0.5);
    let holdout = log_fit(&holdouts, fb.holdout_median_days, fb.holdout_sigma);
    let invitation_to_protocol = log_fit(&invites, fb.invitation_to_protocol_days, 1.0);
    // Round durations count the deposit too; take its median off.
    let maxima: Vec<(f64, usize)> = maxima
        .into_iter()
        .map(|(d, n)| ((d - deposit.median).max(1.0), n))
        .collect();
    let xs: Vec<f64> = regular.iter().map(|(d, _)| *d).collect();
    let pooled = ml_fit(&xs, &maxima).unwrap_or_else(|| log_fit(&xs, fb.holdout_median_days / 4.0, 1.0));
    let regular_likelihood = if pooled.n >= 2 {
        likelihood_grid(&xs, &maxima, &pooled)
    } else {
        vec![]
    };
    let mut by_procedure = Vec::new();
    for kind in ProcedureKind::ALL {
        let logs: Vec<f64> = regular
            .iter()
            .filter(|(_, k)| k == kind)
            .map(|(d, _)| d.ln())
            .collect();
        if logs.is_empty() || *kind == ProcedureKind::Unknown {
            continue;
        }
        let n = logs.len() as f64;
        let mu = (logs.iter().sum::<f64>() + fb.pooling_weight * pooled.mu()) / (n + fb.pooling_weight);
        by_procedure.push((
            *kind,
            LogNormalFit {
                median: mu.exp(),
                sigma: pooled.sigma,
                n: logs.len(),
            },
        ));
    }
    DelayModel {
        regular: pooled,
        by_procedure,
        holdout,
        invitation_to_protocol,
        deposit,
        rounds_used: rounds
            .iter()
            .map(|e| {
                format!(
                    "{} ({})",
                    e.candidates
                        .iter()
                        .map(|c| lib.actor(*c).id.clone())
                        .collect::<Vec<_>>()
                        .join("+"),
                    e.protocol_signed
                )
            })
            .collect(),
        regular_likelihood,
    }
}

fn loglik(xs: &[f64], maxima: &[(f64, usize)], mu: f64, sigma: f64) -> f64 {
    let Ok(d) = LogNormal::new(mu, sigma) else {
        return f64::NEG_INFINITY;
    };
    let mut l = 0.0;
    for &x in xs {
        l += d.pdf(x).max(1e-300).ln();
    }
    for &(m, n) in maxima {
        let f = d.pdf(m).max(1e-300);
        let c = d.cdf(m).max(1e-300);
        l += (n as f64).ln() + (n as f64 - 1.0) * c.ln() + f.ln();
    }
    l
}

/// The likelihood on a 60 × 60 grid around the maximum (flat prior), as cumulative weights.
fn likelihood_grid(xs: &[f64], maxima: &[(f64, usize)], best: &LogNormalFit) -> Vec<(f64, f64, f64)> {
    let steps = 60;
    let (mu0, s_max) = (best.mu(), (best.sigma * 4.0).min(3.0));
    let mut pts = Vec::with_capacity((steps + 1) * (steps + 1));
    for i in 0..=steps {
        let mu = mu0 - 3.0 + 6.0 * i as f64 / steps as f64;
        for j in 0..=steps {
            let sigma = 0.05 + (s_max - 0.05) * j as f64 / steps as f64;
            pts.push((mu, sigma, loglik(xs, maxima, mu, sigma)));
        }
    }
    let top = pts.iter().map(|p| p.2).fold(f64::NEG_INFINITY, f64::max);
    let mut acc = 0.0;
    let mut out: Vec<(f64, f64, f64)> = pts
        .into_iter()
        .filter_map(|(m, s, l)| {
            let w = (l - top).exp();
            (w > 1e-6).then(|| {
                acc += w;
                (m, s, acc)
            })
        })
        .collect();
    for p in &mut out {
        p.2 /= acc;
    }
    out
}

/// Maximum likelihood for (mu, sigma) from single delays and round maxima, by a grid
/// search refined twice (the likelihood is smooth and two-dimensional).
fn ml_fit(xs: &[f64], maxima: &[(f64, usize)]) -> Option<LogNormalFit> {
    if xs.is_empty() && maxima.is_empty() {
        return None;
    }
    let loglik = |mu: f64, sigma: f64| loglik(xs, maxima, mu, sigma);
    let (mut best_mu, mut best_sigma, mut best) = (3.0, 1.0, f64::NEG_INFINITY);
    let (mut mu_lo, mut mu_hi, mut s_lo, mut s_hi) = (0.0f64, 7.0f64, 0.1f64, 3.0f64);
    for _ in 0..3 {
        let steps = 60;
        for i in 0..=steps {
            let mu = mu_lo + (mu_hi - mu_lo) * i as f64 / steps as f64;
            for j in 0..=steps {
                let sigma = s_lo + (s_hi - s_lo) * j as f64 / steps as f64;
                let l = loglik(mu, sigma);
                if l > best {
                    (best, best_mu, best_sigma) = (l, mu, sigma);
                }
            }
        }
        let (dm, ds) = ((mu_hi - mu_lo) / 10.0, (s_hi - s_lo) / 10.0);
        (mu_lo, mu_hi) = (best_mu - dm, best_mu + dm);
        (s_lo, s_hi) = ((best_sigma - ds).max(0.05), best_sigma + ds);
    }
    best.is_finite().then(|| LogNormalFit {
        median: best_mu.exp(),
        sigma: best_sigma,
        n: xs.len() + maxima.len(),
    })
}
