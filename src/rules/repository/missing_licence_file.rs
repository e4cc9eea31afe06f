use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB201",
    name: "missing-licence-file",
    group: "repository",
    level: Level::Deny,
    item: Item::Licence,
    summary:
        "No readable licence file (`LICENSE`, `LICENCE`, `COPYING`, any extension) at the root.",
    docs: r#"## What it checks
That the repository root holds at least one readable file named `LICENSE`, `LICENCE` or
`COPYING` (any case, any extension, e.g. `LICENSE.txt`). A symbolic link counts when it
resolves inside the repository; a dangling link, or one that points outside, does not.

## Why it matters
The checklist requires a compatible licence (Apache-2.0, MIT, BSD-2-Clause or BSD-3-Clause).
Without a licence file nobody may legally use or distribute the plugin.

## How to fix
Add the full licence text as `LICENSE` at the root. The starter template ships Apache-2.0.

## Parameters
None.

## Example
```console
$ ls
Makefile  README.md  plugin.json  server  webapp
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let files = ctx.facts.files();
    if files.licence_files.iter().any(|f| f.readable) {
        return;
    }
    let broken: Vec<String> = files
        .licence_files
        .iter()
        .filter_map(|f| f.problem.clone())
        .collect();
    let f = ctx.report("no readable licence file at the repository root");
    if broken.is_empty() {
        f.help("add the licence text as `LICENSE` (the starter template uses Apache-2.0)");
    } else {
        f.help(format!(
            "{}; add the licence text as a regular `LICENSE` file",
            broken.join("; ")
        ));
    }
}
