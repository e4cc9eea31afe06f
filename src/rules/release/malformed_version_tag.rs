use super::usable;
use crate::facts::release::version::{self, TagName};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB503",
    name: "malformed-version-tag",
    group: "release",
    level: Level::Allow,
    item: Item::Release,
    summary: "A version tag's name is not what the starter template's build reads as a version.",
    docs: r#"## What it checks
Every tag that looks like a version, against what the starter template's build does with it:
the build reads only tags starting with a lowercase `v`, strips the `v`, and the manifest check
wants a strict semantic version; later commits get `+<commit>` appended; `make patch|minor|major`
treat any `v*` tag without `-rc` as a release. So it flags:

- tags that start like a version but are none (`v1.2.3.4`, `v1.02.3`);
- `v1.2` (two parts), `1.2.3` (no `v`), `V1.2.3` (uppercase `V`);
- build metadata (`v1.2.3+alpha.1`): the next commit builds as `1.2.3+alpha.1+abc1234`, which
  does not parse;
- pre-releases not named `-rcN` (`-RC1`, `-beta1`, `-dev`).

Sub-module tags (`client/v1.2.3`) and names that are not versions (`latest-master`) are left
alone.

## Why it matters
A tag the build cannot read yields a bundle with the wrong version or a failed build, and a
pre-release taken for a release makes the next `make patch` bump from the wrong base.

## How to fix
Tag the same commit with the suggested name (`git tag -s -a v1.2.0 v1.2^{}`) and delete the old
tag if nothing refers to it.

## Parameters
None.

## Example
```console
$ git tag --list
v0.5
v1.0.0-RC1
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = usable(ctx) else {
        return;
    };
    let mut flagged = 0;
    for t in &fact.tags {
        for note in &t.notes {
            flagged += 1;
            ctx.report(format!("tag `{}` {}", t.name, note.explain()))
                .help(format!(
                    "tag the same commit `{}`",
                    note.suggest(&t.name, &t.semver)
                ));
        }
    }
    for s in fact.set_aside.iter().filter(|s| s.kind == "malformed") {
        debug_assert_eq!(version::parse(&s.name), TagName::Malformed);
        flagged += 1;
        ctx.report(format!(
            "tag `{}` starts like a version but is not a semantic version",
            s.name
        ))
        .help("name version tags `vMAJOR.MINOR.PATCH`, with `-rcN` for release candidates");
    }
    if flagged == 0 {
        ctx.evidence(format!(
            "{} version tags, all named as the template's build expects",
            fact.tags.len()
        ));
    }
}
