//! Edits a YAML file at the spans of its tree, keeping every other byte: comments, key order,
//! quoting and blank lines stay as they were. Used by `onboard record` to add one record to a
//! list of `.onboarding.yml` (or set one mapping) without re-serialising the file.

use super::{parse, resolve_plain, Node, Value};

/// One value of an entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    /// Written plain when that reads back as the same string, else double-quoted.
    Text(String),
    /// Always double-quoted (a commit id, which could read as a number were it all digits).
    Quoted(String),
    /// A multi-line text written as a literal block (`|`), such as an armored signature.
    Block(String),
}

/// A mapping to write, its keys in order.
pub type Entry = Vec<(&'static str, Scalar)>;

/// Where the entry goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Appended to the top-level list under this key, created when missing.
    List(&'static str),
    /// The value of this top-level key, replacing what is there.
    Mapping(&'static str),
}

/// The file after the edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    /// Where the new entry is, in the new text.
    pub at: std::ops::Range<usize>,
    /// The text of the value replaced (for [`Target::Mapping`]), when there was one.
    pub replaced: Option<String>,
}

/// A scalar as YAML text: plain when that is unambiguous (in YAML 1.2 and 1.1 readers, in
/// block and flow context), else a double-quoted JSON string (which YAML reads the same).
pub fn scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'))
        && resolve_plain(s) == Value::Str(s.to_string())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off"
        );
    if plain {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// Inserts `entry` at `target` in `text`, which must hold a block mapping at its root (an
/// empty `text` gets `version: 1` first).
pub fn insert(text: &str, target: Target, entry: &Entry) -> Result<Edited, String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if text.trim().is_empty() {
        let head = format!("version: 1{nl}");
        let key = match target {
            Target::List(k) | Target::Mapping(k) => k,
        };
        let body = block_under_key(key, 0, target, entry, nl);
        let new = format!("{head}{body}");
        return Ok(Edited {
            at: head.len()..new.len(),
            text: new,
            replaced: None,
        });
    }
    let root = parse(text).map_err(|e| e.message)?;
    let Value::Map(entries) = &root.value else {
        return Err("its top level is not a mapping".into());
    };
    if text[root.span.offset..].starts_with('{') {
        return Err(
            "its top level is a flow mapping (`{ … }`): write it as one key per line".into(),
        );
    }
    let key = match target {
        Target::List(k) | Target::Mapping(k) => k,
    };
    let root_col = column(text, root.span.offset);
    let found = entries.iter().find(|(k, _)| k.as_str() == Some(key));
    let Some((k, v)) = found else {
        // A new key after the last entry of the top-level mapping.
        let last = entries
            .last()
            .map_or(root.span.end(), |(_, v)| v.span.end().max(root.span.offset));
        let at = after_entry(text, last, root_col);
        let body = block_under_key(key, root_col, target, entry, nl);
        return Ok(splice(text, at..at, &body, nl));
    };
    let key_col = column(text, k.span.offset);
    match (target, &v.value) {
        (Target::List(_), Value::Seq(items)) if text[v.span.offset..].starts_with('[') => {
            match items.last() {
                // `[]`: written as a block list under the key instead.
                None => {
                    let close = node_end(text, v);
                    let from = k.span.end()
                        + text[k.span.end()..v.span.offset]
                            .find(':')
                            .map_or(0, |i| i + 1);
                    let line_end = after_line(text, close);
                    let items = block_items(key_col + 2, entry, nl);
                    let mut new = String::with_capacity(text.len() + items.len());
                    new.push_str(&text[..from]);
                    // What followed `[]` on its line (a comment) stays.
                    let rest = text[close..line_end].trim_end_matches(['\n', '\r']);
                    if !rest.trim().is_empty() {
                        new.push_str(rest);
                    }
                    new.push_str(nl);
                    let start = new.len();
                    new.push_str(&items);
                    let end = new.len();
                    new.push_str(&text[line_end..]);
                    Ok(Edited {
                        text: new,
                        at: start..end,
                        replaced: None,
                    })
                }
                Some(last) => {
                    let flow = format!(", {}", flow_mapping(entry));
                    let at = node_end(text, last);
                    Ok(splice(text, at..at, &flow, nl))
                }
            }
        }
        (Target::List(_), Value::Seq(items)) => {
            let first = items.first().map_or(v.span.offset, |n| n.span.offset);
            let dash = dash_before(text, first).unwrap_or(first);
            let col = column(text, dash);
            let last = items.last().map_or(v.span.end(), |n| n.span.end());
            let at = after_entry(text, last, col);
            // Items written as `- { … }` get one more so, unless it holds a block (a
            // signature), which reads better as a block mapping.
            let flow_style = items
                .last()
                .is_some_and(|n| text[n.span.offset..].starts_with('{'))
                && !entry.iter().any(|(_, v)| matches!(v, Scalar::Block(_)));
            let item = if flow_style {
                format!("{}- {}{nl}", " ".repeat(col), flow_mapping(entry))
            } else {
                block_items(col, entry, nl)
            };
            Ok(splice(text, at..at, &item, nl))
        }
        (Target::List(_), Value::Null) | (Target::Mapping(_), _) => {
            // `key:` with nothing (or `~`), or a mapping to replace: the key's value becomes a
            // block under it.
            let v_end = node_end(text, v);
            let replaced = (v.value != Value::Null).then(|| text[v.span.offset..v_end].to_string());
            let colon = k.span.end() + text[k.span.end()..].find(':').ok_or("a key without `:`")?;
            let block = matches!(v.value, Value::Map(_)) && !text[v.span.offset..].starts_with('{');
            let (from, to) = if v.value == Value::Null && v.span.length == 0 {
                (colon + 1, colon + 1)
            } else {
                (colon + 1, v_end)
            };
            let line_end = after_line(text, to);
            let body = match target {
                Target::List(_) => block_items(key_col + 2, entry, nl),
                Target::Mapping(_) => block_mapping(key_col + 2, entry, nl),
            };
            let mut new = String::with_capacity(text.len() + body.len());
            new.push_str(&text[..from]);
            // A comment after the value stays on the key's line.
            let rest = text[to..line_end].trim_end_matches(['\n', '\r']);
            if !block && !rest.trim().is_empty() {
                new.push_str("  ");
                new.push_str(rest.trim_start());
            }
            new.push_str(nl);
            let start = new.len();
            new.push_str(&body);
            let end = new.len();
            new.push_str(&text[line_end..]);
            Ok(Edited {
                text: new,
                at: start..end,
                replaced,
            })
        }
        (Target::List(_), _) => Err(format!("`{key}` is not a list")),
    }
}

