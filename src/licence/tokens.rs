//! The words of a licence text as the classifier compares them.
//!
//! Layout never matters: case, punctuation, line breaks, indentation, Markdown markup (headings,
//! emphasis, bullets, block quotes, link targets), HTML entities and a byte-order mark are
//! dropped, and copyright lines are left out (they name the holder, not the terms). Each word
//! keeps its line and three marks that the comparison uses to tell presentation from terms:
//! [`PLACEHOLDER`] for words inside `<year>`, `[name of copyright owner]` and the like,
//! [`LINE_START`] for the first word of a line (where list numbers and letters stand) and
//! [`URL`] for the parts of a web address.

use super::normalise::{fnv1a, is_copyright_line, without_apache_appendix};
use std::ops::Range;

/// A word inside a placeholder: `<year>`, `[fullname]`, `<name of author>`.
pub const PLACEHOLDER: u8 = 1;
/// The first word of its line.
pub const LINE_START: u8 = 2;
/// A part of a web address.
pub const URL: u8 = 4;

/// The words of one text, with a hash, a line and marks for each.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub hashes: Vec<u64>,
    /// 1-based line of each word in the text it came from.
    pub lines: Vec<u32>,
    pub flags: Vec<u8>,
    text: String,
    ends: Vec<u32>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let mut w = Words::default();
        scan(text, |word, line, flags| {
            w.hashes.push(hash(word));
            w.lines.push(line);
            w.flags.push(flags);
            w.text.push_str(word);
            w.ends.push(w.text.len() as u32);
        });
        w.drop_apache_appendix();
        w
    }

    /// The Apache "how to apply" appendix, however its lines are broken: from "APPENDIX: How
    /// to apply the Apache License" to "limitations under the License.".
    fn drop_apache_appendix(&mut self) {
        const START: [&str; 7] = ["appendix", "how", "to", "apply", "the", "apache", "license"];
        const END: [&str; 4] = ["limitations", "under", "the", "license"];
        let at = |w: &Words, i: usize, seq: &[&str]| {
            i + seq.len() <= w.len() && seq.iter().enumerate().all(|(k, s)| w.word(i + k) == *s)
        };
        let Some(start) = (0..self.len()).find(|&i| at(self, i, &START)) else {
            return;
        };
        let end = (start..self.len())
            .find(|&i| at(self, i, &END))
            .map_or(self.len(), |i| i + END.len());
        let mut rest = self.clone();
        rest.skip(end);
        self.truncate(start);
        for i in 0..rest.len() {
            self.hashes.push(rest.hashes[i]);
            self.lines.push(rest.lines[i]);
            self.flags.push(rest.flags[i]);
            self.text.push_str(rest.word(i));
            self.ends.push(self.text.len() as u32);
        }
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    pub fn word(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The words of a range, one space apart.
    pub fn phrase(&self, range: Range<usize>) -> String {
        let mut out = String::new();
        for i in range {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(self.word(i));
        }
        out
    }

    /// The line of word `i`, or of the last word when `i` is past the end.
    pub fn line(&self, i: usize) -> usize {
        self.lines
            .get(i)
            .or(self.lines.last())
            .map_or(1, |l| *l as usize)
    }

    /// Drops the first `n` words (their lines and marks stay those of the text).
    pub fn skip(&mut self, n: usize) {
        let n = n.min(self.len());
        let cut = if n == 0 { 0 } else { self.ends[n - 1] };
        self.hashes.drain(..n);
        self.lines.drain(..n);
        self.flags.drain(..n);
        self.ends.drain(..n);
        for e in &mut self.ends {
            *e -= cut;
        }
        self.text.drain(..cut as usize);
    }

    /// Keeps the first `n` words.
    pub fn truncate(&mut self, n: usize) {
        let n = n.min(self.len());
        self.hashes.truncate(n);
        self.lines.truncate(n);
        self.flags.truncate(n);
        self.ends.truncate(n);
        self.text
            .truncate(self.ends.last().map_or(0, |e| *e as usize));
    }

    /// The words of a text with its Apache "how to apply" appendix kept (a notice quoted from
    /// it is the licence's own text).
    pub fn with_appendix(text: &str) -> Words {
        let mut w = Words::default();
        scan_lines(text, true, |word, line, flags| {
            w.hashes.push(hash(word));
            w.lines.push(line);
            w.flags.push(flags);
            w.text.push_str(word);
            w.ends.push(w.text.len() as u32);
        });
        w
    }

    /// The index of the first word on or after a line.
    pub fn first_on_or_after(&self, line: usize) -> usize {
        self.lines.partition_point(|l| (*l as usize) < line)
    }
}

/// How many words a text has, as the classifier counts them.
pub fn count(text: &str) -> usize {
    let mut n = 0;
    scan(text, |_, _, _| n += 1);
    n
}

/// The hash of one normalised word.
pub fn hash(word: &str) -> u64 {
    fnv1a(word.as_bytes())
}

/// Calls `emit(word, line, flags)` for every word of a licence text, in order.
pub fn scan(text: &str, emit: impl FnMut(&str, u32, u8)) {
    scan_lines(text, false, emit);
}

fn scan_lines(text: &str, keep_appendix: bool, mut emit: impl FnMut(&str, u32, u8)) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let lines = if keep_appendix {
        all
    } else {
        without_apache_appendix(&all)
    };
    let mut buf = String::new();
    let mut in_comment = false;
    for (number, line) in &lines {
        let line = without_comments(line, &mut in_comment);
        if notice_line(&line) {
            // A reflowed paragraph may go on after the notice ("… Inc. <https://fsf.org/>
            // Everyone is permitted to copy …"): the terms after it are kept.
            if let Some(rest) = after_notice(&line) {
                scan_line(rest, *number as u32, &mut buf, &mut emit);
            }
            continue;
        }
        scan_line(&line, *number as u32, &mut buf, &mut emit);
    }
}

