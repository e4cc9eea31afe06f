//! `onboard init`: the file it writes round-trips through `lint` with no configuration
//! problem, it refuses to replace a file without `--force`, and it writes nothing else.

mod support;

use std::path::Path;

fn plugin() -> tempfile::TempDir {
    let dir = support::one_commit_repo(support::files(&[
        (
            "plugin.json",
            r#"{"id": "com.mattermost.hello", "name": "Hello"}"#,
        ),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Hello\n"),
        support::CI_WORKFLOW,
    ]));
    let repo = git2::Repository::open(dir.path()).unwrap();
    repo.remote(
        "origin",
        "git@github.com:mattermost/mattermost-plugin-hello.git",
    )
    .unwrap();
    dir
}

fn onboarding(root: &Path) -> String {
    std::fs::read_to_string(root.join(".onboarding.yml")).unwrap()
}

#[test]
fn init_writes_a_file_that_lints_without_configuration_problems() {
    let dir = plugin();
    let root = dir.path().to_str().unwrap();
    let mut before = support::snapshot_tree(dir.path());

    let out = support::onboard(&["init", root]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = onboarding(dir.path());
    assert!(
        text.starts_with("# yaml-language-server: $schema=https://"),
        "{text}"
    );
    assert!(
        text.contains("\nlicence: \"MIT\"  # detected in LICENSE\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "\nowner: mattermost  # guessed from the remote origin on github.com/mattermost/;"
        ),
        "{text}"
    );
    // The build URLs come from the remote and the workflow that builds master, read, never
    // contacted.
    assert!(
        text.contains("\nci:\n  master_build_url: \"https://github.com/mattermost/mattermost-plugin-hello/actions/workflows/ci.yml?query=branch%3Amaster\"  # runs of .github/workflows/ci.yml on master\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  release_build_url: \"https://github.com/mattermost/mattermost-plugin-hello/releases\"  # .github/workflows/ci.yml builds releases\n"),
        "{text}"
    );
    assert!(
        text.contains("\nreviews: []\n#  - { kind: basic,"),
        "commented examples: {text}"
    );

    // Nothing but the new file changed.
    let mut after = support::snapshot_tree(dir.path());
    after.remove(Path::new(".onboarding.yml"));
    before.retain(|p, _| !p.starts_with(".git"));
    after.retain(|p, _| !p.starts_with(".git"));
    assert_eq!(before, after);

    // Round trip: lint reads it with no configuration problem; what is still missing is
    // reported by the rules (the review), and the build URLs pass.
    let lint = support::onboard(&["lint", root, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&lint.stdout).unwrap();
    assert_ne!(lint.code, 2, "{}", lint.stdout);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["code"].as_str().unwrap().starts_with("OB0")),
        "no configuration finding: {rules:?}"
    );
    assert!(!rules.iter().any(|r| r.contains("build-url")), "{rules:?}");
    assert!(rules.contains(&"missing-basic-review"), "{rules:?}");
    let release = support::onboard(&[
        "lint",
        root,
        "--gate",
        "ci-extensions-release",
        "--format",
        "json",
    ]);
    assert!(!release.stdout.contains("build-url"), "{}", release.stdout);
    for gate in ["ci-extensions-release", "community", "marketplace"] {
        let lint = support::onboard(&["lint", root, "--gate", gate]);
        assert_ne!(lint.code, 2, "{gate}: {}", lint.stdout);
    }
}

#[test]
fn without_a_github_remote_the_build_urls_stay_comments_that_say_why() {
    let dir = support::one_commit_repo(support::files(&[
        (
            "plugin.json",
            r#"{"id": "com.example.hello", "name": "Hello"}"#,
        ),
        support::CI_WORKFLOW,
    ]));
    let root = dir.path().to_str().unwrap();
    let out = support::onboard(&["init", root, "--stdout"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("\n# ci:\n#   master_build_url: https://...  # no `origin` remote to tell the repository's address: where the build can be downloaded\n"),
        "{}",
        out.stdout
    );

    let repo = git2::Repository::open(dir.path()).unwrap();
    repo.remote("origin", "https://user:s3cret@gitlab.com/example/hello.git")
        .unwrap();
    let out = support::onboard(&["init", root]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = onboarding(dir.path());
    assert!(
        text.contains(
            "#   release_build_url: https://...  # the remote origin is on gitlab.com, not on GitHub"
        ),
        "{text}"
    );
    // The remote's URL, which can carry credentials, is never written.
    assert!(
        !text.contains("s3cret") && !text.contains("example/hello.git"),
        "{text}"
    );
    // Not a placeholder passing for a value: the rule says it is missing.
    let lint = support::onboard(&["lint", root, "--format", "json"]);
    assert!(
        lint.stdout.contains("\"missing-master-build-url\""),
        "{}",
        lint.stdout
    );
}

#[test]
fn init_refuses_to_replace_a_file_without_force() {
    let dir = plugin();
    let root = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join(".onboarding.yml"), "version: 1\n# mine\n").unwrap();

    let out = support::onboard(&["init", root]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("exists; `onboard init --force` replaces it"),
        "{}",
        out.stderr
    );
    assert_eq!(onboarding(dir.path()), "version: 1\n# mine\n");

    let printed = support::onboard(&["init", root, "--stdout"]);
    assert_eq!(printed.code, 0);
    assert!(printed.stdout.starts_with("# yaml-language-server:"));
    assert_eq!(
        onboarding(dir.path()),
        "version: 1\n# mine\n",
        "--stdout writes nothing"
    );

    let forced = support::onboard(&["init", root, "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(onboarding(dir.path()), printed.stdout);
}

#[test]
fn init_refuses_a_bare_repository() {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init_bare(dir.path()).unwrap();
    let out = support::onboard(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bare repository"), "{}", out.stderr);
    assert!(!dir.path().join(".onboarding.yml").exists());
}

#[test]
fn init_takes_the_licence_from_the_root_licence_not_a_carve_outs_file() {
    // The shape of Mattermost's plugins with enterprise code (calls, jira, playbooks): a root
    // `LICENSE.enterprise` link into the carved-out directory sorts before `LICENSE.txt`.
    let mut commit = support::Commit {
        message: "initial".into(),
        files: support::files(&[
            (
                "plugin.json",
                r#"{"id": "com.mattermost.hello", "name": "Hello"}"#,
            ),
            ("LICENSE.txt", "@data/licences/MIT.txt"),
            (
                "server/enterprise/LICENSE",
                "@data/licences/Source-Available.txt",
            ),
            ("README.md", "# Hello\n"),
        ]),
        ..support::Commit::default()
    };
    commit.symlinks.insert(
        "LICENSE.enterprise".into(),
        "./server/enterprise/LICENSE".into(),
    );
    let dir = support::repo(&support::RepoSpec {
        git: true,
        commits: vec![commit],
        worktree: support::Commit::default(),
        shallow: false,
        remote: None,
    });
    let out = support::onboard(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = onboarding(dir.path());
    assert!(
        text.contains("\nlicence: \"MIT\"  # detected in LICENSE.txt\n"),
        "{text}"
    );
    assert!(!text.contains("LICENSE.enterprise"), "{text}");
}
