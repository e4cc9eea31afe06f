//! What every hostile case needs: a sandbox (the repository, a home directory and a directory
//! outside the repository), git run with a fixed identity and dates and no outside
//! configuration, a byte-for-byte snapshot of everything in the sandbox, the real binary run
//! under a wall-clock limit, and traps that leave a marker file when something runs them.

use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single run may take before it counts as a hang.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Fixed dates for every commit and tag the git CLI writes.
const DATE: &str = "2026-01-01T00:00:00Z";

pub struct Sandbox {
    _dir: tempfile::TempDir,
    /// The sandbox root: `repo/`, `home/`, `outside/` live here.
    pub root: PathBuf,
    /// The repository under test.
    pub repo: PathBuf,
    /// `HOME` for git and onboard.
    pub home: PathBuf,
    /// A directory outside the repository: link targets, traps and their markers.
    pub outside: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (repo, home, outside) = (root.join("repo"), root.join("home"), root.join("outside"));
        for d in [&repo, &home, &outside, &outside.join("markers")] {
            std::fs::create_dir_all(d).unwrap();
        }
        Sandbox {
            _dir: dir,
            root,
            repo,
            home,
            outside,
        }
    }

    /// A sandbox whose repository is the sample plugin, committed and tagged `v1.0.0`.
    pub fn plugin() -> Sandbox {
        let sb = Sandbox::new();
        sb.write_plugin(&sb.repo);
        sb.git(&sb.repo, &["init", "-q", "-b", "master"]);
        sb.commit_all(&sb.repo, "initial");
        sb.git(&sb.repo, &["tag", "v1.0.0"]);
        sb
    }

    /// Writes the sample plugin's files into `dir`.
    pub fn write_plugin(&self, dir: &Path) {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hello-plugin");
        copy_dir(&example, dir);
        let onboarding = std::fs::read_to_string(dir.join(".onboarding.yml"))
            .unwrap()
            .replace("commit: v0.1.0", "commit: v1.0.0");
        std::fs::write(dir.join(".onboarding.yml"), onboarding).unwrap();
    }

    /// Runs the git CLI in `dir` with no system or global configuration, a fixed identity and
    /// fixed dates; panics when it fails.
    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let os: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        self.git_os(dir, &os)
    }

    pub fn git_os(&self, dir: &Path, args: &[&OsStr]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_AUTHOR_NAME", "Onboard Tests")
            .env("GIT_AUTHOR_EMAIL", "tests@example.com")
            .env("GIT_AUTHOR_DATE", DATE)
            .env("GIT_COMMITTER_NAME", "Onboard Tests")
            .env("GIT_COMMITTER_EMAIL", "tests@example.com")
            .env("GIT_COMMITTER_DATE", DATE)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Stages everything and commits it.
    pub fn commit_all(&self, dir: &Path, message: &str) {
        self.git(dir, &["add", "-A"]);
        self.git(dir, &["commit", "-q", "--no-verify", "-m", message]);
    }

    /// Writes a file of the repository (creating directories).
    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let p = self.repo.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// A script outside the repository that, when anything runs it, creates the marker
    /// `outside/markers/NAME` (and fails, so nothing goes on as if it had worked).
    pub fn trap(&self, name: &str) -> PathBuf {
        let bin = self.outside.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let script = bin.join(name);
        let marker = self.outside.join("markers").join(name);
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"$0 $*\" > '{}'\nexit 1\n",
                marker.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script
    }

    /// The markers that traps left: none, or something ran.
    pub fn markers(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.outside.join("markers"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Runs onboard with `HOME` in the sandbox, no system git configuration and no colour.
    pub fn onboard(&self, args: &[&OsStr]) -> Run {
        self.onboard_env(args, &[])
    }

    /// [`onboard`](Self::onboard) with more environment variables set.
    pub fn onboard_env(&self, args: &[&OsStr], env: &[(&str, OsString)]) -> Run {
        run_bounded(self.command(args, env), args)
    }

    /// Onboard started as [`onboard_env`](Self::onboard_env) starts it, not waited for, with
    /// SIGINT, SIGTERM and SIGHUP at their default actions whatever this test process has
    /// (so a signal sent to it acts as it would from a terminal or a service manager), except
    /// the signals in `ignored`, which it starts with ignored (as `nohup` starts a program).
    pub fn spawn(
        &self,
        args: &[&OsStr],
        env: &[(&str, OsString)],
        ignored: &[libc::c_int],
    ) -> Started {
        use std::os::unix::process::CommandExt;
        let mut cmd = self.command(args, env);
        let ignored = ignored.to_vec();
        // SAFETY: only signal(2), async-signal-safe, runs between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                for s in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                    let action = match ignored.contains(&s) {
                        true => libc::SIG_IGN,
                        false => libc::SIG_DFL,
                    };
                    libc::signal(s, action);
                }
                Ok(())
            });
        }
        Started {
            child: cmd
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("onboard starts"),
            start: Instant::now(),
        }
    }

    /// The command [`onboard_env`](Self::onboard_env) runs.
    fn command(&self, args: &[&OsStr], env: &[(&str, OsString)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_onboard"));
        cmd.args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            // Outside the sandbox, whose every byte must stay as it was.
            .env(
                "ONBOARD_CACHE_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-cache"),
            )
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE");
        // cargo and rustup still need their own homes, which `HOME` no longer leads to.
        let real_home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default();
        for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
            let value = std::env::var_os(var).unwrap_or_else(|| real_home.join(default).into());
            cmd.env(var, value);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// [`onboard`](Self::onboard) with string arguments.
    pub fn run(&self, args: &[&str]) -> Run {
        let os: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        self.onboard(&os)
    }

    /// Everything in the sandbox (repository with `.git`, home, outside), byte for byte.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.root)
    }

    /// The standard battery on `path` (the repository unless said otherwise): `lint --gate
    /// marketplace` as JSON and as human output, `facts` and `status`, each bounded in time,
    /// none panicking, none changing a byte of the sandbox or running a trap.
    pub fn check(&self, path: &Path) -> Checked {
        self.check_with(path, &[])
    }

    /// [`check`](Self::check) with extra arguments for every command (`--rev HEAD`,
    /// `--max-file-bytes N`).
    pub fn check_with(&self, path: &Path, extra: &[&str]) -> Checked {
        self.battery(path, extra, true)
    }

    /// `lint` as JSON and `facts` only, for inputs so large that the other runs would only
    /// repeat the same work.
    pub fn check_light(&self, path: &Path) -> Checked {
        self.battery(path, &[], false)
    }

    fn battery(&self, path: &Path, extra: &[&str], full: bool) -> Checked {
        let before = self.snapshot();
        let run = |args: &[&str]| {
            let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
            all.insert(1, path.as_os_str());
            all.extend(extra.iter().map(OsStr::new));
            let out = self.onboard(&all);
            before.assert_same(&self.snapshot(), &format!("onboard {args:?} {extra:?}"));
            assert_eq!(self.markers(), Vec::<String>::new(), "something ran");
            out
        };
        let lint = run(&["lint", "--gate", "marketplace", "--format", "json"]);
        let report = lint.json();
        let human = full.then(|| run(&["lint", "--gate", "marketplace"]));
        if let Some(h) = &human {
            assert_eq!(h.code, lint.code, "human and JSON lint disagree");
        }
        let facts = run(&["facts"]);
        let status = full.then(|| run(&["status", "--format", "json"]));
        Checked {
            lint,
            report,
            human,
            facts,
            facts_json: std::cell::OnceCell::new(),
            status,
        }
    }
}

