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
(`community-plugin-cd.yml` on `tags: ["v*"]`) counts. Travis CI builds pushed tags unless its
`branches` filter leaves `v1.2.3` out (a tag goes through the branch filter); its
`deploy: {on: {tags: true}}` is the release build of the plugins that used it. When nothing
read builds releases but a CI file was not understood, the item is `unknown` ("CI configuration
not understood: <file>"), not failed. So is it when `.onboarding.yml` declares a usable
`ci.release_build_url` while nothing in the repository builds releases: releases built by a
system outside the repository (msteams-meetings and playbooks moved theirs to Mattermost's
delivery platform in 2024, deleting their tag-triggered workflows) cannot be seen from it, and
the declared URL is the author's word for where they are. Without that declaration the history
says it: when a workflow that built version tags was removed and version tags were still made
after it (of the 50 newest, by when they were made), the releases since are built outside the
repository, and the item is `unknown`, naming the workflow and the last tag it built;
`missing-release-build-url` still asks where they are built now.

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
    if super::not_understood(ctx, fact) {
        return;
    }
    // Releases built outside the repository (Mattermost's delivery platform builds and signs
    // msteams-meetings and playbooks releases from a pushed tag): the repository cannot show
    // it, and `ci.release_build_url` says where they are.
    if let Some((Some(url), file)) = super::Url::Release.value(ctx) {
        if super::url_problem(&url.value).is_none() {
            ctx.unknown(format!(
                "no CI configuration in the repository builds releases; `ci.release_build_url` \
                 says they are built outside it: {}",
                url.value
            ))
            .at(&file, url.span);
            return;
        }
    }
    // The history shows it: the repository's own release build was removed and releases
    // went on without it.
    if let Some(removed) = &fact.release_build_removed {
        let shown: Vec<&str> = removed
            .later_tags
            .iter()
            .take(3)
            .map(String::as_str)
            .collect();
        let more = removed.later_tags.len().saturating_sub(shown.len());
        ctx.unknown(format!(
            "no CI configuration in the repository builds releases now, but `{}` built version \
             tags up to {} and releases went on after it was removed ({}{}): they are built \
             outside the repository; `ci.release_build_url` says where",
            removed.workflow,
            removed.last_built_tag,
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
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
    finding.help(
        "add `tags: [\"v*\"]` to the `push` trigger of the workflow that builds; if releases are \
         built outside this repository, say where with `ci.release_build_url` in .onboarding.yml",
    );
    if let Some(f) = target {
        if let (Some(file), Some(span)) = (&f.file, f.trigger_span) {
            finding.at(file, span);
        }
    }
}
