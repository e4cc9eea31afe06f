use super::{describe, usable};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB501",
    name: "missing-release-tag",
    group: "release",
    level: Level::Allow,
    item: Item::Release,
    summary: "The repository has no release tag (a semantic version without a pre-release part).",
    docs: r#"## What it checks
That at least one tag names a release: a semantic version such as `v1.2.3`, without a
pre-release part (`-rc1`, `-beta`). Tags are read from git with real semver precedence;
sub-module tags (`client/v1.2.3`) and tags that are not versions (`latest-master`) do not count.
In a shallow clone, or without git, the item is `unknown` rather than failed.

## Why it matters
The ci-extensions-release gate deploys a release, and QA, the release build URL and the
Marketplace all refer to it by its tag.

## How to fix
Tag the release commit and push the tag. With the starter template, `make patch`, `make minor`
or `make major` make a signed annotated tag: `git tag -s -a v1.0.0 -m "v1.0.0"`, then
`git push origin v1.0.0`.

## Parameters
None.

## Example
```console
$ git tag --list
v1.0.0-rc1
latest-master
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("a release is a tag, pushed after the commit"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = usable(ctx) else {
        return;
    };
    if let Some(t) = fact.releases().next() {
        let text = describe("release", t);
        ctx.evidence(text);
        return;
    }
    let mut message =
        String::from("no release tag: no tag names a semantic version without a pre-release part");
    if let Some(pre) = &fact.highest_prerelease {
        message.push_str(&format!(" (the highest pre-release is `{pre}`)"));
    }
    ctx.report(message).help(
        "tag the release commit `vMAJOR.MINOR.PATCH` and push the tag (the starter template's \
         `make patch|minor|major` does both)",
    );
}
