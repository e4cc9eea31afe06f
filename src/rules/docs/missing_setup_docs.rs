use super::{readme_anchor, readme_name};
use crate::facts::docs::paths::Target;
use crate::facts::docs::SectionKind;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB703",
    name: "missing-setup-docs",
    group: "docs",
    level: Level::Allow,
    item: Item::Qa,
    summary: "No setup documentation: `docs.setup` leads nowhere, and the README lacks installation or configuration sections.",
    docs: r#"## What it checks
That the plugin documents how to set it up: `docs.setup` in `.onboarding.yml` names a file or
folder that exists in the repository or an `https://` page, or, without `docs.setup`, the README
has both an installation section and a configuration section (one heading may be both:
"Installation and configuration"). Sections under a development heading ("Development",
"Getting started locally", "Building") are a developer's and do not count.

## Why it matters
QA sets the plugin up from its documentation before testing it; the onboarding process lists
"setup docs present" as part of the QA pass, so a plugin without them cannot be tested as a user
would install it.

## How to fix
Add `## Installation` and `## Configuration` sections to the README, or point `docs.setup` at
the setup guide (`docs/setup.md`, or the product documentation's https page).

## Parameters
None.

## Example
```yaml
# .onboarding.yml
docs:
  setup: https://docs.mattermost.com/integrate/jira-interoperability.html
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let docs = ctx.facts.docs();
    if let (Some(target), Some(pointer)) = (&docs.setup.target, &docs.setup.pointer) {
        let problem = match target {
            Target::Https => return,
            Target::Path { exists: true, .. } => return,
            Target::Path { path, .. } => format!("`{path}` does not exist in the repository"),
            Target::Http => "setup documentation must be served over https".to_string(),
            Target::Other | Target::OutsideRepository => {
                "this is neither a path in the repository nor an https URL".to_string()
            }
        };
        let Some((_, file)) = ctx.facts.onboarding().parsed() else {
            return;
        };
        ctx.report(format!("`docs.setup`: {problem}"))
            .at(file, pointer.span)
            .help("point `docs.setup` at the setup guide: a repository path or an https page");
        return;
    }
    if docs.setup.readme_sections {
        return;
    }
    let missing: Vec<&str> = [SectionKind::Installation, SectionKind::Configuration]
        .into_iter()
        .filter(|k| {
            !docs
                .sections
                .iter()
                .any(|s| s.kind == *k && s.heading.is_some())
        })
        .map(SectionKind::as_str)
        .collect();
    let help = "add installation and configuration sections to the README, or name the setup \
                guide with `docs.setup` in .onboarding.yml";
    match readme_anchor(docs) {
        Some((file, title)) => {
            ctx.report(format!(
                "no setup documentation: `{}` has no {} section, and .onboarding.yml names no \
                 `docs.setup`",
                readme_name(docs),
                missing.join(" or ")
            ))
            .at(file, title)
            .help(help);
        }
        None => {
            ctx.report(
                "no setup documentation: no README, and .onboarding.yml names no `docs.setup`",
            )
            .help(help);
        }
    }
}
