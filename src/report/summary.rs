//! The GitHub Actions job summary: the checklist (as `onboard status --format markdown`) and the
//! findings table, within the room GitHub leaves (1 MiB per step, less what the step's summary
//! file already holds). When the findings do not fit, the last rows (the least important: warn
//! after deny) are dropped and a note says how many.

use super::markdown::{heading, ordered, row, TABLE_HEAD};
use crate::outcome::Report;

/// GitHub's limit on a step's summary, in bytes.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

fn dropped_note(n: usize) -> String {
    format!(
        "\n_{n} more finding{} not shown: the job summary is limited to 1 MiB; run `onboard lint` for all of them._\n",
        if n == 1 { " is" } else { "s are" }
    )
}

/// The summary to append, at most `room` bytes; `None` when not even the checklist and the
/// heading fit.
pub fn compose(checklist: Option<&str>, report: &Report, room: usize) -> Option<String> {
    let mut head = String::new();
    if let Some(c) = checklist {
        head.push_str(c);
        head.push('\n');
    }
    head.push_str(&heading(report));
    let rows: Vec<String> = ordered(report).iter().map(|f| row(report, f)).collect();
    if rows.is_empty() {
        head.push_str("No findings.\n");
        return (head.len() <= room).then_some(head);
    }
    head.push_str(TABLE_HEAD);
    let mut out = head;
    let total: usize = out.len() + rows.iter().map(String::len).sum::<usize>();
    if total <= room {
        out.extend(rows);
        return Some(out);
    }
    // Keep as many rows as fit together with the note for the rest.
    let mut kept = 0;
    let mut used = out.len();
    for r in &rows {
        if used + r.len() + dropped_note(rows.len() - kept - 1).len() > room {
            break;
        }
        used += r.len();
        kept += 1;
    }
    out.extend(rows[..kept].iter().cloned());
    out.push_str(&dropped_note(rows.len() - kept));
    (out.len() <= room).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Gate, Item, Level};

    fn report(n: usize) -> Report {
        let info = crate::workspace::RepositoryInfo::plain_directory(".");
        let findings = (0..n)
            .map(|i| Finding {
                code: "OB109",
                rule: "unknown-manifest-key",
                item: Item::BasicReview,
                level: if i % 2 == 0 { Level::Warn } else { Level::Deny },
                message: format!("finding {i} | with a pipe\nand a second line"),
                help: None,
                location: None,
                labels: Vec::new(),
                waived: None,
            })
            .collect();
        Report::new(Gate::CiExtensions, &info, findings, vec!["OB109"])
    }

    #[test]
    fn everything_when_it_fits() {
        let r = report(3);
        let s = compose(Some("CHECKLIST\n"), &r, STEP_SUMMARY_LIMIT).unwrap();
        assert!(s.starts_with("CHECKLIST\n\n### onboard lint: gate ci-extensions"));
        assert_eq!(s.matches("\n| ").count(), 4, "header and three rows:\n{s}");
        assert!(s.contains("finding 0 \\| with a pipe<br>and a second line"));
        assert!(!s.contains("not shown"));
    }

    #[test]
    fn drops_the_last_rows_and_says_how_many() {
        let r = report(50_000);
        let s = compose(Some("CHECKLIST\n"), &r, STEP_SUMMARY_LIMIT).unwrap();
        assert!(s.len() <= STEP_SUMMARY_LIMIT, "{}", s.len());
        let rows = s
            .lines()
            .filter(|l| l.starts_with("| ❌") || l.starts_with("| ⚠️"))
            .count();
        assert!(rows > 1000 && rows < 50_000, "{rows}");
        assert!(
            s.contains(&format!(
                "_{} more findings are not shown: the job summary is limited to 1 MiB",
                50_000 - rows
            )),
            "{}",
            &s[s.len() - 300..]
        );
        // Deny rows come first: 25,000 of them do not fit, so every row kept is a deny row.
        assert!(!s.contains("| ⚠️"));
    }

    #[test]
    fn nothing_when_not_even_the_heading_fits() {
        assert!(compose(Some("CHECKLIST\n"), &report(3), 20).is_none());
    }
}
