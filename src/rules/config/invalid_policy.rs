use crate::finding::{Item, Level};
use crate::rules::{ConfigProblem, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB003",
    name: "invalid-policy",
    group: "config",
    level: Level::Deny,
    item: Item::Config,
    summary: "A policy file, a waiver or a command-line override names something unknown or is malformed.",
    docs: r#"## What it checks
Every policy file in the chain (shipped, `--policy`, or listed under `policies:` in
`.onboarding.yml`): YAML syntax, known keys, `extends:` that resolve without cycles, rule
selectors that name a rule (by name or code) or a group, levels among `deny`, `warn`, `allow`, and
parameters that the rule's parameter type accepts. Waivers must name a known rule.

## Why it matters
A misspelt rule name in a policy silently does nothing in most linters. Here every policy problem
of a run is reported together, each at its span, and the run stops with exit code 2.

## How to fix
Follow the "did you mean" under each problem, or run `onboard rules` for the names and
`onboard explain RULE` for a rule's parameters.

## Parameters
None. This problem always stops the run.

## Example
```yaml
version: 1
extends: ci-extensions
rules:
  missing-readmee: deny     # unknown rule: did you mean `missing-readme`?
```
"#,
    params: Params::of::<NoParams>(),
    check: None,
    reports: Some(ConfigProblem::Policy),
    ..Rule::DEFAULTS
};