fn splice(text: &str, at: std::ops::Range<usize>, insert: &str, nl: &str) -> Edited {
    let mut new = String::with_capacity(text.len() + insert.len() + 1);
    new.push_str(&text[..at.start]);
    // At the end of a file without a final line break, start a line first.
    if at.start == text.len()
        && !text.is_empty()
        && !text.ends_with('\n')
        && !insert.starts_with(',')
    {
        new.push_str(nl);
    }
    let start = new.len();
    new.push_str(insert);
    let end = new.len();
    new.push_str(&text[at.end..]);
    Edited {
        text: new,
        at: start..end,
        replaced: None,
    }
}

/// `key:` and the entry as a block under it, at column `col`.
fn block_under_key(key: &str, col: usize, target: Target, entry: &Entry, nl: &str) -> String {
    let body = match target {
        Target::List(_) => block_items(col + 2, entry, nl),
        Target::Mapping(_) => block_mapping(col + 2, entry, nl),
    };
    format!("{}{key}:{nl}{body}", " ".repeat(col))
}

/// The entry as one item of a block list whose dashes are at column `col`.
fn block_items(col: usize, entry: &Entry, nl: &str) -> String {
    let mapping = block_mapping(col + 2, entry, nl);
    // The first line's indentation becomes the dash.
    format!("{}- {}", " ".repeat(col), &mapping[col + 2..])
}

/// The entry as a block mapping at column `col`.
fn block_mapping(col: usize, entry: &Entry, nl: &str) -> String {
    let pad = " ".repeat(col);
    let mut out = String::new();
    for (k, v) in entry {
        match v {
            Scalar::Text(t) => out.push_str(&format!("{pad}{k}: {}{nl}", scalar(t))),
            Scalar::Quoted(t) => out.push_str(&format!("{pad}{k}: {}{nl}", quoted(t))),
            Scalar::Block(t) => {
                out.push_str(&format!("{pad}{k}: |{nl}"));
                for line in t.lines() {
                    out.push_str(&format!("{pad}  {line}{nl}"));
                }
            }
        }
    }
    out
}

