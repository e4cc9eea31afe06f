//! A JSON reader that records byte spans and builds only what the caller asks for.
//!
//! Lockfiles reach tens of megabytes and hundreds of thousands of packages, of which a few fields
//! per package matter. The span tree of [`crate::yaml`] would build every node (and stops at
//! 200,000), so lockfiles are read with this cursor instead: the caller walks objects key by key,
//! builds a small [`Value`] for the fields it wants and skips the rest without allocating.
//!
//! Syntax is judged by `serde_json` first ([`check`]), which gives the messages users know (it
//! skips values without recursion, so no nesting overflows the stack); the cursor refuses
//! nesting past [`MAX_DEPTH`] levels and reports, never panics, on anything unexpected.

use crate::source::{Span, Spanned};

/// A syntax or shape error at a span of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    pub message: String,
    pub span: Span,
}

/// Deepest nesting the cursor follows.
const MAX_DEPTH: usize = 256;

/// Checks that `text` is one JSON value, with `serde_json`'s grammar.
pub fn check(text: &str) -> Result<(), JsonError> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(|_| ())
        .map_err(|e| JsonError {
            // An unexpected end is at the end, whatever column the last line reports.
            span: Span::new(
                if e.is_eof() {
                    text.len()
                } else {
                    offset_of(text, e.line(), e.column())
                },
                0,
            ),
            message: e.to_string(),
        })
}

/// The byte offset of a 1-based line and column as `serde_json` reports them.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A small JSON value with its span, for the fields a reader keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    Str(String),
    Array(Vec<Value>),
    Object(Vec<(Spanned<String>, Value)>),
}

