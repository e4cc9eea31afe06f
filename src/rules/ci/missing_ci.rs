use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB601",
    name: "missing-ci",
    group: "ci",
    level: Level::Deny,
    item: Item::CiMaster,
    summary: "The repository has no CI configuration (GitHub Actions or CircleCI).",
    docs: r#"## What it checks
That the repository holds a GitHub Actions workflow (`.github/workflows/*.yml` or `*.yaml`) or a
CircleCI configuration (`.circleci/config.yml`). Without one, this is the only CI finding: the
other CI rules have nothing to judge.

## Why it matters
The ci-extensions gate needs CI that builds the default branch, so every merge is built and a
nightly build can be downloaded; the release gate needs CI that builds releases.

## How to fix
Add `.github/workflows/ci.yml` calling the shared plugin workflow:

```yaml
on:
  push:
    branches: [master]
    tags: ["v*"]
  pull_request:
jobs:
  plugin-ci:
    uses: mattermost/actions-workflows/.github/workflows/community-plugin-ci.yml@<commit sha>
    secrets: inherit
```

## Parameters
None.

## Example
A repository with a `Makefile` but no `.github/workflows/` and no `.circleci/`.
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.ci();
    if fact.present() {
        let files: Vec<&str> = fact.files.iter().map(|f| f.path.as_str()).collect();
        ctx.evidence(format!("CI configuration: {}", files.join(", ")));
        return;
    }
    ctx.report(
        "no CI configuration: no workflow in `.github/workflows/` and no `.circleci/config.yml`",
    )
    .help(
        "add `.github/workflows/ci.yml` that calls \
         mattermost/actions-workflows/.github/workflows/community-plugin-ci.yml on pushes to the \
         default branch and on `v*` tags",
    );
}
