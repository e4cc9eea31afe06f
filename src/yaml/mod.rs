//! A YAML 1.2 document tree whose every node knows its byte span.
//!
//! Built from `saphyr-parser` events. Configuration files are small, so the tree is built eagerly;
//! what makes it safe on hostile input is bounded: nesting depth, the number of nodes an alias may
//! expand to, and duplicate keys (an error, as YAML 1.2 says) are all checked here, once, so every
//! reader above works on a tree that is known to be sane.

pub mod edit;
mod read;

pub use read::{Errors, MapReader};

use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Deepest nesting accepted; real configuration never comes close.
pub const MAX_DEPTH: usize = 128;
/// Most nodes a document may hold once aliases are expanded ("billion laughs" guard).
pub const MAX_NODES: usize = 200_000;
/// Most bytes of text aliases may add to a document: one anchor on a long string, aliased
/// many times, is few nodes but gigabytes.
pub const MAX_ALIAS_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// A syntax or structure error with the span it concerns.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

impl YamlError {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        YamlError {
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Node {
    /// What a user would call this kind of value, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Looks a key up in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts to JSON, for values handed to serde (rule parameters, test fixtures).
    /// Mapping keys that are not strings are rendered as their scalar text.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.scalar_text(), v.to_json()))
                    .collect(),
            ),
        }
    }

    fn scalar_text(&self) -> String {
        match &self.value {
            Value::Str(s) => s.clone(),
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Seq(_) | Value::Map(_) => "<complex key>".to_string(),
        }
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return Value::Int(i);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return Value::Int(i);
        }
    }
    let float_like = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if float_like {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

/// Maps saphyr's character indices to byte offsets: the byte offset of every [`STRIDE`]th
/// character, then a short walk (a table of every character would take eight bytes per
/// character of a 16 MiB file).
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    table: Vec<usize>,
}

/// Characters between two entries of [`Offsets`]' table.
const STRIDE: usize = 32;

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let table = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(STRIDE)
                .map(|(i, _)| i)
                .collect()
        };
        Offsets { text, ascii, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let Some(&start) = self.table.get(char_index / STRIDE) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(char_index % STRIDE)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(start, end - start)
    }
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// Where each scalar key is in `entries`, to find a duplicate without a scan (a
        /// mapping may hold 200,000 keys).
        seen: HashMap<ScalarKey, usize>,
    },
}

/// A mapping key, hashable: floats by their bits (so two `.nan` keys are the same key, as
/// they are to a reader), lists and mappings (`? [a, b]`) by a typed rendering of their
/// values, spans left out.
#[derive(Debug, PartialEq, Eq, Hash)]
enum ScalarKey {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(String),
    Complex(String),
}

impl ScalarKey {
    fn of(node: &Node) -> ScalarKey {
        match &node.value {
            Value::Null => ScalarKey::Null,
            Value::Bool(b) => ScalarKey::Bool(*b),
            Value::Int(i) => ScalarKey::Int(*i),
            Value::Float(f) => ScalarKey::Float(float_bits(*f)),
            Value::Str(s) => ScalarKey::Str(s.clone()),
            Value::Seq(_) | Value::Map(_) => {
                let mut out = String::new();
                render_key(node, &mut out);
                ScalarKey::Complex(out)
            }
        }
    }
}

