use crate::finding::{Item, Level};
use crate::rules::{ConfigProblem, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB005",
    name: "unused-waiver",
    group: "config",
    level: Level::Warn,
    item: Item::Config,
    summary: "A waiver in `.onboarding.yml` matched no finding in this run.",
    docs: r#"## What it checks
After all rules of the gate have run, each waiver that silenced nothing. A waiver for a rule that
does not run at the chosen gate is unused too.

## Why it matters
A waiver left behind after its problem was fixed hides the next occurrence of that problem.

## How to fix
Delete the waiver. If it is meant for a later gate, keep it and allow this rule at this gate.

## Parameters
None.

## Example
```yaml
waivers:
  - { rule: missing-readme, reason: "README comes with 1.0" }   # but a README.md exists
```
"#,
    params: Params::of::<NoParams>(),
    check: None,
    reports: Some(ConfigProblem::UnusedWaiver),
    ..Rule::DEFAULTS
};
