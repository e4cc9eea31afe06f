use super::{describe, usable};
use crate::facts::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB504",
    name: "release-below-one",
    group: "release",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "The highest release is below v1.0.0.",
    docs: r#"## What it checks
That the highest release tag (semver precedence, pre-releases left out) is v1.0.0 or above.

## Why it matters
The Marketplace lists plugins that are production-ready; a version below 1.0.0 says the plugin's
interface and behaviour may still change without notice.

## How to fix
When the plugin is ready, release `v1.0.0`.

## Parameters
None.

## Example
```console
$ git tag --list
v0.9.0
v0.9.1
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("releases are tags, pushed after the commit"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = usable(ctx) else {
        return;
    };
    let Some(t) = fact.releases().next() else {
        // No release at all: missing-release-tag says so.
        ctx.unknown("no release tag yet");
        return;
    };
    if t.semver.major >= 1 {
        let text = describe("highest release", t);
        ctx.evidence(text);
        return;
    }
    let message = format!("the highest release `{}` is below v1.0.0", t.name);
    let facts = ctx.facts;
    let finding = ctx.report(message);
    finding.help("release v1.0.0 when the plugin is ready for the Marketplace");
    if let ManifestFact::Found(m) = facts.manifest() {
        if let Some(v) = &m.version {
            finding.at(&m.file, v.span);
        }
    }
}
