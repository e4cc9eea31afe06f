//! The template index and the `template` fact: an example template repository with history
//! (tests/data/templates/example-template.yml) is indexed with `onboard template index`, and
//! plugin repositories that use it through `template:` are classified.

mod support;

use serde_json::Value;
use std::path::Path;
use support::{Commit, RepoSpec};

const INDEX: &str = "tests/data/templates/example.idx";

fn template_spec() -> RepoSpec {
    let text = std::fs::read_to_string("tests/data/templates/example-template.yml").unwrap();
    let node = onboard::yaml::parse(&text).unwrap();
    serde_json::from_value(node.to_json()).unwrap()
}

/// Indexes the example template with the command line and returns the bytes.
fn index_example() -> Vec<u8> {
    let dir = support::repo(&template_spec());
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("example.idx");
    let run = support::onboard(&[
        "template",
        "index",
        dir.path().to_str().unwrap(),
        "--name",
        "example-template",
        "--identity-file",
        "server/example.go",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("3 commits from refs (1 heads, 1 tags)"),
        "{}",
        run.stderr
    );
    std::fs::read(out).unwrap()
}

#[test]
fn example_index_is_current_and_deterministic() {
    let bytes = index_example();
    assert_eq!(bytes, index_example(), "two runs give the same bytes");
    let index = onboard::template::TemplateIndex::from_bytes(&bytes).unwrap();
    assert_eq!(index.name, "example-template");
    assert_eq!(index.commits.len(), 3);
    let makefile = &index.paths[index.path("Makefile").unwrap()];
    assert_eq!(makefile.versions.len(), 3);
    assert!(
        index.path("server/util.go").is_some() && index.path("server/common/util.go").is_some()
    );
    assert_eq!(
        index.identity.files,
        ["README.md", "assets/icon.svg", "server/example.go"]
    );
    assert_eq!(
        index.identity.modules,
        ["github.com/example/plugin-template"]
    );
    assert!(index
        .identity
        .manifest
        .contains(&("id".into(), "com.example.plugin-template".into())));
    // The lockfile's lines are not hashed; the Makefile's are.
    let lock = &index.paths[index.path("webapp/package-lock.json").unwrap()];
    assert_eq!(
        index.blobs[lock.versions[0].blob as usize].kind,
        onboard::template::index::BlobKind::Unhashed
    );
    if std::fs::read(INDEX).ok().as_deref() != Some(&bytes[..]) {
        if std::env::var_os("ONBOARD_BLESS").is_some() {
            std::fs::write(INDEX, &bytes).unwrap();
        } else {
            panic!("`{INDEX}` is stale: run `ONBOARD_BLESS=1 cargo test --test template`");
        }
    }
}

#[test]
fn bad_template_repositories_and_outputs_are_errors() {
    let plain = tempfile::tempdir().unwrap();
    let out = support::onboard(&["template", "index", plain.path().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not a git repository"),
        "{}",
        out.stderr
    );
    let dir = support::repo(&template_spec());
    let out = support::onboard(&[
        "template",
        "index",
        dir.path().to_str().unwrap(),
        "--identity-file",
        "no/such/file.go",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no/such/file.go"), "{}", out.stderr);
}

/// `--max-file-bytes`: a blob over it is not read; the index is written all the same and the
/// summary counts what was left out.
#[test]
fn blobs_over_the_read_limit_are_counted_not_read() {
    let dir = support::repo(&template_spec());
    let out_dir = tempfile::tempdir().unwrap();
    let index = |limit: &str| {
        let file = out_dir.path().join(format!("{limit}.idx"));
        let out = support::onboard(&[
            "template",
            "index",
            dir.path().to_str().unwrap(),
            "--max-file-bytes",
            limit,
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        (out.stderr, std::fs::read(file).unwrap())
    };
    let (all, all_bytes) = index("16MiB");
    assert!(!all.contains("over --max-file-bytes"), "{all}");
    let (tiny, tiny_bytes) = index("1");
    assert!(
        tiny.contains("blobs over --max-file-bytes (1 bytes) were not read"),
        "{tiny}"
    );
    assert_ne!(
        all_bytes, tiny_bytes,
        "the left-out blobs have no lines in the index"
    );
}

fn data(name: &str) -> String {
    format!("@data/templates/files/{name}")
}

/// Files of template commit `n` (0-based), as the example template spec writes them.
fn template_files(n: usize) -> std::collections::BTreeMap<String, String> {
    let spec = template_spec();
    let mut files = std::collections::BTreeMap::new();
    for c in &spec.commits[..=n] {
        files.extend(c.files.clone());
        for d in &c.delete {
            files.remove(d);
        }
    }
    files
}

fn onboarding() -> std::collections::BTreeMap<String, String> {
    support::files(&[
        (
            ".onboarding.yml",
            "version: 1\ntemplate: tools/template.idx\n",
        ),
        ("tools/template.idx", "@data/templates/example.idx"),
    ])
}

fn facts(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["facts", dir.to_str().unwrap()];
    args.extend(extra);
    let out = support::onboard(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    v["template"].clone()
}

fn class(t: &Value, c: &str) -> (u64, u64) {
    (
        t["classes"][c]["files"].as_u64().unwrap(),
        t["classes"][c]["lines"].as_u64().unwrap(),
    )
}

/// A plugin with one file of every class.
fn every_class() -> RepoSpec {
    let mut files = onboarding();
    files.extend(support::files(&[
        ("Makefile", &data("Makefile.v2")),
        ("build/setup.mk", &data("setup.mk.v2")),
        ("server/lib/util.go", &data("util.go")),
        (
            "server/plugin.go",
            &format!(
                "{}\n// Added by the plugin.\nfunc extra() {{}}\n",
                data("plugin.go")
            ),
        ),
        (
            "server/mine.go",
            "package main\n\nfunc mine() int {\n\treturn 1\n}\n",
        ),
        ("webapp/package-lock.json", "{\"lockfileVersion\": 3}\n"),
        ("server/mocks/mock_api.go", "package mocks\n"),
        ("vendor/github.com/x/y/y.go", "package y\n"),
        ("server/testdata/a.json", "{}\n"),
        ("webapp/i18n/en.json", "{\"a\": \"b\"}\n"),
        ("assets/logo.png", "not really a png\n"),
        ("assets/data.bin.txt", "binary\u{0}content\n"),
    ]));
    RepoSpec {
        git: true,
        commits: vec![Commit {
            message: "plugin".into(),
            files,
            ..Commit::default()
        }],
        worktree: Commit::default(),
        shallow: false,
        remote: None,
    }
}

#[test]
fn every_class_is_counted() {
    let dir = support::repo(&every_class());
    let t = facts(dir.path(), &[]);
    assert_eq!(t["index"]["name"], "example-template");
    assert_eq!(t["index"]["source"], "tools/template.idx");
    assert_eq!(class(&t, "identical"), (2, 16 + 2));
    assert_eq!(class(&t, "moved"), (1, 12));
    // Two lines added to plugin.go: a comment and a function.
    assert_eq!(class(&t, "modified"), (1, 2));
    assert_eq!(class(&t, "own"), (2, 5 + 2));
    assert_eq!(class(&t, "lockfile"), (1, 1));
    assert_eq!(class(&t, "generated"), (1, 1));
    assert_eq!(class(&t, "vendored"), (1, 1));
    assert_eq!(class(&t, "fixture"), (1, 1));
    assert_eq!(class(&t, "i18n"), (1, 1));
    // logo.png by name, data.bin.txt by its NUL byte, the index file by its bytes.
    assert_eq!(class(&t, "binary"), (3, 0));
    assert_eq!(t["review_lines"], 5 + 2 + 2);
    assert_eq!(t["directories"]["server"], 7);
    assert_eq!(t["directories"]["."], 2);
    assert_eq!(t["origin"]["kind"], "independent");
    assert_eq!(t["origin"]["commit"], Value::Null);
    let largest = &t["largest"];
    assert_eq!(largest[0]["path"], "server/mine.go");
    // Ties in path order.
    assert_eq!(largest[1]["path"], ".onboarding.yml");
    assert_eq!(largest[2]["path"], "server/plugin.go");
    assert_eq!(largest[2]["class"], "modified");
    assert_eq!(largest[2]["template"]["path"], "server/plugin.go");
    assert_eq!(largest.as_array().unwrap().len(), 3);
}

fn commit(message: &str, files: std::collections::BTreeMap<String, String>) -> Commit {
    Commit {
        message: message.into(),
        files,
        ..Commit::default()
    }
}

fn spec(commits: Vec<Commit>) -> RepoSpec {
    RepoSpec {
        git: true,
        commits,
        worktree: Commit::default(),
        shallow: false,
        remote: None,
    }
}

/// The ids of the example template's commits, oldest first.
fn template_commits() -> Vec<String> {
    let dir = support::repo(&template_spec());
    let repo = git2::Repository::open(dir.path()).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    walk.set_sorting(git2::Sort::REVERSE | git2::Sort::TOPOLOGICAL)
        .unwrap();
    walk.map(|id| id.unwrap().to_string()).collect()
}

#[test]
fn origins() {
    let ids = template_commits();

    // The template's own first commit, then the plugin's work: a clone.
    let clone = support::repo(&spec(vec![
        commit("template: initial", template_files(0)),
        commit("plugin", onboarding()),
    ]));
    let o = facts(clone.path(), &[])["origin"].clone();
    assert_eq!(o["kind"], "clone", "{o}");
    assert_eq!(o["commit"], ids[0].as_str());
    assert_eq!(o["date"], "2026-01-01");

    // A first commit whose tree is the template's second commit's tree: a template copy.
    let copy = support::repo(&spec(vec![
        commit("Initial commit", template_files(1)),
        commit("plugin", onboarding()),
    ]));
    let o = facts(copy.path(), &[])["origin"].clone();
    assert_eq!(o["kind"], "template-copy", "{o}");
    assert_eq!(o["commit"], ids[1].as_str());
    assert_eq!(o["similarity"], 1.0);

    // Ten of the newest template's eleven files and one of its own: 10 / 12 similar.
    let mut files = template_files(2);
    files.remove("README.md");
    files.insert("README.md".into(), "# Mine\n".into());
    let partial = support::repo(&spec(vec![
        commit("Initial commit", files),
        commit("plugin", onboarding()),
    ]));
    let o = facts(partial.path(), &[])["origin"].clone();
    assert_eq!(o["kind"], "partial-copy", "{o}");
    assert_eq!(o["commit"], ids[2].as_str());
    assert_eq!(o["similarity"], 0.833);

    // No git: no history to compare.
    let mut plain = every_class();
    plain.git = false;
    let dir = support::repo(&plain);
    let t = facts(dir.path(), &[]);
    assert_eq!(t["origin"]["kind"], "unknown");
    let detail = t["origin"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("is not the root of a git repository")
            && detail.contains("there is no history to compare with the template"),
        "{detail}"
    );
    // Classification works on plain files too, by hashing them.
    assert_eq!(class(&t, "identical"), (2, 18));
    assert_eq!(class(&t, "modified"), (1, 2));
}

#[test]
fn dirty_and_untracked_files_are_hashed_and_revisions_read_from_git() {
    let mut s = every_class();
    s.commits.push(commit(
        "newer Makefile",
        support::files(&[("Makefile", &data("Makefile.v3"))]),
    ));
    s.worktree.files = support::files(&[
        ("Makefile", &data("Makefile.v1")),
        ("server/new.go", "package main\n"),
    ]);
    let dir = support::repo(&s);
    // The working tree: the Makefile changed back to the first version (9 lines), hashed;
    // the untracked file is own.
    let t = facts(dir.path(), &[]);
    assert_eq!(class(&t, "identical"), (2, 9 + 2));
    assert_eq!(class(&t, "own"), (3, 5 + 2 + 1));
    // HEAD: the newest Makefile (24 lines), from git objects.
    let head = facts(dir.path(), &["--rev", "HEAD"]);
    assert_eq!(class(&head, "identical"), (2, 24 + 2));
    assert_eq!(class(&head, "own"), (2, 7));
    let older = facts(dir.path(), &["--rev", "HEAD~1"]);
    assert_eq!(class(&older, "identical"), (2, 16 + 2));
}

#[test]
fn index_paths_outside_the_repository_are_refused() {
    for (named, says) in [
        ("../outside.idx", "`../outside.idx` leaves the repository"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("nothing-here.idx", "neither a shipped index"),
        ("README.md", "not a usable index"),
    ] {
        let dir = support::one_commit_repo(support::files(&[
            (
                ".onboarding.yml",
                &format!("version: 1\ntemplate: {named}\n"),
            ),
            ("README.md", "# x\n"),
        ]));
        let t = facts(dir.path(), &[]);
        let error = t["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{named}: {error}");
        assert_eq!(t["review_lines"], 0);
    }
}

/// Every file outside `.git`, byte for byte, and git's index.
fn worktree_and_index(
    root: &Path,
) -> (
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    Vec<u8>,
) {
    let mut all = support::snapshot_tree(root);
    all.retain(|p, _| !p.starts_with(".git"));
    (all, std::fs::read(root.join(".git/index")).unwrap())
}

fn git(root: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn review_diff_prints_and_writes_a_branch_of_exactly_the_review_lines() {
    let mut s = every_class();
    // A second own file, in another directory.
    s.commits[0]
        .files
        .insert("webapp/src/index.js".into(), "export default 1;\n".into());
    let dir = support::repo(&s);
    let root = dir.path().to_str().unwrap();
    let review_lines = facts(dir.path(), &[])["review_lines"].as_u64().unwrap();
    assert_eq!(review_lines, 10);

    let stat = support::onboard(&["review-diff", root, "--format", "stat"]);
    assert_eq!(stat.code, 0, "{}", stat.stderr);
    assert_eq!(
        stat.stdout,
        "      2  own       .onboarding.yml\n      5  own       server/mine.go\n      2  modified  server/plugin.go\n      1  own       webapp/src/index.js\n4 files, 10 review lines (3 own files, 1 modified template files)\n"
    );
    let patch = support::onboard(&["review-diff", root]);
    assert_eq!(patch.code, 0, "{}", patch.stderr);
    assert!(patch.stdout.contains("diff --git a/server/mine.go b/server/mine.go\nnew file mode 100644\n--- /dev/null\n+++ b/server/mine.go\n@@ -0,0 +1,5 @@\n+package main\n"), "{}", patch.stdout);
    assert!(patch
        .stdout
        .contains("--- a/server/plugin.go\n+++ b/server/plugin.go\n"));
    assert!(patch
        .stdout
        .contains("+// Added by the plugin.\n+func extra() {}\n"));
    assert!(!patch.stdout.contains("Makefile") && !patch.stdout.contains("package-lock"));
    let added = patch
        .stdout
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .count();
    assert_eq!(added as u64, review_lines);
    assert!(!patch
        .stdout
        .lines()
        .any(|l| l.starts_with('-') && !l.starts_with("---")));

    let before = worktree_and_index(dir.path());
    let head = git(dir.path(), &["rev-parse", "HEAD"]);
    let out = support::onboard(&["review-diff", root, "--branch", "review"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("branch review: base "),
        "{}",
        out.stdout
    );
    assert_eq!(
        before,
        worktree_and_index(dir.path()),
        "working tree and index untouched"
    );
    assert_eq!(
        git(dir.path(), &["rev-parse", "HEAD"]),
        head,
        "HEAD untouched"
    );
    assert_eq!(
        git(dir.path(), &["symbolic-ref", "HEAD"]),
        "refs/heads/master\n"
    );

    // Plain `git diff`: exactly the own files and the lines added to modified files.
    let numstat = git(dir.path(), &["diff", "--numstat", "review~1", "review"]);
    assert_eq!(
        numstat,
        "2\t0\t.onboarding.yml\n5\t0\tserver/mine.go\n2\t0\tserver/plugin.go\n1\t0\twebapp/src/index.js\n"
    );
    let shortstat = git(dir.path(), &["diff", "--shortstat", "review~1", "review"]);
    assert_eq!(shortstat, " 4 files changed, 10 insertions(+)\n");
    // The head is the plugin's tree; the base has no parent.
    assert_eq!(
        git(dir.path(), &["rev-parse", "review^{tree}"]),
        git(dir.path(), &["rev-parse", "HEAD^{tree}"])
    );
    assert_eq!(git(dir.path(), &["rev-list", "--count", "review"]), "2\n");

    // An existing branch is kept unless --force; the checked-out branch never moves.
    let again = support::onboard(&["review-diff", root, "--branch", "review"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("exists"), "{}", again.stderr);
    let forced = support::onboard(&["review-diff", root, "--branch", "review", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let master = support::onboard(&["review-diff", root, "--branch", "master", "--force"]);
    assert_eq!(master.code, 2);
    assert!(master.stderr.contains("HEAD"), "{}", master.stderr);
    let bad = support::onboard(&["review-diff", root, "--branch", "a..b"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("not a valid branch name"),
        "{}",
        bad.stderr
    );

    // No git: printing works, a branch cannot be written.
    let mut plain = every_class();
    plain.git = false;
    let dir = support::repo(&plain);
    let root = dir.path().to_str().unwrap();
    let out = support::onboard(&["review-diff", root, "--format", "stat"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .ends_with("3 files, 9 review lines (2 own files, 1 modified template files)\n"),
        "{}",
        out.stdout
    );
    let out = support::onboard(&["review-diff", root, "--branch", "x"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("git"), "{}", out.stderr);
}

const BUILD_INDEX: &str = "tests/data/templates/build-template.idx";

/// Indexes the template whose build writes the manifest (tests/data/templates/build-template.yml).
fn index_build_template() -> Vec<u8> {
    let text = std::fs::read_to_string("tests/data/templates/build-template.yml").unwrap();
    let spec: RepoSpec =
        serde_json::from_value(onboard::yaml::parse(&text).unwrap().to_json()).unwrap();
    let dir = support::repo(&spec);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("build-template.idx");
    let run = support::onboard(&[
        "template",
        "index",
        dir.path().to_str().unwrap(),
        "--name",
        "build-template",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read(out).unwrap()
}

#[test]
fn build_template_index_is_current() {
    let bytes = index_build_template();
    let index = onboard::template::TemplateIndex::from_bytes(&bytes).unwrap();
    let tool = &index.paths[index.path("build/manifest/main.go").unwrap()];
    assert_eq!(
        tool.versions.len(),
        2,
        "the tool before and after it filled fields"
    );
    if std::fs::read(BUILD_INDEX).ok().as_deref() != Some(&bytes[..]) {
        if std::env::var_os("ONBOARD_BLESS").is_some() {
            std::fs::write(BUILD_INDEX, &bytes).unwrap();
        } else {
            panic!("`{BUILD_INDEX}` is stale: run `ONBOARD_BLESS=1 cargo test --test template`");
        }
    }
}
