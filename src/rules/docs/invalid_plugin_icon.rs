use crate::facts::manifest::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB707",
    name: "invalid-plugin-icon",
    group: "docs",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "The manifest's `icon_path` does not lead to an SVG file in the repository.",
    docs: r#"## What it checks
When the manifest sets `icon_path`, that it names a file that exists and is an SVG image (a
`.svg` name and an `<svg` element). The path is relative to the plugin bundle; `assets/…` is
looked up in the folder the Makefile's `ASSETS_DIR` copies into the bundle (`assets/` in the
starter template, `server/assets/` in some plugins). A missing `icon_path` is
`missing-marketplace-field`'s to report.

## Why it matters
The Marketplace and the System Console show the icon next to the plugin's name; they accept SVG
only, and a path to nothing shows a broken image.

## How to fix
Commit the icon as an SVG file and point `icon_path` at it.

## Parameters
None.

## Example
```json
{ "icon_path": "assets/icon.svg" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let ManifestFact::Found(m) = ctx.facts.manifest() else {
        return;
    };
    let Some(icon) = &ctx.facts.docs().icon else {
        return;
    };
    if icon.path.value.trim().is_empty() {
        return;
    }
    let looked = if icon.file == icon.path.value {
        String::new()
    } else {
        format!(" (looked for `{}`)", icon.file)
    };
    if !icon.exists {
        ctx.report(format!(
            "`icon_path` names `{}`, which does not exist{looked}",
            icon.path.value
        ))
        .at(&m.file, icon.path.span)
        .help("commit the SVG icon and point `icon_path` at it");
    } else if !icon.svg {
        ctx.report(format!(
            "`icon_path` names `{}`, which is not an SVG image{looked}",
            icon.path.value
        ))
        .at(&m.file, icon.path.span)
        .help("the Marketplace shows SVG icons only: convert the icon to SVG");
    }
}
