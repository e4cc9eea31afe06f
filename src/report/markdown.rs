//! Markdown for a pull-request comment: a summary line and a findings table, most important
//! first (deny before warn; within a level, files changed since `--changed-from` first), and
//! the waived findings folded away.

use super::json::location;
use super::{change_note, summary_line};
use crate::finding::{Finding, Level};
use crate::outcome::Report;

/// Text made safe for one table cell: `|` escaped, line breaks as `<br>`.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// Active findings in the order a reader should see them.
pub fn ordered(report: &Report) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = report.active().collect();
    // Stable: report order (changed files first, then file and position) within each level.
    out.sort_by_key(|f| std::cmp::Reverse(f.level));
    out
}

/// "### onboard lint: gate …" and the summary line.
pub fn heading(report: &Report) -> String {
    if report.config_errors {
        return format!(
            "### onboard lint: gate {}\n\n**{} configuration problem{} stopped the run**\n\n",
            report.gate,
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" }
        );
    }
    format!(
        "### onboard lint: gate {}\n\n**{}** ({} rules ran{})\n\n",
        report.gate,
        summary_line(&report.summary()),
        report.rules_run.len(),
        change_note(report)
    )
}

pub const TABLE_HEAD: &str =
    "| level | rule | item | location | message |\n|---|---|---|---|---|\n";

/// One table row.
pub fn row(report: &Report, f: &Finding) -> String {
    let level = match f.level {
        Level::Deny => "❌ deny",
        Level::Warn => "⚠️ warn",
        Level::Allow => "allow",
    };
    let place = match &f.location {
        Some(l) => {
            let loc = location(l);
            format!("`{}:{}:{}`", loc.path, loc.line, loc.column)
        }
        None => "repository".to_string(),
    };
    let changed = if report.in_change(f) == Some(true) {
        " (changed)"
    } else {
        ""
    };
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "| {level} | {} `{}` | {} | {}{changed} | {} |\n",
        f.code,
        f.rule,
        f.item,
        cell(&place),
        cell(&message)
    )
}

fn waived_section(report: &Report) -> String {
    let waived: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.waived.is_some())
        .collect();
    if waived.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n<details><summary>{} waived</summary>\n\n| rule | location | reason |\n|---|---|---|\n",
        waived.len()
    );
    for f in waived {
        let w = f.waived.as_ref().expect("waived");
        let place = f.location.as_ref().map_or("repository".to_string(), |l| {
            let loc = location(l);
            format!("`{}:{}`", loc.path, loc.line)
        });
        out.push_str(&format!(
            "| {} `{}` | {} | {} |\n",
            f.code,
            f.rule,
            cell(&place),
            cell(&w.reason)
        ));
    }
    out.push_str("\n</details>\n");
    out
}

/// The whole report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = heading(report);
    let rows = ordered(report);
    if rows.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str(TABLE_HEAD);
        for f in rows {
            out.push_str(&row(report, f));
        }
    }
    out.push_str(&waived_section(report));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_line_breaks() {
        assert_eq!(cell("a|b\nc\r\nd\re"), "a\\|b<br>c<br>d<br>e");
    }
}
