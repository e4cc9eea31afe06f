//! Starter-template boilerplate, found by content.
//!
//! Plugins rarely share history with the template they started from, and the template's files
//! change over time, so a plugin file is compared with every version the template ever had at
//! that path. [`index::TemplateIndex`] holds, for every path and every blob it had, the blob id,
//! its line count and hashes of its normalised lines (no template text), plus every template
//! commit's tree. [`build`] makes one from a template clone; the index of
//! `mattermost/mattermost-plugin-starter-template` ships in `policies/templates/`.

pub mod build;
pub mod classes;
pub mod compare;
pub mod index;

pub use classes::{Class, Classifier, TemplateSettings};
pub use index::TemplateIndex;

/// The index used when neither `.onboarding.yml` nor the policy names one.
pub const DEFAULT_TEMPLATE: &str = "mattermost-plugin-starter-template";

/// Indexes shipped in the binary: name and bytes.
pub const SHIPPED: &[(&str, &[u8])] = &[(
    DEFAULT_TEMPLATE,
    include_bytes!("../../policies/templates/mattermost-plugin-starter-template.idx"),
)];

/// The bytes of a shipped index.
pub fn shipped(name: &str) -> Option<&'static [u8]> {
    SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// Bytes looked at for a NUL byte to call a blob binary, as git does.
pub const BINARY_SNIFF: usize = 8000;

/// Whether content looks binary: a NUL byte near the start.
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0)
}

/// 64-bit FNV-1a.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The lines of a text: split at `\n`; a final newline does not start another line.
pub fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    body.split(|&b| b == b'\n').filter(move |_| !empty)
}

/// A line with trailing whitespace (and so a CR of CRLF) removed.
pub fn normalise(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\x0c' | b'\x0b'))
        .map_or(0, |i| i + 1);
    &line[..end]
}

/// The number of lines of a text.
pub fn line_count(bytes: &[u8]) -> usize {
    lines(bytes).count()
}

/// The hash of every normalised line, in order.
pub fn line_hashes(bytes: &[u8]) -> Vec<u64> {
    lines(bytes).map(|l| fnv1a(normalise(l))).collect()
}

/// Sorted `(hash, count)` pairs: a multiset of lines.
pub fn multiset(hashes: &[u64]) -> Vec<(u64, u32)> {
    let mut sorted = hashes.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::new();
    for h in sorted {
        match out.last_mut() {
            Some((last, n)) if *last == h => *n += 1,
            _ => out.push((h, 1)),
        }
    }
    out
}

/// The module path a `go.mod` declares, with its byte span in the text.
pub fn go_module(text: &str) -> Option<(&str, crate::source::Span)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.split("//").next().unwrap_or("");
        let Some(rest) = body.trim_start().strip_prefix("module") else {
            continue;
        };
        if !rest.starts_with([' ', '\t']) {
            continue;
        }
        let value = rest.trim().trim_matches('"');
        if value.is_empty() {
            return None;
        }
        let at = start + line.find(value)?;
        return Some((value, crate::source::Span::new(at, value.len())));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_normalisation() {
        assert_eq!(line_count(b""), 0);
        assert_eq!(line_count(b"a"), 1);
        assert_eq!(line_count(b"a\n"), 1);
        assert_eq!(line_count(b"a\n\nb"), 3);
        assert_eq!(normalise(b"x = 1 \t\r"), b"x = 1");
        assert_eq!(normalise(b"  \r"), b"");
        assert_eq!(line_hashes(b"a\r\nb  \n"), line_hashes(b"a\nb\n"));
        assert_ne!(line_hashes(b" a\n"), line_hashes(b"a\n"));
        assert_eq!(multiset(&[3, 1, 3]), vec![(1, 1), (3, 2)]);
        assert!(looks_binary(b"PNG\0\x01"));
        assert!(!looks_binary("é\n".as_bytes()));
        // Known FNV-1a 64 values.
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn go_module_path_and_span() {
        let text = "// c\nmodule github.com/x/y // note\n\ngo 1.21\n";
        let (m, span) = go_module(text).unwrap();
        assert_eq!(m, "github.com/x/y");
        assert_eq!(&text[span.offset..span.end()], m);
        assert_eq!(go_module("module \"a/b\"\n").unwrap().0, "a/b");
        assert!(go_module("go 1.21\n").is_none());
    }
}
