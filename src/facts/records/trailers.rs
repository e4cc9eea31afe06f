//! Records from commit trailers: `Reviewed-by:`, `Security-reviewed-by:` and `QA-passed-by:`
//! in the last paragraph of a commit message.

use super::{Record, RecordKind, RecordSource};
use crate::facts::onboarding::ReviewKind;
use crate::source::Date;

/// The trailers that record reviews and QA passes, with what each records.
const TRAILERS: [(&str, RecordKind); 3] = [
    ("reviewed-by", RecordKind::Review),
    ("security-reviewed-by", RecordKind::Review),
    ("qa-passed-by", RecordKind::Qa),
];

/// Records from commit trailers in the linted revision's history (messages of the newest
/// [`crate::git::history::MESSAGE_LIMIT`] commits). A commit with a
/// `Security-reviewed-by:` trailer records a complete review: its `Reviewed-by:` reviewers are
/// the complete review's other half.
pub(super) fn from_trailers(history: &crate::git::History) -> Vec<Record> {
    let mut out = Vec::new();
    for commit in &history.commits {
        let id = commit.id;
        let found = trailers(&commit.message);
        if found.is_empty() {
            continue;
        }
        let complete = found.iter().any(|(k, _)| k == "security-reviewed-by");
        let date = commit_date(commit.time);
        for (key, value) in found {
            let Some(&(name, kind)) = TRAILERS.iter().find(|(n, _)| *n == key) else {
                continue;
            };
            let canonical = match name {
                "reviewed-by" => "Reviewed-by",
                "security-reviewed-by" => "Security-reviewed-by",
                _ => "QA-passed-by",
            };
            let mut r = Record::new(
                kind,
                RecordSource::Trailer {
                    commit: id.to_string(),
                    trailer: canonical.into(),
                },
                &value,
            );
            r.date = date;
            r.commit = Some(id.to_string());
            if kind == RecordKind::Review {
                r.review = Some(if complete {
                    ReviewKind::Complete
                } else {
                    ReviewKind::Basic
                });
                if name == "security-reviewed-by" {
                    r.focus = Some("security".into());
                }
            }
            out.push(r);
        }
    }
    out
}

/// The trailers of a commit message: `Key: value` lines of its last paragraph, keys lowercased.
pub fn trailers(message: &str) -> Vec<(String, String)> {
    let text = message.trim_end();
    let last = text.rsplit("\n\n").next().unwrap_or("");
    if last.len() == text.len() {
        // A message of one paragraph is a subject, not trailers.
        return Vec::new();
    }
    let mut out = Vec::new();
    for line in last.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            continue;
        }
        let value = value.trim();
        if !value.is_empty() {
            out.push((key.to_ascii_lowercase(), value.to_string()));
        }
    }
    out
}

fn commit_date(seconds: i64) -> Option<Date> {
    let ts = jiff::Timestamp::from_second(seconds).ok()?;
    Some(Date(ts.to_zoned(jiff::tz::TimeZone::UTC).date()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_come_from_the_last_paragraph_only() {
        let m = "Merge pull request #12\n\nReviewed-by: here is prose\n\nSome body.\n\nReviewed-by: Alice <alice@example.com>\nSecurity-Reviewed-By: bob\nnot a trailer line\n";
        assert_eq!(
            trailers(m),
            vec![
                ("reviewed-by".into(), "Alice <alice@example.com>".into()),
                ("security-reviewed-by".into(), "bob".into()),
            ]
        );
        assert!(trailers("Reviewed-by: subject only").is_empty());
    }
}
