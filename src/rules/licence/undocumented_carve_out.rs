use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB307",
    name: "undocumented-carve-out",
    group: "licence",
    level: Level::Warn,
    item: Item::Licence,
    summary: "The README does not mention a path that `licence_paths` puts under other terms.",
    docs: r#"## What it checks
For each `licence_paths` entry, the root README mentions the carved-out path (the glob's fixed
prefix, e.g. `server/enterprise`) or the licence it is under.

## Why it matters
People read the README, not `.onboarding.yml`. Terms that differ from the repository's licence
must be visible where a user decides whether to use the code.

## How to fix
Add a "Licence" section to the README: which paths are under which terms.

## Parameters
None.

## Example
```markdown
## License
This repository is Apache-2.0, except `server/enterprise/`, which is under the Mattermost
Source Available License (see `server/enterprise/LICENSE`).
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some((config, file)) = ctx.facts.onboarding().parsed() else {
        return;
    };
    if config.licence_paths.is_empty() {
        return;
    }
    let Some(readme) = ctx.facts.readme() else {
        return; // missing-readme speaks for this
    };
    let text = readme.text.to_lowercase();
    for (glob, value) in &config.licence_paths {
        let prefix: String = glob
            .value
            .split(['*', '?', '[', '{'])
            .next()
            .unwrap_or("")
            .trim_end_matches('/')
            .to_lowercase();
        let licence = value.value.to_lowercase();
        if (!prefix.is_empty() && text.contains(&prefix)) || text.contains(&licence) {
            continue;
        }
        ctx.report(format!(
            "the README does not say that `{}` is under `{}`",
            glob.value, value.value
        ))
        .at(file, glob.span)
        .help(format!(
            "say in {} which paths are under which licence",
            readme.path
        ));
    }
}
