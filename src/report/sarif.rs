//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
//!
//! Rule metadata comes from the registry, each rule with its own `helpUri` (its heading in
//! `docs/rules.md` at this version's tag); results carry line/column regions computed from byte
//! spans, and `partialFingerprints` built from what was flagged (rule, file, the flagged text and
//! its occurrence number), never from line numbers, so an unrelated edit above a finding does not
//! turn it into a new alert. Code scanning drops a result without a location, so every result
//! has one: a finding about the repository as a whole points at the file its evidence comes
//! from, else at the run's anchor (see [`anchor`]). Its fingerprint leaves out
//! the numbers in its message, so "12 dependencies" becoming "13 dependencies" is the same
//! alert. URIs are relative references to `%SRCROOT%`, percent-encoded.

use super::json::location;
use crate::finding::{Finding, Level};
use crate::outcome::Report;
use crate::rules::{Rule, REGISTRY};
use serde_json::{json, Value};
use std::collections::HashMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The file that findings about the whole repository, with no evidence in a file of their own,
/// are anchored to where a consumer requires a location (SARIF: code scanning drops a result
/// without one): `.onboarding.yml`, else the manifest, else the README, else the root licence,
/// else the first file listed; in a repository with no file at all, `.onboarding.yml`, the file
/// that would say where the plugin stands.
pub fn anchor(facts: &crate::facts::Facts) -> String {
    if let Some(f) = facts.onboarding().file() {
        return f.path.clone();
    }
    match facts.manifest() {
        crate::facts::ManifestFact::Found(m) => return m.path.clone(),
        crate::facts::ManifestFact::SyntaxError { path, .. } => return path.clone(),
        _ => {}
    }
    let files = facts.files();
    files
        .readmes
        .first()
        .or_else(|| files.licence_files.first().map(|l| &l.path))
        .or_else(|| {
            files
                .list
                .iter()
                .find(|f| f.kind != crate::workspace::FileKind::Submodule)
                .map(|f| &f.path)
        })
        .cloned()
        .unwrap_or_else(|| crate::facts::onboarding::FILE_NAME.to_string())
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

/// The text under one `## ` heading of a rule's docs.
fn section<'a>(rule: &'a Rule, heading: &str) -> &'a str {
    rule.docs
        .split(&format!("## {heading}\n"))
        .nth(1)
        .map(|s| s.split("\n## ").next().unwrap_or(s).trim())
        .unwrap_or("")
}

fn rule_metadata(rule: &Rule) -> Value {
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": section(rule, "What it checks") },
        "help": {
            "text": format!("{}\n\nHow to fix: {}", section(rule, "Why it matters"), section(rule, "How to fix")),
            "markdown": rule.docs,
        },
        "helpUri": crate::links::rule(&super::rules_table::anchor(rule)),
        "defaultConfiguration": { "level": level(rule.level) },
        "properties": { "tags": [rule.group, format!("checklist:{}", rule.item)] },
    })
}

/// 64-bit FNV-1a: small, stable across platforms and versions.
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A repository path as a relative URI reference: every byte but unreserved characters and `/`
/// percent-encoded, so `build #1 100%.yml` is `build%20%231%20100%25.yml` and `a:b` cannot read
/// as a scheme.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical(path: &str, region: Value) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(path), "uriBaseId": "%SRCROOT%" },
            "region": region,
        }
    })
}

/// The file a finding about the whole repository points at: where its evidence is (its first
/// label, else a located note of the same rule), else the run's anchor.
fn evidence_file<'a>(f: &'a Finding, notes: &'a [crate::rules::Note], anchor: &'a str) -> &'a str {
    f.labels
        .first()
        .map(|l| l.location.file.path.as_str())
        .or_else(|| {
            notes
                .iter()
                .filter(|n| n.code == f.code)
                .find_map(|n| n.location.as_ref().map(|l| l.file.path.as_str()))
        })
        .unwrap_or(anchor)
}

/// A message as fingerprinted: without the checkout's path, and with every run of digits
/// replaced, so that a count changing does not make a new alert.
fn stable_message(message: &str, root: &str) -> String {
    let message = if root.is_empty() {
        message.to_string()
    } else {
        message.replace(root, "")
    };
    let mut out = String::with_capacity(message.len());
    let mut in_number = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

/// `root` is removed from messages before fingerprinting, so that where the repository was
/// checked out does not change the identity of a finding.
fn result(f: &Finding, located_at: &str, root: &str, seen: &mut HashMap<String, usize>) -> Value {
    let rule_index = REGISTRY.iter().position(|r| r.code == f.code).unwrap_or(0);
    let (locations, what) = match &f.location {
        Some(l) => {
            let loc = location(l);
            let text = l.file.text.get(l.span.offset..l.span.end()).unwrap_or("");
            let region = json!({
                "startLine": loc.line, "startColumn": loc.column,
                "endLine": loc.end_line, "endColumn": loc.end_column.max(if loc.end_line == loc.line { loc.column + 1 } else { 1 }),
            });
            (
                vec![physical(&loc.path, region)],
                format!("{}\u{0}{}", loc.path, text),
            )
        }
        None => (
            vec![physical(located_at, json!({ "startLine": 1 }))],
            stable_message(&f.message, root),
        ),
    };
    let key = format!("{}\u{0}{what}", f.code);
    let n = seen.entry(key.clone()).or_insert(0);
    *n += 1;
    let fingerprint = fnv1a(&[&key, &n.to_string()]);
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str(&format!(" (help: {help})"));
    }
    let mut r = json!({
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(f.level),
        "message": { "text": text },
        "locations": locations,
        "partialFingerprints": { "onboardFinding/v1": fingerprint },
        "properties": { "rule": f.rule, "item": f.item.as_str() },
    });
    if !f.labels.is_empty() {
        r["relatedLocations"] = f
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let loc = location(&l.location);
                let mut p = physical(
                    &loc.path,
                    json!({ "startLine": loc.line, "startColumn": loc.column }),
                );
                p["id"] = json!(i);
                p["message"] = json!({ "text": l.message });
                p
            })
            .collect();
    }
    if let Some(w) = &f.waived {
        r["suppressions"] = json!([{ "kind": "external", "justification": w.reason }]);
    }
    r
}

