//! Walking a working tree for the files git would see: no symbolic link is followed, no other
//! repository (a submodule's checkout, a nested clone) is entered, and `.gitignore` files are
//! read as git reads them: regular files only, never through a link (a committed
//! `.gitignore -> /dev/zero` would otherwise be read forever), and no larger than the read
//! limit. Patterns are matched with the `ignore` crate's gitignore matcher, deepest file first.

use super::{FileKind, RepoFile};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Files under `root` that git would not ignore (with the repository's `info/exclude` when
/// `git_dir` is given), skipping `.git` and the directories in `skip` (submodule checkouts).
/// With `top`, the root of the work tree `root` is a folder of (both real paths, `top` a prefix
/// of `root`), the ignore files of the folders from `top` down to `root`'s parent apply too,
/// and `info/exclude` is read as `top`'s. Files in `listed` (paths from `root`, the tracked
/// files the caller lists already) are passed over without matching them against the ignore
/// patterns, which is most of a walk's work in a clean checkout.
pub fn walk(
    root: &Path,
    top: Option<&Path>,
    git_dir: Option<&Path>,
    skip: &HashSet<PathBuf>,
    listed: &HashSet<&str>,
    limit: u64,
) -> Vec<RepoFile> {
    let base = top.unwrap_or(root);
    let exclude = git_dir.and_then(|d| matcher(base, &d.join("info/exclude"), limit));
    // Shared along the walk: a directory's list is its parent's plus its own file.
    let mut out = Vec::new();
    // (directory, its path relative to the root, the matchers of it and its parents)
    let mut stack: Vec<(PathBuf, String, Vec<Rc<Gitignore>>)> = Vec::new();
    let mut root_matchers = Vec::new();
    root_matchers.extend(exclude.map(Rc::new));
    if let Some(top) = top {
        let mut above: Vec<&Path> = root
            .ancestors()
            .skip(1)
            .take_while(|d| d.starts_with(top))
            .collect();
        above.reverse();
        for dir in above {
            root_matchers.extend(matcher(dir, &dir.join(".gitignore"), limit).map(Rc::new));
        }
    }
    root_matchers.extend(matcher(root, &root.join(".gitignore"), limit).map(Rc::new));
    stack.push((root.to_path_buf(), String::new(), root_matchers));
    while let Some((dir, rel, matchers)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            if name == ".git" {
                continue;
            }
            let Ok(ft) = entry.file_type() else { continue };
            let is_dir = ft.is_dir();
            let name = name.to_string_lossy();
            let rel_path = match rel.is_empty() {
                true => name.into_owned(),
                false => format!("{rel}/{name}"),
            };
            if !is_dir && listed.contains(rel_path.as_str()) {
                continue;
            }
            let path = entry.path();
            if ignored(&matchers, &path, is_dir) {
                continue;
            }
            if is_dir {
                let nested =
                    skip.contains(&path) || std::fs::symlink_metadata(path.join(".git")).is_ok();
                if nested {
                    continue;
                }
                let mut inner = matchers.clone();
                inner.extend(matcher(&path, &path.join(".gitignore"), limit).map(Rc::new));
                stack.push((path, rel_path, inner));
            } else {
                let kind = match ft.is_symlink() {
                    true => FileKind::Symlink,
                    false => FileKind::File,
                };
                out.push(RepoFile {
                    path: rel_path,
                    kind,
                });
            }
        }
    }
    out
}

