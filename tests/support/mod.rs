//! Builds fixture repositories: git with a fixed identity and fixed dates, so commit ids and
//! every output are the same on every machine.

#![allow(dead_code)]

use git2::{IndexAddOption, Repository, Signature, Time};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-01-01T00:00:00Z; commit `i` is dated `i` days later.
pub const EPOCH: i64 = 1_767_225_600;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    #[serde(default = "default_message")]
    pub message: String,
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Link path -> target.
    #[serde(default)]
    pub symlinks: BTreeMap<String, String>,
    #[serde(default)]
    pub delete: Vec<String>,
    /// Lightweight tags on this commit.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Annotated tags on this commit.
    #[serde(default)]
    pub annotated_tags: Vec<String>,
    /// Annotated tags whose message carries a PGP signature block, as `git tag -s` writes.
    #[serde(default)]
    pub signed_tags: Vec<String>,
    /// `Name <email>`; the fixed test identity when absent. The committer is always that.
    #[serde(default)]
    pub author: Option<String>,
    /// The branch the commit goes on; created at the tip of `master` when new. `master` (which
    /// HEAD names) when absent.
    #[serde(default)]
    pub branch: Option<String>,
}

fn default_message() -> String {
    "commit".into()
}

/// A repository described as data.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepoSpec {
    /// `false`: a plain directory, no git at all.
    #[serde(default = "yes")]
    pub git: bool,
    #[serde(default)]
    pub commits: Vec<Commit>,
    /// Written after the last commit and left uncommitted.
    #[serde(default)]
    pub worktree: Commit,
    /// Marks the repository shallow at its HEAD commit (`.git/shallow`), as a
    /// `git clone --depth 1` leaves it.
    #[serde(default)]
    pub shallow: bool,
    /// The URL of the `origin` remote (configured, never contacted).
    #[serde(default)]
    pub remote: Option<String>,
}

fn yes() -> bool {
    true
}

/// A file's contents: the text itself, or `@data/…` for a file under `tests/data/`, which may
/// be followed by a newline and more text to append.
pub fn contents(text: &str) -> Vec<u8> {
    let Some(reference) = text.strip_prefix('@') else {
        return text.as_bytes().to_vec();
    };
    let (path, rest) = reference.split_once('\n').unwrap_or((reference, ""));
    let full = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(path);
    let mut bytes =
        std::fs::read(&full).unwrap_or_else(|e| panic!("fixture data {}: {e}", full.display()));
    bytes.extend_from_slice(rest.as_bytes());
    bytes
}

fn write_files(root: &Path, c: &Commit) {
    for (path, text) in &c.files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents(text)).unwrap();
    }
    for (link, target) in &c.symlinks {
        let p = root.join(link);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&p);
        std::os::unix::fs::symlink(target, &p).unwrap();
    }
    for path in &c.delete {
        std::fs::remove_file(root.join(path)).unwrap();
    }
}

/// Builds the repository in `root` (which must exist and be empty).
pub fn build(root: &Path, spec: &RepoSpec) {
    if !spec.git {
        for c in &spec.commits {
            write_files(root, c);
        }
        write_files(root, &spec.worktree);
        return;
    }
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("master");
    let repo = Repository::init_opts(root, &opts).unwrap();
    {
        let mut config = repo.config().unwrap();
        config.set_str("user.name", "Onboard Tests").unwrap();
        config.set_str("user.email", "tests@example.com").unwrap();
    }
    if let Some(url) = &spec.remote {
        repo.remote("origin", url).unwrap();
    }
    // The commit whose tree the working tree and the index hold.
    let mut checked_out: Option<git2::Oid> = None;
    for (i, c) in spec.commits.iter().enumerate() {
        let branch = c.branch.as_deref().unwrap_or("master");
        let reference = format!("refs/heads/{branch}");
        let master = repo.refname_to_id("refs/heads/master").ok();
        let parent = repo.refname_to_id(&reference).ok().or(master);
        if parent != checked_out {
            if let Some(p) = parent {
                checkout(&repo, p);
            }
        }
        write_files(root, c);
        let mut index = repo.index().unwrap();
        index.add_all(["*"], IndexAddOption::FORCE, None).unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree_id = index.write_tree().unwrap();
        let tree = repo.find_tree(tree_id).unwrap();
        let when = Time::new(EPOCH + i as i64 * 86_400, 0);
        let committer = Signature::new("Onboard Tests", "tests@example.com", &when).unwrap();
        let author = match &c.author {
            Some(a) => {
                let (name, email) = a
                    .split_once(" <")
                    .unwrap_or_else(|| panic!("author {a:?} is not `Name <email>`"));
                Signature::new(name, email.trim_end_matches('>'), &when).unwrap()
            }
            None => committer.clone(),
        };
        let parents: Vec<git2::Commit<'_>> = parent
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let id = repo
            .commit(
                Some(&reference),
                &author,
                &committer,
                &c.message,
                &tree,
                &parent_refs,
            )
            .unwrap();
        let obj = repo.find_object(id, None).unwrap();
        for tag in &c.tags {
            repo.tag_lightweight(tag, &obj, false).unwrap();
        }
        for tag in &c.annotated_tags {
            repo.tag(tag, &obj, &committer, &format!("Release {tag}\n"), false)
                .unwrap();
        }
        for tag in &c.signed_tags {
            let message = format!(
                "Release {tag}\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEfixture\n=abcd\n-----END PGP SIGNATURE-----\n"
            );
            repo.tag(tag, &obj, &committer, &message, false).unwrap();
        }
        checked_out = Some(id);
    }
    let head = repo.refname_to_id("refs/heads/master").ok();
    if head != checked_out {
        if let Some(h) = head {
            checkout(&repo, h);
        }
    }
    if spec.shallow {
        if let Some(h) = head {
            std::fs::write(repo.path().join("shallow"), format!("{h}\n")).unwrap();
        }
    }
    write_files(root, &spec.worktree);
}

