use super::*;

fn read(path: &str, text: &str, branch: &str) -> (CiFact, CiFile) {
    let file = SourceFile::new(path, text);
    let root = crate::yaml::parse(text).unwrap();
    let mut fact = CiFact {
        default_branch: vec![branch.to_string()],
        ..CiFact::default()
    };
    let entry = if path.starts_with(".circleci") {
        circleci::read(&file, &root, &mut fact)
    } else {
        github::read(&file, &root, &mut fact)
    };
    fact.builds_master = !fact.master_builds.is_empty();
    fact.builds_releases = !fact.release_builds.is_empty();
    (fact, entry)
}

fn underlined(text: &str, span: Span) -> &str {
    &text[span.offset..span.end()]
}

const PLUGIN_CI: &str =
    "jobs:\n  ci:\n    uses: mattermost/actions-workflows/.github/workflows/plugin-ci.yml@main\n";

#[test]
fn on_is_a_string_key_and_push_filters_are_read() {
    let text = format!(
        "on:\n  push:\n    branches:\n      - main\n    tags:\n      - \"v[0-9]+.[0-9]+.[0-9]+\"\n  pull_request:\n{PLUGIN_CI}"
    );
    let (fact, entry) = read(".github/workflows/ci.yml", &text, "main");
    assert!(entry.builds);
    assert!(fact.builds_master && fact.builds_releases);
    assert_eq!(underlined(&text, fact.master_builds[0].span), "main");
    assert_eq!(
        underlined(&text, fact.release_builds[0].span),
        "\"v[0-9]+.[0-9]+.[0-9]+\""
    );
    let r = &fact.reusable[0];
    assert_eq!(
        (r.name.as_str(), r.pinned, r.plugin_ci),
        ("plugin-ci.yml", "branch_or_tag", true)
    );
    assert_eq!(r.reference.as_deref(), Some("main"));
}

#[test]
fn branch_filters_alone_mean_no_tag_builds_and_the_reverse() {
    let text = format!("on:\n  push:\n    branches: [master]\n{PLUGIN_CI}");
    let (fact, _) = read(".github/workflows/ci.yml", &text, "master");
    assert!(fact.builds_master && !fact.builds_releases);

    let text = format!("on:\n  push:\n    tags: ['v*']\n{PLUGIN_CI}");
    let (fact, _) = read(".github/workflows/cd.yml", &text, "master");
    assert!(!fact.builds_master && fact.builds_releases);

    let text = format!("on:\n  push:\n    branches: [develop]\n{PLUGIN_CI}");
    let (fact, _) = read(".github/workflows/ci.yml", &text, "master");
    assert!(!fact.builds_master, "another branch only");

    let text = format!("on:\n  push:\n    branches-ignore: ['dependabot/**']\n{PLUGIN_CI}");
    let (fact, _) = read(".github/workflows/ci.yml", &text, "master");
    assert!(fact.builds_master && !fact.builds_releases);
}

#[test]
fn bare_push_and_release_events() {
    let text = format!("on: [push, pull_request]\n{PLUGIN_CI}");
    let (fact, _) = read(".github/workflows/ci.yml", &text, "master");
    assert!(fact.builds_master && fact.builds_releases);

    let text = "on:\n  release:\n    types: [published]\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: make dist\n";
    let (fact, _) = read(".github/workflows/ci.yml", text, "master");
    assert!(!fact.builds_master && fact.builds_releases);
    assert_eq!(underlined(text, fact.release_builds[0].span), "release");
}

#[test]
fn workflows_that_build_nothing_do_not_count() {
    let text = "on:\n  push:\n    branches: [master]\njobs:\n  analyze:\n    steps:\n      - uses: github/codeql-action/autobuild@v3\n";
    let (fact, entry) = read(".github/workflows/codeql.yml", text, "master");
    assert!(!entry.builds);
    assert!(!fact.builds_master);
    let text = "on: push\njobs:\n  x:\n    steps:\n      - run: echo makefile\n";
    let (fact, _) = read(".github/workflows/x.yml", text, "master");
    assert!(!fact.builds_master, "`makefile` is not `make`");
}

#[test]
fn commit_pins() {
    let text = "on: push\njobs:\n  ci:\n    uses: mattermost/actions-workflows/.github/workflows/community-plugin-ci.yml@139a051e8651e6246e3764fe342297b73120e590\n";
    let (fact, _) = read(".github/workflows/ci.yml", text, "master");
    assert_eq!(fact.reusable[0].pinned, "commit");
    assert_eq!(pin_kind(Some("v1")), "branch_or_tag");
}

#[test]
fn circleci_filters_and_schedules() {
    let text = r#"version: 2.1
orbs:
  plugin-ci: mattermost/plugin-ci@0.1.12
workflows:
  version: 2
  nightly:
    triggers:
      - schedule:
          cron: "0 0 * * *"
          filters:
            branches:
              only:
                - master
    jobs:
      - plugin-ci/build
  ci:
    jobs:
      - plugin-ci/lint:
          filters:
            tags:
              only: /^v.*/
      - plugin-ci/deploy-release-github:
          filters:
            tags:
              only: /^v.*/
            branches:
              ignore: /.*/
"#;
    let (fact, entry) = read(".circleci/config.yml", text, "master");
    assert!(entry.builds);
    assert!(fact.builds_master && fact.builds_releases);
    assert_eq!(fact.scheduled.len(), 1);
    assert_eq!(fact.reusable[0].name, "mattermost/plugin-ci");
    assert!(fact.reusable[0].plugin_ci);
    assert_eq!(underlined(text, fact.release_builds[0].span), "/^v.*/");

    let text = "version: 2.1\nworkflows:\n  build:\n    jobs:\n      - build:\n          filters:\n            branches:\n              only: develop\n";
    let (fact, _) = read(".circleci/config.yml", text, "master");
    assert!(
        !fact.builds_master && !fact.builds_releases,
        "no tag filter: no tag builds"
    );
}
