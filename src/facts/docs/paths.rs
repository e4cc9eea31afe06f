//! Where a README's links and images point: a file in the repository, a web address, or nowhere.

use crate::workspace::{RepoFile, Workspace};
use schemars::JsonSchema;
use serde::Serialize;

/// What a link or image target is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// An `https://` address.
    Https,
    /// An `http://` address.
    Http,
    /// Another scheme (`mailto:`, `data:`, …), or a same-page anchor: nothing to check here.
    Other,
    /// A path that leaves the repository (`../../releases`, which GitHub turns into a page of
    /// the repository's site): not judged.
    OutsideRepository,
    /// A path in the repository, resolved against the README's folder.
    Path { path: String, exists: bool },
}

/// Decodes `%XX` escapes; invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a link's `target` to the folder `base` (`""` for the root) with
/// [`paths::join`](crate::workspace::paths::join); a leading `/` means the repository root, as
/// on GitHub. `None` when the result leaves the repository.
pub fn normalise_path(base: &str, target: &str) -> Option<String> {
    match target.strip_prefix('/') {
        Some(rest) => crate::workspace::paths::join("", rest).ok(),
        None => crate::workspace::paths::join(base, target).ok(),
    }
}

/// Whether `path` (normalised, `""` for the root) is a file or folder of the repository.
/// `files` is sorted by path, so both lookups are binary searches: a README may hold many
/// thousands of links.
pub fn exists(ws: &Workspace, files: &[RepoFile], path: &str) -> bool {
    if path.is_empty() {
        return true;
    }
    let dir = format!("{path}/");
    let first_under = files.partition_point(|f| f.path.as_str() < dir.as_str());
    files
        .binary_search_by(|f| f.path.as_str().cmp(path))
        .is_ok()
        || files
            .get(first_under)
            .is_some_and(|f| f.path.starts_with(&dir))
        || ws.entry(path).is_some()
}

/// Classifies a link or image target written in the file at `from`.
pub fn classify(ws: &Workspace, files: &[RepoFile], from: &str, target: &str) -> Target {
    let target = target.trim();
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Target::Https;
    }
    if lower.starts_with("http://") {
        return Target::Http;
    }
    let has_scheme = target.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || target.starts_with("//") || target.starts_with('#') || target.is_empty() {
        return Target::Other;
    }
    let path = target.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return Target::Other;
    }
    let base = from.rsplit_once('/').map_or("", |(dir, _)| dir);
    match normalise_path(base, &percent_decode(path)) {
        None => Target::OutsideRepository,
        Some(path) => {
            let exists = exists(ws, files, &path);
            Target::Path { path, exists }
        }
    }
}

/// Hosts and path fragments of build, coverage and release badges.
const BADGE_HOSTS: [&str; 12] = [
    "img.shields.io",
    "shields.io",
    "badge.fury.io",
    "badgen.net",
    "codecov.io",
    "coveralls.io",
    "goreportcard.com",
    "bestpractices.coreinfrastructure.org",
    "bestpractices.dev",
    "travis-ci.org",
    "travis-ci.com",
    "gitpod.io",
];

/// Whether an image source is a badge rather than a picture of the plugin.
pub fn is_badge(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    let host = lower
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(""))
        .unwrap_or("");
    BADGE_HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
        || lower.contains("badge")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_readme_folder() {
        assert_eq!(
            normalise_path("", "docs/a.md").as_deref(),
            Some("docs/a.md")
        );
        assert_eq!(
            normalise_path("docs", "./img/x.png").as_deref(),
            Some("docs/img/x.png")
        );
        assert_eq!(
            normalise_path("docs", "../LICENSE").as_deref(),
            Some("LICENSE")
        );
        assert_eq!(
            normalise_path("docs", "/LICENSE").as_deref(),
            Some("LICENSE")
        );
        assert_eq!(normalise_path("", "../../releases"), None);
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }

    #[test]
    fn badges() {
        assert!(is_badge("https://img.shields.io/github/v/release/x"));
        assert!(is_badge(
            "https://github.com/o/r/actions/workflows/ci.yml/badge.svg"
        ));
        assert!(is_badge(
            "https://codecov.io/gh/o/r/branch/master/graph/badge.svg"
        ));
        assert!(!is_badge(
            "https://user-images.githubusercontent.com/1/2.png"
        ));
        assert!(!is_badge("assets/screenshot.png"));
    }
}
