//! "Did you mean" for names a user mistyped.

/// The candidate closest to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                c,
                strsim::jaro_winkler(&word_lower, &c.to_ascii_lowercase()),
            )
        })
        .filter(|&(_, score)| score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// A ready-made help sentence, or a list of what is accepted when nothing is close.
pub fn help_for(word: &str, candidates: &[&str]) -> String {
    match did_you_mean(word, candidates.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "expected one of: {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["release_stage", "reviews", "licence"];
        assert_eq!(did_you_mean("reveiws", keys), Some("reviews"));
        assert_eq!(did_you_mean("release-stage", keys), Some("release_stage"));
        assert_eq!(did_you_mean("zzz", keys), None);
    }
}
