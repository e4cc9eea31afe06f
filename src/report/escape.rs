//! Every byte that came from the repository, escaped for the output it goes to.
//!
//! - A terminal or a CI log ([`terminal`], [`line`]): control characters (NUL, BEL, ESC, CR, the
//!   C1 controls some terminals obey) and the bidirectional controls that reorder what a reader
//!   sees ("Trojan Source") are shown as visible escapes (`\0`, `\a`, `\e`, `\r`, `\x01`,
//!   `\u{202e}`), so a value can neither move the cursor, retitle the window, clear the screen
//!   nor hide text.
//! - Markdown ([`markdown`], [`code`]): text is escaped so that nothing in it is markup (no code
//!   span can end early, no HTML, no link); a code span is fenced by more backticks than the
//!   value holds in a row.
//! - A file shown as a snippet ([`Source`]): escaped the same way, with its spans moved to match.
//!
//! JSON and SARIF need nothing here: their serialiser escapes every control character.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal or a log as it is: every C0 control but the line
/// feed, DEL, the C1 controls, and the bidirectional controls.
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x09'
            | '\x0b'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// The visible escape of an unsafe character.
fn visible(c: char, out: &mut String) {
    match c {
        '\0' => out.push_str("\\0"),
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\x0b' => out.push_str("\\v"),
        '\x0c' => out.push_str("\\f"),
        '\r' => out.push_str("\\r"),
        '\x1b' => out.push_str("\\e"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// Text for a terminal or a log: unsafe characters as visible escapes, line feeds kept.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape_where(s, is_unsafe)
}

/// Text that must stay on one line (a YAML comment, a table cell, a code span): as
/// [`terminal`], and line feeds as `\n` too.
pub fn line(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c == '\n' || is_unsafe(c))
}

fn escape_where(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match unsafe_char(c) {
            true => visible(c, &mut out),
            false => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Prose for Markdown (a table cell, a heading): unsafe characters as visible escapes, the
/// characters that open or close markup (backticks, emphasis, brackets, pipes, backslashes)
/// escaped with a backslash, `<`, `>` and `&` as entities, and line breaks as `<br>`. Nothing
/// in the result is markup but those line breaks.
pub fn markdown(s: &str) -> String {
    let s = terminal(s);
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span for Markdown holding `s` as it is: fenced by one backtick more than the longest
/// run of backticks in it (padded with a space when it starts or ends with one), on one line,
/// with `|` escaped for a table cell (GitHub splits cells before it reads code spans).
pub fn code(s: &str) -> String {
    let s = line(s);
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('|', "\\|"))
}

/// Serialised JSON made safe for a terminal too: the serialiser escapes C0 controls, but leaves
/// DEL, the C1 controls and the bidirectional controls raw (JSON allows them); they can only
/// stand inside strings, where `\uXXXX` means the same.
pub fn json(text: String) -> String {
    if !text.chars().any(is_unsafe) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match is_unsafe(c) {
            true => out.push_str(&format!("\\u{:04x}", c as u32)),
            false => out.push(c),
        }
    }
    out
}

/// A file's text made safe for a terminal, with the offsets of the original mapped to it: a
/// snippet shows the file as [`terminal`] would, the CR of a CRLF line ending left out (it ends
/// the line anyway).
pub struct Source {
    pub text: String,
    /// (offset in the original where a change ends, total shift of offsets from there on).
    shifts: Vec<(usize, isize)>,
}

impl Source {
    /// `None` when the text holds nothing to escape (the common case: use it as it is).
    pub fn of(text: &str) -> Option<Source> {
        // Tabs are left to the renderer, which expands them.
        let is_unsafe = |c: char| c != '\t' && is_unsafe(c);
        if !text.chars().any(is_unsafe) {
            return None;
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut shifts = Vec::new();
        let mut shift: isize = 0;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !is_unsafe(c) {
                out.push(c);
                continue;
            }
            let before = out.len();
            let crlf = c == '\r' && iter.peek().is_some_and(|&(_, n)| n == '\n');
            if !crlf {
                visible(c, &mut out);
            }
            shift += (out.len() - before) as isize - c.len_utf8() as isize;
            shifts.push((i + c.len_utf8(), shift));
        }
        Some(Source { text: out, shifts })
    }

    /// Where an offset of the original text is in the escaped one.
    pub fn offset(&self, offset: usize) -> usize {
        let i = self.shifts.partition_point(|&(at, _)| at <= offset);
        let shift = match i {
            0 => 0,
            i => self.shifts[i - 1].1,
        };
        (offset as isize + shift).max(0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(
            terminal("a\x1b[2Jb\x07c\0d\re\nf\tg\x7f\u{9b}h\u{202e}i"),
            "a\\e[2Jb\\ac\\0d\\re\nf\\tg\\x7f\\u{9b}h\\u{202e}i"
        );
        assert_eq!(line("a\nb"), "a\\nb");
        for s in [terminal("\x1b]0;title\x07"), line("\x00\n\r")] {
            assert!(!s.chars().any(|c| c.is_control()), "{s:?}");
        }
    }

    #[test]
    fn markdown_text_is_never_markup() {
        let out = markdown("`a` <img src=x onerror=alert(1)> *b* [l](u) a|b & \x1b\nc");
        assert_eq!(
            out,
            "\\`a\\` &lt;img src=x onerror=alert(1)&gt; \\*b\\* \\[l\\](u) a\\|b &amp; \\\\e<br>c"
        );
        assert!(!out.contains('<') || out.matches('<').count() == out.matches("<br>").count());
    }

    #[test]
    fn json_strings_hold_no_raw_control() {
        let text = serde_json::to_string("a\u{7f}\u{9b}\u{202e}\x1b").unwrap();
        let safe = json(text);
        assert_eq!(safe, r#""a\u007f\u009b\u202e\u001b""#);
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{7f}\u{9b}\u{202e}\x1b");
    }

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(code("a.md"), "`a.md`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("``x"), "``` ``x ```");
        assert_eq!(code("a|b\nc"), "`a\\|b\\nc`");
    }

    #[test]
    fn source_offsets_follow_the_escapes() {
        assert!(Source::of("plain\ntext\r\n").is_some());
        assert!(Source::of("plain\ntext\n").is_none());
        let text = "ab\x1bcd\r\nef\0g";
        let s = Source::of(text).unwrap();
        assert_eq!(s.text, "ab\\ecd\nef\\0g");
        for (i, c) in text.char_indices() {
            if !is_unsafe(c) {
                assert_eq!(s.text[s.offset(i)..].chars().next(), Some(c), "{i}");
            }
        }
        assert_eq!(s.offset(text.len()), s.text.len());
    }
}
