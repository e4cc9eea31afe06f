//! Settings are policy: the top-level keys of a policy file (`template:`, `licence:`,
//! `production:`, `committers:`) are validated at their span, shown with their origin by
//! `policy show`, and every command builds its facts with them, so `facts` prints what `lint`
//! and `status` judge.

mod support;

use serde_json::Value;
use std::collections::BTreeMap;

const PLUGIN_JSON: &str = "{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\"\n}\n";

/// A plugin with 300 lines of its own code and 500 lines of test data under `data/`.
fn plugin_with_data(policy: &str) -> tempfile::TempDir {
    let code: String = (0..300).map(|i| format!("var V{i} = {i}\n")).collect();
    let data: String = (0..500).map(|i| format!("{{\"row\": {i}}}\n")).collect();
    let mut files: BTreeMap<String, String> = support::files(&[
        (
            ".onboarding.yml",
            "version: 1\npolicies: [onboard-policy.yml]\n",
        ),
        ("plugin.json", PLUGIN_JSON),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Hello\n"),
        ("onboard-policy.yml", policy),
    ]);
    files.insert("server/plugin.go".into(), format!("package main\n{code}"));
    files.insert("data/rows.jsonl".into(), data);
    support::one_commit_repo(files)
}

fn json(args: &[&str]) -> (i32, Value, support::Output) {
    let out = support::onboard(args);
    let v = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}\n{}", out.stdout, out.stderr));
    (out.code, v, out)
}

/// The `review-size` evidence of the ci-extensions gate in `status --format json`.
fn review_size_evidence(status: &Value) -> String {
    status["gates"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["evidence"].as_array().unwrap())
        .find(|e| e["rule"] == "review-size")
        .and_then(|e| e["text"].as_str())
        .expect("review-size evidence")
        .to_string()
}

#[test]
fn facts_are_what_the_rules_see_under_a_repository_policy() {
    let dir = plugin_with_data("version: 1\ntemplate:\n  fixture: [\"data/**\"]\n");
    let root = dir.path().to_str().unwrap();

    let (code, facts, out) = json(&["facts", root]);
    assert_eq!(code, 0, "{}", out.stderr);
    let lines = facts["template"]["review_lines"].as_u64().unwrap();
    // The 500 lines under data/ are fixtures, as the policy says: not review lines.
    assert!(lines < 400, "{lines} review lines: data/ was counted");
    assert_eq!(
        facts["settings"]["template"]["fixture"],
        serde_json::json!(["data/**"])
    );

    let (_, status, _) = json(&["status", root, "--format", "json"]);
    let evidence = review_size_evidence(&status);
    assert!(
        evidence.starts_with(&format!("{lines} review lines")),
        "facts say {lines}, status says: {evidence}"
    );

    // Without the setting the data is reviewed, in both.
    let plain = plugin_with_data("version: 1\n");
    let root = plain.path().to_str().unwrap();
    let (_, facts, _) = json(&["facts", root]);
    let more = facts["template"]["review_lines"].as_u64().unwrap();
    // The 500 data lines, less the two lines the first policy file has over this one.
    assert_eq!(more + 2, lines + 500, "{more} vs {lines}");
    let (_, status, _) = json(&["status", root, "--format", "json"]);
    assert!(review_size_evidence(&status).starts_with(&format!("{more} review lines")));
}

