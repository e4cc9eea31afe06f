//! The rule list: human, JSON and Markdown, `explain`, and the rule reference `docs/rules.md`.

use crate::rules::{Rule, REGISTRY};
use serde::Serialize;

#[derive(Serialize)]
struct RuleRow<'a> {
    code: &'a str,
    name: &'a str,
    group: &'a str,
    level: &'a str,
    item: &'a str,
    summary: &'a str,
    params: serde_json::Value,
}

pub fn json() -> String {
    let rows: Vec<RuleRow<'_>> = REGISTRY
        .iter()
        .map(|r| RuleRow {
            code: r.code,
            name: r.name,
            group: r.group,
            level: r.level.as_str(),
            item: r.item.as_str(),
            summary: r.summary,
            params: (r.params.defaults)(),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).expect("rules serialise");
    s.push('\n');
    s
}

pub fn human() -> String {
    let width = REGISTRY.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in REGISTRY {
        out.push_str(&format!(
            "{}  {:width$}  {:10}  {:5}  {:15}  {}\n",
            r.code,
            r.name,
            r.group,
            r.level.as_str(),
            r.item.as_str(),
            r.summary
        ));
    }
    out
}

pub fn markdown() -> String {
    let mut out = String::from(
        "| code | name | group | default level | checklist item | what it flags |\n|---|---|---|---|---|---|\n",
    );
    for r in REGISTRY {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.group,
            r.level.as_str(),
            r.item.as_str(),
            r.summary.replace('|', "\\|")
        ));
    }
    out
}

/// A rule's docs for a terminal: headings underlined, code fences indented, the rest as is.
pub fn explain(rule: &Rule) -> String {
    let mut out = format!(
        "{} {}\n{}\ngroup: {}   default level: {}   checklist item: {}\n\n{}\n",
        rule.code,
        rule.name,
        "=".repeat(rule.code.len() + rule.name.len() + 1),
        rule.group,
        rule.level.as_str(),
        rule.item.as_str(),
        rule.summary
    );
    let mut in_code = false;
    for line in rule.docs.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
        } else if let Some(h) = line.strip_prefix("## ") {
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            out.push_str(h);
            out.push('\n');
            out.push_str(&"-".repeat(h.chars().count()));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The anchor of a rule's section in `docs/rules.md` (GitHub's slug of its heading).
pub fn anchor(rule: &Rule) -> String {
    format!("{}-{}", rule.code.to_ascii_lowercase(), rule.name)
}

/// `docs/rules.md`: the rule table, then every rule's documentation, all from the registry.
pub fn reference() -> String {
    let mut out = String::from(
        "<!-- Generated from the rule registry (src/rules/): after changing a rule, run\n     \
         ONBOARD_BLESS=1 cargo test --test generated -->\n\n\
         # Rules\n\n\
         Every rule onboard knows, with its documentation: what it checks, why it matters, how \
         to fix it, its\nparameters and an example. `onboard rules` lists them, `onboard explain \
         RULE` prints one rule's\ndocumentation, and SARIF output links each rule to its section \
         here. The level is the rule's\ndefault: each gate's shipped policy raises or lowers it, \
         and `onboard policy show` prints the level\nin effect (see [policies](policies.md)).\n\n\
         | code | name | group | default level | checklist item | what it flags |\n\
         |---|---|---|---|---|---|\n",
    );
    for r in REGISTRY {
        out.push_str(&format!(
            "| {} | [`{}`](#{}) | {} | {} | {} | {} |\n",
            r.code,
            r.name,
            anchor(r),
            r.group,
            r.level.as_str(),
            r.item.as_str(),
            r.summary.replace('|', "\\|")
        ));
    }
    for r in REGISTRY {
        out.push_str(&format!(
            "\n## {} {}\n\n{}\n\ngroup `{}`, default level `{}`, checklist item `{}`\n",
            r.code,
            r.name,
            r.summary,
            r.group,
            r.level.as_str(),
            r.item.as_str()
        ));
        let mut in_code = false;
        for line in r.docs.trim_end().lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            let heading = !in_code && line.starts_with("## ");
            if heading {
                // One level down, under the rule's own heading, with a blank line around it.
                if !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
            if heading {
                out.push('\n');
            }
        }
        let defaults = (r.params.defaults)();
        if defaults.as_object().is_some_and(|o| !o.is_empty()) {
            out.push_str(&format!(
                "\nDefault parameters:\n\n```json\n{}\n```\n",
                serde_json::to_string_pretty(&defaults).expect("parameters serialise")
            ));
        }
    }
    out
}
