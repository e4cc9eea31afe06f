//! Releases built outside the repository, as its history shows them: a workflow of the
//! repository built version tags, it was removed, and version tags were still made after it
//! (Mattermost moved msteams-meetings' release builds to its internal delivery pipeline that
//! way). The repository alone cannot show where those releases were built, so the release
//! build is unknown rather than missing.

use super::{github, CiFact};
use crate::source::SourceFile;
use crate::workspace::Workspace;
use schemars::JsonSchema;
use serde::Serialize;

/// How many of the newest version tags are looked at: the removal is recent history.
const TAGS_LOOKED_AT: usize = 50;
/// Workflow files larger than this are not read at a tag.
const MAX_WORKFLOW_BYTES: u64 = 1 << 20;

/// A release build that the repository had and removed, and the tags made since.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RemovedReleaseBuild {
    /// The newest version tag whose tree had a workflow building version tags.
    pub last_built_tag: String,
    /// That workflow's path.
    pub workflow: String,
    /// Version tags made after it, whose trees have no such workflow, newest first.
    pub later_tags: Vec<String>,
}

/// Whether a tag name reads as a version tag (`v1.2.3`, `v2.4.0-rc1`).
fn is_version_tag(name: &str) -> bool {
    name.strip_prefix('v')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a workflow's text builds version tags (on a push of a tag, or on `release`
/// events).
fn builds_version_tags(path: &str, text: &str) -> bool {
    let Ok(root) = crate::yaml::parse(text) else {
        return false;
    };
    let file = SourceFile::new(path, text.to_string());
    // Only the release triggers are read; the branch names fill what the reader expects.
    let mut fact = CiFact {
        default_branch: super::FALLBACK_BRANCHES.map(String::from).to_vec(),
        ..CiFact::default()
    };
    github::read(&file, &root, &mut fact);
    !fact.release_builds.is_empty()
}

/// The path of a workflow in `commit`'s tree that builds version tags, if any. The answer for
/// each workflow blob is kept in `seen` by blob id: the same blobs recur at most tags, and
/// across runs.
fn release_workflow_at(
    repo: &git2::Repository,
    commit: git2::Oid,
    seen: &crate::cache::Table,
) -> Option<String> {
    let tree = repo.find_commit(commit).ok()?.tree().ok()?;
    let entry = tree
        .get_path(std::path::Path::new(".github/workflows"))
        .ok()?;
    let folder = repo.find_tree(entry.id()).ok()?;
    for item in folder.iter() {
        let Some(name) = item.name() else { continue };
        if !(name.ends_with(".yml") || name.ends_with(".yaml"))
            || item.kind() != Some(git2::ObjectType::Blob)
        {
            continue;
        }
        let path = format!(".github/workflows/{name}");
        let id: [u8; 20] = item.id().as_bytes().try_into().ok()?;
        // A blob over the limit is refused from its header, never inflated. One that cannot be
        // read (not fetched yet) is not kept: a later run tries again.
        let builds = seen
            .kept(id, || {
                let bytes = crate::git::read_blob(repo, item.id(), MAX_WORKFLOW_BYTES).ok()?;
                Some(String::from_utf8(bytes).is_ok_and(|text| builds_version_tags(&path, &text)))
            })
            .unwrap_or(false);
        if builds {
            return Some(path);
        }
    }
    None
}

/// The release build the repository removed, when version tags were made after it.
pub fn compute(ws: &Workspace) -> Option<RemovedReleaseBuild> {
    let repo = ws.repo()?;
    let run = ws.run_history()?.ok()?;
    let mut tags: Vec<&crate::git::Tag> = run
        .tags
        .iter()
        .filter(|t| is_version_tag(&t.name))
        .collect();
    // Newest first, by when the tag was made; the name breaks ties.
    tags.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.name.cmp(&a.name)));
    let seen = match ws.cache() {
        Some(c) => c.table(
            "release-workflows",
            &crate::cache::key(&[b"builds version tags"]),
        ),
        None => crate::cache::Table::detached(),
    };
    let found = removed(repo, tags, &seen);
    if let Some(c) = ws.cache() {
        c.save(&seen);
    }
    found
}

/// The newest version tag built by a workflow that later tags no longer have, with those tags.
fn removed(
    repo: &git2::Repository,
    tags: Vec<&crate::git::Tag>,
    seen: &crate::cache::Table,
) -> Option<RemovedReleaseBuild> {
    let mut later = Vec::new();
    for tag in tags.into_iter().take(TAGS_LOOKED_AT) {
        match release_workflow_at(repo, tag.commit, seen) {
            Some(workflow) if !later.is_empty() => {
                return Some(RemovedReleaseBuild {
                    last_built_tag: tag.name.clone(),
                    workflow,
                    later_tags: later,
                })
            }
            // The newest tag was built by the repository's own workflow: nothing was removed
            // before a release.
            Some(_) => return None,
            None => later.push(tag.name.clone()),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_tags_start_with_v_and_a_digit() {
        assert!(super::is_version_tag("v2.4.1"));
        assert!(super::is_version_tag("v2.4.0-rc1"));
        assert!(!super::is_version_tag("version-2"));
        assert!(!super::is_version_tag("2.4.1"));
    }
}