/// Makes the working tree and the index hold `commit`'s tree, removing what it lacks.
fn checkout(repo: &Repository, commit: git2::Oid) {
    let obj = repo.find_object(commit, None).unwrap();
    let mut how = git2::build::CheckoutBuilder::new();
    how.force().remove_untracked(true);
    repo.checkout_tree(&obj, Some(&mut how)).unwrap();
}

/// A file map from `(path, text)` pairs.
pub fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

/// An `.onboarding.yml` whose basic review names the commit of [`one_commit_repo`].
pub const REVIEWED: &str = "version: 1\nreviews:\n  - { kind: basic, by: alice, commit: v0.1.0, date: \"2026-01-01\" }\nci:\n  master_build_url: https://github.com/example/hello/actions/workflows/ci.yml\n  release_build_url: https://github.com/example/hello/releases\n";

/// A git repository with one commit holding `files`, tagged `v0.1.0`, and a clean working tree.
pub fn one_commit_repo(files: BTreeMap<String, String>) -> tempfile::TempDir {
    repo(&RepoSpec {
        git: true,
        commits: vec![Commit {
            message: "initial".into(),
            files,
            tags: vec!["v0.1.0".into()],
            ..Commit::default()
        }],
        worktree: Commit::default(),
        shallow: false,
        remote: None,
    })
}

/// A fresh temporary directory holding the repository described by `spec`.
pub fn repo(spec: &RepoSpec) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), spec);
    dir
}

/// Runs the `onboard` binary with no colour and a fixed width.
pub fn onboard(args: &[&str]) -> Output {
    onboard_with_env(args, &[])
}

/// The cache folder every test run shares (under cargo's scratch folder for tests, never the
/// home directory): runs after the first of a fixture read it warm.
pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("onboard-cache")
}

/// Runs the `onboard` binary with no colour, no job summary unless `env` sets one, the tests'
/// cache folder unless `env` sets another, and `env`.
pub fn onboard_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_onboard"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("ONBOARD_CACHE_DIR", cache_dir())
        .env_remove("GITHUB_STEP_SUMMARY")
        .envs(env.iter().copied())
        .output()
        .expect("onboard runs");
    Output {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A byte-for-byte picture of a directory (file contents, link targets), to show a run
/// changed nothing.
pub fn snapshot_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let ft = entry.file_type().unwrap();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if ft.is_symlink() {
                out.insert(
                    rel,
                    std::fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                );
            } else if ft.is_dir() {
                stack.push(path);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// A GitHub workflow that builds the plugin on pushes to `master` and on version tags.
pub const CI_WORKFLOW: (&str, &str) = (
    ".github/workflows/ci.yml",
    "on:\n  push:\n    branches: [master]\n    tags: [\"v*\"]\n  pull_request:\njobs:\n  plugin-ci:\n    uses: mattermost/actions-workflows/.github/workflows/community-plugin-ci.yml@139a051e8651e6246e3764fe342297b73120e590\n",
);

/// A line of the plugin's own code, so that the plugin has something to review (no-own-code).
pub const PLUGIN_CODE: (&str, &str) = (
    "server/hello.go",
    "package main\n\n// greet welcomes a new member.\nfunc greet(name string) string {\n\treturn \"Hello, \" + name\n}\n",
);