/// Renders the report; `anchor` is the file repository-wide findings without evidence in a
/// file point at.
pub fn render(report: &Report, anchor: &str) -> String {
    let mut seen = HashMap::new();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let at = evidence_file(f, &report.notes, anchor);
            result(f, at, &report.repository.root, &mut seen)
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": env!("CARGO_PKG_NAME"),
                "version": crate::links::VERSION,
                "semanticVersion": crate::links::VERSION,
                "informationUri": crate::links::REPOSITORY,
                "rules": REGISTRY.iter().map(|r| rule_metadata(r)).collect::<Vec<_>>(),
            }},
            "results": results,
            "invocations": [{
                "executionSuccessful": !report.config_errors,
                "exitCode": report.exit_code(),
            }],
            "properties": { "gate": report.gate.as_str() },
        }]
    });
    let mut s = super::escape::json(serde_json::to_string_pretty(&doc).expect("SARIF serialises"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Item, Location};
    use crate::source::{SourceFile, Span};

    fn finding(file: &SourceFile, offset: usize, len: usize) -> Finding {
        Finding {
            code: "OB103",
            rule: "invalid-plugin-id",
            item: Item::BasicReview,
            level: Level::Deny,
            message: "bad id".into(),
            help: None,
            location: Some(Location {
                file: file.clone(),
                span: Span::new(offset, len),
            }),
            labels: Vec::new(),
            waived: None,
        }
    }

    #[test]
    fn fingerprints_ignore_line_moves_but_not_content() {
        let before = SourceFile::new("plugin.json", "{\"id\": \"x y\"}");
        let after = SourceFile::new("plugin.json", "{\n\n  \"name\": \"n\",\n  \"id\": \"x y\"}");
        let fp =
            |f: &Finding| result(f, "", "", &mut HashMap::new())["partialFingerprints"].clone();
        let a = fp(&finding(&before, 7, 5));
        let b = fp(&finding(&after, 26, 5));
        assert_eq!(&after.text[26..31], "\"x y\"");
        assert_eq!(a, b, "moving the line must keep the fingerprint");
        let changed = SourceFile::new("plugin.json", "{\"id\": \"x z\"}");
        assert_ne!(a, fp(&finding(&changed, 7, 5)));
    }

    #[test]
    fn repeated_identical_findings_get_distinct_fingerprints() {
        let file = SourceFile::new("plugin.json", "[\"a\", \"a\"]");
        let mut seen = HashMap::new();
        let one = result(&finding(&file, 1, 3), "", "", &mut seen);
        let two = result(&finding(&file, 6, 3), "", "", &mut seen);
        assert_ne!(one["partialFingerprints"], two["partialFingerprints"]);
    }

    fn repository_wide(message: &str) -> Finding {
        Finding {
            code: "OB312",
            rule: "unknown-dependency-licence",
            item: Item::Licence,
            level: Level::Warn,
            message: message.into(),
            help: None,
            location: None,
            labels: Vec::new(),
            waived: None,
        }
    }

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(
            uri(".github/workflows/build #1 100%.yml"),
            ".github/workflows/build%20%231%20100%25.yml"
        );
        assert_eq!(uri("docs/é?.md"), "docs/%C3%A9%3F.md");
        assert_eq!(uri("a:b"), "a%3Ab", "no scheme");
        assert_eq!(uri("server/plugin_v1-2.go"), "server/plugin_v1-2.go");
    }

    #[test]
    fn a_count_in_the_message_does_not_change_a_repository_wide_fingerprint() {
        let fp = |m: &str, root: &str| {
            result(
                &repository_wide(m),
                "plugin.json",
                root,
                &mut HashMap::new(),
            )["partialFingerprints"]
                .clone()
        };
        let twelve = fp("12 dependencies under /ci/x have no licence", "/ci/x");
        assert_eq!(
            twelve,
            fp("13 dependencies under /ci/x have no licence", "/ci/x")
        );
        assert_eq!(
            twelve,
            fp("9 dependencies under /home/y have no licence", "/home/y"),
            "nor the checkout"
        );
        assert_ne!(
            twelve,
            fp("12 dependencies under /ci/x have an odd licence", "/ci/x")
        );
    }

    #[test]
    fn a_repository_wide_finding_points_at_its_evidence_else_the_anchor() {
        let lock = SourceFile::new("webapp/package-lock.json", "{}");
        let mut f = repository_wide("2 dependencies have no licence");
        assert_eq!(evidence_file(&f, &[], "README.md"), "README.md");
        f.labels.push(crate::finding::Label {
            location: Location {
                file: lock,
                span: Span::new(0, 2),
            },
            message: "here".into(),
        });
        assert_eq!(
            evidence_file(&f, &[], "README.md"),
            "webapp/package-lock.json"
        );
        let r = result(&f, "webapp/package-lock.json", "", &mut HashMap::new());
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "webapp/package-lock.json"
        );
        assert_eq!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
    }
}
