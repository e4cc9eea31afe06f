//! The `dependencies` facts through the real binary: an npm lockfile with its `node_modules`
//! fallback on the working tree and at a revision, and a repository whose Cargo configuration
//! tries to run a program — which must never run, while `cargo metadata` still answers.

mod support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use support::{Commit, RepoSpec};

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

fn facts(args: &[&str]) -> Value {
    let out = support::onboard(args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn package<'a>(eco: &'a Value, name: &str) -> &'a Value {
    eco["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no package {name}: {eco:#}"))
}

const LOCKFILE: &str = r#"{
  "name": "webapp",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": { "name": "webapp", "license": "Apache-2.0" },
    "node_modules/react": { "version": "18.2.0", "license": "MIT" },
    "node_modules/jest": { "version": "29.7.0", "dev": true, "license": "(MIT OR CC0-1.0)" },
    "node_modules/installed": { "version": "1.0.0" },
    "node_modules/mystery": { "version": "2.0.0" }
  }
}
"#;

#[test]
fn npm_lockfile_facts_with_node_modules_fallback() {
    let dir = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![Commit {
            files: files(&[("webapp/package-lock.json", LOCKFILE)]),
            ..Commit::default()
        }],
        // Installed packages are not committed: only the working tree has them.
        worktree: Commit {
            files: files(&[(
                "webapp/node_modules/installed/package.json",
                r#"{"name": "installed", "license": {"type": "BSD-2-Clause"}}"#,
            )]),
            ..Commit::default()
        },
    });
    let root = dir.path().to_str().unwrap();
    let before = support::snapshot_tree(dir.path());

    let all = facts(&["facts", root]);
    let npm = &all["dependencies"]["npm"];
    assert_eq!(npm["total"], 4);
    assert_eq!(npm["unknown"], 1);
    assert_eq!(
        npm["lockfiles"],
        json!([{ "path": "webapp/package-lock.json", "lockfile_version": 3, "packages": 4 }])
    );
    assert_eq!(npm["problems"], json!([]));
    let react = package(npm, "react");
    assert_eq!(react["version"], "18.2.0");
    assert_eq!(react["expression"], "MIT");
    assert_eq!(react["source"], "webapp/package-lock.json");
    assert_eq!(react["dev"], false);
    let span = &react["location"]["span"];
    let (offset, length) = (
        span["offset"].as_u64().unwrap() as usize,
        span["length"].as_u64().unwrap() as usize,
    );
    assert_eq!(&LOCKFILE[offset..offset + length], "\"MIT\"");
    assert_eq!(package(npm, "jest")["dev"], true);
    let installed = package(npm, "installed");
    assert_eq!(installed["expression"], "BSD-2-Clause");
    assert_eq!(
        installed["source"],
        "webapp/node_modules/installed/package.json"
    );
    let mystery = package(npm, "mystery");
    assert_eq!(mystery["expression"], Value::Null);
    assert_eq!(mystery["source"], Value::Null);
    assert_eq!(mystery["location"]["path"], "webapp/package-lock.json");
    assert_eq!(all["dependencies"]["go"]["total"], 0);
    assert_eq!(all["dependencies"]["cargo"]["manifests"], json!([]));

    // The committed tree has no node_modules: the fallback finds nothing there.
    let at_head = facts(&["facts", root, "--rev", "HEAD"]);
    let npm = &at_head["dependencies"]["npm"];
    assert_eq!(
        (npm["total"].as_u64(), npm["unknown"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(package(npm, "installed")["expression"], Value::Null);

    assert_eq!(before, support::snapshot_tree(dir.path()));
}

#[test]
fn truncated_lockfile_is_a_problem_not_a_failure() {
    let dir = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![Commit {
            files: files(&[("package-lock.json", &LOCKFILE[..200])]),
            ..Commit::default()
        }],
        worktree: Commit::default(),
    });
    let all = facts(&["facts", dir.path().to_str().unwrap()]);
    let npm = &all["dependencies"]["npm"];
    assert_eq!(npm["total"], 0);
    let problems = npm["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["path"], "package-lock.json");
    assert!(problems[0]["message"].as_str().unwrap().contains("EOF"));
    assert_eq!(problems[0]["span"]["offset"], 200);
}

const APP: &str = "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nhelper = { path = \"helper\" }\n\n[dev-dependencies]\ndevhelper = { path = \"devhelper\" }\n";
const LOCK: &str = "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"devhelper\",\n \"helper\",\n]\n\n[[package]]\nname = \"devhelper\"\nversion = \"0.3.0\"\n\n[[package]]\nname = \"helper\"\nversion = \"0.2.0\"\n";

/// The cargo the tests run under (`CARGO`), else the one on `PATH`: it must exist, or the
/// hostile-configuration test would pass without cargo ever being asked.
fn cargo() -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let ok = Command::new(&cargo)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "cargo must be available for this test (`{cargo} --version` failed)"
    );
    cargo
}

