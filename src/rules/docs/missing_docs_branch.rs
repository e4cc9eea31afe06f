use crate::finding::{Item, Level};
use crate::rules::release::usable;
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB720",
    name: "missing-docs-branch",
    group: "docs",
    level: Level::Allow,
    item: Item::PmUx,
    summary: "Versioned docs lack a branch for an older minor or major release.",
    docs: r#"## What it checks
When `.onboarding.yml` sets `docs.versioned: true`: for every minor or major release line
older than the current one (each `MAJOR.MINOR` of the release tags below the highest release's),
a local or remote-tracking branch named by `docs.branch_pattern` exists. The pattern's
placeholders: `{id}` (the manifest id), `{version}` (`MAJOR.MINOR`), `{major}`, `{minor}`.
`docs.versioned: true` without a pattern is a finding too. Plugins without versioned docs pass.

## Why it matters
Administrators running an older release need the documentation of that release, not of the
newest one; a branch per minor or major release keeps it published.

## How to fix
Create the missing branch from the line's last release: `git branch docs-v1.1 v1.1.3` and push
it.

## Parameters
None.

## Example
```yaml
docs:
  versioned: true
  branch_pattern: "docs-v{version}"
```
with releases `v1.1.3` and `v1.2.0` and no branch `docs-v1.1`.
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("docs branches are pushed, not committed"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some((config, file)) = ctx.facts.onboarding().parsed() else {
        ctx.evidence("no `.onboarding.yml` declaring versioned docs");
        return;
    };
    let docs = &config.docs;
    let Some(versioned) = docs.versioned.as_ref().filter(|v| v.value) else {
        ctx.evidence("docs are not versioned (`docs.versioned` is not true)");
        return;
    };
    let Some(fact) = usable(ctx) else {
        return;
    };
    let Some(branches) = &fact.docs_branches else {
        return;
    };
    let Some(pattern) = &docs.branch_pattern else {
        ctx.report("`docs.versioned` is true but `docs.branch_pattern` is not set")
            .at(file, versioned.span)
            .help("add `branch_pattern` under `docs:`, e.g. `docs-v{version}`");
        return;
    };
    let missing: Vec<_> = branches.lines.iter().filter(|l| !l.exists).collect();
    for line in &missing {
        ctx.report(format!(
            "no docs branch `{}` for the {} release line (last release `{}`)",
            line.branch, line.line, line.release
        ))
        .at(file, pattern.span)
        .help(format!(
            "create it from the line's last release: `git branch {} {}` and push it",
            line.branch, line.release
        ));
    }
    if missing.is_empty() {
        let text = match branches.lines.len() {
            0 => format!(
                "no release line older than the current one ({})",
                branches.current.as_deref().unwrap_or("no release yet")
            ),
            n => format!(
                "a docs branch for each of {n} older release lines: {}",
                branches
                    .lines
                    .iter()
                    .map(|l| l.branch.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        ctx.evidence(text).at(file, pattern.span);
    }
}