/// A float as a key: `-0.0` is `0.0`, as the two compare equal.
fn float_bits(f: f64) -> u64 {
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

/// A typed, unambiguous rendering of a value (strings quoted and escaped by `{:?}`).
fn render_key(node: &Node, out: &mut String) {
    use std::fmt::Write;
    match &node.value {
        Value::Null => out.push('~'),
        Value::Bool(b) => out.push(if *b { 'T' } else { 'F' }),
        Value::Int(i) => {
            let _ = write!(out, "i{i}");
        }
        Value::Float(f) => {
            let _ = write!(out, "f{}", float_bits(*f));
        }
        Value::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        Value::Seq(items) => {
            out.push('[');
            for i in items {
                render_key(i, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (k, v) in entries {
                render_key(k, out);
                out.push(':');
                render_key(v, out);
                out.push(',');
            }
            out.push('}');
        }
    }
}

/// Parses one YAML document. An empty document (or one holding only comments) is `Null`.
/// A stream with several documents is an error: configuration files hold one.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    let mut alias_bytes = 0usize;
    let mut documents = 0usize;

    while let Some(event) = parser.next_event() {
        let (event, raw_span) = event.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            YamlError::new(e.info(), Span::new(at.min(text.len()), 0))
        })?;
        let span = offsets.span(raw_span);
        let complete: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::new(
                        "a second YAML document starts here; this file must hold one",
                        span,
                    ));
                }
                None
            }
            Event::Scalar(value, style, anchor, _tag) => {
                // Flow scalars can carry trailing blanks in their span; underline the value only.
                let trimmed = text[span.offset..span.end()].trim_end().len();
                let span = Span::new(span.offset, trimmed);
                let value = match style {
                    ScalarStyle::Plain => resolve_plain(&value),
                    _ => Value::Str(value.into_owned()),
                };
                Some((Node { value, span }, anchor))
            }
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(YamlError::new("alias refers to an unknown anchor", span));
                };
                let (count, bytes) = measure(target);
                nodes += count;
                alias_bytes += bytes;
                if nodes > MAX_NODES {
                    return Err(YamlError::new(format!(
                            "aliases expand this document past {MAX_NODES} nodes; refusing to expand it"
                        ), span));
                }
                if alias_bytes > MAX_ALIAS_BYTES {
                    return Err(YamlError::new(
                        format!(
                            "aliases expand this document by more than {} MiB of text; refusing \
                             to expand it",
                            MAX_ALIAS_BYTES >> 20
                        ),
                        span,
                    ));
                }
                let mut node = target.clone();
                node.span = span;
                Some((node, 0))
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(span));
                }
                stack.push(Frame::Seq {
                    start: span.offset,
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(depth_error(span));
                }
                stack.push(Frame::Map {
                    start: span.offset,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    seen: HashMap::new(),
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                }) => {
                    let end = items.last().map_or(span.end(), |n| n.span.end());
                    let end = if text[start..].starts_with('[') {
                        span.end().max(end)
                    } else {
                        end
                    };
                    Some((
                        Node {
                            value: Value::Seq(items),
                            span: Span::new(start, end.saturating_sub(start)),
                        },
                        anchor,
                    ))
                }
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    start,
                    anchor,
                    entries,
                    ..
                }) => {
                    let end = entries.last().map_or(span.end(), |(_, v)| v.span.end());
                    let end = if text[start..].starts_with('{') {
                        span.end().max(end)
                    } else {
                        end
                    };
                    Some((
                        Node {
                            value: Value::Map(entries),
                            span: Span::new(start, end.saturating_sub(start)),
                        },
                        anchor,
                    ))
                }
                _ => None,
            },
        };

        let Some((node, anchor)) = complete else {
            continue;
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(YamlError::new(
                format!("document holds more than {MAX_NODES} nodes"),
                node.span,
            ));
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let first = match seen.entry(ScalarKey::of(&k)) {
                        std::collections::hash_map::Entry::Occupied(i) => {
                            Some(&entries[*i.get()].0)
                        }
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(entries.len());
                            None
                        }
                    };
                    if let Some(first) = first {
                        let (line, _) = crate::source::line_col(text, first.span.offset);
                        return Err(YamlError::new(
                            format!(
                                "duplicate key `{}` (first defined on line {line})",
                                k.scalar_text()
                            ),
                            k.span,
                        ));
                    }
                    entries.push((k, node));
                }
            },
        }
    }
    Ok(root.unwrap_or(Node {
        value: Value::Null,
        span: Span::new(0, 0),
    }))
}

fn depth_error(span: Span) -> YamlError {
    YamlError::new(format!("nesting deeper than {MAX_DEPTH} levels"), span)
}

/// Nodes and bytes of string text in a tree.
fn measure(node: &Node) -> (usize, usize) {
    let add = |(n, b): (usize, usize), (m, c): (usize, usize)| (n + m, b + c);
    match &node.value {
        Value::Seq(items) => items.iter().map(measure).fold((1, 0), add),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| add(measure(k), measure(v)))
            .fold((1, 0), add),
        Value::Str(s) => (1, s.len()),
        _ => (1, 0),
    }
}

#[cfg(test)]
mod tests;
