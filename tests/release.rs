//! Release facts from real git: tag kinds, precedence, the default branch, `--rev`, and a real
//! `git clone --depth 1`.

mod support;

use support::RepoSpec;

/// The repository of a fixture file, built.
fn fixture_repo(name: &str) -> tempfile::TempDir {
    let text = std::fs::read_to_string(format!("tests/fixtures/{name}.yml")).unwrap();
    let mut json = onboard::yaml::parse(&text).unwrap().to_json();
    let obj = json.as_object_mut().unwrap();
    for key in ["description", "args", "expect"] {
        obj.remove(key);
    }
    let spec: RepoSpec = serde_json::from_value(json).unwrap();
    support::repo(&spec)
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = support::onboard(args);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", out.stdout, out.stderr))
}

fn tag<'a>(release: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    release["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no tag {name}"))
}

#[test]
fn tags_of_every_kind_with_semver_precedence() {
    let dir = fixture_repo("release-tags");
    let root = dir.path().to_str().unwrap();
    let facts = json(&["facts", root]);
    let r = &facts["release"];
    assert_eq!(r["shallow"], false);
    assert_eq!(r["default_branch"], "master");
    assert_eq!(r["highest_release"], "v1.1.0");
    assert_eq!(r["highest_prerelease"], "v1.1.0-RC1");
    assert_eq!(r["most_recent"], "v1.1.0");
    let names: Vec<&str> = r["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["v1.1.0", "v1.1.0-RC1", "v1.0.1", "v1.0.0", "v0.5"],
        "highest first by semver precedence"
    );
    let (v100, v110, v101, v05) = (
        tag(r, "v1.0.0"),
        tag(r, "v1.1.0"),
        tag(r, "v1.0.1"),
        tag(r, "v0.5"),
    );
    assert_eq!(
        (v100["annotated"].as_bool(), v100["signed"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(
        (v110["annotated"].as_bool(), v110["signed"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(v101["annotated"], false);
    assert_eq!(v101["on_default_branch"], false, "v1.0.1 is on release-1.0");
    assert_eq!(v101["reachable"], false);
    assert_eq!(v110["on_default_branch"], true);
    assert_eq!(v05["version"], "0.5.0");
    assert_eq!(v05["notes"], serde_json::json!(["two_part"]));
    assert_eq!(
        r["set_aside"],
        serde_json::json!([
            {"name": "client/v1.2.3", "kind": "submodule"},
            {"name": "latest-master", "kind": "not_a_version"}
        ])
    );
    assert_eq!(r["manifest_version"], "1.0.0");
    assert_eq!(r["manifest_version_agrees"], false);
    assert_eq!(r["manifest_version_compared_with"], "v1.1.0");
    assert_eq!(facts["ci"]["builds_master"], true);
    assert_eq!(facts["ci"]["builds_releases"], false);

    // At the tag, the manifest's 1.0.0 is the tag's version.
    let at_tag = json(&["facts", root, "--rev", "v1.0.0"]);
    let r = &at_tag["release"];
    assert_eq!(r["at_revision"], serde_json::json!(["v1.0.0"]));
    assert_eq!(r["manifest_version_agrees"], true);
    assert_eq!(r["highest_release_reachable"], "v1.0.0");
    assert!(
        r["tags"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["name"] != "v1.1.0"),
        "a later tag does not exist for a --rev run"
    );
    assert_eq!(r["highest_release"], "v1.0.0");
}

#[test]
fn a_plain_directory_says_release_facts_are_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plugin.json"), r#"{"id": "com.example.x"}"#).unwrap();
    let facts = json(&["facts", dir.path().to_str().unwrap()]);
    assert!(facts["release"]["unavailable"]
        .as_str()
        .unwrap()
        .contains("not the root of a git repository"));
    assert_eq!(
        facts["ci"]["default_branch"],
        serde_json::json!(["master", "main"])
    );
}

#[test]
fn a_real_shallow_clone_is_one_warning_and_unknown_release_items() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("skipped: `git` is not installed, so no real shallow clone can be made");
        return;
    }
    let origin = fixture_repo("release-ready");
    let clone_parent = tempfile::tempdir().unwrap();
    let clone = clone_parent.path().join("clone");
    let url = format!("file://{}", origin.path().display());
    let out = std::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", &url])
        .arg(&clone)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = clone.to_str().unwrap();

    let facts = json(&["facts", root]);
    assert_eq!(facts["release"]["shallow"], true);
    assert_eq!(facts["repository"]["shallow"], true);
    assert_eq!(
        facts["release"]["default_branch"], "master",
        "from origin/HEAD, which git clone sets"
    );

    let lint = json(&[
        "lint",
        root,
        "--gate",
        "ci-extensions-release",
        "--format",
        "json",
    ]);
    // Of the release and CI rules, only the shallow-clone note speaks; the fixture has no
    // records or README, which other rules report.
    let rules: Vec<&str> = lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            ["OB5", "OB6"]
                .iter()
                .any(|g| f["code"].as_str().unwrap().starts_with(g))
        })
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["shallow-clone"], "{lint}");
    let message = lint["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("use `fetch-depth: 0` with actions/checkout"),
        "{message}"
    );

    let status = json(&["status", root, "--format", "json"]);
    let gate = status["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "ci-extensions-release")
        .unwrap();
    let release = gate["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "release")
        .unwrap();
    assert_eq!(release["state"], "unknown", "{release}");
    assert!(release["reason"]
        .as_str()
        .unwrap()
        .contains("shallow clone"));
}

/// A plugin with three releases, its id changed by v1.1.0, and docs branches made at different
/// times: `docs-1.0` left master the day after v1.0.0, `docs-1.1` the day after v2.0.0.
fn three_releases() -> tempfile::TempDir {
    let manifest = |id: &str| {
        format!(
            "{{\"id\": \"{id}\", \"name\": \"Hello\", \"version\": \"1.0.0\", \
             \"settings_schema\": {{\"settings\": []}}}}\n"
        )
    };
    let onboarding = "version: 1\ndocs:\n  versioned: true\n  branch_pattern: \"docs-{version}\"\n";
    let spec = serde_json::json!({
        "commits": [
            {"message": "first release", "annotated_tags": ["v1.0.0"],
             "files": {"plugin.json": manifest("com.example.hello"),
                       ".onboarding.yml": onboarding,
                       "server/plugin.go": "package main\n\nfunc main() {}\n"}},
            {"message": "docs for 1.0", "branch": "docs-1.0",
             "files": {"docs/setup.md": "# Setup\n"}},
            {"message": "rename", "annotated_tags": ["v1.1.0"],
             "files": {"plugin.json": manifest("hello")}},
            {"message": "second major", "annotated_tags": ["v2.0.0"],
             "files": {"server/more.go": "package main\n\nfunc more() {}\n"}},
            {"message": "docs for 1.1", "branch": "docs-1.1",
             "files": {"docs/setup.md": "# Setup 1.1\n"}},
        ]
    });
    support::repo(&serde_json::from_value(spec).unwrap())
}

fn rule_findings<'a>(lint: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    lint["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn names(values: &serde_json::Value, key: &str) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap_or("null").to_string())
        .collect()
}

#[test]
fn a_rev_run_sees_only_the_history_of_its_commit() {
    let dir = three_releases();
    let root = dir.path().to_str().unwrap();

    // At v1.0.0 the later releases and the rename after it do not exist.
    let old = json(&["facts", root, "--rev", "v1.0.0"]);
    let r = &old["release"];
    assert_eq!(r["scoped"], true);
    assert_eq!(names(&r["tags"], "name"), ["v1.0.0"]);
    assert_eq!(r["later_tags"], 2);
    assert_eq!(r["highest_release"], "v1.0.0");
    assert_eq!(r["highest_release_reachable"], "v1.0.0");
    assert_eq!(r["most_recent"], "v1.0.0");
    assert_eq!(names(&r["plugin_ids"], "id"), ["com.example.hello"]);
    assert_eq!(r["docs_branches"]["current"], "1.0");
    assert_eq!(r["docs_branches"]["lines"], serde_json::json!([]));
    let lint = json(&[
        "lint",
        root,
        "--rev",
        "v1.0.0",
        "--gate",
        "marketplace",
        "--format",
        "json",
    ]);
    assert!(rule_findings(&lint, "plugin-id-changed").is_empty());

    // At v1.1.0 the rename is the highest release's: reported.
    let lint = json(&[
        "lint",
        root,
        "--rev",
        "v1.1.0",
        "--gate",
        "marketplace",
        "--format",
        "json",
    ]);
    let changed = rule_findings(&lint, "plugin-id-changed");
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(
        changed[0]["message"],
        "the plugin id changed from `com.example.hello` (v1.0.0, 2026-01-01) to `hello` \
         (v1.1.0, 2026-01-03)"
    );
    assert_eq!(changed[0]["level"], "deny");

    // At v2.0.0 every release is there; the rename has shipped in a release since, so it is
    // settled: evidence, not a finding.
    let new = json(&["facts", root, "--rev", "v2.0.0"]);
    let r = &new["release"];
    assert_eq!(names(&r["tags"], "name"), ["v2.0.0", "v1.1.0", "v1.0.0"]);
    assert_eq!(r["later_tags"], 0);
    assert_eq!(r["highest_release"], "v2.0.0");
    assert_eq!(
        names(&r["plugin_ids"], "id"),
        ["hello", "hello", "com.example.hello"]
    );
    // docs-1.0 left master before v2.0.0 was made; docs-1.1 only after it.
    let lines = &r["docs_branches"]["lines"];
    assert_eq!(names(lines, "branch"), ["docs-1.1", "docs-1.0"]);
    assert_eq!(lines[0]["exists"], false, "docs-1.1 was made after v2.0.0");
    assert_eq!(lines[1]["exists"], true);
    let lint = json(&[
        "lint",
        root,
        "--rev",
        "v2.0.0",
        "--gate",
        "marketplace",
        "--format",
        "json",
    ]);
    assert!(rule_findings(&lint, "plugin-id-changed").is_empty());
    let status = json(&["status", root, "--rev", "v2.0.0", "--format", "json"]);
    let text = status.to_string();
    assert!(
        text.contains(
            "earlier renames, settled by the releases since: `com.example.hello` (v1.0.0, \
             2026-01-01) to `hello` (v1.1.0, 2026-01-03)"
        ),
        "{text}"
    );

    // The working tree sees every ref, as it always did: both docs branches exist.
    let now = json(&["facts", root]);
    let r = &now["release"];
    assert_eq!(r["scoped"], false);
    assert_eq!(r["highest_release"], "v2.0.0");
    let lines = &r["docs_branches"]["lines"];
    assert_eq!(lines[0]["exists"], true);
    assert_eq!(lines[1]["exists"], true);
}
