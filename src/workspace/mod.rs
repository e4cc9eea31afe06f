//! Where bytes come from: the working tree, or the tree of a git revision read from objects.
//!
//! Everything above reads through [`Workspace`], so every check works on both. Reads never leave
//! the repository root: symbolic links are resolved lexically, hop by hop, inside the root, and a
//! link that points out of it is refused rather than followed.

mod changes;
mod git;
mod resolve;
mod worktree;

pub use changes::Changes;
pub use git::open_repository;
use schemars::JsonSchema;
use serde::Serialize;
use std::cell::OnceCell;
use std::fmt;
use std::path::{Path, PathBuf};

/// Bytes read from one file at most, unless a caller asks for another cap.
pub const DEFAULT_MAX_READ: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    File,
    Symlink,
    /// A git submodule (a commit recorded in the tree).
    Submodule,
}

/// One path of the repository, relative to its root, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RepoFile {
    pub path: String,
    pub kind: FileKind,
}

#[derive(Debug)]
pub enum WorkspaceError {
    NotFound(PathBuf),
    NotADirectory(PathBuf),
    RevWithoutGit(PathBuf),
    BadRevision { rev: String, reason: String },
    BadChangedFrom { reference: String, reason: String },
    Git(String),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkspaceError::NotFound(p) => write!(f, "`{}` does not exist", p.display()),
            WorkspaceError::NotADirectory(p) => write!(f, "`{}` is not a directory", p.display()),
            WorkspaceError::RevWithoutGit(p) => write!(
                f,
                "`--rev` needs a git repository, and `{}` is not one",
                p.display()
            ),
            WorkspaceError::BadRevision { rev, reason } => {
                write!(f, "cannot resolve revision `{rev}`: {reason}")
            }
            WorkspaceError::BadChangedFrom { reference, reason } => {
                write!(
                    f,
                    "cannot compare with `--changed-from {reference}`: {reason}"
                )
            }
            WorkspaceError::Git(m) => write!(f, "git: {m}"),
            WorkspaceError::Io(p, e) => write!(f, "cannot read `{}`: {e}", p.display()),
        }
    }
}

impl std::error::Error for WorkspaceError {}

/// Why a single file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// A symbolic link (or a chain of them) leads outside the repository root.
    OutsideRoot {
        link: String,
        target: String,
    },
    /// A symbolic link points at nothing.
    Dangling {
        link: String,
        target: String,
    },
    /// Symbolic links form a loop or a chain too long to follow.
    TooManyLinks(String),
    TooLarge {
        path: String,
        limit: u64,
    },
    NotUtf8(String),
    IsDirectory(String),
    Other(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::OutsideRoot { link, target } => write!(
                f,
                "`{link}` is a symbolic link to `{target}`, outside the repository; not followed"
            ),
            ReadError::Dangling { link, target } => {
                write!(
                    f,
                    "`{link}` is a symbolic link to `{target}`, which does not exist"
                )
            }
            ReadError::TooManyLinks(p) => write!(f, "`{p}`: too many levels of symbolic links"),
            ReadError::TooLarge { path, limit } => {
                write!(f, "`{path}` is larger than the {limit}-byte read limit")
            }
            ReadError::NotUtf8(p) => write!(f, "`{p}` is not valid UTF-8 text"),
            ReadError::IsDirectory(p) => write!(f, "`{p}` is a directory"),
            ReadError::Other(m) => f.write_str(m),
        }
    }
}

/// What a path is, without following it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File,
    Dir,
    Symlink(String),
    Other,
}

enum Backend {
    Worktree(worktree::Worktree),
    Git(git::GitTree),
}

/// Facts about where the linted bytes come from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RepositoryInfo {
    /// The path given on the command line.
    pub root: String,
    /// `worktree` or `revision`.
    pub source: &'static str,
    /// Whether a git repository was found at the root.
    pub git: bool,
    /// The revision as given with `--rev`.
    pub rev: Option<String>,
    /// The commit whose tree is linted (for the working tree: `HEAD`, if any).
    pub commit: Option<String>,
    /// The branch `HEAD` points at, when not detached.
    pub head_branch: Option<String>,
    pub bare: bool,
    pub shallow: bool,
    /// Why git-based facts are unavailable, when they are.
    pub git_unavailable: Option<String>,
}

impl RepositoryInfo {
    /// A working tree without git, as a plain directory at `root` reads.
    pub fn plain_directory(root: impl Into<String>) -> Self {
        RepositoryInfo {
            root: root.into(),
            source: "worktree",
            git: false,
            rev: None,
            commit: None,
            head_branch: None,
            bare: false,
            shallow: false,
            git_unavailable: None,
        }
    }
}

pub struct Workspace {
    backend: Backend,
    info: RepositoryInfo,
    files: OnceCell<Result<Vec<RepoFile>, String>>,
    history: OnceCell<Option<Result<crate::git::History, String>>>,
    max_read: u64,
}

