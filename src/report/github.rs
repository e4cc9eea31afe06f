//! GitHub Actions workflow commands: one annotation per finding, within GitHub's limits.
//!
//! GitHub shows at most 10 annotations of each level per step and silently drops the rest, so
//! errors go first, then warnings, each in report order (which puts findings in files changed
//! since `--changed-from` first), and when some are held back one notice says how many.

use super::json::location;
use super::{change_note, summary_line};
use crate::finding::{Finding, Level};
use crate::outcome::Report;

/// Annotations GitHub shows per level and step.
pub const PER_LEVEL_LIMIT: usize = 10;

/// Escapes the message part of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=…`, `title=…`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(f: &Finding) -> String {
    let kind = if f.level == Level::Deny {
        "error"
    } else {
        "warning"
    };
    let mut props = Vec::new();
    if let Some(l) = &f.location {
        let loc = location(l);
        props.push(format!("file={}", escape_property(&loc.path)));
        props.push(format!("line={}", loc.line));
        props.push(format!("col={}", loc.column));
        props.push(format!("endLine={}", loc.end_line));
        props.push(format!("endColumn={}", loc.end_column));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}", f.code, f.rule))
    ));
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{kind} {}::{}\n", props.join(","), escape_data(&message))
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mut held_back = 0;
    for level in [Level::Deny, Level::Warn] {
        let of_level: Vec<&Finding> = report.active().filter(|f| f.level == level).collect();
        for f in of_level.iter().take(PER_LEVEL_LIMIT) {
            out.push_str(&command(f));
        }
        held_back += of_level.len().saturating_sub(PER_LEVEL_LIMIT);
    }
    if held_back > 0 {
        out.push_str(&format!(
            "::notice title=onboard::{}\n",
            escape_data(&format!(
                "{held_back} more finding{} not shown as annotations (GitHub shows {PER_LEVEL_LIMIT} per level); run `onboard lint` for all of them",
                if held_back == 1 { " is" } else { "s are" }
            ))
        ));
    }
    out.push_str(&format!(
        "onboard: gate {}: {}{}\n",
        report.gate,
        summary_line(&report.summary()),
        change_note(report)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50%\r\ndone: a,b"), "50%25%0D%0Adone: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    fn finding(level: Level, n: usize) -> Finding {
        Finding {
            code: "OB103",
            rule: "invalid-plugin-id",
            item: crate::finding::Item::BasicReview,
            level,
            message: format!("finding {n}"),
            help: None,
            location: None,
            labels: Vec::new(),
            waived: None,
        }
    }

    #[test]
    fn errors_first_at_most_ten_per_level_and_one_notice_for_the_rest() {
        let mut findings: Vec<Finding> = (0..3).map(|n| finding(Level::Warn, n)).collect();
        findings.extend((0..12).map(|n| finding(Level::Deny, n)));
        let info = crate::workspace::RepositoryInfo::plain_directory(".");
        let report = Report::new(
            crate::finding::Gate::CiExtensions,
            &info,
            findings,
            Vec::new(),
        );
        let out = render(&report);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            10
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::warning ")).count(),
            3
        );
        assert!(
            lines[..10].iter().all(|l| l.starts_with("::error ")),
            "errors come first"
        );
        assert!(
            lines[13].starts_with("::notice ")
                && lines[13].contains("2 more findings are not shown"),
            "{}",
            lines[13]
        );
        assert_eq!(
            lines[14],
            "onboard: gate ci-extensions: 12 errors, 3 warnings"
        );
    }
}
