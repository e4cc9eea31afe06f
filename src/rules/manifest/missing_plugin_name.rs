use super::found;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB104",
    name: "missing-plugin-name",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "The manifest `name` is missing or blank.",
    docs: r#"## What it checks
That the manifest has a `name` that is not empty or only whitespace, as the server requires.

## Why it matters
The server refuses the plugin ("a plugin name is needed"), and the name is what administrators
see in the System Console and the Marketplace.

## How to fix
Set `name` to the plugin's display name.

## Parameters
None.

## Example
```json
{ "id": "com.example.hello", "name": "   " }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    match &m.name {
        None if m.has_key("name") => {}
        None => {
            ctx.report(format!("`{}` has no `name`", m.path))
                .at(&m.file, crate::source::Span::new(m.span.offset, 0))
                .help("add `\"name\": \"…\"`, the name administrators see");
        }
        Some(name) if name.value.trim().is_empty() => {
            ctx.report("the plugin `name` is blank")
                .at(&m.file, name.span)
                .help("the server requires a non-blank name");
        }
        Some(_) => {}
    }
}
