use super::{at_record, short_commit};
use crate::facts::records::CommitState;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB801",
    name: "invalid-record",
    group: "records",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "A review, QA or PM/UX record names a commit that does not exist or is not in the linted history, or is dated in the future.",
    docs: r#"## What it checks
Every record in `reviews`, `qa` and `pm_ux` of `.onboarding.yml`, and every `Reviewed-by:`,
`Security-reviewed-by:` and `QA-passed-by:` commit trailer, is checked against git:
- its `commit` (a sha, abbreviated or full, or a tag), or for QA its `release` tag, must name a
  commit;
- that commit must be the linted revision or one of its ancestors;
- its `date` must not be after today.

The finding belongs to the checklist item of the record (basic or complete review, QA, PM/UX),
so `onboard status` shows it there. Without git (a plain directory) records cannot be checked,
and this rule says nothing.

## Why it matters
A record is the evidence that a person did a step on a given version of the code. A sha that
does not exist, one from another branch, or a date still to come proves nothing about the code
being linted.

## How to fix
Point the record at the commit that was reviewed or tested, as it appears in this branch's
history (`git log --oneline`), or at the release tag; fix the date. A record for a branch that
was not merged belongs with that branch.

## Parameters
None.

## Example
```yaml
reviews:
  - { kind: basic, by: alice, commit: 0000000, date: "2026-01-05" }   # no such commit
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.records();
    for r in &fact.records {
        let (item, what) = super::item_and_name(r);
        let reference = r.commit.as_deref().or(r.release.as_deref()).unwrap_or("");
        let problem = match r.state {
            CommitState::Unknown => Some((
                format!("{what}: `{reference}` names no commit or tag in this repository"),
                "point it at a commit of this branch's history (`git log --oneline`) or a release tag",
            )),
            CommitState::OffHistory => Some((
                format!(
                    "{what}: commit {} is not in the history of the linted revision",
                    short_commit(r)
                ),
                "the recorded commit is on another branch; record the commit this branch contains",
            )),
            _ => None,
        };
        if let Some((message, help)) = problem {
            let f = ctx.report(message);
            f.item = item;
            f.help(help);
            at_record(f, fact, r, |s| s.commit.or(s.release));
        }
        if r.future_date {
            let date = r.date.map(|d| d.to_string()).unwrap_or_default();
            let f = ctx.report(format!("{what}: dated {date}, which is in the future"));
            f.item = item;
            f.help("write the day the step was done, quoted: \"YYYY-MM-DD\"");
            at_record(f, fact, r, |s| s.date);
        }
    }
}
