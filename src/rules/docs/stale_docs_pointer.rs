use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "OB710",
    name: "stale-docs-pointer",
    group: "docs",
    level: Level::Allow,
    item: Item::PmUx,
    summary: "A documentation pointer leads nowhere: `.gitbook.yaml` `root` or `docs.readme` names a missing path.",
    docs: r#"## What it checks
- `.gitbook.yaml`: its `root` (the folder GitBook publishes) must exist in the repository, and
  the file must be readable YAML.
- `docs.readme` in `.onboarding.yml`: the README it names must exist (the root README is judged
  instead when it does not).

`docs.setup` is `missing-setup-docs`'s to check; README links are `broken-readme-link`'s.

## Why it matters
A GitBook space whose root is gone publishes nothing, or an old copy; a pointer to a README that
moved makes every documentation check judge another file than the one meant.

## How to fix
Point the value at the folder or file as it is now, or remove the stale configuration.

## Parameters
None.

## Example
```yaml
# .gitbook.yaml
root: ./docs/    # but the repository has no docs/ folder
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let docs = ctx.facts.docs();
    if let Some(gb) = &docs.gitbook {
        match (&gb.file, &gb.error, &gb.root) {
            (Some(file), Some(error), _) => {
                ctx.report(format!("`.gitbook.yaml` cannot be read: {error}"))
                    .at(file, Span::new(0, 0))
                    .help("fix the YAML, or remove the file if GitBook no longer publishes it");
            }
            (None, Some(error), _) => {
                ctx.report(format!("`.gitbook.yaml` cannot be read: {error}"))
                    .help("fix or remove the file");
            }
            (Some(file), None, Some(root)) if !gb.root_exists => {
                ctx.report(format!(
                    "`.gitbook.yaml` publishes `{}`, which does not exist in the repository",
                    root.value
                ))
                .at(file, root.span)
                .help("point `root` at the documentation folder, or remove .gitbook.yaml");
            }
            _ => {}
        }
    }
    if let (Some(problem), Some((config, file))) =
        (&docs.readme_problem, ctx.facts.onboarding().parsed())
    {
        if let Some(p) = &config.docs.readme {
            ctx.report(format!("`docs.readme`: {problem}"))
                .at(file, p.span)
                .help(format!(
                    "point it at the README as it is now; `{}` was judged instead",
                    docs.readme.as_deref().unwrap_or("no README")
                ));
        }
    }
}
