//! Property tests of the parsers of repository files: `.onboarding.yml`, policy files, the
//! plugin manifest, `package-lock.json`, `go.mod`, `Cargo.lock` and tag names.
//!
//! For any input, arbitrary or near-valid: no panic, and every span a diagnostic or a value
//! carries lies inside the input, on character boundaries. For valid input written from a
//! model: the parser reads back the model, and each value's span covers the text it came from.
//! `PROPTEST_CASES=10000 cargo test --test props` runs more cases than the default 256.

#[path = "props/gen.rs"]
mod gen;

use onboard::fuzzing::{self, check_spans, Label};
use proptest::prelude::*;

/// Every parser on one text, each checked for its spans.
fn every_parser(text: &str) -> Result<(), String> {
    let runs: [(&str, Vec<Label>); 9] = [
        ("yaml", fuzzing::yaml_tree(text)),
        ("onboarding", fuzzing::onboarding(text)),
        ("policy", fuzzing::policy(text)),
        ("plugin.json", fuzzing::manifest("plugin.json", text)),
        ("plugin.yml", fuzzing::manifest("plugin.yml", text)),
        ("package-lock.json", fuzzing::npm_lockfile(text)),
        ("go.mod", fuzzing::go_mod(text)),
        ("Cargo.lock", fuzzing::cargo_lock(text)),
        ("tag", {
            fuzzing::tag_name(text)?;
            Vec::new()
        }),
    ];
    for (name, labels) in runs {
        check_spans(text, &labels).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

fn ok(r: Result<(), String>) -> Result<(), TestCaseError> {
    r.map_err(TestCaseError::fail)
}

const ONBOARDING_KEYS: &[&str] = &[
    "version",
    "gate",
    "owner",
    "release_stage",
    "licence",
    "license",
    "licence_paths",
    "template",
    "ci",
    "master_build_url",
    "release_build_url",
    "docs",
    "readme",
    "summary_heading",
    "setup",
    "security",
    "versioned",
    "branch_pattern",
    "third_party",
    "service",
    "test_account",
    "reviews",
    "kind",
    "by",
    "focus",
    "commit",
    "date",
    "qa",
    "release",
    "environment",
    "notes",
    "pm_ux",
    "communication",
    "waivers",
    "rule",
    "reason",
    "until",
    "paths",
    "policies",
];
const YAML_SCALARS: &[&str] = &[
    "1",
    "2",
    "-1",
    "ci-extensions",
    "ci-extensions-release",
    "community",
    "marketplace",
    "mattermost",
    "partner",
    "production",
    "beta",
    "basic",
    "complete",
    "security",
    "Apache-2.0",
    "MIT OR Apache-2.0",
    "\"2026-10-01\"",
    "2026-02-30",
    "\"2026-02-30\"",
    "~",
    "null",
    "true",
    "false",
    "'quoted'",
    "\"esc\\u00e9\\n\"",
    "v1.2.0",
    "0123abcd",
    "https://example.com/x",
    "&a x",
    "*a",
    "!!str 1",
    "0x1F",
    ".inf",
    "1e3",
    "\"\"",
    "''",
    "é😀",
    "review-size",
    "OB201",
    "allow",
    "warn",
    "deny",
    "off",
    "\"server/**\"",
    "[a, b]",
    "{}",
];
const POLICY_KEYS: &[&str] = &[
    "version",
    "description",
    "extends",
    "rules",
    "level",
    "params",
    "missing-readme",
    "OB201",
    "repository",
    "licence",
    "review-size",
    "max_lines",
    "incompatible-licence",
    "allow",
    "missing-marketplace-field",
    "fields",
    "stale-review",
    "production",
    "committers",
];
const MANIFEST_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "homepage_url",
    "support_url",
    "release_notes_url",
    "icon_path",
    "version",
    "min_server_version",
    "server",
    "executables",
    "executable",
    "linux-amd64",
    "webapp",
    "bundle_path",
    "settings_schema",
    "header",
    "footer",
    "settings",
    "sections",
    "key",
    "type",
    "display_name",
    "help_text",
    "placeholder",
    "default",
    "options",
    "value",
    "secret",
    "hosting",
    "custom",
    "fallback",
    "title",
    "props",
    "defaultMessage",
    "required_configuration",
];
const JSON_SCALARS: &[&str] = &[
    "\"com.example.demo\"",
    "1",
    "0",
    "-1.5e3",
    "true",
    "false",
    "null",
    "\"text\"",
    "\"bool\"",
    "\"dropdown\"",
    "{\"id\": \"x\", \"defaultMessage\": \"y\"}",
    "[]",
    "{}",
    "\"5.2.0\"",
    "\"v1\"",
    "\"MIT\"",
    "\"Apache 2.0\"",
    "\"(MIT OR CC0-1.0)\"",
    "{\"type\": \"MIT\"}",
    "[\"MIT\", \"ISC\"]",
    "[{\"type\": \"BSD\"}]",
    "\"\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud83d\\u0041\"",
    "\"\\udadd\\udaee\"",
    "\"\\ude00\"",
    "\"\\u00e9\"",
    "\"é😀\"",
    "2",
    "3",
    "[[]]",
];
const NPM_KEYS: &[&str] = &[
    "lockfileVersion",
    "packages",
    "dependencies",
    "",
    "node_modules/a",
    "node_modules/@s/b",
    "node_modules/a/node_modules/c",
    "packages/local",
    "name",
    "version",
    "license",
    "licenses",
    "type",
    "dev",
    "link",
    "requires",
    "resolved",
    "integrity",
    "optional",
    "devOptional",
];
const GO_WORDS: &[&str] = &[
    "module",
    "go",
    "require",
    "replace",
    "exclude",
    "retract",
    "toolchain",
    "(",
    ")",
    "=>",
    "github.com/a/b",
    "golang.org/x/text",
    "v1.2.3",
    "v0.0.0-2020-abc",
    "1.22",
    "./local",
    "\"quoted/path\"",
    "`raw/path`",
    "\"unterminated",
    "\"esc\\\"aped\"",
    "// indirect",
    "//indirect; x",
    "// comment",
    "é",
    "#",
    "\\",
];
const CARGO_WORDS: &[&str] = &[
    "[[package]]",
    "[metadata]",
    "[package]",
    "name = \"serde\"",
    "version = \"1.0.0\"",
    "source = \"registry+https://github.com/rust-lang/crates.io-index\"",
    "dependencies = [",
    "\"serde\",",
    "]",
    "checksum = \"abc\"",
    "name = \"unterminated",
    "name=\"\\\"esc\\n\"",
    "license = \"MIT\"",
    "version = 4",
    "# comment",
    "=",
    "\"",
    "\\",
    "é",
];

/// Inputs that once broke a parser (found by these properties or by `cargo fuzz`), one file
/// each, run through every parser: whole, and without the first byte (which the `manifest`
/// fuzz target spends on picking the file name).
#[test]
fn fuzz_regressions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for input in [&bytes[..], bytes.get(1..).unwrap_or_default()] {
            if let Some(text) = fuzzing::decode(input) {
                if let Err(e) = every_parser(text) {
                    panic!("{}: {e}", path.display());
                }
            }
        }
        seen += 1;
    }
    assert!(
        seen >= 3,
        "the regression inputs are missing from {}",
        dir.display()
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Some(text) = fuzzing::decode(&bytes) {
            ok(every_parser(text))?;
        }
        let lossy = String::from_utf8_lossy(&bytes);
        ok(every_parser(&lossy))?;
    }

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        ok(every_parser(&text))?;
    }

    #[test]
    fn token_soup(text in gen::soup()) {
        ok(every_parser(&text))?;
    }

    #[test]
    fn near_valid_onboarding(text in gen::document(ONBOARDING_KEYS, YAML_SCALARS, false)) {
        let text = text.trim_start_matches('\u{feff}');
        ok(check_spans(text, &fuzzing::yaml_tree(text)))?;
        ok(check_spans(text, &fuzzing::onboarding(text)))?;
    }

    #[test]
    fn near_valid_policy(text in gen::document(POLICY_KEYS, YAML_SCALARS, false)) {
        ok(check_spans(&text, &fuzzing::policy(&text)))?;
    }

    #[test]
    fn near_valid_manifest(
        text in gen::document(MANIFEST_KEYS, JSON_SCALARS, true),
        yml in gen::document(MANIFEST_KEYS, YAML_SCALARS, false),
    ) {
        ok(check_spans(&text, &fuzzing::manifest("plugin.json", &text)))?;
        ok(check_spans(&yml, &fuzzing::manifest("plugin.yml", &yml)))?;
    }

    #[test]
    fn near_valid_lockfile(text in gen::document(NPM_KEYS, JSON_SCALARS, true)) {
        ok(check_spans(&text, &fuzzing::npm_lockfile(&text)))?;
    }

    #[test]
    fn near_valid_go_mod(text in gen::lines(GO_WORDS)) {
        ok(check_spans(&text, &fuzzing::go_mod(&text)))?;
    }

    #[test]
    fn near_valid_cargo_lock(text in gen::lines(CARGO_WORDS)) {
        ok(check_spans(&text, &fuzzing::cargo_lock(&text)))?;
    }

    #[test]
    fn near_valid_tag_names(
        name in "([a-z]{1,4}/){0,2}[vV]?[0-9]{1,3}(\\.[0-9]{1,3}){0,3}(-[0-9A-Za-z.-]{0,8})?(\\+[0-9A-Za-z.-]{0,8})?"
    ) {
        fuzzing::tag_name(&name).map_err(TestCaseError::fail)?;
    }
}

#[path = "props/deps.rs"]
mod deps;
#[path = "props/round_trip.rs"]
mod round_trip;
#[path = "props/tags.rs"]
mod tags;
