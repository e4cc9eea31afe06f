use super::{readme_anchor, readme_name};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB708",
    name: "missing-readme-section",
    group: "docs",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "The README has no installation, configuration or usage section (by heading, link or content).",
    docs: r#"## What it checks
That the README covers each of installation, configuration and usage, found by heading or by
content, in this order:

1. a heading: installation ("Install", "Installation"), configuration ("Configuration",
   "Configuring", "Setup", "Settings"), usage ("Usage", "How to use", "Using", "Features",
   "Examples", "Slash commands"); one heading may cover two ("Installation and configuration");
2. a link to documentation about it (a setup pointer): an https page whose link text or
   sentence speaks of installing, configuring or using the plugin, such as Mattermost's "See
   the [Mattermost Product Documentation](https://docs.mattermost.com/…) for details on
   installing, configuring, enabling, and using this Mattermost integration."; or a repository
   file whose link text, path or sentence does. Such a link to a Markdown file of the
   repository also counts for what that file's own headings cover (confluence's
   `[Admin Guide](/docs/admin-guide.md)` has `### Installation`). A web address's words do not
   count: `…/using-cloudwatch-createalarm.html` is another product's guide;
3. text that does it under another heading: installation steps (an upload in the System
   Console, an install from the Marketplace or on the Plugin Management page, or, for a plugin
   the server ships prepackaged as the `prepackaged` setting lists them, enabling it there),
   configuration steps (the
   plugin's own System Console page, `config.json`, its settings), usage shown as a slash
   command for users to type (memes: `` `/meme everywhere "memes."` ``; not under a testing
   heading such as playbooks' "Generating test data");
4. for usage, a bullet list introduced as features or use cases ("the following features:");
   for configuration, nothing to configure: the manifest declares no settings, or each has a
   value without being set and help text in the System Console (as `missing-setup-docs`
   explains).

Headings, links and text under a development section ("Development", "Getting started
locally", "Building", "Contributing"), and links to developer documentation, do not count. One
finding per missing section; `onboard status` says what was found for the others, and where.
The same recognition serves `missing-setup-docs` and `missing-use-cases`.

A link counts for what its words say it documents, no more: playbooks' "For configuration and
administration information visit our documentation" is a configuration section, and its README
still has no installation or usage section. That is debatable for a plugin the server ships
prepackaged, but the Marketplace lists the sections for administrators who install it there,
so they are reported.

## Why it matters
The Marketplace requires README sections on installing, configuring and using the plugin: they
are what an administrator follows after clicking Install.

## How to fix
Add the missing sections to the README.

## Parameters
None.

## Example
```markdown
## Installation
## Configuration
## Usage
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let docs = ctx.facts.docs();
    let Some((file, title)) = readme_anchor(docs) else {
        return;
    };
    let readme = readme_name(docs);
    for section in docs.sections.iter().filter(|s| s.present()) {
        super::section_evidence(ctx, docs, section);
    }
    for section in docs.sections.iter().filter(|s| !s.present()) {
        let kind = section.kind.as_str();
        ctx.report(format!("`{readme}` has no {kind} section"))
            .at(file, title)
            .help(format!(
                "add a `## {}` section, or a link to the documentation of it",
                capitalise(kind)
            ));
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