#[test]
fn policy_show_names_where_each_setting_comes_from() {
    let dir = plugin_with_data(
        "version: 1\nlicence: { threshold: 0.8 }\ncommitters: [alice]\nrules:\n  missing-readme: warn\n",
    );
    let root = dir.path().to_str().unwrap();
    let out = support::onboard(&["policy", "show", root]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("  licence.threshold = 0.800000011920929  from onboard-policy.yml:2")
            || out
                .stdout
                .contains("  licence.threshold = 0.8  from onboard-policy.yml:2"),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("  committers = [\"alice\"]  from onboard-policy.yml:3"));
    assert!(out.stdout.contains("  production = [\"server/**\""));
    assert!(out.stdout.contains("from (default)"));

    let (code, v, _) = json(&["policy", "show", root, "--format", "json"]);
    assert_eq!(code, 0);
    let committers = v["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "committers")
        .unwrap();
    assert_eq!(committers["value"], serde_json::json!(["alice"]));
    assert_eq!(
        committers["from"],
        serde_json::json!({ "file": "onboard-policy.yml", "line": 3 })
    );
}

#[test]
fn a_bad_setting_is_a_configuration_error_at_its_span() {
    let dir = plugin_with_data(
        "version: 1\ntemplate:\n  fixture: [\"data/[\"]\n  vendored: 3\nlicence: { threshold: 1.5 }\n",
    );
    let root = dir.path().to_str().unwrap();
    let (code, report, _) = json(&["lint", root, "--format", "json"]);
    assert_eq!(code, 2);
    let errors: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["rule"], "invalid-policy");
            assert_eq!(f["location"]["path"], "onboard-policy.yml");
            (
                f["message"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(errors[0].0.contains("invalid glob `data/[`"), "{errors:?}");
    assert_eq!((errors[0].1, errors[0].2), (3, 13));
    assert!(errors[1].0.contains("`template.vendored`"), "{errors:?}");
    assert_eq!((errors[1].1, errors[1].2), (4, 13));
    assert!(errors[2].0.contains("between 0 and 1"), "{errors:?}");
    assert_eq!((errors[2].1, errors[2].2), (5, 23));

    // Every command that builds facts refuses it the same way.
    for args in [
        vec!["status", root],
        vec!["facts", root],
        vec!["review-diff", root],
    ] {
        let out = support::onboard(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("invalid glob `data/[`")
                && out.stderr.contains("onboard-policy.yml:3:13"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_template_index_that_names_nothing_is_a_configuration_error_at_its_span() {
    for (index, says) in [
        (
            "no-such-index",
            "is neither a shipped index nor a file in the repository",
        ),
        ("data", "is a directory"),
        ("../elsewhere.json", "leaves the repository"),
    ] {
        let dir = plugin_with_data(&format!("version: 1\ntemplate:\n  index: {index}\n"));
        let root = dir.path().to_str().unwrap();
        let (code, report, _) = json(&["lint", root, "--format", "json"]);
        assert_eq!(code, 2, "{index}: {report}");
        let findings = report["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 1, "{index}: {report}");
        let f = &findings[0];
        assert_eq!(f["rule"], "invalid-policy");
        assert!(
            f["message"].as_str().unwrap().contains(says),
            "{index}: {f}"
        );
        assert_eq!(f["location"]["path"], "onboard-policy.yml");
        let at = (
            f["location"]["line"].as_u64(),
            f["location"]["column"].as_u64(),
        );
        assert_eq!(at, (Some(3), Some(10)), "{index}: {f}");
    }
    // A file of the repository is a name that resolves: the run goes on to the comparison.
    let dir = plugin_with_data("version: 1\ntemplate:\n  index: README.md\n");
    let (code, report, _) = json(&["lint", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_ne!(code, 2, "{report}");
}

#[test]
fn review_diff_configuration_errors_point_at_their_span() {
    let dir = plugin_with_data("version: 1\nrules:\n  no-such-rule: deny\n");
    let root = dir.path().to_str().unwrap();
    let out = support::onboard(&["review-diff", root, "--format", "stat"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    // As `lint` shows it: the rule, the file, line and column, the source line.
    assert!(out.stderr.contains("invalid-policy"), "{}", out.stderr);
    assert!(
        out.stderr.contains("onboard-policy.yml:3:3"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("no-such-rule: deny"), "{}", out.stderr);
    assert!(!out.stderr.starts_with("error: "), "{}", out.stderr);
}

#[test]
fn the_threshold_setting_shapes_the_licence_facts() {
    let mut files = support::files(&[
        (
            ".onboarding.yml",
            "version: 1\npolicies: [onboard-policy.yml]\n",
        ),
        ("plugin.json", PLUGIN_JSON),
        ("LICENSE", "@data/licences/MIT-edited.txt"),
    ]);
    files.insert("onboard-policy.yml".into(), "version: 1\n".into());
    let strict = support::one_commit_repo(files.clone());
    files.insert(
        "onboard-policy.yml".into(),
        "version: 1\nlicence: { threshold: 0.8 }\n".into(),
    );
    let lenient = support::one_commit_repo(files);
    let root_of = |d: &tempfile::TempDir| d.path().to_str().unwrap().to_string();
    let (_, strict_facts, _) = json(&["facts", &root_of(&strict)]);
    let (_, lenient_facts, _) = json(&["facts", &root_of(&lenient)]);
    // The edited MIT (0.86) is never named MIT: its added paragraph changes terms. The
    // threshold decides whether it counts as resembling MIT (a changed MIT) or as no licence
    // above the threshold; both say where it departs.
    assert_eq!(strict_facts["licence"]["root"], Value::Null);
    assert_eq!(lenient_facts["licence"]["root"], Value::Null);
    let file = |facts: &Value| facts["licence"]["files"][0].clone();
    let (strict_file, lenient_file) = (file(&strict_facts), file(&lenient_facts));
    assert!(
        strict_file["reason"]
            .as_str()
            .unwrap()
            .contains("departs from it at line 11"),
        "{strict_file}"
    );
    assert!(
        lenient_file["reason"]
            .as_str()
            .unwrap()
            .contains("changes its terms"),
        "{lenient_file}"
    );
    assert_eq!(lenient_file["deviation"]["line"], 11);
    assert_eq!(
        lenient_facts["licence"]["threshold"].as_f64().unwrap() as f32,
        0.8
    );
}

/// A plugin whose `server/enterprise/` is under AGPL-3.0-or-later, declared as a carve-out.
fn plugin_with_carve_out(policy: &str) -> tempfile::TempDir {
    support::one_commit_repo(support::files(&[
        (
            ".onboarding.yml",
            "version: 1\npolicies: [onboard-policy.yml]\nlicence_paths:\n  \"server/enterprise/**\": AGPL-3.0-or-later\n",
        ),
        ("plugin.json", PLUGIN_JSON),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Hello\n\n`server/enterprise/` is AGPL-3.0.\n"),
        ("server/plugin.go", "package main\n\nfunc main() {}\n"),
        ("server/enterprise/license.go", "package enterprise\n\nfunc Licensed() bool { return false }\n"),
        ("server/enterprise/LICENSE", "@data/licences/AGPL-3.0-only.txt"),
        ("onboard-policy.yml", policy),
    ]))
}

/// The findings of `lint --format json` as `rule path:line`.
fn findings(root: &str) -> Vec<String> {
    let (_, report, _) = json(&["lint", root, "--format", "json"]);
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule"].as_str().unwrap(),
                f["location"]["path"].as_str().unwrap_or(""),
                f["location"]["line"]
            )
        })
        .collect()
}

#[test]
fn the_carve_out_allow_list_is_a_setting_defaulting_to_the_gates_allow_list() {
    // Default: a carve-out may declare only what the gate allows the plugin.
    let dir = plugin_with_carve_out("version: 1\n");
    let found = findings(dir.path().to_str().unwrap());
    assert!(
        found.contains(&"incompatible-licence .onboarding.yml:4".to_string()),
        "{found:?}"
    );
    // A policy that allows it in carve-outs: no licence finding at the carve-out.
    let dir = plugin_with_carve_out(
        "version: 1\nlicence:\n  carve_out_allow: [MIT, AGPL-3.0-or-later]\n",
    );
    let root = dir.path().to_str().unwrap();
    let found = findings(root);
    assert!(
        !found.iter().any(|f| f.starts_with("incompatible-licence")),
        "{found:?}"
    );
    let out = support::onboard(&["policy", "show", root]);
    assert!(
        out.stdout.contains("licence.carve_out_allow")
            && out.stdout.contains("onboard-policy.yml:3"),
        "{}",
        out.stdout
    );
    // Protected globs are a setting too: with `server/enterprise/**` protected, the carve-out
    // covers all of it.
    assert!(
        !found.iter().any(|f| f.starts_with("licence-carve-out")),
        "{found:?}"
    );
    let dir = plugin_with_carve_out(
        "version: 1\nlicence:\n  carve_out_allow: [AGPL-3.0-or-later]\n  carve_out_protected: [\"server/enterprise/**\"]\n",
    );
    let root = dir.path().to_str().unwrap();
    let found = findings(root);
    assert!(
        found.contains(&"licence-carve-out .onboarding.yml:4".to_string()),
        "{found:?}"
    );
    let (_, report, _) = json(&["lint", root, "--format", "json"]);
    let message = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "licence-carve-out")
        .and_then(|f| f["message"].as_str())
        .unwrap()
        .to_string();
    assert_eq!(
        message,
        "the carve-out `server/enterprise/**` covers all of `server/enterprise/**` (1 production \
         file, e.g. `server/enterprise/license.go`): a carve-out cannot put the plugin's own \
         licence or main code under other terms"
    );
}

#[test]
fn a_carve_out_allow_list_names_licences_or_is_an_error_at_its_span() {
    let dir = plugin_with_carve_out(
        "version: 1\nlicence:\n  carve_out_allow: [MIT, \"GPL v3\"]\n  carve_out_allow_by_owner: { example: [Not-A-Licence] }\n",
    );
    let (code, report, _) = json(&["lint", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2);
    let errors: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["message"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
                f["location"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].0.contains("`GPL v3` is not an SPDX licence id"),
        "{errors:?}"
    );
    assert_eq!((errors[0].1, errors[0].2), (3, 26));
    assert!(errors[1].0.contains("`Not-A-Licence`"), "{errors:?}");
    assert_eq!(errors[1].1, 4);
}
