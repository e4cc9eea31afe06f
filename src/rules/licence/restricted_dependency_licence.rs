use super::dependencies::{check_each_ecosystem, in_category, DependencyParams};
use crate::finding::{Item, Level};
use crate::licence::categories::Category;
use crate::rules::{Ctx, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB311",
    name: "restricted-dependency-licence",
    group: "licence",
    level: Level::Warn,
    item: Item::Licence,
    summary:
        "A shipped dependency is under a licence of Apache category B (binary inclusion only).",
    docs: concat!(
        r#"## What it checks
Each dependency whose licence expression falls in Apache's category B (weak copyleft such as
MPL-2.0 or EPL-2.0), which may be included in binary form only. One finding per ecosystem.

## Why it matters
Category B code may ship inside the plugin bundle, but not be modified or copied into the
plugin's own source; reviewers should know which packages these are.

## How to fix
Nothing, when the package is used unmodified from its registry. Otherwise replace it.

## Parameters
"#,
        dependency_params_doc!(),
        r#"

## Example
```json
"node_modules/some-lib": { "version": "1.0.0", "license": "MPL-2.0" }
```
"#
    ),
    params: Params::of::<DependencyParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    check_each_ecosystem(
        ctx,
        |p| in_category(p, Category::B),
        |eco, n, list| {
            format!(
                "{eco}: {n} dependencies under weak-copyleft licences (Apache category B): {list}"
            )
        },
        |_| "category B code may ship in binary form only, unmodified, with its licence".into(),
    );
}
