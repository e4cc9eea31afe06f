//! Verdicts built from the shapes real plugins have, stated item by item: the state of a
//! checklist item in `onboard status` and what its evidence or reason says. The fixtures in
//! `tests/fixtures/` hold the repositories (and the findings `lint` must give); these tests read
//! the same files and assert what `status` says about them.

mod support;

use serde_json::Value;

/// Builds the repository of `tests/fixtures/<name>.yml` and runs `onboard status` on it.
fn status(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("tests/fixtures/{name}.yml")).unwrap();
    let node = onboard::yaml::parse(&text).unwrap();
    let mut fixture = node.to_json();
    let object = fixture.as_object_mut().unwrap();
    for key in ["description", "args", "expect"] {
        object.remove(key);
    }
    let spec: support::RepoSpec = serde_json::from_value(fixture).unwrap();
    let dir = support::repo(&spec);
    let out = support::onboard(&["status", dir.path().to_str().unwrap(), "--format", "json"]);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// `(state, reason, evidence texts)` of an item at a gate.
fn item(status: &Value, gate: &str, id: &str) -> (String, Option<String>, Vec<String>) {
    let g = status["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == gate)
        .unwrap_or_else(|| panic!("no gate {gate}"));
    let i = g["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} at {gate}: {g:#}"));
    (
        i["state"].as_str().unwrap().to_string(),
        i["reason"].as_str().map(str::to_string),
        i["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["text"].as_str().unwrap().to_string())
            .collect(),
    )
}

#[test]
fn travis_ci_builds_master_and_releases() {
    let s = status("ci-travis");
    let (state, _, evidence) = item(&s, "ci-extensions", "ci-master");
    assert_eq!(state, "pass");
    assert!(evidence.contains(&"CI configuration: .travis.yml (Travis CI)".to_string()));
    assert!(evidence.contains(&"`.travis.yml` builds `master` on push (Travis CI)".to_string()));
    let (state, _, evidence) = item(&s, "ci-extensions-release", "ci-release");
    assert_eq!(state, "pass");
    assert!(evidence.contains(
        &"`.travis.yml` builds version tags (`v1.2.3`) and deploys them (Travis CI)".to_string()
    ));
}

#[test]
fn ci_configuration_not_understood_is_unknown_not_missing() {
    let s = status("ci-not-understood");
    let expected =
        "CI configuration not understood: `.gitlab-ci.yml` (GitLab CI: onboard does not \
                    read GitLab CI configuration)";
    for (gate, id) in [
        ("ci-extensions", "ci-master"),
        ("ci-extensions-release", "ci-release"),
    ] {
        let (state, reason, _) = item(&s, gate, id);
        assert_eq!(state, "unknown", "{gate} {id}");
        assert_eq!(reason.as_deref(), Some(expected), "{gate} {id}");
    }
}

#[test]
fn an_uncustomised_template_has_nothing_to_review() {
    let s = status("template-no-own-code");
    let (state, _, _) = item(&s, "ci-extensions", "review-diff");
    assert_eq!(state, "fail");
    let text = serde_json::to_string(&s).unwrap();
    assert!(text.contains("nothing to review: the plugin has no code of its own"));
    // A plugin with code of its own passes the rule, saying how much.
    let s = status("template-not-customised");
    let (_, _, evidence) = item(&s, "ci-extensions", "review-diff");
    assert!(
        evidence
            .iter()
            .any(|e| e == "5 lines of the plugin's own code in 1 source file"),
        "{evidence:?}"
    );
}

/// The evidence of one rule at a gate, as `(text, line)`.
fn evidence(status: &Value, gate: &str, rule: &str) -> Vec<(String, Option<u64>)> {
    status["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["id"] == gate)
        .flat_map(|g| g["items"].as_array().unwrap())
        .flat_map(|i| i["evidence"].as_array().unwrap())
        .filter(|e| e["rule"] == rule)
        .map(|e| {
            (
                e["text"].as_str().unwrap().to_string(),
                e["location"]["line"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn a_link_to_the_product_documentation_is_a_setup_pointer() {
    let s = status("docs-readme-pointer");
    let link = "link [Mattermost Product Documentation](https://docs.mattermost.com/integrate/hello-interoperability.html)";
    assert_eq!(
        evidence(&s, "marketplace", "missing-readme-section"),
        [
            (format!("`README.md` installation: {link}"), Some(7)),
            (format!("`README.md` configuration: {link}"), Some(7)),
            (format!("`README.md` usage: {link}"), Some(7)),
        ]
    );
    assert_eq!(
        evidence(&s, "ci-extensions-release", "missing-setup-docs"),
        [
            (format!("`README.md` installation: {link}"), Some(7)),
            (format!("`README.md` configuration: {link}"), Some(7)),
        ]
    );
    assert_eq!(
        evidence(&s, "ci-extensions-release", "missing-use-cases"),
        [(
            "`README.md` lists 2 use cases after \"This plugin contains the following features:\""
                .to_string(),
            Some(10)
        )]
    );
}

#[test]
fn setup_steps_under_another_heading_are_found_by_content() {
    let s = status("docs-readme-content");
    assert_eq!(
        evidence(&s, "marketplace", "missing-readme-section"),
        [
            (
                "`README.md` installation: text \"Go to System Console > Plugins > Management and \
                 click Enable to enable the Hello…\""
                    .to_string(),
                Some(7)
            ),
            (
                "`README.md` configuration: heading `Configuration`".to_string(),
                Some(5)
            ),
            ("`README.md` usage: heading `Usage`".to_string(), Some(10)),
        ]
    );
    let (state, _, _) = item(&s, "ci-extensions-release", "pm-ux");
    assert_eq!(
        state, "fail",
        "the Usage section has no bullet list of use cases"
    );
}

#[test]
fn developer_documentation_is_not_setup_documentation() {
    let s = status("docs-readme-developer");
    assert_eq!(evidence(&s, "marketplace", "missing-readme-section"), []);
    assert_eq!(
        evidence(&s, "ci-extensions-release", "missing-setup-docs"),
        []
    );
    let (state, _, _) = item(&s, "ci-extensions-release", "qa");
    assert_eq!(state, "fail");
}

/// The messages of one rule's findings at a gate.
fn messages(status: &Value, gate: &str, rule: &str) -> Vec<String> {
    status["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["id"] == gate)
        .flat_map(|g| g["items"].as_array().unwrap())
        .flat_map(|i| i["findings"].as_array().unwrap())
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fields_the_template_build_fills_are_judged_as_built() {
    let s = status("manifest-built-release-notes");
    let url = "https://github.com/example/mattermost-plugin-hello/releases/tag/v1.2.0";
    assert!(
        evidence(&s, "marketplace", "missing-marketplace-field").contains(&(
            format!(
                "`release_notes_url` is filled by the template's build (`build/manifest/main.go`) \
             from `homepage_url` and the nearest tag `v1.2.0`: {url}"
            ),
            None
        ))
    );
    assert_eq!(
        evidence(&s, "marketplace", "wrong-release-notes-url"),
        [(
            format!("the template's build writes `release_notes_url` as {url}, a release of this plugin"),
            None
        )]
    );
    assert_eq!(
        messages(&s, "marketplace", "missing-marketplace-field"),
        Vec::<String>::new()
    );
    assert!(
        evidence(&s, "ci-extensions-release", "manifest-version-mismatch")
            .iter()
            .any(|(t, _)| {
                t
            == "the manifest sets no `version`: the template's build (`build/manifest/main.go`) \
                writes `1.2.0`, from the tag `v1.2.0` at the linted commit"
            })
    );
}

#[test]
fn a_built_release_notes_url_can_be_wrong_or_missing() {
    let s = status("manifest-built-concatenation");
    assert_eq!(
        messages(&s, "marketplace", "wrong-release-notes-url"),
        ["the template's build writes `release_notes_url` as \
          https://github.com/example/mattermost-plugin-helloreleases/tag/v1.2.0: \
          `build/manifest/main.go` joins `homepage_url + \"releases/tag/\" + tag`, and \
          `homepage_url` has no trailing `/`, so the repository name runs into `releases`"]
    );
    let s = status("manifest-built-no-tag");
    assert_eq!(
        messages(&s, "marketplace", "missing-marketplace-field"),
        [
            "the Marketplace requires `release_notes_url`, and the template's build \
          (`build/manifest/main.go`) leaves it empty: no `v*` tag in the history to make it from"
        ]
    );
}

#[test]
fn a_written_release_notes_url_names_this_release() {
    let s = status("manifest-release-notes-written");
    assert_eq!(
        messages(&s, "marketplace", "wrong-release-notes-url"),
        ["`release_notes_url` names no release: it ends in `/tag/v`, without the version"]
    );
    let s = status("manifest-release-notes-repository-page");
    assert_eq!(
        messages(&s, "marketplace", "wrong-release-notes-url"),
        ["`release_notes_url` is the repository's page, not the notes of a release"]
    );
}

#[test]
fn releases_built_outside_the_repository_are_unknown_when_declared() {
    let s = status("ci-releases-elsewhere");
    let (state, reason, _) = item(&s, "ci-extensions-release", "ci-release");
    assert_eq!(state, "unknown");
    assert_eq!(
        reason.as_deref(),
        Some(
            "no CI configuration in the repository builds releases; `ci.release_build_url` says \
             they are built outside it: https://github.com/example/mattermost-plugin-hello/releases"
        )
    );
}
