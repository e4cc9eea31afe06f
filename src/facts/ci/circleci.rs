//! CircleCI (`.circleci/config.yml`): workflows, their jobs' branch and tag filters, scheduled
//! triggers, and orbs such as `mattermost/plugin-ci`.
//!
//! CircleCI runs a job on every branch and no tag unless filters say otherwise: `branches`
//! `only`/`ignore` narrow the branches, and a `tags` filter is needed for tags at all. Filter
//! values are names or `/regex/` matching the whole name. A workflow with `triggers` runs on
//! its schedule, not on pushes.

use super::pattern::circleci_matches;
use super::{pin_kind, CiFact, CiFile, Reusable, Trigger, SAMPLE_RELEASE_TAG};
use crate::source::{SourceFile, Span};
use crate::yaml::{Node, Value};

fn values(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Str(s) => vec![s.clone()],
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a filter (`branches:` or `tags:`) lets `name` through; `absent` when there is none.
fn passes(filter: Option<&Node>, name: &str, absent: bool) -> Option<Span> {
    let Some(f) = filter else {
        return absent.then_some(Span::default());
    };
    if let Some(only) = f.get("only") {
        return values(only)
            .iter()
            .any(|v| circleci_matches(v, name))
            .then_some(only.span);
    }
    if let Some(ignore) = f.get("ignore") {
        return (!values(ignore).iter().any(|v| circleci_matches(v, name))).then_some(f.span);
    }
    Some(f.span)
}

pub fn read(file: &SourceFile, root: &Node, fact: &mut CiFact) -> CiFile {
    let path = file.path.clone();
    if let Some(Value::Map(orbs)) = root.get("orbs").map(|o| &o.value) {
        for (_, v) in orbs {
            let Some(uses) = v.as_str() else { continue };
            let (name, reference) = match uses.split_once('@') {
                Some((n, r)) => (n.to_string(), Some(r.to_string())),
                None => (uses.to_string(), None),
            };
            fact.reusable.push(Reusable {
                path: path.clone(),
                kind: "orb",
                uses: uses.to_string(),
                plugin_ci: name == "mattermost/plugin-ci",
                pinned: match reference.as_deref() {
                    Some(r) if r.starts_with("dev:") || r == "volatile" => "branch_or_tag",
                    Some(_) => "version",
                    None => pin_kind(None),
                },
                name,
                reference,
                file: Some(file.clone()),
                span: v.span,
            });
        }
    }
    let workflows = root.get("workflows");
    let entry = CiFile {
        path: path.clone(),
        system: "circleci",
        builds: workflows.is_some(),
        understood: true,
        not_understood: None,
        file: Some(file.clone()),
        trigger_span: workflows.map(|w| w.span),
    };
    let Some(Value::Map(workflows)) = workflows.map(|w| &w.value) else {
        return entry;
    };
    let trigger = |what: String, span: Span| Trigger {
        path: path.clone(),
        what,
        file: Some(file.clone()),
        span,
    };
    for (name_node, workflow) in workflows {
        let Some(wname) = name_node.as_str() else {
            continue;
        };
        if wname == "version" {
            continue;
        }
        if let Some(Value::Seq(triggers)) = workflow.get("triggers").map(|t| &t.value) {
            for t in triggers {
                let Some(schedule) = t.get("schedule") else {
                    continue;
                };
                let branches = schedule.get("filters").and_then(|f| f.get("branches"));
                for branch in fact.default_branch.clone() {
                    if passes(branches, &branch, true).is_some() {
                        fact.scheduled.push(trigger(
                            format!("workflow `{wname}` builds `{branch}` on a schedule"),
                            schedule.span,
                        ));
                        break;
                    }
                }
            }
            continue;
        }
        let Some(Value::Seq(jobs)) = workflow.get("jobs").map(|j| &j.value) else {
            continue;
        };
        let mut master: Option<Span> = None;
        let mut tags: Option<Span> = None;
        let mut branch_name = String::new();
        for job in jobs {
            let (span, config) = match &job.value {
                Value::Str(_) => (job.span, None),
                Value::Map(entries) => match entries.first() {
                    Some((k, v)) => (k.span, Some(v)),
                    None => continue,
                },
                _ => continue,
            };
            let filters = config.and_then(|c| c.get("filters"));
            if master.is_none() {
                for branch in &fact.default_branch {
                    if let Some(s) = passes(filters.and_then(|f| f.get("branches")), branch, true) {
                        master = Some(if s == Span::default() { span } else { s });
                        branch_name = branch.clone();
                        break;
                    }
                }
            }
            if tags.is_none() {
                let tag_filter = filters.and_then(|f| f.get("tags"));
                if let Some(s) = passes(tag_filter, SAMPLE_RELEASE_TAG, false) {
                    tags = Some(s);
                }
            }
        }
        if let Some(span) = master {
            fact.master_builds.push(trigger(
                format!("workflow `{wname}` builds `{branch_name}` on push"),
                span,
            ));
        }
        if let Some(span) = tags {
            fact.release_builds.push(trigger(
                format!("workflow `{wname}` builds version tags (`{SAMPLE_RELEASE_TAG}`)"),
                span,
            ));
        }
    }
    entry
}
