/// Up to three candidates close to `name`, best first, for "did you mean" hints.
///
/// Case is ignored. A candidate qualifies when its normalised Damerau–Levenshtein
/// similarity is at least 0.6 or it starts with what was typed (three letters or more).
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lc = c.to_lowercase();
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
}
