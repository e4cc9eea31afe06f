//! Source text and byte spans: what every diagnostic points into.

use schemars::JsonSchema;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// A byte range in one file.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, JsonSchema,
)]
pub struct Span {
    /// Byte offset of the first byte.
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
}

impl Span {
    pub fn new(offset: usize, length: usize) -> Self {
        Span { offset, length }
    }

    pub fn end(&self) -> usize {
        self.offset + self.length
    }

    /// The smallest span holding both.
    pub fn cover(self, other: Span) -> Span {
        let start = self.offset.min(other.offset);
        Span::new(start, self.end().max(other.end()) - start)
    }
}

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A file's text as read from the workspace, with its repository-relative path.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: Arc<str>,
    /// Built on first use and shared by every clone, so that placing many findings in one large
    /// file costs a lookup each, not a scan from the start.
    index: Arc<OnceLock<LineIndex>>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            index: Arc::new(OnceLock::new()),
        }
    }

    /// The line index of the text.
    pub fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column (in characters) of a byte offset, as [`line_col`] says, in
    /// logarithmic time.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.index().line_col(&self.text, offset)
    }
}

/// Where lines start, and how many characters precede every few kilobytes, so that line and
/// column lookups cost a binary search and a short count, whatever the file's size.
#[derive(Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// For text that is not all ASCII: (byte offset on a character boundary, characters
    /// before it), every [`CHECKPOINT`] bytes or so.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between character-count checkpoints.
const CHECKPOINT: usize = 4096;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            // Characters are counted a block at a time: every byte that does not continue a
            // character starts one. Checkpoints sit on character boundaries.
            let (mut at, mut chars) = (0, 0);
            while at < bytes.len() {
                checkpoints.push((at, chars));
                let end = ceil_char_boundary(text, at + CHECKPOINT);
                chars += bytes[at..end]
                    .iter()
                    .filter(|&&b| (b as i8) >= -0x40)
                    .count();
                at = end;
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte offset where 0-based `line` starts (the text's length past the last line).
    pub fn line_start(&self, line: usize, text: &str) -> usize {
        self.starts.get(line).copied().unwrap_or(text.len())
    }

    /// Number of lines (a text ending in a newline has an empty last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// Characters before the byte offset `at` (a character boundary).
    pub fn chars_before(&self, text: &str, at: usize) -> usize {
        if self.checkpoints.is_empty() {
            return at;
        }
        let k = self
            .checkpoints
            .partition_point(|&(b, _)| b <= at)
            .saturating_sub(1);
        let (byte, chars) = self.checkpoints[k];
        chars + text[byte..at].chars().count()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.line_start(line, text);
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        (line + 1, column)
    }
}

/// The largest character boundary at or before `offset` (clamped to the text).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The smallest character boundary at or after `offset` (clamped to the text).
pub fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a\nÄb: x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        // 'b' is after a two-byte character: byte 4, column 2.
        assert_eq!(line_col(text, 4), (2, 2));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn the_index_agrees_with_a_scan() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&format!("line {i}: ÄÖ€𝄞 {}\r\n", "x".repeat(i % 37)));
        }
        text.push_str("no newline at the end ✓");
        let file = SourceFile::new("f", text.as_str());
        for offset in (0..text.len() + 3).step_by(7) {
            assert_eq!(file.line_col(offset), line_col(&text, offset), "{offset}");
        }
        let ascii = "a\nbc\n\nd";
        let index = LineIndex::new(ascii);
        for offset in 0..=ascii.len() + 1 {
            assert_eq!(index.line_col(ascii, offset), line_col(ascii, offset));
        }
        assert_eq!(index.lines(), 4);
    }
}

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    /// Today in the local time zone.
    pub fn today() -> Date {
        Date(jiff::Zoned::now().date())
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date, YYYY-MM-DD (quote it in YAML)."
        })
    }
}