/// Copies a directory tree (files only, no `.git`).
fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in support::snapshot_tree(from) {
        if rel.starts_with(".git") {
            continue;
        }
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, bytes).unwrap();
    }
}

#[test]
fn hostile_cargo_configuration_runs_nothing() {
    let cargo = cargo();
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("ran");
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("plugin");
    std::fs::create_dir(&repo).unwrap();
    let script = repo.join("tools/evil.sh");
    let script_s = script.to_str().unwrap();
    let toolchain = repo.join("tools/toolchain");
    let config = format!(
        "[build]\nrustc = \"{script_s}\"\nrustc-wrapper = \"{script_s}\"\nrustc-workspace-wrapper = \"{script_s}\"\n\n[target.x86_64-unknown-linux-gnu]\nrunner = \"{script_s}\"\n\n[target.aarch64-unknown-linux-gnu]\nrunner = \"{script_s}\"\n"
    );
    let evil = format!(
        "#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n",
        marker.display()
    );
    let toolchain_file = format!("[toolchain]\npath = \"{}\"\n", toolchain.display());
    support::build(
        &repo,
        &RepoSpec {
            shallow: false,
            remote: None,
            git: true,
            commits: vec![Commit {
                files: files(&[
                    ("Cargo.toml", APP),
                    ("Cargo.lock", LOCK),
                    ("src/main.rs", "fn main() {}\n"),
                    (
                        "helper/Cargo.toml",
                        "[package]\nname = \"helper\"\nversion = \"0.2.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n",
                    ),
                    ("helper/src/lib.rs", ""),
                    (
                        "devhelper/Cargo.toml",
                        "[package]\nname = \"devhelper\"\nversion = \"0.3.0\"\nedition = \"2021\"\nlicense = \"Apache-2.0 OR MIT\"\n",
                    ),
                    ("devhelper/src/lib.rs", ""),
                    (".cargo/config.toml", &config),
                    ("rust-toolchain.toml", &toolchain_file),
                    ("tools/evil.sh", &evil),
                    ("tools/toolchain/bin/cargo", &evil),
                    ("tools/toolchain/bin/rustc", &evil),
                ]),
                ..Commit::default()
            }],
            worktree: Commit::default(),
        },
    );
    use std::os::unix::fs::PermissionsExt;
    for p in [
        "tools/evil.sh",
        "tools/toolchain/bin/cargo",
        "tools/toolchain/bin/rustc",
    ] {
        std::fs::set_permissions(repo.join(p), std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    // The trap is armed: cargo run naively in a copy of the repository runs the script.
    let control = tempfile::tempdir().unwrap();
    copy_tree(&repo, control.path());
    let _ = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .current_dir(control.path())
        .env_remove("RUSTC")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env("CARGO_TARGET_DIR", outside.path().join("target"))
        .output()
        .unwrap();
    assert!(
        marker.exists(),
        "the control run should have run the script"
    );
    std::fs::remove_file(&marker).unwrap();

    let before = support::snapshot_tree(&repo);
    let root = repo.to_str().unwrap();
    for args in [
        vec!["facts", root, "--cargo-metadata"],
        vec!["facts", root, "--rev", "HEAD", "--cargo-metadata"],
    ] {
        let all = facts(&args);
        let cargo_fact = &all["dependencies"]["cargo"];
        assert!(
            !marker.exists(),
            "{args:?} ran the repository's program: {}",
            std::fs::read_to_string(&marker).unwrap_or_default()
        );
        // cargo metadata did run: it resolved the path dependencies, which no lockfile
        // reading could have told apart as dev-only.
        assert_eq!(
            cargo_fact["methods"],
            json!(["cargo metadata"]),
            "{cargo_fact:#}"
        );
        assert_eq!(cargo_fact["problems"], json!([]));
        assert_eq!(
            (cargo_fact["total"].as_u64(), cargo_fact["unknown"].as_u64()),
            (Some(2), Some(0))
        );
        let helper = package(cargo_fact, "helper");
        assert_eq!(helper["expression"], "MIT");
        assert_eq!(helper["source"], "cargo metadata");
        assert_eq!(helper["dev"], false);
        assert_eq!(helper["location"]["path"], "Cargo.lock");
        let devhelper = package(cargo_fact, "devhelper");
        assert_eq!(devhelper["dev"], true);
        assert_eq!(devhelper["expression"], "Apache-2.0 OR MIT");
    }
    assert_eq!(
        before,
        support::snapshot_tree(&repo),
        "the repository changed"
    );
}

#[test]
fn tooling_lockfiles_are_counted_apart() {
    // The shapes of real plugins: Playwright tests (`e2e/playwright/`), a browser load test
    // (`loadtest/browser/`), the template's build tools (`build/go.mod`), a Cargo fixture.
    let lock = |name: &str, packages: &[&str]| {
        let entries: Vec<String> = packages
            .iter()
            .map(|p| format!(r#""node_modules/{p}": {{ "version": "1.0.0" }}"#))
            .collect();
        format!(
            r#"{{"name": "{name}", "lockfileVersion": 3, "packages": {{"": {{}}, {}}}}}"#,
            entries.join(", ")
        )
    };
    let dir = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![Commit {
            files: files(&[
                ("webapp/package-lock.json", LOCKFILE),
                (
                    "e2e/playwright/package-lock.json",
                    &lock("playwright", &["accepts", "body-parser", "express"]),
                ),
                (
                    "loadtest/browser/package-lock.json",
                    &lock("browser", &["@axe-core/playwright"]),
                ),
                (
                    "build/go.mod",
                    "module example.com/build\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-git/go-git/v5 v5.4.2\n\tgithub.com/pkg/errors v0.9.1\n)\n",
                ),
                ("tests/fixture-crate/Cargo.toml", "[package]\nname = \"fixture\"\nversion = \"0.1.0\"\n"),
                (
                    "tests/fixture-crate/Cargo.lock",
                    "version = 3\n\n[[package]]\nname = \"fixture\"\nversion = \"0.1.0\"\n",
                ),
            ]),
            ..Commit::default()
        }],
        worktree: Commit::default(),
    });
    let root = dir.path().to_str().unwrap();
    let deps = &facts(&["facts", root])["dependencies"];

    let npm = &deps["npm"];
    assert_eq!(
        npm["total"], 4,
        "only the shipped lockfile's packages: {npm:#}"
    );
    assert_eq!(
        npm["lockfiles"],
        json!([{ "path": "webapp/package-lock.json", "lockfile_version": 3, "packages": 4 }])
    );
    assert_eq!(
        npm["tooling"],
        json!({
            "packages": 4,
            "files": [
                { "path": "e2e/playwright/package-lock.json", "packages": 3 },
                { "path": "loadtest/browser/package-lock.json", "packages": 1 },
            ]
        })
    );
    assert!(npm["packages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["name"] != "accepts"));

    let go = &deps["go"];
    assert_eq!(go["total"], 0, "{go:#}");
    assert_eq!(go["modules"], json!([]));
    assert_eq!(
        go["tooling"],
        json!({ "packages": 2, "files": [{ "path": "build/go.mod", "packages": 2 }] })
    );

    let cargo = &deps["cargo"];
    assert_eq!(
        cargo["manifests"],
        json!([]),
        "cargo is not run for tooling"
    );
    assert_eq!(
        cargo["tooling"],
        json!({ "packages": 1, "files": [{ "path": "tests/fixture-crate/Cargo.lock", "packages": 1 }] })
    );
}
