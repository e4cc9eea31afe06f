use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB404",
    name: "no-own-code",
    group: "template",
    level: Level::Allow,
    item: Item::ReviewDiff,
    summary: "The plugin has no code of its own: every source file is the starter template's.",
    docs: r#"## What it checks
That the plugin has code of its own to review: at least one source file (`.go`, `.ts`, `.tsx`,
`.js`, `.jsx`, `.scss`, `.css`, … by extension) outside the tooling directories (`build/`,
`e2e/`, `tests/`, `loadtest/`, …) that is the plugin's own, or a template file with lines
added. The classification is the `template` fact's (see `review-size`); `onboard facts` shows
the count as `template.own_code`. A changed `plugin.json`, README or icon is not code.

## Why it matters
The reviewable-code item asks for a review of all code that is not starter-template
boilerplate. An uncustomised template has none, so `review-size` alone would pass it with 0
review lines: nothing to review is not a reviewed plugin. It is what a repository looks like
when it was made from the template and the plugin's code was never committed (or lives on
another branch).

## How to fix
Commit the plugin's code, or lint the branch or revision that has it (`--rev`).

## Parameters
None. The classification's parameters (template index, class globs) are `review-size`'s.

## Example
A repository made with "Use this template" whose only change is the `id` and `name` in
`plugin.json`.
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.template();
    if let Some(error) = &fact.error {
        // review-size reports the template fact's problem.
        ctx.unknown(format!(
            "cannot compare the repository with the template: {error}"
        ));
        return;
    }
    let own = fact.own_code;
    if own.lines > 0 {
        ctx.evidence(format!(
            "{} lines of the plugin's own code in {} source file{}",
            own.lines,
            own.files,
            if own.files == 1 { "" } else { "s" }
        ));
        return;
    }
    let c = &fact.classes;
    ctx.report(format!(
        "nothing to review: the plugin has no code of its own, no source file has a line that is \
         not the template's ({} files identical to the template's, {} moved, {} modified; {} \
         review lines, none of them code)",
        c.identical.files, c.moved.files, c.modified.files, fact.review_lines
    ))
    .help(
        "commit the plugin's code, or lint the revision that has it with `--rev`; the basic \
         review needs code of the plugin's own",
    );
}
