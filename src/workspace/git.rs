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
    open_repository_or_reason(path).ok().flatten()
}

/// What holds a folder that is not itself the root of a repository.
pub enum Enclosing {
    /// No git work tree holds it.
    None,
    /// A work tree holds it and its repository tracks files under it: the repository, and the
    /// folder's path in it (`plugins/foo/`).
    Tracked(git2::Repository, String),
    /// A work tree holds it, but its repository tracks nothing under it (ignored, or not added
    /// yet): the work tree's root and the folder's path in it.
    Untracked(std::path::PathBuf, String),
    /// The repository tracks it, but the folder has CI workflows of its own
    /// (`.github/workflows/`), which GitHub runs only at a repository's root: it is laid out
    /// as a repository of its own copied here (a sample, a test fixture, a vendored plugin),
    /// and this repository's history, tags and workflows are not the plugin's.
    OwnLayout(std::path::PathBuf, String),
}

/// The repository whose work tree holds `path` (a folder below that work tree's root), and
/// whether it tracks files under `path`: in its index, or in the tree of `rev` when given.
/// A folder inside the git directory (any `.git` component on the way) is never one.
pub fn enclosing(path: &Path, rev: Option<&str>) -> Enclosing {
    open_repository_setup();
    let Ok(repo) = git2::Repository::discover(path) else {
        return Enclosing::None;
    };
    let (Some(top), Ok(here)) = (
        repo.workdir().and_then(|w| std::fs::canonicalize(w).ok()),
        std::fs::canonicalize(path),
    ) else {
        return Enclosing::None;
    };
    let Ok(rel) = here.strip_prefix(&top) else {
        return Enclosing::None;
    };
    let mut prefix = String::new();
    for c in rel.components() {
        match c {
            std::path::Component::Normal(name) => match name.to_str() {
                Some(name) if !super::paths::is_git_name(name) => {
                    prefix.push_str(name);
                    prefix.push('/');
                }
                _ => return Enclosing::None,
            },
            _ => return Enclosing::None,
        }
    }
    if prefix.is_empty() {
        return Enclosing::None;
    }
    let in_index = repo
        .index()
        .is_ok_and(|index| index.iter().any(|e| e.path.starts_with(prefix.as_bytes())));
    let tracked = in_index
        || rev.is_some_and(|rev| subtree_at(&repo, rev, &prefix).is_ok_and(|t| t.is_some()));
    if !tracked {
        return Enclosing::Untracked(top, prefix);
    }
    let workflows = format!("{prefix}.github/workflows/");
    let own_workflows = match rev {
        Some(rev) => subtree_at(&repo, rev, &workflows).is_ok_and(|t| t.is_some()),
        None => repo.index().is_ok_and(|index| {
            index
                .iter()
                .any(|e| e.path.starts_with(workflows.as_bytes()))
        }),
    };
    match own_workflows {
        true => Enclosing::OwnLayout(top, prefix),
        false => Enclosing::Tracked(repo, prefix),
    }
}

/// The tree at `prefix` (`plugins/foo/`) in `rev`'s tree; `Ok(None)` when there is no folder
/// there. `Err`: `rev` names no commit.
fn subtree_at(
    repo: &git2::Repository,
    rev: &str,
    prefix: &str,
) -> Result<Option<git2::Oid>, git2::Error> {
    let commit = repo.revparse_single(rev)?.peel_to_commit()?;
    Ok(folder_of(repo, commit.tree_id(), prefix))
}

/// The tree at `prefix` (`""`, or ending in `/`) in the tree `tree`, when it is a folder.
pub fn folder_of(repo: &git2::Repository, tree: git2::Oid, prefix: &str) -> Option<git2::Oid> {
    let folder = prefix.trim_end_matches('/');
    if folder.is_empty() {
        return Some(tree);
    }
    let tree = repo.find_tree(tree).ok()?;
    let entry = tree.get_path(Path::new(folder)).ok()?;
    (entry.filemode() as u32 == MODE_TREE).then(|| entry.id())
}

