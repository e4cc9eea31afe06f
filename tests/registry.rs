//! Invariants of the rule registry: identities are unique and stable in form, docs are complete,
//! and the shipped policies only name what exists.

use onboard::finding::Level;
use onboard::policy::load::{parse, PolicySource, BUILTIN};
use onboard::rules::{self, DOC_HEADINGS, REGISTRY};
use onboard::source::SourceFile;
use std::collections::BTreeSet;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in REGISTRY {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(
            r.code.len() == 5
                && r.code.starts_with("OB")
                && r.code[2..].bytes().all(|b| b.is_ascii_digit()),
            "{}: codes are OB and three digits",
            r.code
        );
        assert!(
            r.name
                .split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
            "{}: names are kebab-case",
            r.name
        );
        assert!(rules::find(r.name).is_some_and(|f| f.code == r.code));
        assert!(rules::find(&r.code.to_lowercase()).is_some_and(|f| f.name == r.name));
    }
}

#[test]
fn registry_is_ordered_by_code_and_groups_own_a_hundred() {
    let codes: Vec<&str> = REGISTRY.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "keep REGISTRY ordered by code");
    for group in rules::groups() {
        let hundreds: BTreeSet<u8> = REGISTRY
            .iter()
            .filter(|r| r.group == group)
            .map(|r| r.code.as_bytes()[2])
            .collect();
        assert_eq!(
            hundreds.len(),
            1,
            "group {group} spans several hundreds: {hundreds:?}"
        );
    }
}

#[test]
fn group_names_never_shadow_rule_names() {
    for group in rules::groups() {
        assert!(
            rules::find(group).is_none(),
            "group `{group}` is also a rule name"
        );
    }
}

#[test]
fn docs_have_the_five_headings_in_order_and_say_something() {
    for r in REGISTRY {
        let mut at = 0;
        for heading in DOC_HEADINGS {
            let found = r.docs[at..]
                .find(heading)
                .unwrap_or_else(|| panic!("{}: docs lack `{heading}` (or out of order)", r.name));
            at += found + heading.len();
            let body = r.docs[at..].split("\n## ").next().unwrap_or("");
            assert!(body.trim().len() > 3, "{}: `{heading}` is empty", r.name);
        }
        assert!(
            !r.summary.is_empty() && r.summary.ends_with('.'),
            "{}: summary is one sentence",
            r.name
        );
    }
}

#[test]
fn parameters_documented_match_the_parameter_type() {
    for r in REGISTRY {
        let names = r.params.names();
        let section = r
            .docs
            .split("## Parameters")
            .nth(1)
            .unwrap()
            .split("\n## ")
            .next()
            .unwrap();
        for name in &names {
            assert!(
                section.contains(&format!("`{name}`")),
                "{}: parameter `{name}` is not documented",
                r.name
            );
        }
        if names.is_empty() {
            assert!(
                section.trim_start().starts_with("None"),
                "{}: no parameters, so say `None`",
                r.name
            );
        }
        let defaults = (r.params.defaults)();
        assert!(
            (r.params.validate)(&defaults).is_ok(),
            "{}: defaults must validate",
            r.name
        );
    }
}

#[test]
fn shipped_policies_name_only_known_rules_and_groups() {
    let known = rules::selector_names();
    for (name, text) in BUILTIN {
        let src = PolicySource::Builtin(name.into());
        let (policy, errs) = parse(src.clone(), SourceFile::new(src.display(), text));
        assert!(errs.is_empty(), "{name}: {errs:?}");
        for entry in policy.unwrap().rules {
            assert!(
                known.contains(&entry.selector.value.as_str()),
                "{name}: unknown `{}`",
                entry.selector.value
            );
        }
    }
}

#[test]
fn rules_of_later_gates_are_off_by_default() {
    // A rule whose checklist item belongs to a later gate must not fire at ci-extensions
    // unless a policy turns it on.
    for r in REGISTRY {
        if r.item.gate() == onboard::finding::Gate::Marketplace {
            assert_eq!(
                r.level,
                Level::Allow,
                "{}: marketplace rules default to allow",
                r.name
            );
        }
    }
}
