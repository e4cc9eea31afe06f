use super::dependencies::{check_each_ecosystem, in_category, DependencyParams};
use crate::finding::{Item, Level};
use crate::licence::categories::Category;
use crate::rules::{Ctx, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB310",
    name: "forbidden-dependency-licence",
    group: "licence",
    level: Level::Deny,
    item: Item::Licence,
    summary: "A shipped dependency is under a licence of Apache category X.",
    docs: concat!(
        r#"## What it checks
Each dependency (npm lockfiles, Go modules, Cargo packages) whose licence expression falls in
Apache's category X (strong copyleft, non-commercial or source-available terms, listed in
`policies/licences.yml`): `OR` takes the best branch, `AND` the worst part. One finding per
ecosystem, pointing at each package's `"license"` entry. Dev-only dependencies are not shipped
and not judged unless `include_dev` is set.

## Why it matters
A plugin is distributed as a bundle that includes its dependencies; a category X licence would
impose its terms on the plugin.

## How to fix
Replace the package with one under a permissive licence.

## Parameters
"#,
        dependency_params_doc!(),
        r#"

## Example
```json
"node_modules/some-lib": { "version": "1.0.0", "license": "GPL-3.0-only" }
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
        |p| in_category(p, Category::X),
        |eco, n, list| {
            format!("{eco}: {n} dependencies under licences that may not be included (Apache category X): {list}")
        },
        |_| {
            "replace these packages, or make them dev-only dependencies if they are not shipped"
                .into()
        },
    );
}