/// Whether the deepest matcher with an opinion ignores `path`.
fn ignored(matchers: &[Rc<Gitignore>], path: &Path, is_dir: bool) -> bool {
    for m in matchers.iter().rev() {
        match m.matched(path, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

/// The patterns of one ignore file for the directory `dir`, when it is a regular file (not a
/// link, a pipe or a device) within `limit` bytes; unreadable files are left out, as git does.
fn matcher(dir: &Path, file: &Path, limit: u64) -> Option<Gitignore> {
    let bytes = read_ignore_file(file, limit)?;
    let mut builder = GitignoreBuilder::new(dir);
    for line in String::from_utf8_lossy(&bytes).lines() {
        // A bad pattern is skipped, as git skips it.
        let _ = builder.add_line(Some(file.to_path_buf()), line);
    }
    builder.build().ok()
}

/// The bytes of `file` when it is a regular file within `limit` bytes. The file is opened in
/// its folder without following a link (`O_NOFOLLOW`, non-blocking) and what was opened is
/// checked, so a link or a pipe swapped in after the walk saw the name is refused by the open
/// itself, never followed or waited on.
fn read_ignore_file(file: &Path, limit: u64) -> Option<Vec<u8>> {
    let (dir, name) = (file.parent()?, file.file_name()?.to_str()?);
    let opened = super::worktree::open_no_follow(dir, name).ok()?;
    let meta = opened.metadata().ok()?;
    if !meta.file_type().is_file() || meta.len() > limit {
        return None;
    }
    let mut bytes = Vec::new();
    opened.take(limit).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(root: &Path, git_dir: Option<&Path>) -> Vec<String> {
        let mut files: Vec<String> = walk(
            root,
            None,
            git_dir,
            &HashSet::new(),
            &HashSet::new(),
            1 << 20,
        )
        .into_iter()
        .map(|f| f.path)
        .collect();
        files.sort();
        files
    }

    #[test]
    fn honours_nested_gitignores_and_exclude() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            (".gitignore", "*.log\nbuild/\n!keep.log\n"),
            ("a.log", ""),
            ("keep.log", ""),
            ("build/out.js", ""),
            ("src/.gitignore", "gen.go\n!*.log\n"),
            ("src/gen.go", ""),
            ("src/main.go", ""),
            ("src/trace.log", ""),
            ("notes.txt", ""),
            ("vendor/clone/.git/HEAD", "ref: refs/heads/main\n"),
            ("vendor/clone/x.go", ""),
            (".git/info/exclude", "notes.txt\n"),
        ] {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        assert_eq!(
            names(root, Some(&root.join(".git"))),
            [
                ".gitignore",
                "keep.log",
                "src/.gitignore",
                "src/main.go",
                "src/trace.log"
            ]
        );
        assert!(names(root, None).contains(&"notes.txt".to_string()));
    }

    #[test]
    fn listed_files_are_left_to_the_caller_and_the_rest_still_matched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            (".gitignore", "*.log\n"),
            ("src/main.go", ""),
            ("src/tracked.log", ""),
            ("src/new.go", ""),
            ("src/trace.log", ""),
        ] {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let listed: HashSet<&str> = [".gitignore", "src/main.go", "src/tracked.log"].into();
        let mut files: Vec<String> = walk(root, None, None, &HashSet::new(), &listed, 1 << 20)
            .into_iter()
            .map(|f| f.path)
            .collect();
        files.sort();
        // Only what the caller does not list, and that no pattern ignores.
        assert_eq!(files, ["src/new.go"]);
    }

    #[test]
    fn ignore_files_that_are_links_or_devices_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "").unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join(".gitignore")).unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/b.txt"), "").unwrap();
        std::os::unix::fs::symlink("../patterns", root.join("sub/.gitignore")).unwrap();
        std::fs::write(root.join("patterns"), "b.txt\n").unwrap();
        assert_eq!(
            names(root, None),
            [
                ".gitignore",
                "a.txt",
                "patterns",
                "sub/.gitignore",
                "sub/b.txt"
            ]
        );
    }

    /// The open itself refuses what is not a regular file: there is no look before it that a
    /// swap could outrun. A link (to a readable file of patterns), a pipe with no writer (which
    /// a blocking open would wait on), a folder and a file over the limit give nothing; a
    /// regular file within it gives its bytes.
    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("patterns"), "*.log\n").unwrap();
        assert_eq!(
            read_ignore_file(&root.join("patterns"), 64).as_deref(),
            Some(&b"*.log\n"[..])
        );
        assert_eq!(read_ignore_file(&root.join("patterns"), 3), None);
        std::os::unix::fs::symlink("patterns", root.join("link")).unwrap();
        assert_eq!(read_ignore_file(&root.join("link"), 64), None);
        let fifo = std::ffi::CString::new(root.join("pipe").to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        assert_eq!(read_ignore_file(&root.join("pipe"), 64), None);
        std::fs::create_dir(root.join("folder")).unwrap();
        assert_eq!(read_ignore_file(&root.join("folder"), 64), None);
        assert_eq!(read_ignore_file(&root.join("absent"), 64), None);
    }
}
