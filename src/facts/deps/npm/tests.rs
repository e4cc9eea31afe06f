use super::*;
use crate::workspace::ReadError;
use std::collections::HashMap;

/// A repository of in-memory files for the `node_modules` fallback.
fn repo(files: &[(&str, &str)]) -> HashMap<String, String> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

fn parse_with(path: &str, text: &str, files: &HashMap<String, String>) -> Parsed {
    let read = |p: &str| -> Result<Option<SourceFile>, ReadError> {
        Ok(files.get(p).map(|t| SourceFile::new(p, t.as_str())))
    };
    parse(&SourceFile::new(path, text), &read)
}

fn spanned(p: &Package) -> &str {
    let l = p.location.as_ref().unwrap();
    &l.file.text[l.span.offset..l.span.end()]
}

fn find<'a>(parsed: &'a Parsed, path: &str) -> &'a Package {
    parsed
        .packages
        .iter()
        .find(|p| p.install_path.as_deref() == Some(path))
        .unwrap_or_else(|| panic!("no package at {path}: {:#?}", parsed.packages))
}

const V3: &str = r#"{
  "name": "webapp",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "webapp", "version": "1.0.0", "license": "Apache-2.0" },
    "node_modules/react": { "version": "18.2.0", "license": "MIT" },
    "node_modules/either": { "version": "1.0.0", "license": "(MIT OR CC0-1.0)" },
    "node_modules/spaced": { "version": "2.0.0", "license": "Apache 2.0", "dev": true },
    "node_modules/legacy": { "version": "0.1.0", "license": { "type": "BSD-3-Clause", "url": "x" } },
    "node_modules/listed": { "version": "0.2.0", "licenses": [ { "type": "MIT" }, "Apache-2.0" ] },
    "node_modules/numeric": { "version": "0.3.0", "license": 42 },
    "node_modules/empty": { "version": "0.4.0", "license": "" },
    "node_modules/fallback": { "version": "3.0.0", "devOptional": true },
    "node_modules/nowhere": { "version": "4.0.0", "dev": true },
    "node_modules/@scope/pkg": { "version": "5.0.0", "license": "ISC" },
    "node_modules/react/node_modules/loose": { "version": "6.0.0", "license": "Public Domain" },
    "node_modules/alias": { "name": "real-name", "version": "7.0.0", "license": "0BSD" },
    "node_modules/member": { "resolved": "packages/member", "link": true },
    "packages/member": { "name": "member", "version": "0.0.1", "license": "Apache-2.0" }
  }
}"#;

