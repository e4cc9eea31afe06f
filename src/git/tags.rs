//! Tags as git stores them: lightweight refs, annotated tag objects, and signed annotated tags
//! (a PGP, SSH or X.509 signature block at the end of the tag message).

use git2::{Oid, Repository};

/// One tag, peeled to the commit it marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The name without `refs/tags/`.
    pub name: String,
    pub commit: Oid,
    /// An annotated tag object (not a lightweight ref).
    pub annotated: bool,
    /// The tag object carries a signature block (not verified: onboard holds no keys).
    pub signed: bool,
    /// When the tag was made: the tagger's time for an annotated tag, else the commit's.
    pub time: i64,
    /// The commit's time.
    pub commit_time: i64,
}

const SIGNATURE_MARKERS: [&str; 3] = [
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN SSH SIGNATURE-----",
    "-----BEGIN SIGNED MESSAGE-----",
];

/// Every tag that marks a commit, sorted by name. Tags of trees or blobs (which no release
/// process makes) are left out and counted in the second value.
pub fn tags(repo: &Repository) -> Result<(Vec<Tag>, Vec<String>), String> {
    let refs = repo
        .references_glob("refs/tags/*")
        .map_err(|e| format!("cannot list tags: {}", e.message()))?;
    let mut out = Vec::new();
    let mut not_commits = Vec::new();
    for r in refs.flatten() {
        let Some(name) = r.name().and_then(|n| n.strip_prefix("refs/tags/")) else {
            continue;
        };
        let name = name.to_string();
        let Some(target) = r.target() else { continue };
        let tag_object = repo.find_tag(target).ok();
        let Ok(commit) = r.peel_to_commit() else {
            not_commits.push(name);
            continue;
        };
        let commit_time = commit.time().seconds();
        let (annotated, signed, time) = match &tag_object {
            Some(t) => {
                let message = String::from_utf8_lossy(t.message_bytes().unwrap_or_default());
                let signed = SIGNATURE_MARKERS.iter().any(|m| message.contains(m));
                let time = t.tagger().map_or(commit_time, |s| s.when().seconds());
                (true, signed, time)
            }
            None => (false, false, commit_time),
        };
        out.push(Tag {
            name,
            commit: commit.id(),
            annotated,
            signed,
            time,
            commit_time,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    not_commits.sort();
    Ok((out, not_commits))
}
