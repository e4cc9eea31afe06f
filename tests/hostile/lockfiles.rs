//! npm lockfiles: truncated, 200,000 packages, licence fields of the wrong type, nesting past
//! the parser's limit. Unreadable input is a finding, never a silent pass.

use super::harness::Sandbox;

fn lockfile(packages: &str) -> String {
    format!(
        "{{\n  \"name\": \"webapp\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {{\n    \"\": {{ \"name\": \"webapp\", \"license\": \"Apache-2.0\" }}{packages}\n  }}\n}}\n"
    )
}

#[test]
fn truncated_json() {
    let sb = Sandbox::plugin();
    let full = lockfile(
        ",\n    \"node_modules/react\": { \"version\": \"18.2.0\", \"license\": \"MIT\" }",
    );
    sb.write("webapp/package-lock.json", &full[..full.len() - 40]);
    sb.commit_all(&sb.repo, "truncated");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let f = c.finding("unknown-dependency-licence", "`webapp/package-lock.json`");
        assert!(f["message"].as_str().unwrap().contains("EOF"), "{f}");
        assert_eq!(f["location"]["path"], "webapp/package-lock.json");
        c.status_ok();
    }
}

#[test]
fn two_hundred_thousand_packages() {
    let sb = Sandbox::plugin();
    let mut packages = String::with_capacity(200_000 * 80);
    for i in 0..200_000 {
        packages.push_str(&format!(
            ",\n    \"node_modules/pkg-{i}\": {{ \"version\": \"1.0.{i}\", \"license\": \"MIT\" }}"
        ));
    }
    // One package without a licence, at the very end.
    packages.push_str(",\n    \"node_modules/last\": { \"version\": \"0.0.1\" }");
    sb.write("package-lock.json", lockfile(&packages));
    sb.commit_all(&sb.repo, "big lockfile");
    // The facts list every package (60 MB of JSON): read for their counts only.
    let c = sb.check_light(&sb.repo);
    c.exit(1);
    let f = c.finding("unknown-dependency-licence", "last@0.0.1");
    assert!(
        f["message"].as_str().unwrap().contains("of 1 dependencies"),
        "{f}"
    );
    assert_eq!(c.facts.code, 0);
    assert!(c
        .facts
        .stdout
        .contains("\"total\": 200001,\n      \"unknown\": 1,"));
    c.within(30);
}

#[test]
fn licence_fields_of_the_wrong_type() {
    let sb = Sandbox::plugin();
    let text = lockfile(concat!(
        ",\n    \"node_modules/number\": { \"version\": \"1.0.0\", \"license\": 42 }",
        ",\n    \"node_modules/bool\": { \"version\": \"1.0.0\", \"license\": true }",
        ",\n    \"node_modules/list\": { \"version\": \"1.0.0\", \"license\": [\"MIT\", 7] }",
        ",\n    \"node_modules/object\": { \"version\": \"1.0.0\", \"license\": { \"type\": 3, \"url\": [] } }",
        ",\n    \"node_modules/nested\": { \"version\": \"1.0.0\", \"license\": [[[[\"MIT\"]]]] }",
        ",\n    \"node_modules/entry\": \"not an object\"",
        ",\n    \"node_modules/version\": { \"version\": 2, \"dev\": \"yes\", \"license\": \"MIT\" }"
    ));
    sb.write("package-lock.json", &text);
    sb.commit_all(&sb.repo, "odd types");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let f = c.finding("unknown-dependency-licence", "npm");
        assert!(
            f["message"].as_str().unwrap().contains("number@1.0.0"),
            "{f}"
        );
        let facts = c.facts();
        let npm = &facts["dependencies"]["npm"];
        for p in npm["problems"].as_array().unwrap() {
            let span = &p["span"];
            if span.is_object() {
                let end = span["offset"].as_u64().unwrap() + span["length"].as_u64().unwrap();
                assert!(end <= text.len() as u64, "{p}");
            }
        }
        c.status_ok();
    }
}

#[test]
fn nesting_past_the_parser_limit() {
    let sb = Sandbox::plugin();
    let deep = format!(
        "{{\"lockfileVersion\": 3, \"packages\": {{\"node_modules/x\": {{\"license\": {}1{}}}}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    sb.write("package-lock.json", &deep);
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.finding(
        "unknown-dependency-licence",
        "nesting deeper than 256 levels",
    );
}

/// TOML nested 100,000 levels in `Cargo.toml` and `Cargo.lock`: no stack overflows, and the
/// Cargo dependencies say they could not be read.
#[test]
fn cargo_files_nested_past_any_limit() {
    let sb = Sandbox::plugin();
    sb.write(
        "Cargo.toml",
        format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nlicense = \"MIT\"\n\n[package.metadata]\nk = {}1{}\n",
            "{ a = ".repeat(100_000),
            " }".repeat(100_000)
        ),
    );
    sb.write(
        "Cargo.lock",
        format!(
            "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    sb.write("src/main.rs", "fn main() {}\n");
    let c = sb.check(&sb.repo);
    c.exit(1);
    let facts = c.facts();
    let cargo = &facts["dependencies"]["cargo"];
    assert!(!cargo["problems"].as_array().unwrap().is_empty(), "{cargo}");
    c.status_ok();
}
