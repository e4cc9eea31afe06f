//! The working tree on disk.

use super::{Entry, FileKind, ReadError, RepoFile};
use std::io::Read;
use std::path::PathBuf;

pub struct Worktree {
    root: PathBuf,
    repo: Option<git2::Repository>,
}

impl Worktree {
    pub fn new(root: PathBuf, repo: Option<git2::Repository>) -> Self {
        Worktree { root, repo }
    }

    pub fn repo(&self) -> Option<&git2::Repository> {
        self.repo.as_ref()
    }

    pub fn entry(&self, path: &str) -> Option<Entry> {
        let meta = std::fs::symlink_metadata(self.root.join(path)).ok()?;
        let ft = meta.file_type();
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

    pub fn read(&self, path: &str, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
        match self.entry(path) {
            None => return Ok(None),
            Some(Entry::Dir) => return Err(ReadError::IsDirectory(path.to_string())),
            Some(Entry::File) => {}
            Some(_) => return Err(ReadError::Other(format!("`{path}` is not a regular file"))),
        }
        let file = std::fs::File::open(self.root.join(path))
            .map_err(|e| ReadError::Other(format!("cannot open `{path}`: {e}")))?;
        let too_large = |size: u64| ReadError::TooLarge {
            path: path.to_string(),
            size,
            limit,
        };
        // The size on disk first, so a huge file is refused without reading it; the read is
        // capped all the same, as the file may grow in between.
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
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
        let mut files = Vec::new();
        // Submodules are listed once, from the index; their checkouts are other repositories.
        let mut submodules = std::collections::HashSet::new();
        if let Some(repo) = &self.repo {
            let index = repo
                .index()
                .map_err(|e| format!("cannot read the git index: {}", e.message()))?;
            for entry in index.iter() {
                let path = String::from_utf8_lossy(&entry.path).into_owned();
                if std::fs::symlink_metadata(self.root.join(&path)).is_err() {
                    continue; // deleted in the working tree
                }
                if entry.mode == 0o160000 {
                    submodules.insert(self.root.join(&path));
                }
                files.push(RepoFile {
                    path,
                    kind: super::git::kind_of_mode(entry.mode),
                });
            }
        }
        let walker = ignore::WalkBuilder::new(&self.root)
            .hidden(false)
            .parents(false)
            .git_global(false)
            // `.ignore` files are not git's: they may not hide what would be committed.
            .ignore(false)
            .require_git(false)
            .follow_links(false)
            // Nor does it walk into another repository: a submodule's checkout, or a clone
            // inside this one, as git itself does not.
            .filter_entry(move |e| {
                let nested = e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && (submodules.contains(e.path())
                        || std::fs::symlink_metadata(e.path().join(".git")).is_ok());
                e.file_name() != ".git" && !nested
            })
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
        Ok(files)
    }
}
