//! Cargo: the packages a Rust project depends on, from `cargo metadata`.
//!
//! The Cargo manifests (`Cargo.toml`, `Cargo.lock`) are copied out of the repository, through the
//! workspace (so `--rev` works the same as the working tree, and links never leave the root),
//! into a temporary directory, with an empty placeholder for every `.rs` file so cargo finds the
//! same targets. `cargo metadata` runs on that copy, never on the repository: it cannot write to
//! the repository (a missing `Cargo.lock` is created in the copy), and nothing the repository
//! holds besides manifests reaches cargo. See [`run`] for what else keeps the repository from
//! choosing what runs.
//!
//! When cargo cannot run or fails (no cargo, an offline cache that lacks a crate), the packages
//! come from `Cargo.lock`, each licence from the crate's unpacked sources in cargo's registry
//! cache when they are there; development-only status cannot be told that way.

pub mod lock;
pub mod run;

use super::{counts, dir_of, is_third_party_dir, Location, Package, Problem, ReadText, Tooling};
use crate::source::SourceFile;
use crate::workspace::{FileKind, RepoFile};
use cargo_metadata::{DependencyKind, Metadata, PackageId};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct CargoFact {
    pub total: usize,
    /// Packages whose licence is unknown (`expression` null).
    pub unknown: usize,
    /// The top-level `Cargo.toml` files (those with no `Cargo.toml` in a directory above).
    pub manifests: Vec<String>,
    /// `cargo metadata` or `Cargo.lock` for each manifest, in the same order.
    pub methods: Vec<String>,
    pub packages: Vec<Package>,
    pub problems: Vec<Problem>,
    /// Top-level manifests of tooling (`tests/`, `examples/`, …): the packages of their
    /// `Cargo.lock` are counted apart, cargo is not run for them, and nothing is judged.
    pub tooling: Tooling,
}

/// Most `.rs` placeholders written for one copy; beyond it the copy is refused.
const MAX_COPIED: usize = 200_000;

/// Reads the Cargo dependencies of every top-level `Cargo.toml` among `files`.
pub fn collect(files: &[RepoFile], read: ReadText<'_>, cargo_home: Option<&Path>) -> CargoFact {
    let mut fact = CargoFact::default();
    let manifests: Vec<&RepoFile> = files
        .iter()
        .filter(|f| is_named(&f.path, "Cargo.toml") && !is_third_party_dir(&f.path))
        .collect();
    let roots: Vec<&str> = manifests
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| {
            let dir = dir_of(p);
            !manifests.iter().any(|m| {
                let other = dir_of(&m.path);
                other != dir && (other.is_empty() || dir.starts_with(&format!("{other}/")))
            })
        })
        .collect();
    let (tooling, roots): (Vec<&str>, Vec<&str>) = roots
        .into_iter()
        .partition(|p| crate::facts::files::is_tooling(p));
    for root in tooling {
        let lock_path = super::join(dir_of(root), "Cargo.lock");
        match read(&lock_path) {
            Ok(Some(file)) => fact
                .tooling
                .push(&lock_path, lock::parse(&file).0.len(), None),
            Ok(None) => fact.tooling.push(root, 0, None),
            Err(e) => fact.tooling.push(&lock_path, 0, Some(e.to_string())),
        }
    }
    if roots.is_empty() {
        return fact;
    }
    let scratch = match Scratch::new(files, read) {
        Ok(s) => Some(s),
        Err(e) => {
            fact.problems.push(Problem::general(e));
            None
        }
    };
    for root in roots {
        let lock_path = super::join(dir_of(root), "Cargo.lock");
        let lockfile = match read(&lock_path) {
            Ok(f) => f,
            Err(e) => {
                fact.problems.push(Problem::path(&lock_path, e.to_string()));
                None
            }
        };
        let (entries, lock_problems) = lockfile.as_ref().map(lock::parse).unwrap_or_default();
        fact.problems.extend(lock_problems);
        let ran = scratch
            .as_ref()
            .ok_or_else(|| "the manifests could not be copied".to_string())
            .and_then(|s| {
                run::metadata(
                    &s.copy.path().join(root),
                    s.cwd.path(),
                    &s.target,
                    lockfile.is_some(),
                    cargo_home,
                )
            });
        let packages = match ran {
            Ok(meta) => {
                fact.methods.push("cargo metadata".into());
                if lockfile.is_none() {
                    fact.problems.push(Problem::path(
                        root,
                        "no Cargo.lock next to it: versions were resolved offline from the local cache",
                    ));
                }
                from_metadata(&meta, lockfile.as_ref(), &entries)
            }
            Err(e) => {
                fact.problems.push(Problem::path(root, e));
                fact.methods.push("Cargo.lock".into());
                from_lock(lockfile.as_ref(), &entries, cargo_home)
            }
        };
        fact.manifests.push(root.to_string());
        fact.packages.extend(packages);
    }
    (fact.total, fact.unknown) = counts(&fact.packages);
    fact
}

fn is_named(path: &str, name: &str) -> bool {
    path == name || path.ends_with(&format!("/{name}"))
}

