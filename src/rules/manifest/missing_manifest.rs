use crate::facts::manifest::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB101",
    name: "missing-manifest",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "No plugin manifest (`plugin.yml`, `plugin.yaml` or `plugin.json`) at the root.",
    docs: r#"## What it checks
That the repository root holds a plugin manifest, looked for in the server's order:
`plugin.yml`, `plugin.yaml`, then `plugin.json`. A manifest that exists but cannot be read (a
symbolic link out of the repository, too large, not UTF-8) is reported here too.

## Why it matters
The server will not load a plugin bundle without a manifest, and every other manifest check
depends on it.

## How to fix
Copy `plugin.json` from mattermost-plugin-starter-template and set `id` and `name`.

## Parameters
None.

## Example
```json
{ "id": "com.example.hello", "name": "Hello", "min_server_version": "9.0.0" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    match ctx.facts.manifest() {
        ManifestFact::Missing => {
            ctx.report("no plugin manifest: none of plugin.yml, plugin.yaml, plugin.json exists")
                .help("add a `plugin.json` at the repository root, as in mattermost-plugin-starter-template");
        }
        ManifestFact::Unreadable { path, error } => {
            let message = format!("the manifest `{path}` cannot be read: {error}");
            ctx.report(message);
        }
        _ => {}
    }
}
