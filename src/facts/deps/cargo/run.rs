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

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(120);
pub const MAX_OUTPUT: u64 = 512 * 1024 * 1024;

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
    let mut cmd = cargo_metadata::MetadataCommand::new()
        .manifest_path(manifest)
        .current_dir(cwd)
        .other_options(options)
        .cargo_command();
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("CARGO_TARGET_") || k.starts_with("CARGO_BUILD_") {
            cmd.env_remove(&key);
        }
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
    let mut child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
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
