use super::{at_file_start, at_record, counts, record_evidence, trust, Trust};
use crate::facts::records::RecordKind;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB806",
    name: "missing-pm-ux-review",
    group: "records",
    level: Level::Deny,
    item: Item::PmUx,
    summary: "No PM/UX review is recorded, or it does not say how the rollout is communicated.",
    docs: r#"## What it checks
That `pm_ux` in `.onboarding.yml` records a PM/UX review whose `commit`, when given, is in the
linted history, whose date is not in the future, and whose `communication` says whether other
teams or users need to hear of the rollout (and how). The documentation half of the PM/UX
review (summary, use cases, setup, settings help) is checked by the docs rules.

## Why it matters
A plugin on the community server reaches people who did not ask for it. Someone decided what
they are told, and when; the record says who, and what.

## How to fix
```yaml
pm_ux:
  by: dana
  date: "2026-03-05"
  commit: v1.0.0
  communication: "Announced in ~community-plugins; no other team affected."
```

## Parameters
None.

## Example
```console
error[missing-pm-ux-review]: the PM/UX review by dana does not say how the rollout is communicated
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("the PM/UX reviewer records the review"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let settings = ctx.facts.settings();
    let fact = ctx.facts.records();
    let Some(r) = fact.of(RecordKind::PmUx).next() else {
        let f = ctx.report("no PM/UX review is recorded");
        f.help("record it under `pm_ux:` in .onboarding.yml: by, date, commit and communication");
        at_file_start(f, fact);
        return;
    };
    if r.commit.is_some() && fact.unverifiable.is_some() {
        let why = fact.unverifiable.clone().unwrap_or_default();
        ctx.unknown(format!("the PM/UX review cannot be checked: {why}"));
        return;
    }
    if !matches!(trust(settings, r), Trust::Trusted(_)) {
        let f = ctx.report(format!(
            "the PM/UX review by {} does not count (see untrusted-record)",
            r.by
        ));
        at_record(f, fact, r, |s| Some(s.by));
        return;
    }
    let fine_commit = r.commit.is_none() || counts(settings, r);
    if !fine_commit || r.future_date {
        // invalid-record names the commit or the date.
        let f = ctx.report(format!(
            "the PM/UX review by {} does not count: its commit or date is wrong (see invalid-record)",
            r.by
        ));
        at_record(f, fact, r, |s| s.commit.or(s.date));
        return;
    }
    match r.communication.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => {
            let text = format!("PM/UX review by {}: {text}", r.by);
            record_evidence(ctx, r, text, |s| s.communication);
        }
        _ => {
            let f = ctx.report(format!(
                "the PM/UX review by {} does not say how the rollout is communicated",
                r.by
            ));
            f.help("set `communication:`: who needs to hear of the rollout (other teams, users), and how; or that no one does, and why");
            at_record(f, fact, r, |s| s.communication);
        }
    }
}
