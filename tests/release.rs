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
    assert_eq!(tag(r, "v1.1.0")["reachable"], false);
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
