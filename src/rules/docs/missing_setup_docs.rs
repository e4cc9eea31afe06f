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
    summary: "No setup documentation: `docs.setup` leads nowhere, and the README neither links to setup docs nor covers installation and configuration.",
    docs: r#"## What it checks
That the plugin documents how to set it up: `docs.setup` in `.onboarding.yml` names a file or
folder that exists in the repository or an `https://` page; or, without `docs.setup`, the README
links to documentation about installing or configuring the plugin (a setup pointer, the same
thing as `docs.setup` written in the README: "See the [Mattermost Product
Documentation](https://docs.mattermost.com/…) for details on installing, configuring, …"); or
the README covers both installation and configuration, each found by heading or content as
`missing-readme-section` finds them (one heading may be both: "Installation and
configuration"; installation steps under `## Configuration` count). Sections under a development
heading ("Development", "Getting started locally", "Building") and links to developer
documentation are a developer's and do not count. The evidence names what was found and where.

A plugin with nothing to configure needs no configuration section: when the manifest declares
no settings, or every setting has a value without being set (a `bool`, a `generated` value, a
`default`) and help text the System Console shows beside it, the installation steps are the
setup documentation (todo: one optional `bool` with help). A setting that must be filled in
(an API key, a server URL), one without help text, or one the plugin's own component draws
still needs documenting.

A pointer is taken at its word: what the linked page says is not read (onboard does not use the
network), so a link whose text or sentence speaks of setting the plugin up passes.

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
            Target::Https | Target::Path { exists: true, .. } => {
                let facts = ctx.facts;
                let note = ctx.evidence(format!("`docs.setup` is {}", pointer.value));
                if let Some((_, file)) = facts.onboarding().parsed() {
                    note.at(file, pointer.span);
                }
                return;
            }
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
    let setup_kinds = [SectionKind::Installation, SectionKind::Configuration];
    if docs.setup.readme_sections {
        for s in docs
            .sections
            .iter()
            .filter(|s| setup_kinds.contains(&s.kind))
        {
            super::section_evidence(ctx, docs, s);
        }
        return;
    }
    if let Some(p) = &docs.setup.readme_pointer {
        let about: Vec<&str> = p.kinds.iter().map(|k| k.as_str()).collect();
        let note = ctx.evidence(format!(
            "`{}` links to setup documentation: [{}]({}), about {}",
            readme_name(docs),
            p.text,
            p.target,
            about.join(", ")
        ));
        if let Some(file) = &docs.file {
            note.at(file, p.span);
        }
        return;
    }
    let missing: Vec<&str> = setup_kinds
        .into_iter()
        .filter(|k| !docs.sections.iter().any(|s| s.kind == *k && s.present()))
        .map(SectionKind::as_str)
        .collect();
    let sections = match missing.as_slice() {
        [one] if one.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {one} section"),
        [one] => format!("a {one} section"),
        _ => "installation and configuration sections".to_string(),
    };
    let help = format!(
        "add {sections} to the README, or name the setup guide with `docs.setup` in \
         .onboarding.yml"
    );
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
