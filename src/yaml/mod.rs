//! A YAML 1.2 document tree whose every node knows its byte span.
//!
//! Built from `saphyr-parser` events. Configuration files are small, so the tree is built eagerly;
//! what makes it safe on hostile input is bounded: nesting depth, the number of nodes an alias may
//! expand to, and duplicate keys (an error, as YAML 1.2 says) are all checked here, once, so every
//! reader above works on a tree that is known to be sane.

mod read;

pub use read::{Errors, MapReader};

use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Deepest nesting accepted; real configuration never comes close.
pub const MAX_DEPTH: usize = 128;
/// Most nodes a document may hold once aliases are expanded ("billion laughs" guard).
pub const MAX_NODES: usize = 200_000;

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

/// Maps saphyr's character indices to byte offsets.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    table: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let table = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        Offsets { text, ascii, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            char_index.min(self.text.len())
        } else {
            self.table
                .get(char_index)
                .copied()
                .unwrap_or(self.text.len())
        }
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
        /// [`key_id`] of each key so far, with its index in `entries`.
        seen: HashMap<String, usize>,
    },
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
                nodes += count_nodes(target);
                if nodes > MAX_NODES {
                    return Err(YamlError::new(format!(
                            "aliases expand this document past {MAX_NODES} nodes; refusing to expand it"
                        ), span));
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
                    // Looked up by identity, not compared with every earlier key: a mapping of
                    // 100,000 keys would otherwise take billions of comparisons.
                    let id = key_id(&k.value);
                    let first = id.as_ref().and_then(|id| seen.get(id));
                    if let Some((first, _)) = first.map(|&i| &entries[i]) {
                        let (line, _) = crate::source::line_col(text, first.span.offset);
                        return Err(YamlError::new(
                            format!(
                                "duplicate key `{}` (first defined on line {line})",
                                k.scalar_text()
                            ),
                            k.span,
                        ));
                    }
                    if let Some(id) = id {
                        seen.insert(id, entries.len());
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

/// A text that two keys share exactly when their values are equal (`==`, which compares the
/// spans of a collection's items too); `None` for a key equal to nothing (one holding NaN).
fn key_id(value: &Value) -> Option<String> {
    fn write(value: &Value, out: &mut String) -> Option<()> {
        use std::fmt::Write;
        match value {
            Value::Null => out.push('~'),
            Value::Bool(b) => write!(out, "b{b}").ok()?,
            Value::Int(i) => write!(out, "i{i}").ok()?,
            Value::Float(f) if f.is_nan() => return None,
            // -0.0 == 0.0
            Value::Float(f) => write!(out, "f{}", (f + 0.0).to_bits()).ok()?,
            Value::Str(s) => write!(out, "s{}:{s}", s.len()).ok()?,
            Value::Seq(items) => {
                out.push('[');
                for n in items {
                    write!(out, "@{},{}", n.span.offset, n.span.length).ok()?;
                    write(&n.value, out)?;
                }
                out.push(']');
            }
            Value::Map(entries) => {
                out.push('{');
                for (k, v) in entries {
                    for n in [k, v] {
                        write!(out, "@{},{}", n.span.offset, n.span.length).ok()?;
                        write(&n.value, out)?;
                    }
                }
                out.push('}');
            }
        }
        Some(())
    }
    let mut out = String::new();
    write(value, &mut out)?;
    Some(out)
}

fn depth_error(span: Span) -> YamlError {
    YamlError::new(format!("nesting deeper than {MAX_DEPTH} levels"), span)
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| count_nodes(k) + count_nodes(v))
            .sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice<'a>(text: &'a str, node: &Node) -> &'a str {
        &text[node.span.offset..node.span.end()]
    }

    #[test]
    fn spans_are_byte_offsets_even_after_multibyte_text() {
        let text = "name: \"Ünïcödé\"\nid: com.example.plugin\n";
        let root = parse(text).unwrap();
        assert_eq!(slice(text, root.get("id").unwrap()), "com.example.plugin");
    }

    #[test]
    fn core_schema_resolution() {
        let root = parse("a: 1\nb: true\nc: ~\nd: '1'\ne: 2026-10-01\nf: 1.5\n").unwrap();
        assert_eq!(root.get("a").unwrap().value, Value::Int(1));
        assert_eq!(root.get("b").unwrap().value, Value::Bool(true));
        assert_eq!(root.get("c").unwrap().value, Value::Null);
        assert_eq!(root.get("d").unwrap().value, Value::Str("1".into()));
        assert_eq!(
            root.get("e").unwrap().value,
            Value::Str("2026-10-01".into())
        );
        assert_eq!(root.get("f").unwrap().value, Value::Float(1.5));
    }

    #[test]
    fn duplicate_keys_are_errors_at_the_second_key() {
        let text = "a: 1\nb: 2\na: 3\n";
        let err = parse(text).unwrap_err();
        assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
        assert_eq!(&text[err.span.offset..err.span.end()], "a");
        assert_eq!(err.span.offset, 10);
    }

    #[test]
    fn duplicate_keys_are_found_by_value_of_every_kind() {
        for (text, dup) in [
            ("1: a\n0x1: b\n", true),
            ("~: a\nnull: b\n", true),
            ("0.0: a\n-0.0: b\n", true),
            ("true: a\nTrue: b\n", true),
            ("'x': a\n\"x\": b\n", true),
            ("1: a\n'1': b\n", false),
            (".nan: a\n.nan: b\n", false),
            ("[a, b]: 1\n[a, b]: 2\n", false),
            ("x: &k [a]\n? *k\n: 1\n? *k\n: 2\n", true),
        ] {
            let found = parse(&format!("m:\n  {}", text.replace('\n', "\n  ")))
                .err()
                .is_some_and(|e| e.message.contains("duplicate key"));
            assert_eq!(found, dup, "{text:?}");
        }
    }

    #[test]
    fn a_mapping_of_many_keys_is_read_in_linear_time() {
        // Comparing every key with every earlier one made these 50,000 keys 1.25 billion
        // comparisons.
        let text: String = (0..50_000).map(|i| format!("k{i}: {i}\n")).collect();
        let start = std::time::Instant::now();
        let root = parse(&text).unwrap();
        assert!(matches!(&root.value, Value::Map(e) if e.len() == 50_000));
        let err = parse(&format!("{text}k49999: again\n")).unwrap_err();
        assert!(err.message.contains("line 50000"), "{}", err.message);
        assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("refusing to expand"),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        // The parser's own recursion limit or ours, whichever comes first: an error, not a crash.
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("nesting deeper") || err.message.contains("recursion limit"),
            "{}",
            err.message
        );
        let err = parse(&format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        ))
        .unwrap_err();
        assert!(!err.message.is_empty());
    }

    #[test]
    fn json_parses_with_spans() {
        let text = "{\n  \"id\": \"x\",\n  \"settings\": [{\"type\": \"bool\"}]\n}";
        let root = parse(text).unwrap();
        assert_eq!(slice(text, root.get("id").unwrap()), "\"x\"");
        assert_eq!(root.get("settings").unwrap().kind(), "a list");
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(!err.message.is_empty());
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("# only a comment\n").unwrap().value, Value::Null);
    }
}
