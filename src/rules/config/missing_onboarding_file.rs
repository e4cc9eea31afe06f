use crate::facts::OnboardingFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB001",
    name: "missing-onboarding-file",
    group: "config",
    level: Level::Warn,
    item: Item::Config,
    summary: "The repository has no `.onboarding.yml`.",
    docs: r#"## What it checks
That `.onboarding.yml` exists at the root of the linted tree (or revision).

## Why it matters
The file is where a plugin states the gate it aims for, its licence, and the records of the human
steps of the checklist (reviews, QA, PM/UX). Without it onboard lints with defaults and cannot
verify any human step.

## How to fix
Create `.onboarding.yml` at the repository root, starting with `version: 1` and the gate:
run `onboard schema onboarding` for the full model.

## Parameters
None.

## Example
```yaml
version: 1
gate: ci-extensions
licence: Apache-2.0
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    if let OnboardingFact::Missing = ctx.facts.onboarding() {
        ctx.report("no `.onboarding.yml` at the repository root; linting with defaults")
            .help("run `onboard init`: it writes `.onboarding.yml` with what it can read from the repository (licence, owner, template, build URLs); see `onboard schema onboarding`");
    }
}
