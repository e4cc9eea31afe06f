//! Typed reading of a [`Node`] tree that keeps going after an error, so that every problem in a
//! file is reported in one run, each at its own span.

use super::{Node, Value, YamlError};
use crate::source::{Span, Spanned};
use crate::suggest;

/// Errors collected while reading one file.
#[derive(Debug, Default)]
pub struct Errors {
    pub items: Vec<YamlError>,
}

impl Errors {
    pub fn push(&mut self, message: impl Into<String>, span: Span) {
        self.items.push(YamlError::new(message, span));
    }

    pub fn push_help(&mut self, message: impl Into<String>, span: Span, help: impl Into<String>) {
        self.items
            .push(YamlError::new(message, span).with_help(help));
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn wrong_type(&mut self, what: &str, expected: &str, node: &Node) {
        self.push(
            format!("`{what}` must be {expected}, found {}", node.kind()),
            node.span,
        );
    }

    /// Reads a string.
    pub fn str(&mut self, what: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.value {
            Value::Str(s) => Some(Spanned::new(s.clone(), node.span)),
            _ => {
                self.wrong_type(what, "a string", node);
                None
            }
        }
    }

    /// Reads a non-negative integer.
    pub fn uint(&mut self, what: &str, node: &Node) -> Option<Spanned<u64>> {
        match node.value {
            Value::Int(i) if i >= 0 => Some(Spanned::new(i as u64, node.span)),
            _ => {
                self.wrong_type(what, "a non-negative integer", node);
                None
            }
        }
    }

    pub fn bool(&mut self, what: &str, node: &Node) -> Option<Spanned<bool>> {
        match node.value {
            Value::Bool(b) => Some(Spanned::new(b, node.span)),
            _ => {
                self.wrong_type(what, "`true` or `false`", node);
                None
            }
        }
    }

    /// Reads one of a fixed set of words.
    pub fn one_of(&mut self, what: &str, node: &Node, allowed: &[&str]) -> Option<Spanned<String>> {
        let s = self.str(what, node)?;
        if allowed.contains(&s.value.as_str()) {
            Some(s)
        } else {
            self.push_help(
                format!("`{}` is not a valid `{what}`", s.value),
                node.span,
                suggest::help_for(&s.value, allowed),
            );
            None
        }
    }

    /// Reads a calendar date written `YYYY-MM-DD`.
    pub fn date(&mut self, what: &str, node: &Node) -> Option<Spanned<crate::source::Date>> {
        let s = self.str(what, node)?;
        let well_formed = s.value.len() == 10
            && s.value.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        match s.value.parse::<jiff::civil::Date>() {
            Ok(d) if well_formed => Some(Spanned::new(crate::source::Date(d), s.span)),
            _ => {
                self.push_help(
                    format!("`{}` is not a valid date for `{what}`", s.value),
                    node.span,
                    "write a calendar date as \"YYYY-MM-DD\", quoted",
                );
                None
            }
        }
    }

    /// Reads a list of at most `max` items, reporting the rest at the first one left out.
    pub fn seq_at_most<'n>(&mut self, what: &str, node: &'n Node, max: usize) -> &'n [Node] {
        let items = self.seq(what, node);
        self.at_most(what, items, |n| n.span, max)
    }

    /// The first `max` of `items`, reporting the rest at the first one left out.
    pub fn at_most<'n, T>(
        &mut self,
        what: &str,
        items: &'n [T],
        span: impl Fn(&T) -> Span,
        max: usize,
    ) -> &'n [T] {
        if items.len() <= max {
            return items;
        }
        self.push_help(
            format!(
                "`{what}` has {} entries; at most {max} are read",
                items.len()
            ),
            span(&items[max]),
            "a list this long is not a list of records, waivers or carve-outs: trim it",
        );
        &items[..max]
    }

    /// Reads a list, or reports a wrong type and yields nothing.
    pub fn seq<'n>(&mut self, what: &str, node: &'n Node) -> &'n [Node] {
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.wrong_type(what, "a list", node);
                &[]
            }
        }
    }
}

/// Reads a mapping key by key; [`MapReader::finish`] reports the keys nobody asked for.
pub struct MapReader<'n> {
    what: String,
    entries: &'n [(Node, Node)],
    known: Vec<&'static str>,
}

impl<'n> MapReader<'n> {
    /// A reader over `node`, which must be a mapping (null reads as an empty one).
    pub fn new(what: &str, node: &'n Node, errs: &mut Errors) -> Option<Self> {
        let entries: &'n [(Node, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                errs.wrong_type(what, "a mapping", node);
                return None;
            }
        };
        Some(MapReader {
            what: what.to_string(),
            entries,
            known: Vec::new(),
        })
    }

    /// The value of `key`, if present (a null value counts as absent).
    pub fn get(&mut self, key: &'static str) -> Option<&'n Node> {
        self.known.push(key);
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
            .filter(|v| v.value != Value::Null)
    }

    /// The value under `key` or its accepted alternative spelling; both at once is an error.
    pub fn get_either(
        &mut self,
        key: &'static str,
        alt: &'static str,
        errs: &mut Errors,
    ) -> Option<&'n Node> {
        let a = self.get(key);
        let b = self.get(alt);
        if let (Some(_), Some(second)) = (a, b) {
            errs.push(
                format!("`{key}` and `{alt}` are the same setting; keep one"),
                second.span,
            );
        }
        a.or(b)
    }

    /// The entries in order, for mappings whose keys are data (globs, rule names).
    pub fn entries(&self) -> &'n [(Node, Node)] {
        self.entries
    }

    pub fn str(&mut self, key: &'static str, errs: &mut Errors) -> Option<Spanned<String>> {
        let node = self.get(key)?;
        errs.str(key, node)
    }

    /// Keys present that nobody asked for, in order.
    pub fn unknown_keys(&self) -> Vec<&'n Node> {
        self.entries
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.as_str().is_some_and(|s| !self.known.contains(&s)))
            .collect()
    }

    /// Reports unknown keys, with a suggestion when one is close to a known key.
    pub fn finish(self, errs: &mut Errors) {
        for (k, _) in self.entries {
            let name = match &k.value {
                Value::Str(s) => s.clone(),
                _ => {
                    errs.push(format!("keys of `{}` must be strings", self.what), k.span);
                    continue;
                }
            };
            if !self.known.contains(&name.as_str()) {
                errs.push_help(
                    format!("unknown key `{name}` in {}", self.what),
                    k.span,
                    suggest::help_for(&name, &self.known),
                );
            }
        }
    }
}

impl Errors {
    /// Reads one of the words of a string enum.
    pub fn word<T>(
        &mut self,
        what: &str,
        node: &Node,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<Spanned<T>> {
        let s = self.one_of(what, node, names)?;
        parse(&s.value).map(|v| Spanned::new(v, s.span))
    }

    /// Reports a missing required key at the mapping that lacks it.
    pub fn missing(&mut self, key: &str, what: &str, map: &Node) {
        self.push(format!("{what} is missing `{key}`"), map.span);
    }
}
