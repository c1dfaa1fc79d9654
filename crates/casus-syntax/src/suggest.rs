/// The longest name compared for suggestions (longer than any id casus knows).
pub const MAX_COMPARED: usize = 256;

/// Up to three candidates close to `name`, best first, for "did you mean" hints.
///
/// Case is ignored. A candidate qualifies when its normalised Damerau–Levenshtein
/// similarity is at least 0.6 or it starts with what was typed (three letters or more).
///
/// Cost: the edit distance is quadratic in the lengths, so names longer than
/// [`MAX_COMPARED`] characters get no suggestion (a 10 MB unknown id once took `check`
/// 125 s, #16 item 11), and a candidate whose length alone rules out a similarity of 0.6
/// is not compared.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    if name.chars().count() > MAX_COMPARED {
        return Vec::new();
    }
    let wanted = name.to_lowercase();
    let wn = wanted.chars().count();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lc = c.to_lowercase();
            let cn = lc.chars().count();
            // distance ≥ |wn − cn|, so similarity ≤ 1 − |wn − cn| / max: skip hopeless ones.
            let prefix = wn >= 3 && lc.starts_with(&wanted);
            if !prefix && (wn.abs_diff(cn) as f64) > 0.4 * wn.max(cn) as f64 {
                return None;
            }
            let mut score = strsim::normalized_damerau_levenshtein(&wanted, &lc);
            if wanted.len() >= 3 && lc.starts_with(&wanted) {
                score = score.max(0.8);
            }
            (score >= 0.6 && lc != wanted).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_first() {
        let c = ["RUS", "RWA", "USA", "EST", "north-atlantic-treaty"];
        assert_eq!(did_you_mean("RSU", c), vec!["RUS"]);
        assert_eq!(
            did_you_mean("north-atlantic-treat", c),
            vec!["north-atlantic-treaty"]
        );
        assert!(did_you_mean("zzzzzz", c).is_empty());
    }

    #[test]
    fn a_huge_name_is_answered_at_once() {
        // #16 item 11: a 10 MB unknown id made `check` take 125 s.
        let huge = "x".repeat(10_000_000);
        let many: Vec<String> = (0..2000).map(|i| format!("candidate-{i}")).collect();
        let t = std::time::Instant::now();
        assert!(did_you_mean(&huge, many.iter().map(String::as_str)).is_empty());
        let near = format!("{}y", "x".repeat(200));
        let long = "x".repeat(200);
        assert_eq!(did_you_mean(&near, [long.as_str()]), vec![long.clone()]);
        assert!(t.elapsed().as_secs_f64() < 1.0, "{:?}", t.elapsed());
    }
}
