//! Where bytes come from: the working tree, or the tree of a git revision read from objects.
//!
//! Everything above reads through [`Workspace`], so every check works on both. Reads never leave
//! the repository root: symbolic links are resolved lexically, hop by hop, inside the root, and a
//! link that points out of it is refused rather than followed. Each read is capped
//! (`--max-file-bytes`; lockfiles [`LOCKFILE_FACTOR`] times that), and every read that hit the
//! cap is remembered with what needed the file, for `file-too-large`.

mod changes;
mod git;
pub mod names;
pub mod parallel;
pub mod paths;
mod resolve;
pub mod root;
mod walk;
mod worktree;

use crate::source::SourceFile;
pub use changes::Changes;
pub use git::{open_repository, walk_tree, MAX_TREE_DEPTH};
pub use names::{is_lockfile, LOCKFILE_NAMES};
use schemars::JsonSchema;
use serde::Serialize;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
pub use worktree::{Folders, PlainReader};

/// Bytes read from one file at most, unless `--max-file-bytes` says otherwise.
pub const DEFAULT_MAX_READ: u64 = 16 * 1024 * 1024;

/// Lockfiles are large by nature (a 200,000-package `package-lock.json` is about 80 MB): they
/// may be this many times the cap (256 MiB by default).
pub const LOCKFILE_FACTOR: u64 = 16;

/// Size, cap, and what needed the file, for one path over the cap.
type OversizedRead = (u64, u64, BTreeSet<&'static str>);

/// A file that was not read because it is larger than the cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Oversized {
    /// The file (a link's target, when a link led to it).
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// The cap it went over, in bytes.
    pub limit: u64,
    /// What needed the file and had to go without it.
    pub needed_by: Vec<String>,
}

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
    BadRevision {
        rev: String,
        reason: String,
    },
    BadChangedFrom {
        reference: String,
        reason: String,
    },
    Git(String),
    /// The repository's file list cannot be read (a corrupt index, a missing tree object, folders
    /// nested past git's limit): nothing could be judged.
    Unlistable(String),
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
            WorkspaceError::Unlistable(m) => write!(f, "cannot list the repository's files: {m}"),
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
    /// The path itself climbs above the root (`../../etc/passwd`).
    LeavesRoot(String),
    /// The path is absolute (`/etc/passwd`): repository paths are relative.
    Absolute(String),
    /// The path, or the link that led to it, is inside the git directory: never content.
    GitDir {
        path: String,
        /// The link followed into it, and its target.
        via: Option<(String, String)>,
    },
    TooLarge {
        path: String,
        size: u64,
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
            ReadError::LeavesRoot(p) => write!(f, "{}", paths::PathError::LeavesRoot(p.clone())),
            ReadError::Absolute(p) => write!(f, "{}", paths::PathError::Absolute(p.clone())),
            ReadError::GitDir { path, via: None } => {
                write!(f, "{}", paths::PathError::GitDir(path.clone()))
            }
            ReadError::GitDir {
                via: Some((link, target)),
                ..
            } => write!(
                f,
                "`{link}` is a symbolic link to `{target}`, inside the git directory; not \
                 followed (the git directory is never read as a file of the plugin)"
            ),
            ReadError::TooLarge { path, size, limit } => write!(
                f,
                "`{path}` is {}, over the read limit of {} (`--max-file-bytes`)",
                size_in_bytes(*size),
                size_in_bytes(*limit)
            ),
            ReadError::NotUtf8(p) => write!(f, "`{p}` is not valid UTF-8 text"),
            ReadError::IsDirectory(p) => write!(f, "`{p}` is a directory"),
            ReadError::Other(m) => f.write_str(m),
        }
    }
}

/// A size in bytes, optionally with a binary unit: `1000`, `512K`, `512KiB`, `16M`, `1GiB`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = t.split_at(digits);
    let number: u64 = number.parse().map_err(|_| {
        format!("`{text}` is not a size: write bytes, or a number with KiB, MiB or GiB")
    })?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit `{other}`: use KiB, MiB or GiB")),
    };
    match number.checked_mul(factor) {
        Some(0) => Err("the limit must be at least one byte".into()),
        Some(n) => Ok(n),
        None => Err(format!("`{text}` is too large")),
    }
}

