use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB306",
    name: "broken-licence-link",
    group: "licence",
    level: Level::Warn,
    item: Item::Licence,
    summary: "A licence file is a symbolic link that points at nothing, or out of the repository.",
    docs: r#"## What it checks
Licence files that are symbolic links (`LICENSE.enterprise -> server/enterprise/LICENSE`) must
resolve to a file inside the repository. Links are resolved without leaving the repository root.

## Why it matters
A dangling link reads as a licence in a file listing but holds no terms; a link out of the
repository points at whatever the machine has there.

## How to fix
Point the link at the licence file inside the repository, or remove it.

## Parameters
None.

## Example
```console
$ ls -l LICENSE.enterprise
LICENSE.enterprise -> server/enterprise/LICENSE   # but server/enterprise/ has no LICENSE
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.licence();
    for lf in fact.files.iter().filter(|f| f.dangling) {
        let target = lf.symlink.as_deref().unwrap_or("?");
        ctx.report(format!(
            "`{}` links to `{target}`, which cannot be read",
            lf.path
        ))
        .help(format!(
            "{}; point the link at a licence file inside the repository or remove it",
            lf.problem.as_deref().unwrap_or("the target is missing")
        ));
    }
}
