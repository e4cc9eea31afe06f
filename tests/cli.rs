//! Integration tests of the command line: exit codes, `--rev`, output formats, gates, overrides,
//! policy files, and the informational subcommands (`explain`, `rules`, `policy show`, `facts`,
//! `schema`). Each test builds its repository with `support::repo` and runs the real binary.

mod support;

use onboard::rules::REGISTRY;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use support::{Commit, RepoSpec};

const PLUGIN_JSON: &str = "{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\"\n}\n";

/// The files of a plugin that passes the default gate.
fn clean_files() -> BTreeMap<String, String> {
    support::files(&[
        (".onboarding.yml", support::REVIEWED),
        ("plugin.json", PLUGIN_JSON),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Hello\n"),
        support::CI_WORKFLOW,
        support::PLUGIN_CODE,
    ])
}

/// `clean_files` with some files replaced or added, and some removed.
fn clean_with(set: &[(&str, &str)], remove: &[&str]) -> BTreeMap<String, String> {
    let mut f = clean_files();
    for (p, t) in set {
        f.insert(p.to_string(), t.to_string());
    }
    for p in remove {
        f.remove(*p);
    }
    f
}

/// A git repository with one commit holding `files`.
fn path_of(dir: &tempfile::TempDir) -> String {
    dir.path().to_str().expect("temp path is UTF-8").to_string()
}

/// Runs `onboard` and parses stdout as JSON.
fn run_json(args: &[&str]) -> (i32, Value, support::Output) {
    let out = support::onboard(args);
    let v: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    });
    (out.code, v, out)
}

/// How many rules the default gate runs on a repository: the rules `policy show` lists at a
/// level other than `allow` (so that a new rule changes no expectation here).
fn rules_on(dir: &tempfile::TempDir) -> usize {
    let (code, policy, _) = run_json(&["policy", "show", &path_of(dir), "--format", "json"]);
    assert_eq!(code, 0);
    policy["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] != "allow")
        .count()
}

/// Rule names of the findings not waived in a JSON report.
fn active_rules(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| f["waived"].is_null())
        .map(|f| f["rule"].as_str().expect("rule is a string").to_string())
        .collect()
}

/// The findings of one rule in a JSON report.
fn findings_of<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

/// The 1-based line of the first line of a shipped policy containing `needle`.
fn shipped_line(policy: &str, needle: &str) -> usize {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("policies")
        .join(format!("{policy}.yml"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in {}", path.display()))
        + 1
}

/// The `policy show` line of a rule, split on whitespace: code, name, level, "from", origin.
fn policy_line<'a>(stdout: &'a str, rule: &str) -> Vec<&'a str> {
    let line = stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some(rule))
        .unwrap_or_else(|| panic!("no line for `{rule}` in:\n{stdout}"));
    line.split_whitespace().collect()
}

fn commit_id(dir: &Path, rev: &str) -> String {
    git2::Repository::open(dir)
        .unwrap()
        .revparse_single(rev)
        .unwrap()
        .peel_to_commit()
        .unwrap()
        .id()
        .to_string()
}

/// The repository of the `--rev` tests: v1.0.0 has no README, the next commit adds one, and the
/// working tree deletes LICENSE without committing.
fn two_commit_repo() -> tempfile::TempDir {
    support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![
            Commit {
                message: "first".into(),
                files: support::files(&[
                    (
                        ".onboarding.yml",
                        "version: 1\nreviews:\n  - { kind: basic, by: alice, commit: v1.0.0, date: \"2026-01-01\" }\n",
                    ),
                    ("plugin.json", PLUGIN_JSON),
                    ("LICENSE", "@data/licences/MIT.txt"),
                ]),
                tags: vec!["v1.0.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "add a README".into(),
                files: support::files(&[("README.md", "# Hello\n")]),
                ..Commit::default()
            },
        ],
        worktree: Commit {
            delete: vec!["LICENSE".into()],
            ..Commit::default()
        },
    })
}

