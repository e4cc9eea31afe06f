//! `plugin.json`: every server-validation failure at once, 50 MB, and nesting past any
//! parser's recursion limit.

use super::harness::Sandbox;

/// One manifest that breaks every rule of the server's `Manifest.IsValid` and every type the
/// server decodes.
const EVERYTHING_WRONG: &str = r#"{
  "id": "a!",
  "name": "  ",
  "description": 42,
  "homepage_url": "not a url",
  "support_url": "ftp://example.com/support",
  "release_notes_url": "/relative/notes",
  "icon_path": ["assets/icon.svg"],
  "version": "v1",
  "min_server_version": "nine",
  "server": { "executables": "linux" },
  "settings_schema": {
    "settings": [
      { "key": "A", "display_name": "A" },
      { "key": "B", "type": "frobnicator" },
      { "key": "C", "type": "dropdown" },
      { "key": "D", "type": "bool", "placeholder": "yes" },
      { "key": "E", "type": "radio", "options": [ { "display_name": "", "value": "" } ] },
      { "key": "F", "type": "text", "secret": "yes" },
      "not an object"
    ],
    "sections": [ { "settings": [] }, { "key": "" } ]
  },
  "frobnicate": true
}
"#;

#[test]
fn every_validation_failure_at_once() {
    let sb = Sandbox::plugin();
    sb.write("plugin.json", EVERYTHING_WRONG);
    sb.commit_all(&sb.repo, "broken manifest");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        c.finding("invalid-plugin-id", "`a!`");
        c.finding("missing-plugin-name", "blank");
        c.finding("invalid-manifest", "`description`");
        c.finding("invalid-manifest", "`icon_path`");
        c.finding("invalid-manifest-url", "`homepage_url`");
        c.finding("invalid-manifest-url", "`support_url`");
        c.finding("invalid-manifest-url", "`release_notes_url`");
        c.finding("invalid-manifest-version", "`v1`");
        c.finding("invalid-manifest-version", "`nine`");
        c.finding("invalid-plugin-setting", "no `type`");
        c.finding("invalid-plugin-setting", "unknown type `frobnicator`");
        c.finding("invalid-plugin-setting", "`placeholder`");
        c.finding("invalid-plugin-setting", "empty `display_name`");
        c.finding("invalid-settings-section", "no `key`");
        c.finding("invalid-settings-section", "empty `key`");
        c.finding("unknown-manifest-key", "frobnicate");
        // Every finding in the manifest points inside it.
        let len = EVERYTHING_WRONG.len() as u64;
        for f in c.report["findings"].as_array().unwrap() {
            if f["location"]["path"] == "plugin.json" {
                let span = &f["location"]["span"];
                let end = span["offset"].as_u64().unwrap() + span["length"].as_u64().unwrap();
                assert!(end <= len, "{f}");
            }
        }
        c.status_ok();
    }
}

#[test]
fn fifty_megabyte_json() {
    let sb = Sandbox::plugin();
    let mut big = br#"{"id": "com.example.hello", "name": "Hello", "description": ""#.to_vec();
    big.resize(50 * 1024 * 1024, b'x');
    big.extend_from_slice(b"\"}\n");
    sb.write("plugin.json", &big);
    sb.commit_all(&sb.repo, "big manifest");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let size = big.len().to_string();
        let f = c.finding("file-too-large", "`plugin.json`");
        assert!(f["message"].as_str().unwrap().contains(&size), "{f}");
        // The manifest checks cannot judge it, and say so rather than passing.
        c.finding("missing-manifest", "cannot be read");
        let facts = c.facts();
        assert_eq!(facts["manifest"]["status"], "unreadable");
        let status = c.status_ok();
        assert_eq!(status["highest_passed"], serde_json::Value::Null);
    }
}

#[test]
fn deep_json_nesting() {
    let sb = Sandbox::plugin();
    for (name, text) in [
        ("arrays", "[".repeat(100_000) + &"]".repeat(100_000)),
        (
            "objects",
            "{\"a\":".repeat(100_000) + "1" + &"}".repeat(100_000),
        ),
        ("unclosed", "[{\"a\":".repeat(50_000)),
    ] {
        sb.write("plugin.json", &text);
        let c = sb.check(&sb.repo);
        c.exit(1);
        let f = c.finding("invalid-manifest", "does not parse");
        let m = f["message"].as_str().unwrap();
        // Closed: the YAML reader's depth limit; unclosed: the JSON syntax check's end of file.
        assert!(
            m.contains("recursion limit") || m.contains("EOF"),
            "{name}: {m}"
        );
        assert!(
            f["location"]["span"]["offset"].as_u64().unwrap() <= text.len() as u64,
            "{name}: {f}"
        );
    }
}
