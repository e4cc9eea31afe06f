//! Where a run starts: the plugin's root found from the current directory, and the linted root's
//! place in its git work tree, so that paths are printed as the repository names them.

use std::path::{Component, Path, PathBuf};

/// What marks a plugin's root: its `.onboarding.yml`, or a manifest where the server looks.
pub const MARKERS: [&str; 4] = [
    ".onboarding.yml",
    "plugin.json",
    "plugin.yaml",
    "plugin.yml",
];

/// The root to lint when no path is given, starting from `cwd`: the nearest folder upward
/// holding one of [`MARKERS`], within the git work tree that holds `cwd`; else that work tree's
/// root; outside any work tree, `cwd` itself. Given relative to `cwd` (`.`, `..`, `../..`), so
/// that what is printed stays short and names the same folder.
pub fn discover(cwd: &Path) -> PathBuf {
    let Some(top) = work_tree(cwd) else {
        return PathBuf::from(".");
    };
    let Ok(here) = std::fs::canonicalize(cwd) else {
        return PathBuf::from(".");
    };
    let mut dir = here.as_path();
    let mut up = 0usize;
    loop {
        let marked = MARKERS
            .iter()
            .any(|m| std::fs::symlink_metadata(dir.join(m)).is_ok());
        if marked || dir == top {
            break;
        }
        match dir.parent() {
            // Only folders inside the work tree are candidates.
            Some(parent) if parent.starts_with(&top) => {
                dir = parent;
                up += 1;
            }
            _ => break,
        }
    }
    match up {
        0 => PathBuf::from("."),
        n => (0..n).map(|_| Component::ParentDir).collect(),
    }
}

/// The root of the git work tree that holds `path` (canonical), if any. A bare repository or a
/// git directory has none.
pub fn work_tree(path: &Path) -> Option<PathBuf> {
    super::git::open_repository_setup();
    let repo = git2::Repository::discover(path).ok()?;
    std::fs::canonicalize(repo.workdir()?).ok()
}

/// `root` relative to the root of the git work tree that holds it, as a prefix for the paths
/// of files under `root`: `""` when `root` is the work tree's root (or in none), else
/// `plugins/foo/`. A folder name that is not UTF-8 gives `""`: paths stay relative to `root`.
pub fn prefix(root: &Path) -> String {
    let (Some(top), Ok(root)) = (work_tree(root), std::fs::canonicalize(root)) else {
        return String::new();
    };
    let Ok(rel) = root.strip_prefix(&top) else {
        return String::new();
    };
    let mut out = String::new();
    for c in rel.components() {
        match c.as_os_str().to_str() {
            Some(name) => {
                out.push_str(name);
                out.push('/');
            }
            None => return String::new(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git_init(dir: &Path) {
        git2::Repository::init(dir).expect("init");
    }

    #[test]
    fn finds_the_nearest_marked_folder_within_the_work_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path();
        git_init(top);
        std::fs::create_dir_all(top.join("plugins/foo/server/sub")).unwrap();
        std::fs::write(top.join("plugins/foo/plugin.json"), "{}").unwrap();
        assert_eq!(
            discover(&top.join("plugins/foo/server/sub")),
            PathBuf::from("../..")
        );
        assert_eq!(discover(&top.join("plugins/foo")), PathBuf::from("."));
        // Nothing marked on the way up: the work tree's root.
        assert_eq!(discover(&top.join("plugins")), PathBuf::from(".."));
        assert_eq!(prefix(&top.join("plugins/foo")), "plugins/foo/");
        assert_eq!(prefix(top), "");
    }

    #[test]
    fn never_climbs_out_of_the_work_tree() {
        let tmp = tempfile::tempdir().unwrap();
        // A marker above the work tree is not the plugin's.
        std::fs::write(tmp.path().join(".onboarding.yml"), "version: 1\n").unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join("server")).unwrap();
        git_init(&repo);
        assert_eq!(discover(&repo.join("server")), PathBuf::from(".."));
        // Outside any work tree: where it is.
        let plain = tempfile::tempdir().unwrap();
        assert_eq!(discover(plain.path()), PathBuf::from("."));
        assert_eq!(prefix(plain.path()), "");
    }
}
