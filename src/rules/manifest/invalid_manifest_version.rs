use super::found;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB106",
    name: "invalid-manifest-version",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "`version` or `min_server_version` is set but is not a semantic version.",
    docs: r#"## What it checks
When set, `version` and `min_server_version` parse as semantic versions (`MAJOR.MINOR.PATCH`
with optional pre-release and build), strictly, as the server parses them: no leading `v`, no
two-part versions, no leading zeros.

## Why it matters
The server refuses a manifest whose versions do not parse, and the Marketplace compares
`min_server_version` against the server's version to decide whether to offer the plugin.

## How to fix
Write three numbers: `"min_server_version": "9.0.0"`, not `"v9.0"`. Most plugins leave
`version` out and let the build fill it in from the nearest `v*` tag.

## Parameters
None.

## Example
```json
{ "version": "v1.2", "min_server_version": "7.1" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    for (key, value) in [
        ("version", &m.version),
        ("min_server_version", &m.min_server_version),
    ] {
        let Some(v) = value else { continue };
        if v.value.is_empty() {
            continue;
        }
        if let Err(e) = semver::Version::parse(&v.value) {
            let f = ctx.report(format!(
                "`{key}` `{}` is not a semantic version: {e}",
                v.value
            ));
            f.at(&m.file, v.span);
            let bare = v.value.trim_start_matches(['v', 'V']);
            let parts = bare.split('.').count();
            if bare != v.value && semver::Version::parse(bare).is_ok() {
                f.help(format!("drop the `v`: `{bare}`"));
            } else if parts == 2 && bare.split('.').all(|p| p.parse::<u64>().is_ok()) {
                f.help(format!("write three numbers: `{bare}.0`"));
            } else {
                f.help("write MAJOR.MINOR.PATCH, e.g. `1.2.0`");
            }
        }
    }
}
