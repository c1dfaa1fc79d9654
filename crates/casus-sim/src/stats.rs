//! Streaming statistics: counts and fixed histograms, so memory does not grow with the
//! number of trials. Blocks are merged in block order, so results do not depend on how
//! many threads computed them.

use serde::Serialize;

/// An estimate and its Monte Carlo standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub estimate: f64,
    pub stderr: f64,
}

impl Estimate {
    pub fn proportion(k: u64, n: u64) -> Self {
        if n == 0 {
            return Self {
                estimate: f64::NAN,
                stderr: f64::NAN,
            };
        }
        let p = k as f64 / n as f64;
        Self {
            estimate: p,
            stderr: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

impl std::fmt::Display for Estimate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} ± {:.3}", self.estimate, self.stderr)
    }
}

/// Days to the first military response: quarter-day bins up to `DAYS_MAX`, then "later".
pub const DAY_BINS_PER_DAY: usize = 4;
pub const DAYS_MAX: usize = 120;
pub const TIME_BINS: usize = DAYS_MAX * DAY_BINS_PER_DAY;

/// Committed capability relative to the attacker's, on a log scale from 10^LOG_MIN to 10^LOG_MAX.
pub const LOG_MIN: f64 = -4.0;
pub const LOG_MAX: f64 = 2.0;
pub const CAP_BINS: usize = 240;

/// Streaming mean and variance. Within a block, sums of deviations from a shift (the first
/// value): no division per value (a division on the running mean's chain cost the sampler
/// about 5%), and no loss of precision when values are close together. Blocks
/// merge by Chan et al.'s pairwise formula; the merged mean becomes the shift.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    pub n: u64,
    shift: f64,
    sum: f64,
    sum_sq: f64,
}

impl Moments {
    pub fn new() -> Self {
        Self {
            n: 0,
            shift: 0.0,
            sum: 0.0,
            sum_sq: 0.0,
        }
    }

    #[inline]
    pub fn push(&mut self, x: f64) {
        if self.n == 0 {
            self.shift = x;
        }
        self.n += 1;
        let d = x - self.shift;
        self.sum += d;
        self.sum_sq += d * d;
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        self.shift + self.sum / self.n as f64
    }

    /// The sum of squared deviations from the mean.
    fn m2(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        (self.sum_sq - self.sum * self.sum / self.n as f64).max(0.0)
    }

    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = o.clone();
            return;
        }
        let n = self.n + o.n;
        let (mean, d) = (self.mean(), o.mean() - self.mean());
        let m2 = self.m2() + o.m2() + d * d * (self.n as f64) * (o.n as f64) / n as f64;
        *self = Self {
            n,
            shift: mean + d * o.n as f64 / n as f64,
            sum: 0.0,
            sum_sq: m2,
        };
    }

    pub fn estimate(&self) -> Estimate {
        if self.n < 2 {
            return Estimate {
                estimate: self.mean(),
                stderr: f64::NAN,
            };
        }
        let var = self.m2() / (self.n - 1) as f64;
        Estimate {
            estimate: self.mean(),
            stderr: (var / self.n as f64).sqrt(),
        }
    }
}

impl Default for Moments {
    fn default() -> Self {
        Self::new()
    }
}

/// What one block of trials (or a whole run) counted for one option.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub trials: u64,
    pub any_response: u64,
    pub any_support: u64,
    pub any_military: u64,
    pub nuclear_military: u64,
    /// The lead guarantor responded with force.
    pub lead_military: u64,
    pub within_7: u64,
    pub within_30: u64,
    /// Per guarantor: trials in which it responded.
    pub responded: Vec<u64>,
    /// First military response time, for trials with one.
    pub time_bins: Vec<u64>,
    pub time_later: u64,
    /// Committed capability / attacker's (only when every score is known).
    pub cap_zero: u64,
    pub cap_bins: Vec<u64>,
    pub cap_below: u64,
    pub cap_above: u64,
    pub cap_exceeds: u64,
    pub cap_mean: Moments,
    /// Committed capability ≥ k × the attacker's, for each k of `CAPABILITY_MULTIPLES`.
    pub cap_ge: [u64; 3],
    /// Days until the arrived military responders' capability first reached the
    /// attacker's: quarter-day bins, then "later"; trials where it never did are the rest.
    pub parity_bins: Vec<u64>,
    pub parity_later: u64,
}

