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

/// A tag that marks no commit, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoCommit {
    /// The name without `refs/tags/`.
    pub name: String,
    pub why: NoCommitWhy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCommitWhy {
    /// It names a tree or a blob (no release process makes such a tag).
    NotACommit,
    /// An object on the way is missing from the repository: the ref's target, or what an
    /// annotated tag names.
    MissingObject,
    /// An object on the way could not be read (damaged).
    Unreadable,
}

impl NoCommitWhy {
    /// The name the facts give it.
    pub fn as_str(self) -> &'static str {
        match self {
            NoCommitWhy::NotACommit => "not_a_commit",
            NoCommitWhy::MissingObject => "missing_object",
            NoCommitWhy::Unreadable => "unreadable_object",
        }
    }

    /// Why peeling to a commit failed, from libgit2's error: a missing object, a tree or a
    /// blob where a commit was wanted, or anything else (a damaged object).
    fn of(e: &git2::Error) -> NoCommitWhy {
        match e.code() {
            git2::ErrorCode::NotFound => NoCommitWhy::MissingObject,
            git2::ErrorCode::Peel | git2::ErrorCode::InvalidSpec => NoCommitWhy::NotACommit,
            _ => NoCommitWhy::Unreadable,
        }
    }
}

const SIGNATURE_MARKERS: [&str; 3] = [
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN SSH SIGNATURE-----",
    "-----BEGIN SIGNED MESSAGE-----",
];

/// Every tag that marks a commit, sorted by name. Tags that mark none (of trees or blobs, which
/// no release process makes, or of missing or damaged objects) are left out and listed with
/// why in the second value.
pub fn tags(repo: &Repository) -> Result<(Vec<Tag>, Vec<NoCommit>), String> {
    tags_cached(repo, None)
}

/// [`tags`], read from `cache` when an earlier run peeled the same tags: the key is every tag
/// ref's name and target (listing refs reads no object), and what a target peels to never
/// changes, so a tag added, moved or deleted is a new key. A missing or damaged object can
/// change (a fetch brings it): a result with one is not kept.
pub fn tags_cached(
    repo: &Repository,
    cache: Option<&crate::cache::Cache>,
) -> Result<(Vec<Tag>, Vec<NoCommit>), String> {
    let refs = repo
        .references_glob("refs/tags/*")
        .map_err(|e| format!("cannot list tags: {}", e.message()))?;
    let mut listed: Vec<(String, Oid)> = Vec::new();
    for r in refs.flatten() {
        let Some(name) = r.name().and_then(|n| n.strip_prefix("refs/tags/")) else {
            continue;
        };
        let Some(target) = r.target() else { continue };
        listed.push((name.to_string(), target));
    }
    let key = cache.map(|_| {
        // The second part names the entry's layout.
        let mut parts: Vec<&[u8]> = vec![b"tags", b"2"];
        for (name, target) in &listed {
            parts.push(name.as_bytes());
            parts.push(target.as_bytes());
        }
        crate::cache::key(&parts)
    });
    if let (Some(cache), Some(key)) = (cache, &key) {
        if let Some(found) = cache.get(CACHE_KIND, key).and_then(|b| decode(&b)) {
            return Ok(found);
        }
    }
    let found = peel(repo, listed);
    if let (Some(cache), Some(key), Some(bytes)) = (cache, &key, encode(&found)) {
        cache.put(CACHE_KIND, key, &bytes);
    }
    Ok(found)
}

/// The cache entry kind of a repository's peeled tags.
const CACHE_KIND: &str = "tags";

