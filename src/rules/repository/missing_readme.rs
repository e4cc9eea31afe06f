use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB202",
    name: "missing-readme",
    group: "repository",
    level: Level::Deny,
    item: Item::PmUx,
    summary: "No README at the repository root (any case, any extension).",
    docs: r#"## What it checks
That the repository root holds a file named `README`, with any extension and in any case
(`README.md`, `readme.md`, `Readme.rst`), and that it can be read: a README that is a link out of
the repository, is over the read limit or is not UTF-8 text is reported too, as the
documentation checks cannot judge it.

## Why it matters
The README is the plugin's front page: what it does, how to install, configure and use it. The
PM/UX review and the Marketplace both start from it.

## How to fix
Add a `README.md` with a one-paragraph summary, the main use cases, and installation,
configuration and usage sections.

## Parameters
None.

## Example
```console
$ ls
LICENSE  Makefile  plugin.json  server  webapp
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    if ctx.facts.files().readmes.is_empty() {
        ctx.report("no README at the repository root")
            .help("add a README.md: summary, main use cases, install, configuration, usage");
    } else if let Some(problem) = ctx.facts.readme_problem() {
        // There is one, but nothing can be judged from it.
        ctx.report(format!("the README cannot be read: {problem}"))
            .help("make the README a regular text file in the repository");
    }
}
