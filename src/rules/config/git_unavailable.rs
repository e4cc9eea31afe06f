use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB006",
    name: "git-unavailable",
    group: "config",
    level: Level::Warn,
    item: Item::Config,
    summary:
        "The linted path is not the root of a git repository, so git-based facts are unavailable.",
    docs: r#"## What it checks
Whether the path given to `onboard lint` is the root of a git repository (a working tree or a
bare repository). A directory inside a larger repository, or an unpacked archive, is linted
from the file system alone.

## Why it matters
Release tags, history, review records and blob ids all come from git. Without it those checks
cannot say anything, and onboard says so once instead of failing each of them.

## How to fix
Lint the root of a clone (`git clone` with full history; in GitHub Actions, `actions/checkout`
with `fetch-depth: 0`).

## Parameters
None.

## Example
```console
$ onboard lint ./unpacked-plugin-tarball
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "it depends on where onboard runs: a git work tree, or a plain directory",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    if let Some(reason) = &ctx.facts.repository().git_unavailable {
        ctx.report(reason.clone())
            .help("lint the root of a git clone to get release, history and review checks");
    }
}