/// The copy of the manifests, an empty current directory and a target directory, each
/// temporary and removed when dropped.
struct Scratch {
    copy: tempfile::TempDir,
    cwd: tempfile::TempDir,
    target: std::path::PathBuf,
}

impl Scratch {
    fn new(files: &[RepoFile], read: ReadText<'_>) -> Result<Scratch, String> {
        let temp = |what: &str| {
            tempfile::Builder::new()
                .prefix(&format!("onboard-cargo-{what}-"))
                .tempdir()
                .map_err(|e| format!("cannot create a temporary directory: {e}"))
        };
        let (copy, cwd) = (temp("copy")?, temp("cwd")?);
        let target = copy.path().join(".onboard-target");
        let mut placeholders = 0;
        for f in files {
            if f.kind == FileKind::Submodule {
                continue;
            }
            let manifest = is_named(&f.path, "Cargo.toml") || is_named(&f.path, "Cargo.lock");
            let source = f.path.ends_with(".rs");
            if !manifest && !source {
                continue;
            }
            if f.path
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == ".." || c == ".cargo")
            {
                continue;
            }
            let dest = copy.path().join(&f.path);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot copy manifests: {e}"))?;
            }
            let bytes: Vec<u8> = if manifest {
                match read(&f.path) {
                    Ok(Some(file)) => file.text.as_bytes().to_vec(),
                    _ => continue,
                }
            } else {
                placeholders += 1;
                if placeholders > MAX_COPIED {
                    return Err(format!(
                        "more than {MAX_COPIED} Rust source files; not copied"
                    ));
                }
                Vec::new()
            };
            std::fs::write(&dest, bytes).map_err(|e| format!("cannot copy manifests: {e}"))?;
        }
        Ok(Scratch { copy, cwd, target })
    }
}

/// The packages `cargo metadata` resolved, minus the workspace's own members.
fn from_metadata(
    meta: &Metadata,
    lockfile: Option<&SourceFile>,
    entries: &[lock::LockEntry],
) -> Vec<Package> {
    let members: HashSet<&PackageId> = meta.workspace_members.iter().collect();
    let normal = reachable_without_dev(meta);
    let mut out = Vec::new();
    for p in &meta.packages {
        if members.contains(&p.id) {
            continue;
        }
        let version = p.version.to_string();
        let mut package = Package::new(p.name.to_string(), Some(version.clone()));
        package.dev = normal.as_ref().is_some_and(|n| !n.contains(&p.id));
        package.package_source = p.source.as_ref().map(|s| s.repr.clone());
        if let Some(licence) = p.license.as_ref().filter(|l| !l.trim().is_empty()) {
            package.expression = Some(licence.clone());
            package.source = Some("cargo metadata".into());
        }
        package.location = locate(lockfile, entries, &package.name, &version);
        out.push(package);
    }
    out
}

/// Packages reachable from the workspace members through edges that are not only
/// dev-dependencies; `None` when cargo gave no resolve graph.
fn reachable_without_dev(meta: &Metadata) -> Option<HashSet<PackageId>> {
    let resolve = meta.resolve.as_ref()?;
    let nodes: HashMap<&PackageId, &cargo_metadata::Node> =
        resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let mut seen: HashSet<PackageId> = meta.workspace_members.iter().cloned().collect();
    let mut stack: Vec<&PackageId> = meta.workspace_members.iter().collect();
    while let Some(id) = stack.pop() {
        let Some(node) = nodes.get(id) else { continue };
        for dep in &node.deps {
            let needed = dep.dep_kinds.is_empty()
                || dep
                    .dep_kinds
                    .iter()
                    .any(|k| k.kind != DependencyKind::Development);
            if needed && seen.insert(dep.pkg.clone()) {
                stack.push(&dep.pkg);
            }
        }
    }
    Some(seen)
}

fn locate(
    lockfile: Option<&SourceFile>,
    entries: &[lock::LockEntry],
    name: &str,
    version: &str,
) -> Option<Location> {
    let file = lockfile?;
    entries
        .iter()
        .find(|e| e.name == name && e.version == version)
        .map(|e| Location::new(file, e.span))
}

/// The packages of `Cargo.lock` that come from a registry or git (the others are the project's
/// own), each licence from the registry cache when it is there.
fn from_lock(
    lockfile: Option<&SourceFile>,
    entries: &[lock::LockEntry],
    cargo_home: Option<&Path>,
) -> Vec<Package> {
    entries
        .iter()
        .filter(|e| e.source.is_some())
        .map(|e| {
            let mut package = Package::new(e.name.clone(), Some(e.version.clone()));
            package.package_source = e.source.clone();
            package.location = lockfile.map(|f| Location::new(f, e.span));
            let registry = e
                .source
                .as_deref()
                .is_some_and(|s| s.starts_with("registry+") || s.starts_with("sparse+"));
            if let (true, Some(home)) = (registry, cargo_home) {
                if let Some((shown, licence)) = lock::registry_licence(home, &e.name, &e.version) {
                    package.source = licence.is_some().then_some(shown);
                    package.expression = licence;
                }
            }
            package
        })
        .collect()
}

#[cfg(test)]
mod tests;
