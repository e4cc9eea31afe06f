use super::usable;
use crate::facts::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB505",
    name: "plugin-id-changed",
    group: "release",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "The manifest `id` changed between release tags.",
    docs: r#"## What it checks
The manifest (`plugin.yml`, `plugin.yaml` or `plugin.json`, as the server looks) at every release
tag, read from git objects, and the linted one: the plugin `id` must be the same at all of them.
Each change is reported with the tags on both sides.

## Why it matters
The server knows a plugin by its id. A new id is a new plugin: installed side by side with the
old one, with none of its settings or data, and the Marketplace cannot offer it as an upgrade.

## How to fix
Keep the id of the released plugin. If the change is deliberate, publish it as a new plugin.

## Parameters
None.

## Example
`v1.0.0` has `"id": "com.example.hello"`, `v1.1.0` has `"id": "hello"`.
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "it compares the manifests of release tags, which a new commit does not change",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = usable(ctx) else {
        return;
    };
    if fact.plugin_ids.is_empty() {
        ctx.unknown("no release tag yet");
        return;
    }
    let current = match ctx.facts.manifest() {
        ManifestFact::Found(m) => m.id.as_ref().map(|id| (m.file.clone(), id.clone())),
        _ => None,
    };
    // Oldest first, then the linted manifest.
    let mut seen: Vec<(String, String)> = fact
        .plugin_ids
        .iter()
        .rev()
        .filter_map(|p| Some((p.tag.clone(), p.id.clone()?)))
        .collect();
    if let Some((_, id)) = &current {
        seen.push(("the linted revision".into(), id.value.clone()));
    }
    let mut changes = 0;
    for pair in seen.windows(2) {
        let [(before_tag, before), (after_tag, after)] = pair else {
            continue;
        };
        if before == after {
            continue;
        }
        changes += 1;
        let message = format!(
            "the plugin id changed from `{before}` ({before_tag}) to `{after}` ({after_tag})"
        );
        let finding = ctx.report(message);
        finding.help(format!(
            "keep the released id `{before}`; a new id installs as a different plugin"
        ));
        if let Some((file, id)) = &current {
            if id.value == *after {
                finding.at(file, id.span);
            }
        }
    }
    if changes == 0 {
        match seen.first() {
            Some((_, id)) => {
                let text = format!(
                    "plugin id `{id}` at every release tag ({} read)",
                    fact.plugin_ids.len()
                );
                ctx.evidence(text);
            }
            None => {
                ctx.unknown("no manifest id at any release tag");
            }
        }
    }
}
