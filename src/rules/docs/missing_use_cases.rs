use super::{readme_anchor, readme_name};
use crate::facts::docs::readme::{
    first_words, use_case_prose, use_case_sections, use_cases, UseCaseItem, UseCaseProse,
};
use crate::facts::docs::recognise::content;
use crate::facts::docs::{SectionKind, USE_CASE_HEADINGS};
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
    summary: "The README describes no use cases: no list, sub-headings or prose under a Features or Usage heading, no list introduced as features, and no link to documentation about using the plugin.",
    docs: r#"## What it checks
That the README says what a user can do with the plugin, found by content, in this order:

1. a bullet list under a heading such as `Features`, `Key features`, `Usage`, `Use cases` or
   `Examples` (or in a section below one). Items of a single word (a bare link) do not count;
2. a bullet list introduced as features or use cases by the paragraph before it, under any
   heading ("This plugin contains the following features:", "With this plugin you can:"; a
   lead-in about settings, steps or requirements does not count);
3. two or more sub-headings with text or images under such a heading (bigbluebutton's
   `## Usage`: "Create a BigBlueButton meeting in any channel", "Directly meeting with any
   user", …);
4. a numbered list under such a heading (autolink's `## Examples` numbers its four use
   cases), except under `Usage` or `How to use`, where numbered items are steps to follow;
5. a paragraph of prose under such a heading (a single-purpose plugin's `## Usage`: "Use the
   command `/gif …` to search for a GIF …");
6. a slash command shown for users to type, outside developer and testing sections (memes:
   `` `/meme everywhere "memes." "memes everywhere"` `` under its summary, "type `/meme` and
   press enter");
7. a link to documentation about using the plugin, as `missing-readme-section` finds it ("See
   the [Mattermost Product Documentation](https://docs.mattermost.com/…) for details on
   installing, configuring, enabling, and using this Mattermost integration",
   "End-user documentation" linking to the product documentation).

Sections under a development heading never count. The evidence says which was found and where.
It fails when the README has none of these: no use-case section, or one that holds only a
heading, a short label or a link that is not about using the plugin (playbooks: "For
configuration and administration information visit our documentation"). A summary sentence
alone ("Use it to prevent users from spreading malware") is the summary `missing-summary`
judges, not a list of use cases.

## Why not only bullets
The PM/UX review asks for the main use cases, and the design first read that as "as bullets".
The plugins the Marketplace accepted through that review say it in other shapes: webex and
bigbluebutton as sub-headings with prose, autolink as a numbered list of examples, giphy and
profanity-filter (single-purpose plugins) in one paragraph, github and zoom by pointing to the
product documentation. A reviewer reads what the section says, so the rule does too, and its
help still asks for bullets, the shape that serves readers best.

## Why it matters
The use cases tell an administrator in a few lines whether the plugin does what their users
need.

## How to fix
Add a `## Features` section with one bullet per thing a user can do with the plugin.

## Parameters
- `headings` (list of strings): the headings whose content is use cases, compared without
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
    let readme = readme_name(docs);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (numbers, bullets): (Vec<UseCaseItem>, Vec<UseCaseItem>) = use_cases(doc, &params.headings)
        .into_iter()
        .partition(|u| u.numbered);
    // "lists 3 use cases under `Features`", or "… as numbered items under `Examples`".
    let listed = |ctx: &mut Ctx<'_>, found: &[UseCaseItem], how: &str| {
        let first = found[0];
        let note = ctx.evidence(format!(
            "`{readme}` lists {} use case{}{how} under `{}`",
            found.len(),
            plural(found.len()),
            doc.headings[first.heading].text
        ));
        note.at(file, first.item.span);
    };
    if !bullets.is_empty() {
        listed(ctx, &bullets, "");
        return;
    }
    if let Some(list) = docs.use_case_lists.first() {
        let note = ctx.evidence(format!(
            "`{readme}` lists {} use case{} after \"{}\"",
            list.items.len(),
            plural(list.items.len()),
            list.lead_in
        ));
        note.at(file, list.span);
        return;
    }
    let prose = use_case_prose(doc, &params.headings);
    if let Some(UseCaseProse::SubHeadings {
        heading,
        first,
        count,
    }) = prose
    {
        let note = ctx.evidence(format!(
            "`{readme}` describes {count} use cases as sub-headings under `{}`, the first `{}`",
            doc.headings[heading].text, doc.headings[first].text
        ));
        note.at(file, doc.headings[first].span);
        return;
    }
    if !numbers.is_empty() {
        listed(ctx, &numbers, " as numbered items");
        return;
    }
    if let Some(UseCaseProse::Paragraph { heading, paragraph }) = prose {
        let p = &doc.paragraphs[paragraph];
        let note = ctx.evidence(format!(
            "`{readme}` describes its use in prose under `{}`: \"{}\"",
            doc.headings[heading].text,
            first_words(&p.text)
        ));
        note.at(file, p.span);
        return;
    }
    if let Some((text, span)) = content(doc, SectionKind::Usage, false) {
        let note = ctx.evidence(format!(
            "`{readme}` shows a slash command for users to type: \"{text}\""
        ));
        note.at(file, span);
        return;
    }
    if let Some(p) = docs
        .setup_pointers
        .iter()
        .find(|p| p.kinds.contains(&SectionKind::Usage))
    {
        let note = ctx.evidence(format!(
            "`{readme}` links to documentation about using the plugin: [{}]({})",
            p.text, p.target
        ));
        note.at(file, p.span);
        return;
    }
    let section = use_case_sections(doc, &params.headings)
        .next()
        .map(|i| &doc.headings[i]);
    match section {
        Some(h) => {
            ctx.report(format!(
                "the `{}` section of `{readme}` describes no use case: no list, sub-headings or \
                 prose",
                h.text
            ))
            .at(file, h.span)
            .help("list the main things a user can do with the plugin, one bullet each");
        }
        None => {
            ctx.report(format!(
                "`{readme}` describes no use cases: no section such as Features or Usage, and no \
                 link to documentation about using the plugin"
            ))
            .at(file, title)
            .help("add a `## Features` section with one bullet per use case");
        }
    }
}
