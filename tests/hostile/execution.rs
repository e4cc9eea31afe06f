//! Repositories that try to make onboard run code: Cargo configuration, git hooks of every kind,
//! programs named in `.git/config`, filter and diff drivers, npm scripts. Every one of them
//! points at a script outside the repository that leaves a marker; no marker may appear after
//! `lint`, `facts`, `status` or `review-diff`, and only `review-diff --branch` may write (its
//! objects and its one branch).

use super::harness::Sandbox;
use std::path::PathBuf;

/// Every hook git knows (githooks(5)), plus the fsmonitor and p4 ones.
const HOOKS: &[&str] = &[
    "applypatch-msg",
    "pre-applypatch",
    "post-applypatch",
    "pre-commit",
    "pre-merge-commit",
    "prepare-commit-msg",
    "commit-msg",
    "post-commit",
    "pre-rebase",
    "post-checkout",
    "post-merge",
    "pre-push",
    "pre-receive",
    "update",
    "proc-receive",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "pre-auto-gc",
    "post-rewrite",
    "sendemail-validate",
    "fsmonitor-watchman",
    "post-index-change",
    "p4-changelist",
    "p4-prepare-changelist",
    "p4-post-changelist",
    "p4-pre-submit",
];

/// Makes every tracked file look modified to git's stat check (new mtimes, same bytes), so a
/// status has to read them, and changes one for real.
fn stat_dirty(sb: &Sandbox) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    for path in [
        "README.md",
        "LICENSE",
        "plugin.json",
        "server/main.go",
        ".onboarding.yml",
    ] {
        let f = std::fs::File::options()
            .write(true)
            .open(sb.repo.join(path))
            .unwrap();
        f.set_modified(later).unwrap();
    }
    let mut go = std::fs::read_to_string(sb.repo.join("server/main.go")).unwrap();
    go.push_str("// changed\n");
    sb.write("server/main.go", go);
}

