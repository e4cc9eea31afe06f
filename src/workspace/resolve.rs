//! Lexical resolution of repository paths through symbolic links, never leaving the root.

use super::{Entry, ReadError};

const MAX_HOPS: usize = 40;

/// Resolves `path` component by component. Returns the path of the final non-link entry,
/// `None` when a component does not exist, or an error for links that leave the root,
/// dangle or loop.
pub fn resolve(
    path: &str,
    entry: impl Fn(&str) -> Option<Entry>,
) -> Result<Option<String>, ReadError> {
    Ok(resolve_entry(path, entry)?.map(|(p, _)| p))
}

/// [`resolve`], with what the final entry is (never a link), so a reader need not look again.
pub fn resolve_entry(
    path: &str,
    entry: impl Fn(&str) -> Option<Entry>,
) -> Result<Option<(String, Entry)>, ReadError> {
    let mut last = Entry::Dir;
    let mut pending: Vec<String> = split(path).into_iter().rev().collect();
    let mut done: Vec<String> = Vec::new();
    let mut hops = 0;
    while let Some(component) = pending.pop() {
        match component.as_str() {
            "." => continue,
            ".." => {
                if done.pop().is_none() {
                    return Err(ReadError::OutsideRoot {
                        link: path.to_string(),
                        target: path.to_string(),
                    });
                }
                continue;
            }
            _ => {}
        }
        done.push(component);
        let current = done.join("/");
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
                if target.starts_with('/') || target.contains('\\') || target.contains(':') {
                    return Err(ReadError::OutsideRoot {
                        link: current,
                        target,
                    });
                }
                done.pop();
                // Depth of the link's directory: `..` beyond it leaves the root.
                let mut depth = done.len() as isize;
                for part in split(&target) {
                    match part.as_str() {
                        ".." => depth -= 1,
                        "." => {}
                        _ => depth += 1,
                    }
                    if depth < 0 {
                        return Err(ReadError::OutsideRoot {
                            link: current,
                            target,
                        });
                    }
                }
                for part in split(&target).into_iter().rev() {
                    pending.push(part);
                }
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
            resolve("LICENSE.enterprise", lookup).unwrap(),
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
            resolve("a", &lookup),
            Err(ReadError::OutsideRoot { .. })
        ));
        assert!(matches!(
            resolve("b", &lookup),
            Err(ReadError::OutsideRoot { .. })
        ));
        assert!(matches!(
            resolve("d/c", &lookup),
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
            resolve("x", &lookup),
            Err(ReadError::TooManyLinks(_))
        ));
        assert!(matches!(
            resolve("z", &lookup),
            Err(ReadError::Dangling { .. })
        ));
        assert_eq!(resolve("nothing", &lookup).unwrap(), None);
    }
}
