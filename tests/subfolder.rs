//! A plugin in a folder of a larger repository (a monorepo): read from that repository, with
//! the folder as a prefix, and every path printed as the repository names it.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::{Commit, RepoSpec};

const PLUGIN_JSON: &str = "{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\"\n}\n";

/// The files of a plugin under `dir` (`plugins/foo/`): its review is recorded at the tag
/// `v0.1.0`. Its CI is the repository root's ([`monorepo`]).
fn plugin_files(dir: &str) -> BTreeMap<String, String> {
    [
        (".onboarding.yml", support::REVIEWED),
        ("plugin.json", PLUGIN_JSON),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Hello\n"),
        support::PLUGIN_CODE,
    ]
    .iter()
    .map(|(p, t)| (format!("{dir}{p}"), t.to_string()))
    .collect()
}

/// A repository holding the plugin at `dir`, with the workflow that builds it at its root:
/// the plugin passes the default gate.
fn monorepo(dir: &str) -> BTreeMap<String, String> {
    let mut files = plugin_files(dir);
    files.insert(support::CI_WORKFLOW.0.into(), support::CI_WORKFLOW.1.into());
    files
}

fn run_in(dir: &Path, args: &[&str]) -> support::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_onboard"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1")
        .output()
        .expect("onboard runs");
    support::Output {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

fn json(out: &support::Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr))
}

/// The item `id` of the gate `gate` in status JSON.
fn item<'a>(status: &'a Value, gate: &str, id: &str) -> &'a Value {
    status["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == gate)
        .and_then(|g| {
            g["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == id)
        })
        .unwrap_or_else(|| panic!("{gate}/{id}"))
}

/// Every `location.path` in a JSON value.
fn paths(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(p)) = m.get("location").and_then(|l| l.get("path")) {
                out.push(p.clone());
            }
            m.values().for_each(|v| paths(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| paths(v, out)),
        _ => {}
    }
}

