//! Lexical resolution of repository paths through symbolic links, never leaving the root.

use super::paths::{self, is_git_name};
use super::{Entry, ReadError};

const MAX_HOPS: usize = 40;

/// Resolves `path` component by component. Returns the path of the final non-link entry,
/// `None` when a component does not exist, or an error for links that leave the root,
/// dangle or loop, for a path that climbs above the root or is absolute, and for anything in
/// the git directory (a `.git` component in any spelling, or `git_dir`, the repository's git
/// directory when it lies inside the root under another name).
pub fn resolve(
    path: &str,
    git_dir: Option<&str>,
    entry: impl Fn(&str) -> Option<Entry>,
) -> Result<Option<String>, ReadError> {
    Ok(resolve_entry(path, git_dir, entry)?.map(|(p, _)| p))
}

/// [`resolve`], with what the final entry is (never a link), so a reader need not look again.
pub fn resolve_entry(
    path: &str,
    git_dir: Option<&str>,
    entry: impl Fn(&str) -> Option<Entry>,
) -> Result<Option<(String, Entry)>, ReadError> {
    if paths::is_absolute(path) {
        return Err(ReadError::Absolute(path.to_string()));
    }
    if paths::in_git_dir(path) {
        return Err(ReadError::GitDir {
            path: path.to_string(),
            via: None,
        });
    }
    let mut last = Entry::Dir;
    let mut pending: Vec<String> = split(path).into_iter().rev().collect();
    let mut done: Vec<String> = Vec::new();
    let mut hops = 0;
    // The last link followed, and its target: what a refusal names.
    let mut via: Option<(String, String)> = None;
    while let Some(component) = pending.pop() {
        match component.as_str() {
            "." => continue,
            ".." => {
                if done.pop().is_none() {
                    return Err(match via {
                        Some((link, target)) => ReadError::OutsideRoot { link, target },
                        None => ReadError::LeavesRoot(path.to_string()),
                    });
                }
                continue;
            }
            _ => {}
        }
        let git = is_git_name(&component);
        done.push(component);
        let current = done.join("/");
        if git || git_dir.is_some_and(|g| g == current) {
            return Err(ReadError::GitDir {
                path: match &via {
                    None => path.to_string(),
                    Some(_) => current,
                },
                via,
            });
        }
        match entry(&current) {
            None => {
                if hops > 0 {
                    return Err(ReadError::Dangling {
                        link: path.to_string(),
                        target: current,
                    });
                }
                return Ok(None);
            }
            Some(Entry::Symlink(target)) => {
                hops += 1;
                if hops > MAX_HOPS {
                    return Err(ReadError::TooManyLinks(path.to_string()));
                }
                done.pop();
                // A target that is absolute anywhere, or climbs above the root from the link's
                // folder, leads out.
                let outside = target.contains('\\')
                    || target.contains(':')
                    || paths::join(&done.join("/"), &target).is_err();
                if outside {
                    return Err(ReadError::OutsideRoot {
                        link: current,
                        target,
                    });
                }
                for part in split(&target).into_iter().rev() {
                    pending.push(part);
                }
                via = Some((current, target));
            }
            Some(found) => last = found,
        }
    }
    Ok(Some((done.join("/"), last)))
}

fn split(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn fs(entries: &[(&str, Entry)]) -> impl Fn(&str) -> Option<Entry> {
        let map: HashMap<String, Entry> = entries
            .iter()
            .map(|(p, e)| (p.to_string(), e.clone()))
            .collect();
        move |p| map.get(p).cloned()
    }

    fn resolve_t(
        path: &str,
        entry: impl Fn(&str) -> Option<Entry>,
    ) -> Result<Option<String>, ReadError> {
        resolve(path, None, entry)
    }

    #[test]
    fn follows_links_inside_the_root() {
        let lookup = fs(&[
            (
                "LICENSE.enterprise",
                Entry::Symlink("server/enterprise/LICENSE".into()),
            ),
            ("server", Entry::Dir),
            ("server/enterprise", Entry::Dir),
            ("server/enterprise/LICENSE", Entry::File),
        ]);
        assert_eq!(
            resolve_t("LICENSE.enterprise", lookup).unwrap(),
            Some("server/enterprise/LICENSE".into())
        );
    }

    #[test]
    fn refuses_links_out_of_the_root() {
        let lookup = fs(&[
            ("a", Entry::Symlink("/etc/passwd".into())),
            ("b", Entry::Symlink("../../x".into())),
            ("d", Entry::Dir),
            ("d/c", Entry::Symlink("../../outside".into())),
        ]);
        assert!(matches!(
            resolve_t("a", &lookup),
            Err(ReadError::OutsideRoot { .. })
        ));
        assert!(matches!(
            resolve_t("b", &lookup),
            Err(ReadError::OutsideRoot { .. })
        ));
        assert!(matches!(
            resolve_t("d/c", &lookup),
            Err(ReadError::OutsideRoot { .. })
        ));
    }

    #[test]
    fn reports_loops_and_dangling_links() {
        let lookup = fs(&[
            ("x", Entry::Symlink("y".into())),
            ("y", Entry::Symlink("x".into())),
            ("z", Entry::Symlink("missing".into())),
        ]);
        assert!(matches!(
            resolve_t("x", &lookup),
            Err(ReadError::TooManyLinks(_))
        ));
        assert!(matches!(
            resolve_t("z", &lookup),
            Err(ReadError::Dangling { .. })
        ));
        assert_eq!(resolve_t("nothing", &lookup).unwrap(), None);
    }

    #[test]
    fn never_into_the_git_directory() {
        let lookup = fs(&[
            ("README.md", Entry::Symlink(".git/config".into())),
            ("docs", Entry::Dir),
            ("docs/x", Entry::Symlink("../.GIT/config".into())),
            ("g", Entry::Symlink(".git".into())),
            (".git", Entry::Dir),
            (".git/config", Entry::File),
            ("sub", Entry::Dir),
            ("sub/gitdir", Entry::Dir),
            ("sub/gitdir/config", Entry::File),
        ]);
        for path in [".git/config", "docs/../.git/config", "a/.Git/x"] {
            assert!(
                matches!(
                    resolve_t(path, &lookup),
                    Err(ReadError::GitDir { via: None, .. })
                ),
                "{path}"
            );
        }
        for path in ["README.md", "docs/x", "g/config"] {
            let err = resolve_t(path, &lookup).unwrap_err();
            assert!(
                matches!(&err, ReadError::GitDir { via: Some(_), .. }),
                "{path}"
            );
            assert!(
                err.to_string().contains("inside the git directory"),
                "{err}"
            );
        }
        assert!(matches!(
            resolve("sub/gitdir/config", Some("sub/gitdir"), &lookup),
            Err(ReadError::GitDir { .. })
        ));
    }

    #[test]
    fn paths_that_climb_out_or_are_absolute_say_so() {
        let lookup = fs(&[("a", Entry::Dir)]);
        let err = resolve_t("../../../etc/passwd", &lookup).unwrap_err();
        assert_eq!(err, ReadError::LeavesRoot("../../../etc/passwd".into()));
        assert!(err.to_string().contains("leaves the repository"), "{err}");
        let err = resolve_t("/etc/passwd", &lookup).unwrap_err();
        assert!(err.to_string().contains("absolute"), "{err}");
    }
}
