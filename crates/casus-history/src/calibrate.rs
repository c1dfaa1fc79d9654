//! Calibrating the probability that an obligor honours a triggered commitment: logistic
//! regression fitted by Newton–Raphson (IRLS) with a small ridge, cross-validated log loss and
//! Brier score, and a calibration table. Pure numbers in, numbers out: the CLI builds the
//! feature rows from the case data and writes the priors file.

use serde::Serialize;

/// A fitted logistic model: `P(y = 1) = 1 / (1 + exp(-(b0 + b·x)))`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// Intercept first, then one coefficient per feature.
    pub coef: Vec<f64>,
    /// Standard errors from the inverse of the (penalised) Hessian at the optimum.
    pub se: Vec<f64>,
    /// The inverse Hessian (covariance of the coefficients), row-major, (k+1)².
    #[serde(skip)]
    pub cov: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

pub fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

impl Fit {
    /// The linear predictor for one row of features.
    pub fn eta(&self, x: &[f64]) -> f64 {
        self.coef[0] + x.iter().zip(&self.coef[1..]).map(|(a, b)| a * b).sum::<f64>()
    }
    pub fn predict(&self, x: &[f64]) -> f64 {
        sigmoid(self.eta(x))
    }
    /// The standard error of the linear predictor at `x` (delta method).
    pub fn eta_se(&self, x: &[f64]) -> f64 {
        let k = self.coef.len();
        let v: Vec<f64> = std::iter::once(1.0).chain(x.iter().copied()).collect();
        let mut s = 0.0;
        for i in 0..k {
            for j in 0..k {
                s += v[i] * self.cov[i * k + j] * v[j];
            }
        }
        s.max(0.0).sqrt()
    }
}

/// Inverts a symmetric positive-definite matrix (row-major, n×n) by Gauss–Jordan with pivoting.
fn invert(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut m = a.to_vec();
    let mut inv = vec![0.0; n * n];
    for i in 0..n {
        inv[i * n + i] = 1.0;
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| m[i * n + col].abs().total_cmp(&m[j * n + col].abs()))?;
        if m[pivot * n + col].abs() < 1e-12 {
            return None;
        }
        for k in 0..n {
            m.swap(col * n + k, pivot * n + k);
            inv.swap(col * n + k, pivot * n + k);
        }
        let d = m[col * n + col];
        for k in 0..n {
            m[col * n + k] /= d;
            inv[col * n + k] /= d;
        }
        for r in 0..n {
            if r != col {
                let f = m[r * n + col];
                if f != 0.0 {
                    for k in 0..n {
                        m[r * n + k] -= f * m[col * n + k];
                        inv[r * n + k] -= f * inv[col * n + k];
                    }
                }
            }
        }
    }
    Some(inv)
}

/// Fits the model by Newton–Raphson on the log-likelihood minus `ridge/2·|b|²` (the intercept
/// is not penalised). `x` holds one row of features per case; `y` is 1 (honoured) or 0.
pub fn fit(x: &[Vec<f64>], y: &[f64], ridge: f64) -> Fit {
    let n = y.len();
    let k = x.first().map_or(0, Vec::len) + 1;
    let row = |i: usize, j: usize| if j == 0 { 1.0 } else { x[i][j - 1] };
    let mean = y.iter().sum::<f64>() / n.max(1) as f64;
    let mut b = vec![0.0; k];
    b[0] = logit(mean.clamp(1e-6, 1.0 - 1e-6));
    let mut cov = vec![0.0; k * k];
    let mut converged = false;
    let mut iterations = 0;
    for it in 0..100 {
        iterations = it + 1;
        let mut grad = vec![0.0; k];
        let mut hess = vec![0.0; k * k];
        for (i, &yi) in y.iter().enumerate() {
            let eta: f64 = (0..k).map(|j| b[j] * row(i, j)).sum();
            let p = sigmoid(eta);
            let w = p * (1.0 - p);
            for j in 0..k {
                grad[j] += (yi - p) * row(i, j);
                for l in 0..k {
                    hess[j * k + l] += w * row(i, j) * row(i, l);
                }
            }
        }
        for j in 1..k {
            grad[j] -= ridge * b[j];
            hess[j * k + j] += ridge;
        }
        let Some(inv) = invert(&hess, k) else { break };
        let step: Vec<f64> = (0..k).map(|j| (0..k).map(|l| inv[j * k + l] * grad[l]).sum()).collect();
        for j in 0..k {
            b[j] += step[j];
        }
        cov = inv;
        if step.iter().map(|s| s.abs()).fold(0.0, f64::max) < 1e-9 {
            converged = true;
            break;
        }
    }
    let se = (0..k).map(|j| cov[j * k + j].max(0.0).sqrt()).collect();
    Fit { coef: b, se, cov, iterations, converged }
}

/// Mean log loss (natural log), with predictions kept inside [1e-12, 1 − 1e-12].
pub fn log_loss(p: &[f64], y: &[f64]) -> f64 {
    let n = y.len().max(1) as f64;
    p.iter()
        .zip(y)
        .map(|(&p, &y)| {
            let p = p.clamp(1e-12, 1.0 - 1e-12);
            -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
        })
        .sum::<f64>()
        / n
}

pub fn brier(p: &[f64], y: &[f64]) -> f64 {
    let n = y.len().max(1) as f64;
    p.iter().zip(y).map(|(p, y)| (p - y) * (p - y)).sum::<f64>() / n
}

