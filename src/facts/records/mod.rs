//! Records of the human steps (reviews, QA passes, the PM/UX review), from `.onboarding.yml` and
//! from commit trailers, each verified against git: does its commit exist, is it in the linted
//! revision's history, which files changed since, who wrote the code it covers.
//!
//! Signatures are checked here too ([`signatures`]): each with the key it carries, then which of
//! the policy's committers that key is listed for.
//!
//! The fact judges nothing: which changed files are production code, what is stale and whether
//! a record's signer is enough are for the rules.

pub mod signatures;
mod trailers;

use super::onboarding::{Onboarding, ReviewKind};
use crate::policy::settings::Settings;
use crate::source::{Date, SourceFile, Span};
use git2::{Oid, Repository};
use schemars::JsonSchema;
use serde::Serialize;
pub use signatures::{SignatureCheck, SignatureState};
use std::collections::HashMap;
use trailers::from_trailers;
pub use trailers::trailers;

crate::finding::string_enum! {
    /// What a record attests.
    RecordKind { Review = "review", Qa = "qa", PmUx = "pm-ux" }
}

crate::finding::string_enum! {
    /// How a record's commit checked out against git.
    CommitState {
        /// The commit exists and is the linted revision or one of its ancestors.
        Verified = "verified",
        /// No commit of that name, nor a tag of the run (a `--rev` run knows only the tags in
        /// its history).
        Unknown = "unknown",
        /// The commit exists but is not in the linted revision's history.
        OffHistory = "off-history",
        /// The record names no commit (a QA or PM/UX record may name a release instead).
        None = "none",
        /// Git history is unavailable (no repository, no commit).
        Unverifiable = "unverifiable",
    }
}

/// Where a record came from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RecordSource {
    /// An entry of `reviews`, `qa` or `pm_ux` in `.onboarding.yml`.
    Onboarding {
        /// The key: `reviews`, `qa` or `pm_ux`.
        key: &'static str,
        /// Position in the list (0 for `pm_ux`).
        index: usize,
        line: usize,
    },
    /// A trailer (`Reviewed-by:`, `Security-reviewed-by:`, `QA-passed-by:`) in a commit message.
    Trailer { commit: String, trailer: String },
}

/// Who wrote the commits a record covers.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Authorship {
    /// Commits in the record's commit's history.
    pub commits: usize,
    /// The author with most of them, as `Name <email>`.
    pub top_author: String,
    pub top_commits: usize,
}

/// The byte spans of a record's values in `.onboarding.yml`, for findings.
#[derive(Debug, Clone, Default)]
pub struct RecordSpans {
    pub entry: Span,
    pub by: Span,
    pub commit: Option<Span>,
    pub date: Option<Span>,
    pub release: Option<Span>,
    pub notes: Option<Span>,
    pub environment: Option<Span>,
    pub communication: Option<Span>,
    pub signature: Option<Span>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Record {
    pub kind: RecordKind,
    /// For reviews: `basic` or `complete`.
    pub review: Option<ReviewKind>,
    /// For reviews: what it focused on (`security`).
    pub focus: Option<String>,
    pub source: RecordSource,
    pub by: String,
    pub date: Option<Date>,
    /// The date is after today.
    pub future_date: bool,
    /// The commit or tag as written.
    pub commit: Option<String>,
    /// For QA: the release tag tested, and where.
    pub release: Option<String>,
    pub environment: Option<String>,
    /// For QA: the session notes path.
    pub notes: Option<String>,
    /// Whether the notes file exists in the repository (`null` without `notes`).
    pub notes_found: Option<bool>,
    /// The notes file's headings, each with whether anything is written under it.
    pub notes_sections: Vec<NotesSection>,
    /// For PM/UX: how the rollout is communicated.
    pub communication: Option<String>,
    pub state: CommitState,
    /// The full id of the commit the record rests on (its `commit`, else its `release` tag).
    pub resolved: Option<String>,
    /// Paths changed between that commit and the linted revision, sorted.
    pub changed_since: Vec<String>,
    pub authorship: Option<Authorship>,
    /// The record's signature as checked; for a trailer, its commit's SSH signature. `null`:
    /// unsigned.
    pub signature: Option<SignatureCheck>,
    /// The policy's committers whose name, email or handle `by` is.
    pub committers: Vec<String>,
    /// The armored signature as written.
    #[serde(skip)]
    pub armored: Option<String>,
    #[serde(skip)]
    pub spans: Option<RecordSpans>,
}

/// A heading of a QA notes file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct NotesSection {
    pub title: String,
    /// Nothing but blank lines sits between it and the next heading.
    pub empty: bool,
}

