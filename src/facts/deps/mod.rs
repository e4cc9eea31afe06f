//! Dependencies and their licences, per ecosystem: npm lockfiles, Go modules, Cargo.
//!
//! Facts only: each package's name, version, the licence string as found (or none), where that
//! answer came from, whether it is needed only for development, and the file and span a finding
//! should point at. Judging the licences is the rules' job.
//!
//! Everything in the repository is read through [`Workspace`], so `--rev` works and symbolic
//! links never leave the root. Two reads go outside the repository, both read-only: the Go
//! module cache and cargo's registry cache (licence files and published manifests only,
//! size-capped, no symbolic links). No program runs, unless the user opts in to `cargo
//! metadata` for a trusted repository: then it runs confined, on a copy of the Cargo manifests
//! in a temporary directory (see [`cargo`]).

pub mod cargo;
pub mod go;
pub mod json;
pub mod npm;

use crate::source::{SourceFile, Span};
use crate::workspace::{ReadError, Workspace};
use schemars::JsonSchema;
use serde::Serialize;

/// Turns a licence text into an SPDX expression, or `None` when it cannot tell.
pub type Classifier<'a> = &'a dyn Fn(&str) -> Option<String>;

/// One installed or required package.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Package {
    pub name: String,
    /// The version as recorded (npm may record a URL or `file:` path for non-registry packages).
    pub version: Option<String>,
    /// The licence as found (an SPDX expression, a non-SPDX string such as `Apache 2.0`, or a
    /// legacy object or list rendered as a string), or null when none was found.
    pub expression: Option<String>,
    /// Where `expression` came from: a repository path (`webapp/package-lock.json`,
    /// `webapp/node_modules/foo/package.json`, `vendor/github.com/x/y/LICENSE`),
    /// `module cache: <path>`, `cargo metadata` or `registry: <path>`; null when nothing was found.
    /// For a Go module whose licence file was found but not named by the classifier, the file,
    /// with `expression` null.
    pub source: Option<String>,
    /// Needed only for development (npm `dev`, Cargo reachable only through dev-dependencies).
    pub dev: bool,
    /// npm: the install path in the lockfile (`node_modules/a/node_modules/b`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_path: Option<String>,
    /// Go: required only indirectly (`// indirect`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indirect: Option<bool>,
    /// Go: the replacement (`path version` or a directory) when a `replace` directive applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// Cargo: where the package comes from (`registry+…`, `git+…`), null for a path dependency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_source: Option<String>,
    /// Why the licence is unknown, when more can be said than that none was found (a crate not
    /// in the local registry cache, a path dependency outside the repository).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_reason: Option<String>,
    /// What a finding about this package points at: the `"license"` value when one was read from
    /// a repository file, else the package's entry (lockfile key, `require` line).
    pub location: Option<Location>,
}

impl Package {
    pub fn new(name: impl Into<String>, version: Option<String>) -> Self {
        Package {
            name: name.into(),
            version,
            expression: None,
            source: None,
            dev: false,
            install_path: None,
            indirect: None,
            replaced_by: None,
            package_source: None,
            unknown_reason: None,
            location: None,
        }
    }
}

/// A span in a repository file, with the file's text for diagnostics.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Location {
    pub path: String,
    pub span: Span,
    #[serde(skip)]
    pub file: SourceFile,
}

impl Location {
    pub fn new(file: &SourceFile, span: Span) -> Self {
        Location {
            path: file.path.clone(),
            span,
            file: file.clone(),
        }
    }
}

/// Something that kept a file (or part of it) from being read: unreadable, truncated, too
/// large, a value of the wrong type, a command that failed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    /// The repository path concerned, when there is one.
    pub path: Option<String>,
    pub message: String,
    /// Where in `path` the problem is; null for problems about a whole file or none.
    pub span: Option<Span>,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    /// The problem kept a whole lockfile or module file from being read, so packages it lists
    /// may be missing from the facts: `unknown-dependency-licence` reports it.
    #[serde(skip)]
    pub lost_packages: bool,
}

impl Problem {
    /// Marks the problem as one that lost the packages of a whole file.
    pub fn lost_packages(mut self) -> Self {
        self.lost_packages = true;
        self
    }

    /// A problem at a span of a file that was read.
    pub fn at(file: &SourceFile, span: Span, message: impl Into<String>) -> Self {
        Problem {
            path: Some(file.path.clone()),
            message: message.into(),
            span: Some(span),
            file: Some(file.clone()),
            lost_packages: false,
        }
    }

    /// A problem about a path as a whole (it could not be read).
    pub fn path(path: &str, message: impl Into<String>) -> Self {
        Problem {
            path: Some(path.to_string()),
            message: message.into(),
            span: None,
            file: None,
            lost_packages: false,
        }
    }

    /// A problem that concerns no repository file (a command that failed).
    pub fn general(message: impl Into<String>) -> Self {
        Problem {
            path: None,
            message: message.into(),
            span: None,
            file: None,
            lost_packages: false,
        }
    }
}

