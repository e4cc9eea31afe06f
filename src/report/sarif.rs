//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
//!
//! Rule metadata comes from the registry; results carry line/column regions computed from byte
//! spans, and `partialFingerprints` built from what was flagged (rule, file, the flagged text and
//! its occurrence number), never from line numbers, so an unrelated edit above a finding does not
//! turn it into a new alert. Findings about the repository as a whole are anchored to
//! `.onboarding.yml`, else to the manifest, because code scanning rejects results without a
//! location.

use super::json::location;
use crate::finding::{Finding, Level};
use crate::outcome::Report;
use crate::rules::{Rule, REGISTRY};
use serde_json::{json, Value};
use std::collections::HashMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where the rules are documented.
pub const RULES_URI: &str = "https://github.com/onboard/onboard/blob/main/README.md#rules";

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
        "helpUri": RULES_URI,
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

fn physical(path: &str, region: Value) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": path, "uriBaseId": "%SRCROOT%" },
            "region": region,
        }
    })
}

/// `root` is removed from messages before fingerprinting, so that where the repository was
/// checked out does not change the identity of a finding.
fn result(
    f: &Finding,
    anchor: Option<&str>,
    root: &str,
    seen: &mut HashMap<String, usize>,
) -> Value {
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
            anchor
                .map(|a| physical(a, json!({ "startLine": 1 })))
                .into_iter()
                .collect(),
            if root.is_empty() {
                f.message.clone()
            } else {
                f.message.replace(root, "")
            },
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

/// Renders the report; `anchor` is the file repository-wide findings point at.
pub fn render(report: &Report, anchor: Option<&str>) -> String {
    let mut seen = HashMap::new();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, anchor, &report.repository.root, &mut seen))
        .collect();
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": env!("CARGO_PKG_NAME"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": RULES_URI,
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
    let mut s = serde_json::to_string_pretty(&doc).expect("SARIF serialises");
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
            |f: &Finding| result(f, None, "", &mut HashMap::new())["partialFingerprints"].clone();
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
        let one = result(&finding(&file, 1, 3), None, "", &mut seen);
        let two = result(&finding(&file, 6, 3), None, "", &mut seen);
        assert_ne!(one["partialFingerprints"], two["partialFingerprints"]);
    }
}