#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct RecordsFact {
    /// The commit records are judged against (the linted revision, or `HEAD` for the working
    /// tree); `null` when there is none.
    pub revision: Option<String>,
    /// Why records cannot be verified against git, when they cannot.
    pub unverifiable: Option<String>,
    /// The plugin id record signatures cover (the manifest's `id`).
    pub plugin: Option<String>,
    pub records: Vec<Record>,
    /// The `.onboarding.yml` the records were read from, for findings.
    #[serde(skip)]
    pub file: Option<SourceFile>,
}

impl RecordsFact {
    pub fn of(&self, kind: RecordKind) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.kind == kind)
    }
}

/// What records are checked against besides git: the plugin id their signatures cover, the
/// policy's records settings, today's date and the repository's files (QA notes).
pub struct Inputs<'a> {
    pub plugin: Option<&'a str>,
    /// The plugin folder's path in the repository (`""`, or `plugins/foo/`): what changed
    /// since a record is what changed in the folder.
    pub prefix: &'a str,
    pub settings: &'a Settings,
    pub today: Date,
    pub read: &'a dyn Fn(&str) -> Option<String>,
    /// Why the workspace has no git repository (git's own error for a damaged one), when it
    /// has none: what records that cannot be checked are unknown for.
    pub no_git: Option<&'a str>,
}

/// Reads the records and checks each against `repo` at `revision`.
pub fn compute(
    repo: Option<&Repository>,
    revision: Option<&str>,
    config: Option<(&Onboarding, &SourceFile)>,
    run: Option<Result<&crate::git::RunHistory, &str>>,
    inputs: Inputs<'_>,
) -> RecordsFact {
    let Inputs {
        plugin,
        settings,
        today,
        read,
        prefix,
        no_git,
    } = inputs;
    let head = match (repo, revision) {
        (Some(repo), Some(rev)) => Oid::from_str(rev)
            .ok()
            .filter(|id| repo.find_commit(*id).is_ok()),
        _ => None,
    };
    let unverifiable = match (repo, head) {
        (None, _) => Some(
            no_git
                .unwrap_or("the repository is not a git repository")
                .to_string(),
        ),
        (Some(_), None) => Some("the repository has no commit to check records against".into()),
        _ => None,
    };
    let mut records = Vec::new();
    if let Some((config, file)) = config {
        records.extend(from_config(config, file));
    }
    // One walk of the linted history gives both the trailer records and the commits records
    // must be in.
    let git = repo.zip(head);
    let run = run.and_then(Result::ok).filter(|_| head.is_some());
    let history = run.map(|r| &r.commits);
    if let Some(h) = history {
        records.extend(from_trailers(h));
    }
    // Records may repeat commits and notes files: each is diffed, walked or read once.
    let mut authors: HashMap<Oid, Option<Authorship>> = HashMap::new();
    let mut changed: HashMap<Oid, Vec<String>> = HashMap::new();
    let mut notes: HashMap<String, Option<Vec<NotesSection>>> = HashMap::new();
    for r in &mut records {
        r.future_date = r.date.is_some_and(|d| d.0 > today.0);
        if let Some(path) = &r.notes {
            let found = notes
                .entry(path.clone())
                .or_insert_with(|| read(path).as_deref().map(sections));
            r.notes_found = Some(found.is_some());
            r.notes_sections = found.clone().unwrap_or_default();
        }
        let Some((repo, head)) = git else {
            r.state = CommitState::Unverifiable;
            continue;
        };
        let reference = r.commit.clone().or_else(|| r.release.clone());
        let Some(reference) = reference else {
            r.state = CommitState::None;
            continue;
        };
        let Some(id) = run.and_then(|run| run.resolve(repo, &reference)) else {
            r.state = CommitState::Unknown;
            continue;
        };
        r.resolved = Some(id.to_string());
        r.state = if history.is_some_and(|h| h.contains(id)) {
            CommitState::Verified
        } else {
            CommitState::OffHistory
        };
        if r.state == CommitState::Verified {
            r.changed_since = changed
                .entry(id)
                .or_insert_with(|| {
                    let changed = crate::git::changed_files(repo, id, head).unwrap_or_default();
                    changed
                        .into_iter()
                        .filter_map(|p| p.strip_prefix(prefix).map(str::to_string))
                        .collect()
                })
                .clone();
            if r.kind == RecordKind::Review {
                r.authorship = authors
                    .entry(id)
                    .or_insert_with(|| authorship(repo, id))
                    .clone();
            }
        }
    }
    signatures::check(
        &mut records,
        &signatures::Context {
            repo: git.map(|(r, _)| r),
            prefix,
            plugin,
            history,
            settings,
        },
    );
    RecordsFact {
        revision: head.map(|h| h.to_string()),
        unverifiable,
        plugin: plugin.map(str::to_string),
        records,
        file: config.map(|(_, f)| f.clone()),
    }
}

