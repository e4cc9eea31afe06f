//! The fixture driver: every `tests/fixtures/*.yml` describes a repository and what `onboard lint`
//! must say about it. The driver builds the repository, lints it, checks the exit code and the
//! exact set of findings, checks that nothing in the repository changed, and pins the JSON and
//! the rendered diagnostics with snapshots.

mod support;

use onboard::rules::REGISTRY;
use serde::Deserialize;
use std::collections::BTreeSet;
use support::RepoSpec;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    description: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(flatten)]
    repo: RepoSpec,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    /// Every finding not waived, as `rule` or `rule path:line`.
    findings: Vec<String>,
    #[serde(default)]
    waived: Vec<String>,
}

struct Ran {
    name: String,
    exit: i32,
    rules_run: BTreeSet<String>,
    failed: BTreeSet<String>,
}

fn key(f: &serde_json::Value) -> String {
    let rule = f["rule"].as_str().unwrap();
    match f["location"].as_object() {
        Some(l) => format!("{rule} {}:{}", l["path"].as_str().unwrap(), l["line"]),
        None => rule.to_string(),
    }
}

fn run_fixture(path: &std::path::Path) -> Ran {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let node = onboard::yaml::parse(&text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
    let fixture: Fixture =
        serde_json::from_value(node.to_json()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        !fixture.description.trim().is_empty(),
        "{name}: say what the fixture shows"
    );
    let dir = support::repo(&fixture.repo);
    let root = dir.path().to_str().unwrap().to_string();
    let before = support::snapshot_tree(dir.path());

    // One run per output format, all with the fixture's own arguments.
    let lint_as = |format: &str| {
        let mut args = vec![
            "lint".to_string(),
            root.clone(),
            "--format".into(),
            format.into(),
        ];
        args.extend(fixture.args.iter().cloned());
        support::onboard(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = lint_as("json");
    let report: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}\n{}", out.stdout, out.stderr));

    let findings = report["findings"].as_array().unwrap();
    let active: Vec<String> = findings
        .iter()
        .filter(|f| f["waived"].is_null())
        .map(key)
        .collect();
    let waived: Vec<String> = findings
        .iter()
        .filter(|f| !f["waived"].is_null())
        .map(key)
        .collect();
    let sorted = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        sorted(&active),
        sorted(&fixture.expect.findings),
        "{name}: findings\n{}",
        out.stdout
    );
    assert_eq!(
        sorted(&waived),
        sorted(&fixture.expect.waived),
        "{name}: waived findings"
    );
    assert_eq!(
        out.code, fixture.expect.exit,
        "{name}: exit code\n{}",
        out.stdout
    );
    assert_eq!(
        report["summary"]["exit_code"], fixture.expect.exit,
        "{name}: summary exit code"
    );
    assert_eq!(
        before,
        support::snapshot_tree(dir.path()),
        "{name}: the run changed the repository"
    );

    let redacted = out.stdout.replace(&root, "[repo]");
    insta::assert_snapshot!(format!("{name}.json"), redacted);
    let human = lint_as("human");
    assert_eq!(human.code, out.code, "{name}: human and JSON runs disagree");
    insta::assert_snapshot!(
        format!("{name}.human"),
        human.stdout.replace(&root, "[repo]")
    );

    // SARIF: one result per finding, same rules in the same order, each with a location when
    // the repository has a file to anchor repository-wide findings to.
    let sarif_out = lint_as("sarif");
    assert_eq!(
        sarif_out.code, out.code,
        "{name}: SARIF and JSON runs disagree"
    );
    let sarif: serde_json::Value = serde_json::from_str(&sarif_out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let codes = |v: &[serde_json::Value], k: &str| {
        v.iter()
            .map(|f| f[k].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(results, "ruleId"),
        codes(findings, "code"),
        "{name}: SARIF results"
    );
    let anchored = fixture
        .repo
        .commits
        .iter()
        .chain([&fixture.repo.worktree])
        .any(|c| {
            c.files
                .keys()
                .any(|p| p == ".onboarding.yml" || p.starts_with("plugin."))
        });
    if anchored {
        for r in results {
            assert!(
                !r["locations"].as_array().unwrap().is_empty(),
                "{name}: SARIF result without location: {r}"
            );
        }
    }
    let driver = &sarif["runs"][0]["tool"]["driver"];
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), REGISTRY.len(), "{name}: SARIF rule metadata");
    for (meta, rule) in rules.iter().zip(REGISTRY) {
        assert_eq!(meta["id"], rule.code);
        assert!(
            !meta["fullDescription"]["text"].as_str().unwrap().is_empty(),
            "{}",
            rule.code
        );
    }
    // The rule metadata is the same in every run; the snapshot pins what this fixture found.
    let pinned = serde_json::to_string_pretty(&serde_json::json!({
        "results": results,
        "invocations": sarif["runs"][0]["invocations"],
    }))
    .unwrap();
    insta::assert_snapshot!(format!("{name}.sarif"), pinned.replace(&root, "[repo]"));

    let gh = lint_as("github");
    assert_eq!(gh.code, out.code, "{name}: github and JSON runs disagree");
    let annotations = gh
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error ") || l.starts_with("::warning "))
        .count();
    let of_level = |l: &str| {
        findings
            .iter()
            .filter(|f| f["waived"].is_null() && f["level"] == l)
            .count()
    };
    let expected = of_level("deny").min(10) + of_level("warn").min(10);
    assert_eq!(
        annotations, expected,
        "{name}: one annotation per active finding, at most 10 per level"
    );
    insta::assert_snapshot!(format!("{name}.github"), gh.stdout.replace(&root, "[repo]"));

    Ran {
        name,
        exit: out.code,
        rules_run: report["rules_run"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect(),
        failed: findings
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect(),
    }
}

#[test]
fn fixtures() {
    let mut paths: Vec<_> = std::fs::read_dir("tests/fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let ran: Vec<Ran> = paths.iter().map(|p| run_fixture(p)).collect();

    // Every rule has a fixture where it fires and one where it ran and stayed quiet.
    let mut missing = Vec::new();
    for rule in REGISTRY {
        let fails = ran.iter().any(|r| r.failed.contains(rule.code));
        let passes = ran.iter().any(|r| {
            r.exit != 2 && r.rules_run.contains(rule.code) && !r.failed.contains(rule.code)
        });
        if !fails {
            missing.push(format!("{} {}: no failing fixture", rule.code, rule.name));
        }
        if !passes {
            missing.push(format!("{} {}: no passing fixture", rule.code, rule.name));
        }
    }
    assert!(
        missing.is_empty(),
        "fixture coverage:\n{}\n(fixtures: {})",
        missing.join("\n"),
        ran.iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
}
