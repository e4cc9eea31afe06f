use super::{
    at_file_start, at_record, counts, none_counts, record_evidence, short_commit, stale_text,
    unverifiable,
};
use crate::facts::records::RecordKind;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB802",
    name: "missing-basic-review",
    group: "records",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "No current basic code review by a core committer is recorded.",
    docs: concat!(
        r#"## What it checks
That a review (`kind: basic` or `complete` in `reviews` of `.onboarding.yml`, or a
`Reviewed-by:` / `Security-reviewed-by:` commit trailer) exists whose commit is in the linted
revision's history, whose reviewer is one of the policy's `committers:` when it lists them
(with a signature by one of their keys when the record is signed or the policy requires it;
see `untrusted-record`), and after whose commit no production code changed. A review that has gone stale is named with the
production files changed since.

## Why it matters
The ci-extensions gate starts with a core committer reading all of the plugin's own code. A
review of an older version says nothing about code written after it.

## How to fix
Ask a core committer to review the plugin's code (`onboard review-diff` prints what to read)
and record it:
```yaml
reviews:
  - { kind: basic, by: alice, commit: v0.3.0, date: "2026-02-01" }
```
or merge the review pull request with a `Reviewed-by: Alice <alice@example.com>` trailer.

## Parameters
None. It reads policy settings (top-level keys of a policy file, see `onboard policy show`):
`committers` and `require_signed_records` (whose records count, see `untrusted-record`); and "#,
        production_params_doc!(),
        r#"

## Example
```console
$ onboard lint
error[missing-basic-review]: the review by alice at 1a2b3c4 is stale: 2 production files changed since: server/plugin.go, webapp/src/index.tsx
```
"#
    ),
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "a core committer records the review after reading the code",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let settings = ctx.facts.settings();
    let fact = ctx.facts.records();
    let reviews: Vec<_> = fact.of(RecordKind::Review).collect();
    if unverifiable(ctx, "reviews are", !reviews.is_empty()) {
        return;
    }
    let by_committer: Vec<_> = reviews.iter().filter(|r| counts(settings, r)).collect();
    if let Some(r) = by_committer
        .iter()
        .find(|r| settings.production_paths(&r.changed_since).is_empty())
    {
        let text = format!(
            "{} review by {} at {}",
            r.review.map_or("basic", |k| k.as_str()),
            r.by,
            short_commit(r)
        );
        record_evidence(ctx, r, text, |s| Some(s.by));
        return;
    }
    if let Some(r) = by_committer.first() {
        let changed = settings.production_paths(&r.changed_since);
        let f = ctx.report(format!(
            "the review by {} at {} is stale: {}",
            r.by,
            short_commit(r),
            stale_text(&changed)
        ));
        f.help("have the changes reviewed and record a review at the current commit");
        at_record(f, fact, r, |s| s.commit);
        return;
    }
    let f = ctx.report(if reviews.is_empty() {
        "no code review is recorded".to_string()
    } else {
        format!(
            "no recorded review counts ({})",
            none_counts(settings, &reviews)
        )
    });
    f.help("record a core committer's review in `reviews:` of .onboarding.yml, or with a `Reviewed-by:` trailer on the merge commit");
    match reviews.first() {
        Some(r) => at_record(f, fact, r, |s| s.commit),
        None => at_file_start(f, fact),
    }
}
