use super::{readme_anchor, readme_name};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, Params, Rule};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub static RULE: Rule = Rule {
    code: "OB701",
    name: "missing-summary",
    group: "docs",
    level: Level::Allow,
    item: Item::PmUx,
    summary: "The README has no one-paragraph summary of what the plugin does, or it is too short.",
    docs: r#"## What it checks
That the README opens with a prose paragraph saying what the plugin does. The summary is the
first paragraph before any `##` section (or in an `Overview`/`About` section) that is not a line
of badges, an image, a link alone, a disclaimer or community-support notice, a `Maintainer:`
line or a lead-in ending in a colon; a short title-like line followed by a real paragraph is
passed over too. With `docs.summary_heading` in `.onboarding.yml`, the summary is the first
prose paragraph under that heading instead. `onboard facts` shows the paragraph picked
(`docs.summary`) and those passed over (`docs.summary_skipped`).

## Why it matters
The PM/UX review starts from the summary, and it is what a user reads first on GitHub and in
the Marketplace: one paragraph has to say what the plugin is for.

## How to fix
Write one or two sentences after the title: what the plugin does, for whom. If the summary sits
elsewhere, point at its heading with `docs.summary_heading`.

## Parameters
- `min_words` (integer, default 6) and `min_chars` (integer, default 30): a shorter summary is
  reported. The defaults pass the shortest real summaries seen ("A bot that schedules reminders
  for Mattermost", 7 words) and catch a bare title ("Chess plugin for Mattermost").

## Example
```markdown
# Mattermost Remind

[![Build](https://img.shields.io/circleci/project/github/o/r/master.svg)](https://circleci.com/gh/o/r)

A bot that schedules reminders for Mattermost.
```
"#,
    params: Params::of::<SummaryParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SummaryParams {
    /// Fewest words a summary may have.
    pub min_words: usize,
    /// Fewest characters a summary may have.
    pub min_chars: usize,
}

impl Default for SummaryParams {
    fn default() -> Self {
        SummaryParams {
            min_words: 6,
            min_chars: 30,
        }
    }
}

fn check(ctx: &mut Ctx<'_>) {
    let params: SummaryParams = ctx.params();
    let docs = ctx.facts.docs();
    let Some((file, title)) = readme_anchor(docs) else {
        return;
    };
    let readme = readme_name(docs);
    let pointer = ctx
        .facts
        .onboarding()
        .parsed()
        .and_then(|(c, f)| c.docs.summary_heading.as_ref().map(|p| (p, f)));
    match (&docs.summary, docs.summary_span) {
        (Some(text), Some(span)) => {
            let words = text.split_whitespace().count();
            let chars = text.chars().count();
            if words < params.min_words || chars < params.min_chars {
                ctx.report(format!(
                    "the summary of `{readme}` is {words} words ({chars} characters); at least \
                     {} words and {} characters are expected",
                    params.min_words, params.min_chars
                ))
                .at(file, span)
                .help("say in a sentence or two what the plugin does and for whom");
            }
        }
        _ => match (pointer, docs.summary_heading_found) {
            (Some((p, onboarding)), Some(false)) => {
                ctx.report(format!(
                    "`docs.summary_heading` names `{}`, and `{readme}` has no such heading",
                    p.value
                ))
                .at(onboarding, p.span)
                .help("name a heading of the README, or remove the key to use its first paragraph");
            }
            (Some((p, onboarding)), _) => {
                ctx.report(format!(
                    "`{readme}` has no prose paragraph under `{}`",
                    p.value
                ))
                .at(onboarding, p.span)
                .help("write the summary under that heading, or point at the heading above it");
            }
            _ => {
                ctx.report(format!("`{readme}` has no one-paragraph summary"))
                    .at(file, title)
                    .help(
                        "after the title and badges, write a paragraph saying what the plugin \
                         does; or name its heading with `docs.summary_heading` in .onboarding.yml",
                    );
            }
        },
    }
}
