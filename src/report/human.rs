//! miette's graphical diagnostics, then a one-line summary.

use super::{change_note, escape, summary_line};
use crate::finding::{Finding, Level, Location};
use crate::outcome::Report;
use crate::source::{ceil_char_boundary, floor_char_boundary, SourceFile};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, NamedSource, Severity, SourceSpan, SpanContents,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

/// How to draw: colour or not, and how wide.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub colour: bool,
    pub width: usize,
}

/// When to colour: `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colour {
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour, by these conventions, first that applies wins: `--color always|never`;
/// `NO_COLOR` set and not empty turns colour off (no-color.org); `FORCE_COLOR` set and not
/// empty (force-color.org), or `CLICOLOR_FORCE` set and not `0` (bixense.com/clicolors),
/// turns it on; `TERM=dumb` turns it off; else colour exactly when the output is a terminal.
/// `var` reads the environment (a parameter, so that tests need not change it).
pub fn colour_wanted(
    choice: Colour,
    var: &dyn Fn(&str) -> Option<std::ffi::OsString>,
    terminal: bool,
) -> bool {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    match choice {
        Colour::Always => return true,
        Colour::Never => return false,
        Colour::Auto => {}
    }
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("FORCE_COLOR").is_some() || set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if set("TERM").is_some_and(|v| v == "dumb") {
        return false;
    }
    terminal
}

impl Style {
    /// For standard output: colour by `choice` and the environment (see [`colour_wanted`]);
    /// the terminal's width, else 100.
    pub fn detect(choice: Colour) -> Style {
        use std::io::IsTerminal;
        let tty = std::io::stdout().is_terminal();
        let width = if tty {
            terminal_size::terminal_size().map_or(100, |(w, _)| w.0 as usize)
        } else {
            100
        };
        Style {
            colour: colour_wanted(choice, &|name| std::env::var_os(name), tty),
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

/// Files up to this size are handed to miette as they are. Larger ones go through [`Snippet`],
/// whose cost per finding does not grow with the file.
const SMALL_FILE: usize = 16 * 1024;
/// On a long line, bytes shown on either side of the span.
const WINDOW: usize = 120;
/// Context farther than this from the span, on its line or the lines around it, is cut.
const FAR: usize = 400;
/// A span longer than this is underlined on its first line only, within [`WINDOW`].
const LONG_SPAN: usize = 4096;

/// A large file's text for miette, read through its line index: a snippet costs the lines it
/// shows, not the bytes before it, and a long line (minified JSON) shows a window around the
/// span rather than megabytes, which miette could not even lay out.
struct Snippet(SourceFile);

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = &self.0.text;
        let index = self.0.index();
        if span.offset() > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let start = floor_char_boundary(text, span.offset());
        let end = ceil_char_boundary(text, span.offset() + span.len()).max(start);
        let first = index.line_of(start);
        let last = index.line_of(if end > start { end - 1 } else { end });
        let mut from = match before {
            0 => start,
            n => index.line_start(first.saturating_sub(n), text),
        };
        let mut to = index.line_start(last + after + 1, text);
        // Context lines that are long are left out; a long line of the span is windowed.
        if start - from > FAR {
            let line_start = index.line_start(first, text);
            from = match start - line_start > FAR {
                true => floor_char_boundary(text, start - WINDOW),
                false => line_start,
            };
        }
        if to - end > FAR {
            let line_end = index.line_start(last + 1, text);
            to = match line_end - end > FAR {
                true => ceil_char_boundary(text, end + WINDOW),
                false => line_end,
            };
        }
        let line = index.line_of(from);
        let column = from - index.line_start(line, text);
        let line_count = index.line_of(to.saturating_sub(1).max(from)) - line + 1;
        Ok(Box::new(MietteSpanContents::new(
            &text.as_bytes()[from..to],
            SourceSpan::new(from.into(), to - from),
            line,
            column,
            line_count,
        )))
    }
}

/// A file as miette reads it: small files directly, large ones through [`Snippet`].
enum Text {
    Small(String),
    Large(Snippet),
}

impl miette::SourceCode for Text {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        match self {
            Text::Small(s) => s.read_span(span, before, after),
            Text::Large(s) => s.read_span(span, before, after),
        }
    }
}

/// Files as shown: each escaped for the terminal once (see [`escape::Source`]), however many
/// findings point into it.
#[derive(Default)]
pub struct Files(RefCell<HashMap<*const u8, Rc<Shown>>>);

