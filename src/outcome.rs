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
        self.changes
            .as_ref()
            .map(|c| f.path().is_some_and(|p| c.contains(p)))
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
