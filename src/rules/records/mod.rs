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
pub mod untrusted_record;

use crate::facts::records::{CommitState, Record, RecordSource, RecordsFact, SignatureState};
use crate::finding::Finding;
use crate::policy::settings::Settings;
use crate::source::Span;
use crate::workspace::names::short_id;

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

/// A committer's key that signed a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub committer: Option<String>,
    pub algorithm: String,
    pub fingerprint: String,
}

/// Whether a record is its person's, as far as the policy's `committers:` and
/// `require_signed_records:` can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// It counts; with the key that signed it, when one did.
    Trusted(Option<Signed>),
    /// `by` is none of the policy's committers.
    NotCommitter,
    /// Unsigned, and the policy requires signatures; for a trailer, what its commit's
    /// signature is when it is not the reviewer's.
    Unsigned(Option<String>),
    /// The signature does not match the record: a field changed after signing.
    Tampered,
    /// The signature cannot be checked (why).
    Unreadable(String),
    /// Made for this record at another commit (its full id).
    OtherCommit(String),
    /// Made for this record in another plugin (its id).
    OtherPlugin(String),
    /// Signed by a key not listed for the committers `by` names; the committer it is listed
    /// for, if any.
    KeyNotListed {
        fingerprint: String,
        listed_for: Option<String>,
    },
}

/// How far the record's signer can be trusted (see [`Trust`]).
pub fn trust(settings: &Settings, r: &Record) -> Trust {
    let listed = !settings.committers.is_empty();
    if listed && r.committers.is_empty() {
        return Trust::NotCommitter;
    }
    let trailer = matches!(r.source, RecordSource::Trailer { .. });
    let unsigned = |note: Option<String>| {
        if settings.require_signed_records {
            Trust::Unsigned(note)
        } else {
            Trust::Trusted(None)
        }
    };
    let Some(sig) = &r.signature else {
        return unsigned(None);
    };
    let detail = sig.detail.clone().unwrap_or_default();
    match sig.state {
        SignatureState::Valid => {
            let fingerprint = sig.fingerprint.clone().unwrap_or_default();
            let signed = |committer: Option<String>| {
                Trust::Trusted(Some(Signed {
                    committer,
                    algorithm: sig.algorithm.clone().unwrap_or_default(),
                    fingerprint: fingerprint.clone(),
                }))
            };
            match &sig.key_of {
                Some(owner) if r.committers.contains(owner) => signed(Some(owner.clone())),
                // No list to hold the key against: the signature proves the record is intact,
                // not who made it.
                _ if !listed => signed(None),
                // A commit's signature is its committer's, who need not be the reviewer.
                _ if trailer => unsigned(Some(format!(
                    "the commit is signed by {}{}, not by a key listed for {}",
                    fingerprint,
                    sig.key_of
                        .as_ref()
                        .map(|o| format!(" ({o}'s)"))
                        .unwrap_or_default(),
                    r.by
                ))),
                _ => Trust::KeyNotListed {
                    fingerprint,
                    listed_for: sig.key_of.clone(),
                },
            }
        }
        // A commit signed with OpenPGP carries no SSH signature to check.
        SignatureState::Unreadable if trailer => unsigned(Some(detail)),
        SignatureState::Mismatch => Trust::Tampered,
        SignatureState::OtherCommit => Trust::OtherCommit(detail),
        SignatureState::OtherPlugin => Trust::OtherPlugin(detail),
        SignatureState::Unreadable | SignatureState::Unbound => Trust::Unreadable(detail),
    }
}

/// A record that can count: its commit is verified, its date is not in the future, and it is
/// its person's (see [`trust`]).
pub fn counts(settings: &Settings, r: &Record) -> bool {
    r.state == CommitState::Verified
        && !r.future_date
        && matches!(trust(settings, r), Trust::Trusted(_))
}

/// Why none of `records` counts, for a "no record" finding: the rule that says more.
pub fn none_counts(settings: &Settings, records: &[&Record]) -> &'static str {
    let untrusted = records.iter().any(|r| {
        r.state == CommitState::Verified && !matches!(trust(settings, r), Trust::Trusted(_))
    });
    if untrusted {
        "see untrusted-record and invalid-record"
    } else {
        "see invalid-record"
    }
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

/// The checklist item a record serves, and how messages name it ("review record by alice").
pub fn item_and_name(r: &Record) -> (crate::finding::Item, String) {
    use crate::facts::onboarding::ReviewKind;
    use crate::facts::records::RecordKind;
    use crate::finding::Item;
    let item = match (r.kind, r.review) {
        (RecordKind::Review, Some(ReviewKind::Complete)) => Item::CompleteReview,
        (RecordKind::Review, _) => Item::BasicReview,
        (RecordKind::Qa, _) => Item::Qa,
        (RecordKind::PmUx, _) => Item::PmUx,
    };
    (
        item,
        format!("{} record by {}{}", r.kind, r.by, r.trailer_note()),
    )
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
    let text = match trust(ctx.facts.settings(), r) {
        Trust::Trusted(Some(s)) => format!(
            "{text}, signed by {}{} {}",
            s.committer
                .map(|c| format!("{c}'s key "))
                .unwrap_or_else(|| "key ".into()),
            s.algorithm,
            s.fingerprint
        ),
        _ => text,
    };
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
