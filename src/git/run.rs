//! The history of one run: what the linted commit's history holds, computed once per run and
//! the only place facts learn about tags, branches and commits.
//!
//! - the commits reachable from the linted commit ([`History`]);
//! - the tags of the run: for a `--rev` run, the tags whose commit (annotated tags peeled) is
//!   reachable from the linted commit, as `git tag --merged <rev>` lists them; a tag made on a
//!   later commit does not exist for that run. A working-tree run (and a bare repository read at
//!   its `HEAD`) sees every tag, as it always did: the working tree is the present;
//! - the default branch (its name, for CI triggers and where releases come from) and whether a
//!   commit is on it;
//! - branches: for a `--rev` run, a branch exists when its tip is reachable from the linted
//!   commit, or when it had already left the linted history by then (its oldest commit that
//!   the linted history lacks is no newer than the linted commit). A branch whose own commits
//!   are all newer than the linted commit was made later, as far as git can tell (git keeps no
//!   branch creation date; commit dates are what it has).
//!
//! Facts ask this value; none of them reads refs on its own (a test in `tests/layers.rs` keeps it
//! so).

use super::{Branch, DefaultBranch, History, Tag};
use crate::cache::Cache;
use git2::{Oid, Repository};
use std::cell::OnceCell;
use std::rc::Rc;

/// The history of one run.
pub struct RunHistory {
    /// The linted commit.
    pub linted: Oid,
    /// Whether refs are limited to the linted history (a `--rev` run).
    pub scoped: bool,
    /// Every commit reachable from the linted commit.
    pub commits: History,
    /// The tags of the run, sorted by name.
    pub tags: Vec<Tag>,
    /// Tags that mark no commit, with why (working-tree runs only: they are in no commit's
    /// history).
    pub not_commits: Vec<super::tags::NoCommit>,
    /// Tags left out of a `--rev` run: their commits are not in the linted history.
    pub later_tags: Vec<String>,
    /// Why tags could not be listed, when they could not.
    pub tags_problem: Option<String>,
    pub default_branch: Option<DefaultBranch>,
    branches: Vec<Branch>,
    on_default: OnceCell<Result<History, String>>,
    cache: Option<Rc<Cache>>,
}

impl RunHistory {
    /// Walks the history of `linted`; `scoped` limits tags and branches to it. Walks and
    /// peeled tags are read from `cache` when an earlier run kept them (see
    /// [`History::walk_cached`], [`super::tags::tags_cached`]).
    pub fn build(
        repo: &Repository,
        linted: Oid,
        scoped: bool,
        cache: Option<Rc<Cache>>,
    ) -> Result<RunHistory, String> {
        let commits = History::walk_cached(repo, linted, cache.as_deref())?;
        let (mut tags, mut not_commits, tags_problem) =
            match super::tags::tags_cached(repo, cache.as_deref()) {
                Ok((t, n)) => (t, n, None),
                Err(e) => (Vec::new(), Vec::new(), Some(e)),
            };
        let mut later_tags = Vec::new();
        if scoped {
            tags.retain(|t| {
                let keep = commits.contains(t.commit);
                if !keep {
                    later_tags.push(t.name.clone());
                }
                keep
            });
            not_commits.clear();
        }
        let branches = super::branches(repo).unwrap_or_default();
        Ok(RunHistory {
            linted,
            scoped,
            default_branch: super::default_branch(repo),
            commits,
            tags,
            not_commits,
            later_tags,
            tags_problem,
            branches,
            on_default: OnceCell::new(),
            cache,
        })
    }

    /// The run's tag of that name.
    pub fn tag(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// Whether a branch of that name (local, or remote-tracking without the remote) exists
    /// for the run. In a `--rev` run only the branches asked about are walked, and only over
    /// their own commits.
    pub fn has_branch(&self, repo: &Repository, name: &str) -> bool {
        self.branches
            .iter()
            .filter(|b| b.name == name || b.short() == name)
            .any(|b| !self.scoped || self.branch_in_run(repo, b.tip))
    }

    /// Whether `commit` is on the default branch (in its tip's history); `Err` when that
    /// history could not be read. With no default branch, nothing is on it.
    pub fn on_default_branch(&self, repo: &Repository, commit: Oid) -> Result<bool, &str> {
        let Some(d) = &self.default_branch else {
            return Ok(false);
        };
        if d.tip == self.linted {
            return Ok(self.commits.contains(commit));
        }
        self.on_default
            .get_or_init(|| History::walk_cached(repo, d.tip, self.cache.as_deref()))
            .as_ref()
            .map(|h| h.contains(commit))
            .map_err(String::as_str)
    }

    /// A commit named by a full or abbreviated sha (at least 7 hex digits), or a tag of the
    /// run. Branch names and revision expressions are not read: they move.
    pub fn resolve(&self, repo: &Repository, reference: &str) -> Option<Oid> {
        let reference = reference.trim();
        if let Some(t) = self.tag(reference) {
            return Some(t.commit);
        }
        let sha =
            (7..=40).contains(&reference.len()) && reference.bytes().all(|b| b.is_ascii_hexdigit());
        if !sha {
            return None;
        }
        let object = repo.revparse_single(reference).ok()?;
        object.peel_to_commit().ok().map(|c| c.id())
    }

    /// Whether a branch whose tip is `tip` exists for a scoped run (see the module docs).
    fn branch_in_run(&self, repo: &Repository, tip: Oid) -> bool {
        if self.commits.contains(tip) {
            return true;
        }
        let Some(linted_time) = self.commits.time_of(self.linted) else {
            return false;
        };
        // The branch's own commits: walked back from its tip until the linted history.
        let mut seen = std::collections::HashSet::from([tip]);
        let mut todo = vec![tip];
        let mut oldest: Option<i64> = None;
        while let Some(id) = todo.pop() {
            let Ok(c) = repo.find_commit(id) else {
                continue;
            };
            let t = c.time().seconds();
            oldest = Some(oldest.map_or(t, |o| o.min(t)));
            for p in c.parent_ids() {
                if !self.commits.contains(p) && seen.insert(p) {
                    todo.push(p);
                }
            }
        }
        oldest.is_some_and(|t| t <= linted_time)
    }
}