/// The line without HTML comments (`<!-- … -->`, which Markdown does not show).
fn without_comments<'a>(line: &'a str, in_comment: &mut bool) -> std::borrow::Cow<'a, str> {
    if !*in_comment && !line.contains("<!--") {
        return line.into();
    }
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return out.into(),
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(&rest[..start]);
                    rest = &rest[start + 4..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    return out.into();
                }
            }
        }
    }
}

/// A copyright notice (`Copyright (c) 2024 Someone`, `Portions Copyright (c) 1994, The
/// Regents…`), not running text that starts with the word (`copyright holder, and you cure
/// the violation prior to 30 days after…`).
fn notice_line(line: &str) -> bool {
    let l = line
        .trim()
        .trim_start_matches(['#', '*', '-', '/', ' '])
        .trim()
        .to_lowercase();
    let l = l.strip_prefix("portions ").unwrap_or(&l);
    if !is_copyright_line(l) {
        return false;
    }
    match l.strip_prefix("copyright").map(str::trim_start) {
        Some(rest) if rest.starts_with(|c: char| c.is_alphabetic()) => year(rest),
        _ => true,
    }
}

/// In a long copyright line, the text after the notice: from the first sentence that starts
/// after a full stop, `>` or `)` and is not "All rights reserved".
fn after_notice(line: &str) -> Option<&str> {
    if line.split_whitespace().count() < 16 {
        return None;
    }
    let mut from = 0;
    loop {
        let (i, _) = line[from..].char_indices().find(|&(i, c)| {
            let at = from + i;
            matches!(c, '.' | '>' | ')')
                && line[at + 1..].starts_with(char::is_whitespace)
                && line[at + 1..]
                    .trim_start()
                    .starts_with(|c: char| c.is_uppercase())
        })?;
        let rest = line[from + i + 1..].trim_start();
        if rest.to_lowercase().starts_with("all rights reserved") {
            from = line.len() - rest.len() + "all rights reserved".len();
            continue;
        }
        return (rest.split_whitespace().count() >= 5).then_some(rest);
    }
}

fn year(s: &str) -> bool {
    s.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && (w.starts_with(b"19") || w.starts_with(b"20")))
}

