//! Running `cargo metadata` so that the linted repository cannot choose what runs.
//!
//! What a repository could use to run a program through cargo, and what stops it:
//! - `.cargo/config.toml` (`build.rustc`, `build.rustc-wrapper`, `build.rustc-workspace-wrapper`,
//!   `[target.*] runner`, `[env]`, `include`…): cargo reads configuration from its *current
//!   directory* and that directory's ancestors, whatever `--manifest-path` says (rust-lang/cargo
//!   issue 10098). Cargo runs in an empty temporary directory, on a copy of the manifests made in
//!   another one; the repository's `.cargo/` is never copied. Before running, the ancestors of
//!   both are checked for a `.cargo/` that is not `CARGO_HOME`, so a stray `/tmp/.cargo/` planted
//!   by someone else cannot take the repository's place.
//! - `rust-toolchain.toml` / `rust-toolchain`: rustup looks for them from the current
//!   directory too; they are not copied, and the current directory is empty.
//! - `cargo metadata` itself runs `rustc -vV` (and `rustc --print cfg`) to resolve
//!   target-specific features. `RUSTC` is set to `rustc` and the wrapper variables to the empty
//!   string, which cargo reads as "no wrapper": even a configuration file that slipped through
//!   could not choose the compiler or a wrapper. `CARGO_TARGET_*` variables are removed and the
//!   target directory points into the scratch directory.
//! - Build scripts and procedural macros are compiled by builds, never by `cargo metadata`.
//! - Network: `--offline` and `CARGO_NET_OFFLINE`; `--locked` when the repository has a
//!   `Cargo.lock`, so the answer is what the lockfile pins.
//! - Time: the command is killed after [`TIMEOUT`]; its output is capped at [`MAX_OUTPUT`].
//! - Memory: its address space is bounded at [`MAX_MEMORY`] (`setrlimit(RLIMIT_AS)` before it
//!   starts, through `libc`, already a dependency for the no-follow opens).
//! - Process group: it runs in a group of its own, killed whole on a timeout, and before
//!   onboard exits when the `--time-limit` watchdog fires or SIGINT, SIGTERM or SIGHUP arrives
//!   ([`kill_running`], through `commands::stop`); its temporary directories are removed on
//!   every return, and then too. On Linux the kernel also kills cargo if onboard dies without
//!   cleaning up (`PR_SET_PDEATHSIG`); what cargo itself started is then left to its group.
//! - Environment: cleared, then only `PATH`, `HOME`, `CARGO_HOME` and `RUSTUP_HOME` as onboard
//!   was given them, and `RUSTUP_TOOLCHAIN` set to the toolchain rustup names for onboard's own
//!   environment (so a `rust-toolchain.toml` in an ancestor of the temporary directory cannot
//!   choose another); no other `CARGO_*`/`RUSTUP_*` variable reaches cargo.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(120);
pub const MAX_OUTPUT: u64 = 512 * 1024 * 1024;
/// The address space cargo may use.
pub const MAX_MEMORY: u64 = 4 * 1024 * 1024 * 1024;

/// What onboard must end and remove if it stops while cargo runs.
struct Running {
    /// The process group of the cargo child running now (0: none).
    group: i32,
    /// The temporary directories cargo works in.
    temp: Vec<PathBuf>,
    /// Onboard is stopping ([`kill_running`] was called): nothing more is started or made.
    stopped: bool,
}

static RUNNING: std::sync::Mutex<Running> = std::sync::Mutex::new(Running {
    group: 0,
    temp: Vec::new(),
    stopped: false,
});

/// The state above, also when a thread panicked holding it: cleaning up must still happen.
fn running() -> std::sync::MutexGuard<'static, Running> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Kills the running cargo child's process group and removes its temporary directories; from
/// then on no cargo is started and no temporary directory made. Called from another thread
/// (the `--time-limit` watchdog, a stopping signal: `commands::stop`) right before the process
/// exits; the thread waiting on cargo then waits for that exit.
pub fn kill_running() {
    let mut running = running();
    running.stopped = true;
    #[cfg(unix)]
    if running.group > 0 {
        // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
        unsafe {
            libc::kill(-running.group, libc::SIGKILL);
        }
    }
    for dir in running.temp.drain(..) {
        let _ = std::fs::remove_dir_all(dir);
    }
    running.group = 0;
}

/// A temporary directory named `prefix…`, registered for [`kill_running`] to remove. Made
/// under the same lock [`kill_running`] takes, so a stop cannot fall between making and
/// registering it; once onboard is stopping, none is made.
pub fn temp_dir(prefix: &str) -> Result<tempfile::TempDir, String> {
    let mut running = running();
    if running.stopped {
        return Err("onboard is stopping".into());
    }
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    running.temp.push(dir.path().to_path_buf());
    Ok(dir)
}

/// Removes temporary directories made by [`temp_dir`] and forgets them, under the lock
/// [`kill_running`] takes, so that a stop finds each either registered or gone.
pub fn remove_temp(dirs: &[&Path]) {
    let mut running = running();
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
    running.temp.retain(|d| !dirs.contains(&d.as_path()));
}

/// The toolchain rustup picks for onboard's own environment and current directory, asked once.
fn active_toolchain() -> Option<String> {
    static ACTIVE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    ACTIVE
        .get_or_init(|| {
            if let Some(t) = std::env::var_os("RUSTUP_TOOLCHAIN") {
                return t.into_string().ok();
            }
            let out = Command::new("rustup")
                .args(["show", "active-toolchain"])
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .ok()?;
            let text = String::from_utf8(out.stdout).ok()?;
            text.split_whitespace().next().map(str::to_string)
        })
        .clone()
}

