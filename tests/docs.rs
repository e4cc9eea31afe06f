//! The `docs` facts through `onboard facts`: the keys other tools read, on the working tree, at
//! a revision and in a plain directory without git.

mod support;

use serde_json::Value;
use support::{Commit, RepoSpec};

const README: &str = "# Hello\n\n[![Build](https://img.shields.io/badge/build-green.svg)](https://ci.example.com)\n\n**Maintainer:** [@someone](https://github.com/someone)\n\nHello greets every new member of a team with a message.\n\n## Features\n\n- Greets new members of every team.\n- Waits a configurable delay before greeting.\n\n## Installation\n\nUpload the release.\n";

const MANIFEST: &str = r#"{"id": "com.example.hello", "name": "Hello", "settings_schema": {
  "settings": [{"key": "Greeting", "type": "text", "help_text": "What the bot says."},
    {"key": "Panel", "type": "custom"}],
  "sections": [{"key": "s", "settings": [
    {"key": "greeting", "type": "text"},
    {"key": "Delay", "type": "number", "help_text": {"id": "d", "defaultMessage": "Seconds."}},
    {"key": "Mode", "type": "text"}]},
    {"key": "drawn", "custom": true, "settings": [{"key": "Layout", "type": "text"}]}]}}"#;

fn facts(args: &[&str]) -> Value {
    let out = support::onboard(args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str::<Value>(&out.stdout).unwrap()["docs"].clone()
}

fn spec(git: bool) -> RepoSpec {
    RepoSpec {
        shallow: false,
        remote: None,
        git,
        commits: vec![Commit {
            message: "initial".into(),
            files: support::files(&[("readme.md", README), ("plugin.json", MANIFEST)]),
            ..Commit::default()
        }],
        worktree: Commit {
            files: support::files(&[("readme.md", "# Hello\n\nShort.\n")]),
            ..Commit::default()
        },
    }
}

#[test]
fn docs_facts_on_the_worktree_at_a_revision_and_without_git() {
    let dir = support::repo(&spec(true));
    let root = dir.path().to_str().unwrap();

    let at_head = facts(&["facts", root, "--rev", "HEAD"]);
    assert_eq!(at_head["readme"], "readme.md", "found in any case");
    assert_eq!(
        at_head["summary"],
        "Hello greets every new member of a team with a message."
    );
    let skipped: Vec<&str> = at_head["summary_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["badges or images", "maintainer line"]);
    assert_eq!(
        at_head["use_cases"],
        serde_json::json!([
            "Greets new members of every team.",
            "Waits a configurable delay before greeting."
        ])
    );
    // Greeting and greeting are one key (with help); Delay has a message; Mode has none;
    // Panel (`"type": "custom"`) and Layout (in a `"custom": true` section) are drawn by the
    // plugin's own component, so they need no help text in the manifest.
    assert_eq!(at_head["settings"]["total"], 5);
    assert_eq!(at_head["settings"]["with_help"], 2);
    assert_eq!(at_head["settings"]["custom"], 2);
    assert_eq!(
        at_head["settings"]["without_help"],
        serde_json::json!(["Mode"])
    );
    let headings = at_head["structure"]["headings"].as_array().unwrap();
    assert_eq!(headings.len(), 3);
    assert_eq!(headings[1]["text"], "Features");
    assert_eq!(headings[1]["level"], 2);

    // The working tree's README replaced the summary.
    let worktree = facts(&["facts", root]);
    assert_eq!(worktree["summary"], "Short.");
    assert_eq!(worktree["use_cases"], serde_json::json!([]));

    // Without git: the same facts from the files.
    let plain = support::repo(&spec(false));
    let plain_facts = facts(&["facts", plain.path().to_str().unwrap()]);
    assert_eq!(plain_facts["readme"], "readme.md");
    assert_eq!(plain_facts["summary"], "Short.");
    assert_eq!(plain_facts["settings"]["total"], 5);
}

#[test]
fn no_readme_no_summary() {
    let dir = support::one_commit_repo(support::files(&[("plugin.json", MANIFEST)]));
    let docs = facts(&["facts", dir.path().to_str().unwrap()]);
    assert_eq!(docs["readme"], Value::Null);
    assert_eq!(docs["summary"], Value::Null);
    assert_eq!(docs["use_cases"], serde_json::json!([]));
    assert_eq!(docs["settings"]["total"], 5);
}

#[test]
fn security_contact_from_a_file_a_readme_section_or_onboarding() {
    let contact = |files: &[(&str, &str)]| {
        let dir = support::one_commit_repo(support::files(files));
        facts(&["facts", dir.path().to_str().unwrap()])["security_contact"].clone()
    };
    let readme = ("README.md", "# Hello\n\nSays hello.\n");
    assert_eq!(contact(&[readme]), Value::Null);
    assert_eq!(
        contact(&[readme, (".github/SECURITY.md", "Report to us.\n")]),
        serde_json::json!({"kind": "file", "path": ".github/SECURITY.md"})
    );
    assert_eq!(
        contact(&[("README.md", "# Hello\n\n## Reporting security issues\n")]),
        serde_json::json!({"kind": "section", "heading": "Reporting security issues"})
    );
    assert_eq!(
        contact(&[("README.md", "# Hello\n\nWrite to <security@example.com>.\n")]),
        serde_json::json!({"kind": "email", "address": "security@example.com"})
    );
    let declared = (
        ".onboarding.yml",
        "version: 1\ndocs:\n  security: https://example.com/security\n",
    );
    assert_eq!(
        contact(&[readme, declared]),
        serde_json::json!({"kind": "declared", "value": "https://example.com/security"})
    );
}

/// The PM/UX item after a release that adds two settings (one `custom`) to a plugin with this
/// README, which the release left unchanged.
fn pm_ux_after_new_settings(readme: &str) -> Value {
    let manifest = |extra: &str| {
        format!(
            r#"{{"id": "com.example.hello", "name": "Hello", "settings_schema": {{"settings": [
  {{"key": "Greeting", "type": "text", "help_text": "What to say."}}{extra}]}}}}"#
        )
    };
    let spec = RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![
            Commit {
                message: "first release".into(),
                files: support::files(&[("plugin.json", &manifest("")), ("README.md", readme)]),
                annotated_tags: vec!["v1.0.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "a new setting and a panel of its own".into(),
                files: support::files(&[(
                    "plugin.json",
                    &manifest(
                        r#", {"key": "Loud", "type": "bool", "help_text": "Shout."}, {"key": "Panel", "type": "custom"}"#,
                    ),
                )]),
                annotated_tags: vec!["v1.1.0".into()],
                ..Commit::default()
            },
        ],
        worktree: Commit::default(),
    };
    let dir = support::repo(&spec);
    let root = dir.path().to_str().unwrap();
    let policy = dir.path().join("relaxed.yml");
    // Only the two rules under test decide the PM/UX item.
    std::fs::write(
        &policy,
        "version: 1\nrules:\n  records: allow\n  docs-not-updated-for-settings: deny\n  missing-setting-help: deny\n",
    )
    .unwrap();
    let out = support::onboard(&[
        "status",
        root,
        "--policy",
        policy.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let status: Value =
        serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{}", out.stderr));
    let gate = status["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "ci-extensions-release")
        .unwrap_or_else(|| panic!("{status}"));
    let pm_ux = gate["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "pm-ux")
        .unwrap();
    pm_ux.clone()
}

/// Settings added in a release while the README documents configuration only by a link to an
/// external page (a setup pointer, or a configuration section that only points there): the
/// repository cannot show whether that page changed, so the PM/UX item is unknown, naming the
/// page; a `custom` setting needs no help text in the manifest. A configuration section that
/// documents settings itself is a finding.
#[test]
fn settings_documented_outside_the_repository_are_unknown_not_undocumented() {
    let intro = "# Hello\n\nHello greets every new member of a team.\n\n## Features\n\n- Greets new members of every team.\n- Waits before greeting.\n\n";
    let pointer = format!("{intro}For installation and configuration, see the [product documentation](https://docs.example.com/hello/configuration).\n");
    let section = format!(
        "{intro}## Configuration, Setup, and Usage\n\nSee the product documentation for details on \
         [setting up](https://docs.example.com/hello/setup), [configuring](https://docs.example.com/hello/configuration), \
         and [using](https://docs.example.com/hello/usage) Hello.\n\n## Development\n\nRun `make`.\n"
    );
    // The page named is the first link about configuration ("setting up" is).
    for (readme, page) in [(&pointer, "configuration"), (&section, "setup")] {
        let pm_ux = pm_ux_after_new_settings(readme);
        assert_eq!(pm_ux["state"], "unknown", "{pm_ux}");
        assert_eq!(
            pm_ux["reason"],
            format!(
                "settings changed over v1.0.0..v1.1.0 (`Loud`, `Panel`); their documentation is \
                 outside the repository (https://docs.example.com/hello/{page}), which cannot \
                 show whether it changed"
            ),
            "{readme}"
        );
        assert_eq!(
            pm_ux["findings"],
            serde_json::json!([]),
            "Panel is custom: {pm_ux}"
        );
    }
    // A section that explains settings itself is the repository's documentation.
    let written = format!(
        "{intro}## Configuration\n\nSet **Greeting** in the System Console to what Hello says to new \
         members; leave it empty to use the default greeting. The [product documentation](https://docs.example.com/hello/configuration) \
         has screenshots.\n\n- **Greeting**: the first words Hello says.\n"
    );
    let pm_ux = pm_ux_after_new_settings(&written);
    assert_eq!(pm_ux["state"], "fail", "{pm_ux}");
    assert!(
        pm_ux["findings"]
            .to_string()
            .contains("neither the README nor the setup docs did"),
        "{pm_ux}"
    );
}

/// What `rule` says about a repository of these files: its evidence texts when it passes, its
/// first finding's message when it fails.
fn verdict(files: &[(&str, &str)], rule: &str) -> Result<Vec<String>, String> {
    let dir = support::one_commit_repo(support::files(files));
    let root = dir.path().to_str().unwrap();
    let out = support::onboard(&["status", root, "--format", "json"]);
    let status: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", out.stderr);
    });
    let mut evidence = Vec::new();
    let mut findings = Vec::new();
    let mut walk = vec![&status];
    while let Some(v) = walk.pop() {
        match v {
            Value::Object(m) => {
                if m.get("rule").and_then(Value::as_str) == Some(rule) {
                    if let Some(t) = m.get("text").and_then(Value::as_str) {
                        evidence.push(t.to_string());
                    }
                    if let Some(t) = m.get("message").and_then(Value::as_str) {
                        findings.push(t.to_string());
                    }
                }
                walk.extend(m.values());
            }
            Value::Array(a) => walk.extend(a.iter().rev()),
            _ => {}
        }
    }
    evidence.dedup();
    match (evidence.is_empty(), findings.first()) {
        (false, None) => Ok(evidence),
        (true, Some(f)) => Err(f.clone()),
        _ => panic!("{rule}: expected evidence or a finding, got {evidence:?} and {findings:?}"),
    }
}

/// `missing-use-cases` on a README: its first evidence, or its finding.
fn use_cases_verdict(readme: &str) -> Result<String, String> {
    let manifest = r#"{"id": "com.example.hello", "name": "Hello"}"#;
    verdict(
        &[("README.md", readme), ("plugin.json", manifest)],
        "missing-use-cases",
    )
    .map(|e| e[0].clone())
}

#[test]
fn use_cases_are_found_in_the_shapes_real_readmes_write_them() {
    // bigbluebutton and webex: sub-headings with prose under `## Usage`.
    let subs = "# Meet\n\nMeet starts video meetings from a channel.\n\n## Usage\n\n#### Create a meeting in any channel\n\nYou can create a meeting that all channel members can join.\n\n![](docs/create.png)\n\n#### Search past recordings\n\nUse the drop-down menu to search a channel for recordings.\n";
    assert_eq!(
        use_cases_verdict(subs).unwrap(),
        "`README.md` describes 2 use cases as sub-headings under `Usage`, the first `Create a meeting in any channel`"
    );
    // autolink: a numbered list of examples.
    let numbered = "# Links\n\nLinks turns words into links.\n\n## Examples\n\n1. Autolinking `Ticket 123` to a ticket link.\n2. Autolinking a pull request URL to a short name.\n";
    assert_eq!(
        use_cases_verdict(numbered).unwrap(),
        "`README.md` lists 2 use cases as numbered items under `Examples`"
    );
    // giphy and profanity-filter: a single-purpose plugin's prose.
    let prose = "# Gifs\n\nPost GIFs with a slash command.\n\n## Usage\n\nUse the command `/gif cats` to search for a GIF and shuffle until you find one you like.\n";
    assert_eq!(
        use_cases_verdict(prose).unwrap(),
        "`README.md` describes its use in prose under `Usage`: \"Use the command /gif cats to search for a GIF and shuffle un…\""
    );
    // github and zoom: the product documentation, about using the plugin.
    let pointer = "# Hub\n\nA Hub plugin for Mattermost.\n\nSee the [Mattermost Product Documentation](https://docs.mattermost.com/integrate/hub.html) for details on installing, configuring, enabling, and using this Mattermost integration.\n";
    assert_eq!(
        use_cases_verdict(pointer).unwrap(),
        "`README.md` links to documentation about using the plugin: [Mattermost Product Documentation](https://docs.mattermost.com/integrate/hub.html)"
    );

    // memes: a slash command shown under the summary, no heading.
    let command = "# Memes\n\nThis plugin will create a slash command that you can use to create memes!\n\n`/meme everywhere \"memes.\" \"memes everywhere\"`\n\nFor more information type `/meme ` and press enter.\n";
    assert_eq!(
        use_cases_verdict(command).unwrap(),
        "`README.md` shows a slash command for users to type: \"/meme everywhere \"memes.\" \"memes everywhere\"\""
    );
    // aws-SNS: the only usage word is in another product's web address, not in the README.
    let address = "# Alerts\n\nSend alerts from a cloud to a channel.\n\n## Configuration\n\n1. Create an [alarm for your instance](https://docs.cloud.example/UserGuide/using-alarms.html).\n";
    assert_eq!(
        use_cases_verdict(address).unwrap_err(),
        "`README.md` describes no use cases: no section such as Features or Usage, and no link to documentation about using the plugin"
    );
    // playbooks: a summary and a link about configuration only.
    let config_only = "# Books\n\nBooks lets your team run checklists. For configuration and administration information visit our [documentation](https://docs.mattermost.com/guides/books.html).\n\n## Development\n\n### Usage\n\nRun `make deploy` to build the plugin and upload it to a local server.\n";
    assert_eq!(
        use_cases_verdict(config_only).unwrap_err(),
        "`README.md` describes no use cases: no section such as Features or Usage, and no link to documentation about using the plugin"
    );
    // Numbered steps under `## Usage` are how, not what; a label is no description.
    let steps =
        "# Hello\n\nGreets members.\n\n## Usage\n\n1. Join a team.\n2. Read the greeting.\n";
    assert_eq!(
        use_cases_verdict(steps).unwrap_err(),
        "the `Usage` section of `README.md` describes no use case: no list, sub-headings or prose"
    );
}

#[test]
fn configuration_docs_are_needed_only_when_a_setting_must_be_set_or_explained() {
    // todo: installation steps and usage, one `bool` setting with help text, nothing else.
    let readme = "# Todo\n\nTrack todo issues in a list.\n\n## Install\n\n1. Download the latest release.\n2. Upload it in **System Console > Plugin Management**.\n\n## Usage\n\n- Add an issue with `/todo add`.\n- List your issues with `/todo list`.\n";
    let manifest = |setting: &str| {
        format!(
            r#"{{"id": "com.example.todo", "name": "Todo", "settings_schema": {{"settings": [{setting}]}}}}"#
        )
    };
    let bool_with_help = manifest(
        r#"{"key": "hide_team_sidebar", "type": "bool", "help_text": "When true, the buttons are hidden.", "default": null}"#,
    );
    let setup = verdict(
        &[("README.md", readme), ("plugin.json", &bool_with_help)],
        "missing-setup-docs",
    )
    .expect("nothing to configure: setup docs are the installation steps");
    assert!(
        setup.contains(&"`README.md` configuration: none needed: the manifest's one setting (`hide_team_sidebar`) has a value without being set and help text in the System Console".to_string()),
        "{setup:?}"
    );
    verdict(
        &[("README.md", readme), ("plugin.json", &bool_with_help)],
        "missing-readme-section",
    )
    .expect("the Marketplace's configuration section is not needed either");
    let no_settings = r#"{"id": "com.example.todo", "name": "Todo"}"#;
    verdict(
        &[("README.md", readme), ("plugin.json", no_settings)],
        "missing-setup-docs",
    )
    .expect("a plugin without settings has nothing to configure");

    // A value that must be filled in, a setting without help, or one the plugin draws itself.
    for setting in [
        r#"{"key": "APIKey", "type": "text", "help_text": "The service's API key."}"#,
        r#"{"key": "Mode", "type": "bool"}"#,
        r#"{"key": "Links", "type": "custom", "help_text": "The links."}"#,
    ] {
        assert_eq!(
            verdict(
                &[("README.md", readme), ("plugin.json", &manifest(setting))],
                "missing-setup-docs"
            ),
            Err("no setup documentation: `README.md` has no configuration section, and .onboarding.yml names no `docs.setup`".to_string()),
            "{setting}"
        );
    }
    let with_default = manifest(
        r#"{"key": "Delay", "type": "number", "help_text": "Seconds to wait.", "default": 5}"#,
    );
    verdict(
        &[("README.md", readme), ("plugin.json", &with_default)],
        "missing-setup-docs",
    )
    .expect("a number with a default and help needs no configuration section");
}

#[test]
fn a_linked_guide_in_the_repository_is_read_for_its_sections() {
    // confluence: the README's only account of installing is its admin guide's heading.
    let readme = "# Pages\n\n- [Admin Guide](/docs/admin-guide.md)\n\nPages previews wiki pages in channels.\n\n## Features\n\n- Subscribe a channel to page updates.\n- Preview page links in posts.\n";
    let guide = "## Admin guide\n\n### Installation\n\nUpload the release in the System Console.\n\n### Configuration\n\nSet the wiki URL.\n";
    let manifest = r#"{"id": "com.example.pages", "name": "Pages", "settings_schema": {"settings": [{"key": "URL", "type": "text", "help_text": "The wiki."}]}}"#;
    let evidence = verdict(
        &[
            ("README.md", readme),
            ("docs/admin-guide.md", guide),
            ("plugin.json", manifest),
        ],
        "missing-readme-section",
    )
    .expect("installation and configuration are in the linked guide");
    assert!(
        evidence.contains(
            &"`README.md` installation: link [Admin Guide](/docs/admin-guide.md)".to_string()
        ),
        "{evidence:?}"
    );
    // The same link to a guide without an installation heading documents configuration only.
    let no_install = "## Admin guide\n\n### Configuration\n\nSet the wiki URL.\n";
    assert_eq!(
        verdict(
            &[
                ("README.md", readme),
                ("docs/admin-guide.md", no_install),
                ("plugin.json", manifest),
            ],
            "missing-readme-section",
        ),
        Err("`README.md` has no installation section".to_string())
    );
}

#[test]
fn enabling_is_installing_only_for_a_plugin_the_server_ships() {
    // welcomebot's README installs by enabling: the server ships it prepackaged.
    let readme = "# Greeter\n\nGreets new members of a team.\n\n## Configuration\n\n1. Go to **System Console > Plugins > Management** and click **Enable** to enable the plugin.\n2. Set the greeting in **System Console > Plugins > Greeter**.\n\n## Usage\n\n- Greet a member when they join a team.\n- Greet a member when they join a channel.\n";
    let manifest = |id: &str| {
        format!(
            r#"{{"id": "{id}", "name": "Greeter", "settings_schema": {{"settings": [{{"key": "Greeting", "type": "text", "help_text": "What is said."}}]}}}}"#
        )
    };
    let shipped = manifest("com.mattermost.welcomebot");
    let evidence = verdict(
        &[("README.md", readme), ("plugin.json", &shipped)],
        "missing-readme-section",
    )
    .expect("a prepackaged plugin is installed by enabling it");
    assert!(
        evidence.iter().any(|e| e.starts_with(
            "`README.md` installation: text \"Go to System Console > Plugins > Management"
        )),
        "{evidence:?}"
    );
    // The same README for a plugin the server does not ship (agenda's shape).
    let other = manifest("com.example.greeter");
    assert_eq!(
        verdict(
            &[("README.md", readme), ("plugin.json", &other)],
            "missing-readme-section"
        ),
        Err("`README.md` has no installation section".to_string())
    );
}

#[test]
fn steps_notes_and_folder_lists_are_not_use_cases() {
    // Numbered steps under Usage, separated by blank lines, are list paragraphs, not prose.
    let steps = "# Hello\n\nGreets members.\n\n## Usage\n\n1. Go to the System Console and enable the plugin for everyone.\n\n2. Restart the server so that the plugin starts with it.\n";
    assert_eq!(
        use_cases_verdict(steps).unwrap_err(),
        "the `Usage` section of `README.md` describes no use case: no list, sub-headings or prose"
    );
    // A folder list is no slash command.
    let folders = "# Hello\n\nGreets members.\n\n## Project structure\n\n- `/server` contains the Go code of the plugin\n- `/webapp` contains its React code\n";
    assert_eq!(
        use_cases_verdict(folders).unwrap_err(),
        "`README.md` describes no use cases: no section such as Features or Usage, and no link to documentation about using the plugin"
    );
}
