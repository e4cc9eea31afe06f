//! Generators for the property tests: arbitrary text, text made of the tokens YAML, JSON and the
//! line formats react to, and near-valid documents (a random tree of known keys and typical
//! values, written in block or flow style, then edited at random) so properties reach the code
//! past the syntax check.

use proptest::prelude::*;
use proptest::sample::Index;

/// Tokens that YAML and JSON syntax react to, line breaks of every kind, multi-byte characters.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "  ",
    "\t",
    "- ",
    ": ",
    ":",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!tag ",
    "? ",
    "|\n",
    ">-\n",
    "'",
    "\"",
    "\\",
    "\\u00",
    "\\ud83d",
    "#",
    "# c\n",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "\u{feff}",
    "\u{85}",
    "\u{2028}",
    "\u{3000}",
    "\u{a0}",
    "é",
    "😀",
    "漢",
    "\u{0}",
    "\u{7f}",
    "1",
    "-1",
    "0x1F",
    "1e9",
    ".inf",
    "~",
    "null",
    "true",
    "version",
    "x",
    "v1.2.3",
    "=",
    " = ",
    "\"a\"",
    "//",
    "(",
    ")",
    "`",
    "=>",
    "node_modules/",
    "[[package]]",
];

/// Strings built from [`TOKENS`] and short words.
pub fn soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(TOKENS).prop_map(str::to_string),
        1 => "[a-zA-Z0-9_.-]{1,8}",
    ];
    proptest::collection::vec(piece, 0..48).prop_map(|v| v.concat())
}

/// A document tree; scalars and keys hold their text as written.
#[derive(Debug, Clone)]
pub enum Tree {
    Scalar(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

/// A tree of `keys` (and the odd unknown one) and `scalars`, at most four levels deep.
pub fn tree(keys: Vec<String>, scalars: Vec<String>) -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        4 => proptest::sample::select(scalars).prop_map(Tree::Scalar),
        1 => "[a-z0-9 ._/-]{0,10}".prop_map(Tree::Scalar),
    ];
    let key = prop_oneof![
        6 => proptest::sample::select(keys),
        1 => "[a-z_]{1,8}",
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Tree::Seq),
            proptest::collection::vec((key.clone(), inner), 0..6).prop_map(Tree::Map),
        ]
    })
}

/// How to write a tree.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Block style at the top levels (YAML), else flow style throughout (JSON-like).
    pub block: bool,
    /// Quote keys as JSON strings.
    pub quote_keys: bool,
    pub crlf: bool,
    pub bom: bool,
}

pub fn style() -> impl Strategy<Value = Style> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::bool::weighted(0.1),
    )
        .prop_map(|(block, quote_keys, crlf, bom)| Style {
            block,
            quote_keys,
            crlf,
            bom,
        })
}

pub fn write(tree: &Tree, style: Style) -> String {
    let mut out = String::new();
    if style.bom {
        out.push('\u{feff}');
    }
    if style.block {
        block(tree, style, 0, &mut out);
    } else {
        flow(tree, style, &mut out);
        out.push('\n');
    }
    if style.crlf {
        out = out.replace('\n', "\r\n");
    }
    out
}

fn key_text(k: &str, style: Style) -> String {
    if style.quote_keys {
        serde_json::to_string(k).unwrap()
    } else {
        k.to_string()
    }
}

fn flow(tree: &Tree, style: Style, out: &mut String) {
    match tree {
        Tree::Scalar(s) => out.push_str(s),
        Tree::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(item, style, out);
            }
            out.push(']');
        }
        Tree::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&key_text(k, style));
                out.push_str(": ");
                flow(v, style, out);
            }
            out.push('}');
        }
    }
}

fn block(tree: &Tree, style: Style, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match tree {
        Tree::Map(entries) if !entries.is_empty() && indent < 8 => {
            for (k, v) in entries {
                out.push_str(&format!("{pad}{}:", key_text(k, style)));
                match v {
                    Tree::Map(e) if !e.is_empty() => {
                        out.push('\n');
                        block(v, style, indent + 2, out);
                    }
                    Tree::Seq(i) if !i.is_empty() => {
                        out.push('\n');
                        block(v, style, indent, out);
                    }
                    _ => {
                        out.push(' ');
                        flow(v, style, out);
                        out.push('\n');
                    }
                }
            }
        }
        Tree::Seq(items) if !items.is_empty() && indent < 8 => {
            for item in items {
                out.push_str(&format!("{pad}- "));
                flow(item, style, out);
                out.push('\n');
            }
        }
        _ => {
            out.push_str(&pad);
            flow(tree, style, out);
            out.push('\n');
        }
    }
}

/// One random edit of a text.
#[derive(Debug, Clone)]
pub enum Edit {
    Truncate(Index),
    Delete(Index, usize),
    Insert(Index, String),
}

pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        1 => any::<Index>().prop_map(Edit::Truncate),
        2 => (any::<Index>(), 1usize..8).prop_map(|(i, n)| Edit::Delete(i, n)),
        3 => (any::<Index>(), proptest::sample::select(TOKENS)).prop_map(|(i, t)| Edit::Insert(i, t.to_string())),
    ];
    proptest::collection::vec(edit, 0..4)
}

fn boundary(text: &str, at: Index) -> usize {
    let mut i = at.index(text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn apply(mut text: String, edits: &[Edit]) -> String {
    for e in edits {
        match e {
            Edit::Truncate(at) => {
                let i = boundary(&text, *at);
                text.truncate(i);
            }
            Edit::Delete(at, n) => {
                let i = boundary(&text, *at);
                let end = text[i..]
                    .char_indices()
                    .nth(*n)
                    .map_or(text.len(), |(j, _)| i + j);
                text.replace_range(i..end, "");
            }
            Edit::Insert(at, s) => {
                let i = boundary(&text, *at);
                text.insert_str(i, s);
            }
        }
    }
    text
}

/// A near-valid document: a tree written in some style, then edited.
pub fn document(keys: &[&str], scalars: &[&str], json: bool) -> impl Strategy<Value = String> {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    (tree(owned(keys), owned(scalars)), style(), edits()).prop_map(move |(t, mut s, e)| {
        if json {
            s.block = false;
            s.quote_keys = true;
        }
        apply(write(&t, s), &e)
    })
}

/// Lines of `words` joined by blanks of every kind, then edited: for the line formats.
pub fn lines(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    let blank = proptest::sample::select(&[" ", "  ", "\t", "", " \t", "\u{3000}", "\u{a0}"][..]);
    let line = proptest::collection::vec((blank.clone(), proptest::sample::select(words)), 0..6)
        .prop_map(|ws| {
            ws.into_iter()
                .map(|(b, w)| format!("{b}{w}"))
                .collect::<String>()
        });
    let end = proptest::sample::select(&["\n", "\r\n", "\n\n"][..]);
    (proptest::collection::vec((line, end), 0..24), edits()).prop_map(|(ls, e)| {
        let text: String = ls.into_iter().map(|(l, e)| l + e).collect();
        apply(text, &e)
    })
}