fn peel(repo: &Repository, listed: Vec<(String, Oid)>) -> (Vec<Tag>, Vec<NoCommit>) {
    let mut out = Vec::new();
    let mut not_commits = Vec::new();
    for (name, target) in listed {
        let tag_object = repo.find_tag(target).ok();
        let commit = repo
            .find_object(target, None)
            .and_then(|o| o.peel_to_commit());
        let commit = match commit {
            Ok(c) => c,
            Err(e) => {
                not_commits.push(NoCommit {
                    name,
                    why: NoCommitWhy::of(&e),
                });
                continue;
            }
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
    not_commits.sort_by(|a, b| a.name.cmp(&b.name));
    (out, not_commits)
}

/// `[tags u32]` then per tag `[name length u16][name][commit 20][flags u8][time i64]
/// [commit time i64]`, then `[names u32]` and `[length u16][name]` per tag of a tree or blob.
/// `None` (not kept) when a tag's object is missing or damaged.
fn encode((tags, not_commits): &(Vec<Tag>, Vec<NoCommit>)) -> Option<Vec<u8>> {
    if not_commits.iter().any(|n| n.why != NoCommitWhy::NotACommit) {
        return None;
    }
    let names = tags
        .iter()
        .map(|t| &t.name)
        .chain(not_commits.iter().map(|n| &n.name));
    if names.into_iter().any(|n| n.len() > u16::MAX as usize) {
        return None;
    }
    let mut out = Vec::new();
    let name = |out: &mut Vec<u8>, n: &str| {
        out.extend_from_slice(&(n.len() as u16).to_le_bytes());
        out.extend_from_slice(n.as_bytes());
    };
    out.extend_from_slice(&(tags.len() as u32).to_le_bytes());
    for t in tags {
        name(&mut out, &t.name);
        out.extend_from_slice(t.commit.as_bytes());
        out.push(u8::from(t.annotated) | u8::from(t.signed) << 1);
        out.extend_from_slice(&t.time.to_le_bytes());
        out.extend_from_slice(&t.commit_time.to_le_bytes());
    }
    out.extend_from_slice(&(not_commits.len() as u32).to_le_bytes());
    for n in not_commits {
        name(&mut out, &n.name);
    }
    Some(out)
}

fn decode(bytes: &[u8]) -> Option<(Vec<Tag>, Vec<NoCommit>)> {
    let mut r = crate::cache::Reader::new(bytes);
    let name = |r: &mut crate::cache::Reader<'_>| -> Option<String> {
        let len = r.u16()? as usize;
        Some(std::str::from_utf8(r.take(len)?).ok()?.to_string())
    };
    let mut tags = Vec::new();
    for _ in 0..r.u32()? {
        let name = name(&mut r)?;
        let commit = Oid::from_bytes(r.take(20)?).ok()?;
        let flags = r.byte()?;
        tags.push(Tag {
            name,
            commit,
            annotated: flags & 1 != 0,
            signed: flags & 2 != 0,
            time: r.i64()?,
            commit_time: r.i64()?,
        });
    }
    let mut not_commits = Vec::new();
    for _ in 0..r.u32()? {
        not_commits.push(NoCommit {
            name: name(&mut r)?,
            why: NoCommitWhy::NotACommit,
        });
    }
    if r.remaining() > 0 {
        return None;
    }
    Some((tags, not_commits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> (tempfile::TempDir, Repository, Oid) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let sig =
            git2::Signature::new("T", "t@example.com", &git2::Time::new(1767225600, 0)).unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let commit = {
            let tree = repo.find_tree(tree).unwrap();
            repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &[])
                .unwrap()
        };
        (dir, repo, commit)
    }

    /// Each tag that marks no commit says why: a tree, a missing object (the ref's own target,
    /// or an annotated tag's), or an object git cannot read. None of those is kept in a
    /// cache; a tree tag is.
    #[test]
    fn tags_of_no_commit_say_why() {
        let (dir, repo, commit) = repo();
        let tree = repo.find_commit(commit).unwrap().tree_id();
        let missing = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        let annotated = repo
            .odb()
            .unwrap()
            .write(
                git2::ObjectType::Tag,
                format!(
                    "object {missing}\ntype commit\ntag v2\ntagger T <t@example.com> \
                     1767225600 +0000\n\nrelease\n"
                )
                .as_bytes(),
            )
            .unwrap();
        // A loose object whose bytes do not inflate.
        let damaged = Oid::from_str("89abcdef0123456789abcdef0123456789abcdef").unwrap();
        let loose = dir.path().join(".git/objects/89");
        std::fs::create_dir_all(&loose).unwrap();
        std::fs::write(
            loose.join("abcdef0123456789abcdef0123456789abcdef"),
            b"not zlib",
        )
        .unwrap();
        for (name, target) in [
            ("v0", commit),
            ("tree", tree),
            ("v1", missing),
            ("v2", annotated),
            ("v3", damaged),
        ] {
            std::fs::write(
                dir.path().join(".git/refs/tags").join(name),
                format!("{target}\n"),
            )
            .unwrap();
        }
        let found = tags(&repo).unwrap();
        assert_eq!(
            found.0.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["v0"]
        );
        let why: Vec<(&str, &str)> = found
            .1
            .iter()
            .map(|n| (n.name.as_str(), n.why.as_str()))
            .collect();
        assert_eq!(
            why,
            [
                ("tree", "not_a_commit"),
                ("v1", "missing_object"),
                ("v2", "missing_object"),
                ("v3", "unreadable_object"),
            ]
        );
        assert_eq!(encode(&found), None);
        let kept = (found.0.clone(), found.1[..1].to_vec());
        assert_eq!(decode(&encode(&kept).unwrap()), Some(kept));
    }
}
