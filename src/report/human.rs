//! miette's graphical diagnostics, then a one-line summary.

use super::{change_note, summary_line, Report};
use crate::finding::{Finding, Level, Location};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceSpan,
};
use std::fmt;

/// How to draw: colour or not, and how wide.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
    pub width: usize,
}

impl Style {
    /// Colour only on a terminal and never with `NO_COLOR`; the terminal's width, else 100.
    pub fn detect() -> Style {
        use std::io::IsTerminal;
        let tty = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let width = if tty {
            terminal_size::terminal_size().map_or(100, |(w, _)| w.0 as usize)
        } else {
            100
        };
        Style {
            colour: tty && !no_color,
            width,
        }
    }

    pub fn plain() -> Style {
        Style {
            colour: false,
            width: 100,
        }
    }
}

struct Diag {
    code: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Diag>,
}

impl fmt::Debug for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|d| d as &dyn Diagnostic))
                as Box<dyn Iterator<Item = &dyn Diagnostic>>
        })
    }
}

fn source_span(l: &Location) -> SourceSpan {
    SourceSpan::new(l.span.offset.into(), l.span.length)
}

fn diag(f: &Finding, changed: bool) -> Diag {
    let severity = match f.level {
        Level::Deny => Severity::Error,
        Level::Warn => Severity::Warning,
        Level::Allow => Severity::Advice,
    };
    let mut labels = Vec::new();
    let mut related = Vec::new();
    let source = f.location.as_ref().map(|l| {
        labels.push(LabeledSpan::new_primary_with_span(None, source_span(l)));
        NamedSource::new(&l.file.path, l.file.text.to_string())
            .with_language(language(&l.file.path))
    });
    for label in &f.labels {
        let same_file = f
            .location
            .as_ref()
            .is_some_and(|l| l.file.path == label.location.file.path);
        if same_file {
            labels.push(LabeledSpan::new_with_span(
                Some(label.message.clone()),
                source_span(&label.location),
            ));
        } else {
            related.push(Diag {
                code: String::new(),
                message: label.message.clone(),
                severity: Severity::Advice,
                help: None,
                source: Some(NamedSource::new(
                    &label.location.file.path,
                    label.location.file.text.to_string(),
                )),
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    source_span(&label.location),
                )],
                related: Vec::new(),
            });
        }
    }
    let message = match &f.location {
        Some(_) => f.message.clone(),
        None => format!("{} (repository)", f.message),
    };
    Diag {
        code: format!(
            "{} {} [{}]{}",
            f.code,
            f.rule,
            f.item,
            if changed { " (changed)" } else { "" }
        ),
        message,
        severity,
        help: f.help.clone(),
        source,
        labels,
        related,
    }
}

fn language(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("json") => "json",
        Some("yml") | Some("yaml") => "yaml",
        _ => "text",
    }
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(style.width)
}

/// Renders one finding; `changed`: its file changed since `--changed-from`.
pub fn render_finding(f: &Finding, changed: bool, style: Style) -> String {
    let mut out = String::new();
    if handler(style)
        .render_report(&mut out, &diag(f, changed))
        .is_err()
    {
        out = format!("{}: {}\n", f.code, f.message);
    }
    out
}

/// Renders the whole report: each finding not waived, then the summary line.
pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    for f in report.active() {
        out.push_str(&render_finding(f, report.in_change(f) == Some(true), style));
        out.push('\n');
    }
    let summary = report.summary();
    if report.config_errors {
        out.push_str(&format!(
            "onboard: {} configuration problem{} stopped the run (gate {})\n",
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" },
            report.gate
        ));
    } else {
        out.push_str(&format!(
            "gate {}: {} ({} rules ran){}\n",
            report.gate,
            summary_line(&summary),
            report.rules_run.len(),
            change_note(report)
        ));
    }
    out
}
