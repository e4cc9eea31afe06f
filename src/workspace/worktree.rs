//! The working tree on disk.

use super::{Entry, FileKind, ReadError, RepoFile};
use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;

pub struct Worktree {
    root: PathBuf,
    repo: Option<git2::Repository>,
    /// Directories already seen to be real directories: path resolution looks at every
    /// component of every path it reads, and most share a few parent directories.
    dirs: RefCell<HashSet<String>>,
}

impl Worktree {
    pub fn new(root: PathBuf, repo: Option<git2::Repository>) -> Self {
        Worktree {
            root,
            repo,
            dirs: RefCell::default(),
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
    /// bytes.
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
        let file = std::fs::File::open(self.root.join(path))
            .map_err(|e| ReadError::Other(format!("cannot open `{path}`: {e}")))?;
        let mut bytes = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Other(format!("cannot read `{path}`: {e}")))?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                path: path.to_string(),
                limit,
            });
        }
        Ok(Some(bytes))
    }

    /// The index's blob id of every tracked file whose working copy git finds unchanged.
    pub fn clean_blob_ids(&self) -> std::collections::HashMap<String, git2::Oid> {
        let mut out = std::collections::HashMap::new();
        let Some(repo) = &self.repo else {
            return out;
        };
        let Ok(index) = repo.index() else {
            return out;
        };
        for entry in index.iter() {
            let mode = entry.mode;
            if mode == 0o160000 {
                continue;
            }
            out.insert(String::from_utf8_lossy(&entry.path).into_owned(), entry.id);
        }
        let mut opts = git2::StatusOptions::new();
        opts.show(git2::StatusShow::Workdir)
            .include_untracked(false)
            .include_ignored(false)
            .exclude_submodules(true);
        match repo.statuses(Some(&mut opts)) {
            Ok(statuses) => {
                for s in statuses.iter() {
                    if s.status() != git2::Status::CURRENT {
                        if let Some(p) = s.path() {
                            out.remove(p);
                        }
                    }
                }
            }
            // Nothing can be trusted: every file gets hashed.
            Err(_) => out.clear(),
        }
        out
    }

    /// Tracked paths from the index that still exist, plus what the walker finds (untracked
    /// files that are not ignored).
    pub fn list(&self) -> Result<Vec<RepoFile>, String> {
        let walked = self.walk();
        let mut files = Vec::new();
        if let Some(repo) = &self.repo {
            let index = repo
                .index()
                .map_err(|e| format!("cannot read the git index: {}", e.message()))?;
            let on_disk: HashSet<&str> = walked.iter().map(|f| f.path.as_str()).collect();
            for entry in index.iter() {
                let path = String::from_utf8_lossy(&entry.path).into_owned();
                // The walk saw most tracked files; others are ignored yet tracked, or deleted.
                if !on_disk.contains(path.as_str())
                    && std::fs::symlink_metadata(self.root.join(&path)).is_err()
                {
                    continue; // deleted in the working tree
                }
                files.push(RepoFile {
                    path,
                    kind: super::git::kind_of_mode(entry.mode),
                });
            }
        }
        files.extend(walked);
        Ok(files)
    }

    /// Every file and link on disk, outside `.git`, that git would not ignore.
    fn walk(&self) -> Vec<RepoFile> {
        let mut files = Vec::new();
        let walker = ignore::WalkBuilder::new(&self.root)
            .hidden(false)
            .parents(false)
            .git_global(false)
            // `.ignore` files are not git's: they may not hide what would be committed.
            .ignore(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            let Ok(entry) = entry else { continue };
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let path = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let kind = if ft.is_symlink() {
                FileKind::Symlink
            } else {
                FileKind::File
            };
            files.push(RepoFile { path, kind });
        }
        files
    }
}
