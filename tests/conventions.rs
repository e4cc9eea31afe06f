//! The command line's conventions and where it runs: colour (`--color`, `NO_COLOR`,
//! `FORCE_COLOR`, `CLICOLOR_FORCE`, `TERM=dumb`), shell completions, `--quiet`, `--no-summary`,
//! the pre-commit mode (`--hook`), root discovery from a subdirectory, paths relative to the git
//! root, and the `version` of every JSON output.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::{Commit, RepoSpec};

const PLUGIN_JSON: &str = "{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\"\n}\n";
/// A manifest whose id is too short: `invalid-plugin-id` (deny) on line 2.
const BAD_ID: &str = "{\n  \"id\": \"x\",\n  \"name\": \"Hello\"\n}\n";

/// The files of a plugin that passes the default gate, under `dir` (`""` or `plugins/foo/`).
fn plugin_files(dir: &str, manifest: &str) -> BTreeMap<String, String> {
    [
        (".onboarding.yml", support::REVIEWED),
        ("plugin.json", manifest),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Hello\n"),
        support::CI_WORKFLOW,
        support::PLUGIN_CODE,
    ]
    .iter()
    .map(|(p, t)| (format!("{dir}{p}"), t.to_string()))
    .collect()
}

/// Runs the binary in `dir` with exactly the colour variables of `env` (the others removed).
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> support::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onboard"));
    cmd.args(args).current_dir(dir);
    for v in [
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "GITHUB_STEP_SUMMARY",
    ] {
        cmd.env_remove(v);
    }
    let out = cmd
        .envs(env.iter().copied())
        .output()
        .expect("onboard runs");
    support::Output {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

fn has_colour(s: &str) -> bool {
    s.contains("\u{1b}[")
}

#[test]
fn colour_follows_the_flag_then_the_environment() {
    let repo = support::one_commit_repo(plugin_files("", BAD_ID));
    let at = repo.path();
    let lint = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["lint"];
        args.extend_from_slice(extra);
        let out = run_in(at, &args, env);
        assert_eq!(out.code, 1, "{}", out.stderr);
        has_colour(&out.stdout)
    };
    // Standard output is a pipe here: no colour unless something forces it.
    assert!(!lint(&[], &[]));
    assert!(lint(&["--color", "always"], &[]));
    assert!(
        lint(&["--color=always"], &[("NO_COLOR", "1")]),
        "the flag wins"
    );
    assert!(!lint(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(lint(&[], &[("FORCE_COLOR", "1")]));
    assert!(lint(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!lint(&[], &[("CLICOLOR_FORCE", "0")]), "0 does not force");
    assert!(!lint(&[], &[("FORCE_COLOR", "")]), "empty is unset");
    assert!(
        !lint(&[], &[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]),
        "NO_COLOR before FORCE_COLOR"
    );
    assert!(
        lint(&[], &[("FORCE_COLOR", "1"), ("TERM", "dumb")]),
        "forcing before TERM=dumb"
    );
    // `--color` is global: every command takes it, before or after the subcommand.
    let out = run_in(at, &["--color", "never", "status"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run_in(at, &["status", "--color", "always"], &[]);
    assert!(has_colour(&out.stdout), "{}", out.stdout);
    // clap's own errors follow it too.
    let out = run_in(at, &["--color", "always", "lint", "--nope"], &[]);
    assert_eq!(out.code, 2);
    assert!(has_colour(&out.stderr), "{}", out.stderr);
    let out = run_in(at, &["--color", "never", "lint", "--nope"], &[]);
    assert!(!has_colour(&out.stderr), "{}", out.stderr);
}

#[test]
fn colour_rules_in_process() {
    use onboard::report::human::{colour_wanted, Colour};
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| std::ffi::OsString::from(v))
        }
    };
    assert!(colour_wanted(Colour::Auto, &env(&[]), true));
    assert!(!colour_wanted(Colour::Auto, &env(&[]), false));
    assert!(!colour_wanted(
        Colour::Auto,
        &env(&[("TERM", "dumb")]),
        true
    ));
    assert!(!colour_wanted(
        Colour::Auto,
        &env(&[("NO_COLOR", "x")]),
        true
    ));
    assert!(colour_wanted(Colour::Auto, &env(&[("NO_COLOR", "")]), true));
    assert!(colour_wanted(
        Colour::Always,
        &env(&[("NO_COLOR", "1")]),
        false
    ));
    assert!(!colour_wanted(
        Colour::Never,
        &env(&[("FORCE_COLOR", "1")]),
        true
    ));
}

fn completions(shell: &str) -> String {
    let out = support::onboard(&["completions", shell]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.len() > 1000, "{shell}: {}", out.stdout);
    out.stdout
}

fn shell_present(name: &str) -> bool {
    Command::new(name)
        .args(["-c", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Checks a script with `shell -n` (parse only, nothing runs).
fn parses_with(shell: &str, script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("completion");
    std::fs::write(&file, script).unwrap();
    let flag = if shell == "fish" {
        "--no-execute"
    } else {
        "-n"
    };
    let out = Command::new(shell).arg(flag).arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{shell} rejects the script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    let bash = completions("bash");
    assert!(bash.contains("_onboard()"), "{bash}");
    assert!(bash.contains("complete -F _onboard"), "{bash}");
    // Every subcommand and the global flag are offered.
    for word in [
        "lint",
        "status",
        "explain",
        "completions",
        "--color",
        "--hook",
    ] {
        assert!(bash.contains(word), "bash: {word}");
    }
    parses_with("bash", &bash);

    let zsh = completions("zsh");
    assert!(zsh.starts_with("#compdef onboard"), "{zsh}");
    assert!(zsh.contains("_onboard()"), "{zsh}");
    if shell_present("zsh") {
        parses_with("zsh", &zsh);
    }

    let fish = completions("fish");
    assert!(
        fish.lines()
            .any(|l| l.starts_with("complete -c onboard ") && l.contains("-a \"lint\"")),
        "{fish}"
    );
    if shell_present("fish") {
        parses_with("fish", &fish);
    }

    let out = support::onboard(&["completions", "tcsh"]);
    assert_eq!(out.code, 2, "an unknown shell is a usage error");
}

#[test]
fn quiet_prints_only_what_fails() {
    // A warning only: a manifest key the server does not know (`unknown-manifest-key`).
    let mut files = plugin_files("", PLUGIN_JSON);
    files.insert(
        "plugin.json".into(),
        "{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\",\n  \"colour\": 1\n}\n".into(),
    );
    let warned = support::one_commit_repo(files);
    let p = warned.path().to_str().unwrap();
    let loud = support::onboard(&["lint", p]);
    assert_eq!(loud.code, 0, "{}", loud.stdout);
    assert!(loud.stdout.contains("OB109"), "{}", loud.stdout);
    let quiet = support::onboard(&["lint", p, "--quiet"]);
    assert_eq!(quiet.code, 0);
    assert_eq!(quiet.stdout, "", "a passing run prints nothing");
    let quiet = support::onboard(&["lint", p, "-q", "--format", "github"]);
    assert_eq!(quiet.stdout, "");
    // JSON stays a complete document.
    let json = support::onboard(&["lint", p, "-q", "--format", "json"]);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["summary"]["warnings"], 1);

    // A failing run: the error and the summary line, not the warning.
    let mut files = plugin_files("", BAD_ID);
    files.insert(
        "plugin.json".into(),
        "{\n  \"id\": \"x\",\n  \"name\": \"Hello\",\n  \"colour\": 1\n}\n".into(),
    );
    let failing = support::one_commit_repo(files);
    let p = failing.path().to_str().unwrap();
    let quiet = support::onboard(&["lint", p, "--quiet"]);
    assert_eq!(quiet.code, 1);
    assert!(quiet.stdout.contains("OB103"), "{}", quiet.stdout);
    assert!(!quiet.stdout.contains("OB109"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("1 error"), "{}", quiet.stdout);
    let quiet = support::onboard(&["lint", p, "--quiet", "--format", "github"]);
    let lines: Vec<&str> = quiet.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", quiet.stdout);
    assert!(lines[0].starts_with("::error "), "{}", quiet.stdout);
    assert!(lines[0].contains("OB103"), "{}", quiet.stdout);
    assert_eq!(lines[1], "onboard: gate ci-extensions: 1 error, 0 warnings");
}

#[test]
fn no_summary_writes_no_job_summary() {
    let repo = support::one_commit_repo(plugin_files("", BAD_ID));
    let p = repo.path().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let s = summary.to_str().unwrap();
    let out = support::onboard_with_env(&["lint", p], &[("GITHUB_STEP_SUMMARY", s)]);
    assert_eq!(out.code, 1);
    assert!(std::fs::read_to_string(&summary).unwrap().contains("OB103"));
    std::fs::remove_file(&summary).unwrap();
    let out =
        support::onboard_with_env(&["lint", p, "--no-summary"], &[("GITHUB_STEP_SUMMARY", s)]);
    assert_eq!(out.code, 1);
    assert!(
        !summary.exists(),
        "--no-summary wrote {}",
        summary.display()
    );
    // With an explicit file it is a contradiction, said as such.
    let out = support::onboard(&["lint", p, "--no-summary", "--summary", s]);
    assert_eq!(out.code, 2);
}

/// A plugin whose basic review is at `v0.1.0`, and a production change committed after it: the
/// review is stale.
fn stale_review(manifest: &str) -> tempfile::TempDir {
    support::repo(&RepoSpec {
        git: true,
        commits: vec![
            Commit {
                message: "initial".into(),
                files: plugin_files("", PLUGIN_JSON),
                tags: vec!["v0.1.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "a production change".into(),
                files: support::files(&[
                    (
                        "server/more.go",
                        "package main\n\n// more does more.\nfunc more() int {\n\treturn 2\n}\n",
                    ),
                    ("plugin.json", manifest),
                ]),
                ..Commit::default()
            },
        ],
        ..RepoSpec::default()
    })
}

#[test]
fn hook_fails_only_on_what_a_commit_can_fix() {
    let repo = stale_review(PLUGIN_JSON);
    let p = repo.path().to_str().unwrap();
    let gate = support::onboard(&["lint", p, "--format", "json"]);
    assert_eq!(
        gate.code, 1,
        "CI fails on the stale review: {}",
        gate.stdout
    );
    let v: Value = serde_json::from_str(&gate.stdout).unwrap();
    let stale = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "OB802")
        .expect("missing-basic-review");
    assert_eq!(stale["level"], "deny");

    let hook = support::onboard(&["lint", p, "--hook", "--format", "json"]);
    assert_eq!(hook.code, 0, "{}", hook.stdout);
    let v: Value = serde_json::from_str(&hook.stdout).unwrap();
    let stale = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "OB802")
        .expect("still shown");
    assert_eq!(stale["level"], "warn");
    let human = support::onboard(&["lint", p, "--hook"]);
    assert_eq!(human.code, 0);
    assert!(human.stdout.contains("OB802"), "shown: {}", human.stdout);

    // What a commit can fix still fails the hook.
    let broken = stale_review("{ \"id\": \"com.example.hello\", \n");
    let p = broken.path().to_str().unwrap();
    let hook = support::onboard(&["lint", p, "--hook"]);
    assert_eq!(hook.code, 1, "{}", hook.stdout);
    assert!(hook.stdout.contains("OB102"), "{}", hook.stdout);
}

#[test]
fn which_rules_a_commit_cannot_fix_is_data_shown_everywhere() {
    use onboard::rules::{Fix, REGISTRY};
    let not_by_commit: Vec<&str> = REGISTRY
        .iter()
        .filter(|r| !r.fix.by_commit())
        .map(|r| r.name)
        .collect();
    for name in [
        "missing-basic-review",
        "missing-release-tag",
        "missing-master-build-url",
        "invalid-master-build-url",
        "unknown-dependency-licence",
    ] {
        assert!(not_by_commit.contains(&name), "{name}");
    }
    for name in [
        "invalid-manifest",
        "missing-licence-file",
        "missing-readme",
        "missing-ci",
        "invalid-onboarding-file",
    ] {
        assert!(!not_by_commit.contains(&name), "{name}");
    }
    let out = support::onboard(&["explain", "missing-release-tag"]);
    assert!(
        out.stdout
            .contains("fix: a commit cannot fix it (a release is a tag"),
        "{}",
        out.stdout
    );
    let out = support::onboard(&["explain", "missing-manifest"]);
    assert!(
        out.stdout.contains("fix: a commit can fix it"),
        "{}",
        out.stdout
    );

    let out = support::onboard(&["rules", "--format", "json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let rows = v["rules"].as_array().unwrap();
    assert_eq!(rows.len(), REGISTRY.len());
    for (row, rule) in rows.iter().zip(REGISTRY) {
        assert_eq!(row["commit_fixes"], rule.fix.by_commit(), "{}", rule.code);
        match rule.fix {
            Fix::Commit => assert!(row["fixed_by"].is_null()),
            Fix::NotByCommit(why) => assert_eq!(row["fixed_by"], why),
        }
    }
}

#[test]
fn facts_json_carries_its_version() {
    let repo = support::one_commit_repo(plugin_files("", PLUGIN_JSON));
    let out = support::onboard(&["facts", repo.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
}

#[test]
fn lint_from_a_subdirectory_lints_the_plugin() {
    let repo = support::one_commit_repo(plugin_files("", BAD_ID));
    let server = repo.path().join("server");
    let out = run_in(&server, &["lint", "--format", "json"], &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["target"]["root"], "..");
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    // The manifest, licence, README and CI were found: only the bad id remains.
    assert_eq!(codes, ["OB103"], "{}", out.stdout);
    assert_eq!(v["findings"][0]["location"]["path"], "plugin.json");

    // An explicit path is the root as given.
    let out = run_in(&server, &["lint", ".", "--format", "json"], &[]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "OB101"),
        "no manifest in server/: {}",
        out.stdout
    );
}

#[test]
fn a_plugin_in_a_subdirectory_is_reported_with_paths_from_the_git_root() {
    let mut files = plugin_files("plugins/foo/", BAD_ID);
    files.insert("README.md".into(), "# Many plugins\n".into());
    let repo = support::one_commit_repo(files);
    let at = repo.path();

    // From the repository's root, naming the plugin.
    let out = run_in(at, &["lint", "plugins/foo", "--format", "github"], &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("::error file=plugins/foo/plugin.json,line=2")),
        "{}",
        out.stdout
    );

    let out = run_in(at, &["lint", "plugins/foo", "--format", "sarif"], &[]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let id = results
        .iter()
        .find(|r| r["ruleId"] == "OB103")
        .expect("OB103");
    let place = &id["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(place["uri"], "plugins/foo/plugin.json");
    assert_eq!(place["uriBaseId"], "%SRCROOT%");
    // Every result points into the plugin's folder.
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("plugins/foo/"), "{uri}");
    }

    // From inside the plugin, with no path: it is found, and paths are the same.
    let deep = at.join("plugins/foo/server");
    for (format, expected) in [
        ("github", "file=plugins/foo/plugin.json"),
        ("markdown", "plugins/foo/plugin.json"),
        ("human", "plugins/foo/plugin.json"),
    ] {
        let out = run_in(&deep, &["lint", "--format", format], &[]);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert!(out.stdout.contains(expected), "{format}: {}", out.stdout);
    }
    let out = run_in(&deep, &["lint", "--format", "json"], &[]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["target"]["root"], "..");
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["location"]["path"].as_str())
        .collect();
    assert!(paths.contains(&"plugins/foo/plugin.json"), "{paths:?}");

    // The job summary names the same file.
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    let s = summary.to_str().unwrap();
    let out = run_in(&deep, &["lint", "--summary", s], &[]);
    assert_eq!(out.code, 1);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("plugins/foo/plugin.json"), "{text}");
}
