//! `.onboarding.yml`, a repository policy file and a YAML manifest, each broken the same ways:
//! the first two are configuration (exit 2, every problem at its span), the manifest is linted
//! (exit 1 with a manifest finding).

use super::harness::{Checked, Sandbox};

#[derive(Debug, Clone, Copy)]
enum Target {
    Onboarding,
    Policy,
    Manifest,
}

const TARGETS: [Target; 3] = [Target::Onboarding, Target::Policy, Target::Manifest];

const POLICY_FILE: &str = "ci/policy.yml";

/// The sample plugin with `bytes` as the target file, committed; then the standard battery.
fn case(target: Target, bytes: &[u8], extra: &[&str]) -> Checked {
    let sb = Sandbox::plugin();
    match target {
        Target::Onboarding => sb.write(".onboarding.yml", bytes),
        Target::Policy => {
            let mut onboarding = std::fs::read(sb.repo.join(".onboarding.yml")).unwrap();
            onboarding.extend_from_slice(format!("policies: [{POLICY_FILE}]\n").as_bytes());
            sb.write(".onboarding.yml", onboarding);
            sb.write(POLICY_FILE, bytes);
        }
        // The server reads plugin.yml before plugin.json.
        Target::Manifest => sb.write("plugin.yml", bytes),
    }
    sb.commit_all(&sb.repo, "broken");
    let checked = sb.check_with(&sb.repo, extra);
    // The manifest is linted, not configuration: the other commands carry on.
    if let Target::Manifest = target {
        checked.status_ok();
        assert_eq!(checked.facts()["manifest"]["path"], "plugin.yml");
    }
    checked
}

/// Broken in the same way for all three: configuration errors exit 2, the manifest gets
/// `manifest_rule` with the same text.
fn all_broken(bytes: &[u8], text: &str, manifest_rule: &str) {
    for target in TARGETS {
        let c = case(target, bytes, &[]);
        expect(&c, target, text, manifest_rule);
    }
}

fn expect(c: &Checked, target: Target, text: &str, manifest_rule: &str) {
    match target {
        Target::Onboarding => {
            c.config_error("invalid-onboarding-file", text);
            assert_ne!(c.facts()["onboarding"]["status"], "parsed");
        }
        Target::Policy => c.config_error("invalid-policy", text),
        Target::Manifest => {
            c.exit(1);
            c.finding(manifest_rule, text);
        }
    }
}

/// Parses fine for all three, from the working tree and from git: no configuration problem,
/// no manifest syntax finding.
fn all_fine(onboarding: &[u8], policy: &[u8], manifest: &[u8]) {
    for (target, bytes) in [
        (Target::Onboarding, onboarding),
        (Target::Policy, policy),
        (Target::Manifest, manifest),
    ] {
        for extra in [&[][..], &["--rev", "HEAD"][..]] {
            let c = case(target, bytes, extra);
            c.exit(1);
            c.no_finding("invalid-onboarding-file")
                .no_finding("invalid-policy")
                .no_finding("invalid-manifest");
            c.status_ok();
        }
    }
}

#[test]
fn syntax_errors() {
    all_broken(
        b"version: 1\nreviews: [1, 2\n",
        "expected ',' or ']'",
        "invalid-manifest",
    );
}

#[test]
fn wrong_types() {
    let c = case(Target::Onboarding, b"version: one\nreviews: 3\n", &[]);
    c.config_error("invalid-onboarding-file", "`reviews` must be a list");
    c.finding("invalid-onboarding-file", "`version`");
    let c = case(Target::Policy, b"version: 1\nrules: 5\n", &[]);
    c.config_error("invalid-policy", "`rules` must be a mapping");
    let c = case(
        Target::Manifest,
        b"id: [1]\nname: {a: 1}\nversion: 1.2\n",
        &[],
    );
    c.exit(1);
    c.finding("invalid-manifest", "`id`");
    c.finding("invalid-manifest", "`name`");
    c.finding("invalid-manifest", "`version`");
}

#[test]
fn unknown_keys() {
    let c = case(Target::Onboarding, b"version: 1\nreveiws: []\n", &[]);
    c.config_error("invalid-onboarding-file", "reveiws");
    assert!(
        c.lint.stdout.contains("reviews"),
        "did you mean: {}",
        c.lint.stdout
    );
    let c = case(Target::Policy, b"version: 1\nrulez: {}\n", &[]);
    c.config_error("invalid-policy", "rulez");
    let c = case(
        Target::Manifest,
        b"id: com.example.hello\nname: Hello\nfrobnicate: 1\n",
        &[],
    );
    c.exit(1);
    c.finding("unknown-manifest-key", "frobnicate");
}

#[test]
fn empty_files() {
    let c = case(Target::Onboarding, b"", &[]);
    c.config_error("invalid-onboarding-file", "is empty");
    let c = case(Target::Policy, b"", &[]);
    c.config_error("invalid-policy", "no `version`");
    let c = case(Target::Manifest, b"", &[]);
    c.exit(1);
    c.finding("invalid-plugin-id", "no `id`");
}

