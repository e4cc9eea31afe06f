//! Travis CI (`.travis.yml`), which older plugins built with (the starter template, jira,
//! github, zoom, autolink, welcomebot and giphy had one before GitHub Actions).
//!
//! Travis builds every push of a branch and every pushed tag, unless `branches` filters them:
//! `only` (a safelist, which wins) or `except` (a blocklist), each a list of names or
//! `/regex/` patterns (a regex matches anywhere in the name unless anchored). A tag's name goes
//! through the same filter, so `branches: {only: [master]}` builds no tag. `deploy` steps with
//! `on: {tags: true}` publish tag builds: the release builds of those plugins.
//!
//! Conditions (`if:` at the top level, in stages or jobs) are not evaluated: a file with a
//! top-level `if:` is not understood, and says so.

use super::pattern::compile_partial;
use super::{CiFact, CiFile, Trigger, SAMPLE_RELEASE_TAG};
use crate::source::{SourceFile, Span};
use crate::yaml::{Node, Value};

fn values(node: &Node) -> Vec<(String, Span)> {
    match &node.value {
        Value::Str(s) => vec![(s.clone(), node.span)],
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| n.as_str().map(|s| (s.to_string(), n.span)))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a Travis branch filter value matches `name`: `/regex/` anywhere in the name, else
/// the exact name.
pub fn matches(value: &str, name: &str) -> bool {
    match value
        .strip_prefix('/')
        .and_then(|v| v.strip_suffix('/'))
        .filter(|v| !v.is_empty())
    {
        Some(re) => compile_partial(re).is_some_and(|r| r.is_match(name)),
        None => value == name,
    }
}

/// Whether a push of `name` (a branch or a tag) is built, with the span that says so.
fn built(branches: Option<&Node>, name: &str, fallback: Span) -> Option<Span> {
    let Some(filter) = branches else {
        return Some(fallback);
    };
    // A bare list reads as a safelist.
    let (only, except) = match &filter.value {
        Value::Map(_) => (filter.get("only"), filter.get("except")),
        _ => (Some(filter), None),
    };
    if let Some(only) = only {
        return values(only)
            .into_iter()
            .find(|(v, _)| matches(v, name))
            .map(|(_, s)| s);
    }
    if let Some(except) = except {
        return (!values(except).iter().any(|(v, _)| matches(v, name))).then_some(except.span);
    }
    Some(filter.span)
}

/// The `deploy` entries (one mapping or a list) that run on tags, with their spans.
fn tag_deploys(root: &Node) -> Vec<Span> {
    let Some(deploy) = root.get("deploy") else {
        return Vec::new();
    };
    let entries: Vec<&Node> = match &deploy.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![deploy],
    };
    entries
        .into_iter()
        .filter_map(|d| {
            let tags = d.get("on")?.get("tags")?;
            let on = matches!(tags.value, Value::Bool(true))
                || tags.as_str().is_some_and(|s| s == "true");
            on.then_some(tags.span)
        })
        .collect()
}

pub fn read(file: &SourceFile, root: &Node, fact: &mut CiFact) -> CiFile {
    let path = file.path.clone();
    let mut entry = CiFile {
        path: path.clone(),
        system: "travis-ci",
        // Every Travis job builds: `script` defaults to the language's build (`make` for Go
        // with a Makefile).
        builds: true,
        understood: true,
        not_understood: None,
        file: Some(file.clone()),
        trigger_span: Some(root.get("branches").map_or(root.span, |b| b.span)),
    };
    if !matches!(root.value, Value::Map(_)) {
        entry.understood = false;
        entry.not_understood = Some("it is not a mapping of Travis keys".into());
        return entry;
    }
    if root.get("if").is_some() {
        entry.understood = false;
        entry.not_understood = Some("its top-level `if:` condition is not read".into());
        return entry;
    }
    let branches = root.get("branches");
    let whole = Span::new(root.span.offset, 0);
    let trigger = |what: String, span: Span| Trigger {
        path: path.clone(),
        what,
        file: Some(file.clone()),
        span,
    };
    for branch in fact.default_branch.clone() {
        if let Some(span) = built(branches, &branch, whole) {
            fact.master_builds.push(trigger(
                format!("builds `{branch}` on push (Travis CI)"),
                span,
            ));
            break;
        }
    }
    if let Some(span) = built(branches, SAMPLE_RELEASE_TAG, whole) {
        let deploys = tag_deploys(root);
        let (what, span) = match deploys.first() {
            Some(d) => (
                format!(
                    "builds version tags (`{SAMPLE_RELEASE_TAG}`) and deploys them (Travis CI)"
                ),
                *d,
            ),
            None => (
                format!("builds version tags (`{SAMPLE_RELEASE_TAG}`) on push (Travis CI)"),
                span,
            ),
        };
        fact.release_builds.push(trigger(what, span));
    }
    entry
}