#[test]
fn lint_exit_codes() {
    // 0: a clean plugin.
    let clean = support::one_commit_repo(clean_files());
    let out = support::onboard(&["lint", &path_of(&clean)]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout.lines().last(),
        Some(
            format!(
                "gate ci-extensions: 0 errors, 0 warnings ({} rules ran)",
                rules_on(&clean)
            )
            .as_str()
        )
    );
    assert!(out.stderr.is_empty(), "{}", out.stderr);

    // 1: a deny-level finding.
    let no_licence = support::one_commit_repo(clean_with(&[], &["LICENSE"]));
    let out = support::onboard(&["lint", &path_of(&no_licence)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("OB201 missing-licence-file"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("1 error"), "{}", out.stdout);

    // 2: an unknown key in .onboarding.yml, named with a suggestion.
    let broken = support::one_commit_repo(clean_with(
        &[(".onboarding.yml", "version: 1\nreveiws: []\n")],
        &[],
    ));
    let out = support::onboard(&["lint", &path_of(&broken)]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("OB002 invalid-onboarding-file"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("unknown key `reveiws` in .onboarding.yml"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("did you mean `reviews`?"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("1 configuration problem stopped the run"),
        "{}",
        out.stdout
    );

    // 2: a path that does not exist.
    let missing = clean.path().join("no-such-directory");
    let missing = missing.to_str().unwrap();
    let out = support::onboard(&["lint", missing]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(
        out.stderr.trim_end(),
        format!("error: `{missing}` does not exist")
    );

    // 2: a revision that does not resolve.
    let out = support::onboard(&["lint", &path_of(&clean), "--rev", "nosuchrev"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr
            .starts_with("error: cannot resolve revision `nosuchrev`"),
        "{}",
        out.stderr
    );

    // 2: `--rev` on a directory that is not a git repository.
    let plain = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: false,
        commits: vec![Commit {
            files: clean_files(),
            ..Commit::default()
        }],
        worktree: Commit::default(),
    });
    let out = support::onboard(&["lint", &path_of(&plain), "--rev", "HEAD"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(
        out.stderr.contains("`--rev` needs a git repository"),
        "{}",
        out.stderr
    );
}

#[test]
fn rev_lints_the_revision_and_changes_nothing() {
    let dir = two_commit_repo();
    let root = path_of(&dir);
    let before = support::snapshot_tree(dir.path());
    let index_before = std::fs::read(dir.path().join(".git/index")).unwrap();
    let v1 = commit_id(dir.path(), "v1.0.0");
    let head = commit_id(dir.path(), "HEAD");
    assert_ne!(v1, head);

    // The working tree: README committed, LICENSE deleted but not committed.
    let (code, report, _) = run_json(&["lint", &root, "--format", "json"]);
    let rules = active_rules(&report);
    assert_eq!(code, 1);
    assert!(rules.contains(&"missing-licence-file".into()), "{rules:?}");
    assert!(!rules.contains(&"missing-readme".into()), "{rules:?}");
    assert_eq!(report["target"]["rev"], Value::Null);
    assert_eq!(report["target"]["commit"], head.as_str());

    // The tagged revision: no README yet, LICENSE present.
    let (code, report, _) = run_json(&["lint", &root, "--rev", "v1.0.0", "--format", "json"]);
    let rules = active_rules(&report);
    assert_eq!(code, 1);
    assert!(rules.contains(&"missing-readme".into()), "{rules:?}");
    assert!(!rules.contains(&"missing-licence-file".into()), "{rules:?}");
    assert_eq!(report["target"]["rev"], "v1.0.0");
    assert_eq!(report["target"]["commit"], v1.as_str());

    // The human run of the revision agrees.
    let out = support::onboard(&["lint", &root, "--rev", "v1.0.0"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("OB202 missing-readme"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("missing-licence-file"),
        "{}",
        out.stdout
    );

    assert_eq!(
        before,
        support::snapshot_tree(dir.path()),
        "a run changed the repository"
    );
    assert_eq!(
        index_before,
        std::fs::read(dir.path().join(".git/index")).unwrap(),
        "a run changed .git/index"
    );
}

#[test]
fn tracked_files_that_are_ignored_are_still_seen() {
    // LICENSE is committed (force-added) although `.gitignore` lists it; README.md is ignored
    // and only in the working tree, never added.
    let dir = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![Commit {
            files: clean_with(&[(".gitignore", "LICENSE\nREADME.md\n")], &["README.md"]),
            tags: vec!["v0.1.0".into()],
            ..Commit::default()
        }],
        worktree: Commit {
            files: support::files(&[("README.md", "# Hello\n")]),
            ..Commit::default()
        },
    });
    let root = path_of(&dir);
    let (code, report, _) = run_json(&["lint", &root, "--format", "json"]);
    let rules = active_rules(&report);
    assert!(
        !rules.contains(&"missing-licence-file".into()),
        "the tracked LICENSE must come from the index: {rules:?}"
    );
    // The untracked, ignored README is not part of the repository.
    assert_eq!(rules, vec!["missing-readme".to_string()]);
    assert_eq!(code, 1);

    let (code, facts, _) = run_json(&["facts", &root]);
    assert_eq!(code, 0);
    let licences = facts["files"]["licence_files"].as_array().unwrap();
    assert_eq!(licences.len(), 1, "{licences:?}");
    assert_eq!(licences[0]["path"], "LICENSE");
    assert_eq!(licences[0]["readable"], true);
    assert_eq!(facts["files"]["readmes"], serde_json::json!([]));
}

#[test]
fn json_report_shape() {
    // Two findings: one about the repository (no location), one in plugin.json.
    let dir = support::one_commit_repo(clean_with(
        &[(
            "plugin.json",
            "{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\",\n  \"extra\": 1\n}\n",
        )],
        &["LICENSE"],
    ));
    let (code, report, _) = run_json(&["lint", &path_of(&dir), "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "onboard");
    assert!(report["tool"]["version"].is_string());
    assert_eq!(report["gate"], "ci-extensions");
    let summary = &report["summary"];
    assert_eq!(summary["errors"], 1, "{summary}");
    assert_eq!(summary["warnings"], 1, "{summary}");
    assert_eq!(summary["waived"], 0, "{summary}");
    assert_eq!(summary["exit_code"], 1, "{summary}");

    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{findings:?}");
    for f in findings {
        for key in ["code", "rule", "level", "item", "message"] {
            assert!(f[key].is_string(), "`{key}` in {f}");
        }
        let code = f["code"].as_str().unwrap();
        assert!(
            code.len() == 5 && code.starts_with("OB"),
            "code `{code}` is OB and three digits"
        );
        assert!(
            ["deny", "warn"].contains(&f["level"].as_str().unwrap()),
            "{f}"
        );
        let location = f.get("location").expect("every finding has `location`");
        if !location.is_null() {
            assert!(location["path"].is_string(), "{location}");
            for key in ["line", "column"] {
                assert!(location[key].as_u64().is_some_and(|n| n >= 1), "{location}");
            }
            assert!(location["span"]["offset"].is_u64(), "{location}");
            assert!(location["span"]["length"].is_u64(), "{location}");
        }
    }

    let licence = findings_of(&report, "missing-licence-file");
    assert_eq!(licence.len(), 1);
    assert_eq!(licence[0]["code"], "OB201");
    assert_eq!(licence[0]["level"], "deny");
    assert_eq!(licence[0]["item"], "licence");
    assert!(licence[0]["location"].is_null());

    let unknown = findings_of(&report, "unknown-manifest-key");
    assert_eq!(unknown.len(), 1);
    let loc = &unknown[0]["location"];
    assert_eq!(unknown[0]["level"], "warn");
    assert_eq!(loc["path"], "plugin.json");
    assert_eq!(loc["line"], 4);
    assert_eq!(loc["column"], 3);
    let offset = loc["span"]["offset"].as_u64().unwrap() as usize;
    let length = loc["span"]["length"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(dir.path().join("plugin.json")).unwrap();
    assert!(
        text[offset..offset + length].contains("extra"),
        "the span covers the key: {:?}",
        &text[offset..offset + length]
    );
}

#[test]
fn gate_from_flag_and_from_onboarding_file() {
    let dir = support::one_commit_repo(clean_files());
    let root = path_of(&dir);

    let (code, report, _) = run_json(&["lint", &root, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(report["gate"], "ci-extensions");
    assert!(findings_of(&report, "missing-marketplace-field").is_empty());

    let (code, report, _) = run_json(&["lint", &root, "--gate", "marketplace", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(report["gate"], "marketplace");
    let fields = findings_of(&report, "missing-marketplace-field");
    assert_eq!(fields.len(), 5, "one per default field: {fields:?}");
    assert!(fields.iter().all(|f| f["level"] == "deny"));

    // `gate:` in .onboarding.yml is used when `--gate` is absent...
    let onboarding = format!("{}gate: marketplace\n", support::REVIEWED);
    let dir =
        support::one_commit_repo(clean_with(&[(".onboarding.yml", onboarding.as_str())], &[]));
    let root = path_of(&dir);
    let (code, report, _) = run_json(&["lint", &root, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(report["gate"], "marketplace");
    assert_eq!(findings_of(&report, "missing-marketplace-field").len(), 5);

    // ...and `--gate` overrides it.
    let (code, report, _) =
        run_json(&["lint", &root, "--gate", "ci-extensions", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["gate"], "ci-extensions");
    assert!(findings_of(&report, "missing-marketplace-field").is_empty());
}

#[test]
fn deny_warn_allow_overrides() {
    // The only error is missing-readme.
    let no_readme = support::one_commit_repo(clean_with(&[], &["README.md"]));
    let root = path_of(&no_readme);
    let (code, report, _) = run_json(&["lint", &root, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(active_rules(&report), vec!["missing-readme".to_string()]);

    let (code, report, _) = run_json(&[
        "lint",
        &root,
        "--allow",
        "missing-readme",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert!(active_rules(&report).is_empty(), "{report}");
    assert_eq!(report["summary"]["errors"], 0);
    assert!(
        !report["rules_run"]
            .as_array()
            .unwrap()
            .contains(&Value::from("OB202")),
        "an allowed rule does not run"
    );

    // A group: both repository rules become warnings.
    let bare = support::one_commit_repo(clean_with(&[], &["README.md", "LICENSE"]));
    let root = path_of(&bare);
    let (code, _, _) = run_json(&["lint", &root, "--format", "json"]);
    assert_eq!(code, 1);
    let (code, report, _) = run_json(&["lint", &root, "--warn", "repository", "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    for rule in ["missing-licence-file", "missing-readme"] {
        let f = findings_of(&report, rule);
        assert_eq!(f.len(), 1, "{rule}");
        assert_eq!(f[0]["level"], "warn", "{rule}");
    }
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 2);

    // A warning raised to deny.
    let unknown_key = support::one_commit_repo(clean_with(
        &[(
            "plugin.json",
            "{\"id\": \"com.example.hello\", \"name\": \"Hello\", \"extra\": 1}\n",
        )],
        &[],
    ));
    let root = path_of(&unknown_key);
    let (code, report, _) = run_json(&["lint", &root, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        findings_of(&report, "unknown-manifest-key")[0]["level"],
        "warn"
    );
    let (code, report, _) = run_json(&[
        "lint",
        &root,
        "--deny",
        "unknown-manifest-key",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        findings_of(&report, "unknown-manifest-key")[0]["level"],
        "deny"
    );

    // Unknown selectors: exit 2 with help.
    let out = support::onboard(&["lint", &root, "--deny", "no-such-rule"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("`--deny no-such-rule`: no rule or group has that name"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("did you mean") || out.stdout.contains("expected one of"),
        "{}",
        out.stdout
    );
    let out = support::onboard(&["lint", &root, "--warn", "missing-readm"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("did you mean `missing-readme`?"),
        "{}",
        out.stdout
    );
}

#[test]
fn policy_file_from_the_command_line() {
    let repo = support::one_commit_repo(clean_with(&[], &["README.md"]));
    let root = path_of(&repo);
    let outside = tempfile::tempdir().unwrap();

    let relaxed = outside.path().join("relaxed.yml");
    std::fs::write(&relaxed, "version: 1\nrules:\n  missing-readme: warn\n").unwrap();
    let relaxed = relaxed.to_str().unwrap();
    let (code, report, _) = run_json(&["lint", &root, "--policy", relaxed, "--format", "json"]);
    assert_eq!(code, 0, "{report}");
    let f = findings_of(&report, "missing-readme");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["level"], "warn");

    let out = support::onboard(&["policy", "show", &root, "--policy", relaxed]);
    assert_eq!(out.code, 0);
    assert_eq!(
        policy_line(&out.stdout, "missing-readme")[2..],
        ["warn", "from", &format!("{relaxed}:3")]
    );

    let broken = outside.path().join("broken.yml");
    std::fs::write(&broken, "version: 1\nrules:\n  missing-readmee: warn\n").unwrap();
    let broken = broken.to_str().unwrap();
    let (code, report, _) = run_json(&["lint", &root, "--policy", broken, "--format", "json"]);
    assert_eq!(code, 2);
    let f = findings_of(&report, "invalid-policy");
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["location"]["path"], broken);
    assert_eq!(f[0]["location"]["line"], 3);
    assert_eq!(f[0]["help"], "did you mean `missing-readme`?");

    let out = support::onboard(&["lint", &root, "--policy", broken]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains(&format!("[{broken}:3:3]")),
        "the diagnostic points at the policy file:\n{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("no rule or group is named `missing-readmee`"),
        "{}",
        out.stdout
    );
}

#[test]
fn explain_by_name_and_code() {
    let by_name = support::onboard(&["explain", "missing-readme"]);
    let by_code = support::onboard(&["explain", "OB202"]);
    let by_lower = support::onboard(&["explain", "ob202"]);
    for out in [&by_name, &by_code, &by_lower] {
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.is_empty());
    }
    assert_eq!(by_name.stdout, by_code.stdout);
    assert_eq!(by_name.stdout, by_lower.stdout);
    assert!(by_name.stdout.starts_with("OB202 missing-readme\n"));
    let mut last = 0;
    for heading in [
        "What it checks",
        "Why it matters",
        "How to fix",
        "Parameters",
        "Example",
    ] {
        let underlined = format!("\n{heading}\n{}\n", "-".repeat(heading.len()));
        let at = by_name
            .stdout
            .find(&underlined)
            .unwrap_or_else(|| panic!("no heading `{heading}`:\n{}", by_name.stdout));
        assert!(at > last, "`{heading}` out of order");
        last = at;
    }

    let out = support::onboard(&["explain", "missing-readm"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("no rule is named `missing-readm`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `missing-readme`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn rules_in_every_format() {
    let out = support::onboard(&["rules"]);
    assert_eq!(out.code, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), REGISTRY.len(), "{}", out.stdout);
    for (line, rule) in lines.iter().zip(REGISTRY) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words[..5],
            [
                rule.code,
                rule.name,
                rule.group,
                rule.level.as_str(),
                rule.item.as_str()
            ]
        );
    }

    let (code, doc, _) = run_json(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["version"], 1);
    let rows = doc["rules"].as_array().expect("an array of rules");
    assert_eq!(rows.len(), REGISTRY.len());
    for (row, rule) in rows.iter().zip(REGISTRY) {
        assert_eq!(row["code"], rule.code);
        assert_eq!(row["name"], rule.name);
        assert_eq!(row["group"], rule.group);
        assert_eq!(row["level"], rule.level.as_str());
        assert_eq!(row["item"], rule.item.as_str());
    }

    let out = support::onboard(&["rules", "--format", "markdown"]);
    assert_eq!(out.code, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), REGISTRY.len() + 2, "{}", out.stdout);
    assert!(lines[0].starts_with("| code | name |"), "{}", lines[0]);
    assert!(lines[1].starts_with("|---|"), "{}", lines[1]);
    for (line, rule) in lines[2..].iter().zip(REGISTRY) {
        assert!(
            line.starts_with(&format!("| {} | `{}` |", rule.code, rule.name)),
            "{line}"
        );
        assert!(line.ends_with(" |"), "{line}");
    }
}

#[test]
fn policy_show_names_where_each_value_comes_from() {
    let dir = support::one_commit_repo(clean_files());
    let root = path_of(&dir);

    let out = support::onboard(&["policy", "show", &root]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files: Vec<&str> = out
        .stdout
        .lines()
        .skip_while(|l| *l != "files, lowest first:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    assert_eq!(
        files,
        [
            "onboard:policies/base.yml",
            "onboard:policies/ci-extensions.yml"
        ]
    );
    assert!(out.stdout.starts_with("gate: ci-extensions\n"));
    let licence_line = shipped_line("ci-extensions", "missing-licence-file:");
    assert_eq!(
        policy_line(&out.stdout, "missing-licence-file"),
        [
            "OB201",
            "missing-licence-file",
            "deny",
            "from",
            &format!("onboard:policies/ci-extensions.yml:{licence_line}")
        ]
    );
    assert_eq!(
        policy_line(&out.stdout, "missing-marketplace-field")[2],
        "allow"
    );

    let out = support::onboard(&["policy", "show", &root, "--gate", "marketplace"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("gate: marketplace\n"));
    assert!(out
        .stdout
        .contains("\n  onboard:policies/marketplace.yml\n"));
    let level_line = shipped_line("marketplace", "missing-marketplace-field:");
    let fields_line = shipped_line("marketplace", "fields:");
    assert_eq!(
        policy_line(&out.stdout, "missing-marketplace-field")[2..],
        [
            "deny",
            "from",
            &format!("onboard:policies/marketplace.yml:{level_line}")
        ]
    );
    let param = out
        .stdout
        .lines()
        .skip_while(|l| !l.contains(" missing-marketplace-field "))
        .nth(1)
        .unwrap();
    assert!(param.trim_start().starts_with("fields = ["), "{param}");
    assert!(
        param.ends_with(&format!(
            "  from onboard:policies/marketplace.yml:{fields_line}"
        )),
        "{param}"
    );

    // A repository policy listed in .onboarding.yml.
    let dir = support::one_commit_repo(clean_with(
        &[
            (".onboarding.yml", "version: 1\npolicies: [org.yml]\n"),
            ("org.yml", "version: 1\nrules:\n  missing-readme: warn\n"),
        ],
        &[],
    ));
    let root = path_of(&dir);
    let out = support::onboard(&["policy", "show", &root]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\n  org.yml\n"), "{}", out.stdout);
    assert_eq!(
        policy_line(&out.stdout, "missing-readme")[2..],
        ["warn", "from", "org.yml:3"]
    );

    let (code, doc, _) = run_json(&["policy", "show", &root, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["gate"], "ci-extensions");
    assert_eq!(
        doc["files"],
        serde_json::json!([
            "onboard:policies/base.yml",
            "onboard:policies/ci-extensions.yml",
            "org.yml"
        ])
    );
    let rules = doc["rules"].as_array().unwrap();
    assert_eq!(rules.len(), REGISTRY.len());
    let readme = rules
        .iter()
        .find(|r| r["rule"] == "missing-readme")
        .unwrap();
    assert_eq!(readme["code"], "OB202");
    assert_eq!(readme["level"], "warn");
    assert_eq!(
        readme["level_from"],
        serde_json::json!({ "file": "org.yml", "line": 3 })
    );
}

#[test]
fn facts_for_git_plain_and_revision() {
    let dir = two_commit_repo();
    let root = path_of(&dir);
    let (code, facts, _) = run_json(&["facts", &root]);
    assert_eq!(code, 0);
    let keys: Vec<&str> = facts
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "version",
            "repository",
            "settings",
            "onboarding",
            "manifest",
            "files",
            "licence",
            "dependencies",
            "template",
            "release",
            "ci",
            "build",
            "docs",
            "records",
            "limits",
        ]
    );
    let repo = &facts["repository"];
    assert_eq!(repo["git"], true);
    assert_eq!(repo["git_unavailable"], Value::Null);
    assert_eq!(repo["source"], "worktree");
    assert_eq!(repo["commit"], commit_id(dir.path(), "HEAD").as_str());
    assert_eq!(facts["onboarding"]["status"], "parsed");
    assert_eq!(facts["files"]["readmes"], serde_json::json!(["README.md"]));
    assert_eq!(facts["files"]["licence_files"], serde_json::json!([]));

    let (code, facts, _) = run_json(&["facts", &root, "--rev", "v1.0.0"]);
    assert_eq!(code, 0);
    let repo = &facts["repository"];
    assert_eq!(repo["source"], "revision");
    assert_eq!(repo["rev"], "v1.0.0");
    assert_eq!(repo["commit"], commit_id(dir.path(), "v1.0.0").as_str());
    assert_eq!(facts["files"]["readmes"], serde_json::json!([]));
    assert_eq!(facts["files"]["licence_files"][0]["path"], "LICENSE");

    let out = support::onboard(&["facts", &root, "--rev", "nosuchrev"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot resolve revision `nosuchrev`"));

    let plain = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: false,
        commits: vec![Commit {
            files: clean_files(),
            ..Commit::default()
        }],
        worktree: Commit::default(),
    });
    let (code, facts, _) = run_json(&["facts", &path_of(&plain)]);
    assert_eq!(code, 0);
    let repo = &facts["repository"];
    assert_eq!(repo["git"], false);
    assert_eq!(repo["commit"], Value::Null);
    let why = repo["git_unavailable"].as_str().expect("a reason");
    assert!(!why.trim().is_empty());
    assert_eq!(facts["files"]["readmes"], serde_json::json!(["README.md"]));
}

#[test]
fn schema_prints_each_schema() {
    for name in ["onboarding", "policy", "report", "facts"] {
        let (code, schema, out) = run_json(&["schema", name]);
        assert_eq!(code, 0, "{name}: {}", out.stderr);
        assert!(schema["$schema"].is_string(), "{name}: {schema}");
        assert!(out.stdout.ends_with("}\n"), "{name}");
    }
    let out = support::onboard(&["schema", "nope"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("invalid value 'nope'"),
        "{}",
        out.stderr
    );
}

/// Spawns `onboard` with stdout and stderr piped.
fn spawn(args: &[&str], stdout: Stdio) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_onboard"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("ONBOARD_CACHE_DIR", support::cache_dir())
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("onboard starts")
}

/// Reads the first line of stdout, closes the pipe, and waits: (first line, exit code, stderr).
fn run_reading_one_line(args: &[&str]) -> (String, Option<i32>, String) {
    let mut child = spawn(args, Stdio::piped());
    let mut first = String::new();
    {
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        reader.read_line(&mut first).unwrap();
    } // the read end is closed here
    let out = child.wait_with_output().unwrap();
    (
        first,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs with stdout a socket whose other end is already closed: every write fails with EPIPE.
fn run_with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
    drop(ours);
    let child = spawn(args, Stdio::from(std::os::fd::OwnedFd::from(theirs)));
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(!stderr.contains("os error 32"), "{stderr}");
}

#[test]
fn closed_pipe_on_rules_is_not_an_error() {
    let (first, code, stderr) = run_reading_one_line(&["rules"]);
    assert!(first.starts_with(REGISTRY[0].code), "{first}");
    assert_eq!(code, Some(0), "{stderr}");
    assert_no_panic(&stderr);

    let (code, stderr) = run_with_closed_stdout(&["rules", "--format", "json"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_no_panic(&stderr);
}

#[test]
fn closed_pipe_on_lint_does_not_panic() {
    // Hundreds of unknown manifest keys, one a line, and no LICENSE: far more output than a
    // pipe buffers, so the writer is still writing when the reader goes away.
    let mut manifest = String::from("{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\"");
    for i in 0..800 {
        manifest.push_str(&format!(",\n  \"unknown_key_{i:04}\": {i}"));
    }
    manifest.push_str("\n}\n");
    let dir = support::one_commit_repo(clean_with(&[("plugin.json", &manifest)], &["LICENSE"]));
    let root = path_of(&dir);

    let full = support::onboard(&["lint", &root]);
    assert_eq!(full.code, 1);
    assert!(
        full.stdout.len() > 256 * 1024,
        "output must exceed a pipe's buffer: {} bytes",
        full.stdout.len()
    );

    let (first, code, stderr) = run_reading_one_line(&["lint", &root]);
    assert!(first.starts_with("OB"), "{first}");
    assert!(code == Some(1), "exit {code:?}, stderr:\n{stderr}");
    assert_no_panic(&stderr);

    let (code, stderr) = run_with_closed_stdout(&["lint", &root, "--format", "json"]);
    assert!(code == Some(1), "exit {code:?}, stderr:\n{stderr}");
    assert_no_panic(&stderr);
}

#[test]
fn human_output_is_plain_ordered_and_summarised() {
    // Findings in two files and one about the whole repository:
    // - missing-licence-file (repository, error),
    // - unused-waiver in .onboarding.yml (warning),
    // - two unknown manifest keys in plugin.json, `zeta` before `alpha` (warnings).
    let onboarding = format!(
        "version: 1\nwaivers:\n  - {{ rule: missing-readme, reason: \"docs in the wiki\" }}\n{}",
        support::REVIEWED.trim_start_matches("version: 1\n")
    );
    let dir = support::one_commit_repo(clean_with(
        &[
            (".onboarding.yml", onboarding.as_str()),
            (
                "plugin.json",
                "{\n  \"id\": \"com.example.hello\",\n  \"zeta\": 1,\n  \"name\": \"Hello\",\n  \"alpha\": 2\n}\n",
            ),
        ],
        &["LICENSE"],
    ));
    let out = support::onboard(&["lint", &path_of(&dir)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(!out.stdout.contains("\x1b["), "ANSI escapes with NO_COLOR");
    assert!(!out.stdout.contains('\x1b'), "no escape byte at all");
    assert_eq!(
        out.stdout.lines().last(),
        Some(
            format!(
                "gate ci-extensions: 1 error, 3 warnings ({} rules ran)",
                rules_on(&dir)
            )
            .as_str()
        ),
        "{}",
        out.stdout
    );

    let position = |needle: &str| {
        out.stdout
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{}", out.stdout))
    };
    let order = [
        position("OB201 missing-licence-file"),
        position("OB005 unused-waiver"),
        position("[.onboarding.yml:3:"),
        position("manifest key `zeta`"),
        position("[plugin.json:3:"),
        position("manifest key `alpha`"),
        position("[plugin.json:5:"),
    ];
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "findings out of order ({order:?}):\n{}",
        out.stdout
    );
}

#[test]
fn help_and_unknown_subcommand() {
    let out = support::onboard(&["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Usage: onboard"), "{}", out.stdout);
    for sub in ["lint", "explain", "rules", "policy", "facts", "schema"] {
        assert!(
            out.stdout.lines().any(|l| l.trim_start().starts_with(sub)),
            "`{sub}` in --help:\n{}",
            out.stdout
        );
    }
    let out = support::onboard(&["lint", "--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("--rev"), "{}", out.stdout);

    let out = support::onboard(&["frobnicate"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("unrecognized subcommand 'frobnicate'"),
        "{}",
        out.stderr
    );
}

#[test]
fn status_lines_say_what_was_found_and_what_to_do_next() {
    // No `.onboarding.yml`, a workflow that builds master, two deny findings on the licence
    // item (an AGPL root licence and an unknown licence text).
    let dir = support::one_commit_repo(support::files(&[
        (
            "plugin.json",
            r#"{"id": "com.example.hello", "name": "Hello"}"#,
        ),
        ("server/plugin.go", "package main\n\nfunc main() {}\n"),
        ("LICENSE", "@data/licences/AGPL-3.0-only.txt"),
        ("README.md", "# Hello\n"),
        support::CI_WORKFLOW,
    ]));
    let out = support::onboard(&["status", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = |gate_index: usize, item: &str| -> String {
        let gate = out.stdout.split("\n\n").nth(gate_index + 1).unwrap_or("");
        // The item's row and the lines under it (`found:`, `next:`, …), which are indented.
        let mut rows = gate
            .lines()
            .skip(1)
            .skip_while(|l| l.split_whitespace().nth(1) != Some(item));
        let head = rows
            .next()
            .unwrap_or_else(|| panic!("{item}: {}", out.stdout));
        let under: Vec<&str> = rows.take_while(|l| l.starts_with("      ")).collect();
        std::iter::once(head)
            .chain(under)
            .collect::<Vec<_>>()
            .join("\n")
    };
    // The item whose CI builds master says what it found, and the next step.
    let ci = line(0, "ci-master");
    assert!(
        ci.contains("found: CI configuration: .github/workflows/ci.yml"),
        "{ci}"
    );
    assert!(
        ci.contains("\n                              next: "),
        "{ci}"
    );
    // `config` passes at ci-extensions and fails at the next gate: both lines say so.
    let expected = "the level differs by gate: missing-onboarding-file: warn at ci-extensions, deny from ci-extensions-release";
    let config = line(0, "config");
    assert!(config.contains(" pass "), "{config}");
    assert!(config.contains(expected), "{config}");
    let config = line(1, "config");
    assert!(config.contains(" fail "), "{config}");
    assert!(config.contains(expected), "{config}");
    assert!(config.contains("next: run `onboard init`"), "{config}");
    // Hidden findings are counted by rule, and the line says which command lists them.
    let market = line(3, "marketplace");
    assert!(market.contains(" more: "), "{market}");
    assert!(
        market.contains("; `onboard lint --gate marketplace` lists them)"),
        "{market}"
    );
    // No rule name twice on a line.
    for l in out.stdout.lines() {
        assert!(
            !l.contains("unknown-dependency-licence, unknown-dependency-licence"),
            "{l}"
        );
    }
}

#[test]
fn status_shows_the_review_line_count_when_it_is_over_the_limit() {
    let dir = support::one_commit_repo(support::files(&[
        (
            ".onboarding.yml",
            "version: 1\npolicies: [onboard-policy.yml]\n",
        ),
        (
            "onboard-policy.yml",
            "version: 1\nrules:\n  review-size:\n    level: warn\n    params: { max_review_lines: 2 }\n",
        ),
        ("plugin.json", r#"{"id": "com.example.hello", "name": "Hello"}"#),
        ("server/plugin.go", "package main\n\nfunc main() {}\n\nfunc other() {}\n"),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Hello\n"),
    ]));
    let out = support::onboard(&["status", dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The warning is the line under the item's row.
    let mut lines = out
        .stdout
        .lines()
        .skip_while(|l| l.split_whitespace().nth(1) != Some("review-diff"));
    let row = lines.next().unwrap();
    assert!(row.contains(" pass "), "{row}");
    let warning = lines.next().unwrap();
    assert!(
        warning
            .trim_start()
            .starts_with("warnings: review-size (first: "),
        "{warning}"
    );
    assert!(warning.contains("exceed the limit of 2"), "{warning}");
}
