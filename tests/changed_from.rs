//! `lint --changed-from REF`: which files count as changed (commits since the merge base, and on
//! the working tree also uncommitted and untracked files), with `--rev`, and the errors.

mod support;

use serde_json::Value;
use support::{Commit, RepoSpec};

fn files(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

/// main: base → m1 (README); topic branches off base: t1 (plugin.json broken).
fn branched() -> tempfile::TempDir {
    let dir = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![
            Commit {
                message: "base".into(),
                files: files(&[
                    (".onboarding.yml", "version: 1\n"),
                    (
                        "plugin.json",
                        r#"{"id": "com.example.hello", "name": "Hello"}"#,
                    ),
                    ("LICENSE", "@data/licences/MIT.txt"),
                ]),
                tags: vec!["base".into()],
                ..Commit::default()
            },
            Commit {
                message: "main moves on".into(),
                files: files(&[("README.md", "# Hello\n")]),
                tags: vec!["main-tip".into()],
                ..Commit::default()
            },
        ],
        worktree: Commit::default(),
    });
    // A topic branch from `base` that breaks the manifest, checked out.
    let repo = git2::Repository::open(dir.path()).unwrap();
    let base = repo
        .revparse_single("base")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    repo.branch("topic", &base, false).unwrap();
    repo.set_head("refs/heads/topic").unwrap();
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    std::fs::write(
        dir.path().join("plugin.json"),
        r#"{"id": "x", "name": "Hello"}"#,
    )
    .unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(std::path::Path::new("plugin.json")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(support::EPOCH, 0)).unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "topic", &tree, &[&base])
        .unwrap();
    dir
}

fn lint_json(args: &[&str]) -> (i32, Value) {
    let out = support::onboard(args);
    let v = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}\n{}", out.stdout, out.stderr));
    (out.code, v)
}

fn changed(report: &Value) -> Vec<&str> {
    report["changes"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

#[test]
fn changes_are_counted_from_the_merge_base() {
    let dir = branched();
    let root = dir.path().to_str().unwrap();
    // main-tip added README.md, but that is not the topic's change: the merge base is `base`.
    let (code, report) = lint_json(&[
        "lint",
        root,
        "--format",
        "json",
        "--changed-from",
        "main-tip",
    ]);
    assert_eq!(code, 1);
    assert_eq!(changed(&report), ["plugin.json"]);
    let base = support::onboard(&["lint", root, "--rev", "base", "--format", "json"]);
    assert!(!base.stdout.contains("\"in_change\": true"));
    let repo = git2::Repository::open(dir.path()).unwrap();
    let base_id = repo.revparse_single("base").unwrap().id().to_string();
    assert_eq!(report["changes"]["merge_base"], base_id.as_str());
    assert_eq!(report["changes"]["from"], "main-tip");
    let findings = report["findings"].as_array().unwrap();
    let id = findings
        .iter()
        .find(|f| f["rule"] == "invalid-plugin-id")
        .unwrap();
    assert_eq!(id["in_change"], true);
    let readme = findings
        .iter()
        .find(|f| f["rule"] == "missing-readme")
        .unwrap();
    assert_eq!(
        readme["in_change"], false,
        "repository-wide findings are never in the change"
    );
    assert_eq!(
        findings[0]["rule"], "invalid-plugin-id",
        "changed files first"
    );
}

#[test]
fn the_working_tree_counts_uncommitted_and_untracked_files() {
    let dir = branched();
    let root = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("LICENSE"), "MIT License, edited\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "new\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored.txt\n").unwrap();
    std::fs::write(dir.path().join("ignored.txt"), "not part of the change\n").unwrap();
    let before = support::snapshot_tree(dir.path());
    let (_, report) = lint_json(&["lint", root, "--format", "json", "--changed-from", "base"]);
    assert_eq!(
        changed(&report),
        [".gitignore", "LICENSE", "notes.txt", "plugin.json"]
    );
    assert_eq!(
        before,
        support::snapshot_tree(dir.path()),
        "nothing was written"
    );

    // With --rev, the revision's tree: the working tree's edits are not part of it.
    let (_, report) = lint_json(&[
        "lint",
        root,
        "--rev",
        "topic",
        "--format",
        "json",
        "--changed-from",
        "base",
    ]);
    assert_eq!(changed(&report), ["plugin.json"]);
}

#[test]
fn bad_references_are_usage_errors() {
    let dir = branched();
    let root = dir.path().to_str().unwrap();
    let out = support::onboard(&["lint", root, "--changed-from", "no-such-branch"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .starts_with("error: cannot compare with `--changed-from no-such-branch`:"),
        "{}",
        out.stderr
    );

    // A tree is not a commit.
    let out = support::onboard(&["lint", root, "--changed-from", "HEAD^{tree}"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("it names a tree, not a commit"),
        "{}",
        out.stderr
    );

    // Unrelated history: an orphan commit.
    let repo = git2::Repository::open(dir.path()).unwrap();
    let tree = repo.head().unwrap().peel_to_tree().unwrap();
    let sig =
        git2::Signature::new("T", "t@example.com", &git2::Time::new(support::EPOCH, 0)).unwrap();
    let orphan = repo.commit(None, &sig, &sig, "orphan", &tree, &[]).unwrap();
    let out = support::onboard(&["lint", root, "--changed-from", &orphan.to_string()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("shares no history"), "{}", out.stderr);

    // No git at all.
    let plain = tempfile::tempdir().unwrap();
    let out = support::onboard(&[
        "lint",
        plain.path().to_str().unwrap(),
        "--changed-from",
        "main",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not the root of a git repository"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));
}
