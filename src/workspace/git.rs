//! A git revision's tree, read from objects: no checkout, no index, no working tree.

use super::{Entry, FileKind, ReadError, RepoFile, RepositoryInfo, WorkspaceError};
use std::path::Path;

const MODE_SYMLINK: u32 = 0o120000;
const MODE_SUBMODULE: u32 = 0o160000;
const MODE_TREE: u32 = 0o040000;

pub fn kind_of_mode(mode: u32) -> FileKind {
    match mode {
        MODE_SYMLINK => FileKind::Symlink,
        MODE_SUBMODULE => FileKind::Submodule,
        _ => FileKind::File,
    }
}

/// Deepest folder nesting a tree walk follows: git's own default for `core.maxTreeDepth`.
/// Git stores deeper trees but refuses to work on them; no file system could check them out.
pub const MAX_TREE_DEPTH: usize = 4096;

/// Every entry of a tree and its subtrees, without recursion (libgit2's walk recurses once per
/// level, and a hostile tree can nest far deeper than a stack allows), folders first, then
/// their contents in order. `visit` gets the entry's folder (`""` or ending in `/`) and the
/// entry. Folders deeper than [`MAX_TREE_DEPTH`] are not entered: the error names the first.
pub fn walk_tree(
    repo: &git2::Repository,
    tree: git2::Oid,
    mut visit: impl FnMut(&str, &git2::TreeEntry<'_>),
) -> Result<(), String> {
    let mut stack = vec![(tree, String::new(), 0usize)];
    let mut too_deep = None;
    while let Some((id, dir, depth)) = stack.pop() {
        let tree = repo
            .find_tree(id)
            .map_err(|e| format!("cannot read tree {id} (`{dir}`): {}", e.message()))?;
        let mut subtrees = Vec::new();
        for entry in tree.iter() {
            visit(&dir, &entry);
            if entry.filemode() as u32 == MODE_TREE {
                let name = String::from_utf8_lossy(entry.name_bytes());
                let path = format!("{dir}{name}/");
                if depth + 1 >= MAX_TREE_DEPTH {
                    too_deep.get_or_insert(path);
                    continue;
                }
                subtrees.push((entry.id(), path, depth + 1));
            }
        }
        // Reversed, so the first folder is walked first.
        stack.extend(subtrees.into_iter().rev());
    }
    match too_deep {
        None => Ok(()),
        Some(path) => Err(format!(
            "folders nest deeper than {MAX_TREE_DEPTH} levels at `{path}` (git's \
             `core.maxTreeDepth`); what lies below is not read"
        )),
    }
}

/// Opens the repository whose working tree (or bare git directory) is exactly `path`.
/// A path inside some larger repository is not treated as that repository.
pub fn open_repository(path: &Path) -> Option<git2::Repository> {
    static OWNER_CHECK: std::sync::Once = std::sync::Once::new();
    OWNER_CHECK.call_once(|| {
        // SAFETY: called once, before any repository is opened. onboard only reads
        // repositories and never runs anything they configure, so a repository owned by
        // another user (a CI checkout) is no risk to open.
        unsafe {
            let _ = git2::opts::set_verify_owner_validation(false);
        }
        // Objects are read, never written: re-hashing every object read only to check it
        // matches its name costs a SHA-1 per commit in each history walk. git does not
        // re-hash on read either; a corrupt object still fails to inflate or parse.
        git2::opts::strict_hash_verification(false);
    });
    let flags = git2::RepositoryOpenFlags::NO_SEARCH;
    git2::Repository::open_ext(path, flags, std::iter::empty::<&std::ffi::OsStr>()).ok()
}

/// Whether `path` is the git directory itself (a bare repository or a mirror) rather than a
/// working tree: then there are no files on disk to lint, only the tree of `HEAD`.
pub fn is_git_dir(repo: &git2::Repository, path: &Path) -> bool {
    if repo.is_bare() || repo.workdir().is_none() {
        return true;
    }
    match (
        std::fs::canonicalize(path),
        std::fs::canonicalize(repo.path()),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Why `HEAD` cannot be read, when it cannot (an unborn branch, before the first commit, is
/// fine).
pub fn head_problem(repo: &git2::Repository) -> Option<String> {
    match repo.head() {
        Err(e) if e.code() != git2::ErrorCode::UnbornBranch => Some(e.message().to_string()),
        _ => None,
    }
}

/// Fills in what can be said of the repository itself.
pub fn describe(repo: &git2::Repository, info: &mut RepositoryInfo) {
    info.shallow = repo.is_shallow();
    if let Ok(head) = repo.head() {
        if head.is_branch() {
            info.head_branch = head.shorthand().map(str::to_string);
        }
        info.commit = head.peel_to_commit().ok().map(|c| c.id().to_string());
    }
}

pub struct GitTree {
    repo: git2::Repository,
    commit: git2::Oid,
    tree: git2::Oid,
}

impl GitTree {
    pub fn at(repo: git2::Repository, rev: &str) -> Result<Self, WorkspaceError> {
        let bad = |reason: String| WorkspaceError::BadRevision {
            rev: rev.to_string(),
            reason,
        };
        let object = repo
            .revparse_single(rev)
            .map_err(|e| bad(e.message().to_string()))?;
        let commit = object
            .peel_to_commit()
            .map_err(|_| bad(format!("it names a {}, not a commit", kind_name(&object))))?;
        let (commit_id, tree_id) = (commit.id(), commit.tree_id());
        drop(commit);
        drop(object);
        Ok(GitTree {
            repo,
            commit: commit_id,
            tree: tree_id,
        })
    }

    pub fn repo(&self) -> &git2::Repository {
        &self.repo
    }

    pub fn commit_id(&self) -> String {
        self.commit.to_string()
    }

    fn tree(&self) -> Result<git2::Tree<'_>, ReadError> {
        self.repo.find_tree(self.tree).map_err(|e| {
            ReadError::Other(format!("cannot read tree {}: {}", self.tree, e.message()))
        })
    }

    pub fn list(&self) -> Result<Vec<RepoFile>, String> {
        let mut files = Vec::new();
        walk_tree(&self.repo, self.tree, |dir, entry| {
            let mode = entry.filemode() as u32;
            if mode != MODE_TREE {
                let name = String::from_utf8_lossy(entry.name_bytes());
                files.push(RepoFile {
                    path: format!("{dir}{name}"),
                    kind: kind_of_mode(mode),
                });
            }
        })?;
        Ok(files)
    }

    pub fn blob_ids(&self) -> std::collections::HashMap<String, git2::Oid> {
        let mut out = std::collections::HashMap::new();
        let _ = walk_tree(&self.repo, self.tree, |dir, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                out.insert(format!("{dir}{name}"), entry.id());
            }
        });
        out
    }

    pub fn entry(&self, path: &str) -> Option<Entry> {
        let tree = self.tree().ok()?;
        let entry = tree.get_path(Path::new(path)).ok()?;
        Some(match entry.filemode() as u32 {
            MODE_TREE => Entry::Dir,
            MODE_SUBMODULE => Entry::Other,
            MODE_SYMLINK => {
                let blob = self.repo.find_blob(entry.id()).ok()?;
                Entry::Symlink(String::from_utf8_lossy(blob.content()).into_owned())
            }
            _ => Entry::File,
        })
    }

    pub fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        let tree = self.tree()?;
        let Ok(entry) = tree.get_path(Path::new(path)) else {
            return Ok(None);
        };
        match entry.filemode() as u32 {
            MODE_TREE => return Err(ReadError::IsDirectory(path.to_string())),
            MODE_SUBMODULE => {
                return Err(ReadError::Other(format!("`{path}` is a submodule")));
            }
            _ => {}
        }
        let odb = self
            .repo
            .odb()
            .map_err(|e| ReadError::Other(e.message().to_string()))?;
        let (size, _) = odb.read_header(entry.id()).map_err(|e| {
            ReadError::Other(format!(
                "cannot read `{path}` ({}): {}",
                entry.id(),
                e.message()
            ))
        })?;
        if size as u64 > limit {
            return Err(ReadError::TooLarge {
                path: path.to_string(),
                size: size as u64,
                limit,
            });
        }
        let blob = self.repo.find_blob(entry.id()).map_err(|e| {
            ReadError::Other(format!(
                "cannot read `{path}` ({}): {}",
                entry.id(),
                e.message()
            ))
        })?;
        Ok(Some(blob.content().to_vec()))
    }
}

fn kind_name(object: &git2::Object<'_>) -> &'static str {
    match object.kind() {
        Some(git2::ObjectType::Tree) => "tree",
        Some(git2::ObjectType::Blob) => "blob",
        Some(git2::ObjectType::Tag) => "tag",
        _ => "object",
    }
}
