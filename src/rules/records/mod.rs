//! Rules on the records of the human steps: reviews, QA passes, the PM/UX review. Each record is
//! verified against git by the `records` fact; these rules decide whether a verified record is
//! enough, and whether it has gone stale.

/// The staleness paragraph the review and QA rules' docs share.
macro_rules! production_params_doc {
    () => {
        "the setting `production` (globs; default `server/**`, `webapp/src/**`, `plugin.json`, `plugin.yaml`, \
`assets/**`, `public/**`) and `not_production` (globs carved out of it; default `**/*_test.go`, \
`**/testdata/**`, `**/*.test.{js,jsx,ts,tsx}`, `**/__snapshots__/**`, `**/*.md`): a record is \
stale when a production path changed between its commit and the linted revision. Build files \
(`build/**`, `Makefile`), CI (`.github/**`), docs and tests are tooling: changing them needs no \
new review or QA pass."
    };
}

pub mod invalid_record;
pub mod missing_basic_review;
pub mod missing_complete_review;
pub mod missing_pm_ux_review;
pub mod missing_qa;
pub mod missing_release_qa;
pub mod self_review;

use crate::facts::records::{CommitState, Record, RecordsFact};
use crate::finding::Finding;
use crate::policy::settings::Settings;
use crate::source::Span;
use crate::workspace::names::short_id;

/// Whether `by` is one of the policy's core committers (anyone is when it lists none).
pub fn is_committer(settings: &Settings, by: &str) -> bool {
    settings.committers.is_empty() || settings.committers.iter().any(|c| same_reviewer(c, by))
}

/// Whether two reviewer names are the same person: as handles (ignoring case and `@`), or one
/// as a handle of the other's `Name <email>`.
pub fn same_reviewer(a: &str, b: &str) -> bool {
    same_handle(a, b)
        || crate::facts::records::same_person(a, b)
        || crate::facts::records::same_person(b, a)
}

fn same_handle(a: &str, b: &str) -> bool {
    a.trim()
        .trim_start_matches('@')
        .eq_ignore_ascii_case(b.trim().trim_start_matches('@'))
}

/// Marks the rule's item unknown when records of this kind exist but git cannot check them;
/// returns whether it did.
pub fn unverifiable(ctx: &mut crate::rules::Ctx<'_>, what: &str, any: bool) -> bool {
    let Some(why) = ctx.facts.records().unverifiable.clone().filter(|_| any) else {
        return false;
    };
    ctx.unknown(format!("{what} recorded but cannot be checked: {why}"));
    true
}

/// A record that can count: its commit is verified and its date is not in the future.
pub fn counts(r: &Record) -> bool {
    r.state == CommitState::Verified && !r.future_date
}

/// The record's commit as written, with the short id it resolved to when that differs:
/// `v1.0.0 (1a2b3c4)`, `1a2b3c4`.
pub fn short_commit(r: &Record) -> String {
    let written = r.commit.as_ref().or(r.release.as_ref());
    match (&r.resolved, written) {
        (Some(id), Some(w)) if !id.starts_with(w.as_str()) => {
            format!("{w} ({})", short_id(id))
        }
        (Some(id), _) => short_id(id).to_string(),
        (None, Some(w)) => w.clone(),
        (None, None) => "no commit".into(),
    }
}

/// Records what a pass rests on: the record's value in `.onboarding.yml` (`pick` chooses it),
/// or for a trailer, the commit carrying it.
pub fn record_evidence(
    ctx: &mut crate::rules::Ctx<'_>,
    r: &Record,
    text: String,
    pick: impl Fn(&crate::facts::records::RecordSpans) -> Option<Span>,
) {
    let fact = ctx.facts.records();
    match (&fact.file, &r.spans) {
        (Some(file), Some(spans)) => {
            ctx.evidence(text).at(file, pick(spans).unwrap_or(spans.by));
        }
        _ => {
            ctx.evidence(format!("{text} ({})", r.origin()));
        }
    }
}

/// "3 production files changed since: a, b, c" for a stale record.
pub fn stale_text(changed: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut text = format!(
        "{} production file{} changed since: {}",
        changed.len(),
        if changed.len() == 1 { "" } else { "s" },
        changed
            .iter()
            .take(SHOWN)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if changed.len() > SHOWN {
        text.push_str(&format!(" and {} more", changed.len() - SHOWN));
    }
    text
}

/// Points a finding at a value of a record in `.onboarding.yml` (`pick` chooses the span,
/// falling back to the entry); a trailer record has no file to point into and says where it is
/// in the message instead.
pub fn at_record(
    f: &mut Finding,
    fact: &RecordsFact,
    r: &Record,
    pick: impl Fn(&crate::facts::records::RecordSpans) -> Option<Span>,
) {
    if let (Some(file), Some(spans)) = (&fact.file, &r.spans) {
        f.at(file, pick(spans).unwrap_or(spans.entry));
    }
}

/// Where the records live, for findings about a missing record: the file's first line, when
/// there is a `.onboarding.yml`.
pub fn at_file_start(f: &mut Finding, fact: &RecordsFact) {
    if let Some(file) = &fact.file {
        let first = file.text.lines().next().map_or(0, str::len);
        f.at(file, Span::new(0, first));
    }
}