fn from_config(config: &Onboarding, file: &SourceFile) -> Vec<Record> {
    let line = |span: Span| file.line_col(span.offset).0;
    let mut out = Vec::new();
    for (index, r) in config.reviews.iter().enumerate() {
        let entry = r.by.span.cover(r.commit.span).cover(r.date.span);
        out.push(Record {
            review: Some(r.kind.value),
            focus: r.focus.as_ref().map(|f| f.value.clone()),
            date: Some(r.date.value),
            commit: Some(r.commit.value.clone()),
            armored: r.signature.as_ref().map(|s| s.value.clone()),
            spans: Some(RecordSpans {
                entry,
                by: r.by.span,
                commit: Some(r.commit.span),
                date: Some(r.date.span),
                signature: r.signature.as_ref().map(|s| s.span),
                ..RecordSpans::default()
            }),
            ..Record::new(
                RecordKind::Review,
                RecordSource::Onboarding {
                    key: "reviews",
                    index,
                    line: line(entry),
                },
                &r.by.value,
            )
        });
    }
    for (index, q) in config.qa.iter().enumerate() {
        let entry = q.by.span.cover(q.date.span);
        out.push(Record {
            date: Some(q.date.value),
            commit: q.commit.as_ref().map(|c| c.value.clone()),
            release: q.release.as_ref().map(|c| c.value.clone()),
            environment: q.environment.as_ref().map(|c| c.value.clone()),
            notes: q.notes.as_ref().map(|c| c.value.clone()),
            armored: q.signature.as_ref().map(|s| s.value.clone()),
            spans: Some(RecordSpans {
                entry,
                by: q.by.span,
                commit: q.commit.as_ref().map(|c| c.span),
                date: Some(q.date.span),
                release: q.release.as_ref().map(|c| c.span),
                notes: q.notes.as_ref().map(|c| c.span),
                environment: q.environment.as_ref().map(|c| c.span),
                signature: q.signature.as_ref().map(|s| s.span),
                ..RecordSpans::default()
            }),
            ..Record::new(
                RecordKind::Qa,
                RecordSource::Onboarding {
                    key: "qa",
                    index,
                    line: line(entry),
                },
                &q.by.value,
            )
        });
    }
    if let Some(p) = &config.pm_ux {
        let entry = p.by.span.cover(p.date.span);
        out.push(Record {
            date: Some(p.date.value),
            commit: p.commit.as_ref().map(|c| c.value.clone()),
            communication: p.communication.as_ref().map(|c| c.value.clone()),
            armored: p.signature.as_ref().map(|s| s.value.clone()),
            spans: Some(RecordSpans {
                entry,
                by: p.by.span,
                commit: p.commit.as_ref().map(|c| c.span),
                date: Some(p.date.span),
                communication: p.communication.as_ref().map(|c| c.span),
                signature: p.signature.as_ref().map(|s| s.span),
                ..RecordSpans::default()
            }),
            ..Record::new(
                RecordKind::PmUx,
                RecordSource::Onboarding {
                    key: "pm_ux",
                    index: 0,
                    line: line(entry),
                },
                &p.by.value,
            )
        });
    }
    out
}