/// A lockfile or module file of tooling (end-to-end tests, load tests, build tools: a path under
/// [`crate::facts::files::TOOLING_DIRS`]). Its packages are not shipped with the plugin, so they
/// are counted here and never judged: no licence is looked up for them.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ToolingFile {
    pub path: String,
    /// Packages it lists (0 when it could not be read).
    pub packages: usize,
    /// Why it could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Packages of tooling files, apart from the shipped ones.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Tooling {
    /// Packages listed by all tooling files together.
    pub packages: usize,
    pub files: Vec<ToolingFile>,
}

impl Tooling {
    fn push(&mut self, path: &str, packages: usize, error: Option<String>) {
        self.packages += packages;
        self.files.push(ToolingFile {
            path: path.to_string(),
            packages,
            error,
        });
    }
}

/// `total` and `unknown` of a package list.
fn counts(packages: &[Package]) -> (usize, usize) {
    (
        packages.len(),
        packages.iter().filter(|p| p.expression.is_none()).count(),
    )
}

/// Reads a repository text file for the parsers, which are unit-tested without a workspace.
pub type ReadText<'a> = &'a dyn Fn(&str) -> Result<Option<SourceFile>, ReadError>;

/// The `dependencies` fact family.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DependenciesFact {
    pub npm: npm::NpmFact,
    pub go: go::GoFact,
    pub cargo: cargo::CargoFact,
}

/// Where each ecosystem looks outside the repository, decided by the caller (the environment in
/// production, temporary directories in tests).
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// The Go module cache directory.
    pub go_mod_cache: Option<std::path::PathBuf>,
    /// `CARGO_HOME`, for the registry sources of the `Cargo.lock` fallback.
    pub cargo_home: Option<std::path::PathBuf>,
}

impl Env {
    /// Reads the locations from the process environment, as `go env` and cargo would.
    pub fn from_process() -> Env {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
        let home = var("HOME").map(std::path::PathBuf::from);
        let go_mod_cache = var("GOMODCACHE")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                var("GOPATH").and_then(|p| {
                    std::env::split_paths(&p)
                        .next()
                        .filter(|p| !p.as_os_str().is_empty())
                        .map(|p| p.join("pkg/mod"))
                })
            })
            .or_else(|| home.as_ref().map(|h| h.join("go/pkg/mod")));
        let cargo_home = var("CARGO_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| home.map(|h| h.join(".cargo")));
        Env {
            go_mod_cache,
            cargo_home,
        }
    }
}

/// Computes every ecosystem. `classify` names the licence of a Go module's licence text.
/// `cargo_metadata`: the user trusts the repository enough to run `cargo metadata` (confined,
/// see [`cargo::run`]); otherwise no program runs.
pub fn compute(
    ws: &Workspace,
    env: &Env,
    cargo_metadata: bool,
    classify: Classifier<'_>,
) -> DependenciesFact {
    let files = ws.files().unwrap_or_default();
    let read: ReadText<'_> = &|p| ws.read_text(p);
    // The fallback reads `node_modules/*/package.json` for every package whose lockfile entry
    // names no licence; without an installed `node_modules` folder (a clone, CI before
    // `npm ci`) each would be a lookup of a path that is not there.
    let absent = std::cell::RefCell::new(std::collections::HashSet::<String>::new());
    let installed: ReadText<'_> = &|p| {
        if let Some(i) = p.find("node_modules/") {
            let folder = &p[..i + "node_modules".len()];
            if absent.borrow().contains(folder) {
                return Ok(None);
            }
            if ws.entry(folder).is_none() {
                absent.borrow_mut().insert(folder.to_string());
                return Ok(None);
            }
        }
        ws.read_text(p)
    };
    // Lockfiles get the workspace's larger cap for lockfiles by their name.
    DependenciesFact {
        npm: npm::collect(files, read, installed, ws.cache().map(|c| &**c)),
        go: go::collect(files, read, env.go_mod_cache.as_deref(), classify),
        cargo: cargo::collect(files, read, env.cargo_home.as_deref(), cargo_metadata),
    }
}

/// Whether a path lies in a directory of other people's code or of build and test output
/// (`node_modules`, `vendor`, `third_party`, `target`, `testdata`): no manifest or licence file
/// of the project itself lives there.
pub fn is_third_party_dir(path: &str) -> bool {
    path.split('/').any(|c| {
        matches!(
            c,
            "node_modules" | "vendor" | "third_party" | "target" | "testdata"
        )
    })
}

use crate::workspace::paths::{child as join, parent as dir_of};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn third_party_dirs() {
        assert!(is_third_party_dir(
            "webapp/node_modules/a/package-lock.json"
        ));
        assert!(is_third_party_dir("vendor/x/go.mod"));
        assert!(!is_third_party_dir("server/go.mod"));
        assert_eq!(dir_of("webapp/package-lock.json"), "webapp");
        assert_eq!(dir_of("go.mod"), "");
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("w", "a"), "w/a");
    }
}
