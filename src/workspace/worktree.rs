//! The working tree on disk.

use super::{Entry, ReadError, RepoFile};
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeSet, HashSet};
use std::io::Read;
use std::path::PathBuf;

pub struct Worktree {
    root: PathBuf,
    repo: Option<git2::Repository>,
    /// The root's path in the repository's work tree (`""`, or `plugins/foo/`): only the index
    /// entries under it are the root's files.
    prefix: String,
    tracked: OnceCell<Result<Tracked, String>>,
    /// Directories already seen to be real directories: path resolution looks at every
    /// component of every path it reads, and most paths share a few parent directories.
    dirs: RefCell<HashSet<String>>,
    /// The folders of the last plain read, held open (see [`Folders`]).
    folders: RefCell<Folders>,
}

/// Opens `path` under `root` without following any symbolic link on the way: each folder is
/// opened from the one before it (`openat`) with `O_NOFOLLOW`, and so is the file, so a folder
/// or the file swapped for a link after resolution looked at it cannot lead out of the root.
/// `O_NONBLOCK`, so a pipe swapped in does not make the open wait; the caller checks the kind
/// of what it opened.
#[cfg(unix)]
pub(super) fn open_no_follow(root: &std::path::Path, path: &str) -> std::io::Result<std::fs::File> {
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let Some(last) = parts.pop() else {
        return Err(std::io::ErrorKind::InvalidInput.into());
    };
    let mut dir = std::fs::File::open(root)?;
    for part in parts {
        dir = open_at(&dir, part, true)?;
    }
    open_at(&dir, last, false)
}

/// Opens `name` in the folder `dir` without following a link: a folder (`O_DIRECTORY`), or
/// anything else with `O_NONBLOCK`, so a pipe does not make the open wait.
#[cfg(unix)]
fn open_at(dir: &std::fs::File, name: &str, folder: bool) -> std::io::Result<std::fs::File> {
    use std::os::fd::{AsRawFd, FromRawFd};
    let c = std::ffi::CString::new(name.as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    let base = libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    let flags = base
        | match folder {
            true => libc::O_DIRECTORY,
            false => libc::O_NONBLOCK,
        };
    // SAFETY: `dir` is an open descriptor and `c` a NUL-terminated string; the descriptor
    // returned, when valid, is owned by the `File` made from it.
    let fd = unsafe { libc::openat(dir.as_raw_fd(), c.as_ptr(), flags) };
    if fd < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(unsafe { std::fs::File::from_raw_fd(fd) })
    }
}

#[cfg(not(unix))]
pub(super) fn open_no_follow(root: &std::path::Path, path: &str) -> std::io::Result<std::fs::File> {
    std::fs::File::open(root.join(path))
}

/// The folders of the last plain path opened, each held open from the root down, so that
/// reading the files of one folder one after another (paths come sorted) opens each folder
/// once, not once per file. Holds as many descriptors as the path is deep.
#[derive(Default)]
pub struct Folders {
    #[cfg(unix)]
    root: Option<std::fs::File>,
    #[cfg(unix)]
    chain: Vec<(String, std::fs::File)>,
}

/// Reads plain paths of a working tree (no `.`, `..`, empty or git component: see
/// [`super::Workspace::is_plain`]) the quick way: every folder and the file are opened with
/// `O_NOFOLLOW`, so a path that opens and is a regular file has no link anywhere on it, and
/// resolution hop by hop would have found that same file. Anything else (a link on the way, a
/// missing file, a folder, a pipe) gives `None`: the caller resolves the path as usual.
/// Holds only the root's path, so threads can share it, each with its own [`Folders`].
#[derive(Debug, Clone)]
pub struct PlainReader {
    root: PathBuf,
}

