use crate::facts::licence::Declared;
use crate::finding::{Item, Level};
use crate::licence::expr::{self, Note};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB304",
    name: "invalid-licence-expression",
    group: "licence",
    level: Level::Warn,
    item: Item::Licence,
    summary: "A declared licence is empty, missing, not SPDX, or uses a deprecated id.",
    docs: r#"## What it checks
The licence declared in `.onboarding.yml` and in each package manifest (`package.json`
`license`, `Cargo.toml` `package.license`): an empty value, a string that is not an SPDX
expression (`Apache 2.0`, `Public Domain`), or a deprecated id (`GPL-3.0`) is flagged with the
likely or modern id. A public `package.json` (not `"private": true`) without a `license` field is
flagged too. Deprecated and imprecise ids are still read leniently by the other licence rules.

## Why it matters
Tools that read licences (npm, SBOM generators, the Marketplace) need SPDX expressions; a
deprecated id is ambiguous (`GPL-3.0` does not say "only" or "or later").

## How to fix
Write the SPDX expression: `"license": "Apache-2.0"`, `GPL-3.0-only`, `MIT OR Apache-2.0`.

## Parameters
None.

## Example
```json
{ "name": "plugin-webapp", "license": "Apache 2.0" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.licence();
    let declared: Vec<&Declared> = fact.declared.iter().chain(fact.manifests.iter()).collect();
    for d in declared {
        let Some(value) = &d.value else {
            if d.path.ends_with("package.json") && !d.private {
                let f = ctx.report(format!("`{}` declares no licence", d.path));
                if let Some(file) = &d.file {
                    f.at(file, d.span);
                }
                f.help("add `\"license\": \"Apache-2.0\"` (the licence of the repository), or `\"private\": true` if the package is never published");
            }
            continue;
        };
        let (message, help) = match expr::parse(value) {
            Ok(e) if e.notes.is_empty() => continue,
            Ok(e) => {
                let notes: Vec<String> = e
                    .notes
                    .iter()
                    .map(|n| match n {
                        Note::Deprecated { id, modern } => {
                            format!("`{id}` is a deprecated SPDX id; use `{modern}`")
                        }
                        Note::NotSpdx { written, likely } => {
                            format!(
                                "`{written}` is not an SPDX expression; it likely means `{likely}`"
                            )
                        }
                    })
                    .collect();
                (
                    format!(
                        "`{}` declares `{value}`, which is not a current SPDX expression",
                        d.path
                    ),
                    format!("{}; read as `{}` meanwhile", notes.join("; "), e.canonical),
                )
            }
            Err(e) => (
                format!("`{}` declares an unusable licence: {e}", d.path),
                "write an SPDX expression such as `Apache-2.0`".to_string(),
            ),
        };
        let f = ctx.report(message);
        if let Some(file) = &d.file {
            f.at(file, d.span);
        }
        f.help(help);
    }
}
