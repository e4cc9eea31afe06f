//! `onboard policy show`: the effective policy of a gate, each value with the file and line it
//! comes from.

use crate::finding::Gate;
use crate::policy::Effective;
use std::fmt::Write;

/// The policy as JSON: the files applied, the settings and every rule's level and parameters,
/// each with its origin.
pub fn json(gate: Gate, policy: &Effective) -> String {
    let rules: Vec<serde_json::Value> = policy
        .rules
        .iter()
        .map(|(r, s)| {
            serde_json::json!({
                "code": r.code, "rule": r.name, "level": s.level, "level_from": s.level_from,
                "params": s.params, "params_from": s.params_from,
            })
        })
        .collect();
    let settings: Vec<serde_json::Value> = policy
        .settings
        .entries()
        .into_iter()
        .map(|(key, value, from)| serde_json::json!({ "key": key, "value": value, "from": from }))
        .collect();
    let doc = serde_json::json!({
        "gate": gate, "files": policy.files, "settings": settings, "rules": rules,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("policy serialises");
    s.push('\n');
    s
}

/// The policy as text: files lowest first, settings, then one line per rule.
pub fn human(gate: Gate, policy: &Effective) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "gate: {gate}");
    let _ = writeln!(out, "files, lowest first:");
    for f in &policy.files {
        let _ = writeln!(out, "  {f}");
    }
    let _ = writeln!(out, "settings:");
    for (key, value, from) in policy.settings.entries() {
        let _ = writeln!(out, "  {key} = {value}  from {from}");
    }
    let _ = writeln!(out, "rules:");
    let width = policy
        .rules
        .iter()
        .map(|(r, _)| r.name.len())
        .max()
        .unwrap_or(0);
    for (r, s) in &policy.rules {
        let _ = writeln!(
            out,
            "  {} {:width$}  {:5}  from {}",
            r.code,
            r.name,
            s.level.as_str(),
            s.level_from
        );
        for (k, v) in &s.params {
            let from = s
                .params_from
                .get(k)
                .map(|o| o.to_string())
                .unwrap_or_default();
            let _ = writeln!(out, "        {k} = {v}  from {from}");
        }
    }
    out
}