impl PlainReader {
    /// The bytes of `path` when it is a regular file reached without a link, at most `limit`
    /// of them (over it: [`ReadError::TooLarge`]).
    #[cfg(unix)]
    pub fn read(
        &self,
        folders: &mut Folders,
        path: &str,
        limit: u64,
    ) -> Option<Result<Vec<u8>, ReadError>> {
        let mut parts: Vec<&str> = path.split('/').collect();
        let last = parts.pop()?;
        let keep = folders
            .chain
            .iter()
            .zip(&parts)
            .take_while(|((name, _), part)| name == *part)
            .count();
        folders.chain.truncate(keep);
        if folders.root.is_none() {
            folders.root = Some(std::fs::File::open(&self.root).ok()?);
        }
        for part in &parts[keep..] {
            let parent = match folders.chain.last() {
                Some((_, f)) => f,
                None => folders.root.as_ref()?,
            };
            let dir = open_at(parent, part, true).ok()?;
            folders.chain.push((part.to_string(), dir));
        }
        let parent = match folders.chain.last() {
            Some((_, f)) => f,
            None => folders.root.as_ref()?,
        };
        let file = open_at(parent, last, false).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() {
            return None;
        }
        Some(read_capped(file, meta.len(), path, limit))
    }

    #[cfg(not(unix))]
    pub fn read(&self, _: &mut Folders, _: &str, _: u64) -> Option<Result<Vec<u8>, ReadError>> {
        None
    }
}

