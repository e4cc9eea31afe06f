use super::Url;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB604",
    name: "missing-master-build-url",
    group: "ci",
    level: Level::Deny,
    item: Item::CiMaster,
    summary: "`.onboarding.yml` does not say where the nightly build of the default branch can be downloaded (`ci.master_build_url`).",
    docs: r#"## What it checks
That `.onboarding.yml` sets `ci.master_build_url`: where the nightly build of the default branch can be
downloaded. The ci-extensions gate requires it. Its value is checked by
`invalid-master-build-url`. Without any CI configuration this rule stays quiet:
`missing-ci` reports.

## Why it matters
Reviewers, QA and the people who deploy to the community server take the build from there
rather than building it themselves.

## How to fix
```yaml
ci:
  master_build_url: https://github.com/example/plugin/actions/workflows/ci.yml?query=branch%3Amaster
```

## Parameters
None.

## Example
```yaml
version: 1
ci: {}
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "the build's address is known once CI publishes builds",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    super::check_missing(ctx, Url::Master);
}
