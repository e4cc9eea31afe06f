use super::found;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB109",
    name: "unknown-manifest-key",
    group: "manifest",
    level: Level::Warn,
    item: Item::BasicReview,
    summary: "The manifest has a key the server does not know.",
    docs: r#"## What it checks
Every key of the manifest, of `server`, `webapp`, `settings_schema`, its sections, settings and
options, against the fields of the server's manifest model.

## Why it matters
The server silently ignores unknown keys, so a misspelt `min_server_vesion` or `helptext` has
no effect and nobody notices.

## How to fix
Fix the spelling, or remove the key.

## Parameters
None.

## Example
```json
{ "id": "com.example.hello", "name": "Hello", "min_server_vesion": "9.0.0" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    for key in &m.unknown_keys {
        ctx.report(format!(
            "the server does not know the manifest key `{}`",
            key.value
        ))
        .at(&m.file, key.span)
        .help("check the spelling against the server's manifest fields; unknown keys are ignored");
    }
}
