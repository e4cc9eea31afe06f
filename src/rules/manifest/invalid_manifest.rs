use super::found;
use crate::facts::manifest::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB102",
    name: "invalid-manifest",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "The manifest does not parse, or a value has a type the server cannot decode.",
    docs: r#"## What it checks
That the manifest is well-formed JSON (or YAML, for `plugin.yml`/`plugin.yaml`) holding an
object, and that every known field has the type the server decodes it into: strings for `id`,
`name`, URLs and versions, a list of objects for settings, booleans for `secret`.

## Why it matters
The server refuses the whole plugin when its manifest fails to decode, with an error that names
no line.

## How to fix
Fix the syntax error or the value underlined. Versions are strings: `"version": "1.2.0"`.

## Parameters
None.

## Example
```json
{ "id": "com.example.hello", "name": "Hello", "version": 1.2 }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    if let ManifestFact::SyntaxError {
        path,
        error,
        span,
        file,
    } = ctx.facts.manifest()
    {
        let f = ctx.report(format!("`{path}` does not parse: {error}"));
        if let Some(file) = file {
            f.at(file, *span);
        }
        return;
    }
    let Some(m) = found(ctx.facts) else { return };
    for p in &m.problems {
        ctx.report(p.message.clone())
            .at(&m.file, p.span)
            .help("the server would refuse to decode this manifest");
    }
}
