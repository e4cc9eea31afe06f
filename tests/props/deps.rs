//! Round trips of the dependency files: lockfiles, `go.mod` and `Cargo.lock` written from a
//! package list read back as that list, each package located at the text it was written as.

use super::round_trip::slice;
use onboard::facts::deps::{cargo::lock, go::modfile, npm};
use onboard::source::SourceFile;
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
enum Licence {
    Str(String),
    Object(String),
    List(Vec<String>),
    Absent,
    Number,
}

fn licence() -> impl Strategy<Value = Licence> {
    let text = prop_oneof![
        3 => prop::sample::select(&["MIT", "Apache-2.0", "Apache 2.0", "(MIT OR CC0-1.0)", "GPL-3.0"][..]).prop_map(str::to_string),
        1 => "[ -~é😀]{0,10}",
    ];
    prop_oneof![
        text.clone().prop_map(Licence::Str),
        text.clone().prop_map(Licence::Object),
        prop::collection::vec(text, 0..3).prop_map(Licence::List),
        Just(Licence::Absent),
        Just(Licence::Number),
    ]
}

impl Licence {
    fn json(&self) -> Option<Value> {
        match self {
            Licence::Str(s) => Some(json!(s)),
            Licence::Object(s) => Some(json!({"type": s})),
            Licence::List(items) => Some(Value::Array(
                items.iter().map(|s| json!({"type": s})).collect(),
            )),
            Licence::Absent => None,
            Licence::Number => Some(json!(3)),
        }
    }

    fn expected(&self) -> Option<String> {
        let nonblank = |s: &String| (!s.trim().is_empty()).then(|| s.clone());
        match self {
            Licence::Str(s) | Licence::Object(s) => nonblank(s),
            Licence::List(items) => {
                let parts: Vec<String> = items.iter().filter_map(nonblank).collect();
                match parts.len() {
                    0 => None,
                    1 => Some(parts[0].clone()),
                    _ => Some(format!("({})", parts.join(" OR "))),
                }
            }
            Licence::Absent | Licence::Number => None,
        }
    }
}