/// Which fold each case is in: cases in their order, dealt round-robin (deterministic).
pub fn folds(n: usize, k: usize) -> Vec<usize> {
    (0..n).map(|i| i % k.max(1)).collect()
}

/// Out-of-fold predictions: each case predicted by a model fitted without its fold.
/// `columns` picks the features used (an empty list fits the base rate alone).
pub fn cross_validate(x: &[Vec<f64>], y: &[f64], k: usize, ridge: f64, columns: &[usize]) -> Vec<f64> {
    let fold = folds(y.len(), k);
    let pick = |r: &Vec<f64>| columns.iter().map(|&c| r[c]).collect::<Vec<f64>>();
    let mut out = vec![0.0; y.len()];
    for f in 0..k {
        let (mut tx, mut ty) = (Vec::new(), Vec::new());
        for i in 0..y.len() {
            if fold[i] != f {
                tx.push(pick(&x[i]));
                ty.push(y[i]);
            }
        }
        let m = fit(&tx, &ty, ridge);
        for i in 0..y.len() {
            if fold[i] == f {
                out[i] = m.predict(&pick(&x[i]));
            }
        }
    }
    out
}

/// One row of a calibration table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub cases: usize,
    pub mean_predicted: f64,
    pub observed: f64,
}

/// Cases sorted by predicted probability and cut into `bins` groups of (nearly) equal size.
pub fn calibration(p: &[f64], y: &[f64], bins: usize) -> Vec<Bin> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let n = idx.len();
    (0..bins)
        .filter_map(|b| {
            let part = &idx[b * n / bins..(b + 1) * n / bins];
            (!part.is_empty()).then(|| Bin {
                cases: part.len(),
                mean_predicted: part.iter().map(|&i| p[i]).sum::<f64>() / part.len() as f64,
                observed: part.iter().map(|&i| y[i]).sum::<f64>() / part.len() as f64,
            })
        })
        .collect()
}

/// The first year written in a war's name ("Austro-Sardinian1848-1849" → 1848).
pub fn year_in(name: &str) -> Option<u16> {
    let b = name.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let s = &name.get(i..i + 4)?;
        let ok = s.bytes().all(|c| c.is_ascii_digit())
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        ok.then(|| s.parse().ok()).flatten().filter(|y| (1800..2100).contains(y))
    })
}

/// The year a war in the case data began: the first year in its name, or the world wars'.
pub fn war_year(name: &str) -> Option<u16> {
    year_in(name).or(match name.replace([' ', '_'], "").to_ascii_lowercase().as_str() {
        "worldwari" => Some(1914),
        "worldwarii" => Some(1939),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (SplitMix64) so the test needs no dependency.
    fn uniform(state: &mut u64) -> f64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn recovers_known_coefficients() {
        let truth = [-0.5, 1.2, -0.8, 0.6];
        let mut s = 7u64;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for _ in 0..20_000 {
            let row = vec![(uniform(&mut s) < 0.5) as u8 as f64, (uniform(&mut s) < 0.3) as u8 as f64, uniform(&mut s) * 2.0 - 1.0];
            let eta = truth[0] + row.iter().zip(&truth[1..]).map(|(a, b)| a * b).sum::<f64>();
            y.push((uniform(&mut s) < sigmoid(eta)) as u8 as f64);
            x.push(row);
        }
        let f = fit(&x, &y, 1e-6);
        assert!(f.converged);
        for (j, t) in truth.iter().enumerate() {
            assert!((f.coef[j] - t).abs() < 4.0 * f.se[j], "coef {j}: {} vs {t} (se {})", f.coef[j], f.se[j]);
            assert!((f.coef[j] - t).abs() < 0.12, "coef {j}: {} vs {t}", f.coef[j]);
        }
        // Out of sample the true features beat the base rate alone.
        let full = cross_validate(&x, &y, 5, 1e-6, &[0, 1, 2]);
        let base = cross_validate(&x, &y, 5, 1e-6, &[]);
        assert!(log_loss(&full, &y) < log_loss(&base, &y));
        assert!(brier(&full, &y) < brier(&base, &y));
        let table = calibration(&full, &y, 10);
        assert_eq!(table.iter().map(|b| b.cases).sum::<usize>(), y.len());
        assert!(table.iter().all(|b| (b.mean_predicted - b.observed).abs() < 0.05), "{table:?}");
    }

    #[test]
    fn the_base_rate_alone_is_the_mean_and_ridge_keeps_separation_finite() {
        let y = [1.0, 0.0, 0.0, 1.0, 1.0];
        let f = fit(&vec![vec![]; 5], &y, 0.1);
        assert!((f.predict(&[]) - 0.6).abs() < 1e-9);
        // A feature that separates the outcomes perfectly: the ridge keeps it finite.
        let x: Vec<Vec<f64>> = y.iter().map(|&v| vec![v]).collect();
        let f = fit(&x, &y, 0.5);
        assert!(f.coef[1].is_finite() && f.coef[1] > 1.0);
        assert_eq!(year_in("Austro-Sardinian1848-1849"), Some(1848));
        assert_eq!(year_in("World War II"), None);
        assert_eq!(war_year("WorldWarII"), Some(1939));
        assert_eq!(year_in("Gulf War of 1991"), Some(1991));
    }
}
