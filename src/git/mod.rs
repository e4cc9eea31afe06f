//! Git history, read from objects and refs with `git2`: tags, branches, the default branch,
//! ancestry, the files and authors of a range, and files at a commit. Read-only.
//!
//! Facts build on these; they are small so other facts can share them:
//!
//! - [`default_branch`]: the branch releases and nightly builds come from.
//! - [`tags`]: every tag with its commit, whether it is annotated or signed, and its date.
//! - [`branches`]: local and remote-tracking branch names.
//! - [`is_ancestor`]: whether commit X is an ancestor of (or equal to) commit Y, e.g. of the
//!   linted revision.
//! - [`resolve_commit`]: a full or abbreviated sha, a tag or a branch, to a commit.
//! - [`changed_files`]: the paths that differ between two commits' trees.
//! - [`authors`]: who wrote the commits of a range `from..to`.
//! - [`read_file_at`]: a file's bytes at a commit, from objects.
//! - [`History`]: every commit reachable from a tip, in one walk reading each commit once (so
//!   "which of 245 tags are on the default branch" costs one walk, not 245); the linted
//!   revision's is shared through `Workspace::history`.
//! - [`RunHistory`]: the history of one run (the linted commit's commits, and the tags and
//!   branches that exist for it), built once by the workspace; facts read refs only through it.
//!
//! In a shallow clone ([`git2::Repository::is_shallow`]) walks stop at the shallow boundary, as
//! git's do: callers that need full history should check first.

pub mod history;
mod run;
mod tags;

pub use history::{Commit, History};
pub use run::RunHistory;
pub use tags::{tags, NoCommit, NoCommitWhy, Tag};

use git2::{Oid, Repository};
use std::path::Path;

/// Where the default branch's name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchSource {
    /// `refs/remotes/origin/HEAD`, as `git clone` sets it.
    OriginHead,
    /// The branch `HEAD` names in a bare repository (a mirror).
    BareHead,
    /// A branch named `main` or `master` (local, else `origin/`).
    Conventional,
    /// The branch `HEAD` is on, when nothing else says.
    Head,
}

impl BranchSource {
    pub fn as_str(self) -> &'static str {
        match self {
            BranchSource::OriginHead => "origin/HEAD",
            BranchSource::BareHead => "HEAD of a bare repository",
            BranchSource::Conventional => "a branch named main or master",
            BranchSource::Head => "the branch HEAD is on",
        }
    }
}

/// The default branch: its short name (`master`), the ref it was read from, and its tip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultBranch {
    pub name: String,
    pub reference: String,
    pub tip: Oid,
    pub source: BranchSource,
}

/// Finds the default branch: `refs/remotes/origin/HEAD`; else, in a bare repository, the branch
/// `HEAD` names; else `main`, then `master` (local branches, then `origin/`); else the branch
/// `HEAD` is on. `None` when none of these exists (say, a detached `HEAD` and no branches).
pub fn default_branch(repo: &Repository) -> Option<DefaultBranch> {
    let found = |reference: &str, source: BranchSource| -> Option<DefaultBranch> {
        let r = repo.find_reference(reference).ok()?;
        let resolved = r.resolve().ok()?;
        let full = resolved.name()?.to_string();
        let tip = resolved.peel_to_commit().ok()?.id();
        let name = full
            .strip_prefix("refs/heads/")
            .or_else(|| full.strip_prefix("refs/remotes/origin/"))
            .unwrap_or(&full)
            .to_string();
        Some(DefaultBranch {
            name,
            reference: full,
            tip,
            source,
        })
    };
    if let Some(b) = found("refs/remotes/origin/HEAD", BranchSource::OriginHead) {
        return Some(b);
    }
    let head_branch = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|h| h.symbolic_target().map(str::to_string))
        .filter(|t| t.starts_with("refs/heads/"));
    if is_bare(repo) {
        if let Some(b) = head_branch
            .as_deref()
            .and_then(|t| found(t, BranchSource::BareHead))
        {
            return Some(b);
        }
    }
    for name in [
        "refs/heads/main",
        "refs/heads/master",
        "refs/remotes/origin/main",
        "refs/remotes/origin/master",
    ] {
        if let Some(b) = found(name, BranchSource::Conventional) {
            return Some(b);
        }
    }
    head_branch.and_then(|t| found(&t, BranchSource::Head))
}