impl Value {
    /// What a user would call this kind of value, for "expected X, found Y" messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The value of `key` when this is an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.kind {
            Kind::Object(entries) => entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A cursor over JSON text.
pub struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Cursor::at(text, 0)
    }

    /// A cursor starting at `offset`, to read a value found (and skipped) earlier.
    pub fn at(text: &'a str, offset: usize) -> Self {
        let mut pos = offset.min(text.len());
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        Cursor {
            text,
            pos,
            depth: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, JsonError> {
        Err(JsonError {
            message: message.into(),
            span: Span::new(self.pos, 0),
        })
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes().get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            self.error(format!("expected `{}`", byte as char))
        }
    }

    /// Whether the next value is an object.
    pub fn at_object(&mut self) -> bool {
        self.peek() == Some(b'{')
    }

    /// Walks an object: `each` is called with every key and must consume its value (read it,
    /// walk it or [`skip`](Self::skip) it). Returns the object's span.
    pub fn object(
        &mut self,
        mut each: impl FnMut(&mut Self, Spanned<String>) -> Result<(), JsonError>,
    ) -> Result<Span, JsonError> {
        self.ws();
        let start = self.pos;
        self.expect(b'{')?;
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.peek() != Some(b'"') {
                    return self.error("expected a string key");
                }
                let key = self.string()?;
                self.expect(b':')?;
                each(self, key)?;
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return self.error("expected `,` or `}`"),
                }
            }
        }
        self.depth -= 1;
        Ok(Span::new(start, self.pos - start))
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    /// Reads a string with its span (quotes included).
    pub fn string(&mut self) -> Result<Spanned<String>, JsonError> {
        self.ws();
        let start = self.pos;
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters up to the next quote or escape in one go.
            let rest = &self.bytes()[self.pos..];
            let run = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\')
                .ok_or(JsonError {
                    message: "unterminated string".into(),
                    span: Span::new(start, self.text.len() - start),
                })?;
            out.push_str(&self.text[self.pos..self.pos + run]);
            self.pos += run;
            if self.bytes()[self.pos] == b'"' {
                self.pos += 1;
                break;
            }
            self.pos += 1; // the backslash
            let Some(&esc) = self.bytes().get(self.pos) else {
                return self.error("unterminated escape");
            };
            self.pos += 1;
            match esc {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    const REPLACEMENT: char = char::REPLACEMENT_CHARACTER;
                    let hi = self.hex4()?;
                    if (0xD800..0xDC00).contains(&hi) && self.text[self.pos..].starts_with("\\u") {
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if (0xDC00..0xE000).contains(&lo) {
                            // A surrogate pair: `\uD83D\uDE00`.
                            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or(REPLACEMENT));
                        } else {
                            // No pair (`serde_json` lets such escapes pass when it skips a
                            // value): each half read alone.
                            out.push(REPLACEMENT);
                            out.push(char::from_u32(lo).unwrap_or(REPLACEMENT));
                        }
                    } else {
                        out.push(char::from_u32(hi).unwrap_or(REPLACEMENT));
                    }
                }
                _ => return self.error("invalid escape"),
            }
        }
        Ok(Spanned::new(out, Span::new(start, self.pos - start)))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.get(self.pos..self.pos + 4);
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => self.error("invalid `\\u` escape"),
        }
    }

    /// Skips one value of any kind, returning its span.
    pub fn skip(&mut self) -> Result<Span, JsonError> {
        self.ws();
        let start = self.pos;
        match self.peek() {
            Some(b'{') => {
                self.object(|c, _| c.skip().map(|_| ()))?;
            }
            Some(b'[') => {
                self.array(|c| c.skip().map(|_| ()))?;
            }
            Some(b'"') => {
                // No need to decode a string that is skipped.
                self.pos += 1;
                loop {
                    let rest = &self.bytes()[self.pos..];
                    let Some(i) = rest.iter().position(|&b| b == b'"' || b == b'\\') else {
                        return self.error("unterminated string");
                    };
                    self.pos += i + 1;
                    if rest[i] == b'"' {
                        break;
                    }
                    // The escaped character; every valid one is ASCII.
                    match self.bytes().get(self.pos) {
                        Some(b) if b.is_ascii() => self.pos += 1,
                        _ => return self.error("invalid escape"),
                    }
                }
            }
            Some(_) => {
                self.scalar()?;
            }
            None => return self.error("expected a value"),
        }
        Ok(Span::new(start, self.pos - start))
    }

    fn array(
        &mut self,
        mut each: impl FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.expect(b'[')?;
        self.enter()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                each(self)?;
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return self.error("expected `,` or `]`"),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// `true`, `false`, `null` or a number.
    fn scalar(&mut self) -> Result<Kind, JsonError> {
        let rest = &self.bytes()[self.pos..];
        let len = rest
            .iter()
            .position(|b| !matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'+' | b'.' | b'E'))
            .unwrap_or(rest.len());
        let word = &self.text[self.pos..self.pos + len];
        let kind = match word {
            "true" => Kind::Bool(true),
            "false" => Kind::Bool(false),
            "null" => Kind::Null,
            w if w.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                Kind::Number(w.to_string())
            }
            _ => return self.error("expected a value"),
        };
        self.pos += len;
        Ok(kind)
    }

    /// Reads one value, building it whole: for the small values a reader keeps.
    pub fn value(&mut self) -> Result<Value, JsonError> {
        self.ws();
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => {
                let mut entries = Vec::new();
                self.object(|c, k| {
                    entries.push((k, c.value()?));
                    Ok(())
                })?;
                Kind::Object(entries)
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.array(|c| {
                    items.push(c.value()?);
                    Ok(())
                })?;
                Kind::Array(items)
            }
            Some(b'"') => Kind::Str(self.string()?.value),
            Some(_) => self.scalar()?,
            None => return self.error("expected a value"),
        };
        Ok(Value {
            kind,
            span: Span::new(start, self.pos - start),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_spans() {
        let text = r#" {"a": [1, true, null], "b\u00e9": "x\"y\ud83d\ude00", "c": {"d": -1.5e3}} "#;
        let v = Cursor::new(text).value().unwrap();
        let a = v.get("a").unwrap();
        assert_eq!(&text[a.span.offset..a.span.end()], "[1, true, null]");
        let (key, b) = match &v.kind {
            Kind::Object(e) => (&e[1].0, &e[1].1),
            _ => unreachable!(),
        };
        assert_eq!(key.value, "bé");
        assert_eq!(b.as_str(), Some("x\"y😀"));
        assert_eq!(&text[b.span.offset..b.span.end()], r#""x\"y\ud83d\ude00""#);
        let d = v.get("c").unwrap().get("d").unwrap();
        assert_eq!(d.kind, Kind::Number("-1.5e3".into()));
    }

    #[test]
    fn walking_skips_what_is_not_asked_for() {
        let text = r#"{"skip": {"deep": [{"x": "a\\\"b"}]}, "keep": "yes"}"#;
        let mut kept = None;
        Cursor::new(text)
            .object(|c, k| {
                if k.value == "keep" {
                    kept = Some(c.value()?);
                } else {
                    let span = c.skip()?;
                    assert_eq!(
                        &text[span.offset..span.end()],
                        r#"{"deep": [{"x": "a\\\"b"}]}"#
                    );
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(kept.unwrap().as_str(), Some("yes"));
    }

    #[test]
    fn a_high_surrogate_without_its_low_half_is_replaced() {
        // Found by `cargo fuzz` (npm_lockfile): a high surrogate followed by an escape that is
        // not a low one overflowed computing the pair. `serde_json` does not check surrogates
        // in what it skips, so the lockfile passed its syntax check.
        let text = r#"{"packages": {"\udadd\udaee": {}, "\ud83d\u0041": 1, "\ude00": 2}}"#;
        assert!(check(text).is_ok());
        let v = Cursor::new(text).value().unwrap();
        let keys: Vec<&str> = match &v.get("packages").unwrap().kind {
            Kind::Object(e) => e.iter().map(|(k, _)| k.value.as_str()).collect(),
            _ => unreachable!(),
        };
        assert_eq!(keys, ["\u{fffd}\u{fffd}", "\u{fffd}A", "\u{fffd}"]);
    }

    #[test]
    fn truncated_text_is_an_error_not_a_panic() {
        let text = r#"{"packages": {"node_modules/a": {"version": "1.0"#;
        let e = check(text).unwrap_err();
        assert!(e.message.contains("EOF"), "{}", e.message);
        assert_eq!(e.span.offset, text.len());
        for end in 0..text.len() {
            let _ = Cursor::new(&text[..end]).value();
            let _ = Cursor::new(&text[..end]).skip();
        }
    }

    #[test]
    fn check_points_at_the_error() {
        let text = "{\n  \"a\": 1,\n}";
        let e = check(text).unwrap_err();
        assert_eq!(e.span.offset, text.len() - 1);
    }
}
