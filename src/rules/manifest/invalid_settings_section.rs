use super::found;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB108",
    name: "invalid-settings-section",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "A section in `settings_schema.sections` has no `key` or an empty one.",
    docs: r#"## What it checks
Each entry of `settings_schema.sections` has a non-empty `key`, as the server requires
(its settings are checked by `invalid-plugin-setting`).

## Why it matters
The server refuses the manifest ("invalid empty Key"), and the key is how the System Console
addresses the section.

## How to fix
Give each section a unique, non-empty `key`.

## Parameters
None.

## Example
```json
{ "settings_schema": { "sections": [{ "title": "Connection", "settings": [] }] } }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    for section in &m.sections {
        match &section.key {
            Some(k) if !k.value.is_empty() => {}
            Some(k) => {
                ctx.report("a settings section has an empty `key`")
                    .at(&m.file, k.span)
                    .help("give the section a non-empty key");
            }
            None => {
                ctx.report("a settings section has no `key`")
                    .at(&m.file, crate::source::Span::new(section.span.offset, 0))
                    .help("give the section a non-empty key");
            }
        }
    }
}