#[test]
fn v3_reads_licences_in_every_form() {
    let files = repo(&[(
        "webapp/node_modules/fallback/package.json",
        r#"{"name": "fallback", "license": "BSD-2-Clause"}"#,
    )]);
    let parsed = parse_with("webapp/package-lock.json", V3, &files);
    assert_eq!(parsed.lockfile_version, Some(3));
    // Root, the workspace member and its link are the project's own code.
    assert_eq!(parsed.packages.len(), 12, "{:#?}", parsed.packages);
    assert!(parsed
        .packages
        .iter()
        .all(|p| p.name != "webapp" && p.name != "member"));

    let react = find(&parsed, "node_modules/react");
    assert_eq!(react.name, "react");
    assert_eq!(react.version.as_deref(), Some("18.2.0"));
    assert_eq!(react.expression.as_deref(), Some("MIT"));
    assert_eq!(react.source.as_deref(), Some("webapp/package-lock.json"));
    assert!(!react.dev);
    assert_eq!(spanned(react), "\"MIT\"");

    let either = find(&parsed, "node_modules/either");
    assert_eq!(either.expression.as_deref(), Some("(MIT OR CC0-1.0)"));
    let spaced = find(&parsed, "node_modules/spaced");
    assert_eq!(spaced.expression.as_deref(), Some("Apache 2.0"));
    assert!(spaced.dev);

    let legacy = find(&parsed, "node_modules/legacy");
    assert_eq!(legacy.expression.as_deref(), Some("BSD-3-Clause"));
    assert!(spanned(legacy).starts_with("{ \"type\""));
    let listed = find(&parsed, "node_modules/listed");
    assert_eq!(listed.expression.as_deref(), Some("(MIT OR Apache-2.0)"));

    let numeric = find(&parsed, "node_modules/numeric");
    assert_eq!(numeric.expression, None);
    assert_eq!(spanned(numeric), "42");
    assert_eq!(parsed.problems.len(), 1, "{:#?}", parsed.problems);
    let problem = &parsed.problems[0];
    assert!(
        problem.message.contains("found a number"),
        "{}",
        problem.message
    );
    let span = problem.span.unwrap();
    assert_eq!(&V3[span.offset..span.end()], "42");

    let empty = find(&parsed, "node_modules/empty");
    assert_eq!(empty.expression, None);
    assert_eq!(spanned(empty), "\"\"");

    // No licence in the lockfile: node_modules has the package's own package.json.
    let fallback = find(&parsed, "node_modules/fallback");
    assert_eq!(fallback.expression.as_deref(), Some("BSD-2-Clause"));
    assert_eq!(
        fallback.source.as_deref(),
        Some("webapp/node_modules/fallback/package.json")
    );
    assert_eq!(spanned(fallback), "\"BSD-2-Clause\"");
    assert!(!fallback.dev, "devOptional may ship");

    // Nowhere to look: unknown, pointing at the lockfile entry.
    let nowhere = find(&parsed, "node_modules/nowhere");
    assert_eq!(nowhere.expression, None);
    assert_eq!(nowhere.source, None);
    assert_eq!(spanned(nowhere), "\"node_modules/nowhere\"");
    assert_eq!(
        nowhere.location.as_ref().unwrap().path,
        "webapp/package-lock.json"
    );

    assert_eq!(find(&parsed, "node_modules/@scope/pkg").name, "@scope/pkg");
    let loose = find(&parsed, "node_modules/react/node_modules/loose");
    assert_eq!(loose.name, "loose");
    assert_eq!(loose.expression.as_deref(), Some("Public Domain"));
    assert_eq!(find(&parsed, "node_modules/alias").name, "real-name");
}

#[test]
fn v2_uses_packages_not_the_v1_tree() {
    let text = r#"{
      "lockfileVersion": 2,
      "packages": {
        "": { "name": "x" },
        "node_modules/a": { "version": "1.0.0", "license": "MIT" }
      },
      "dependencies": {
        "a": { "version": "1.0.0" },
        "b": { "version": "2.0.0" }
      }
    }"#;
    let parsed = parse_with("package-lock.json", text, &repo(&[]));
    assert_eq!(parsed.lockfile_version, Some(2));
    assert_eq!(parsed.packages.len(), 1);
    assert_eq!(parsed.packages[0].expression.as_deref(), Some("MIT"));
    assert_eq!(
        parsed.packages[0].source.as_deref(),
        Some("package-lock.json")
    );
}

#[test]
fn v1_walks_the_nested_tree_and_falls_back_to_node_modules() {
    let text = r#"{
      "name": "webapp",
      "lockfileVersion": 1,
      "requires": true,
      "dependencies": {
        "a": {
          "version": "1.0.0",
          "requires": { "b": "^2" },
          "dependencies": {
            "b": { "version": "2.0.0", "dev": true }
          }
        },
        "c": { "version": "3.0.0", "dev": true }
      }
    }"#;
    let files = repo(&[
        (
            "node_modules/a/node_modules/b/package.json",
            r#"{"licenses": [{"type": "MIT", "url": "u"}]}"#,
        ),
        ("node_modules/c/package.json", r#"{"license": ["#),
    ]);
    let parsed = parse_with("package-lock.json", text, &files);
    assert_eq!(parsed.lockfile_version, Some(1));
    assert_eq!(parsed.packages.len(), 3);
    let a = find(&parsed, "node_modules/a");
    assert_eq!(
        (a.name.as_str(), a.version.as_deref()),
        ("a", Some("1.0.0"))
    );
    assert_eq!(a.expression, None);
    assert!(!a.dev);
    assert_eq!(spanned(a), "\"a\"");
    let b = find(&parsed, "node_modules/a/node_modules/b");
    assert_eq!(b.name, "b");
    assert!(b.dev);
    assert_eq!(b.expression.as_deref(), Some("MIT"));
    assert_eq!(
        b.source.as_deref(),
        Some("node_modules/a/node_modules/b/package.json")
    );
    // A broken package.json is a problem in that file, and the licence stays unknown.
    let c = find(&parsed, "node_modules/c");
    assert_eq!(c.expression, None);
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(
        parsed.problems[0].path.as_deref(),
        Some("node_modules/c/package.json")
    );
}

