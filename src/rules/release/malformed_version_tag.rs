use super::usable;
use crate::facts::release::version::{self, Note, TagName};
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
Every tag that looks like a version, against what the starter template's build does with it
*at that tag*: the build reads only tags starting with a lowercase `v`, strips the `v`, and the
manifest check wants a strict semantic version; later commits get `+<commit>` appended; `make
patch|minor|major` treat any `v*` tag without `-rc` as a release. So it flags:

- tags that start like a version but are none (`v1.2.3.4`, `v07.0`): no build, release page or
  Marketplace entry reads them as a version;
- `v1.2` (two parts), `1.2.3` (no `v`), `V1.2.3` (uppercase `V`), build metadata
  (`v1.2.3+alpha.1`: the next commit builds as `1.2.3+alpha.1+abc1234`, which does not parse),
  only when the tree at the tag builds its manifest version from tags with the template's tool
  (`build/manifest/main.go` sets `version` always, or when the manifest at the tag has none).
  Where the manifest at the tag states its own version (older plugins, `plugin.yaml` days, no
  build tool), the name never reaches a build and is left alone;
- a pre-release not named `-rcN` (`-RC1`, `-beta1`, `-dev`) only when the linted tree's Makefile
  has the template's bump logic (`LATEST_RELEASE_TAG_RAW`, `grep -v '\-rc'`) and the tag it
  would take for the latest release is such a pre-release.

Sub-module tags (`client/v1.2.3`) and names that are not versions (`latest-master`) are left
alone. There is one finding per kind of departure, naming its tags.

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
    fix: crate::rules::Fix::NotByCommit("tags are pushed, not committed"),
    ..Rule::DEFAULTS
};

/// Most tag names listed in one finding.
const LISTED: usize = 8;

fn list(names: &[&str]) -> String {
    let mut out = names
        .iter()
        .take(LISTED)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > LISTED {
        out.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    out
}

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = usable(ctx) else {
        return;
    };
    let mut flagged = 0;
    // One finding per kind of departure, naming its tags (highest first).
    for note in Note::ALL {
        // A name reaches a build only where the tree at the tag takes its version from tags;
        // a pre-release's name matters only when the Makefile's bump would take it.
        let tags: Vec<_> = fact
            .tags
            .iter()
            .filter(|t| t.notes.contains(note))
            .filter(|t| match note {
                Note::PrereleaseNotRc => fact.bump_takes_prerelease.as_deref() == Some(&t.name),
                _ => t.build_takes_version,
            })
            .collect();
        let Some(first) = tags.first() else {
            continue;
        };
        flagged += 1;
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        let message = if tags.len() == 1 {
            format!("tag `{}` {}", first.name, note.explain())
        } else {
            format!(
                "{} tags {}: {}",
                tags.len(),
                note.explain_plural(),
                list(&names)
            )
        };
        ctx.report(message).help(format!(
            "tag the same commit `{}`{}",
            note.suggest(&first.name, &first.semver),
            if tags.len() > 1 {
                ", and likewise for the others"
            } else {
                ""
            }
        ));
    }
    let malformed: Vec<&str> = fact
        .set_aside
        .iter()
        .filter(|s| s.kind == "malformed")
        .map(|s| s.name.as_str())
        .collect();
    if !malformed.is_empty() {
        debug_assert!(malformed
            .iter()
            .all(|n| version::parse(n) == TagName::Malformed));
        flagged += 1;
        ctx.report(format!(
            "{} start like a version but are not semantic versions: {}",
            if malformed.len() == 1 {
                "a tag name does"
            } else {
                "tag names"
            },
            list(&malformed)
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
