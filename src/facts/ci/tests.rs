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
    } else if path == ".travis.yml" {
        travis::read(&file, &root, &mut fact)
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

/// The shape of the `.travis.yml` files of older plugins (jira, github, zoom, welcomebot and the
/// starter template in 2018-2019): no branch filter, a GitHub release deployed on tags.
const TRAVIS_PLUGIN: &str = "language: go\ngo:\n  - \"1.11.x\"\nscript:\n  - make test\n  - make dist\ndeploy:\n  provider: releases\n  api_key:\n    secure: abc\n  file_glob: true\n  file: dist/*\n  skip_cleanup: true\n  on:\n    tags: true\n";

#[test]
fn travis_builds_every_branch_and_tag_and_deploys_on_tags() {
    let (fact, entry) = read(".travis.yml", TRAVIS_PLUGIN, "master");
    assert_eq!(
        (entry.system, entry.builds, entry.understood),
        ("travis-ci", true, true)
    );
    assert!(fact.builds_master && fact.builds_releases);
    assert_eq!(
        fact.master_builds[0].what,
        "builds `master` on push (Travis CI)"
    );
    assert_eq!(
        fact.release_builds[0].what,
        "builds version tags (`v1.2.3`) and deploys them (Travis CI)"
    );
    assert_eq!(
        underlined(TRAVIS_PLUGIN, fact.release_builds[0].span),
        "true"
    );
}

#[test]
fn travis_branch_filters_apply_to_tags_too() {
    let only = "language: go\nbranches:\n  only:\n    - master\n";
    let (fact, _) = read(".travis.yml", only, "master");
    assert!(fact.builds_master, "master is safelisted");
    assert!(
        !fact.builds_releases,
        "a safelist without a tag pattern builds no tag"
    );
    assert_eq!(underlined(only, fact.master_builds[0].span), "master");

    let tags = "language: go\nbranches:\n  only:\n    - master\n    - /^v\\d+\\.\\d+/\n";
    let (fact, _) = read(".travis.yml", tags, "master");
    assert!(fact.builds_master && fact.builds_releases);

    let except = "language: go\nbranches:\n  except:\n    - /^v[0-9]/\n";
    let (fact, _) = read(".travis.yml", except, "main");
    assert!(fact.builds_master, "main is not excluded");
    assert!(!fact.builds_releases, "version tags are excluded");

    let other = "language: go\nbranches:\n  only: [develop]\n";
    let (fact, _) = read(".travis.yml", other, "master");
    assert!(!fact.builds_master && !fact.builds_releases);

    assert!(
        travis::matches("/v\\d/", "release-v1"),
        "a regex matches anywhere"
    );
    assert!(
        !travis::matches("master", "master2"),
        "a name matches exactly"
    );
}

#[test]
fn travis_conditions_are_not_understood() {
    let text = "language: go\nif: branch = master OR tag IS present\n";
    let (fact, entry) = read(".travis.yml", text, "master");
    assert!(!entry.understood);
    assert_eq!(
        entry.not_understood.as_deref(),
        Some("its top-level `if:` condition is not read")
    );
    assert!(!fact.builds_master && !fact.builds_releases);
}

#[test]
fn other_ci_systems_are_recognised_by_their_files() {
    assert_eq!(other_system(".gitlab-ci.yml"), Some("gitlab-ci"));
    assert_eq!(other_system("Jenkinsfile"), Some("jenkins"));
    assert_eq!(other_system(".buildkite/pipeline.yml"), Some("buildkite"));
    assert_eq!(other_system(".buildkite/hooks/x/y"), None);
    assert_eq!(other_system("docs/Jenkinsfile"), None);
    assert_eq!(
        other_system(".gitpod.yml"),
        None,
        "a development environment, not CI"
    );
}