/// Han, kana and Hangul are written without spaces: each character is a word.
fn ideographic(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

fn scan_line(line: &str, number: u32, buf: &mut String, emit: &mut impl FnMut(&str, u32, u8)) {
    let s = line;
    let mut pos = 0;
    let mut first = true;
    let mut placeholder_until = 0;
    let mut url_until = 0;
    while pos < s.len() {
        let rest = &s[pos..];
        let Some(c) = rest.chars().next() else { break };
        if c.is_alphanumeric() {
            if pos >= url_until && starts_url(rest) {
                url_until = pos + url_len(rest);
            }
            let mut end = if ideographic(c) {
                pos + c.len_utf8()
            } else {
                pos + rest
                    .find(|c: char| !c.is_alphanumeric() || ideographic(c))
                    .unwrap_or(rest.len())
            };
            buf.clear();
            buf.extend(s[pos..end].chars().flat_map(char::to_lowercase));
            // `sub-license`, `sub license`: one word, as SPDX's equivalent words have it.
            if buf == "sub" {
                let after = &s[end..];
                let joined = after
                    .strip_prefix(['-', ' '])
                    .filter(|a| a.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("licens")));
                if let Some(a) = joined {
                    let next = a.find(|c: char| !c.is_alphanumeric()).unwrap_or(a.len());
                    buf.extend(a[..next].chars().flat_map(char::to_lowercase));
                    end = s.len() - a.len() + next;
                }
            }
            let mut flags = 0;
            if first {
                flags |= LINE_START;
                first = false;
            }
            if pos < placeholder_until {
                flags |= PLACEHOLDER;
            }
            if pos < url_until {
                flags |= URL;
            }
            emit(spelling(buf), number, flags);
            pos = end;
            continue;
        }
        match c {
            '<' | '[' if pos >= placeholder_until => {
                if let Some(close) = placeholder_span(rest) {
                    placeholder_until = pos + close;
                }
            }
            // A Markdown link's target, `[text](https://…)`: the text is what is read.
            ']' if rest.starts_with("](") => {
                if let Some(close) = rest.find(')') {
                    pos += close + 1;
                    continue;
                }
            }
            '&' => {
                if let Some(len) = entity_len(rest) {
                    pos += len;
                    continue;
                }
                // `PERMISSION & CONDITIONS`
                if pos >= url_until {
                    let flags = if first { LINE_START } else { 0 };
                    first = false;
                    emit("and", number, flags);
                }
            }
            _ => {}
        }
        pos += c.len_utf8();
    }
}

/// British and American spellings, and the forms SPDX's matching guidelines treat as equal.
fn spelling(word: &str) -> &str {
    match word {
        "licence" => "license",
        "licences" => "licenses",
        "licenced" => "licensed",
        "licencing" => "licensing",
        "licensor" | "licenser" => "licensor",
        "https" => "http",
        "acknowledgement" => "acknowledgment",
        "acknowledgements" => "acknowledgments",
        "analogue" => "analog",
        "analyse" => "analyze",
        "artefact" => "artifact",
        "authorisation" => "authorization",
        "authorised" => "authorized",
        "authorise" => "authorize",
        "cancelled" => "canceled",
        "catalogue" => "catalog",
        "centre" => "center",
        "favour" => "favor",
        "fulfil" => "fulfill",
        "fulfilment" => "fulfillment",
        "judgement" => "judgment",
        "labelling" => "labeling",
        "labour" => "labor",
        "offence" => "offense",
        "organisation" => "organization",
        "organisations" => "organizations",
        "organise" => "organize",
        "practise" => "practice",
        "programme" => "program",
        "realise" => "realize",
        "recognise" => "recognize",
        "whilst" => "while",
        "wilful" => "willful",
        other => other,
    }
}

/// `https://…`, `www.…`, or a bare `wiki.example.org/Some_page`.
fn starts_url(rest: &str) -> bool {
    let head = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    if head.starts_with("http://") || head.starts_with("https://") || head.starts_with("www.") {
        return true;
    }
    let chunk = rest[..url_len(rest)].to_ascii_lowercase();
    let chunk = chunk.trim_end_matches(['.', ',', ';', ':']);
    let host = chunk.split('/').next().unwrap_or("");
    host.contains('.')
        && [
            ".org", ".com", ".net", ".io", ".edu", ".gov", ".eu", ".info",
        ]
        .iter()
        .any(|tld| host.ends_with(tld))
}

fn url_len(rest: &str) -> usize {
    rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '"' | '[' | ']'))
        .unwrap_or(rest.len())
}

/// `&amp;`, `&quot;`, `&#39;`, `&#x2019;`: the length of the entity at the start of `rest`.
fn entity_len(rest: &str) -> Option<usize> {
    let end = rest.get(..12).unwrap_or(rest).find(';')?;
    let name = &rest[1..end];
    let ok = !name.is_empty()
        && (name.chars().all(|c| c.is_ascii_alphabetic())
            || name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric())));
    ok.then_some(end + 1)
}

