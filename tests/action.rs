//! The GitHub Action's script (`scripts/action.sh`), run as the runner would run it: with
//! `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `GITHUB_ACTION_PATH` set, the inputs as `INPUT_*`
//! variables, and either the `onboard` built by this test run on `PATH` (`version:
//! preinstalled`, or the binary's own version number, so nothing is installed), or no `onboard`
//! and no `cargo` on `PATH` and a release server on 127.0.0.1 holding that binary packed as a
//! release asset, as `.github/workflows/release.yml` packs it.

mod support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

fn plugin(files: &[(&str, &str)]) -> tempfile::TempDir {
    support::one_commit_repo(support::files(files))
}

const CLEAN: &[(&str, &str)] = &[
    (".onboarding.yml", support::REVIEWED),
    support::CI_WORKFLOW,
    support::PLUGIN_CODE,
    (
        "plugin.json",
        "{\"id\": \"com.example.hello\", \"name\": \"Hello\"}\n",
    ),
    ("LICENSE", "@data/licences/MIT.txt"),
    ("README.md", "# Hello\n"),
];

fn with(set: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut files: BTreeMap<&str, &str> = CLEAN.iter().copied().collect();
    files.extend(set.iter().copied());
    files.into_iter().collect()
}

struct Step {
    code: i32,
    stdout: String,
    outputs: BTreeMap<String, String>,
    summary: String,
}

/// Runs the script on `repo` with `inputs`, the built `onboard` first on `PATH`; the summary file
/// starts with an earlier step's text.
fn run_action(repo: &Path, inputs: &[(&str, &str)], action_path: &Path) -> Step {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_onboard")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    run_action_with(repo, inputs, action_path, &path, &[])
}

/// Runs the script with `PATH` set to `path` and the runner variables `env`.
fn run_action_with(
    repo: &Path,
    inputs: &[(&str, &str)],
    action_path: &Path,
    path: &str,
    env: &[(&str, &Path)],
) -> Step {
    let runner = tempfile::tempdir().unwrap();
    let output = runner.path().join("output");
    let summary = runner.path().join("summary.md");
    std::fs::write(&output, "earlier=1\n").unwrap();
    std::fs::write(&summary, "## an earlier step\n").unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action.sh");
    let out = std::process::Command::new("bash")
        .arg(&script)
        .current_dir(runner.path())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env(
            "ONBOARD_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("onboard-cache"),
        )
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_ACTION_PATH", action_path)
        .env("RUNNER_TEMP", runner.path())
        .env_remove("RUNNER_TOOL_CACHE")
        .env_remove("RUNNER_OS")
        .env_remove("RUNNER_ARCH")
        .envs(env.iter().copied())
        .env("INPUT_PATH", repo)
        .envs(inputs.iter().map(|(k, v)| (format!("INPUT_{k}"), *v)))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.starts_with("earlier=1\n"), "outputs are appended");
    let outputs = text
        .lines()
        .skip(1)
        .map(|l| {
            let (k, v) = l.split_once('=').expect("name=value");
            (k.to_string(), v.to_string())
        })
        .collect();
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("## an earlier step\n"),
        "the summary is appended to"
    );
    let leftovers: Vec<PathBuf> = std::fs::read_dir(runner.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("onboard.")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files removed: {leftovers:?}"
    );
    Step {
        code: out.status.code().unwrap(),
        stdout: format!("{stdout}{stderr}"),
        outputs,
        summary,
    }
}

