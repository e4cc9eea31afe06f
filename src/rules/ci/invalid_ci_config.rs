use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB608",
    name: "invalid-ci-config",
    group: "ci",
    level: Level::Warn,
    item: Item::CiMaster,
    summary: "A CI configuration file cannot be read or parsed as YAML.",
    docs: r#"## What it checks
That every GitHub Actions workflow and CircleCI configuration parses as YAML, so its triggers
can be read.

## Why it matters
A workflow that does not parse never runs, and onboard cannot say what it would build.

## How to fix
Fix the YAML at the underlined place (`actionlint` checks workflows in depth).

## Parameters
None.

## Example
```yaml
on:
  push:
    branches: [master
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let problems = &ctx.facts.ci().problems;
    for p in problems {
        let message = format!("`{}` cannot be read: {}", p.path, p.message);
        let finding = ctx.report(message);
        finding.help("fix the file so CI runs it and onboard can read its triggers");
        if let Some(file) = &p.file {
            finding.at(file, p.span);
        }
    }
}
