//! The versioned JSON report, documented by `schemas/report.schema.json`.

use crate::finding::{Finding, Gate, Item, Level, Location};
use crate::outcome::{Report, Summary};
use crate::source::Span;
use schemars::JsonSchema;
use serde::Serialize;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, JsonSchema)]
#[schemars(title = "onboard report")]
pub struct JsonReport {
    /// Version of this format.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    pub tool: Tool,
    pub gate: Gate,
    pub target: Target,
    /// With `--changed-from`: what was compared; `null` otherwise.
    pub changes: Option<crate::workspace::Changes>,
    pub findings: Vec<JsonFinding>,
    pub summary: Summary,
    /// Codes of the rules that ran.
    pub rules_run: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn this() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct Target {
    pub root: String,
    pub rev: Option<String>,
    pub commit: Option<String>,
}

impl Target {
    pub fn of(repository: &crate::workspace::RepositoryInfo) -> Target {
        Target {
            root: repository.root.clone(),
            rev: repository.rev.clone(),
            commit: repository.commit.clone(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct JsonFinding {
    pub code: String,
    pub rule: String,
    pub level: Level,
    pub item: Item,
    pub message: String,
    pub help: Option<String>,
    /// `null` when the finding concerns the repository as a whole.
    pub location: Option<JsonLocation>,
    pub labels: Vec<JsonLabel>,
    /// Set when a waiver in `.onboarding.yml` silenced the finding.
    pub waived: Option<JsonWaived>,
    /// With `--changed-from`: whether the finding's file changed (findings about the whole
    /// repository never are); `null` without it.
    pub in_change: Option<bool>,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonLocation {
    /// Repository-relative path, `/`-separated.
    pub path: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range in the file.
    pub span: Span,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonLabel {
    pub location: JsonLocation,
    pub message: String,
}

#[derive(Serialize, JsonSchema)]
pub struct JsonWaived {
    pub reason: String,
    pub location: JsonLocation,
}

pub fn location(l: &Location) -> JsonLocation {
    let (line, column) = l.file.line_col(l.span.offset);
    let (end_line, end_column) = l.file.line_col(l.span.end());
    JsonLocation {
        path: l.file.path.clone(),
        line,
        column,
        end_line,
        end_column,
        span: l.span,
    }
}

pub fn finding(f: &Finding, in_change: Option<bool>) -> JsonFinding {
    JsonFinding {
        code: f.code.to_string(),
        rule: f.rule.to_string(),
        level: f.level,
        item: f.item,
        message: f.message.clone(),
        help: f.help.clone(),
        location: f.location.as_ref().map(location),
        labels: f
            .labels
            .iter()
            .map(|l| JsonLabel {
                location: location(&l.location),
                message: l.message.clone(),
            })
            .collect(),
        waived: f.waived.as_ref().map(|w| JsonWaived {
            reason: w.reason.clone(),
            location: location(&w.location),
        }),
        in_change,
    }
}

pub fn build(report: &Report) -> JsonReport {
    JsonReport {
        version: FORMAT_VERSION,
        tool: Tool::this(),
        gate: report.gate,
        target: Target::of(&report.repository),
        changes: report.changes.clone(),
        findings: report
            .findings
            .iter()
            .map(|f| finding(f, report.in_change(f)))
            .collect(),
        summary: report.summary(),
        rules_run: report.rules_run.iter().map(|c| c.to_string()).collect(),
    }
}

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&build(report)).expect("report serialises");
    s.push('\n');
    s
}
