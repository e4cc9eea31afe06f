//! GitHub Actions workflows: triggers (`on:`), whether a workflow builds the plugin, and the
//! reusable workflows it calls.

use super::pattern::github_matches;
use super::{pin_kind, CiFact, CiFile, Reusable, Trigger, PLUGIN_WORKFLOWS, SAMPLE_RELEASE_TAG};
use crate::source::{SourceFile, Span};
use crate::yaml::{Node, Value};

const ACTIONS_WORKFLOWS: &str = "mattermost/actions-workflows/.github/workflows/";

/// A list of filter patterns: a string or a list of strings.
fn patterns(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Str(s) => vec![s.clone()],
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The span of the first pattern of `node` that `name` matches (else the whole list).
fn matching_span(node: &Node, name: &str) -> Span {
    if let Value::Seq(items) = &node.value {
        for n in items {
            if let Some(p) = n.as_str() {
                if !p.starts_with('!') && github_matches(&[p.to_string()], name) {
                    return n.span;
                }
            }
        }
    }
    node.span
}

/// Whether a push of `name` runs the workflow, given the `branches*` (or `tags*`) filters and
/// whether the other kind of ref has filters. Returns the span that says so.
fn runs_for(
    config: Option<&Node>,
    include_key: &str,
    ignore_key: &str,
    other_keys: [&str; 2],
    name: &str,
    fallback: Span,
) -> Option<Span> {
    let get = |k: &str| config.and_then(|c| c.get(k));
    match (get(include_key), get(ignore_key)) {
        (Some(list), _) => github_matches(&patterns(list), name).then(|| matching_span(list, name)),
        (None, Some(ignored)) => (!patterns(ignored)
            .iter()
            .any(|p| github_matches(std::slice::from_ref(p), name)))
        .then_some(ignored.span),
        // Filters only on the other kind of ref: this kind does not run.
        (None, None) if other_keys.iter().any(|k| get(k).is_some()) => None,
        (None, None) => Some(fallback),
    }
}

/// Whether a job or step runs something that builds the plugin.
fn job_builds(job: &Node) -> bool {
    if let Some(uses) = job.get("uses").and_then(Node::as_str) {
        return uses.starts_with(ACTIONS_WORKFLOWS) || uses.starts_with("./");
    }
    let Some(Value::Seq(steps)) = job.get("steps").map(|s| &s.value) else {
        return false;
    };
    steps.iter().any(|step| {
        let run = step.get("run").and_then(Node::as_str).unwrap_or("");
        let uses = step.get("uses").and_then(Node::as_str).unwrap_or("");
        uses.starts_with("mattermost/actions/plugin-ci")
            || run.contains("go build")
            || run.contains("npm run build")
            || run
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '/'))
                .any(|w| w == "make")
    })
}

pub fn read(file: &SourceFile, root: &Node, fact: &mut CiFact) -> CiFile {
    let path = file.path.clone();
    let mut builds = false;
    if let Some(Value::Map(jobs)) = root.get("jobs").map(|j| &j.value) {
        for (_, job) in jobs {
            builds |= job_builds(job);
            if let Some(uses_node) = job.get("uses") {
                if let Some(uses) = uses_node.as_str() {
                    if let Some(rest) = uses.strip_prefix(ACTIONS_WORKFLOWS) {
                        let (name, reference) = match rest.split_once('@') {
                            Some((n, r)) => (n.to_string(), Some(r.to_string())),
                            None => (rest.to_string(), None),
                        };
                        fact.reusable.push(Reusable {
                            path: path.clone(),
                            kind: "workflow",
                            uses: uses.to_string(),
                            plugin_ci: PLUGIN_WORKFLOWS.contains(&name.as_str()),
                            pinned: pin_kind(reference.as_deref()),
                            name,
                            reference,
                            file: Some(file.clone()),
                            span: uses_node.span,
                        });
                    }
                }
            }
        }
    }
    let on = root.get("on");
    let entry = CiFile {
        path: path.clone(),
        system: "github-actions",
        builds,
        understood: true,
        not_understood: None,
        file: Some(file.clone()),
        trigger_span: on.map(|n| n.span),
    };
    let Some(on) = on else {
        return entry;
    };
    // Events: `on: push`, `on: [push, release]`, or a mapping of event to configuration.
    let events: Vec<(&str, Option<&Node>, Span)> = match &on.value {
        Value::Str(s) => vec![(s.as_str(), None, on.span)],
        Value::Seq(items) => items
            .iter()
            .filter_map(|n| n.as_str().map(|s| (s, None, n.span)))
            .collect(),
        Value::Map(entries) => entries
            .iter()
            .filter_map(|(k, v)| k.as_str().map(|s| (s, Some(v), k.span)))
            .collect(),
        _ => Vec::new(),
    };
    if !builds {
        return entry;
    }
    let trigger = |what: String, span: Span| Trigger {
        path: path.clone(),
        what,
        file: Some(file.clone()),
        span,
    };
    for (event, config, key_span) in events {
        let config = config.filter(|c| matches!(c.value, Value::Map(_)));
        match event {
            "push" => {
                for branch in fact.default_branch.clone() {
                    if let Some(span) = runs_for(
                        config,
                        "branches",
                        "branches-ignore",
                        ["tags", "tags-ignore"],
                        &branch,
                        key_span,
                    ) {
                        fact.master_builds
                            .push(trigger(format!("builds `{branch}` on push"), span));
                        break;
                    }
                }
                if let Some(span) = runs_for(
                    config,
                    "tags",
                    "tags-ignore",
                    ["branches", "branches-ignore"],
                    SAMPLE_RELEASE_TAG,
                    key_span,
                ) {
                    fact.release_builds.push(trigger(
                        format!("builds version tags (`{SAMPLE_RELEASE_TAG}`) on push"),
                        span,
                    ));
                }
            }
            "release" => fact
                .release_builds
                .push(trigger("builds on `release` events".into(), key_span)),
            "schedule" => fact.scheduled.push(trigger(
                format!("builds `{}` on a schedule", fact.default_branch[0]),
                key_span,
            )),
            _ => {}
        }
    }
    entry
}
