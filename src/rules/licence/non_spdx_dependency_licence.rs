use super::dependencies::{check_each_ecosystem, lenient_reading, DependencyParams};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB313",
    name: "non-spdx-dependency-licence",
    group: "licence",
    level: Level::Warn,
    item: Item::Licence,
    summary: "Dependencies declare licences that are not SPDX expressions (with the likely id).",
    docs: concat!(
        r#"## What it checks
Dependency licences written in ways SPDX does not define (`Apache 2.0`, `MIT/X11`, lower-case
ids) but whose intent is clear. They are read as the likely expression for the other rules, and
listed here with it, one finding per ecosystem.

## Why it matters
The reading is an inference. Someone should confirm it for what ships.

## How to fix
Nothing in the plugin; report it upstream, or waive the package once checked.

## Parameters
"#,
        dependency_params_doc!(),
        r#"

## Example
```json
"node_modules/some-lib": { "version": "1.0.0", "license": "Apache 2.0" }
```
"#
    ),
    params: Params::of::<DependencyParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("what a dependency declares is its maintainers' to change"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    check_each_ecosystem(
        ctx,
        |p| {
            let likely = lenient_reading(p)?;
            Some(format!(
                "`{}`, likely `{likely}`",
                p.expression.as_deref().unwrap_or_default()
            ))
        },
        |eco, n, list| format!("{eco}: {n} dependencies declare non-SPDX licences: {list}"),
        |_| "they are judged as the likely expression; confirm it for what ships".into(),
    );
}