/// libgit2's options, set once before any repository is opened.
pub(super) fn open_repository_setup() {
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
}

/// [`open_repository`], telling "no repository here" (`Ok(None)`) from a repository git cannot
/// open (`Err` with git's reason: a damaged `.git/shallow`, an unreadable configuration), so
/// the second is never reported as the first.
pub fn open_repository_or_reason(path: &Path) -> Result<Option<git2::Repository>, String> {
    open_repository_setup();
    let flags = git2::RepositoryOpenFlags::NO_SEARCH;
    match git2::Repository::open_ext(path, flags, std::iter::empty::<&std::ffi::OsStr>()) {
        Ok(repo) => Ok(Some(repo)),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e.message().to_string()),
    }
}

/// Makes libgit2 look at the working tree at `path`, the one being linted, whatever
/// `core.worktree` says: a configured work tree elsewhere would have libgit2 hash files and read
/// attributes outside the repository. Nothing is written (the setting is in memory only).
pub fn pin_workdir(repo: &git2::Repository, path: &Path) {
    let same = match (repo.workdir(), std::fs::canonicalize(path)) {
        (Some(w), Ok(p)) => std::fs::canonicalize(w).is_ok_and(|w| w == p),
        _ => false,
    };
    if !same {
        let _ = repo.set_workdir(path, false);
    }
}

/// The repository's git directory relative to `root`, when it lies inside it.
pub fn git_dir_under(repo: &git2::Repository, root: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let dir = std::fs::canonicalize(repo.path()).ok()?;
    let rel = dir.strip_prefix(&root).ok()?;
    let rel = rel.to_str()?.trim_end_matches('/').to_string();
    (!rel.is_empty()).then_some(rel)
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
    pub(super) commit: git2::Oid,
    /// The linted folder's tree: the commit's, or for a folder of a larger repository, the
    /// tree at its path.
    tree: git2::Oid,
    /// Every entry of the tree, by path: read once, so a lookup never inflates a tree again
    /// (looking paths up tree by tree costs the size of each folder on the way, which is
    /// quadratic for a folder of many files).
    index: std::cell::OnceCell<Result<TreeIndex, String>>,
}

/// Path → (mode, object id), for every entry of a tree and its subtrees, folders included.
type TreeIndex = std::collections::HashMap<String, (u32, git2::Oid)>;

impl GitTree {
    /// The tree of `rev`, or of the folder `prefix` (`""`, or `plugins/foo/`) in it.
    pub fn at(repo: git2::Repository, rev: &str, prefix: &str) -> Result<Self, WorkspaceError> {
        let bad = |reason: String| WorkspaceError::BadRevision {
            rev: rev.to_string(),
            reason,
        };
        let object = repo
            .revparse_single(rev)
            .map_err(|e| bad(revparse_reason(&e, rev)))?;
        let commit = object
            .peel_to_commit()
            .map_err(|_| bad(not_a_commit(&repo, &object)))?;
        let (commit_id, tree_id) = (commit.id(), commit.tree_id());
        let tree_id = folder_of(&repo, tree_id, prefix).ok_or_else(|| {
            bad(format!(
                "the repository has no folder `{}` at that commit",
                prefix.trim_end_matches('/')
            ))
        })?;
        drop(commit);
        drop(object);
        Ok(GitTree {
            repo,
            commit: commit_id,
            tree: tree_id,
            index: std::cell::OnceCell::new(),
        })
    }

    pub fn repo(&self) -> &git2::Repository {
        &self.repo
    }

    pub fn commit_id(&self) -> String {
        self.commit.to_string()
    }