/// The standard battery, then `review-diff` (read-only, then writing its branch): no marker
/// ever, and the branch run writes nothing but objects and its own ref.
fn nothing_runs(sb: &Sandbox) {
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.status_ok();
    let repo = sb.repo.to_str().unwrap();
    let before = sb.snapshot();
    // Comparing the working tree with a commit: libgit2 diffs it, drivers and all configured.
    let out = sb.run(&[
        "lint",
        repo,
        "--gate",
        "marketplace",
        "--changed-from",
        "v1.0.0",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "lint --changed-from: {}", out.stderr);
    assert!(out.json()["changes"]["files"].is_array());
    for format in ["patch", "stat"] {
        let out = sb.run(&["review-diff", repo, "--format", format]);
        assert_eq!(out.code, 0, "review-diff: {}", out.stderr);
    }
    before.assert_same(&sb.snapshot(), "review-diff");
    assert_eq!(
        sb.markers(),
        Vec::<String>::new(),
        "review-diff ran something"
    );

    let out = sb.run(&["review-diff", repo, "--branch", "onboard-review"]);
    assert_eq!(out.code, 0, "review-diff --branch: {}", out.stderr);
    assert_eq!(
        sb.markers(),
        Vec::<String>::new(),
        "review-diff --branch ran something"
    );
    for path in before.changed(&sb.snapshot()) {
        let p = path.to_string_lossy();
        assert!(
            p.starts_with("repo/.git/objects/")
                || p == "repo/.git/refs/heads/onboard-review"
                || p.starts_with("repo/.git/logs/refs/heads/onboard-review"),
            "review-diff --branch wrote {p}"
        );
    }
}

#[test]
fn cargo_configuration() {
    let sb = Sandbox::plugin();
    let script = sb.trap("cargo-config");
    let s = script.display();
    sb.write(
        ".cargo/config.toml",
        format!(
            "[build]\nrustc = \"{s}\"\nrustc-wrapper = \"{s}\"\nrustc-workspace-wrapper = \"{s}\"\n\n\
             [target.x86_64-unknown-linux-gnu]\nrunner = \"{s}\"\nlinker = \"{s}\"\n\n\
             [target.aarch64-unknown-linux-gnu]\nrunner = \"{s}\"\n\n\
             [target.'cfg(all())']\nrunner = \"{s}\"\n\n[alias]\nmetadata = \"run\"\n"
        ),
    );
    let toolchain = sb.outside.join("toolchain/bin");
    std::fs::create_dir_all(&toolchain).unwrap();
    for tool in ["cargo", "rustc"] {
        std::fs::copy(sb.trap("toolchain"), toolchain.join(tool)).unwrap();
    }
    std::fs::remove_file(sb.outside.join("bin/toolchain")).unwrap();
    sb.write(
        "rust-toolchain.toml",
        format!(
            "[toolchain]\npath = \"{}\"\n",
            sb.outside.join("toolchain").display()
        ),
    );
    sb.write(
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nbuild = \"build.rs\"\n",
    );
    sb.write(
        "Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n",
    );
    sb.write("src/main.rs", "fn main() {}\n");
    sb.write(
        "build.rs",
        format!("fn main() {{ std::process::Command::new(\"{s}\").status().unwrap(); }}\n"),
    );
    sb.commit_all(&sb.repo, "cargo");
    nothing_runs(&sb);
    let facts = sb.run(&["facts", sb.repo.to_str().unwrap()]).json();
    // cargo metadata still answered, from a copy where the configuration cannot reach.
    assert_eq!(
        facts["dependencies"]["cargo"]["manifests"][0], "Cargo.toml",
        "{}",
        facts["dependencies"]["cargo"]
    );
}

#[test]
fn git_hooks_of_every_kind() {
    let sb = Sandbox::plugin();
    let hooks = sb.repo.join(".git/hooks");
    for hook in HOOKS {
        std::fs::copy(sb.trap(&format!("hook-{hook}")), hooks.join(hook)).unwrap();
    }
    stat_dirty(&sb);
    nothing_runs(&sb);
}

#[test]
fn hooks_path_outside() {
    let sb = Sandbox::plugin();
    let dir = sb.outside.join("hooks");
    std::fs::create_dir_all(&dir).unwrap();
    for hook in HOOKS {
        std::fs::copy(sb.trap(&format!("hookspath-{hook}")), dir.join(hook)).unwrap();
    }
    sb.git(
        &sb.repo,
        &["config", "core.hooksPath", dir.to_str().unwrap()],
    );
    stat_dirty(&sb);
    nothing_runs(&sb);
}

#[test]
fn programs_in_git_config() {
    let sb = Sandbox::plugin();
    sb.git(&sb.repo, &["tag", "-a", "-m", "release", "v1.0.1"]);
    let settings: Vec<(&str, PathBuf)> = [
        ("core.fsmonitor", "fsmonitor"),
        ("core.sshCommand", "ssh-command"),
        ("core.pager", "pager"),
        ("core.editor", "editor"),
        ("core.askPass", "askpass"),
        ("sequence.editor", "sequence-editor"),
        ("gpg.program", "gpg"),
        ("gpg.ssh.program", "gpg-ssh"),
        ("gpg.x509.program", "gpg-x509"),
        ("diff.external", "diff-external"),
        ("core.alternateRefsCommand", "alternate-refs"),
    ]
    .into_iter()
    .map(|(key, name)| (key, sb.trap(name)))
    .collect();
    for (key, script) in &settings {
        sb.git(&sb.repo, &["config", key, script.to_str().unwrap()]);
    }
    let helper = format!("!{}", sb.trap("credential-helper").display());
    sb.git(&sb.repo, &["config", "credential.helper", &helper]);
    sb.git(&sb.repo, &["config", "tag.gpgSign", "true"]);
    sb.git(&sb.repo, &["config", "core.untrackedCache", "true"]);
    sb.git(&sb.repo, &["config", "core.fsmonitorHookVersion", "2"]);
    sb.git(
        &sb.repo,
        &[
            "remote",
            "add",
            "origin",
            &format!("ext::{}", sb.trap("remote-ext").display()),
        ],
    );
    stat_dirty(&sb);
    nothing_runs(&sb);
}

#[test]
fn filter_and_diff_drivers() {
    let sb = Sandbox::plugin();
    // Committed before the drivers exist, so git itself never runs them.
    sb.write(".gitattributes", "* filter=trap diff=trap merge=trap\n");
    sb.commit_all(&sb.repo, "attributes");
    for (key, name) in [
        ("filter.trap.clean", "filter-clean"),
        ("filter.trap.smudge", "filter-smudge"),
        ("filter.trap.process", "filter-process"),
        ("diff.trap.textconv", "diff-textconv"),
        ("diff.trap.command", "diff-command"),
        ("merge.trap.driver", "merge-driver"),
    ] {
        sb.git(&sb.repo, &["config", key, sb.trap(name).to_str().unwrap()]);
    }
    sb.git(&sb.repo, &["config", "filter.trap.required", "true"]);
    stat_dirty(&sb);
    nothing_runs(&sb);
}

#[test]
fn npm_scripts() {
    let sb = Sandbox::plugin();
    let mut scripts = serde_json::Map::new();
    for name in [
        "preinstall",
        "install",
        "postinstall",
        "prepare",
        "prepublish",
        "prepublishOnly",
        "prepack",
        "postpack",
        "dependencies",
        "build",
        "test",
        "lint",
        "license",
    ] {
        let script = sb.trap(&format!("npm-{name}"));
        scripts.insert(name.into(), script.display().to_string().into());
    }
    let package = serde_json::json!({
        "name": "webapp", "version": "1.0.0", "license": "Apache-2.0", "scripts": scripts,
        "dependencies": { "left-pad": "1.3.0" }
    });
    sb.write(
        "webapp/package.json",
        serde_json::to_string_pretty(&package).unwrap(),
    );
    sb.write(
        "webapp/package-lock.json",
        r#"{"name": "webapp", "lockfileVersion": 3, "packages": {"": {"name": "webapp"}, "node_modules/left-pad": {"version": "1.3.0"}}}"#,
    );
    sb.write(
        "webapp/node_modules/left-pad/package.json",
        serde_json::to_string(&package).unwrap(),
    );
    sb.write(
        "Makefile",
        format!("all:\n\t{}\n", sb.trap("make").display()),
    );
    sb.commit_all(&sb.repo, "scripts");
    nothing_runs(&sb);
}
