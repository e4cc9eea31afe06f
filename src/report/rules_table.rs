//! The rule list: human, JSON and Markdown, `explain`, and the rule reference `docs/rules.md`.

use crate::report::json::{Tool, FORMAT_VERSION};
use crate::rules::{Fix, Rule, REGISTRY};
use schemars::JsonSchema;
use serde::Serialize;

/// `onboard rules --format json`, documented by `schemas/rules.schema.json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "onboard rules")]
pub struct JsonRules {
    /// Version of this format.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    pub tool: Tool,
    /// Every rule, in registry order.
    pub rules: Vec<RuleRow>,
}

#[derive(Serialize, JsonSchema)]
pub struct RuleRow {
    /// Stable code, `OB` and three digits.
    pub code: &'static str,
    /// Kebab-case name of the condition flagged.
    pub name: &'static str,
    pub group: &'static str,
    /// The default level: `deny`, `warn` or `allow`.
    pub level: &'static str,
    /// The checklist item the rule serves.
    pub item: &'static str,
    /// One line: what is flagged.
    pub summary: &'static str,
    /// Whether a commit can fix what it flags; `lint --hook` fails only on these.
    pub commit_fixes: bool,
    /// When a commit cannot fix it: what does.
    pub fixed_by: Option<&'static str>,
    /// The default parameters.
    pub params: serde_json::Value,
    /// Its documentation page.
    pub help_uri: String,
}

pub fn json() -> String {
    let rules = REGISTRY
        .iter()
        .map(|r| RuleRow {
            code: r.code,
            name: r.name,
            group: r.group,
            level: r.level.as_str(),
            item: r.item.as_str(),
            summary: r.summary,
            commit_fixes: r.fix.by_commit(),
            fixed_by: match r.fix {
                Fix::Commit => None,
                Fix::NotByCommit(why) => Some(why),
            },
            params: (r.params.defaults)(),
            help_uri: crate::links::rule(&anchor(r)),
        })
        .collect();
    let doc = JsonRules {
        version: FORMAT_VERSION,
        tool: Tool::this(),
        rules,
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("rules serialise");
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
        "{} {}\n{}\ngroup: {}   default level: {}   checklist item: {}\nfix: {}\n\n{}\n",
        rule.code,
        rule.name,
        "=".repeat(rule.code.len() + rule.name.len() + 1),
        rule.group,
        rule.level.as_str(),
        rule.item.as_str(),
        rule.fix.describe(),
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
            "\n## {} {}\n\n{}\n\ngroup `{}`, default level `{}`, checklist item `{}`; {}\n",
            r.code,
            r.name,
            r.summary,
            r.group,
            r.level.as_str(),
            r.item.as_str(),
            r.fix.describe()
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