#[test]
fn fifty_megabytes() {
    let mut big = b"version: 1\n# ".to_vec();
    big.resize(50_000_000, b'a');
    big.push(b'\n');
    for target in TARGETS {
        // From the working tree and from git objects alike.
        for extra in [&[][..], &["--rev", "HEAD"][..]] {
            let c = case(target, &big, extra);
            let text = "50000001 bytes";
            match target {
                Target::Onboarding => c.config_error("invalid-onboarding-file", text),
                Target::Policy => c.config_error("invalid-policy", text),
                Target::Manifest => {
                    c.exit(1);
                    let f = c.finding("file-too-large", "`plugin.yml`");
                    let m = f["message"].as_str().unwrap();
                    assert!(m.contains(text) && m.contains("16777216"), "{m}");
                    c.finding("missing-manifest", text);
                }
            }
            assert!(c.lint.elapsed.as_secs() < 30, "{:?}", c.lint.elapsed);
        }
    }
}

#[test]
fn binary_content() {
    let mut bytes = b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    all_broken(&bytes, "not valid UTF-8", "missing-manifest");
}

#[test]
fn invalid_utf8() {
    all_broken(
        b"version: 1\nowner: \"comm\xffunity\"\n",
        "not valid UTF-8",
        "missing-manifest",
    );
}

/// A "billion laughs": ten levels of ten aliases each.
fn alias_bomb() -> Vec<u8> {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.into_bytes()
}

#[test]
fn alias_bomb_is_refused() {
    all_broken(&alias_bomb(), "refusing to expand", "invalid-manifest");
}

/// Few nodes, but each alias repeats a megabyte of text.
#[test]
fn alias_bomb_of_long_strings_is_refused() {
    let text = format!(
        "version: 1\nx: &a \"{}\"\nz: [{}]\n",
        "lol".repeat(350_000),
        vec!["*a"; 100_000].join(",")
    );
    all_broken(
        text.as_bytes(),
        "more than 16 MiB of text",
        "invalid-manifest",
    );
}

#[test]
fn nesting_ten_thousand_levels() {
    for (bytes, what) in [
        ("[".repeat(10_000) + &"]".repeat(10_000), "flow"),
        ("- ".repeat(10_000) + "x\n", "block"),
    ] {
        for target in TARGETS {
            let c = case(target, bytes.as_bytes(), &[]);
            let rule = match target {
                Target::Onboarding => "invalid-onboarding-file",
                Target::Policy => "invalid-policy",
                Target::Manifest => "invalid-manifest",
            };
            let message = c
                .findings(rule)
                .first()
                .and_then(|f| f["message"].as_str())
                .unwrap_or_else(|| panic!("{what} {target:?}: no {rule}:\n{}", c.summary()))
                .to_string();
            assert!(
                message.contains("nesting deeper") || message.contains("recursion limit"),
                "{what} {target:?}: {message}"
            );
            expect(&c, target, "", rule);
        }
    }
}

#[test]
fn duplicate_keys() {
    all_broken(
        b"version: 1\nid: a\nname: b\nid: c\n",
        "duplicate key `id`",
        "invalid-manifest",
    );
}

#[test]
fn utf8_bom_is_read() {
    all_fine(
        b"\xef\xbb\xbfversion: 1\nlicence: Apache-2.0\n",
        b"\xef\xbb\xbfversion: 1\nrules:\n  missing-readme: deny\n",
        b"\xef\xbb\xbfid: com.example.hello\nname: Hello\nversion: 1.0.0\n",
    );
}

#[test]
fn crlf_line_endings_are_read_with_spans() {
    all_fine(
        b"version: 1\r\nlicence: Apache-2.0\r\n",
        b"version: 1\r\nrules:\r\n  missing-readme: deny\r\n",
        b"id: com.example.hello\r\nname: Hello\r\nversion: 1.0.0\r\n",
    );
    // A finding in a CRLF file points at the right line and column.
    let c = case(
        Target::Onboarding,
        b"version: 1\r\nreviews:\r\n  - { kind: basic, by: alice, commit: nope, date: \"2026-01-01\" }\r\n",
        &[],
    );
    let f = c.finding("invalid-record", "`nope`");
    assert_eq!(f["location"]["line"], 3);
    assert_eq!(f["location"]["column"], 39);
}

#[test]
fn tab_indentation() {
    all_broken(
        b"version: 1\nci:\n\tmaster_build_url: https://example.org\n",
        "tabs",
        "invalid-manifest",
    );
    // A tab inside a quoted value is text.
    let c = case(
        Target::Onboarding,
        b"version: 1\nthird_party:\n  service: \"Jira\tCloud\"\n",
        &[],
    );
    c.no_finding("invalid-onboarding-file");
    assert_eq!(
        c.facts()["onboarding"]["config"]["third_party"]["service"],
        "Jira\tCloud"
    );
}
