use super::{
    at_file_start, at_record, counts, record_evidence, same_reviewer, short_commit, stale_text,
    unverifiable,
};
use crate::facts::onboarding::ReviewKind;
use crate::facts::records::{Record, RecordKind};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB803",
    name: "missing-complete-review",
    group: "records",
    level: Level::Deny,
    item: Item::CompleteReview,
    summary: "No current complete review by two distinct core committers, one focused on security.",
    docs: concat!(
        r#"## What it checks
That the complete reviews recorded (`kind: complete` in `reviews`, or a commit carrying a
`Security-reviewed-by:` trailer with its `Reviewed-by:` trailers) that count (commit in the
linted history, not dated in the future, reviewer one of the policy's `committers:` when it
lists them, signature verified when signed or required (see `untrusted-record`), no production
change since) come from at least two distinct people, and that at least one of
them has `focus: security`.

## Why it matters
Before a plugin ships to the community server, two core committers read it, one of them for
security. One person twice, or two reviews without a security focus, is not that.

## How to fix
Record both reviews:
```yaml
reviews:
  - { kind: complete, by: alice, commit: v1.0.0, date: "2026-03-01" }
  - { kind: complete, by: bob, focus: security, commit: v1.0.0, date: "2026-03-02" }
```

## Parameters
None. It reads policy settings (top-level keys of a policy file, see `onboard policy show`):
`committers` and `require_signed_records` (whose records count, see `untrusted-record`); and "#,
        production_params_doc!(),
        r#"

## Example
```console
error[missing-complete-review]: the complete review has 1 reviewer of the 2 needed (alice), and none focused on security
```
"#
    ),
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "two core committers record the review after reading the code",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let settings = ctx.facts.settings();
    let fact = ctx.facts.records();
    let complete: Vec<_> = fact
        .of(RecordKind::Review)
        .filter(|r| r.review == Some(ReviewKind::Complete))
        .collect();
    if unverifiable(ctx, "reviews are", !complete.is_empty()) {
        return;
    }
    let counting: Vec<&Record> = complete
        .iter()
        .copied()
        .filter(|r| counts(settings, r))
        .collect();
    let (fresh, stale): (Vec<&Record>, Vec<&Record>) = counting
        .iter()
        .partition(|r| settings.production_paths(&r.changed_since).is_empty());
    let mut people: Vec<&str> = Vec::new();
    for r in &fresh {
        if !people.iter().any(|p| same_reviewer(p, &r.by)) {
            people.push(&r.by);
        }
    }
    let security = fresh.iter().find(|r| {
        r.focus
            .as_deref()
            .is_some_and(|f| f.eq_ignore_ascii_case("security"))
    });
    if people.len() >= 2 {
        if let Some(sec) = security {
            for r in &fresh {
                let focus = if std::ptr::eq(*r, *sec) {
                    ", security"
                } else {
                    ""
                };
                let text = format!("complete review by {}{focus} at {}", r.by, short_commit(r));
                record_evidence(ctx, r, text, |s| Some(s.by));
            }
            return;
        }
    }
    let mut missing = Vec::new();
    if people.len() < 2 {
        missing.push(format!(
            "{} reviewer{} of the 2 needed{}",
            people.len(),
            if people.len() == 1 { "" } else { "s" },
            if people.is_empty() {
                String::new()
            } else {
                format!(" ({})", people.join(", "))
            }
        ));
    }
    if security.is_none() {
        missing.push("none focused on security".to_string());
    }
    let mut message = format!("the complete review has {}", missing.join(", and "));
    if let Some(r) = stale.first() {
        let changed = settings.production_paths(&r.changed_since);
        message.push_str(&format!(
            "; the review by {} at {} is stale: {}",
            r.by,
            short_commit(r),
            stale_text(&changed)
        ));
    }
    let f = ctx.report(message);
    f.help("two distinct core committers review the code at the current commit, one with `focus: security`");
    match stale.first().or(counting.first()).or(complete.first()) {
        Some(r) => at_record(f, fact, r, |s| s.commit),
        None => at_file_start(f, fact),
    }
}
