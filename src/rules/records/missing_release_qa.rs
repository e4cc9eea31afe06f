use super::{at_file_start, at_record, counts, record_evidence};
use crate::facts::records::RecordKind;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

/// The environment a release's QA pass for the community gate happens in.
pub const ENVIRONMENT: &str = "ci-extensions-release";

pub static RULE: Rule = Rule {
    code: "OB805",
    name: "missing-release-qa",
    group: "records",
    level: Level::Deny,
    item: Item::QaRelease,
    summary: "No QA pass on ci-extensions-release of the exact release to deploy.",
    docs: r#"## What it checks
That a QA record names the release being deployed in `release` (the version tag on the linted
commit, else the highest release tag) and `environment: ci-extensions-release`, and that the
tag is in the linted history. Without a release tag, or without git, the item is unknown: the
release rules ask for the tag.

## Why it matters
The community gate deploys one exact release. A QA pass of another release, or on another
server, does not say that this build works where it will run.

## How to fix
Deploy the release to ci-extensions-release, test it, and record it:
```yaml
qa:
  - { by: carol, release: v1.2.0, environment: ci-extensions-release, date: "2026-04-01", notes: docs/qa/v1.2.0.md }
```

## Parameters
None.

## Example
```console
error[missing-release-qa]: no QA pass of v1.2.0 on ci-extensions-release is recorded (QA passes name: v1.1.0)
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("QA records the pass after testing the release"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let settings = ctx.facts.settings();
    let fact = ctx.facts.records();
    if let Some(why) = &fact.unverifiable {
        ctx.unknown(format!("the release QA cannot be checked: {why}"));
        return;
    }
    let releases = ctx.facts.release();
    if let Err(why) = releases.usable() {
        ctx.unknown(format!("the release to deploy cannot be told: {why}"));
        return;
    }
    // The release being deployed: a release tag on the linted commit, else the highest
    // release in its history.
    let on_commit = releases
        .at_revision
        .iter()
        .find(|n| releases.tag(n).is_some_and(|t| t.release));
    let Some(release) = on_commit
        .or(releases.highest_release_reachable.as_ref())
        .cloned()
    else {
        ctx.unknown("there is no release tag yet to QA");
        return;
    };
    let qa: Vec<_> = fact.of(RecordKind::Qa).collect();
    let of_release: Vec<_> = qa
        .iter()
        .filter(|r| r.release.as_deref() == Some(release.as_str()))
        .collect();
    if let Some(r) = of_release
        .iter()
        .find(|r| counts(settings, r) && r.environment.as_deref() == Some(ENVIRONMENT))
    {
        let text = format!("QA pass of {release} on {ENVIRONMENT} by {}", r.by);
        record_evidence(ctx, r, text, |s| s.release);
        return;
    }
    if let Some(r) = of_release
        .iter()
        .find(|r| r.environment.as_deref() != Some(ENVIRONMENT))
    {
        let f = ctx.report(format!(
            "the QA pass of {release} by {} was not on {ENVIRONMENT} (environment: {})",
            r.by,
            r.environment.as_deref().unwrap_or("not given")
        ));
        f.help(format!(
            "test the release on {ENVIRONMENT} and set `environment: {ENVIRONMENT}`"
        ));
        at_record(f, fact, r, |s| s.environment.or(s.release));
        return;
    }
    let named: Vec<&str> = qa.iter().filter_map(|r| r.release.as_deref()).collect();
    let f = ctx.report(format!(
        "no QA pass of {release} on {ENVIRONMENT} is recorded{}",
        if named.is_empty() {
            String::new()
        } else {
            format!(" (QA passes name: {})", named.join(", "))
        }
    ));
    f.help(format!(
        "deploy {release} to {ENVIRONMENT}, test it and add a `qa` entry with `release: {release}` and `environment: {ENVIRONMENT}`"
    ));
    match qa.iter().find(|r| r.release.is_some()) {
        Some(r) => at_record(f, fact, r, |s| s.release),
        None => at_file_start(f, fact),
    }
}