/// Runs `cargo metadata` on `manifest` (inside the copy) with `cwd` as the current directory.
pub fn metadata(
    manifest: &Path,
    cwd: &Path,
    target_dir: &Path,
    locked: bool,
    cargo_home: Option<&Path>,
) -> Result<cargo_metadata::Metadata, String> {
    for dir in [cwd, manifest.parent().unwrap_or(cwd)] {
        if let Some(found) = stray_config(dir, cargo_home) {
            return Err(format!(
                "`{}` would be read by cargo as configuration; cargo metadata was not run",
                found.display()
            ));
        }
    }
    let mut options = vec!["--offline".to_string()];
    if locked {
        options.push("--locked".into());
    }
    let mut cmd = Command::new("cargo");
    cmd.args(["metadata", "--format-version", "1"])
        .arg("--manifest-path")
        .arg(manifest)
        .args(&options)
        .current_dir(cwd)
        .env_clear();
    for key in ["PATH", "HOME", "CARGO_HOME", "RUSTUP_HOME"] {
        if let Some(v) = std::env::var_os(key) {
            cmd.env(key, v);
        }
    }
    if let Some(t) = active_toolchain() {
        cmd.env("RUSTUP_TOOLCHAIN", t);
    }
    cmd.env("RUSTC", "rustc")
        .env("RUSTC_WRAPPER", "")
        .env("RUSTC_WORKSPACE_WRAPPER", "")
        .env_remove("RUSTDOC")
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_TERM_COLOR", "never")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, stdout, stderr) = run(cmd)?;
    if !status.success() {
        let why = stderr
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(6)
            .collect::<Vec<_>>()
            .join(" ");
        return Err(format!("cargo metadata failed ({status}): {why}"));
    }
    cargo_metadata::MetadataCommand::parse(stdout)
        .map_err(|e| format!("cannot read the output of cargo metadata: {e}"))
}

/// Runs a command to completion or until [`TIMEOUT`], collecting its output.
fn run(mut cmd: Command) -> Result<(std::process::ExitStatus, String, String), String> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
        #[cfg(target_os = "linux")]
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: between fork and exec only setrlimit(2), prctl(2) and getppid(2) run, which
        // are async-signal-safe.
        unsafe {
            cmd.pre_exec(move || {
                let limit = libc::rlimit {
                    rlim_cur: MAX_MEMORY as libc::rlim_t,
                    rlim_max: MAX_MEMORY as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // Should onboard die in a way that runs no cleanup (SIGKILL, a crash), the
                // kernel kills cargo too. Onboard may already be gone: then do not start.
                #[cfg(target_os = "linux")]
                {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    if libc::getppid() != parent {
                        return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
                    }
                }
                Ok(())
            });
        }
    }
    // Started and registered under one lock, so a stop sees the child or nothing started.
    let mut child = {
        let mut running = running();
        if running.stopped {
            return Err("onboard is stopping".into());
        }
        let child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
        running.group = child.id() as i32;
        child
    };
    let result = wait(&mut child);
    let stopped = {
        let mut running = running();
        running.group = 0;
        running.stopped
    };
    if stopped {
        // Cargo was killed because onboard is exiting: its failure is no result to report.
        loop {
            std::thread::park();
        }
    }
    result
}

fn wait(
    child: &mut std::process::Child,
) -> Result<(std::process::ExitStatus, String, String), String> {
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(p) = pipe {
                let _ = p.take(MAX_OUTPUT).read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                #[cfg(unix)]
                // SAFETY: kill(2) on the child's own process group.
                unsafe {
                    libc::kill(-(child.id() as i32), libc::SIGKILL);
                }
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "cargo metadata did not finish within {} seconds",
                    TIMEOUT.as_secs()
                ));
            }
            Err(e) => return Err(format!("cannot wait for cargo: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    Ok((status, stdout, stderr))
}

/// A `.cargo/config` or `.cargo/config.toml` in `dir` or above that is not `CARGO_HOME`'s.
pub fn stray_config(dir: &Path, cargo_home: Option<&Path>) -> Option<PathBuf> {
    let home = cargo_home.and_then(|h| h.canonicalize().ok());
    for ancestor in dir.ancestors() {
        let dot = ancestor.join(".cargo");
        if home.is_some() && dot.canonicalize().ok() == home {
            continue;
        }
        for name in ["config", "config.toml"] {
            let p = dot.join(name);
            if p.exists() {
                return Some(p);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_configuration_above_the_scratch_directory_is_found() {
        let top = tempfile::tempdir().unwrap();
        let inner = top.path().join("a/b");
        std::fs::create_dir_all(&inner).unwrap();
        assert_eq!(stray_config(&inner, None), None);
        std::fs::create_dir_all(top.path().join(".cargo")).unwrap();
        std::fs::write(top.path().join(".cargo/config.toml"), "").unwrap();
        assert_eq!(
            stray_config(&inner, None),
            Some(top.path().join(".cargo/config.toml"))
        );
        // CARGO_HOME's own configuration is the user's, and allowed.
        assert_eq!(stray_config(&inner, Some(&top.path().join(".cargo"))), None);
    }
}