/// A size for people: `47.7 MiB`, `16 MiB`, `900 bytes`.
pub fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    let (unit, name) = match bytes {
        b if b >= MIB => (MIB, "MiB"),
        b if b >= KIB => (KIB, "KiB"),
        _ => return format!("{bytes} bytes"),
    };
    if bytes.is_multiple_of(unit) {
        format!("{} {name}", bytes / unit)
    } else {
        format!("{:.1} {name}", bytes as f64 / unit as f64)
    }
}

/// `900 bytes`, or `52428800 bytes (50 MiB)`: exact, and readable.
pub fn size_in_bytes(bytes: u64) -> String {
    match bytes < 1024 {
        true => format!("{bytes} bytes"),
        false => format!("{bytes} bytes ({})", human_size(bytes)),
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
    /// The linted folder's path in its repository (`plugins/foo`), when it is a folder of a
    /// larger repository that tracks files in it; `null` at a repository's root or without git.
    pub subfolder: Option<String>,
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
            subfolder: None,
        }
    }
}

pub struct Workspace {
    backend: Backend,
    /// The linted folder's path in its repository, `""` or ending in `/` (`plugins/foo/`):
    /// the files of the workspace are relative to the folder, git's paths to the repository.
    prefix: String,
    /// The git directory relative to the root, when it lies inside it: never read as a file,
    /// whatever its name.
    git_dir: Option<String>,
    info: RepositoryInfo,
    files: OnceCell<Result<Vec<RepoFile>, String>>,
    history: OnceCell<Option<Result<crate::git::RunHistory, String>>>,
    max_read: u64,
    /// Reads that hit the cap, by path.
    oversized: RefCell<BTreeMap<String, OversizedRead>>,
    /// What the reads being made are for, innermost last (see [`Workspace::reading_for`]).
    purpose: RefCell<Vec<&'static str>>,
    /// Where results derived from content are kept between runs; `None`: `--no-cache`.
    cache: Option<std::rc::Rc<crate::cache::Cache>>,
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
        let (mut repo, unopenable) = match git::open_repository_or_reason(path) {
            Ok(repo) => (repo, None),
            Err(reason) => (None, Some(reason)),
        };
        // A folder of a larger repository that tracks files in it is read from that
        // repository, with the folder's path as a prefix; one it tracks nothing in (ignored, or
        // not added yet) is a plain folder.
        let mut prefix = String::new();
        let mut untracked = None;
        if repo.is_none() && unopenable.is_none() {
            match git::enclosing(path, rev) {
                git::Enclosing::Tracked(r, p) => {
                    repo = Some(r);
                    prefix = p;
                }
                git::Enclosing::Untracked(top, p) => untracked = Some((top, p, false)),
                git::Enclosing::OwnLayout(top, p) => untracked = Some((top, p, true)),
                git::Enclosing::None => {}
            }
        }
        // A `HEAD` git cannot read (garbage in `.git/HEAD`) leaves no commit to lint and no
        // index to trust: git itself then says "not a git repository". A revision named with
        // `--rev` can still be read.
        let broken_head = repo.as_ref().and_then(git::head_problem);
        if broken_head.is_some() && rev.is_none() {
            repo = None;
        }
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
            subfolder: (!prefix.is_empty()).then(|| prefix.trim_end_matches('/').to_string()),
        };
        let mut git_dir = None;
        let backend = match (repo, rev) {
            (None, Some(_)) => {
                return Err(match unopenable {
                    Some(reason) => WorkspaceError::Git(format!(
                        "cannot open the repository at `{}`: {reason}",
                        path.display()
                    )),
                    None => WorkspaceError::RevWithoutGit(path.to_path_buf()),
                })
            }
            (None, None) => {
                info.git_unavailable = Some(match (broken_head, unopenable) {
                    (_, Some(reason)) => format!(
                        "git cannot open the repository at `{}` ({reason}); facts that come \
                         from git (tags, history, blob ids) are unavailable",
                        path.display()
                    ),
                    (Some(problem), None) => format!(
                        "git cannot read `HEAD` in `{}` ({problem}); facts that come from git \
                         (tags, history, blob ids) are unavailable",
                        path.display()
                    ),
                    (None, None) => match &untracked {
                        Some((top, folder, true)) => format!(
                            "`{}` is the folder `{}` of the git repository at `{}`, but it has CI \
                             workflows of its own (`.github/workflows/`), which GitHub runs only \
                             at a repository's root: it is read as a plugin whose repository is \
                             elsewhere (a sample, a fixture, a vendored copy), as a plain folder; \
                             facts that come from git (tags, history, blob ids) are unavailable. \
                             If the plugin is part of this repository, move its workflows to the \
                             root's `.github/workflows/`",
                            path.display(),
                            folder.trim_end_matches('/'),
                            top.display()
                        ),
                        Some((top, folder, false)) => format!(
                            "`{}` is the folder `{}` of the git work tree at `{}`, but that \
                             repository tracks no file in it (untracked or ignored), so it is \
                             read as a plain folder; facts that come from git (tags, history, \
                             blob ids) are unavailable",
                            path.display(),
                            folder.trim_end_matches('/'),
                            top.display()
                        ),
                        None => format!(
                            "`{}` is not the root of a git repository; facts that come from \
                             git (tags, history, blob ids) are unavailable",
                            path.display()
                        ),
                    },
                });
                Backend::Worktree(worktree::Worktree::new(
                    path.to_path_buf(),
                    None,
                    String::new(),
                ))
            }
            (Some(repo), rev) => {
                git::describe(&repo, &mut info);
                info.bare = git::is_git_dir(&repo, path);
                // A git directory has no files on disk to lint: read its `HEAD` instead.
                match rev.or(info.bare.then_some("HEAD")) {
                    Some(rev) => {
                        info.source = "revision";
                        let tree = git::GitTree::at(repo, rev, &prefix)?;
                        info.commit = Some(tree.commit_id());
                        Backend::Git(tree)
                    }
                    None => {
                        // A folder of a larger work tree was found from that work tree's
                        // root, which holds it: nothing to pin.
                        if prefix.is_empty() {
                            git::pin_workdir(&repo, path);
                        }
                        git_dir = git::git_dir_under(&repo, path);
                        Backend::Worktree(worktree::Worktree::new(
                            path.to_path_buf(),
                            Some(repo),
                            prefix.clone(),
                        ))
                    }
                }
            }
        };
        Ok(Workspace {
            backend,
            prefix,
            git_dir,
            info,
            files: OnceCell::new(),
            history: OnceCell::new(),
            max_read: DEFAULT_MAX_READ,
            oversized: RefCell::new(BTreeMap::new()),
            purpose: RefCell::new(Vec::new()),
            cache: None,
        })
    }

    /// Lists the files now (they are listed once, whatever asks first), so that a repository
    /// whose files cannot be listed stops the run with the reason rather than looking empty.
    pub fn listed(self) -> Result<Self, WorkspaceError> {
        if let Err(e) = self.files() {
            return Err(WorkspaceError::Unlistable(e));
        }
        Ok(self)
    }

    /// Sets the cap on the bytes read from one file (lockfiles: [`LOCKFILE_FACTOR`] times it).
    pub fn with_max_read(mut self, bytes: u64) -> Self {
        self.max_read = bytes;
        self
    }

    /// Keeps results derived from content in `cache` between runs (see [`crate::cache`]).
    pub fn with_cache(mut self, cache: crate::cache::Cache) -> Self {
        self.cache = Some(std::rc::Rc::new(cache));
        self
    }

    /// The cache, unless the run has none (`--no-cache`).
    pub fn cache(&self) -> Option<&std::rc::Rc<crate::cache::Cache>> {
        self.cache.as_ref()
    }

    /// The cap on the bytes read from one file.
    pub fn max_read(&self) -> u64 {
        self.max_read
    }

    /// The cap for `path`: larger for lockfiles.
    pub fn limit_for(&self, path: &str) -> u64 {
        if is_lockfile(path) {
            self.max_read.saturating_mul(LOCKFILE_FACTOR)
        } else {
            self.max_read
        }
    }

    /// Runs `f` with its reads attributed to `what` (a fact family, say "the plugin manifest"),
    /// so a file over the cap can be reported with what had to go without it.
    pub fn reading_for<T>(&self, what: &'static str, f: impl FnOnce() -> T) -> T {
        self.purpose.borrow_mut().push(what);
        let out = f();
        self.purpose.borrow_mut().pop();
        out
    }

    /// Every read so far that hit the cap, by path.
    pub fn oversized(&self) -> Vec<Oversized> {
        self.oversized
            .borrow()
            .iter()
            .map(|(path, (size, limit, needed_by))| Oversized {
                path: path.clone(),
                size: *size,
                limit: *limit,
                needed_by: needed_by.iter().map(|s| s.to_string()).collect(),
            })
            .collect()
    }

    pub fn info(&self) -> &RepositoryInfo {
        &self.info
    }

    /// The linted folder's path in its repository: `""` at a repository's root (or without
    /// git), else ending in `/` (`plugins/foo/`). Paths of the workspace are relative to the
    /// folder; git's (trees, diffs, the index) to the repository.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Repository paths as paths of the workspace: those under the folder, without its prefix;
    /// the others are left out.
    pub fn within(&self, paths: impl IntoIterator<Item = String>) -> Vec<String> {
        paths
            .into_iter()
            .filter_map(|p| match self.prefix.is_empty() {
                true => Some(p),
                false => p.strip_prefix(&self.prefix).map(str::to_string),
            })
            .collect()
    }

    /// The paths of the folder whose contents differ between the trees of commits `from` and
    /// `to` (see [`crate::git::changed_files`]), relative to the folder.
    /// Two commits name their trees for good: the list is kept in the cache by the pair.
    pub fn changed_files(&self, from: git2::Oid, to: git2::Oid) -> Result<Vec<String>, String> {
        let repo = self.repo().ok_or("no git repository")?;
        let key = crate::cache::key(&[b"changed files 1", from.as_bytes(), to.as_bytes()]);
        let cache = self.cache().map(|c| &**c);
        let changed = crate::cache::kept(cache, "changed-files", &key, || {
            crate::git::changed_files(repo, from, to)
        })?;
        Ok(self.within(changed))
    }

    /// The workflows GitHub Actions runs for a folder of a larger repository: it reads them
    /// only from the repository root's `.github/workflows`, never from a folder's. Each is named
    /// from the folder (`../../.github/workflows/ci.yml`) with what reading it gave. Only files
    /// git has (the index's entries, or the linted commit's tree) that are regular files are
    /// read, each under the cap, without following a link on the way; nothing at a
    /// repository's root or without git (the folder's own `.github/workflows` is the one).
    pub fn repository_workflows(&self) -> Vec<(String, Result<SourceFile, ReadError>)> {
        const DIR: &str = ".github/workflows/";
        let Some(repo) = self.repo().filter(|_| !self.prefix.is_empty()) else {
            return Vec::new();
        };
        let up = "../".repeat(self.prefix.matches('/').count());
        let is_workflow =
            |name: &str| !name.contains('/') && (name.ends_with(".yml") || name.ends_with(".yaml"));
        let regular = |mode: u32| matches!(mode, 0o100644 | 0o100755);
        let limit = self.max_read;
        let text = |path: &str, bytes: Vec<u8>| {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            std::str::from_utf8(bytes)
                .map(|t| SourceFile::new(path, t))
                .map_err(|_| ReadError::NotUtf8(path.to_string()))
        };
        let mut out = Vec::new();
        match &self.backend {
            Backend::Worktree(_) => {
                let (Ok(index), Some(top)) = (repo.index(), repo.workdir()) else {
                    return out;
                };
                let top = worktree::Worktree::new(top.to_path_buf(), None, String::new());
                for entry in index.iter() {
                    let path = String::from_utf8_lossy(&entry.path).into_owned();
                    let Some(name) = path.strip_prefix(DIR).filter(|n| is_workflow(n)) else {
                        continue;
                    };
                    if !regular(entry.mode) || paths::in_git_dir(&path) {
                        continue;
                    }
                    let named = format!("{up}{DIR}{name}");
                    let read = match top.entry(&path) {
                        Some(Entry::File) => top
                            .read_entry(&path, Entry::File, limit)
                            .and_then(|b| text(&named, b.unwrap_or_default())),
                        // Deleted, or no longer a regular file: not a workflow to read.
                        _ => continue,
                    };
                    out.push((named, read));
                }
            }
            Backend::Git(g) => {
                let tree = repo
                    .find_commit(g.commit)
                    .and_then(|c| c.tree())
                    .and_then(|t| t.get_path(Path::new(DIR.trim_end_matches('/'))))
                    .and_then(|e| repo.find_tree(e.id()));
                let Ok(tree) = tree else { return out };
                for entry in tree.iter() {
                    let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
                    if !is_workflow(&name) || !regular(entry.filemode() as u32) {
                        continue;
                    }
                    let named = format!("{up}{DIR}{name}");
                    let read = crate::git::read_blob(repo, entry.id(), limit)
                        .map_err(|e| ReadError::Other(format!("`{named}`{e}")))
                        .and_then(|b| text(&named, b));
                    out.push((named, read));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
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
                Backend::Worktree(w) => w.list(self.max_read),
                Backend::Git(g) => g.list(),
            }?;
            // The git directory is never a file of the plugin, in any spelling (a tree can be
            // crafted to hold `.GIT/config`, which a case-insensitive checkout would write into
            // the git directory).
            files.retain(|f| !self.in_git_dir(&f.path));
            files.sort_by(|a, b| a.path.cmp(&b.path));
            files.dedup_by(|a, b| a.path == b.path);
            Ok(files)
        });
        listed.as_deref().map_err(Clone::clone)
    }

    /// The history of this run (see [`crate::git::RunHistory`]): the linted commit's commits,
    /// and the tags and branches that exist for it, read once and shared by every fact. A
    /// `--rev` run sees only what is reachable from the linted commit; a working-tree run (or a
    /// bare repository read at its `HEAD`) sees every ref. `None`: no git, or no commit yet.
    pub fn run_history(&self) -> Option<Result<&crate::git::RunHistory, &str>> {
        self.history
            .get_or_init(|| {
                let repo = self.repo()?;
                let commit = git2::Oid::from_str(self.info.commit.as_deref()?).ok()?;
                Some(crate::git::RunHistory::build(
                    repo,
                    commit,
                    self.info.rev.is_some(),
                    self.cache.clone(),
                ))
            })
            .as_ref()
            .map(|r| r.as_ref().map_err(String::as_str))
    }

    /// The linted commit's commits (the run history's), walked once. `None`: no git, or no
    /// commit yet.
    pub fn history(&self) -> Option<Result<&crate::git::History, &str>> {
        self.run_history().map(|r| r.map(|h| &h.commits))
    }

    /// Reads a file, following symbolic links only inside the root. `Ok(None)`: no such path.
    /// A file over the cap ([`limit_for`](Self::limit_for)) is not read: the error says its
    /// size, and the read is remembered for [`oversized`](Self::oversized).
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let quick = match &self.backend {
            Backend::Worktree(w) if self.is_plain(path) => w.read_plain(path, self.limit_for(path)),
            _ => None,
        };
        let read = match quick {
            Some(read) => read.map(Some),
            None => self.read_resolved(path)?,
        };
        if let Err(ReadError::TooLarge { path, size, limit }) = &read {
            self.note_too_large(path, *size, *limit);
        }
        read
    }

    /// [`read`](Self::read) by resolving the path hop by hop; `Ok(Err(..))`: a read that failed
    /// once resolved.
    fn read_resolved(&self, path: &str) -> Result<Result<Option<Vec<u8>>, ReadError>, ReadError> {
        let (resolved, entry) = match self.direct(path) {
            Some(Entry::File) => (path.to_string(), Entry::File),
            _ => {
                match resolve::resolve_entry(path, self.git_dir.as_deref(), |p| self.raw_entry(p))?
                {
                    Some(p) => p,
                    None => return Ok(Ok(None)),
                }
            }
        };
        let limit = self.limit_for(&resolved);
        Ok(match &self.backend {
            Backend::Worktree(w) => w.read_entry(&resolved, entry, limit),
            Backend::Git(g) => g.read(&resolved, limit),
        })
    }

    /// Remembers a read that hit the cap, with what it was for.
    fn note_too_large(&self, path: &str, size: u64, limit: u64) {
        let mut log = self.oversized.borrow_mut();
        let entry = log
            .entry(path.to_string())
            .or_insert_with(|| (size, limit, BTreeSet::new()));
        entry
            .2
            .insert(self.purpose.borrow().last().copied().unwrap_or("onboard"));
    }

    /// Whether `path` is plain: no empty, `.`, `..` or git component, and not in the git
    /// directory. Such a path, when it opens without following a link, is the file that
    /// resolution would find (see [`PlainReader`]).
    pub fn is_plain(&self, path: &str) -> bool {
        !path
            .split('/')
            .any(|c| matches!(c, "" | "." | "..") || paths::is_git_name(c))
            && !paths::is_absolute(path)
            && !self.in_git_dir(path)
    }

    /// A reader of plain paths that threads can share (working trees only): each read gives
    /// what [`read`](Self::read) would, or `None` when the path needs resolving. A read over
    /// the cap is not remembered: read it again with [`read`](Self::read) to report it.
    pub fn plain_reader(&self) -> Option<PlainReader> {
        match &self.backend {
            Backend::Worktree(w) => Some(w.plain_reader()),
            Backend::Git(_) => None,
        }
    }

    /// Reads a UTF-8 text file (a leading byte-order mark is dropped).
    pub fn read_text(&self, path: &str) -> Result<Option<crate::source::SourceFile>, ReadError> {
        let Some(bytes) = self.read(path)? else {
            return Ok(None);
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8(path.to_string()))?;
        Ok(Some(crate::source::SourceFile::new(path, text)))
    }

    /// Blob ids known without hashing: every file of a revision's tree; for the working tree,
    /// the git index's id of each tracked file git reports unchanged. A path missing from the
    /// map (modified, untracked, or no git at all) has to be read and hashed by the caller.
    pub fn known_blob_ids(
        &self,
    ) -> std::borrow::Cow<'_, std::collections::HashMap<String, git2::Oid>> {
        match &self.backend {
            Backend::Worktree(w) => match w.clean_blob_ids() {
                Some(ids) => std::borrow::Cow::Borrowed(ids),
                None => std::borrow::Cow::Owned(Default::default()),
            },
            Backend::Git(g) => std::borrow::Cow::Owned(g.blob_ids()),
        }
    }

    /// What `path` is, without following a final symbolic link. Links among the folders
    /// above it are followed only inside the root (`docs -> /elsewhere` makes `docs/setup.md`
    /// nothing), so nothing outside the repository is looked at.
    pub fn entry(&self, path: &str) -> Option<Entry> {
        let path = path.trim_end_matches('/');
        if self.in_git_dir(path) || paths::is_absolute(path) {
            return None;
        }
        if let Some(e) = self.direct(path) {
            return Some(e);
        }
        match path.rsplit_once('/') {
            Some((dir, name)) if !matches!(name, "" | "." | "..") => {
                let dir = resolve::resolve(dir, self.git_dir.as_deref(), |p| self.raw_entry(p))
                    .ok()??;
                if self.in_git_dir(&paths::child(&dir, name)) {
                    return None;
                }
                match dir.is_empty() {
                    true => self.raw_entry(name),
                    false => self.raw_entry(&format!("{dir}/{name}")),
                }
            }
            Some(_) => {
                let resolved =
                    resolve::resolve(path, self.git_dir.as_deref(), |p| self.raw_entry(p))
                        .ok()??;
                self.raw_entry(&resolved)
            }
            None => self.raw_entry(path),
        }
    }

    /// What `path` is when no link can be on the way to it: a git tree lookup goes through
    /// folders only (a link on the way makes it fail), so a hit needs no resolution hop by hop,
    /// which costs a lookup per folder. `None`: resolve it.
    fn direct(&self, path: &str) -> Option<Entry> {
        let plain = !path
            .split('/')
            .any(|c| matches!(c, "" | "." | "..") || paths::is_git_name(c));
        match &self.backend {
            Backend::Git(g) if plain => g.entry(path),
            _ => None,
        }
    }

    /// What `path` is, looked up as given (its folders must be checked by the caller).
    fn raw_entry(&self, path: &str) -> Option<Entry> {
        match &self.backend {
            Backend::Worktree(w) => w.entry(path),
            Backend::Git(g) => g.entry(path),
        }
    }

    /// Whether `path` (as written, not resolved) names something in a git directory: a `.git`
    /// component in any spelling, or the repository's own git directory under another name.
    fn in_git_dir(&self, path: &str) -> bool {
        paths::in_git_dir(path)
            || self.git_dir.as_deref().is_some_and(|g| {
                path == g || path.strip_prefix(g).is_some_and(|r| r.starts_with('/'))
            })
    }
}