impl Tally {
    pub fn new(guarantors: usize) -> Self {
        Self {
            trials: 0,
            any_response: 0,
            any_support: 0,
            any_military: 0,
            nuclear_military: 0,
            lead_military: 0,
            within_7: 0,
            within_30: 0,
            responded: vec![0; guarantors],
            time_bins: vec![0; TIME_BINS],
            time_later: 0,
            cap_zero: 0,
            cap_bins: vec![0; CAP_BINS],
            cap_below: 0,
            cap_above: 0,
            cap_exceeds: 0,
            cap_mean: Moments::new(),
            cap_ge: [0; 3],
            parity_bins: vec![0; TIME_BINS],
            parity_later: 0,
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        self.trials += o.trials;
        self.any_response += o.any_response;
        self.any_support += o.any_support;
        self.any_military += o.any_military;
        self.nuclear_military += o.nuclear_military;
        self.lead_military += o.lead_military;
        self.within_7 += o.within_7;
        self.within_30 += o.within_30;
        for (a, b) in self.responded.iter_mut().zip(&o.responded) {
            *a += b;
        }
        for (a, b) in self.time_bins.iter_mut().zip(&o.time_bins) {
            *a += b;
        }
        self.time_later += o.time_later;
        self.cap_zero += o.cap_zero;
        for (a, b) in self.cap_bins.iter_mut().zip(&o.cap_bins) {
            *a += b;
        }
        self.cap_below += o.cap_below;
        self.cap_above += o.cap_above;
        self.cap_exceeds += o.cap_exceeds;
        self.cap_mean.merge(&o.cap_mean);
        for (a, b) in self.cap_ge.iter_mut().zip(&o.cap_ge) {
            *a += b;
        }
        for (a, b) in self.parity_bins.iter_mut().zip(&o.parity_bins) {
            *a += b;
        }
        self.parity_later += o.parity_later;
    }

    /// Records the days to capability parity of a trial (infinite: never reached).
    #[inline]
    pub fn record_parity(&mut self, days: f64) {
        if days.is_infinite() {
            return;
        }
        let bin = (days * DAY_BINS_PER_DAY as f64) as usize;
        if bin < TIME_BINS {
            self.parity_bins[bin] += 1;
        } else {
            self.parity_later += 1;
        }
    }

    /// P(capability parity within `days`).
    pub fn parity_within(&self, days: f64) -> Estimate {
        let bins = ((days * DAY_BINS_PER_DAY as f64).round() as usize).min(TIME_BINS);
        Estimate::proportion(self.parity_bins[..bins].iter().sum(), self.trials)
    }

    /// Quantile `q` (over all trials, never reached counting as infinite) of the days to
    /// capability parity, to a quarter day: `None` if parity comes in fewer than a share
    /// q of trials within the histogram's range.
    pub fn parity_quantile(&self, q: f64) -> Option<f64> {
        let target = q * self.trials as f64;
        let mut cum = 0.0;
        for (i, &c) in self.parity_bins.iter().enumerate() {
            cum += c as f64;
            if c > 0 && cum >= target {
                return Some((i + 1) as f64 / DAY_BINS_PER_DAY as f64);
            }
        }
        None
    }

    #[inline]
    pub fn record_time(&mut self, days: f64) {
        let bin = (days * DAY_BINS_PER_DAY as f64) as usize;
        if days.is_finite() && bin < TIME_BINS {
            self.time_bins[bin] += 1;
        } else {
            self.time_later += 1;
        }
    }

    #[inline]
    pub fn record_capability(&mut self, ratio: f64) {
        self.cap_mean.push(ratio);
        if ratio >= 1.0 {
            self.cap_exceeds += 1;
        }
        if ratio <= 0.0 {
            self.cap_zero += 1;
            return;
        }
        let x = (ratio.log10() - LOG_MIN) / (LOG_MAX - LOG_MIN) * CAP_BINS as f64;
        if x < 0.0 {
            self.cap_below += 1;
        } else if x >= CAP_BINS as f64 {
            self.cap_above += 1;
        } else {
            self.cap_bins[x as usize] += 1;
        }
    }

    /// P(first military response within `days`).
    pub fn within(&self, days: f64) -> Estimate {
        let bins = ((days * DAY_BINS_PER_DAY as f64).round() as usize).min(TIME_BINS);
        Estimate::proportion(self.time_bins[..bins].iter().sum(), self.trials)
    }

    /// Quantile `q` of the capability ratio with its standard error
    /// (asymptotic: sqrt(q(1-q)/n) / density at the quantile, density from the histogram).
    pub fn capability_quantile(&self, q: f64) -> Estimate {
        let n = self.cap_mean.n;
        if n == 0 {
            return Estimate {
                estimate: f64::NAN,
                stderr: f64::NAN,
            };
        }
        let target = q * n as f64;
        let mut cum = self.cap_zero as f64;
        if target < cum {
            return Estimate {
                estimate: 0.0,
                stderr: 0.0,
            };
        }
        cum += self.cap_below as f64;
        let edge = |i: f64| 10f64.powf(LOG_MIN + (LOG_MAX - LOG_MIN) * i / CAP_BINS as f64);
        if target < cum {
            return Estimate {
                estimate: edge(0.0),
                stderr: f64::NAN,
            };
        }
        for (i, &c) in self.cap_bins.iter().enumerate() {
            if c > 0 && target < cum + c as f64 {
                let frac = (target - cum) / c as f64;
                let (lo, hi) = (edge(i as f64), edge(i as f64 + 1.0));
                let x = lo + (hi - lo) * frac;
                let density = c as f64 / n as f64 / (hi - lo);
                return Estimate {
                    estimate: x,
                    stderr: (q * (1.0 - q) / n as f64).sqrt() / density,
                };
            }
            cum += c as f64;
        }
        Estimate {
            estimate: edge(CAP_BINS as f64),
            stderr: f64::NAN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Moments;

    fn of(values: &[f64]) -> Moments {
        let mut m = Moments::new();
        values.iter().for_each(|&x| m.push(x));
        m
    }

    #[test]
    fn moments_match_the_two_pass_formulas_and_merge_like_one_stream() {
        // Values far from zero and close together: the case that defeats naive sums of squares.
        let values: Vec<f64> = (0..1000)
            .map(|i| 1e6 + ((i * 7919) % 1000) as f64 * 1e-3)
            .collect();
        let mean = values.iter().sum::<f64>() / 1000.0;
        let var = values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 999.0;
        let whole = of(&values).estimate();
        assert!(
            (whole.estimate - mean).abs() < 1e-9 && (whole.stderr - (var / 1000.0).sqrt()).abs() < 1e-12,
            "{whole:?}"
        );
        let mut merged = of(&values[..300]);
        merged.merge(&of(&values[300..301]));
        merged.merge(&of(&values[301..]));
        let m = merged.estimate();
        assert!(
            (m.estimate - mean).abs() < 1e-9 && (m.stderr - whole.stderr).abs() < 1e-12,
            "{m:?}"
        );
    }

    #[test]
    fn constant_values_have_no_spread_and_no_values_no_mean() {
        let c = of(&[0.3; 50]).estimate();
        assert_eq!((c.estimate, c.stderr), (0.3, 0.0));
        assert!(Moments::new().estimate().estimate.is_nan());
        assert!(of(&[2.0]).estimate().stderr.is_nan());
    }
}