    /// The tree's index, read on first use.
    fn index(&self) -> Result<&TreeIndex, &str> {
        self.index
            .get_or_init(|| {
                let mut index = TreeIndex::new();
                walk_tree(&self.repo, self.tree, |dir, entry| {
                    let name = String::from_utf8_lossy(entry.name_bytes());
                    index.insert(
                        format!("{dir}{name}"),
                        (entry.filemode() as u32, entry.id()),
                    );
                })?;
                Ok(index)
            })
            .as_ref()
            .map_err(String::as_str)
    }

    pub fn list(&self) -> Result<Vec<RepoFile>, String> {
        let index = self.index().map_err(str::to_string)?;
        Ok(index
            .iter()
            .filter(|(_, (mode, _))| *mode != MODE_TREE)
            .map(|(path, (mode, _))| RepoFile {
                path: path.clone(),
                kind: kind_of_mode(*mode),
            })
            .collect())
    }

    pub fn blob_ids(&self) -> std::collections::HashMap<String, git2::Oid> {
        let Ok(index) = self.index() else {
            return std::collections::HashMap::new();
        };
        index
            .iter()
            .filter(|(_, (mode, _))| !matches!(*mode, MODE_TREE | MODE_SUBMODULE))
            .map(|(path, (_, id))| (path.clone(), *id))
            .collect()
    }

    pub fn entry(&self, path: &str) -> Option<Entry> {
        let (mode, id) = *self.index().ok()?.get(path)?;
        Some(match mode {
            MODE_TREE => Entry::Dir,
            MODE_SUBMODULE => Entry::Other,
            MODE_SYMLINK => {
                let blob = self.repo.find_blob(id).ok()?;
                Entry::Symlink(String::from_utf8_lossy(blob.content()).into_owned())
            }
            _ => Entry::File,
        })
    }

    pub fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        let index = self
            .index()
            .map_err(|e| ReadError::Other(format!("cannot read tree {}: {e}", self.tree)))?;
        let Some(&(mode, id)) = index.get(path) else {
            return Ok(None);
        };
        match mode {
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
        let (size, _) = odb.read_header(id).map_err(|e| {
            ReadError::Other(format!("cannot read `{path}` ({id}): {}", e.message()))
        })?;
        if size as u64 > limit {
            return Err(ReadError::TooLarge {
                path: path.to_string(),
                size: size as u64,
                limit,
            });
        }
        let blob = self.repo.find_blob(id).map_err(|e| {
            ReadError::Other(format!("cannot read `{path}` ({id}): {}", e.message()))
        })?;
        Ok(Some(blob.content().to_vec()))
    }
}

/// Why `rev` names nothing, in words: libgit2 gives some failures no message ("no error").
pub fn revparse_reason(e: &git2::Error, rev: &str) -> String {
    let message = e.message().trim();
    if !message.is_empty() && message != "no error" {
        return message.to_string();
    }
    if rev.contains("@{") {
        "it refers to the reflog (`@{…}`), which has no such entry here".into()
    } else {
        "it names no object in this repository".into()
    }
}

/// Why an object that does not peel to a commit is not one: what it is, or, for a tag whose
/// target is gone, that the target is missing (damaged data, not a tag of something else).
pub fn not_a_commit(repo: &git2::Repository, object: &git2::Object<'_>) -> String {
    let mut object = object.clone();
    // Tags of tags: follow them to the first target that is not a tag, or is missing.
    for _ in 0..32 {
        let Some(tag) = object.as_tag() else { break };
        let target = tag.target_id();
        match repo.find_object(target, None) {
            Ok(next) => object = next,
            Err(_) => {
                return format!(
                    "it names a tag whose target {target} is missing from the repository \
                     (damaged or incomplete git data)"
                )
            }
        }
    }
    format!("it names a {}, not a commit", kind_name(&object))
}

fn kind_name(object: &git2::Object<'_>) -> &'static str {
    match object.kind() {
        Some(git2::ObjectType::Tree) => "tree",
        Some(git2::ObjectType::Blob) => "blob",
        Some(git2::ObjectType::Tag) => "tag",
        _ => "object",
    }
}
