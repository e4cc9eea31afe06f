//! The real-plugin verdict table (`tests/real-plugins/expected.json`) is well formed and names
//! only gates, items and rules that exist, so that renaming a rule cannot leave the table
//! silently stale. The verdicts themselves are compared by `scripts/real-plugins.sh`, which needs
//! the plugins' clones.

use onboard::finding::{Gate, Item};
use onboard::rules;
use serde_json::Value;
use std::collections::BTreeSet;

fn table() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/real-plugins/expected.json"
    );
    let text = std::fs::read_to_string(path).expect("the table is committed");
    serde_json::from_str(&text).expect("the table is JSON")
}

fn object<'a>(v: &'a Value, what: &str) -> &'a serde_json::Map<String, Value> {
    v.as_object()
        .unwrap_or_else(|| panic!("{what} is an object"))
}

#[test]
fn table_covers_enough_plugins_of_several_owners() {
    let t = table();
    assert_eq!(t["version"], 1);
    let plugins = t["plugins"].as_array().expect("plugins is an array");
    assert!(
        plugins.len() >= 15,
        "at least 15 plugins, found {}",
        plugins.len()
    );
    let repos: Vec<&str> = plugins
        .iter()
        .map(|p| p["repo"].as_str().expect("repo is a string"))
        .collect();
    let mut sorted = repos.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(repos, sorted, "one entry per repository, sorted by URL");
    let owners: BTreeSet<&str> = repos
        .iter()
        .map(|r| {
            let path = r
                .strip_prefix("https://github.com/")
                .unwrap_or_else(|| panic!("{r}: a GitHub URL"));
            let (owner, name) = path.split_once('/').expect("owner/name");
            assert!(!name.is_empty() && !name.contains('/'), "{r}: owner/name");
            assert_eq!(*r, r.to_lowercase(), "{r}: URLs are lowercase");
            owner
        })
        .collect();
    assert!(owners.len() >= 3, "plugins of several owners: {owners:?}");
}

#[test]
fn every_entry_names_existing_gates_items_and_rules() {
    let t = table();
    for p in t["plugins"].as_array().unwrap() {
        let repo = p["repo"].as_str().unwrap();
        let commit = p["commit"].as_str().expect("commit is a string");
        assert!(
            commit.len() == 40
                && commit
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{repo}: the commit is a full lowercase sha, got {commit}"
        );
        assert!(
            p["branch"].as_str().is_some_and(|b| !b.is_empty()),
            "{repo}: the default branch is named"
        );
        let gates = object(&p["gates"], "gates");
        let names: Vec<&str> = gates.keys().map(String::as_str).collect();
        let mut all: Vec<&str> = Gate::NAMES.to_vec();
        all.sort();
        assert_eq!(names, all, "{repo}: one entry per gate");
        for (gate, verdicts) in gates {
            let gate = Gate::parse(gate).unwrap();
            let items = object(&verdicts["items"], "items");
            assert!(!items.is_empty(), "{repo} {gate:?}: items are listed");
            for (item, state) in items {
                let item =
                    Item::parse(item).unwrap_or_else(|| panic!("{repo}: `{item}` is not an item"));
                assert!(
                    item == Item::Config || item.gate() == gate,
                    "{repo}: {item:?} is not an item of {gate:?}"
                );
                assert!(
                    matches!(state.as_str(), Some("pass" | "fail" | "waived" | "unknown")),
                    "{repo} {gate:?} {item:?}: state {state}"
                );
            }
            for (rule, level) in object(&verdicts["rules"], "rules") {
                assert!(
                    rules::find(rule).is_some_and(|r| r.name == rule),
                    "{repo} {gate:?}: `{rule}` is not the name of a rule"
                );
                let level = level.as_str().expect("a level is a string");
                assert!(
                    level
                        .split(',')
                        .all(|l| matches!(l, "deny" | "warn" | "waived")),
                    "{repo} {gate:?} {rule}: level `{level}`"
                );
            }
        }
    }
}
