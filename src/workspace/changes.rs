//! Files changed since a reference: for `--changed-from REF`, the paths that differ between the
//! merge base of `REF` and the linted commit, and the linted tree (the commit's tree for a
//! revision; the working tree, index and untracked files that are not ignored, otherwise).
//! Read-only: diffs are computed from objects and the working tree, nothing is written.

use super::{Backend, Workspace, WorkspaceError};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeSet;

/// What `--changed-from` resolved to.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Changes {
    /// The reference as given.
    pub from: String,
    /// The merge base of the reference and the linted commit.
    pub merge_base: String,
    /// Changed paths, repository-relative with `/` separators: added, modified, deleted or
    /// renamed (both names).
    pub files: BTreeSet<String>,
}

impl Changes {
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }
}

fn git_error(what: &str, e: git2::Error) -> WorkspaceError {
    WorkspaceError::Git(format!("{what}: {}", e.message()))
}

/// Which paths [`Workspace::changed_since_among`] compares: a test on a path, and folders
/// compared whole.
pub type Among<'a> = (&'a dyn Fn(&str) -> bool, &'a [String]);

impl Workspace {
    /// The files changed between the merge base of `reference` and the linted commit, and the
    /// linted tree.
    pub fn changed_since(&self, reference: &str) -> Result<Changes, WorkspaceError> {
        self.changed_since_among(reference, None)
    }

    /// [`changed_since`](Self::changed_since), for the paths `among` keeps only: the root
    /// entries of the merge base's tree and the listed files it keeps, and the folders it
    /// names (with what is under them), are compared; nothing else of the working tree is
    /// looked at. The files are those [`changed_since`](Self::changed_since) finds among them.
    pub fn changed_since_among(
        &self,
        reference: &str,
        among: Option<Among<'_>>,
    ) -> Result<Changes, WorkspaceError> {
        let bad = |reason: String| WorkspaceError::BadChangedFrom {
            reference: reference.to_string(),
            reason,
        };
        let Some(repo) = self.repo() else {
            return Err(bad(match &self.info.git_unavailable {
                Some(why) => format!("{why}, so there is nothing to compare with"),
                None => format!(
                    "`{}` is not a git repository, so there is nothing to compare with",
                    self.info.root
                ),
            }));
        };
        let from = repo
            .revparse_single(reference)
            .map_err(|e| bad(super::git::revparse_reason(&e, reference)))?;
        let from = from
            .peel_to_commit()
            .map_err(|_| bad(super::git::not_a_commit(repo, &from)))?;
        let target = match &self.info.commit {
            Some(id) => git2::Oid::from_str(id)
                .and_then(|id| repo.find_commit(id))
                .map_err(|e| git_error("cannot read the linted commit", e))?,
            None => {
                return Err(bad(
                    "the repository has no commit yet, so it has no history to compare with".into(),
                ))
            }
        };
        let base_id = repo.merge_base(from.id(), target.id()).map_err(|_| {
            bad(format!(
                "it shares no history with the linted commit {}",
                short(&target.id().to_string())
            ))
        })?;
        let base_tree = repo
            .find_commit(base_id)
            .and_then(|c| c.tree())
            .map_err(|e| git_error("cannot read the merge base", e))?;
        let mut opts = git2::DiffOptions::new();
        // A listing that failed leaves the whole tree to compare.
        let among = among.zip(self.files().ok());
        if let Some(((keep, folders), listed)) = among {
            let mut paths: BTreeSet<String> = folders.iter().cloned().collect();
            // The folder's entries at the merge base (its root, for a folder of a larger
            // repository).
            let base_folder = match self.prefix.is_empty() {
                true => Some(base_tree.clone()),
                false => base_tree
                    .get_path(std::path::Path::new(self.prefix.trim_end_matches('/')))
                    .and_then(|e| e.to_object(repo))
                    .ok()
                    .and_then(|o| o.into_tree().ok()),
            };
            for e in base_folder.iter().flat_map(|t| t.iter()) {
                if let Ok(name) = std::str::from_utf8(e.name_bytes()) {
                    if keep(name) {
                        paths.insert(name.to_string());
                    }
                }
            }
            paths.extend(
                listed
                    .iter()
                    .filter(|f| keep(&f.path))
                    .map(|f| f.path.clone()),
            );
            if paths.is_empty() {
                return Ok(Changes {
                    from: reference.to_string(),
                    merge_base: base_id.to_string(),
                    files: BTreeSet::new(),
                });
            }
            // Literal paths (a folder names what is under it): libgit2 then walks only them.
            opts.disable_pathspec_match(true);
            for p in &paths {
                opts.pathspec(format!("{}{p}", self.prefix));
            }
        } else if !self.prefix.is_empty() {
            // A folder of a larger repository: only its paths, relative to it.
            opts.pathspec(&self.prefix).disable_pathspec_match(true);
        }
        let diff = match &self.backend {
            Backend::Git(_) => {
                let tree = target
                    .tree()
                    .map_err(|e| git_error("cannot read the linted tree", e))?;
                repo.diff_tree_to_tree(Some(&base_tree), Some(&tree), Some(&mut opts))
            }
            Backend::Worktree(w) => {
                if let Some(why) = w.unsafe_for_git() {
                    return Err(bad(format!("the working tree cannot be compared: {why}")));
                }
                opts.include_untracked(true).recurse_untracked_dirs(true);
                repo.diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut opts))
            }
        }
        .map_err(|e| git_error("cannot compare with the merge base", e))?;
        let mut files = BTreeSet::new();
        for delta in diff.deltas() {
            for file in [delta.old_file(), delta.new_file()] {
                if let Some(path) = file.path() {
                    files.insert(path.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        Ok(Changes {
            from: reference.to_string(),
            merge_base: base_id.to_string(),
            files: self.within(files).into_iter().collect(),
        })
    }
}

use super::names::short_id as short;
