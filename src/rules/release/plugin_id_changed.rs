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
tag in the linted history, read from git objects, and the linted one: the plugin `id` must not
change. It reports a change that is not released yet (the linted manifest against the highest
release) and a change the highest release made (nothing has been released under the new id
since). A rename that later releases have already shipped under the current id is settled: it is
shown as evidence, with the tags and dates on both sides, not reported.

## Why it matters
The server knows a plugin by its id. A new id is a new plugin: installed side by side with the
old one, with none of its settings or data, and the Marketplace cannot offer it as an upgrade.

A settled rename is history: the Marketplace lists the plugin under the id its releases have
carried since, and nothing in the repository can undo it (going back to the old id would be one
more rename). Mattermost's own plugins have such renames (jira was `com.mattermost.jira` for one
release in 2018; playbooks was `com.mattermost.plugin-incident-management` until 2021); a
reviewer wants to know about them, not to be blocked by them, so they are evidence. A change
since the highest release, or made by it, can still be kept out of (or taken back before) the
releases users upgrade to, which is what the finding asks.

## How to fix
Keep the id of the released plugin. If the change is deliberate, publish it as a new plugin.

## Parameters
None.

## Example
`v1.0.0` has `"id": "com.example.hello"`, `v1.1.0` (the highest release) has `"id": "hello"`.
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
    // The changes that later releases have already shipped under the current id: every change
    // before the last one, and the last one too when a release after it kept the id. Only a
    // change into the linted revision or into the highest release is reported.
    let changes: Vec<usize> = (1..seen.len())
        .filter(|&i| seen[i - 1].1 != seen[i].1)
        .collect();
    let releases_after = |i: usize| {
        seen[i + 1..]
            .iter()
            .filter(|(tag, _)| fact.tag(tag).is_some())
            .count()
    };
    let dated = |tag: &str| match fact.tag(tag) {
        Some(t) => format!("{tag}, {}", t.date),
        None => tag.to_string(),
    };
    let mut reported = 0;
    let mut settled = Vec::new();
    for &i in &changes {
        let ((before_tag, before), (after_tag, after)) = (&seen[i - 1], &seen[i]);
        if releases_after(i) > 0 {
            settled.push(format!(
                "`{before}` ({}) to `{after}` ({})",
                dated(before_tag),
                dated(after_tag)
            ));
            continue;
        }
        reported += 1;
        let message = format!(
            "the plugin id changed from `{before}` ({}) to `{after}` ({})",
            dated(before_tag),
            dated(after_tag)
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
    if reported > 0 {
        return;
    }
    let Some((_, id)) = seen.last() else {
        ctx.unknown("no manifest id at any release tag");
        return;
    };
    let mut text = format!(
        "plugin id `{id}` at every release tag ({} read)",
        fact.plugin_ids.len()
    );
    if !settled.is_empty() {
        // The id since the last settled change.
        let since = changes
            .last()
            .map(|&i| dated(&seen[i].0))
            .unwrap_or_default();
        text = format!(
            "plugin id `{id}` at every release since {since}; earlier renames, settled by the \
             releases since: {}",
            settled.join("; ")
        );
    }
    ctx.evidence(text);
}
