//! The compromise model (capability × salience weighted mean) and the weighted median.

use crate::Stake;

/// `Σ c s x / Σ c s`; `None` when no stake has weight.
pub fn weighted_mean(stakes: &[Stake]) -> Option<f64> {
    let (num, den) = stakes.iter().fold((0.0, 0.0), |(n, d), s| {
        (n + s.weight() * s.position, d + s.weight())
    });
    (den > 0.0).then(|| num / den)
}

/// The weighted median of the positions with weights `c s`: sort by position and take the
/// first position at which the cumulative weight reaches half of the total (the lower
/// median on ties). In one dimension with distance preferences this is the Condorcet
/// winner among the positions (Scholz et al. 2011, eqs. 26–29).
pub fn weighted_median(stakes: &[Stake]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = stakes.iter().map(|s| (s.position, s.weight())).collect();
    median_of(&pairs)
}

/// Weighted median of `(position, weight)` pairs.
pub fn median_of(pairs: &[(f64, f64)]) -> Option<f64> {
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        return None;
    }
    let mut sorted: Vec<(f64, f64)> = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut acc = 0.0;
    for (x, w) in &sorted {
        acc += w;
        if acc >= total / 2.0 - 1e-12 * total {
            return Some(*x);
        }
    }
    sorted.last().map(|p| p.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_compromise_is_two_thirds() {
        // Research note §5.4: actors at 0, 100, 100 with equal c, s → 200/3.
        let s = [
            Stake::new("a", 1.0, 0.0, 1.0),
            Stake::new("b", 1.0, 100.0, 1.0),
            Stake::new("c", 1.0, 100.0, 1.0),
        ];
        assert!((weighted_mean(&s).unwrap() - 200.0 / 3.0).abs() < 1e-12);
        assert_eq!(weighted_median(&s), Some(100.0));
        let two = [Stake::new("a", 1.0, 0.0, 1.0), Stake::new("b", 1.0, 100.0, 1.0)];
        assert_eq!(weighted_mean(&two), Some(50.0));
        assert_eq!(weighted_median(&two), Some(0.0), "lower median on a tie");
    }

    #[test]
    fn no_weight_no_forecast() {
        assert_eq!(weighted_mean(&[Stake::new("a", 1.0, 3.0, 0.0)]), None);
        assert_eq!(weighted_median(&[]), None);
    }
}