/// Reads an open regular file of `size` bytes (as its metadata said), at most `limit` bytes.
fn read_capped(
    file: std::fs::File,
    size: u64,
    path: &str,
    limit: u64,
) -> Result<Vec<u8>, ReadError> {
    let too_large = |size: u64| ReadError::TooLarge {
        path: path.to_string(),
        size,
        limit,
    };
    // The size on disk first, so a huge file is refused without reading it; the read is
    // capped all the same, as the file may grow in between.
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    (&file)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Other(format!("cannot read `{path}`: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(size.max(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// The index against the working tree, looked at once.
struct Tracked {
    /// Tracked paths that still exist.
    files: Vec<RepoFile>,
    /// Submodule checkouts, which the walk leaves alone.
    submodules: HashSet<PathBuf>,
    /// Why libgit2 may not look at the working tree, when it may not.
    unsafe_for_git: Option<String>,
    /// The index's blob id of each tracked file whose file on disk is as the index recorded
    /// it (see [`stat_clean`]).
    clean: std::collections::HashMap<String, git2::Oid>,
}

/// Tracked paths below this many are looked at on the main thread (see
/// [`super::parallel::map`]).
const PARALLEL_FROM: usize = 1024;

/// The blob id of the empty file.
const EMPTY_BLOB: &str = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

/// Whether a tracked file is unchanged since the index recorded it, judged as git judges it
/// from the stat data the index keeps: the same kind (file or link), size, modification and
/// change times to the nanosecond and inode, and not "racily clean" (modified no earlier than
/// the index was written, when the same times could hide a change). Anything else is not
/// called clean, and the file is read and hashed: never a wrong id, at worst a read more.
#[cfg(unix)]
fn stat_clean(
    entry: &git2::IndexEntry,
    meta: &std::fs::Metadata,
    index_written: Option<(i64, i64)>,
) -> bool {
    use std::os::unix::fs::MetadataExt;
    const STAGE_MASK: u16 = 0x3000;
    const EXTENDED: u16 = 0x4000;
    let ft = meta.file_type();
    let kind = match entry.mode & 0o170000 {
        0o100000 => ft.is_file(),
        0o120000 => ft.is_symlink(),
        _ => false,
    };
    let Some(written) = index_written else {
        return false;
    };
    kind && entry.flags & (STAGE_MASK | EXTENDED) == 0
        && entry.file_size == meta.size() as u32
        && !(entry.file_size == 0 && entry.id.to_string() != EMPTY_BLOB)
        && entry.mtime.seconds() as i64 == meta.mtime()
        && entry.mtime.nanoseconds() as i64 == meta.mtime_nsec()
        && entry.ctime.seconds() as i64 == meta.ctime()
        && entry.ctime.nanoseconds() as i64 == meta.ctime_nsec()
        && entry.ino == meta.ino() as u32
        && (meta.mtime(), meta.mtime_nsec()) < written
}

#[cfg(not(unix))]
fn stat_clean(_: &git2::IndexEntry, _: &std::fs::Metadata, _: Option<(i64, i64)>) -> bool {
    false
}

impl Worktree {
    pub fn new(root: PathBuf, repo: Option<git2::Repository>, prefix: String) -> Self {
        Worktree {
            root,
            repo,
            prefix,
            tracked: OnceCell::new(),
            dirs: RefCell::default(),
            folders: RefCell::default(),
        }
    }

    pub fn repo(&self) -> Option<&git2::Repository> {
        self.repo.as_ref()
    }

    pub fn entry(&self, path: &str) -> Option<Entry> {
        if self.dirs.borrow().contains(path) {
            return Some(Entry::Dir);
        }
        let meta = std::fs::symlink_metadata(self.root.join(path)).ok()?;
        let ft = meta.file_type();
        if ft.is_dir() {
            self.dirs.borrow_mut().insert(path.to_string());
        }
        Some(if ft.is_symlink() {
            let target = std::fs::read_link(self.root.join(path)).ok()?;
            Entry::Symlink(target.to_string_lossy().into_owned())
        } else if ft.is_dir() {
            Entry::Dir
        } else if ft.is_file() {
            Entry::File
        } else {
            Entry::Other
        })
    }

    /// Reads a path already looked at (`entry`, from [`entry`](Self::entry)), at most `limit`
    /// bytes: path resolution has just looked, so the file is not looked at twice.
    pub fn read_entry(
        &self,
        path: &str,
        entry: Entry,
        limit: u64,
    ) -> Result<Option<Vec<u8>>, ReadError> {
        match entry {
            Entry::Dir => return Err(ReadError::IsDirectory(path.to_string())),
            Entry::File => {}
            _ => return Err(ReadError::Other(format!("`{path}` is not a regular file"))),
        }
        let file = open_no_follow(&self.root, path)
            .map_err(|e| ReadError::Other(format!("cannot open `{path}`: {e}")))?;
        // What was opened is what was looked at: a regular file. Anything swapped in between
        // (a pipe, a device) is refused rather than read.
        match file.metadata() {
            Ok(m) if m.is_file() => read_capped(file, m.len(), path, limit).map(Some),
            Ok(_) => Err(ReadError::Other(format!(
                "`{path}` changed while it was read: it is no longer a regular file"
            ))),
            Err(e) => Err(ReadError::Other(format!("cannot read `{path}`: {e}"))),
        }
    }

    /// The quick reader of plain paths (see [`PlainReader`]).
    pub fn plain_reader(&self) -> PlainReader {
        PlainReader {
            root: self.root.clone(),
        }
    }

    /// [`PlainReader::read`], with the folders of the last read kept here.
    pub fn read_plain(&self, path: &str, limit: u64) -> Option<Result<Vec<u8>, ReadError>> {
        let reader = self.plain_reader();
        reader.read(&mut self.folders.borrow_mut(), path, limit)
    }

    /// The index's blob id of every tracked file whose working copy is unchanged, judged from
    /// the stat data of the one pass over the index that lists the files ([`stat_clean`]):
    /// no second pass of the index against the working tree. Nothing, so every file is read
    /// and hashed, when libgit2 may not look at the working tree
    /// ([`unsafe_for_git`](Self::unsafe_for_git)): `None`.
    pub fn clean_blob_ids(&self) -> Option<&std::collections::HashMap<String, git2::Oid>> {
        match self.tracked() {
            Ok(t) if t.unsafe_for_git.is_none() => Some(&t.clean),
            _ => None,
        }
    }

    /// Tracked paths from the index that still exist, plus what the walker finds (untracked
    /// files that are not ignored; see [`super::walk`]).
    pub fn list(&self, limit: u64) -> Result<Vec<RepoFile>, String> {
        let empty = Tracked {
            files: Vec::new(),
            submodules: HashSet::new(),
            unsafe_for_git: None,
            clean: Default::default(),
        };
        let tracked = match &self.repo {
            Some(_) => self.tracked()?,
            None => &empty,
        };
        let mut files = tracked.files.clone();
        let git_dir = self.repo.as_ref().map(|r| r.path());
        // A folder of a larger work tree: the ignore files of the folders above it apply too,
        // from the work tree's root down (the walk is given both as real paths, so that one
        // is a prefix of the other).
        let top = match self.prefix.is_empty() {
            true => None,
            false => self
                .repo
                .as_ref()
                .and_then(|r| r.workdir())
                .and_then(|w| std::fs::canonicalize(w).ok())
                .zip(std::fs::canonicalize(&self.root).ok()),
        };
        // Tracked files are listed from the index; the walk adds what is untracked.
        let listed: HashSet<&str> = tracked.files.iter().map(|f| f.path.as_str()).collect();
        files.extend(match &top {
            Some((top, root)) => {
                let skip = tracked
                    .submodules
                    .iter()
                    .filter_map(|s| s.strip_prefix(&self.root).ok().map(|r| root.join(r)))
                    .collect();
                super::walk::walk(root, Some(top), git_dir, &skip, &listed, limit)
            }
            None => super::walk::walk(
                &self.root,
                None,
                git_dir,
                &tracked.submodules,
                &listed,
                limit,
            ),
        });
        Ok(files)
    }

    /// Whether libgit2 may look at the working tree (status, diffs against it): `None` when it
    /// may, else why not. On its way it reads every `.gitattributes` and `.gitignore`,
    /// following links and blocking on pipes, where git itself refuses links there, and it
    /// opens tracked files to hash them: a committed `.gitattributes -> /dev/stdin`, or a
    /// tracked path that is now a pipe, would make it wait forever. Then nothing is asked of
    /// libgit2 about the working tree.
    pub fn unsafe_for_git(&self) -> Option<String> {
        self.tracked().ok()?.unsafe_for_git.clone()
    }

    fn tracked(&self) -> Result<&Tracked, String> {
        self.tracked
            .get_or_init(|| self.scan())
            .as_ref()
            .map_err(Clone::clone)
    }

    fn scan(&self) -> Result<Tracked, String> {
        let mut out = Tracked {
            files: Vec::new(),
            submodules: HashSet::new(),
            unsafe_for_git: None,
            clean: Default::default(),
        };
        let Some(repo) = &self.repo else {
            return Ok(out);
        };
        let index = repo
            .index()
            .map_err(|e| format!("cannot read the git index: {}", e.message()))?;
        let index_written = index_time(repo);
        let mut dirs = BTreeSet::new();
        dirs.insert(String::new());
        // Every tracked path of the linted folder looked at, on every core for a large index.
        let prefix = self.prefix.as_bytes();
        let entries: Vec<git2::IndexEntry> = index
            .iter()
            .filter(|e| e.path.starts_with(prefix))
            .collect();
        let root = &self.root;
        let looked = super::parallel::map(
            &entries,
            PARALLEL_FROM,
            || (),
            |_, entry| {
                let path = String::from_utf8_lossy(&entry.path[prefix.len()..]).into_owned();
                let meta = std::fs::symlink_metadata(root.join(&path)).ok();
                (path, meta)
            },
        );
        for (entry, (path, meta)) in entries.into_iter().zip(looked) {
            let Some(meta) = meta else {
                continue; // deleted in the working tree
            };
            let kind = meta.file_type();
            if entry.mode == 0o160000 {
                out.submodules.insert(self.root.join(&path));
            } else if stat_clean(&entry, &meta, index_written) {
                out.clean.insert(path.clone(), entry.id);
            } else if !(kind.is_file() || kind.is_symlink() || kind.is_dir()) {
                out.unsafe_for_git.get_or_insert_with(|| {
                    format!("`{path}` is tracked, but is now neither a file nor a link")
                });
            }
            let mut dir = path.as_str();
            while let Some((parent, _)) = dir.rsplit_once('/') {
                if !dirs.insert(parent.to_string()) {
                    break;
                }
                dir = parent;
            }
            out.files.push(RepoFile {
                path,
                kind: super::git::kind_of_mode(entry.mode),
            });
        }
        // The folders above the linted one, up to the work tree's root, have attributes and
        // ignore files libgit2 reads too.
        let top = repo.workdir().map(std::path::Path::to_path_buf);
        let mut above = Vec::new();
        if let (false, Some(top)) = (self.prefix.is_empty(), &top) {
            let mut dir = String::new();
            above.push((top.clone(), String::new()));
            for part in self.prefix.trim_end_matches('/').split('/') {
                dir.push_str(part);
                if dir.len() + 1 < self.prefix.len() {
                    above.push((top.join(&dir), dir.clone()));
                }
                dir.push('/');
            }
        }
        let here = dirs.iter().map(|d| (self.root.join(d), d.clone()));
        for (base, dir) in above.into_iter().chain(here) {
            for name in [".gitattributes", ".gitignore"] {
                let rel = match dir.is_empty() {
                    true => name.to_string(),
                    false => format!("{dir}/{name}"),
                };
                let Ok(meta) = std::fs::symlink_metadata(base.join(name)) else {
                    continue;
                };
                if !meta.file_type().is_file() {
                    out.unsafe_for_git.get_or_insert_with(|| {
                        format!(
                            "`{rel}` is not a regular file (git does not read such files, and \
                             libgit2 would follow it)"
                        )
                    });
                }
            }
        }
        Ok(out)
    }
}

/// When the index file was last written, in seconds and nanoseconds.
#[cfg(unix)]
fn index_time(repo: &git2::Repository) -> Option<(i64, i64)> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(repo.path().join("index")).ok()?;
    Some((meta.mtime(), meta.mtime_nsec()))
}

#[cfg(not(unix))]
fn index_time(_: &git2::Repository) -> Option<(i64, i64)> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::open_no_follow;
    use std::io::Read;

    /// The quick reader gives the bytes of a plain file, keeps the folders of the last path
    /// open for the next, and leaves everything else (links anywhere on the path, folders,
    /// pipes, missing files) to resolution: `None`.
    #[test]
    fn plain_reads_only_what_has_no_link_on_the_way() {
        use super::{Folders, PlainReader, ReadError};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/one.txt"), "one").unwrap();
        std::fs::write(root.join("a/b/two.txt"), "two!").unwrap();
        std::fs::write(root.join("top.txt"), "top").unwrap();
        std::os::unix::fs::symlink("a", root.join("linked")).unwrap();
        std::os::unix::fs::symlink("top.txt", root.join("link.txt")).unwrap();
        let reader = PlainReader { root: root.clone() };
        let mut folders = Folders::default();
        let mut read = |p: &str, limit: u64| reader.read(&mut folders, p, limit);
        assert_eq!(read("a/b/one.txt", 100), Some(Ok(b"one".to_vec())));
        assert_eq!(read("a/b/two.txt", 100), Some(Ok(b"two!".to_vec())));
        assert_eq!(read("top.txt", 100), Some(Ok(b"top".to_vec())));
        assert_eq!(read("a/b/one.txt", 100), Some(Ok(b"one".to_vec())));
        assert_eq!(
            read("a/b/two.txt", 3),
            Some(Err(ReadError::TooLarge {
                path: "a/b/two.txt".into(),
                size: 4,
                limit: 3
            }))
        );
        for other in [
            "linked/b/one.txt",
            "link.txt",
            "a/b",
            "a/missing",
            "missing/x",
        ] {
            assert_eq!(read(other, 100), None, "{other}");
        }
        assert_eq!(read("a/b/one.txt", 100), Some(Ok(b"one".to_vec())));
    }

    /// What resolution looked at may have been swapped for a link since: the open refuses to
    /// follow it, in a folder on the way or at the file itself.
    #[test]
    fn opens_without_following_a_link_anywhere() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("repo"), dir.path().join("outside"));
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret"), "OUTSIDE").unwrap();
        std::fs::write(root.join("docs/a.md"), "inside").unwrap();
        let mut text = String::new();
        open_no_follow(&root, "docs/a.md")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "inside");
        std::os::unix::fs::symlink(outside.join("secret"), root.join("docs/b.md")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        assert!(open_no_follow(&root, "docs/b.md").is_err());
        assert!(open_no_follow(&root, "linked/secret").is_err());
        // A pipe opens at once (the caller refuses what is not a regular file).
        let fifo = std::ffi::CString::new(root.join("pipe").to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let f = open_no_follow(&root, "pipe").unwrap();
        assert!(!f.metadata().unwrap().is_file());
    }
}
