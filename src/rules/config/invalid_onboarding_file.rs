use crate::finding::{Item, Level};
use crate::rules::{ConfigProblem, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB002",
    name: "invalid-onboarding-file",
    group: "config",
    level: Level::Deny,
    item: Item::Config,
    summary: "`.onboarding.yml` cannot be read: syntax, unknown keys, wrong types, bad dates.",
    docs: r#"## What it checks
That `.onboarding.yml` is valid YAML holding one mapping that follows the version 1 model: known
keys only, values of the right type, gates and other words from their fixed lists, dates written
`YYYY-MM-DD`, waivers with a reason, reviews with `kind`, `by`, `commit` and `date`.

## Why it matters
A configuration onboard cannot read would make every verdict after it unreliable, so the run
stops: every problem in the file is reported at once, each underlined, and the exit code is 2.

## How to fix
Fix each underlined value. Unknown keys come with the closest known key. Quote dates
(`date: "2026-10-01"`): YAML 1.1 readers turn unquoted dates into other types.

## Parameters
None. This problem always stops the run; it cannot be waived or allowed.

## Example
```yaml
version: 1
gate: ci-extension      # not a gate: did you mean `ci-extensions`?
reveiws: []             # unknown key: did you mean `reviews`?
```
"#,
    params: Params::of::<NoParams>(),
    check: None,
    reports: Some(ConfigProblem::Onboarding),
    ..Rule::DEFAULTS
};