/// One finished run.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

/// Onboard running, from [`Sandbox::spawn`].
pub struct Started {
    pub child: std::process::Child,
    start: Instant,
}

impl Started {
    /// Sends `signal` to onboard.
    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill(2) on the child's own pid, which it keeps until it is waited for.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    /// Waits for onboard's end as [`Sandbox::onboard`] does (bounded, no panic, no signal).
    pub fn finish(self, args: &[&OsStr]) -> Run {
        finish(self.child, self.start, args)
    }
}

/// Runs a command under [`TIME_LIMIT`], killing it and failing the test when it runs over;
/// fails on a panic, on a signal and on exit code 101.
fn run_bounded(mut cmd: Command, args: &[&OsStr]) -> Run {
    let start = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("onboard starts");
    finish(child, start, args)
}

/// [`run_bounded`] for a child already started.
fn finish(mut child: std::process::Child, start: Instant, args: &[&OsStr]) -> Run {
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = pipe(Box::new(child.stdout.take().unwrap()));
    let stderr = pipe(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("onboard {args:?} ran longer than {TIME_LIMIT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&stdout.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
    let Some(code) = status.code() else {
        panic!("onboard {args:?} was killed by a signal ({status}):\n{stderr}");
    };
    assert!(
        !stderr.contains("panicked") && code != 101,
        "onboard {args:?} panicked (exit {code}):\n{stderr}"
    );
    Run {
        code,
        stdout,
        stderr,
        elapsed,
    }
}

/// What the standard battery saw.
pub struct Checked {
    pub lint: Run,
    pub report: Value,
    /// `lint` with human output (not in a light battery).
    pub human: Option<Run>,
    pub facts: Run,
    facts_json: std::cell::OnceCell<Value>,
    /// `status --format json` (not in a light battery).
    pub status: Option<Run>,
}

impl Checked {
    /// Asserts the lint exit code.
    pub fn exit(&self, code: i32) -> &Self {
        assert_eq!(
            self.lint.code, code,
            "lint exit code\n{}\n{}",
            self.lint.stdout, self.lint.stderr
        );
        self
    }

    /// The findings of `rule` (name or code), with their messages.
    pub fn findings(&self, rule: &str) -> Vec<&Value> {
        self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule || f["code"] == rule)
            .collect()
    }

    /// Asserts a finding of `rule` whose message contains `text`, and that the human rendering
    /// shows it too.
    pub fn finding(&self, rule: &str, text: &str) -> &Value {
        let found = self.findings(rule);
        let hit = found
            .iter()
            .find(|f| f["message"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| {
                panic!(
                    "no `{rule}` finding saying `{text}`; findings:\n{}",
                    self.summary()
                )
            });
        if let Some(human) = &self.human {
            assert!(
                human.stdout.contains(rule),
                "human output lacks {rule}:\n{}",
                human.stdout
            );
        }
        hit
    }

    /// Asserts that no finding of `rule` was reported.
    pub fn no_finding(&self, rule: &str) -> &Self {
        assert!(
            self.findings(rule).is_empty(),
            "unexpected `{rule}`:\n{}",
            self.summary()
        );
        self
    }

    /// `rule: message` per finding, for failure messages.
    pub fn summary(&self) -> String {
        self.report["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| format!("  {}: {}", f["rule"], f["message"]))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// The facts as JSON. `onboard facts` exits 0, or 2 with the same configuration problems
    /// as `lint` (it still prints the facts, built with the default settings, and the
    /// configuration's own errors among them).
    pub fn facts(&self) -> &Value {
        self.facts_json.get_or_init(|| {
            let config_error = self.lint.code == 2 && self.facts.code == 2;
            assert!(
                self.facts.code == 0 || config_error,
                "facts exit {}: {}",
                self.facts.code,
                self.facts.stderr
            );
            self.facts.json()
        })
    }

    /// `lint` with human output (of a full battery).
    pub fn human(&self) -> &Run {
        self.human
            .as_ref()
            .expect("a full battery runs human output")
    }

    /// Every run of the battery.
    pub fn runs(&self) -> Vec<&Run> {
        [
            Some(&self.lint),
            self.human.as_ref(),
            Some(&self.facts),
            self.status.as_ref(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Asserts that every run took less than `seconds`.
    pub fn within(&self, seconds: u64) {
        for run in self.runs() {
            assert!(run.elapsed.as_secs() < seconds, "{:?}", run.elapsed);
        }
    }

    /// `status` (of a full battery).
    pub fn status(&self) -> &Run {
        self.status.as_ref().expect("a full battery runs status")
    }

    /// Asserts that `status` exited 0 with a checklist.
    pub fn status_ok(&self) -> Value {
        let status = self.status();
        assert_eq!(status.code, 0, "status: {}", status.stderr);
        status.json()
    }

    /// A configuration error: lint exits 2 with `rule` saying `text`; status exits 2 saying
    /// so on stderr (where the message may be wrapped).
    pub fn config_error(&self, rule: &str, text: &str) {
        self.exit(2);
        self.finding(rule, text);
        let status = self.status();
        assert_eq!(status.code, 2, "status: {}", status.stdout);
        let unwrapped = status
            .stderr
            .replace('│', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            unwrapped.contains(text) && status.stderr.contains(rule),
            "status stderr lacks `{rule}` or `{text}`:\n{}",
            status.stderr
        );
    }

    /// Everything the runs printed, to assert that something never appears.
    pub fn all_output(&self) -> String {
        self.runs()
            .into_iter()
            .map(|r| format!("{}\n{}\n", r.stdout, r.stderr))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir { mode: u32 },
    File { mode: u32, bytes: Vec<u8> },
    Link { target: OsString },
    Other { mode: u32 },
}

/// Every path under a directory, not following links: file bytes and modes, link targets,
/// directories.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<PathBuf, Node>);

impl Snapshot {
    pub fn of(root: &Path) -> Snapshot {
        let mut out = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let meta = std::fs::symlink_metadata(&path).unwrap();
                let mode = meta.permissions().mode();
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                let node = if meta.file_type().is_symlink() {
                    Node::Link {
                        target: std::fs::read_link(&path).unwrap().into_os_string(),
                    }
                } else if meta.is_dir() {
                    stack.push(path);
                    Node::Dir { mode }
                } else if meta.is_file() {
                    Node::File {
                        mode,
                        bytes: std::fs::read(&path).unwrap(),
                    }
                } else {
                    Node::Other { mode }
                };
                out.insert(rel, node);
            }
        }
        Snapshot(out)
    }

    /// Fails with the paths that appeared, disappeared or changed.
    pub fn assert_same(&self, after: &Snapshot, what: &str) {
        if self == after {
            return;
        }
        let mut diffs = Vec::new();
        for (p, n) in &self.0 {
            match after.0.get(p) {
                None => diffs.push(format!("removed {}", p.display())),
                Some(m) if m != n => diffs.push(format!("changed {}", p.display())),
                _ => {}
            }
        }
        for p in after.0.keys().filter(|p| !self.0.contains_key(*p)) {
            diffs.push(format!("added {}", p.display()));
        }
        panic!("{what} changed the sandbox:\n  {}", diffs.join("\n  "));
    }

    /// The paths that differ, for runs that are allowed to write some.
    pub fn changed(&self, after: &Snapshot) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .0
            .iter()
            .filter(|(p, n)| after.0.get(*p) != Some(n))
            .map(|(p, _)| p.clone())
            .collect();
        out.extend(after.0.keys().filter(|p| !self.0.contains_key(*p)).cloned());
        out.sort();
        out
    }
}

/// Copies a directory tree (files and directories).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// A path from raw bytes (non-UTF-8 names).
pub fn raw_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::from_bytes(bytes))
}
