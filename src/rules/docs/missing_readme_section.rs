use super::{readme_anchor, readme_name};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB708",
    name: "missing-readme-section",
    group: "docs",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "The README has no installation, configuration or usage section.",
    docs: r#"## What it checks
That the README has a section (a heading) for each of installation ("Install", "Installation"),
configuration ("Configuration", "Configuring", "Setup", "Settings") and usage ("Usage", "How to
use", "Using", "Features", "Examples", "Slash commands"). One heading may cover two
("Installation and configuration"). Headings under a development section ("Development",
"Getting started locally", "Building", "Contributing") do not count. One finding per missing
section.

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
    for section in docs.sections.iter().filter(|s| s.heading.is_none()) {
        let kind = section.kind.as_str();
        ctx.report(format!("`{readme}` has no {kind} section"))
            .at(file, title)
            .help(format!("add a `## {}` section", capitalise(kind)));
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