/// Words that mark a bracketed span as a placeholder to fill in.
const PLACEHOLDER_WORDS: [&str; 26] = [
    "url",
    "institution",
    "holders",
    "owners",
    "authors",
    "organizations",
    "year",
    "yyyy",
    "name",
    "owner",
    "holder",
    "author",
    "organization",
    "organisation",
    "copyright",
    "fullname",
    "licensor",
    "insert",
    "date",
    "program",
    "product",
    "company",
    "email",
    "xxxx",
    "project",
    "software",
];

/// When `rest` starts with a bracketed placeholder (`<year>`, `[name of copyright owner]`,
/// `[___]`), the byte offset of its closing bracket.
fn placeholder_span(rest: &str) -> Option<usize> {
    let open = rest.chars().next()?;
    let close_char = if open == '<' { '>' } else { ']' };
    let window = rest.get(..rest.len().min(80)).unwrap_or(rest);
    let close = window[1..].find([close_char, open, '\n'])? + 1;
    if !window[close..].starts_with(close_char) {
        return None;
    }
    let inner = window[1..close].trim();
    if inner.is_empty() || inner.contains("://") || inner.split_whitespace().count() > 8 {
        return None;
    }
    let lower = inner.to_lowercase();
    let blanks = lower
        .chars()
        .all(|c| matches!(c, '_' | ' ' | 'x' | '-' | '.'));
    let named = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| PLACEHOLDER_WORDS.contains(&w));
    // `[fullname]`, `[projecturl]`: one run-together word in square brackets.
    let field = open == '[' && inner.len() >= 3 && inner.chars().all(|c| c.is_ascii_alphabetic());
    (blanks || named || field).then_some(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let w = Words::new(text);
        (0..w.len()).map(|i| w.word(i).to_string()).collect()
    }

    #[test]
    fn markdown_and_layout_leave_the_same_words() {
        let plain = "0. Additional Definitions.\n\nAs used herein, \"this License\" refers to\nversion 3 of the GNU Lesser General Public License.\n";
        let md = "### 0. Additional Definitions.\n\nAs used herein, &quot;this License&quot; refers to version 3 of the\n**GNU Lesser General Public License**.\n";
        assert_eq!(words(plain), words(md));
        assert_eq!(
            words("see [the licence](https://example.org/licence) &amp; more"),
            ["see", "the", "license", "more"]
        );
    }

    #[test]
    fn copyright_lines_go_and_placeholders_are_marked() {
        let w = Words::new(
            "Copyright (c) 2024 Someone\n\nNeither the name of <organization> nor\n[yyyy] is not a word",
        );
        assert_eq!(w.word(0), "neither");
        assert_eq!(w.lines[0], 3);
        let marked: Vec<&str> = (0..w.len())
            .filter(|i| w.flags[*i] & PLACEHOLDER != 0)
            .map(|i| w.word(i))
            .collect();
        assert_eq!(marked, ["organization", "yyyy"]);
        assert_ne!(w.flags[0] & LINE_START, 0);
        assert_eq!(w.flags[1] & LINE_START, 0);
    }

    #[test]
    fn terms_after_a_notice_on_the_same_line_are_kept() {
        let reflowed = "Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/> Everyone is permitted to copy and distribute verbatim copies of this license document.";
        assert_eq!(words(reflowed)[..3], ["everyone", "is", "permitted"]);
        let mit = "Copyright (c) 2020 Example Inc. All rights reserved. Permission is hereby granted, free of charge, to any person obtaining a copy";
        assert_eq!(words(mit)[0], "permission");
        assert!(words("Copyright (c) 2024 Someone Else").is_empty());
        // Running text that starts with the word is not a notice.
        assert_eq!(
            words("copyright holder, and you cure the violation prior to 30 days after")[0],
            "copyright"
        );
    }

    #[test]
    fn bracketed_terms_are_not_placeholders() {
        let w =
            Words::new("see <https://www.gnu.org/licenses/> [including the GNU Public Licence.]");
        assert!(w.flags.iter().all(|f| f & PLACEHOLDER == 0));
        let urls = (0..w.len()).filter(|i| w.flags[*i] & URL != 0).count();
        assert_eq!(urls, 5, "http www gnu org licenses");
    }
}
