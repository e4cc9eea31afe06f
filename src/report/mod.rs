//! Turning findings into output. Only this module knows about rendering.

pub mod checklist;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod policy;
pub mod rules_table;
pub mod sarif;
pub mod summary;

use crate::outcome::{Report, Summary};

/// "2 errors, 3 warnings, 1 waived".
pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
    if s.waived > 0 {
        parts.push(format!("{} waived", s.waived));
    }
    parts.join(", ")
}

/// The summary line's tail for `--changed-from`: "; 2 in files changed since main".
pub fn change_note(report: &Report) -> String {
    match &report.changes {
        Some(c) => format!(
            "; {} in files changed since {}",
            report.changed_count(),
            c.from
        ),
        None => String::new(),
    }
}