#[test]
fn truncated_and_malformed_lockfiles_are_problems() {
    let truncated = &V3[..V3.len() / 2];
    let parsed = parse_with("package-lock.json", truncated, &repo(&[]));
    assert!(parsed.packages.is_empty());
    assert_eq!(parsed.problems.len(), 1);
    assert!(
        parsed.problems[0].message.contains("EOF"),
        "{}",
        parsed.problems[0].message
    );
    assert_eq!(parsed.problems[0].span.unwrap().offset, truncated.len());

    let parsed = parse_with("package-lock.json", "[1, 2]", &repo(&[]));
    assert!(parsed.problems[0].message.contains("must be a JSON object"));

    let text = r#"{"lockfileVersion": "3", "packages": {"node_modules/a": "x", "node_modules/b": {"version": 1, "dev": "yes"}}}"#;
    let parsed = parse_with("package-lock.json", text, &repo(&[]));
    let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(parsed.lockfile_version, None);
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert!(messages[0].contains("`lockfileVersion` must be a number"));
    assert!(messages[1].contains("must be an object"));
    assert!(messages[2].contains("`version` must be a string"));
    assert!(messages[3].contains("`dev` must be a boolean"));
    for p in &parsed.problems {
        let s = p.span.unwrap();
        assert!(s.end() <= text.len() && s.length > 0, "{p:?}");
    }
    assert_eq!(parsed.packages.len(), 1);

    let parsed = parse_with("package-lock.json", r#"{"packages": []}"#, &repo(&[]));
    assert!(parsed.problems[0]
        .message
        .contains("`packages` must be an object"));
}

#[test]
fn collect_skips_node_modules_and_counts() {
    use crate::workspace::{FileKind, RepoFile};
    let files = repo(&[
        ("webapp/package-lock.json", V3),
        ("webapp/node_modules/x/package-lock.json", "not json"),
    ]);
    let listed: Vec<RepoFile> = files
        .keys()
        .map(|p| RepoFile {
            path: p.clone(),
            kind: FileKind::File,
        })
        .collect();
    let read = |p: &str| -> Result<Option<SourceFile>, ReadError> {
        Ok(files.get(p).map(|t| SourceFile::new(p, t.as_str())))
    };
    let fact = collect(&listed, &read, &read, None);
    assert_eq!(fact.lockfiles.len(), 1);
    assert_eq!(fact.lockfiles[0].path, "webapp/package-lock.json");
    assert_eq!(fact.lockfiles[0].lockfile_version, Some(3));
    assert_eq!(fact.total, 12);
    // numeric, empty, fallback (no node_modules here), nowhere.
    assert_eq!(fact.unknown, 4);
}

#[test]
fn a_large_lockfile_is_read_whole() {
    let mut text = String::from(r#"{"lockfileVersion": 3, "packages": {"": {"name": "big"}"#);
    for i in 0..50_000 {
        text.push_str(&format!(
            r#", "node_modules/p{i}": {{"version": "1.0.{i}", "resolved": "https://registry.npmjs.org/p{i}/-/p{i}-1.0.{i}.tgz", "integrity": "sha512-AAAA", "dev": {}, "license": "{}", "dependencies": {{"q": "^1"}}, "engines": {{"node": ">=8"}}}}"#,
            i % 2 == 0,
            if i % 3 == 0 { "MIT" } else { "" }
        ));
    }
    text.push_str("}}");
    let parsed = parse_with("package-lock.json", &text, &repo(&[]));
    assert!(parsed.problems.is_empty());
    assert_eq!(parsed.packages.len(), 50_000);
    assert_eq!(
        parsed
            .packages
            .iter()
            .filter(|p| p.expression.is_some())
            .count(),
        16_667
    );
    assert_eq!(parsed.packages.iter().filter(|p| p.dev).count(), 25_000);
    assert_eq!(
        parsed.packages[49_999].version.as_deref(),
        Some("1.0.49999")
    );
}