impl Workspace {
    /// Opens `path`; with `rev`, the tree of that revision instead of the working tree.
    pub fn open(path: &Path, rev: Option<&str>) -> Result<Self, WorkspaceError> {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => WorkspaceError::NotFound(path.to_path_buf()),
            _ => WorkspaceError::Io(path.to_path_buf(), e),
        })?;
        if !meta.is_dir() {
            return Err(WorkspaceError::NotADirectory(path.to_path_buf()));
        }
        let repo = git::open_repository(path);
        let mut info = RepositoryInfo {
            root: path.display().to_string(),
            source: "worktree",
            git: repo.is_some(),
            rev: rev.map(str::to_string),
            commit: None,
            head_branch: None,
            bare: false,
            shallow: false,
            git_unavailable: None,
        };
        let backend = match (repo, rev) {
            (None, Some(_)) => return Err(WorkspaceError::RevWithoutGit(path.to_path_buf())),
            (None, None) => {
                info.git_unavailable = Some(format!(
                    "`{}` is not the root of a git repository; facts that come from git \
                     (tags, history, blob ids) are unavailable",
                    path.display()
                ));
                Backend::Worktree(worktree::Worktree::new(path.to_path_buf(), None))
            }
            (Some(repo), rev) => {
                git::describe(&repo, &mut info);
                info.bare = git::is_git_dir(&repo, path);
                // A git directory has no files on disk to lint: read its `HEAD` instead.
                match rev.or(info.bare.then_some("HEAD")) {
                    Some(rev) => {
                        info.source = "revision";
                        let tree = git::GitTree::at(repo, rev)?;
                        info.commit = Some(tree.commit_id());
                        Backend::Git(tree)
                    }
                    None => {
                        Backend::Worktree(worktree::Worktree::new(path.to_path_buf(), Some(repo)))
                    }
                }
            }
        };
        Ok(Workspace {
            backend,
            info,
            files: OnceCell::new(),
            history: OnceCell::new(),
            max_read: DEFAULT_MAX_READ,
        })
    }

    pub fn info(&self) -> &RepositoryInfo {
        &self.info
    }

    /// The git repository behind the workspace, when there is one.
    pub fn repo(&self) -> Option<&git2::Repository> {
        match &self.backend {
            Backend::Worktree(w) => w.repo(),
            Backend::Git(g) => Some(g.repo()),
        }
    }

    /// Every path in the repository, sorted: git's index or tree when there is one, so tracked
    /// files that are also ignored are listed; the `ignore` walker otherwise.
    pub fn files(&self) -> Result<&[RepoFile], String> {
        let listed = self.files.get_or_init(|| {
            let mut files = match &self.backend {
                Backend::Worktree(w) => w.list(),
                Backend::Git(g) => g.list(),
            }?;
            files.sort_by(|a, b| a.path.cmp(&b.path));
            files.dedup_by(|a, b| a.path == b.path);
            Ok(files)
        });
        listed.as_deref().map_err(Clone::clone)
    }

    /// The linted commit's history, walked once and shared by the facts that need it. `None`:
    /// no git, or no commit yet.
    pub fn history(&self) -> Option<Result<&crate::git::History, &str>> {
        self.history
            .get_or_init(|| {
                let repo = self.repo()?;
                let commit = git2::Oid::from_str(self.info.commit.as_deref()?).ok()?;
                Some(crate::git::History::walk(repo, commit))
            })
            .as_ref()
            .map(|r| r.as_ref().map_err(String::as_str))
    }

    /// Reads a file, following symbolic links only inside the root. `Ok(None)`: no such path.
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>, ReadError> {
        self.read_limited(path, self.max_read)
    }

    /// [`read`](Self::read) with another cap, for files that are large by nature (lockfiles).
    pub fn read_limited(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        let (resolved, entry) = match resolve::resolve_entry(path, |p| self.entry(p))? {
            Some(p) => p,
            None => return Ok(None),
        };
        match &self.backend {
            Backend::Worktree(w) => w.read_entry(&resolved, entry, limit),
            Backend::Git(g) => g.read(&resolved, limit),
        }
    }

    /// Reads a UTF-8 text file (a leading byte-order mark is dropped).
    pub fn read_text(&self, path: &str) -> Result<Option<crate::source::SourceFile>, ReadError> {
        self.read_text_limited(path, self.max_read)
    }

    /// [`read_text`](Self::read_text) with another cap.
    pub fn read_text_limited(
        &self,
        path: &str,
        limit: u64,
    ) -> Result<Option<crate::source::SourceFile>, ReadError> {
        let Some(bytes) = self.read_limited(path, limit)? else {
            return Ok(None);
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8(path.to_string()))?;
        Ok(Some(crate::source::SourceFile::new(path, text)))
    }

    /// Blob ids known without hashing: every file of a revision's tree; for the working tree,
    /// the git index's id of each tracked file git reports unchanged. A path missing from the
    /// map (modified, untracked, or no git at all) has to be read and hashed by the caller.
    pub fn known_blob_ids(&self) -> std::collections::HashMap<String, git2::Oid> {
        match &self.backend {
            Backend::Worktree(w) => w.clean_blob_ids(),
            Backend::Git(g) => g.blob_ids(),
        }
    }

    /// What `path` is, without following a final symbolic link.
    pub fn entry(&self, path: &str) -> Option<Entry> {
        match &self.backend {
            Backend::Worktree(w) => w.entry(path),
            Backend::Git(g) => g.entry(path),
        }
    }
}
