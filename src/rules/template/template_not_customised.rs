use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB402",
    name: "template-not-customised",
    group: "template",
    level: Level::Warn,
    item: Item::ReviewDiff,
    summary: "The plugin still carries the starter template's identity (id, name, URLs, module path, README, icon, example code).",
    docs: r#"## What it checks
Places where the plugin still says it is the starter template, each underlined: manifest `id`,
`name`, `description`, `homepage_url` or `support_url` equal to a value the template's
`plugin.json` ever had; the template's Go module path as `module` in `go.mod` or in
`.golangci.yml` (goimports `local-prefixes`); a copy of one of the template's identity files
(its README, its icon, its example code, such as the starter template's
`server/store/kvstore/startertemplate.go`); and a README that still opens with the template's
title. The values come from the template index, so another organisation's template works too.

## Why it matters
Two plugins with the same id cannot be installed side by side, and the server identifies a
plugin by its id. The name, description and URLs are what the System Console and the
Marketplace show; the module path is where `go` looks for the code. An example file left in is
code nobody meant to ship.

## How to fix
Choose a plugin id (`com.example.my-plugin`), a name, a description and URLs of your own in
`plugin.json`; rename the module in `go.mod` and every import; update `local-prefixes` in
`.golangci.yml`; replace the README and the icon; delete the example code.

## Parameters
None.

## Example
```json
{
    "id": "com.mattermost.plugin-starter-template",
    "name": "Plugin Starter Template"
}
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let hits = ctx.facts.template().identity.clone();
    let Some(first) = hits.first() else {
        if ctx.facts.template().error.is_none() {
            ctx.evidence(
                "no manifest value, module path, README title or file of the template's identity",
            );
        }
        return;
    };
    let what = |h: &crate::facts::template::identity::IdentityHit| match h.what.as_str() {
        "go-module" => format!("the template's Go module path `{}`", h.value),
        "golangci-local-prefix" => format!("the template's module `{}` as a local prefix", h.value),
        "file" => format!("a copy of the template's `{}`", h.value),
        "readme" => "the template's README title".to_string(),
        key => format!(
            "the template's {} `{}`",
            key.trim_start_matches("manifest."),
            h.value
        ),
    };
    let f = ctx.report(format!(
        "the plugin still carries the starter template's identity in {} place{}: {}",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" },
        what(first)
    ));
    f.at(&first.file, first.span)
        .help("give the plugin its own id, name, URLs, module path, README and icon, and delete the template's example code");
    for h in &hits[1..] {
        f.label(&h.file, h.span, what(h));
    }
}
