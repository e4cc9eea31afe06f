//! Inputs shaped to find anything super-linear: many findings in one large file (one line or
//! many), a README with 10,000 links in a repository of 5,000 files, a workflow with 20,000
//! branch patterns, Markdown built to slow a parser down, and configuration lists past their
//! bound.
//! Each run must finish well within the limit, and human output must stay proportionate.

use super::harness::Sandbox;

/// Seconds a debug build may take for one of these runs on a loaded 2-core machine; quadratic
/// behaviour takes minutes or hours here.
const BUDGET: u64 = 30;

#[test]
fn many_findings_in_a_one_line_manifest() {
    let sb = Sandbox::plugin();
    // 10,000 unknown keys on a single 350 KB line: one finding each.
    let mut json =
        String::from(r#"{"id": "com.example.hello", "name": "Hello", "version": "1.0.0""#);
    for i in 0..10_000 {
        json.push_str(&format!(r#", "unknown_key_number_{i}": "value {i}""#));
    }
    json.push('}');
    sb.write("plugin.json", &json);
    let c = sb.check(&sb.repo);
    c.exit(1);
    assert_eq!(c.findings("unknown-manifest-key").len(), 10_000);
    c.within(BUDGET);
    // Each snippet shows a window of the line, not the whole line.
    assert!(
        c.human().stdout.len() < 10_000 * 2_000,
        "{} bytes of human output",
        c.human().stdout.len()
    );
    let first = c.findings("unknown-manifest-key")[0]["location"].clone();
    assert_eq!(first["line"], 1);
    assert!(c.human().stdout.contains("unknown_key_number_9999"));
    for format in ["sarif", "github", "markdown"] {
        let out = sb.run(&[
            "lint",
            sb.repo.to_str().unwrap(),
            "--gate",
            "marketplace",
            "--format",
            format,
        ]);
        assert_eq!(out.code, 1, "{format}");
        assert!(
            out.elapsed.as_secs() < BUDGET,
            "{format}: {:?}",
            out.elapsed
        );
    }
}

#[test]
fn many_findings_in_a_long_yaml_manifest() {
    let sb = Sandbox::plugin();
    // 20,000 unknown keys, one per line.
    let mut yaml = String::from("id: com.example.hello\nname: Hello\nversion: 1.0.0\n");
    for i in 0..20_000 {
        yaml.push_str(&format!("unknown_{i}: {i}\n"));
    }
    sb.write("plugin.yml", &yaml);
    let c = sb.check(&sb.repo);
    c.exit(1);
    assert_eq!(c.findings("unknown-manifest-key").len(), 20_000);
    let last = c.findings("unknown-manifest-key")[19_999]["location"].clone();
    assert_eq!(last["line"], 20_003);
    c.within(BUDGET);
}

#[test]
fn a_readme_with_many_links_in_a_large_repository() {
    let sb = Sandbox::plugin();
    for i in 0..5_000 {
        sb.write(
            &format!("webapp/src/components/c{}/f{i}.js", i % 100),
            "x\n",
        );
    }
    let mut readme = String::from("# Hello\n\nA plugin that says hello to everyone who joins.\n\n");
    for i in 0..10_000 {
        readme.push_str(&format!("[missing {i}](docs/missing-{i}.md) "));
        readme.push_str(&format!(
            "[found {i}](webapp/src/components/c{}) \n",
            i % 100
        ));
    }
    sb.write("README.md", &readme);
    sb.commit_all(&sb.repo, "many files and links");
    // One pack rather than thousands of loose objects, for the snapshots between runs.
    sb.git(&sb.repo, &["repack", "-adq"]);
    sb.git(&sb.repo, &["prune"]);
    let c = sb.check(&sb.repo);
    c.exit(1);
    let facts = c.facts();
    assert_eq!(
        facts["docs"]["broken_links"].as_array().unwrap().len(),
        10_000
    );
    c.within(BUDGET);
}

#[test]
fn a_workflow_with_many_and_huge_patterns() {
    let sb = Sandbox::plugin();
    let mut workflow = String::from("on:\n  push:\n    branches:\n");
    for i in 0..20_000 {
        workflow.push_str(&format!("      - \"release-{i}/**\"\n"));
    }
    // Patterns that compile to far more than the regex size limit: refused, not compiled.
    workflow.push_str(&format!("      - \"[{}]+\"\n", "\\p{L}".repeat(3000)));
    workflow.push_str("    tags:\n      - \"v[0-9]+.[0-9]+.[0-9]+\"\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n");
    sb.write(".github/workflows/ci.yml", &workflow);
    sb.write(
        ".circleci/config.yml",
        format!(
            "version: 2.1\nworkflows:\n  main:\n    jobs:\n      - build:\n          filters:\n            branches:\n              only: /{}x/\n",
            "(?:[a-z0-9]{1,100}){1,100}".repeat(5)
        ),
    );
    sb.commit_all(&sb.repo, "patterns");
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.within(BUDGET);
}

#[test]
fn configuration_lists_are_bounded() {
    let sb = Sandbox::plugin();
    let mut onboarding = String::from("version: 1\nreviews:\n");
    for i in 0..1_001 {
        onboarding.push_str(&format!(
            "  - {{ kind: basic, by: reviewer-{i}, commit: v1.0.0, date: \"2026-01-01\" }}\n"
        ));
    }
    onboarding.push_str("waivers:\n");
    for i in 0..1_000 {
        onboarding.push_str(&format!(
            "  - {{ rule: unknown-manifest-key, reason: \"r{i}\", paths: [\"nowhere-{i}/**\"] }}\n"
        ));
    }
    sb.write(".onboarding.yml", &onboarding);
    let c = sb.check(&sb.repo);
    c.config_error(
        "invalid-onboarding-file",
        "`reviews` has 1001 entries; at most 1000 are read",
    );
    let f = c.findings("invalid-onboarding-file")[0].clone();
    assert_eq!(f["location"]["line"], 1_003, "{f}");
}

#[test]
fn a_thousand_waivers_over_many_findings() {
    let sb = Sandbox::plugin();
    let mut json = String::from("{\"id\": \"com.example.hello\", \"name\": \"Hello\"");
    for i in 0..10_000 {
        json.push_str(&format!(",\n  \"extra_{i}\": {i}"));
    }
    json.push_str("\n}\n");
    sb.write("plugin.json", &json);
    let mut onboarding = std::fs::read_to_string(sb.repo.join(".onboarding.yml")).unwrap();
    onboarding.push_str("waivers:\n");
    for i in 0..999 {
        onboarding.push_str(&format!(
            "  - {{ rule: unknown-manifest-key, reason: \"r{i}\", paths: [\"server/**\", \"nowhere-{i}/*.json\", \"**/x{i}\"] }}\n"
        ));
    }
    onboarding
        .push_str("  - { rule: unknown-manifest-key, reason: \"keys kept for old servers\" }\n");
    sb.write(".onboarding.yml", &onboarding);
    let c = sb.check(&sb.repo);
    let waived = c.report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unknown-manifest-key" && !f["waived"].is_null())
        .count();
    assert_eq!(waived, 10_000);
    assert_eq!(c.findings("unused-waiver").len(), 999, "{}", c.summary());
    c.within(BUDGET);
}

/// Markdown built to slow a parser down: unclosed brackets, links and emphasis, nested quotes,
/// code spans of every length.
#[test]
fn a_readme_built_to_slow_markdown_down() {
    let sb = Sandbox::plugin();
    let mut readme = String::from("# Hello\n\nA plugin that says hello to everyone who joins.\n\n");
    readme.push_str(&"[".repeat(50_000));
    readme.push_str("\n\n");
    readme.push_str(&"[a](".repeat(50_000));
    readme.push_str("\n\n");
    readme.push_str(&"*a _".repeat(50_000));
    readme.push_str("\n\n");
    readme.push_str(&"> ".repeat(50_000));
    readme.push_str("x\n\n");
    for i in 1..1_500 {
        readme.push_str(&"`".repeat(i));
        readme.push(' ');
    }
    readme.push('\n');
    sb.write("README.md", &readme);
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.no_finding("missing-readme");
    c.within(BUDGET);
}

/// 50,000 files in one folder: reading a revision costs the same order as reading the working
/// tree (every lookup once read tree by tree re-read the 50,000-entry folder, which made
/// `--rev` quadratic). The two runs are compared, not timed against a fixed bound.
#[test]
fn fifty_thousand_files_in_one_folder_at_a_revision() {
    let sb = Sandbox::plugin();
    let dir = sb.repo.join("webapp/i18n");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..50_000 {
        std::fs::write(
            dir.join(format!("f{i:05}.json")),
            format!("{{\"k\": {i}}}\n"),
        )
        .unwrap();
    }
    sb.commit_all(&sb.repo, "fifty thousand files");
    sb.git(&sb.repo, &["repack", "-adq"]);
    sb.git(&sb.repo, &["prune"]);
    let repo = sb.repo.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["lint", repo, "--gate", "marketplace", "--format", "json"];
        args.extend(extra);
        let out = sb.run(&args);
        assert_eq!(out.code, 1, "{}", out.stderr);
        let facts = out.json();
        assert!(facts["findings"].is_array());
        out.elapsed
    };
    let worktree = run(&[]);
    let revision = run(&["--rev", "HEAD"]);
    let facts = sb.run(&["facts", repo, "--rev", "HEAD"]).json();
    assert_eq!(facts["files"]["count"], 50_006, "{}", facts["files"]);
    // Same order: a quadratic lookup made this ratio 70 at 50,000 files.
    assert!(
        revision.as_secs_f64() <= 4.0 * worktree.as_secs_f64() + 1.0,
        "at a revision {revision:?}, on the working tree {worktree:?}"
    );
}
