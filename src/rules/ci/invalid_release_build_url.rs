use super::Url;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB607",
    name: "invalid-release-build-url",
    group: "ci",
    level: Level::Allow,
    item: Item::CiRelease,
    summary: "`ci.release_build_url` is not an https URL, or is a placeholder.",
    docs: r#"## What it checks
That `ci.release_build_url` in `.onboarding.yml`, when set, is an absolute `https:` URL
and not a placeholder: `example.com` (and `.org`, `.net`), `localhost`, hosts under
`.example`, `.invalid` or `.test`, `<...>` or `{{...}}`, or the words TODO, TBD, FIXME,
CHANGEME, XXX.

## Why it matters
The URL is followed by people deploying the plugin; a plain-http link can be tampered with, and
a placeholder leads nowhere.

## How to fix
Point it at the real build page or artifact over https.

## Parameters
None.

## Example
```yaml
ci:
  release_build_url: https://example.com/TODO
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "the release build's address is known once CI publishes releases",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    super::check_invalid(ctx, Url::Release);
}
