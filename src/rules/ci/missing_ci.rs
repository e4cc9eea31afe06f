use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB601",
    name: "missing-ci",
    group: "ci",
    level: Level::Deny,
    item: Item::CiMaster,
    summary: "The repository has no CI configuration (GitHub Actions, CircleCI, Travis CI or another CI system's file).",
    docs: r#"## What it checks
That the repository holds a CI configuration: a GitHub Actions workflow
(`.github/workflows/*.yml` or `*.yaml`), a CircleCI configuration (`.circleci/config.yml`), a
Travis CI configuration (`.travis.yml`, which older plugins built with), or the file of another
CI system (`.gitlab-ci.yml`, `Jenkinsfile`, `.drone.yml`, `azure-pipelines.yml`,
`bitbucket-pipelines.yml`, `.buildkite/`, `appveyor.yml`, `.woodpecker.yml`, `.cirrus.yml`,
`.semaphore/`, `codefresh.yml`). The first three are read; the others are recognised but not
read, and the other CI rules then say "CI configuration not understood: <file>" (the item is
`unknown`) rather than that nothing builds. Without any, this is the only CI finding: the other
CI rules have nothing to judge.

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
        let files: Vec<String> = fact
            .files
            .iter()
            .map(|f| {
                let system = crate::facts::ci::system_name(f.system);
                if f.understood {
                    format!("{} ({system})", f.path)
                } else {
                    format!("{} ({system}, not understood)", f.path)
                }
            })
            .collect();
        ctx.evidence(format!("CI configuration: {}", files.join(", ")));
        return;
    }
    ctx.report(
        "no CI configuration: no workflow in `.github/workflows/`, no `.circleci/config.yml`, no \
         `.travis.yml`, and no file of another CI system",
    )
    .help(
        "add `.github/workflows/ci.yml` that calls \
         mattermost/actions-workflows/.github/workflows/community-plugin-ci.yml on pushes to the \
         default branch and on `v*` tags",
    );
}
