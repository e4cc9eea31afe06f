//! The board as a Markdown table, for an issue or a wiki page.

use super::{Board, GATES};
use crate::report::markdown::cell;

/// The symbol of an item state: readable without colour.
pub fn symbol(state: &str) -> &'static str {
    match state {
        "pass" => "✓",
        "fail" => "✗",
        "waived" => "~",
        _ => "?",
    }
}

pub fn render(board: &Board) -> String {
    let mut out = format!(
        "## Onboarding board\n\n{} plugins; generated {} by onboard {}. \
         Items: ✓ pass, ✗ fail, ~ waived, ? unknown.\n\n",
        board.plugins.len(),
        board.generated,
        board.onboard_version
    );
    out.push_str("| plugin | id | owner | latest release | highest gate |");
    for g in GATES {
        out.push_str(&format!(" {g} |"));
    }
    out.push_str(" blocked on |\n|---|---|---|---|---|");
    out.push_str(&"---|".repeat(GATES.len()));
    out.push_str("---|\n");
    for p in &board.plugins {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |",
            cell(&p.name),
            cell(p.id.as_deref().unwrap_or("")),
            cell(p.owner.as_deref().unwrap_or("")),
            cell(
                &p.latest_release
                    .as_ref()
                    .map(|r| format!("{} ({})", r.tag, r.date))
                    .unwrap_or_default()
            ),
            p.highest_passed
        ));
        for g in &p.gates {
            let items: Vec<String> = g
                .items
                .iter()
                .map(|i| format!("{}{}", symbol(&i.state), cell(&i.id)))
                .collect();
            out.push_str(&format!(" {} |", items.join(" ")));
        }
        out.push_str(&format!(" {} |\n", p.blocked_on.join(", ")));
    }
    if !board.skipped.is_empty() {
        out.push_str("\nSkipped:\n\n");
        for s in &board.skipped {
            out.push_str(&format!(
                "- {}: {}\n",
                crate::report::escape::markdown(&s.input),
                crate::report::escape::markdown(&s.reason)
            ));
        }
    }
    out
}