/// The entry as a flow mapping on one line; a block (a signature) cannot be written in flow
/// style, and is written double-quoted.
fn flow_mapping(entry: &Entry) -> String {
    let parts: Vec<String> = entry
        .iter()
        .map(|(k, v)| match v {
            Scalar::Text(t) => format!("{k}: {}", scalar(t)),
            Scalar::Quoted(t) | Scalar::Block(t) => format!("{k}: {}", quoted(t)),
        })
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

/// Where a node's text ends: for a flow collection, just past its closing bracket (found by
/// scanning, quotes and comments skipped); else the end of its span.
fn node_end(text: &str, node: &Node) -> usize {
    let start = node.span.offset;
    if !matches!(text[start..].chars().next(), Some('[' | '{')) {
        return node.span.end();
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    i += 1;
                }
            }
            b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                i = after_line(text, i) - 1;
            }
            _ => {}
        }
        i += 1;
    }
    node.span.end()
}

/// The byte offset where the line of `offset` starts.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

/// The offset just past the line break ending the line of `offset` (the text's end when the
/// line has none).
fn after_line(text: &str, offset: usize) -> usize {
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// Where to insert after an entry that ends at `end` and sits at column `col`: past its line,
/// and past the comment lines indented deeper than `col` that follow it (they belong to it).
fn after_entry(text: &str, end: usize, col: usize) -> usize {
    let mut at = after_line(text, end);
    while at < text.len() {
        let next = after_line(text, at);
        let line = &text[at..next];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if line.trim_start().starts_with('#') && indent > col {
            at = next;
        } else {
            break;
        }
    }
    at
}

/// The `-` of the block list item whose content starts at `offset`.
fn dash_before(text: &str, offset: usize) -> Option<usize> {
    let start = line_start(text, offset);
    let before = &text[start..offset];
    let trimmed = before.trim_end_matches(' ');
    trimmed.ends_with('-').then(|| start + trimmed.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        vec![
            ("kind", Scalar::Text("basic".into())),
            ("by", Scalar::Text("Alice Doe <alice@example.com>".into())),
            (
                "commit",
                Scalar::Text("0123456789abcdef0123456789abcdef01234567".into()),
            ),
            ("date", Scalar::Text("2026-03-01".into())),
        ]
    }

    fn signed() -> Entry {
        let mut e = entry();
        e.push((
            "signature",
            Scalar::Block(
                "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".into(),
            ),
        ));
        e
    }

    /// The new text is the old one with the inserted text at one place.
    fn only_inserted(old: &str, e: &Edited) {
        let inserted = &e.text[e.at.clone()];
        let mut rebuilt = e.text[..e.at.start].to_string();
        rebuilt.push_str(&e.text[e.at.end..]);
        assert_eq!(rebuilt, old, "inserted: {inserted:?}");
    }

    #[test]
    fn scalars_are_plain_only_when_unambiguous() {
        assert_eq!(scalar("alice"), "alice");
        assert_eq!(scalar("v1.2.0"), "v1.2.0");
        assert_eq!(scalar("2026-03-01"), "\"2026-03-01\"");
        assert_eq!(scalar("0123abc"), "\"0123abc\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("@alice"), "\"@alice\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar(""), "\"\"");
    }

    #[test]
    fn appends_to_a_block_list_of_flow_items_in_their_style() {
        let old = "version: 1\nreviews:\n  - { kind: basic, by: bob, commit: v1, date: \"2026-01-01\" }  # first\n    # about bob's review\n\n# QA below\nqa: []\n";
        let e = insert(old, Target::List("reviews"), &entry()).unwrap();
        only_inserted(old, &e);
        assert_eq!(
            &e.text[e.at.clone()],
            "  - { kind: basic, by: \"Alice Doe <alice@example.com>\", commit: \"0123456789abcdef0123456789abcdef01234567\", date: \"2026-03-01\" }\n"
        );
        assert!(e
            .text
            .contains("# about bob's review\n  - { kind: basic, by: \"Alice"));
    }

    #[test]
    fn a_signed_entry_is_a_block_item_with_a_literal_signature() {
        let old = "version: 1\nreviews:\n- kind: basic\n  by: bob\n  commit: v1\n  date: \"2026-01-01\"\n";
        let e = insert(old, Target::List("reviews"), &signed()).unwrap();
        only_inserted(old, &e);
        assert_eq!(
            &e.text[e.at.clone()],
            "- kind: basic\n  by: \"Alice Doe <alice@example.com>\"\n  commit: \"0123456789abcdef0123456789abcdef01234567\"\n  date: \"2026-03-01\"\n  signature: |\n    -----BEGIN SSH SIGNATURE-----\n    AAAA\n    -----END SSH SIGNATURE-----\n"
        );
        let root = parse(&e.text).unwrap();
        let items = match &root.get("reviews").unwrap().value {
            Value::Seq(items) => items.clone(),
            _ => panic!(),
        };
        assert_eq!(
            items[1].get("signature").unwrap().as_str(),
            Some("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n")
        );
    }

    #[test]
    fn a_missing_list_is_added_after_the_last_key_and_a_file_without_a_final_newline_gets_one() {
        let old = "version: 1 # v\ngate: ci-extensions";
        let e = insert(old, Target::List("qa"), &entry()).unwrap();
        assert!(
            e.text
                .starts_with("version: 1 # v\ngate: ci-extensions\nqa:\n  - kind: basic\n"),
            "{}",
            e.text
        );
        let e = insert("", Target::List("reviews"), &entry()).unwrap();
        assert!(e
            .text
            .starts_with("version: 1\nreviews:\n  - kind: basic\n"));
    }

    #[test]
    fn an_empty_flow_list_becomes_a_block_list_keeping_its_comment() {
        let old = "version: 1\nreviews: []  # none yet\n#  - { kind: basic }\nqa: []\n";
        let e = insert(old, Target::List("reviews"), &entry()).unwrap();
        assert_eq!(
            e.text,
            "version: 1\nreviews:  # none yet\n  - kind: basic\n    by: \"Alice Doe <alice@example.com>\"\n    commit: \"0123456789abcdef0123456789abcdef01234567\"\n    date: \"2026-03-01\"\n#  - { kind: basic }\nqa: []\n"
        );
    }

    #[test]
    fn a_non_empty_flow_list_gets_a_flow_item() {
        let old = "version: 1\nreviews: [{ kind: basic, by: bob, commit: v1, date: \"2026-01-01\" }] # x\n";
        let e = insert(old, Target::List("reviews"), &signed()).unwrap();
        only_inserted(old, &e);
        assert!(e.text.contains("signature: \"-----BEGIN SSH SIGNATURE-----\\nAAAA\\n-----END SSH SIGNATURE-----\\n\" }] # x\n"));
        parse(&e.text).unwrap();
    }

    #[test]
    fn a_mapping_is_replaced_and_the_old_value_returned() {
        let old = "version: 1\npm_ux: { by: dana, date: \"2026-01-01\" }  # old\nwaivers: []\n";
        let e = insert(old, Target::Mapping("pm_ux"), &entry()).unwrap();
        assert_eq!(
            e.replaced.as_deref(),
            Some("{ by: dana, date: \"2026-01-01\" }")
        );
        assert!(
            e.text
                .starts_with("version: 1\npm_ux:  # old\n  kind: basic\n"),
            "{}",
            e.text
        );
        assert!(e.text.ends_with("date: \"2026-03-01\"\nwaivers: []\n"));
        let old = "version: 1\npm_ux:\n  by: dana\n  date: \"2026-01-01\"\nwaivers: []\n";
        let e = insert(old, Target::Mapping("pm_ux"), &entry()).unwrap();
        assert_eq!(e.text, "version: 1\npm_ux:\n  kind: basic\n  by: \"Alice Doe <alice@example.com>\"\n  commit: \"0123456789abcdef0123456789abcdef01234567\"\n  date: \"2026-03-01\"\nwaivers: []\n");
    }

    #[test]
    fn a_key_with_no_value_gets_the_list() {
        let old = "version: 1\nqa:   # to come\nwaivers: []\n";
        let e = insert(old, Target::List("qa"), &entry()).unwrap();
        assert!(
            e.text
                .starts_with("version: 1\nqa:  # to come\n  - kind: basic\n"),
            "{}",
            e.text
        );
        assert!(e.text.ends_with("\nwaivers: []\n"));
    }

    #[test]
    fn crlf_files_stay_crlf_and_flow_roots_are_refused() {
        let old = "version: 1\r\nreviews:\r\n  - kind: basic\r\n    by: bob\r\n";
        let e = insert(old, Target::List("reviews"), &entry()).unwrap();
        only_inserted(old, &e);
        assert!(!e.text.replace("\r\n", "").contains('\n'));
        assert!(insert("{version: 1}", Target::List("qa"), &entry())
            .unwrap_err()
            .contains("flow mapping"));
    }
}
