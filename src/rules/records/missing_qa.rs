use super::{
    at_file_start, at_record, counts, none_counts, record_evidence, short_commit, stale_text,
    unverifiable,
};
use crate::facts::onboarding::{Owner, ReleaseStage};
use crate::facts::records::RecordKind;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

/// The sections of the QA session notes template, each to be filled in.
pub const NOTES_SECTIONS: [&str; 3] = ["Scope", "Testing notes", "Follow-up concerns"];

pub static RULE: Rule = Rule {
    code: "OB804",
    name: "missing-qa",
    group: "records",
    level: Level::Deny,
    item: Item::Qa,
    summary: "No QA pass covers the linted revision, or its notes do not follow the template.",
    docs: concat!(
        r#"## What it checks
That a QA record (`qa` in `.onboarding.yml`, or a `QA-passed-by:` commit trailer) covers the
linted revision: its `commit` or `release` tag is in the history and no production code changed
since. For the record that covers it:
- its `notes` file exists and has the sections of the QA session notes template, `Scope`,
  `Testing notes` and `Follow-up concerns`, each with something written under it;
- when `third_party.service` is set, `third_party.test_account` says where QA finds an account;
- for `owner: mattermost`, release testing is recorded: a QA record naming a `release`.

Plugins with `release_stage: beta` or `experimental` may ship without QA: the rule says so in
`onboard status` and passes.

## Why it matters
QA is what stands between a plugin and the servers that install it. QA is only needed again
when production code changed: tooling changes (build, CI, docs, tests) do not reset it.

## How to fix
Run a QA session, write the notes from the template and record it:
```yaml
qa:
  - { by: carol, commit: v1.0.0, date: "2026-03-03", notes: docs/qa/v1.0.0.md }
```

## Parameters
None. It reads a policy setting (a top-level key of a policy file, see `onboard policy show`): "#,
        production_params_doc!(),
        r#"

## Example
```console
error[missing-qa]: QA notes docs/qa/v1.0.0.md lack sections: Follow-up concerns (empty)
```
"#
    ),
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("QA records the pass after testing the build"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let settings = ctx.facts.settings();
    let config = ctx.facts.onboarding().parsed();
    if let Some((c, file)) = config {
        if let Some(stage) = &c.release_stage {
            if matches!(stage.value, ReleaseStage::Beta | ReleaseStage::Experimental) {
                ctx.evidence(format!(
                    "release_stage {}: the plugin may ship without QA",
                    stage.value
                ))
                .at(file, stage.span);
                return;
            }
        }
    }
    let fact = ctx.facts.records();
    let records: Vec<_> = fact.of(RecordKind::Qa).collect();
    if unverifiable(ctx, "QA is", !records.is_empty()) {
        return;
    }
    let counting: Vec<_> = records.iter().filter(|r| counts(settings, r)).collect();
    let Some(cover) = counting
        .iter()
        .find(|r| settings.production_paths(&r.changed_since).is_empty())
    else {
        let f = match counting.first() {
            Some(r) => {
                let changed = settings.production_paths(&r.changed_since);
                let f = ctx.report(format!(
                    "the QA pass by {} at {} is stale: {}",
                    r.by,
                    short_commit(r),
                    stale_text(&changed)
                ));
                at_record(f, fact, r, |s| s.commit.or(s.release));
                f
            }
            None => {
                let f = ctx.report(if records.is_empty() {
                    "no QA pass is recorded".to_string()
                } else {
                    format!(
                        "no recorded QA pass counts ({})",
                        none_counts(settings, &records)
                    )
                });
                match records.first() {
                    Some(r) => at_record(f, fact, r, |s| s.commit.or(s.release)),
                    None => at_file_start(f, fact),
                }
                f
            }
        };
        f.help("run a QA session on the current code and record it in `qa:` of .onboarding.yml, or with a `QA-passed-by:` trailer");
        return;
    };
    let mut ok = true;
    match (&cover.notes, cover.notes_found) {
        (None, _) => {
            ok = false;
            let f = ctx.report(format!(
                "the QA pass by {} at {} has no `notes`",
                cover.by,
                short_commit(cover)
            ));
            f.help("write the session notes (Scope, Testing notes, Follow-up concerns) and set `notes:` to their path");
            at_record(f, fact, cover, |_| None);
        }
        (Some(path), Some(false)) => {
            ok = false;
            let f = ctx.report(format!("QA notes {path} do not exist in the repository"));
            f.help("commit the notes file, or fix the path (relative to the repository root)");
            at_record(f, fact, cover, |s| s.notes);
        }
        (Some(path), _) => {
            let lacking: Vec<String> = NOTES_SECTIONS
                .iter()
                .filter_map(|want| {
                    let found = cover
                        .notes_sections
                        .iter()
                        .find(|s| s.title.trim_end_matches(':').eq_ignore_ascii_case(want));
                    match found {
                        None => Some(want.to_string()),
                        Some(s) if s.empty => Some(format!("{want} (empty)")),
                        Some(_) => None,
                    }
                })
                .collect();
            if !lacking.is_empty() {
                ok = false;
                let f = ctx.report(format!(
                    "QA notes {path} lack sections: {}",
                    lacking.join(", ")
                ));
                f.help("the QA session notes template has three sections, each filled in: Scope, Testing notes, Follow-up concerns");
                at_record(f, fact, cover, |s| s.notes);
            }
        }
    }
    if let Some((c, file)) = config {
        if let (Some(service), None) = (&c.third_party.service, &c.third_party.test_account) {
            ok = false;
            ctx.report(format!(
                "the plugin talks to {} but `third_party.test_account` does not say where QA finds an account",
                service.value
            ))
            .at(file, service.span)
            .help("set `third_party.test_account` to where the test account's credentials are kept");
        }
        if let Some(owner) = &c.owner {
            if owner.value == Owner::Mattermost && !counting.iter().any(|r| r.release.is_some()) {
                ok = false;
                ctx.report(
                    "the plugin is Mattermost-owned, and no QA pass of a release is recorded",
                )
                .at(file, owner.span)
                .help("record release testing: a `qa` entry with `release: vX.Y.Z`");
            }
        }
    }
    if ok {
        let text = format!("QA pass by {} at {}", cover.by, short_commit(cover));
        record_evidence(ctx, cover, text, |s| Some(s.by));
    }
}
