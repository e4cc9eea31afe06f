//! `Cargo.lock` and published `Cargo.toml` files, read without cargo.
//!
//! Both are written by cargo in one fixed layout (`[[package]]` tables of `key = "value"`
//! lines; `cargo publish` normalises a published manifest the same way), so reading the few
//! string keys needed line by line is exact for them. It serves to point findings at a package's
//! entry in `Cargo.lock`, and as the fallback when `cargo metadata` cannot run.

use crate::facts::deps::Problem;
use crate::source::{SourceFile, Span};
use std::io::Read;
use std::path::Path;

/// One `[[package]]` of `Cargo.lock`.
#[derive(Debug, Clone, PartialEq)]
pub struct LockEntry {
    pub name: String,
    pub version: String,
    /// `registry+…` or `git+…`; `None` for workspace members and path dependencies.
    pub source: Option<String>,
    /// The `name = "…"` line.
    pub span: Span,
}

/// A `[[package]]` table being read.
struct Pending {
    name: Option<String>,
    version: Option<String>,
    source: Option<String>,
    span: Span,
}

/// Reads the `[[package]]` tables of a `Cargo.lock`.
pub fn parse(file: &SourceFile) -> (Vec<LockEntry>, Vec<Problem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut current: Option<Pending> = None;
    let mut offset = 0;
    let mut finish = |cur: Option<Pending>, problems: &mut Vec<Problem>| {
        let Some(p) = cur else { return };
        match (p.name, p.version) {
            (Some(name), Some(version)) => entries.push(LockEntry {
                name,
                version,
                source: p.source,
                span: p.span,
            }),
            _ => problems.push(Problem::at(
                file,
                p.span,
                "a `[[package]]` of Cargo.lock without `name` or `version`",
            )),
        }
    };
    for raw in file.text.split_inclusive('\n') {
        let base = offset;
        offset += raw.len();
        let line = raw.trim();
        // Where `line` starts in the file: after the blanks `trim` dropped.
        let start = base + (raw.len() - raw.trim_start().len());
        if line.starts_with('[') {
            finish(current.take(), &mut problems);
            if line == "[[package]]" {
                current = Some(Pending {
                    name: None,
                    version: None,
                    source: None,
                    span: Span::new(start, line.len()),
                });
            }
            continue;
        }
        let Some(cur) = current.as_mut() else {
            continue;
        };
        let Some((key, value)) = key_value(line) else {
            continue;
        };
        match key {
            "name" => {
                cur.name = Some(value);
                cur.span = Span::new(start, line.len());
            }
            "version" => cur.version = Some(value),
            "source" => cur.source = Some(value),
            _ => {}
        }
    }
    finish(current.take(), &mut problems);
    (entries, problems)
}

/// `key = "value"` with a basic string value.
fn key_value(line: &str) -> Option<(&str, String)> {
    let (key, rest) = line.split_once('=')?;
    let rest = rest.trim();
    let inner = rest.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some((key.trim(), out)),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
    None
}

/// The `license` of a published crate, from its unpacked source in cargo's registry cache:
/// `<CARGO_HOME>/registry/src/<index>/<name>-<version>/Cargo.toml`. Returns the source shown to
/// users and the licence (`None` when the manifest has none).
pub fn registry_licence(
    cargo_home: &Path,
    name: &str,
    version: &str,
) -> Option<(String, Option<String>)> {
    let safe = |s: &str| {
        !s.is_empty()
            && !s.contains("..")
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.+".contains(&b))
    };
    if !safe(name) || !safe(version) {
        return None;
    }
    let src = cargo_home.join("registry/src");
    let mut indexes: Vec<_> = std::fs::read_dir(&src)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name())
        .collect();
    indexes.sort();
    for index in indexes {
        let rel = Path::new(&index).join(format!("{name}-{version}/Cargo.toml"));
        let path = src.join(&rel);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let mut text = String::new();
        if std::fs::File::open(&path)
            .and_then(|f| f.take(1024 * 1024).read_to_string(&mut text))
            .is_err()
        {
            continue;
        }
        let shown = format!("registry: {}", rel.display());
        return Some((shown, package_licence(&text)));
    }
    None
}

/// `license` in the `[package]` table of a normalised manifest.
pub fn package_licence(text: &str) -> Option<String> {
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if in_package {
            if let Some(("license", v)) = key_value(line) {
                return Some(v);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "# This file is automatically @generated by Cargo.\nversion = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"serde\",\n]\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"abc\"\n\n[[package]]\nversion = \"1\"\n\n[metadata]\n";

    #[test]
    fn reads_packages_with_spans() {
        let file = SourceFile::new("Cargo.lock", LOCK);
        let (entries, problems) = parse(&file);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, "app");
        assert_eq!(entries[0].source, None);
        assert_eq!(entries[1].version, "1.0.200");
        assert!(entries[1]
            .source
            .as_deref()
            .unwrap()
            .starts_with("registry+"));
        let s = entries[1].span;
        assert_eq!(&LOCK[s.offset..s.end()], "name = \"serde\"");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("without `name`"));
    }

    #[test]
    fn an_indented_nameless_package_is_reported_at_its_header() {
        // Found by the property tests: the header's span ignored the indentation, and with
        // multi-byte blanks (U+3000) it ended inside a character.
        for indent in [" ", "\u{3000}\u{3000}\u{3000}\u{3000}"] {
            let text = format!("{indent}[[package]]\n{indent}version = \"1\"\n");
            let (entries, problems) = parse(&SourceFile::new("Cargo.lock", text.as_str()));
            assert!(entries.is_empty());
            let s = problems[0].span.unwrap();
            assert_eq!(&text[s.offset..s.end()], "[[package]]");
        }
    }

    #[test]
    fn reads_the_licence_of_a_published_manifest() {
        let text = "[package]\nedition = \"2021\"\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n\n[dependencies.license]\nversion = \"1\"\n";
        assert_eq!(package_licence(text), Some("MIT OR Apache-2.0".into()));
        assert_eq!(
            package_licence("[package]\nname = \"x\"\n[lib]\nlicense = \"no\"\n"),
            None
        );

        let home = tempfile::tempdir().unwrap();
        let dir = home
            .path()
            .join("registry/src/index.crates.io-abc/serde-1.0.200");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Cargo.toml"), text).unwrap();
        let (shown, licence) = registry_licence(home.path(), "serde", "1.0.200").unwrap();
        assert_eq!(
            shown,
            "registry: index.crates.io-abc/serde-1.0.200/Cargo.toml"
        );
        assert_eq!(licence.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(registry_licence(home.path(), "serde", "9.9.9"), None);
        assert_eq!(registry_licence(home.path(), "../x", "1"), None);
    }
}
