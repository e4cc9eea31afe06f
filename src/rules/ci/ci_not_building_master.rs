use super::present;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB602",
    name: "ci-not-building-master",
    group: "ci",
    level: Level::Deny,
    item: Item::CiMaster,
    summary: "No CI workflow builds the plugin on pushes to the default branch.",
    docs: r#"## What it checks
That a GitHub Actions workflow or CircleCI job that builds the plugin runs on pushes to the
default branch (from `origin/HEAD`, a bare repository's `HEAD`, else `main` or `master`).
Branch filters are read as the CI reads them: GitHub globs (`**`, `!` exclusions,
`branches-ignore`; `tags` alone means no branch builds), CircleCI `only`/`ignore` names and
`/regex/`. A workflow builds when it calls a plugin workflow of
`mattermost/actions-workflows`, or runs `make`, `go build` or `npm run build`; analysis-only
workflows (CodeQL) do not count. Scheduled runs are listed in the facts but do not count as
builds on push.

## Why it matters
The ci-extensions gate asks that every change to the default branch is built, so breakage shows
at once and a nightly build is there to download.

## How to fix
Add the default branch to the `push` trigger of the workflow that builds:

```yaml
on:
  push:
    branches: [master]
```

## Parameters
None.

## Example
```yaml
on:
  pull_request:
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = present(ctx) else {
        return;
    };
    if fact.builds_master {
        super::triggers_as_evidence(ctx, &fact.master_builds);
        return;
    }
    let branch = fact.default_branch.join("` or `");
    let building = fact.files.iter().find(|f| f.builds);
    let message = match building {
        Some(f) => format!(
            "`{}` builds the plugin but not on pushes to `{branch}`",
            f.path
        ),
        None => format!(
            "no CI workflow builds the plugin (none calls a plugin workflow or runs `make`), so \
             nothing builds `{branch}`"
        ),
    };
    let target = building.or(fact.files.first());
    let finding = ctx.report(message);
    finding.help(format!(
        "add `{}` to the `push` branches of the workflow that builds the plugin",
        fact.default_branch[0]
    ));
    if let Some(f) = target {
        if let (Some(file), Some(span)) = (&f.file, f.trigger_span) {
            finding.at(file, span);
        }
    }
}
