use super::{at_record, counts, short_commit};
use crate::facts::records::{same_person, RecordKind};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB807",
    name: "self-review",
    group: "records",
    level: Level::Warn,
    item: Item::BasicReview,
    summary: "A reviewer wrote most of the commits they reviewed.",
    docs: r#"## What it checks
For each review whose commit is in the linted history, the authors of the commits up to and
including it: when the reviewer (matched by handle, name, email, email user or GitHub noreply
handle, ignoring case) wrote more than half of them, the review is flagged.

## Why it matters
Reviewing your own code is not a review: the point is a second pair of eyes.

## How to fix
Ask a core committer who did not write the code to review it, and record that review.

## Parameters
None.

## Example
```console
warning[self-review]: alice reviewed code they wrote: 41 of 52 commits up to 1a2b3c4 are theirs
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("who reviewed is the reviewers' record"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let settings = ctx.facts.settings();
    let fact = ctx.facts.records();
    for r in fact.of(RecordKind::Review).filter(|r| counts(settings, r)) {
        let Some(a) = &r.authorship else {
            continue;
        };
        if a.top_commits * 2 > a.commits && same_person(&r.by, &a.top_author) {
            let f = ctx.report(format!(
                "{} reviewed code they wrote: {} of {} commits up to {} are theirs{}",
                r.by,
                a.top_commits,
                a.commits,
                short_commit(r),
                r.trailer_note()
            ));
            f.help("a review by someone else counts; record it alongside");
            at_record(f, fact, r, |s| Some(s.by));
        }
    }
}
