use super::present;
use crate::facts::ci::SAMPLE_RELEASE_TAG;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB603",
    name: "ci-not-building-releases",
    group: "ci",
    level: Level::Allow,
    item: Item::CiRelease,
    summary: "No CI workflow builds releases (version tags or `release` events).",
    docs: r#"## What it checks
That a workflow or CircleCI job that builds the plugin runs for releases: on a push of a
version tag (a GitHub `tags` filter or CircleCI `tags.only` that accepts `v1.2.3`), or on a
GitHub `release` event. A tag-triggered deploy workflow
(`community-plugin-cd.yml` on `tags: ["v*"]`) counts.

## Why it matters
The ci-extensions-release gate deploys release builds made by CI, not by a developer's
machine.

## How to fix
Trigger the building workflow on version tags:

```yaml
on:
  push:
    tags: ["v*"]
```

## Parameters
None.

## Example
```yaml
on:
  push:
    branches: [master]
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
    if fact.builds_releases {
        super::triggers_as_evidence(ctx, &fact.release_builds);
        return;
    }
    let building = fact.files.iter().find(|f| f.builds);
    let target = building.or(fact.files.first());
    let message = match building {
        Some(f) => format!(
            "`{}` builds the plugin but not for releases: no version tag (`{SAMPLE_RELEASE_TAG}`) \
             or `release` trigger",
            f.path
        ),
        None => "no CI workflow builds the plugin, so nothing builds releases".to_string(),
    };
    let finding = ctx.report(message);
    finding.help("add `tags: [\"v*\"]` to the `push` trigger of the workflow that builds");
    if let Some(f) = target {
        if let (Some(file), Some(span)) = (&f.file, f.trigger_span) {
            finding.at(file, span);
        }
    }
}
