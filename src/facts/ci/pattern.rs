//! Branch and tag filters as GitHub Actions and CircleCI read them.
//!
//! The patterns come from the repository, so each is compiled with the `regex` crate (whose
//! matching is linear in the text, with no backtracking) under a size limit: a pattern that
//! would compile to more than [`SIZE_LIMIT`] bytes is refused, as one that does not compile is.

/// The most memory one compiled filter pattern may take (the `regex` default is 10 MiB).
pub const SIZE_LIMIT: usize = 1 << 20;

/// Compiles a pattern from the repository under [`SIZE_LIMIT`].
fn compile(re: &str) -> Option<regex::Regex> {
    regex::RegexBuilder::new(re)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .ok()
}

/// A regular expression from the repository that may match anywhere in a name (Travis CI's
/// `/regex/` filters), compiled under [`SIZE_LIMIT`].
pub fn compile_partial(re: &str) -> Option<regex::Regex> {
    compile(re)
}

/// A GitHub Actions filter pattern (`v*`, `release/**`, `v[0-9]+.[0-9]+.[0-9]+`): `*` matches
/// anything but `/`, `**` anything, `?` makes the character before optional, `+` repeats it,
/// `[...]` is a character class, `\` escapes; everything else is literal. `None`: a pattern
/// that does not compile.
pub fn github_glob(pattern: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                re.push_str(".*");
                i += 1;
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push('?'),
            '+' => re.push('+'),
            '[' => match chars[i..].iter().position(|&c| c == ']') {
                Some(end) => {
                    re.extend(&chars[i..i + end + 1]);
                    i += end;
                }
                None => re.push_str(r"\["),
            },
            '\\' if i + 1 < chars.len() => {
                re.push_str(&regex::escape(&chars[i + 1].to_string()));
                i += 1;
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    re.push('$');
    compile(&re)
}

/// Whether `name` passes a GitHub list of patterns, where a later `!pattern` excludes what an
/// earlier one included (and a later pattern includes again).
pub fn github_matches(patterns: &[String], name: &str) -> bool {
    let mut matched = false;
    for p in patterns {
        let (negated, p) = match p.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, p.as_str()),
        };
        if github_glob(p).is_some_and(|re| re.is_match(name)) {
            matched = !negated;
        }
    }
    matched
}

/// Whether `name` matches a CircleCI filter value: `/regex/` (which must match the whole name)
/// or an exact name.
pub fn circleci_matches(value: &str, name: &str) -> bool {
    match value
        .strip_prefix('/')
        .and_then(|v| v.strip_suffix('/'))
        .filter(|v| !v.is_empty())
    {
        Some(re) => compile(&format!("^(?:{re})$")).is_some_and(|r| r.is_match(name)),
        None => value == name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn patterns_past_the_size_limit_match_nothing() {
        // A counted repetition that compiles to far more than the limit.
        let huge = "/(?:[a-z0-9]{1,100}){1,100}x{1,1000}/";
        assert!(!circleci_matches(huge, "v1.2.3"));
        let class = format!("[{}]*", "\\p{L}".repeat(2000));
        assert!(github_glob(&class.repeat(50)).is_none());
    }

    #[test]
    fn github_globs() {
        assert!(github_matches(&list(&["v*"]), "v1.2.3"));
        assert!(!github_matches(&list(&["v*"]), "1.2.3"));
        assert!(github_matches(&list(&["v[0-9]+.[0-9]+.[0-9]+"]), "v10.2.3"));
        assert!(!github_matches(
            &list(&["v[0-9]+.[0-9]+.[0-9]+"]),
            "v1.2.3-rc1"
        ));
        assert!(!github_matches(&list(&["v[0-9]+.[0-9]+.[0-9]+"]), "v1x2x3"));
        assert!(github_matches(&list(&["release/**"]), "release/1.2/x"));
        assert!(!github_matches(&list(&["release/*"]), "release/1.2/x"));
        assert!(github_matches(&list(&["*"]), "master"));
        assert!(!github_matches(&list(&["*"]), "feature/x"));
        assert!(github_matches(&list(&["**"]), "feature/x"));
        assert!(github_matches(&list(&["ma?ster"]), "mster"));
        assert!(!github_matches(&list(&["**", "!master"]), "master"));
        assert!(github_matches(&list(&["**", "!ma*", "master"]), "master"));
    }

    #[test]
    fn circleci_filters() {
        assert!(circleci_matches("/^v.*/", "v1.2.3"));
        assert!(circleci_matches("/.*/", "master"));
        assert!(
            !circleci_matches("/v.*/", "xv1"),
            "a regex matches the whole name"
        );
        assert!(circleci_matches("master", "master"));
        assert!(!circleci_matches("master", "main"));
        assert!(!circleci_matches("/[/", "x"), "a bad regex matches nothing");
    }
}