fn rules(lint: &Value) -> Vec<String> {
    lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_folder_the_repository_tracks_is_read_from_the_repository() {
    let mut files = monorepo("plugins/foo/");
    files.insert("README.md".into(), "# Many plugins\n".into());
    files.insert(".gitignore".into(), "*.log\n".into());
    let repo = support::one_commit_repo(files);
    let at = repo.path();
    // Untracked files of the folder are its files unless an ignore file above it ignores them.
    std::fs::write(at.join("plugins/foo/notes.md"), "notes\n").unwrap();
    std::fs::write(at.join("plugins/foo/debug.log"), "log\n").unwrap();

    let facts = json(&run_in(at, &["facts", "plugins/foo"]));
    let repository = &facts["repository"];
    assert_eq!(repository["git"], true, "{repository}");
    assert_eq!(repository["subfolder"], "plugins/foo");
    assert_eq!(repository["git_unavailable"], Value::Null);
    // Paths inside facts stay the plugin's own.
    // The plugin's README, not the repository's; the files are the folder's.
    assert_eq!(facts["files"]["readmes"], serde_json::json!(["README.md"]));
    assert_eq!(facts["files"]["licence_files"][0]["path"], "LICENSE");
    assert_eq!(facts["files"]["count"], 6, "{}", facts["files"]);

    // Lint: the review at the repository's tag is verified, the release is the tag.
    let lint = json(&run_in(at, &["lint", "plugins/foo", "--format", "json"]));
    let found = rules(&lint);
    for absent in [
        "git-unavailable",
        "missing-basic-review",
        "missing-release-tag",
    ] {
        assert!(!found.iter().any(|r| r == absent), "{absent}: {found:?}");
    }

    // Status, JSON: verdicts from git, and every path from the repository's root.
    for dir in [at.to_path_buf(), at.join("plugins/foo/server")] {
        let args: &[&str] = match dir == at {
            true => &["status", "plugins/foo", "--format", "json"],
            false => &["status", "--format", "json"],
        };
        let status = json(&run_in(&dir, args));
        assert_eq!(
            item(&status, "ci-extensions", "basic-review")["state"],
            "pass"
        );
        assert_eq!(
            item(&status, "ci-extensions-release", "release")["state"],
            "pass"
        );
        let mut found = Vec::new();
        paths(&status, &mut found);
        assert!(!found.is_empty());
        // The plugin's files, and the root's workflow that builds it.
        for p in &found {
            assert!(
                p.starts_with("plugins/foo/") || p == ".github/workflows/ci.yml",
                "{p}"
            );
        }
    }

    // Status, human and markdown: the same paths.
    let human = run_in(at, &["status", "plugins/foo"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human.stdout.contains("(plugins/foo/"), "{}", human.stdout);
    assert!(
        !human.stdout.contains("git-unavailable"),
        "{}",
        human.stdout
    );
    let markdown = run_in(at, &["status", "plugins/foo", "--format", "markdown"]);
    assert!(
        markdown.stdout.contains("plugins/foo/"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn history_and_revisions_are_the_folders() {
    let repo = support::repo(&RepoSpec {
        git: true,
        commits: vec![
            Commit {
                message: "the repository before the plugin".into(),
                files: support::files(&[("README.md", "# Many plugins\n")]),
                tags: vec!["v0.0.1".into()],
                ..Commit::default()
            },
            Commit {
                message: "the plugin".into(),
                files: monorepo("plugins/foo/"),
                tags: vec!["v0.1.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "a change elsewhere".into(),
                files: support::files(&[("other/main.go", "package main\n")]),
                ..Commit::default()
            },
        ],
        ..RepoSpec::default()
    });
    let at = repo.path();

    // A change outside the folder is not a change of the plugin since its review.
    let lint = json(&run_in(at, &["lint", "plugins/foo", "--format", "json"]));
    let found = rules(&lint);
    assert!(
        !found.iter().any(|r| r == "missing-basic-review"),
        "{found:?}"
    );
    let facts = json(&run_in(at, &["facts", "plugins/foo"]));
    let records = facts["records"]["records"].as_array().unwrap();
    assert_eq!(records[0]["state"], "verified", "{records:?}");
    assert_eq!(records[0]["changed_since"], Value::Array(vec![]));

    // `--rev`: the folder's tree at that commit.
    let out = run_in(at, &["facts", "plugins/foo", "--rev", "v0.1.0"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let facts = json(&out);
    assert_eq!(facts["repository"]["source"], "revision");
    assert_eq!(facts["repository"]["subfolder"], "plugins/foo");
    let out = run_in(
        at,
        &["lint", "plugins/foo", "--rev", "v0.1.0", "--format", "json"],
    );
    let found = rules(&json(&out));
    assert!(
        !found.iter().any(|r| r == "missing-plugin-manifest"),
        "{found:?}"
    );
    // At a commit without the folder: a clear refusal.
    let out = run_in(at, &["lint", "plugins/foo", "--rev", "v0.0.1"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("has no folder `plugins/foo`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_folder_the_repository_does_not_track_is_a_plain_folder() {
    let mut files = support::files(&[
        ("README.md", "# Many plugins\n"),
        (".gitignore", "vendor/\n"),
    ]);
    files.extend(plugin_files("plugins/foo/"));
    let repo = support::one_commit_repo(files);
    let at = repo.path();
    // Untracked, and ignored.
    for (dir, path) in [
        ("downloads/bar/", "downloads/bar"),
        ("vendor/bar/", "vendor/bar"),
    ] {
        for (p, text) in plugin_files(dir) {
            let file = at.join(&p);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, support::contents(&text)).unwrap();
        }
        let facts = json(&run_in(at, &["facts", path]));
        let repository = &facts["repository"];
        assert_eq!(repository["git"], false, "{repository}");
        assert_eq!(repository["subfolder"], Value::Null);
        let why = repository["git_unavailable"].as_str().unwrap();
        assert!(why.contains("tracks no file in it"), "{why}");
        // Paths are still printed from the work tree's root.
        let status = json(&run_in(at, &["status", path, "--format", "json"]));
        let mut found = Vec::new();
        paths(&status, &mut found);
        for p in &found {
            assert!(p.starts_with(dir), "{p}");
        }
    }
}

#[test]
fn record_and_init_act_on_the_plugin_found_from_a_subfolder() {
    let mut files = support::files(&[
        ("README.md", "# Many plugins\n"),
        ("plugins/bar/plugin.json", PLUGIN_JSON),
        ("plugins/bar/server/bar.go", "package main\n"),
    ]);
    files.extend(monorepo("plugins/foo/"));
    let repo = support::repo(&RepoSpec {
        git: true,
        commits: vec![Commit {
            message: "initial".into(),
            files,
            tags: vec!["v0.1.0".into()],
            ..Commit::default()
        }],
        remote: Some("https://github.com/example/mono.git".into()),
        ..RepoSpec::default()
    });
    let at = repo.path();

    let out = run_in(
        &at.join("plugins/foo/server"),
        &[
            "record",
            "review",
            "--kind",
            "basic",
            "--by",
            "bob",
            "--date",
            "2026-01-02",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = std::fs::read_to_string(at.join("plugins/foo/.onboarding.yml")).unwrap();
    assert!(written.contains("by: bob"), "{written}");
    assert!(!at.join(".onboarding.yml").exists());
    assert!(!at.join("plugins/foo/server/.onboarding.yml").exists());

    let out = run_in(&at.join("plugins/bar/server"), &["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let written = std::fs::read_to_string(at.join("plugins/bar/.onboarding.yml")).unwrap();
    // The build runs of the repository root's workflow.
    assert!(
        written.contains("https://github.com/example/mono/actions/workflows/ci.yml"),
        "{written}"
    );
    assert!(!at.join(".onboarding.yml").exists());
    assert!(!at.join("plugins/bar/server/.onboarding.yml").exists());
}

#[test]
fn ci_of_a_folder_is_the_workflows_of_the_repository_root() {
    // GitHub runs only the root's workflows.
    let files = monorepo("plugins/foo/");
    let repo = support::repo(&RepoSpec {
        git: true,
        commits: vec![Commit {
            message: "initial".into(),
            files,
            // A link among the root's workflows is not followed out of the repository.
            symlinks: [(".github/workflows/linked.yml".into(), "/etc/passwd".into())].into(),
            tags: vec!["v0.1.0".into()],
            ..Commit::default()
        }],
        ..RepoSpec::default()
    });
    let at = repo.path();
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let mut args = vec!["facts", "plugins/foo"];
        args.extend_from_slice(extra);
        let facts = json(&run_in(at, &args));
        let ci: Vec<&str> = facts["ci"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(ci, ["../../.github/workflows/ci.yml"], "{extra:?}");
        assert_eq!(facts["ci"]["builds_master"], true);
        assert_eq!(facts["ci"]["builds_releases"], true);

        let mut args = vec!["status", "plugins/foo", "--format", "json"];
        args.extend_from_slice(extra);
        let status = json(&run_in(at, &args));
        let master = item(&status, "ci-extensions", "ci-master");
        assert_eq!(master["state"], "pass", "{master}");
        let mut found = Vec::new();
        paths(master, &mut found);
        assert!(
            found.iter().any(|p| p == ".github/workflows/ci.yml"),
            "{found:?}"
        );
        for p in &found {
            assert!(
                p == ".github/workflows/ci.yml" || p.starts_with("plugins/foo/"),
                "{p}"
            );
        }
    }
}

#[test]
fn a_folder_with_workflows_of_its_own_is_a_plugin_whose_repository_is_elsewhere() {
    // A sample or a vendored copy: the folder is laid out as a repository of its own, and this
    // repository's review records, tags and workflows are not the plugin's.
    let mut files = monorepo("examples/hello/");
    files.insert(
        format!("examples/hello/{}", support::CI_WORKFLOW.0),
        support::CI_WORKFLOW.1.into(),
    );
    let repo = support::repo(&RepoSpec {
        git: true,
        commits: vec![Commit {
            message: "initial".into(),
            files,
            tags: vec!["v0.1.0".into()],
            ..Commit::default()
        }],
        ..RepoSpec::default()
    });
    let at = repo.path();
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let mut args = vec!["facts", "examples/hello"];
        args.extend_from_slice(extra);
        let out = run_in(at, &args);
        if !extra.is_empty() {
            // A revision needs git, and the folder is not read from this repository.
            assert_eq!(out.code, 2, "{}", out.stderr);
            continue;
        }
        let facts = json(&out);
        let repository = &facts["repository"];
        assert_eq!(repository["git"], false, "{repository}");
        assert_eq!(repository["subfolder"], Value::Null);
        let why = repository["git_unavailable"].as_str().unwrap();
        assert!(why.contains("CI workflows of its own"), "{why}");
        // Its CI is its own workflow, not the repository root's.
        let ci: Vec<&str> = facts["ci"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(ci, [".github/workflows/ci.yml"]);
    }
}
