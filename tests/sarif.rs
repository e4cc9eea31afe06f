//! SARIF as code scanning takes it: every result located, even in a repository with neither
//! `.onboarding.yml` nor a manifest; file URIs percent-encoded; fingerprints of findings about
//! the whole repository that survive a changed count.

mod support;

use serde_json::Value;
use std::path::Path;

fn sarif(root: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["lint", root.to_str().unwrap(), "--format", "sarif"];
    args.extend_from_slice(extra);
    let out = support::onboard(&args);
    assert_ne!(out.code, 2, "{}{}", out.stdout, out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// `(ruleId, uri, startLine)` of every result.
fn located(doc: &Value) -> Vec<(String, String, u64)> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let locations = r["locations"].as_array().unwrap();
            assert_eq!(locations.len(), 1, "one location: {r}");
            let p = &locations[0]["physicalLocation"];
            assert_eq!(p["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            (
                r["ruleId"].as_str().unwrap().to_string(),
                p["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                p["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The URI every repository-wide finding (those of `codes`) points at.
fn anchors(doc: &Value, codes: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = located(doc)
        .into_iter()
        .filter(|(code, _, _)| codes.contains(&code.as_str()))
        .map(|(_, uri, line)| {
            assert_eq!(line, 1);
            uri
        })
        .collect();
    out.dedup();
    out
}

#[test]
fn repository_wide_findings_point_at_the_readme_the_licence_or_the_first_file() {
    // OB101 missing-manifest, OB601 missing-ci: about the repository as a whole.
    let wide = ["OB101", "OB601"];
    let readme = support::one_commit_repo(support::files(&[
        ("README.md", "# Hello\n"),
        ("LICENSE", "@data/licences/MIT.txt"),
    ]));
    assert_eq!(anchors(&sarif(readme.path(), &[]), &wide), ["README.md"]);

    let licence = support::one_commit_repo(support::files(&[
        ("LICENSE", "@data/licences/MIT.txt"),
        ("server/main.go", "package main\n"),
    ]));
    assert_eq!(anchors(&sarif(licence.path(), &[]), &wide), ["LICENSE"]);

    let code = support::one_commit_repo(support::files(&[
        ("server/main.go", "package main\n"),
        ("webapp/index.js", "x\n"),
    ]));
    assert_eq!(anchors(&sarif(code.path(), &[]), &wide), ["server/main.go"]);

    // Nothing at all: the file that would say where the plugin stands.
    let empty = tempfile::tempdir().unwrap();
    let doc = sarif(empty.path(), &[]);
    assert!(!located(&doc).is_empty());
    assert_eq!(anchors(&doc, &wide), [".onboarding.yml"]);
}

#[test]
fn file_uris_are_percent_encoded() {
    let repo = support::one_commit_repo(support::files(&[
        (
            "plugin.json",
            "{\"id\": \"com.example.hello\", \"name\": \"Hello\"}\n",
        ),
        (".github/workflows/build #1 100%.yml", "on: [push\n"),
    ]));
    let doc = sarif(repo.path(), &[]);
    let uris: Vec<String> = located(&doc).into_iter().map(|(_, uri, _)| uri).collect();
    assert!(
        uris.contains(&".github/workflows/build%20%231%20100%25.yml".to_string()),
        "{uris:?}"
    );
    for uri in &uris {
        url::Url::parse("file:///src/")
            .unwrap()
            .join(uri)
            .unwrap_or_else(|e| panic!("{uri} is not a relative reference: {e}"));
        assert!(!uri.contains(' ') && !uri.contains('#'), "{uri}");
    }
}

#[test]
fn a_changed_count_keeps_the_fingerprint_of_a_repository_wide_finding() {
    let policy = tempfile::tempdir().unwrap();
    let policy_file = policy.path().join("small-reviews.yml");
    std::fs::write(
        &policy_file,
        "version: 1\nrules:\n  review-size: { level: deny, params: { max_review_lines: 2 } }\n",
    )
    .unwrap();
    let policy_arg = policy_file.to_str().unwrap();
    let review_size = |lines: usize| {
        let code = "x := 1\n".repeat(lines);
        let repo = support::one_commit_repo(support::files(&[
            (
                "plugin.json",
                "{\"id\": \"com.example.hello\", \"name\": \"Hello\"}\n",
            ),
            ("server/plugin.go", &code),
        ]));
        let doc = sarif(repo.path(), &["--policy", policy_arg]);
        let result = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "OB401")
            .cloned()
            .unwrap_or_else(|| panic!("no review-size finding: {doc}"));
        (
            result["message"]["text"].as_str().unwrap().to_string(),
            result["partialFingerprints"].clone(),
        )
    };
    let (ten, ten_fp) = review_size(10);
    let (eleven, eleven_fp) = review_size(11);
    assert_ne!(ten, eleven, "the count is in the message");
    assert_eq!(ten_fp, eleven_fp, "{ten}\n{eleven}");
}