/// A file as shown, and how offsets of the original move in it.
struct Shown {
    /// The original, kept so that its text (the map's key) lives as long as the map.
    _original: SourceFile,
    file: SourceFile,
    map: Option<escape::Source>,
}

impl Shown {
    fn offset(&self, offset: usize) -> usize {
        self.map.as_ref().map_or(offset, |m| m.offset(offset))
    }
}

impl Files {
    fn get(&self, file: &SourceFile) -> Rc<Shown> {
        let key = file.text.as_ptr();
        if let Some(shown) = self.0.borrow().get(&key) {
            return shown.clone();
        }
        let map = escape::Source::of(&file.text);
        let shown = Rc::new(Shown {
            _original: file.clone(),
            file: match &map {
                Some(m) => SourceFile::new(file.path.clone(), m.text.as_str()),
                None => file.clone(),
            },
            map,
        });
        self.0.borrow_mut().insert(key, shown.clone());
        shown
    }
}

fn named(shown: &Shown) -> NamedSource<Text> {
    let file = &shown.file;
    let text = if file.text.len() <= SMALL_FILE {
        Text::Small(file.text.to_string())
    } else {
        Text::Large(Snippet(file.clone()))
    };
    NamedSource::new(escape::line(&file.path), text).with_language(language(&file.path))
}

struct Diag {
    code: String,
    message: String,
    severity: Severity,
    help: Option<String>,
    source: Option<NamedSource<Text>>,
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

/// The span to underline, in the file as shown: a very long one is cut to its first line,
/// within a window.
fn source_span(l: &Location, shown: &Shown) -> SourceSpan {
    let text: &str = &shown.file.text;
    let start = shown.offset(l.span.offset);
    let end = shown.offset(l.span.offset.saturating_add(l.span.length));
    let (offset, mut length) = (start.min(text.len()), end.saturating_sub(start));
    if length > LONG_SPAN {
        let rest = &text[floor_char_boundary(text, offset)..];
        let line = rest.find('\n').unwrap_or(rest.len());
        length = floor_char_boundary(rest, line.min(WINDOW));
    }
    SourceSpan::new(offset.into(), length.min(text.len() - offset))
}

fn diag(f: &Finding, changed: bool, files: &Files) -> Diag {
    let severity = match f.level {
        Level::Deny => Severity::Error,
        Level::Warn => Severity::Warning,
        Level::Allow => Severity::Advice,
    };
    let mut labels = Vec::new();
    let mut related = Vec::new();
    let source = f.location.as_ref().map(|l| {
        let shown = files.get(&l.file);
        labels.push(LabeledSpan::new_primary_with_span(
            None,
            source_span(l, &shown),
        ));
        named(&shown)
    });
    for label in &f.labels {
        let same_file = f
            .location
            .as_ref()
            .is_some_and(|l| l.file.path == label.location.file.path);
        let shown = files.get(&label.location.file);
        if same_file {
            labels.push(LabeledSpan::new_with_span(
                Some(escape::terminal(&label.message).into_owned()),
                source_span(&label.location, &shown),
            ));
        } else {
            related.push(Diag {
                code: String::new(),
                message: escape::terminal(&label.message).into_owned(),
                severity: Severity::Advice,
                help: None,
                source: Some(named(&shown)),
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    source_span(&label.location, &shown),
                )],
                related: Vec::new(),
            });
        }
    }
    let message = match &f.location {
        Some(_) => escape::terminal(&f.message).into_owned(),
        None => format!("{} (repository)", escape::terminal(&f.message)),
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
        help: f.help.as_deref().map(|h| escape::terminal(h).into_owned()),
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

/// Renders one finding; `changed`: its file changed since `--changed-from`. `files` keeps the
/// files shown so far, so each is escaped once.
pub fn render_finding(f: &Finding, changed: bool, style: Style, files: &Files) -> String {
    let mut out = String::new();
    if handler(style)
        .render_report(&mut out, &diag(f, changed, files))
        .is_err()
    {
        out = format!("{}: {}\n", f.code, escape::terminal(&f.message));
    }
    out
}

/// Renders the whole report: each finding not waived, then the summary line.
pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let files = Files::default();
    for f in report.active() {
        out.push_str(&render_finding(
            f,
            report.in_change(f) == Some(true),
            style,
            &files,
        ));
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
            escape::terminal(&change_note(report))
        ));
    }
    out
}