fn preinstalled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn deny_findings_fail_the_step_with_annotations_summary_outputs_and_sarif() {
    let repo = plugin(&with(&[(
        "plugin.json",
        "{\"id\": \"x\", \"name\": \"Hello\", \"extra\": 1}\n",
    )]));
    let sarif_dir = tempfile::tempdir().unwrap();
    let sarif = sarif_dir.path().join("out/onboard.sarif");
    let step = run_action(
        repo.path(),
        &[
            ("VERSION", "preinstalled"),
            ("SARIF_FILE", sarif.to_str().unwrap()),
        ],
        &preinstalled(),
    );
    assert_eq!(step.code, 1, "{}", step.stdout);
    assert!(
        step.stdout.contains("::error file=plugin.json,line=1"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout.contains("::warning file=plugin.json"),
        "{}",
        step.stdout
    );
    assert_eq!(step.outputs["findings"], "2", "one error, one warning");
    assert_eq!(step.outputs["gate-reached"], "none");
    assert_eq!(
        step.summary.matches("### Onboarding checklist").count(),
        1,
        "one summary"
    );
    assert!(
        step.summary
            .contains("| ❌ deny | OB103 `invalid-plugin-id`"),
        "{}",
        step.summary
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn gate_reached_is_what_status_reports() {
    let repo = plugin(CLEAN);
    let step = run_action(repo.path(), &[("VERSION", "preinstalled")], &preinstalled());
    assert_eq!(step.code, 0, "{}", step.stdout);
    assert_eq!(step.outputs["findings"], "0");
    let status = support::onboard(&["status", repo.path().to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let expected = v["highest_passed"].as_str().unwrap_or("none");
    assert_eq!(step.outputs["gate-reached"], expected);
    assert!(step.summary.contains("No findings."), "{}", step.summary);
}

#[test]
fn fail_on_warn_fails_on_warnings_and_deny_does_not() {
    let repo = plugin(&with(&[(
        "plugin.json",
        "{\"id\": \"com.example.hello\", \"name\": \"Hello\", \"extra\": 1}\n",
    )]));
    let step = run_action(repo.path(), &[("VERSION", "preinstalled")], &preinstalled());
    assert_eq!(
        step.code, 0,
        "warnings pass with fail-on: deny\n{}",
        step.stdout
    );
    assert_eq!(step.outputs["findings"], "1");

    let step = run_action(
        repo.path(),
        &[("VERSION", "preinstalled"), ("FAIL_ON", "warn")],
        &preinstalled(),
    );
    assert_eq!(step.code, 1, "{}", step.stdout);
    assert!(step
        .stdout
        .contains("::error title=onboard::warnings: 1, and fail-on is warn"));
    assert_eq!(step.outputs["findings"], "1");
}

#[test]
fn a_version_number_uses_a_matching_binary_without_building() {
    let repo = plugin(CLEAN);
    // An action path with nothing to build proves nothing was built.
    let empty = tempfile::tempdir().unwrap();
    let step = run_action(
        repo.path(),
        &[
            ("VERSION", env!("CARGO_PKG_VERSION")),
            ("GATE", "ci-extensions"),
            ("FORMAT", "human"),
        ],
        empty.path(),
    );
    assert_eq!(step.code, 0, "{}", step.stdout);
    assert!(!step.stdout.contains("cargo install"), "{}", step.stdout);
    assert!(
        step.stdout
            .contains("gate ci-extensions: 0 errors, 0 warnings"),
        "{}",
        step.stdout
    );
}

#[test]
fn bad_inputs_and_configuration_errors_exit_2() {
    let repo = plugin(CLEAN);
    for (input, value, message) in [
        (
            "FAIL_ON",
            "error",
            "fail-on must be deny or warn, not 'error'",
        ),
        (
            "FORMAT",
            "xml",
            "format must be github, human, json, sarif or markdown",
        ),
        (
            "VERSION",
            "latest",
            "version must be a version number (X.Y.Z) or preinstalled, not 'latest'",
        ),
        ("SUMMARY", "no", "summary must be true or false, not 'no'"),
    ] {
        let step = run_action(
            repo.path(),
            &[("VERSION", "preinstalled"), (input, value)],
            &preinstalled(),
        );
        assert_eq!(step.code, 2, "{input}={value}: {}", step.stdout);
        assert!(step.stdout.contains(message), "{}", step.stdout);
        assert!(step.outputs.is_empty());
    }

    let broken = plugin(&with(&[(".onboarding.yml", "version: 1\ngate: nope\n")]));
    let step = run_action(
        broken.path(),
        &[("VERSION", "preinstalled")],
        &preinstalled(),
    );
    assert_eq!(step.code, 2, "{}", step.stdout);
    assert_eq!(step.outputs["findings"], "1", "the configuration problem");
    assert_eq!(step.outputs["gate-reached"], "none");
    assert!(step
        .summary
        .contains("configuration problem stopped the run"));

    let step = run_action(
        repo.path(),
        &[("VERSION", "preinstalled"), ("CHANGED_FROM", "no-such-ref")],
        &preinstalled(),
    );
    assert_eq!(step.code, 2, "{}", step.stdout);
    assert!(step
        .stdout
        .contains("cannot compare with `--changed-from no-such-ref`"));
    assert_eq!(step.outputs["findings"], "0");
}

#[test]
fn summary_false_writes_no_job_summary_and_args_reach_lint_and_status() {
    let repo = plugin(&with(&[(
        "plugin.json",
        "{\"id\": \"x\", \"name\": \"Hello\"}\n",
    )]));
    let step = run_action(
        repo.path(),
        &[
            ("VERSION", "preinstalled"),
            ("SUMMARY", "false"),
            (
                "ARGS",
                "--allow invalid-plugin-id  --warn missing-basic-review",
            ),
        ],
        &preinstalled(),
    );
    assert_eq!(step.code, 0, "the one error is allowed\n{}", step.stdout);
    assert_eq!(step.summary, "## an earlier step\n", "no job summary");
    assert_eq!(step.outputs["findings"], "0", "{}", step.stdout);
    let status = support::onboard(&[
        "status",
        repo.path().to_str().unwrap(),
        "--allow",
        "invalid-plugin-id",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    assert_eq!(
        step.outputs["gate-reached"],
        v["highest_passed"].as_str().unwrap_or("none"),
        "status sees the same policy options"
    );
    assert_ne!(step.outputs["gate-reached"], "none", "{}", step.stdout);
}

// The release download: no `onboard` and no `cargo` on PATH, a local release server.

/// A GET-only file server on 127.0.0.1 for release assets: serves `files` by name (404 for any
/// other path), records each request path, and stops when dropped or after 120 s.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(files: BTreeMap<String, PathBuf>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!(
            "http://{}/releases/download/v{}",
            listener.local_addr().unwrap(),
            env!("CARGO_PKG_VERSION")
        );
        let prefix = format!("/releases/download/v{}/", env!("CARGO_PKG_VERSION"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while !stopped.load(Ordering::Relaxed) && Instant::now() < deadline {
                let (mut stream, _) = match listener.accept() {
                    Ok(conn) => conn,
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    }
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split(' ').nth(1).unwrap_or("").to_string();
                seen.lock().unwrap().push(path.clone());
                let body = path
                    .strip_prefix(&prefix)
                    .and_then(|name| files.get(name))
                    .map(|file| std::fs::read(file).unwrap());
                let _ = match body {
                    Some(body) => stream
                        .write_all(format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes())
                        .and_then(|()| stream.write_all(&body)),
                    None => stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
                };
            }
        });
        Server {
            base,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

const ASSET: &str = "onboard-x86_64-unknown-linux-musl.tar.gz";

/// The built binary packed as the release packs it (`onboard` at the top of a gzipped tar),
/// once per test run, with its sha256.
fn packed() -> &'static (PathBuf, String) {
    static PACKED: OnceLock<(PathBuf, String)> = OnceLock::new();
    PACKED.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("action-release");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_onboard"), dir.join("bin/onboard")).unwrap();
        let asset = dir.join(ASSET);
        let packed = std::process::Command::new("sh")
            .arg("-c")
            .arg("tar -cf - -C bin onboard | gzip -1 > \"$1\"")
            .arg("sh")
            .arg(&asset)
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(packed.success());
        let sum = std::process::Command::new("sha256sum")
            .arg(&asset)
            .output()
            .unwrap();
        assert!(sum.status.success());
        let hex = String::from_utf8(sum.stdout).unwrap()[..64].to_string();
        (asset, hex)
    })
}

/// A release server holding the packed binary and `checksum` as its `.sha256` (none: no file).
fn release_server(checksum: Option<&str>) -> (Server, tempfile::TempDir) {
    let (asset, _) = packed();
    let dir = tempfile::tempdir().unwrap();
    let mut files = BTreeMap::from([(ASSET.to_string(), asset.clone())]);
    if let Some(sum) = checksum {
        let file = dir.path().join("sum");
        std::fs::write(&file, format!("{sum}  {ASSET}\n")).unwrap();
        files.insert(format!("{ASSET}.sha256"), file);
    }
    (Server::start(files), dir)
}

/// `PATH` without any directory that holds `cargo` or `onboard`: what the script finds is only
/// what it downloads.
fn path_without_cargo() -> String {
    let kept: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|d| !d.join("cargo").exists() && !d.join("onboard").exists())
        .collect();
    for tool in ["bash", "curl", "tar", "gzip", "jq", "sha256sum"] {
        assert!(
            kept.iter().any(|d| d.join(tool).exists()),
            "{tool} is needed on PATH, outside cargo's directories"
        );
    }
    std::env::join_paths(kept).unwrap().into_string().unwrap()
}

fn download_step(server: &Server, cache: &Path, repo: &Path) -> Step {
    let runner_env: [(&str, &Path); 3] = [
        ("RUNNER_OS", Path::new("Linux")),
        ("RUNNER_ARCH", Path::new("X64")),
        ("RUNNER_TOOL_CACHE", cache),
    ];
    run_action_with(
        repo,
        &[
            ("VERSION", env!("CARGO_PKG_VERSION")),
            ("DOWNLOAD_BASE_URL", &server.base),
        ],
        &preinstalled(),
        &path_without_cargo(),
        &runner_env,
    )
}

#[test]
fn without_cargo_the_release_binary_is_downloaded_verified_cached_and_run() {
    let (_, sha) = packed();
    let (server, _keep) = release_server(Some(sha));
    let cache = tempfile::tempdir().unwrap();
    let repo = plugin(CLEAN);

    let step = download_step(&server, cache.path(), repo.path());
    assert_eq!(step.code, 0, "{}", step.stdout);
    assert!(
        step.stdout.contains(&format!(
            "downloaded {}/{ASSET}, sha256 {sha} (matches {ASSET}.sha256)",
            server.base
        )),
        "{}",
        step.stdout
    );
    let installed = cache.path().join(format!(
        "onboard/{}/x86_64-unknown-linux-musl/bin/onboard",
        env!("CARGO_PKG_VERSION")
    ));
    assert!(
        step.stdout.contains(&format!(
            "onboard {} at {}",
            env!("CARGO_PKG_VERSION"),
            installed.display()
        )),
        "{}",
        step.stdout
    );
    assert!(!step.stdout.contains("cargo install"), "{}", step.stdout);
    assert_eq!(step.outputs["findings"], "0");
    assert!(step.summary.contains("No findings."), "{}", step.summary);
    let prefix = format!("/releases/download/v{}/", env!("CARGO_PKG_VERSION"));
    assert_eq!(
        server.requests(),
        [
            format!("{prefix}{ASSET}"),
            format!("{prefix}{ASSET}.sha256")
        ]
    );

    // The tool cache holds it: a second run downloads nothing.
    let again = download_step(&server, cache.path(), repo.path());
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert!(!again.stdout.contains("downloaded"), "{}", again.stdout);
    assert_eq!(server.requests().len(), 2, "no new request");
}

#[test]
fn a_wrong_or_missing_checksum_fails_the_step_and_installs_nothing() {
    let repo = plugin(CLEAN);
    let wrong = "0".repeat(64);
    let (server, _keep) = release_server(Some(&wrong));
    let cache = tempfile::tempdir().unwrap();
    let step = download_step(&server, cache.path(), repo.path());
    assert_eq!(step.code, 2, "{}", step.stdout);
    let (_, sha) = packed();
    assert!(
        step.stdout.contains(&format!(
            "::error title=onboard action::checksum mismatch for {}/{ASSET}: {ASSET}.sha256 says {wrong}, the download is {sha}; not installing it",
            server.base
        )),
        "{}",
        step.stdout
    );
    assert!(step.outputs.is_empty(), "the step stops before linting");
    assert!(
        !step.stdout.contains("cargo install"),
        "no fallback: {}",
        step.stdout
    );
    let installed: Vec<_> = walk(cache.path());
    assert!(installed.is_empty(), "nothing installed: {installed:?}");

    let (server, _keep) = release_server(None);
    let step = download_step(&server, cache.path(), repo.path());
    assert_eq!(step.code, 2, "{}", step.stdout);
    assert!(
        step.stdout.contains(&format!(
            "cannot check {ASSET}: its checksum {}/{ASSET}.sha256 could not be downloaded (HTTP 404)",
            server.base
        )),
        "{}",
        step.stdout
    );
    assert!(walk(cache.path()).is_empty());
}

#[test]
fn no_release_asset_and_no_cargo_says_both() {
    let repo = plugin(CLEAN);
    let server = Server::start(BTreeMap::new());
    let cache = tempfile::tempdir().unwrap();
    let step = download_step(&server, cache.path(), repo.path());
    assert_eq!(step.code, 2, "{}", step.stdout);
    assert!(
        step.stdout.contains(&format!(
            "::warning title=onboard action::no release binary at {}/{ASSET} (HTTP 404): building onboard {} from source instead",
            server.base,
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout
            .contains("and cargo is not on PATH to build onboard"),
        "{}",
        step.stdout
    );
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