/// Whether the repository is a git directory without a working tree: bare by configuration, or
/// a mirror whose git directory is not a `.git` folder (mirrors may not set `core.bare`).
pub fn is_bare(repo: &Repository) -> bool {
    repo.is_bare()
        || repo.workdir().is_none()
        || (!repo.is_worktree() && repo.path().file_name().is_some_and(|n| n != ".git"))
}

/// Whether `HEAD` is detached (points at a commit rather than a branch).
pub fn head_detached(repo: &Repository) -> bool {
    repo.head_detached().unwrap_or(false)
}

/// A branch name: local (`release-1.2`) or remote-tracking (`origin/release-1.2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// The name without `refs/heads/` or `refs/remotes/`.
    pub name: String,
    pub remote: bool,
    pub tip: Oid,
}

impl Branch {
    /// The name without the remote: `origin/release-1.2` is `release-1.2`.
    pub fn short(&self) -> &str {
        if self.remote {
            self.name.split_once('/').map_or(&self.name, |(_, b)| b)
        } else {
            &self.name
        }
    }
}

/// Every local and remote-tracking branch (symbolic refs such as `origin/HEAD` left out), sorted.
pub fn branches(repo: &Repository) -> Result<Vec<Branch>, String> {
    let mut out = Vec::new();
    let refs = repo
        .references()
        .map_err(|e| format!("cannot list references: {}", e.message()))?;
    let odb = repo.odb().ok();
    for r in refs.flatten() {
        if r.kind() != Some(git2::ReferenceType::Direct) {
            continue;
        }
        let Some(full) = r.name() else { continue };
        let (name, remote) = if let Some(n) = full.strip_prefix("refs/heads/") {
            (n, false)
        } else if let Some(n) = full.strip_prefix("refs/remotes/") {
            (n, true)
        } else {
            continue;
        };
        // A branch names a commit: its id is the target, known without reading the commit
        // (the object's header says its kind); anything else is peeled.
        let direct = r.target().filter(|t| {
            odb.as_ref()
                .and_then(|o| o.read_header(*t).ok())
                .is_some_and(|(_, kind)| kind == git2::ObjectType::Commit)
        });
        let tip = match direct {
            Some(t) => t,
            None => match r.peel_to_commit() {
                Ok(c) => c.id(),
                Err(_) => continue,
            },
        };
        out.push(Branch {
            name: name.to_string(),
            remote,
            tip,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Whether `ancestor` is `descendant` or one of its ancestors.
pub fn is_ancestor(repo: &Repository, ancestor: Oid, descendant: Oid) -> Result<bool, String> {
    if ancestor == descendant {
        return Ok(true);
    }
    repo.graph_descendant_of(descendant, ancestor).map_err(|e| {
        format!(
            "cannot compare {ancestor} with {descendant}: {}",
            e.message()
        )
    })
}

/// Resolves a full or abbreviated commit sha, a tag (annotated tags peeled) or a branch to a
/// commit. An abbreviation that names several objects is an error, as in git.
pub fn resolve_commit(repo: &Repository, spec: &str) -> Result<Oid, String> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Err("an empty revision names nothing".into());
    }
    let object =
        if spec.len() >= 4 && spec.len() <= 40 && spec.bytes().all(|b| b.is_ascii_hexdigit()) {
            // A sha first: a tag or branch named like a sha is rarer than a sha.
            repo.revparse_single(spec)
                .or_else(|_| repo.revparse_single(&format!("refs/tags/{spec}")))
        } else {
            repo.revparse_single(&format!("refs/tags/{spec}"))
                .or_else(|_| repo.revparse_single(spec))
        }
        .map_err(|e| format!("`{spec}` does not resolve: {}", e.message()))?;
    object
        .peel_to_commit()
        .map(|c| c.id())
        .map_err(|_| format!("`{spec}` does not name a commit"))
}

/// The paths whose contents differ between the trees of `from` and `to` (added, deleted,
/// modified; both names of a rename), sorted.
pub fn changed_files(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<String>, String> {
    let err = |e: git2::Error| format!("cannot diff {from}..{to}: {}", e.message());
    let a = repo.find_commit(from).and_then(|c| c.tree()).map_err(err)?;
    let b = repo.find_commit(to).and_then(|c| c.tree()).map_err(err)?;
    let diff = repo
        .diff_tree_to_tree(Some(&a), Some(&b), None)
        .map_err(err)?;
    let mut out = std::collections::BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(p) = file.path().and_then(Path::to_str) {
                out.insert(p.replace('\\', "/"));
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// An author of commits in a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub email: String,
    /// Commits by this author in the range.
    pub commits: usize,
}

/// The authors of the commits reachable from `to` and not from `from` (all of `to`'s history
/// when `from` is `None`), by number of commits, then name.
pub fn authors(repo: &Repository, from: Option<Oid>, to: Oid) -> Result<Vec<Author>, String> {
    let err = |e: git2::Error| format!("cannot walk history: {}", e.message());
    let mut walk = repo.revwalk().map_err(err)?;
    walk.push(to).map_err(err)?;
    if let Some(from) = from {
        walk.hide(from).map_err(err)?;
    }
    let mut out: Vec<Author> = Vec::new();
    for id in walk {
        let commit = repo.find_commit(id.map_err(err)?).map_err(err)?;
        let sig = commit.author();
        let name = String::from_utf8_lossy(sig.name_bytes()).into_owned();
        let email = String::from_utf8_lossy(sig.email_bytes()).into_owned();
        match out.iter_mut().find(|a| a.email == email && a.name == name) {
            Some(a) => a.commits += 1,
            None => out.push(Author {
                name,
                email,
                commits: 1,
            }),
        }
    }
    out.sort_by(|a, b| b.commits.cmp(&a.commits).then(a.name.cmp(&b.name)));
    Ok(out)
}

/// The blob id of a regular file at `commit`; `None` when there is no such file (or the path
/// is a directory, link or submodule there). Files that are the same blob at many commits are
/// then read once.
pub fn blob_at(repo: &Repository, commit: Oid, path: &str) -> Result<Option<Oid>, String> {
    let err = |e: git2::Error| format!("cannot read `{path}` at {commit}: {}", e.message());
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(err)?;
    let Ok(entry) = tree.get_path(Path::new(path)) else {
        return Ok(None);
    };
    if entry.kind() != Some(git2::ObjectType::Blob) || entry.filemode() == 0o120000 {
        return Ok(None);
    }
    Ok(Some(entry.id()))
}

/// A regular file's bytes at `commit`, at most `limit` of them. `Ok(None)`: no such file (or the
/// path is a directory, link or submodule there).
pub fn read_file_at(
    repo: &Repository,
    commit: Oid,
    path: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, String> {
    let Some(id) = blob_at(repo, commit, path)? else {
        return Ok(None);
    };
    read_blob(repo, id, limit)
        .map(Some)
        .map_err(|e| format!("`{path}` at {commit}{e}"))
}

/// A blob's bytes, at most `limit` of them; the error reads as the end of a sentence about the
/// blob's path (" is larger than…").
pub fn read_blob(repo: &Repository, id: Oid, limit: u64) -> Result<Vec<u8>, String> {
    let err = |e: git2::Error| format!(": cannot read blob {id}: {}", e.message());
    let odb = repo.odb().map_err(err)?;
    let (size, _) = odb.read_header(id).map_err(err)?;
    if size as u64 > limit {
        return Err(format!(" is larger than the {limit}-byte read limit"));
    }
    let blob = repo.find_blob(id).map_err(err)?;
    Ok(blob.content().to_vec())
}

/// How many hex digits of an object id onboard prints, as git abbreviates.
pub const SHORT_ID_LEN: usize = 7;

/// The first [`SHORT_ID_LEN`] hex digits of a commit id, as git abbreviates.
pub fn short(id: Oid) -> String {
    let mut text = id.to_string();
    text.truncate(SHORT_ID_LEN);
    text
}

#[cfg(test)]
mod tests;

/// A 20-byte object id in hex.
pub fn hex(id: &[u8; 20]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// A commit time as a UTC date (the seconds themselves when out of range).
pub fn utc_date(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

/// Where the `origin` remote points, as far as its URL says (the remote is read from the
/// configuration, never contacted).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Forge {
    /// `github.com`, `gitlab.com`, …
    pub host: String,
    /// The organisation or user owning the repository.
    pub owner: String,
    /// The repository's name, without `.git`.
    pub name: String,
}

impl Forge {
    /// Whether a policy's owner key names this repository's owner: `host/owner` on any forge
    /// (`gitlab.com/my-group`), a bare `owner` on GitHub only, so that the same name on another
    /// host (`https://elsewhere.example/mattermost/x`) is not that organisation. Compared
    /// without case, as GitHub compares owner names.
    pub fn is_owned_by(&self, key: &str) -> bool {
        match key.split_once('/') {
            Some((host, owner)) => {
                host.eq_ignore_ascii_case(&self.host) && owner.eq_ignore_ascii_case(&self.owner)
            }
            None => {
                self.host.eq_ignore_ascii_case("github.com")
                    && key.eq_ignore_ascii_case(&self.owner)
            }
        }
    }

    /// `host/owner`, as [`Forge::is_owned_by`] reads a key.
    pub fn owner_path(&self) -> String {
        format!("{}/{}", self.host, self.owner)
    }

    /// Reads `https://host/owner/name(.git)`, `git@host:owner/name(.git)` and
    /// `ssh://git@host(:port)/owner/name(.git)`; anything else is `None`.
    pub fn parse(url: &str) -> Option<Forge> {
        let url = url.trim();
        let rest = if let Some(r) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .or_else(|| url.strip_prefix("ssh://"))
            .or_else(|| url.strip_prefix("git+ssh://"))
            .or_else(|| url.strip_prefix("git://"))
        {
            let r = r.rsplit_once('@').map_or(r, |(_, h)| h);
            let (host, path) = r.split_once('/')?;
            let host = host.split(':').next().unwrap_or(host);
            format!("{host}/{path}")
        } else {
            // scp-like: user@host:owner/name
            let (user_host, path) = url.split_once(':')?;
            if path.starts_with('/') || user_host.contains('/') {
                return None;
            }
            let host = user_host.rsplit_once('@').map_or(user_host, |(_, h)| h);
            format!("{host}/{path}")
        };
        let mut parts = rest.trim_end_matches('/').split('/');
        let host = parts.next()?.to_ascii_lowercase();
        let owner = parts.next()?.to_string();
        let name = parts.next()?.trim_end_matches(".git").to_string();
        let ok = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        (parts.next().is_none() && !host.is_empty() && ok(&owner) && ok(&name)).then_some(Forge {
            host,
            owner,
            name,
        })
    }

    /// The forge of the repository's `origin` remote, if its URL reads as one.
    pub fn of_origin(repo: &Repository) -> Option<Forge> {
        let remote = repo.find_remote("origin").ok()?;
        Forge::parse(remote.url()?)
    }
}

#[cfg(test)]
mod forge_tests {
    use super::Forge;

    #[test]
    fn remote_urls_name_their_owner() {
        let f = |u: &str| Forge::parse(u).map(|f| format!("{} {} {}", f.host, f.owner, f.name));
        let want = Some("github.com mattermost mattermost-plugin-jira".to_string());
        assert_eq!(
            f("https://github.com/mattermost/mattermost-plugin-jira"),
            want
        );
        assert_eq!(
            f("https://github.com/mattermost/mattermost-plugin-jira.git"),
            want
        );
        assert_eq!(
            f("git@github.com:mattermost/mattermost-plugin-jira.git"),
            want
        );
        assert_eq!(
            f("ssh://git@github.com/mattermost/mattermost-plugin-jira.git"),
            want
        );
        assert_eq!(
            f("https://x-access-token:secret@github.com/mattermost/mattermost-plugin-jira"),
            want
        );
        assert_eq!(f("/srv/git/plugin.git"), None);
        assert_eq!(f("https://github.com/mattermost"), None);
        assert_eq!(f("https://github.com/a/b/c"), None);
        assert_eq!(f("https://github.com/a\u{1b}[2J/b"), None);
    }
}
