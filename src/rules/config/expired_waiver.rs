use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};
use crate::source::Date;

pub static RULE: Rule = Rule {
    code: "OB004",
    name: "expired-waiver",
    group: "config",
    level: Level::Warn,
    item: Item::Config,
    summary: "A waiver in `.onboarding.yml` is past its `until` date.",
    docs: r#"## What it checks
Each waiver whose `until` date is before today (local time). An expired waiver no longer
applies: the findings it covered are reported again at their own level.

## Why it matters
Waivers are meant to be temporary. An expired one is a decision somebody promised to revisit.

## How to fix
Fix what the waiver covered and delete the waiver, or, if the reason still holds, move `until`
to a new date and say why in `reason`.

## Parameters
None.

## Example
```yaml
waivers:
  - { rule: missing-readme, reason: "docs live in the wiki until 1.0", until: "2020-01-31" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(file) = ctx.facts.onboarding().file().cloned() else {
        return;
    };
    let Some(config) = ctx.facts.onboarding().config() else {
        return;
    };
    let today = Date::today();
    for waiver in &config.waivers {
        if let Some(until) = &waiver.until {
            if until.value < today {
                ctx.report(format!(
                    "the waiver for `{}` expired on {}; its findings are reported again",
                    waiver.rule.value, until.value
                ))
                .at(&file, until.span)
                .help("fix what it covered and delete the waiver, or extend `until` with a reason");
            }
        }
    }
}