impl Record {
    fn new(kind: RecordKind, source: RecordSource, by: &str) -> Record {
        Record {
            kind,
            review: None,
            focus: None,
            source,
            by: by.to_string(),
            date: None,
            future_date: false,
            commit: None,
            release: None,
            environment: None,
            notes: None,
            notes_found: None,
            notes_sections: Vec::new(),
            communication: None,
            state: CommitState::None,
            resolved: None,
            changed_since: Vec::new(),
            authorship: None,
            signature: None,
            committers: Vec::new(),
            armored: None,
            spans: None,
        }
    }

    /// ` (Reviewed-by trailer of 1a2b3c4)` for a trailer record, which has no file to point
    /// into; empty for a record in `.onboarding.yml`, which findings underline.
    pub fn trailer_note(&self) -> String {
        match &self.source {
            RecordSource::Onboarding { .. } => String::new(),
            RecordSource::Trailer { .. } => format!(" ({})", self.origin()),
        }
    }

    /// The record's line in `.onboarding.yml`, or the commit whose trailer it is.
    pub fn origin(&self) -> String {
        match &self.source {
            RecordSource::Onboarding { line, .. } => format!(".onboarding.yml:{line}"),
            RecordSource::Trailer { commit, trailer } => {
                format!("{trailer} trailer of {}", &commit[..commit.len().min(7)])
            }
        }
    }
}

/// The Markdown headings of a notes file, each with whether anything but blank space stands
/// between it and the next heading.
pub fn sections(text: &str) -> Vec<NotesSection> {
    let headings = crate::markdown::parse(text).headings;
    headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end = headings.get(i + 1).map_or(text.len(), |n| n.span.offset);
            let body = text.get(h.span.end().min(end)..end).unwrap_or("");
            NotesSection {
                title: h.text.clone(),
                empty: body.trim().is_empty(),
            }
        })
        .collect()
}

/// Who wrote the commits in `tip`'s history.
fn authorship(repo: &Repository, tip: Oid) -> Option<Authorship> {
    let authors = crate::git::authors(repo, None, tip).ok()?;
    let top = authors.first()?;
    Some(Authorship {
        commits: authors.iter().map(|a| a.commits).sum(),
        top_author: format!("{} <{}>", top.name, top.email),
        top_commits: top.commits,
    })
}

/// Whether a reviewer handle names the same person as `Name <email>`: the name, the email, the
/// email's local part or a GitHub noreply handle, ignoring case and a leading `@`.
pub fn same_person(handle: &str, author: &str) -> bool {
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    let (name, email) = match author.rsplit_once(" <") {
        Some((n, e)) => (
            n.trim().to_lowercase(),
            e.trim_end_matches('>').to_lowercase(),
        ),
        None => (author.trim().to_lowercase(), String::new()),
    };
    let (handle_name, handle_email) = match handle.rsplit_once(" <") {
        Some((n, e)) => (n.trim().to_string(), e.trim_end_matches('>').to_string()),
        None => (handle.clone(), String::new()),
    };
    if handle_name.is_empty() && handle_email.is_empty() {
        return false;
    }
    let local = email.split('@').next().unwrap_or("");
    let noreply = local.split_once('+').map(|(_, h)| h).unwrap_or(local);
    (!handle_email.is_empty() && handle_email == email)
        || (!handle_name.is_empty()
            && (handle_name == name
                || handle_name == email
                || handle_name == local
                || handle_name == noreply))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_sections_know_whether_they_hold_text() {
        let notes = "# QA session\n\n## Scope\nThe /todo command.\n\n## Testing notes\n\n## Follow-up concerns\n```\n# not a heading\n```\nSetext\n------\n";
        let got: Vec<(String, bool)> = sections(notes)
            .into_iter()
            .map(|s| (s.title, s.empty))
            .collect();
        assert_eq!(
            got,
            vec![
                ("QA session".to_string(), true),
                ("Scope".to_string(), false),
                ("Testing notes".to_string(), true),
                ("Follow-up concerns".to_string(), false),
                ("Setext".to_string(), true),
            ]
        );
    }

    #[test]
    fn a_handle_matches_name_email_local_part_and_noreply() {
        let a = "Alice Doe <12345+alicedoe@users.noreply.github.com>";
        assert!(same_person("@alicedoe", a));
        assert!(same_person("Alice Doe", a));
        assert!(same_person(
            "alice doe <12345+alicedoe@users.noreply.github.com>",
            a
        ));
        assert!(!same_person("bob", a));
        assert!(!same_person("", a));
        assert!(same_person("carol", "Carol <carol@example.com>"));
    }
}