proptest! {
    /// Lockfile v3 (`packages`) and v1 (`dependencies`) written from a package list read back as
    /// that list, each located at its licence value (or its key when it has none).
    #[test]
    fn lockfile_reads_back(
        packages in prop::collection::btree_map(
            "(@[a-z]{1,4}/)?[a-z][a-z0-9._-]{0,8}",
            ("[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}", licence(), any::<bool>()),
            0..8,
        ),
        v1 in any::<bool>(),
    ) {
        let mut entries = serde_json::Map::new();
        for (name, (version, licence, dev)) in &packages {
            let mut e = json!({"version": version});
            if let Some(l) = licence.json() {
                e["license"] = l;
            }
            if *dev {
                e["dev"] = json!(true);
            }
            let key = if v1 { name.clone() } else { format!("node_modules/{name}") };
            entries.insert(key, e);
        }
        let doc = if v1 {
            json!({"name": "root", "lockfileVersion": 1, "dependencies": entries})
        } else {
            let mut all = serde_json::Map::new();
            all.insert(String::new(), json!({"name": "root"}));
            all.extend(entries);
            json!({"name": "root", "lockfileVersion": 3, "packages": all})
        };
        let text = doc.to_string();
        let none = |_: &str| Ok(None);
        let parsed = npm::parse(&SourceFile::new(npm::LOCKFILE, text.as_str()), &none);
        prop_assert_eq!(parsed.lockfile_version, Some(if v1 { 1 } else { 3 }));
        let wrong = packages.values().filter(|(_, l, _)| matches!(l, Licence::Number)).count();
        prop_assert_eq!(parsed.problems.len(), wrong, "{:?}", parsed.problems);
        prop_assert_eq!(parsed.packages.len(), packages.len());
        for p in &parsed.packages {
            let (version, licence, dev) = &packages[&p.name];
            prop_assert_eq!(p.version.as_ref(), Some(version));
            prop_assert_eq!(p.dev, *dev);
            prop_assert_eq!(&p.expression, &licence.expected());
            let at = slice(&text, p.location.as_ref().unwrap().span);
            match licence.json() {
                Some(l) => prop_assert_eq!(at, l.to_string()),
                None => prop_assert!(at.ends_with(&format!("{}\"", p.name)), "{}", at),
            }
        }
    }

    /// `go.mod` requires, on single lines or in a block, quoted or not, with blanks of every
    /// kind, read back with spans on the words as written.
    #[test]
    fn go_mod_reads_back(
        requires in prop::collection::vec(
            ("[a-z]{1,6}\\.(com|org)/[a-z0-9_.-]{1,10}(/v[2-9])?", "v[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}", any::<bool>(), prop::sample::select(&["", "\"", "`"][..])),
            0..8,
        ),
        in_block in any::<bool>(),
        blank in prop::sample::select(&[" ", "\t", "  \t"][..]),
        crlf in any::<bool>(),
    ) {
        let mut text = String::from("module example.com/plugin\n\ngo 1.22\n\n");
        if in_block {
            text.push_str("require (\n");
        }
        for (path, version, indirect, quote) in &requires {
            let lead = if in_block { "\t" } else { "require " };
            let comment = if *indirect { format!("{blank}// indirect") } else { String::new() };
            text.push_str(&format!("{lead}{quote}{path}{quote}{blank}{version}{comment}\n"));
        }
        if in_block {
            text.push_str(")\n");
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let m = modfile::parse(&SourceFile::new("go.mod", text.as_str()));
        prop_assert!(m.problems.is_empty(), "{:?}", m.problems);
        prop_assert_eq!(m.module.as_ref().map(|s| s.value.as_str()), Some("example.com/plugin"));
        prop_assert_eq!(m.requires.len(), requires.len());
        for (r, (path, version, indirect, quote)) in m.requires.iter().zip(&requires) {
            prop_assert_eq!(&r.path.value, path);
            prop_assert_eq!(slice(&text, r.path.span), format!("{quote}{path}{quote}"));
            prop_assert_eq!(&r.version.value, version);
            prop_assert_eq!(slice(&text, r.version.span), version.as_str());
            prop_assert_eq!(r.indirect, *indirect);
        }
    }

    /// `Cargo.lock` packages, indented by blanks of every kind (as no cargo writes them, but a
    /// hand edit may), read back; each entry at its `name` line, a nameless one at its header.
    #[test]
    fn cargo_lock_reads_back(
        packages in prop::collection::vec(
            (prop::option::of("[a-z][a-z0-9_-]{0,10}"), "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}", any::<bool>()),
            0..6,
        ),
        indent in prop::sample::select(&["", " ", "\t", "\u{3000}\u{3000}\u{3000}\u{3000}", "\u{a0}"][..]),
    ) {
        let mut text = String::from("# This file is automatically @generated by Cargo.\nversion = 4\n");
        for (name, version, registry) in &packages {
            text.push_str(&format!("\n{indent}[[package]]{indent}\n"));
            if let Some(n) = name {
                text.push_str(&format!("{indent}name = \"{n}\"\n"));
            }
            text.push_str(&format!("{indent}version = \"{version}\"\n"));
            if *registry {
                text.push_str(&format!("{indent}source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"));
            }
        }
        let (entries, problems) = lock::parse(&SourceFile::new("Cargo.lock", text.as_str()));
        let named: Vec<_> = packages.iter().filter(|p| p.0.is_some()).collect();
        prop_assert_eq!(entries.len(), named.len());
        for (e, (name, version, registry)) in entries.iter().zip(named) {
            let name = name.as_ref().unwrap();
            prop_assert_eq!(&e.name, name);
            prop_assert_eq!(&e.version, version);
            prop_assert_eq!(e.source.is_some(), *registry);
            prop_assert_eq!(slice(&text, e.span), format!("name = \"{name}\""));
        }
        prop_assert_eq!(problems.len(), packages.len() - entries.len());
        for p in &problems {
            prop_assert_eq!(slice(&text, p.span.unwrap()), "[[package]]");
        }
    }
}
