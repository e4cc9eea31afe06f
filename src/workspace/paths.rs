//! Repository paths: one lexical join with one meaning, and the git directory, which is never
//! a file of the plugin.
//!
//! Every path that comes from the repository (a link target, a key of `.onboarding.yml`, an
//! `extends:` of a policy, a link in the README) is joined here. A path that climbs above the
//! root is an error, never clamped to the root; an absolute path is an error, never read as one
//! under the root.

use std::fmt;

/// Why a repository path cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// `/etc/passwd`, `C:\x`, `\\server\share`: paths here are relative.
    Absolute(String),
    /// `../../x`: more `..` than folders above it.
    LeavesRoot(String),
    /// `.git/config`, `x/.GIT/HEAD`: inside a git directory.
    GitDir(String),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Absolute(p) => write!(
                f,
                "`{p}` is an absolute path; absolute paths are not allowed, only paths relative \
                 to the repository"
            ),
            PathError::LeavesRoot(p) => write!(f, "`{p}` leaves the repository"),
            PathError::GitDir(p) => write!(
                f,
                "`{p}` is inside the git directory, which is never read as a file of the plugin"
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// Whether `path` is absolute on some system: `/x`, `\x`, `C:x`, `C:\x`.
pub fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// Joins `path` to the folder `dir` (`""` for the root), lexically: empty and `.` components
/// are dropped, `..` takes off the folder before it. The result has `/` separators, no leading
/// or trailing `/`, and is `""` for the root itself.
///
/// `dir` is a repository path already (from the tree, or joined here). `path` is untrusted: an
/// absolute `path` is [`PathError::Absolute`], and a `..` above the root is
/// [`PathError::LeavesRoot`].
pub fn join(dir: &str, path: &str) -> Result<String, PathError> {
    if is_absolute(path) {
        return Err(PathError::Absolute(path.to_string()));
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathError::LeavesRoot(path.to_string()));
                }
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// A path written in the repository's configuration (`docs.readme`, `policies:`, `qa[].notes`),
/// relative to the root: [`join`]ed, and refused when it names the git directory.
pub fn config_path(path: &str) -> Result<String, PathError> {
    let joined = join("", path)?;
    if in_git_dir(&joined) {
        return Err(PathError::GitDir(path.to_string()));
    }
    Ok(joined)
}

/// `dir` and `name` joined with `/` (`name` at the root when `dir` is `""`); both are trusted
/// repository paths, so nothing is resolved.
pub fn child(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The folder of a repository path, `""` at the root.
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether one path component names a git directory on some file system git protects: `.git`
/// in any case (case-insensitive systems), with trailing dots or spaces (Windows drops them),
/// with characters macOS ignores in names (zero-width joiners and the like), or as Windows'
/// short name `git~1`. Git refuses all of these in trees for the same reason.
pub fn is_git_name(component: &str) -> bool {
    if component.len() < 4 {
        return false;
    }
    let trimmed = component.trim_end_matches(['.', ' ']);
    if trimmed.eq_ignore_ascii_case(".git") || trimmed.eq_ignore_ascii_case("git~1") {
        return true;
    }
    // Only worth the allocation when the name holds something other than ASCII.
    if component.is_ascii() {
        return false;
    }
    let visible: String = component.chars().filter(|c| !hfs_ignored(*c)).collect();
    visible
        .trim_end_matches(['.', ' '])
        .eq_ignore_ascii_case(".git")
}

/// Code points HFS+ leaves out when it compares names (git's `is_hfs_dotgit` list).
fn hfs_ignored(c: char) -> bool {
    matches!(
        c,
        '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}'
    )
}

/// Whether any component of `path` names a git directory ([`is_git_name`]).
pub fn in_git_dir(path: &str) -> bool {
    path.split('/').any(is_git_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_with_one_meaning() {
        assert_eq!(join("", "docs/a.md"), Ok("docs/a.md".into()));
        assert_eq!(join("docs", "./img//x.png"), Ok("docs/img/x.png".into()));
        assert_eq!(join("docs", "../LICENSE"), Ok("LICENSE".into()));
        assert_eq!(join("a/b", ".."), Ok("a".into()));
        assert_eq!(join("a", ".."), Ok("".into()));
        assert_eq!(join("", ""), Ok("".into()));
    }

    #[test]
    fn leaving_the_root_is_an_error_never_clamped() {
        for (dir, path) in [
            ("", ".."),
            ("", "../x"),
            ("docs", "../../x"),
            ("ci", "../../../etc/passwd"),
            ("", "a/../../b"),
        ] {
            assert_eq!(
                join(dir, path),
                Err(PathError::LeavesRoot(path.into())),
                "{dir} {path}"
            );
        }
        assert!(join("", "../../../etc/passwd")
            .unwrap_err()
            .to_string()
            .contains("leaves the repository"));
    }

    #[test]
    fn absolute_paths_are_errors() {
        for path in ["/x", "/etc/passwd", "\\x", "C:\\x", "c:x"] {
            assert_eq!(join("docs", path), Err(PathError::Absolute(path.into())));
        }
        assert!(join("", "/x")
            .unwrap_err()
            .to_string()
            .contains("absolute paths are not allowed"));
    }

    #[test]
    fn git_directories_in_every_spelling() {
        for name in [
            ".git",
            ".GIT",
            ".Git",
            ".git.",
            ".git  ",
            "git~1",
            "GIT~1",
            ".g\u{200c}it",
            "\u{feff}.git",
        ] {
            assert!(is_git_name(name), "{name:?}");
            assert!(in_git_dir(&format!("a/{name}/config")), "{name:?}");
        }
        for name in [".github", ".gitignore", "git", ".gi", "x.git", ".git~1"] {
            assert!(!is_git_name(name), "{name:?}");
        }
        assert_eq!(
            config_path("docs/../.git/config"),
            Err(PathError::GitDir("docs/../.git/config".into()))
        );
        assert_eq!(config_path("./docs/x.md"), Ok("docs/x.md".into()));
    }
}
