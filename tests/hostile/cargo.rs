//! Cargo cannot be steered: by default no program runs at all (a fake `cargo` first on `PATH`
//! leaves a marker if anything starts it) while crates in the registry cache are still
//! classified; opted in (`--cargo-metadata`), a manifest that leads out of the repository keeps
//! cargo from starting; a `--time-limit` that fires, or SIGINT, SIGTERM or SIGHUP, kills cargo's
//! whole process group and leaves no temporary directory; cargo gets a controlled environment.

use super::harness::Sandbox;
use std::ffi::{OsStr, OsString};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

const LOCK: &str = "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"serde\",\n]\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";

/// A Rust crate in the plugin, depending on `serde` from the registry.
fn rust_plugin(manifest_extra: &str) -> Sandbox {
    let sb = Sandbox::plugin();
    sb.write(
        "Cargo.toml",
        format!("[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n{manifest_extra}"),
    );
    sb.write("Cargo.lock", LOCK);
    sb.write("src/main.rs", "fn main() {}\n");
    sb.commit_all(&sb.repo, "rust");
    sb
}

/// A fake `cargo` in `outside/fakebin` running `body` (a shell script); returns the `PATH`
/// that finds it first.
fn fake_cargo(sb: &Sandbox, body: &str) -> OsString {
    let bin = sb.outside.join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("cargo");
    std::fs::write(&script, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// A cargo home whose registry cache holds `serde 1.0.200`'s manifest.
fn cargo_home(sb: &Sandbox) -> PathBuf {
    let home = sb.outside.join("cargo-home");
    let dir = home.join("registry/src/index.crates.io-0000/serde-1.0.200");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"serde\"\nversion = \"1.0.200\"\nlicense = \"MIT OR Apache-2.0\"\n",
    )
    .unwrap();
    home
}

fn facts(sb: &Sandbox, extra: &[&str], env: &[(&str, OsString)]) -> super::harness::Run {
    let mut args: Vec<&OsStr> = vec![OsStr::new("facts"), sb.repo.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    sb.onboard_env(&args, env)
}

#[test]
fn by_default_cargo_never_runs_and_the_registry_cache_answers() {
    let sb = rust_plugin("");
    let marker = sb.outside.join("markers/cargo");
    let path = fake_cargo(
        &sb,
        &format!("echo \"$*\" > '{}'\nexit 1", marker.display()),
    );
    let env = [
        ("PATH", path),
        ("CARGO_HOME", cargo_home(&sb).into_os_string()),
    ];
    let before = sb.snapshot();
    let out = facts(&sb, &[], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lint = sb.onboard_env(
        &[
            OsStr::new("lint"),
            sb.repo.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ],
        &env,
    );
    assert!(lint.code == 0 || lint.code == 1, "{}", lint.stderr);
    assert!(!marker.exists(), "cargo ran");
    before.assert_same(&sb.snapshot(), "facts");
    let cargo = &out.json()["dependencies"]["cargo"];
    assert_eq!(cargo["methods"][0], "Cargo.lock", "{cargo:#}");
    let serde = &cargo["packages"][0];
    assert_eq!(serde["name"], "serde");
    assert_eq!(serde["expression"], "MIT OR Apache-2.0");
    assert_eq!(
        serde["source"],
        "registry: index.crates.io-0000/serde-1.0.200/Cargo.toml"
    );

    // Not in the cache: unknown, saying how to get it there.
    let empty = sb.outside.join("empty-home");
    std::fs::create_dir_all(&empty).unwrap();
    let env = [
        ("PATH", env[0].1.clone()),
        ("CARGO_HOME", empty.into_os_string()),
    ];
    let out = facts(&sb, &[], &env);
    let serde = &out.json()["dependencies"]["cargo"]["packages"][0];
    assert_eq!(serde["expression"], serde_json::Value::Null);
    assert!(
        serde["unknown_reason"]
            .as_str()
            .unwrap()
            .contains("cargo fetch"),
        "{serde}"
    );
    assert!(!marker.exists(), "cargo ran");
}

#[test]
fn opted_in_a_manifest_leading_out_keeps_cargo_from_starting() {
    for (extra, key) in [
        (
            "outside = { path = \"/etc\" }\n",
            "dependencies.outside.path",
        ),
        (
            "\n[workspace]\nmembers = [\"/usr/**\"]\n",
            "workspace.members[0]",
        ),
        (
            "\n[workspace]\nmembers = [\"../**\"]\n",
            "workspace.members[0]",
        ),
    ] {
        let sb = rust_plugin(extra);
        let marker = sb.outside.join("markers/cargo");
        let path = fake_cargo(
            &sb,
            &format!("echo \"$*\" > '{}'\nexit 1", marker.display()),
        );
        let out = facts(&sb, &["--cargo-metadata"], &[("PATH", path)]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!marker.exists(), "cargo ran for {extra}");
        let cargo = &out.json()["dependencies"]["cargo"];
        let refused = cargo["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["message"].as_str().unwrap().contains(key))
            .unwrap_or_else(|| panic!("no refusal naming {key}: {cargo:#}"));
        assert_eq!(refused["path"], "Cargo.toml");
        assert!(refused["message"]
            .as_str()
            .unwrap()
            .contains("cargo metadata was not run"));
    }
}

#[test]
fn a_repository_policy_cannot_turn_cargo_on() {
    let sb = rust_plugin("");
    sb.write(
        "policy.yml",
        "version: 1\ndependencies: { cargo_metadata: true }\n",
    );
    let onboarding = std::fs::read_to_string(sb.repo.join(".onboarding.yml")).unwrap();
    sb.write(
        ".onboarding.yml",
        format!("{onboarding}policies: [policy.yml]\n"),
    );
    let marker = sb.outside.join("markers/cargo");
    let path = fake_cargo(
        &sb,
        &format!("echo \"$*\" > '{}'\nexit 1", marker.display()),
    );
    let out = facts(&sb, &[], &[("PATH", path.clone())]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("cannot be turned on by a policy file"),
        "{}",
        out.stderr
    );
    assert!(!marker.exists(), "cargo ran");
    // The same file given with `--policy` is the user's, and trusted.
    let policy = sb.outside.join("trusted.yml");
    std::fs::write(
        &policy,
        "version: 1\ndependencies: { cargo_metadata: true }\n",
    )
    .unwrap();
    std::fs::write(sb.repo.join(".onboarding.yml"), onboarding).unwrap();
    let out = facts(
        &sb,
        &["--policy", policy.to_str().unwrap()],
        &[("PATH", path)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(marker.exists(), "cargo did not run");
}

#[test]
fn the_time_limit_kills_cargo_with_its_group_and_removes_its_temp_dirs() {
    let sb = rust_plugin("");
    let (pids, tmp, env) = sleeping_cargo(&sb);
    let out = facts(&sb, &["--cargo-metadata", "--time-limit", "3"], &env);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--time-limit"), "{}", out.stderr);
    let pids = std::fs::read_to_string(&pids).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    for pid in pids.lines() {
        assert!(
            !alive(pid),
            "process {pid} of cargo's group outlived onboard"
        );
    }
    let left = names_in(&tmp);
    assert!(left.is_empty(), "temporary directories left: {left:?}");
}

/// A fake cargo that starts a grandchild; each writes its pid to the returned file, then both
/// wait far longer than any test. Also the TMPDIR it runs with, and the environment to pass.
fn sleeping_cargo(sb: &Sandbox) -> (PathBuf, PathBuf, [(&'static str, OsString); 2]) {
    let pids = sb.outside.join("pids");
    let path = fake_cargo(
        sb,
        &format!(
            "echo $$ >> '{p}'\nsleep 300 &\necho $! >> '{p}'\nwait",
            p = pids.display()
        ),
    );
    let tmp = sb.outside.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let env = [("PATH", path), ("TMPDIR", tmp.clone().into_os_string())];
    (pids, tmp, env)
}

/// Whether process `pid` still runs (a zombie waiting for its parent does not).
fn alive(pid: &str) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .unwrap_or_default()
            .contains(") Z ")
}

/// The names in `dir`.
fn names_in(dir: &std::path::Path) -> Vec<OsString> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect()
}

/// Waits (bounded) until `file` has `lines` lines, and returns them.
fn wait_for_lines(file: &std::path::Path, lines: usize) -> Vec<String> {
    let start = std::time::Instant::now();
    loop {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let found: Vec<String> = text.lines().map(str::to_string).collect();
        if found.len() >= lines && text.ends_with('\n') {
            return found;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "cargo did not start: {text:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// SIGINT, SIGTERM or SIGHUP while `cargo metadata` runs: onboard exits with 128 + the signal,
/// cargo's whole process group is gone and its temporary directories are removed.
#[test]
fn a_stopping_signal_kills_cargo_with_its_group_and_removes_its_temp_dirs() {
    for (signal, name, code) in [
        (libc::SIGTERM, "SIGTERM", 143),
        (libc::SIGINT, "SIGINT", 130),
        (libc::SIGHUP, "SIGHUP", 129),
    ] {
        let sb = rust_plugin("");
        let (pids, tmp, env) = sleeping_cargo(&sb);
        let args = [
            OsStr::new("facts"),
            sb.repo.as_os_str(),
            OsStr::new("--cargo-metadata"),
        ];
        let started = sb.spawn(&args, &env, &[]);
        let cargo = wait_for_lines(&pids, 2);
        assert!(
            names_in(&tmp)
                .iter()
                .any(|n| n.to_string_lossy().starts_with("onboard-cargo-")),
            "cargo runs in temporary directories under TMPDIR"
        );
        started.signal(signal);
        let out = started.finish(&args);
        assert_eq!(out.code, code, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("onboard stopped by {name}")),
            "{}",
            out.stderr
        );
        assert!(
            out.stdout.is_empty(),
            "no facts after {name}: {}",
            out.stdout
        );
        // SIGKILL to the group is delivered before onboard exits; the processes may take a
        // moment to be reaped by init.
        let start = std::time::Instant::now();
        while cargo.iter().any(|p| alive(p)) && start.elapsed() < std::time::Duration::from_secs(5)
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        for pid in &cargo {
            assert!(
                !alive(pid),
                "{name}: process {pid} of cargo's group outlived onboard"
            );
        }
        assert_eq!(
            names_in(&tmp),
            Vec::<OsString>::new(),
            "{name}: temporary directories left"
        );
    }
}

/// A signal ignored when onboard starts (`nohup`) stays ignored: the run goes on to its end.
#[test]
fn a_signal_ignored_at_start_stays_ignored() {
    let sb = rust_plugin("");
    let started_file = sb.outside.join("started");
    let path = fake_cargo(
        &sb,
        &format!("echo $$ > '{}'\nsleep 1\nexit 1", started_file.display()),
    );
    let args = [
        OsStr::new("facts"),
        sb.repo.as_os_str(),
        OsStr::new("--cargo-metadata"),
    ];
    let started = sb.spawn(&args, &[("PATH", path)], &[libc::SIGHUP]);
    wait_for_lines(&started_file, 1);
    started.signal(libc::SIGHUP);
    let out = started.finish(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("stopped by"), "{}", out.stderr);
    assert_eq!(
        out.json()["dependencies"]["cargo"]["methods"][0],
        "Cargo.lock",
        "the run went on to its end"
    );
}

#[test]
fn cargo_gets_a_controlled_environment() {
    let sb = rust_plugin("");
    let dump = sb.outside.join("env");
    let path = fake_cargo(&sb, &format!("env > '{}'\nexit 1", dump.display()));
    // A toolchain file above the temporary directory, naming a toolchain that is not there.
    let tmp = sb.outside.join("above/tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(
        sb.outside.join("above/rust-toolchain.toml"),
        "[toolchain]\nchannel = \"onboard-test-planted\"\n",
    )
    .unwrap();
    let env = [
        ("PATH", path),
        ("TMPDIR", tmp.into_os_string()),
        ("CARGO_PLANTED", "1".into()),
        ("RUSTUP_PLANTED", "1".into()),
        ("CARGO_BUILD_RUSTC_WRAPPER", "/bin/false".into()),
        ("RUSTFLAGS", "--planted".into()),
    ];
    let out = facts(&sb, &["--cargo-metadata"], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dumped = std::fs::read_to_string(&dump).expect("cargo ran");
    let allowed = [
        "PATH",
        "HOME",
        "PWD",
        "SHLVL",
        "_",
        "OLDPWD",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "RUSTC",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_TARGET_DIR",
        "CARGO_NET_OFFLINE",
        "CARGO_TERM_COLOR",
    ];
    for line in dumped.lines() {
        let key = line.split('=').next().unwrap();
        assert!(allowed.contains(&key), "cargo got `{line}`");
    }
    let toolchain = dumped
        .lines()
        .find_map(|l| l.strip_prefix("RUSTUP_TOOLCHAIN="))
        .unwrap_or_default();
    assert!(!toolchain.contains("planted"), "{toolchain}");
}

/// Opted in, a path dependency whose `Cargo.toml` is a committed link to `/dev/zero`: the link
/// leads out of the repository and is not followed, so neither onboard nor cargo reads without
/// bound; the run ends with the reason and leaves no temporary directory.
#[test]
fn opted_in_a_manifest_linked_to_dev_zero_is_not_read() {
    let sb = rust_plugin("dep = { path = \"dep\" }\n");
    sb.write("dep/src/lib.rs", "\n");
    std::os::unix::fs::symlink("/dev/zero", sb.repo.join("dep/Cargo.toml")).unwrap();
    sb.commit_all(&sb.repo, "a dependency whose manifest is /dev/zero");
    let tmp = sb.outside.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let out = facts(
        &sb,
        &["--cargo-metadata"],
        &[("TMPDIR", tmp.clone().into_os_string())],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let problems = out.json()["dependencies"]["cargo"]["problems"].clone();
    let link = problems
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "dep/Cargo.toml")
        .unwrap_or_else(|| panic!("no problem for the link: {problems:#}"));
    assert!(
        link["message"]
            .as_str()
            .unwrap()
            .contains("is a symbolic link to `/dev/zero`, outside the repository; not followed"),
        "{link}"
    );
    assert_eq!(
        names_in(&tmp),
        Vec::<OsString>::new(),
        "temporary directories left"
    );
}
