use super::{readme_anchor, readme_name};
use crate::facts::docs::readme::{heading_matches, use_cases};
use crate::facts::docs::USE_CASE_HEADINGS;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, Params, Rule};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub static RULE: Rule = Rule {
    code: "OB702",
    name: "missing-use-cases",
    group: "docs",
    level: Level::Allow,
    item: Item::PmUx,
    summary: "The README lists no use cases as bullets under a Features or Usage heading.",
    docs: r#"## What it checks
That the README has a bullet list (not a numbered list of steps) under a heading such as
`Features`, `Key features`, `Usage`, `Use cases` or `Examples`, or in a section below one. Items
of a single word (a bare link) do not count.

## Why it matters
The PM/UX review asks for the plugin's main use cases as bullets: they tell an administrator in
a few lines whether the plugin does what their users need.

## How to fix
Add a `## Features` section with one bullet per thing a user can do with the plugin.

## Parameters
- `headings` (list of strings): the headings whose bullet lists are use cases, compared without
  case or punctuation; a heading that starts with one of them matches too ("Features and
  limitations"). Default: `features`, `feature summary`, `key features`, `usage`, `use cases`,
  `examples`, `how to use`, `what it does`.

## Example
```markdown
## Features

- Create Jira issues from a Mattermost message.
- Subscribe a channel to Jira notifications.
```
"#,
    params: Params::of::<UseCaseParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct UseCaseParams {
    /// Headings whose bullet lists are use cases.
    pub headings: Vec<String>,
}

impl Default for UseCaseParams {
    fn default() -> Self {
        UseCaseParams {
            headings: USE_CASE_HEADINGS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

fn check(ctx: &mut Ctx<'_>) {
    let params: UseCaseParams = ctx.params();
    let docs = ctx.facts.docs();
    let (Some((file, title)), Some(doc)) = (readme_anchor(docs), docs.structure.as_ref()) else {
        return;
    };
    if !use_cases(doc, &params.headings).is_empty() {
        return;
    }
    let readme = readme_name(docs);
    let section = doc
        .headings
        .iter()
        .find(|h| params.headings.iter().any(|n| heading_matches(&h.text, n)));
    match section {
        Some(h) => {
            ctx.report(format!(
                "the `{}` section of `{readme}` has no bullet list of use cases",
                h.text
            ))
            .at(file, h.span)
            .help("list the main things a user can do with the plugin, one bullet each");
        }
        None => {
            ctx.report(format!(
                "`{readme}` lists no use cases under a heading such as Features or Usage"
            ))
            .at(file, title)
            .help("add a `## Features` section with one bullet per use case");
        }
    }
}
