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

/// The most bytes read from one manifest in cargo's registry cache.
pub const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// What the registry cache holds for one crate.
#[derive(Debug, PartialEq)]
pub enum Cached {
    /// Its manifest: the source shown to users and the licence (`None` when it has none).
    Found(String, Option<String>),
    /// Not unpacked in the cache.
    Missing,
    /// There, but not readable as a manifest (too large, not a regular file, not UTF-8).
    Unreadable(String),
}

/// The `license` of a published crate, from its unpacked source in cargo's registry cache:
/// `<CARGO_HOME>/registry/src/<index>/<name>-<version>/Cargo.toml`, a regular file (never a
/// symbolic link) of at most [`MAX_MANIFEST_BYTES`].
pub fn registry_licence(cargo_home: &Path, name: &str, version: &str) -> Cached {
    let safe = |s: &str| {
        !s.is_empty()
            && !s.contains("..")
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.+".contains(&b))
    };
    if !safe(name) || !safe(version) {
        return Cached::Missing;
    }
    let src = cargo_home.join("registry/src");
    let Ok(dir) = std::fs::read_dir(&src) else {
        return Cached::Missing;
    };
    let mut indexes: Vec<_> = dir
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
        let shown = format!("registry: {}", rel.display());
        if !meta.is_file() {
            return Cached::Unreadable(format!("{shown}: not a regular file"));
        }
        let mut bytes = Vec::new();
        if let Err(e) = std::fs::File::open(&path)
            .and_then(|f| f.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes))
        {
            return Cached::Unreadable(format!("{shown}: {e}"));
        }
        if bytes.len() as u64 > MAX_MANIFEST_BYTES {
            return Cached::Unreadable(format!(
                "{shown}: larger than the {MAX_MANIFEST_BYTES}-byte read limit"
            ));
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return Cached::Unreadable(format!("{shown}: not valid UTF-8"));
        };
        return Cached::Found(shown, package_licence(&text));
    }
    Cached::Missing
}

/// Each `[[package]]`'s `dependencies` list, by index in the order of [`parse`]'s entries;
/// `Err` when the file is not TOML of that shape.
pub fn dependencies(text: &str, entries: &[LockEntry]) -> Result<Vec<Vec<usize>>, String> {
    #[derive(serde::Deserialize)]
    struct Lock {
        #[serde(default)]
        package: Vec<Pkg>,
    }
    #[derive(serde::Deserialize)]
    struct Pkg {
        name: String,
        version: String,
        #[serde(default)]
        dependencies: Vec<String>,
    }
    let lock: Lock = toml::from_str(text).map_err(|e| {
        let e = e.to_string();
        format!("not valid TOML: {}", e.lines().next().unwrap_or_default())
    })?;
    let find = |dep: &str| -> Option<usize> {
        let mut parts = dep.split(' ');
        let name = parts.next()?;
        let version = parts.next();
        entries
            .iter()
            .position(|e| e.name == name && version.is_none_or(|v| e.version == v))
    };
    let mut out = vec![Vec::new(); entries.len()];
    for p in &lock.package {
        let Some(i) = entries
            .iter()
            .position(|e| e.name == p.name && e.version == p.version)
        else {
            continue;
        };
        out[i] = p.dependencies.iter().filter_map(|d| find(d)).collect();
    }
    Ok(out)
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
        // `app` depends on `serde`; the nameless package is left out of both.
        assert!(
            dependencies(LOCK, &entries).is_err(),
            "a package without name is not TOML of the shape"
        );
        let good = LOCK.replace("[[package]]\nversion = \"1\"\n", "");
        let (entries, _) = parse(&SourceFile::new("Cargo.lock", good.as_str()));
        assert_eq!(
            dependencies(&good, &entries).unwrap(),
            vec![vec![1], vec![]]
        );
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
        assert_eq!(
            registry_licence(home.path(), "serde", "1.0.200"),
            Cached::Found(
                "registry: index.crates.io-abc/serde-1.0.200/Cargo.toml".into(),
                Some("MIT OR Apache-2.0".into())
            )
        );
        assert_eq!(
            registry_licence(home.path(), "serde", "9.9.9"),
            Cached::Missing
        );
        assert_eq!(registry_licence(home.path(), "../x", "1"), Cached::Missing);
        // A manifest over the cap is not read, and says so.
        let big = home
            .path()
            .join("registry/src/index.crates.io-abc/big-1.0.0");
        std::fs::create_dir_all(&big).unwrap();
        std::fs::write(big.join("Cargo.toml"), "#".repeat(2 << 20)).unwrap();
        let Cached::Unreadable(why) = registry_licence(home.path(), "big", "1.0.0") else {
            panic!()
        };
        assert!(why.contains("read limit"), "{why}");
    }
}
