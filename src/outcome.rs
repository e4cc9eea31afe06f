//! The outcome of a run: the findings of one gate, what the rules noted, and the exit code they
//! amount to. Rendering it is `report`'s business.

use crate::finding::{Finding, Gate, Level};
use crate::workspace::{Changes, RepositoryInfo};
use schemars::JsonSchema;
use serde::Serialize;

/// The outcome of a run.
pub struct Report {
    pub gate: Gate,
    pub repository: RepositoryInfo,
    pub findings: Vec<Finding>,
    pub rules_run: Vec<&'static str>,
    /// Evidence and "could not judge" notes of the rules that ran, in rule order.
    pub notes: Vec<crate::rules::Note>,
    /// Configuration problems stopped the run: exit 2.
    pub config_errors: bool,
    /// With `--changed-from`: the files changed, to mark and order findings by.
    pub changes: Option<Changes>,
    /// The linted root relative to the git work tree's root (`""`, or `plugins/foo/`): every
    /// path in the report carries it (see [`Report::relocated`]).
    pub prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Summary {
    /// Findings at `deny` level, not waived.
    pub errors: usize,
    /// Findings at `warn` level, not waived.
    pub warnings: usize,
    /// Findings silenced by a waiver.
    pub waived: usize,
    /// 0: nothing at deny level; 1: deny-level findings; 2: configuration error.
    pub exit_code: i32,
}

impl Report {
    pub fn new(
        gate: Gate,
        repository: &RepositoryInfo,
        findings: Vec<Finding>,
        rules_run: Vec<&'static str>,
    ) -> Report {
        Report {
            gate,
            repository: repository.clone(),
            findings,
            rules_run,
            notes: Vec::new(),
            config_errors: false,
            changes: None,
            prefix: String::new(),
        }
    }

    pub fn config_errors(
        gate: Gate,
        repository: &RepositoryInfo,
        findings: Vec<Finding>,
    ) -> Report {
        Report {
            gate,
            repository: repository.clone(),
            findings,
            rules_run: Vec::new(),
            notes: Vec::new(),
            config_errors: true,
            changes: None,
            prefix: String::new(),
        }
    }

    /// Marks findings in changed files and moves them first, keeping the order otherwise.
    pub fn with_changes(mut self, changes: Changes) -> Report {
        let in_change = |f: &Finding| f.path().is_some_and(|p| changes.contains(p));
        self.findings.sort_by_key(|f| !in_change(f));
        self.changes = Some(changes);
        self
    }

    /// `None` without `--changed-from`; else whether the finding's file changed.
    pub fn in_change(&self, f: &Finding) -> Option<bool> {
        self.changes.as_ref().map(|c| {
            f.path()
                .and_then(|p| p.strip_prefix(self.prefix.as_str()))
                .is_some_and(|p| c.contains(p))
        })
    }

    /// Puts `prefix` (the linted root relative to the git root, `plugins/foo/`) before every
    /// path of the findings, their labels, waivers and notes, so that every format names files
    /// as the repository does: an annotation lands on the right file when the plugin lives in
    /// a subdirectory.
    pub fn relocated(mut self, prefix: &str) -> Report {
        if prefix.is_empty() {
            return self;
        }
        // A path that climbs out of the folder (a workflow of the repository root,
        // `../../.github/workflows/ci.yml`) is named as the repository names it.
        let move_to = |l: &mut crate::finding::Location| {
            l.file.path = crate::workspace::paths::join(prefix, &l.file.path)
                .unwrap_or_else(|_| format!("{prefix}{}", l.file.path));
        };
        for f in &mut self.findings {
            f.location.iter_mut().for_each(move_to);
            f.labels.iter_mut().for_each(|l| move_to(&mut l.location));
            f.waived.iter_mut().for_each(|w| move_to(&mut w.location));
        }
        for n in &mut self.notes {
            n.location.iter_mut().for_each(move_to);
        }
        self.prefix = prefix.to_string();
        self
    }

    /// `lint --hook` (pre-commit): findings of rules that a commit cannot fix (a stale review,
    /// a missing tag, a build address CI has not published yet) are lowered from deny to warn,
    /// so that only what the commit can change fails it. Returns how many were lowered.
    pub fn for_hook(&mut self) -> usize {
        let mut lowered = 0;
        for f in &mut self.findings {
            let by_commit = crate::rules::find(f.code).is_none_or(|r| r.fix.by_commit());
            if !by_commit && f.level == Level::Deny {
                f.level = Level::Warn;
                lowered += 1;
            }
        }
        lowered
    }

    /// Active findings in changed files.
    pub fn changed_count(&self) -> usize {
        self.active()
            .filter(|f| self.in_change(f) == Some(true))
            .count()
    }

    /// Findings a reader should see: not waived.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.waived.is_none())
    }

    pub fn summary(&self) -> Summary {
        let count = |level| self.active().filter(|f| f.level == level).count();
        let errors = count(Level::Deny);
        Summary {
            errors,
            warnings: count(Level::Warn),
            waived: self.findings.len() - self.active().count(),
            exit_code: if self.config_errors {
                2
            } else if errors > 0 {
                1
            } else {
                0
            },
        }
    }

    pub fn exit_code(&self) -> i32 {
        self.summary().exit_code
    }
}
