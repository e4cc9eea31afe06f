//! Cargo: the packages a Rust project depends on.
//!
//! By default no program runs: the packages come from `Cargo.lock`, each licence from the
//! crate's published manifest in cargo's registry cache
//! (`$CARGO_HOME/registry/src/<index>/<name>-<version>/Cargo.toml`, a regular file of at most
//! [`lock::MAX_MANIFEST_BYTES`]), or for a path dependency from its `Cargo.toml` in the
//! repository, read through the workspace (so `--rev` works, and links never leave the root).
//! A crate that is not in the cache is unknown, and says how to get it there. Which packages
//! are only for development is read from the members' manifests (`[dev-dependencies]`) and
//! the lockfile's dependency lists.
//!
//! When the user opts in for a trusted repository (`--cargo-metadata`, or
//! `dependencies: { cargo_metadata: true }` in a policy file given with `--policy`),
//! `cargo metadata` answers instead, confined (see [`run`]). First every manifest is read here,
//! and a path that leads out of the repository (a path dependency, a workspace member or glob
//! such as `/usr/**` or `../**`, `package.workspace`, a target's path) is refused, naming the
//! file and the key: cargo is not started, and the lockfile answers. Then the manifests
//! (`Cargo.toml`, `Cargo.lock`) are copied into a temporary directory, with an empty placeholder
//! for every `.rs` file so cargo finds the same targets, and `cargo metadata` runs on that copy,
//! never on the repository: it cannot write to the repository, and nothing the repository holds
//! besides manifests reaches cargo. When cargo fails, the lockfile answers too.

pub mod lock;
pub mod manifest;
pub mod run;

use super::{counts, dir_of, is_third_party_dir, Location, Package, Problem, ReadText, Tooling};
use crate::source::SourceFile;
use crate::workspace::{FileKind, RepoFile};
use cargo_metadata::{DependencyKind, Metadata, PackageId};
use manifest::{Licence, Manifest};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
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

/// What the help of an unknown crate says.
const FETCH_HINT: &str = "fetch the crates into the local registry cache (`cargo fetch` in a checkout you trust), or pass `--cargo-metadata` for a trusted repository";

/// Reads the Cargo dependencies of every top-level `Cargo.toml` among `files`; runs
/// `cargo metadata` only when `run_metadata` (the user trusts the repository).
pub fn collect(
    files: &[RepoFile],
    read: ReadText<'_>,
    cargo_home: Option<&Path>,
    run_metadata: bool,
) -> CargoFact {
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
    let parsed = Manifests::read(&manifests, read);
    // Cargo may start only when no manifest it could read leads out of the repository.
    let scratch = if run_metadata {
        let refused = confine(files, &parsed, read);
        if refused.is_empty() {
            match Scratch::new(files, read) {
                Ok(s) => Some(s),
                Err(e) => {
                    fact.problems.push(Problem::general(e));
                    None
                }
            }
        } else {
            fact.problems.extend(refused);
            None
        }
    } else {
        None
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
        let ran = scratch.as_ref().map(|s| {
            run::metadata(
                &s.copy.path().join(root),
                s.cwd.path(),
                &s.target,
                lockfile.is_some(),
                cargo_home,
            )
        });
        let packages = match ran {
            Some(Ok(meta)) => {
                fact.methods.push("cargo metadata".into());
                if lockfile.is_none() {
                    fact.problems.push(Problem::path(
                        root,
                        "no Cargo.lock next to it: versions were resolved offline from the local cache",
                    ));
                }
                from_metadata(&meta, lockfile.as_ref(), &entries)
            }
            other => {
                if let Some(Err(e)) = other {
                    fact.problems.push(Problem::path(root, e));
                }
                fact.methods.push("Cargo.lock".into());
                let found = Lockfile {
                    root,
                    file: lockfile.as_ref(),
                    entries: &entries,
                    manifests: &parsed,
                    cargo_home,
                }
                .packages(&mut fact.problems);
                found
            }
        };
        fact.manifests.push(root.to_string());
        fact.packages.extend(packages);
    }
    fact.problems.extend(parsed.problems);
    (fact.total, fact.unknown) = counts(&fact.packages);
    fact
}

/// Every `Cargo.toml` of the repository that could be read and parsed, by path.
struct Manifests {
    by_path: BTreeMap<String, Manifest>,
    problems: Vec<Problem>,
}

impl Manifests {
    fn read(files: &[&RepoFile], read: ReadText<'_>) -> Manifests {
        let mut out = Manifests {
            by_path: BTreeMap::new(),
            problems: Vec::new(),
        };
        for f in files {
            match read(&f.path) {
                Ok(Some(file)) => match manifest::parse(&file.text) {
                    Ok(m) => {
                        out.by_path.insert(f.path.clone(), m);
                    }
                    Err(e) => out.problems.push(Problem::path(&f.path, e)),
                },
                Ok(None) => {}
                Err(e) => out.problems.push(Problem::path(&f.path, e.to_string())),
            }
        }
        out
    }
}

/// The reasons cargo may not run: every manifest the copy would hold is read here first, and
/// each key whose path leads out of the repository is refused (cargo would read there, or walk
/// there: `members = ["/usr/**"]`). A manifest that cannot be parsed here is refused too, since
/// its paths cannot be checked.
fn confine(files: &[RepoFile], parsed: &Manifests, read: ReadText<'_>) -> Vec<Problem> {
    let mut refused = Vec::new();
    for f in files.iter().filter(|f| is_named(&f.path, "Cargo.toml")) {
        if !copied(&f.path) {
            continue;
        }
        let m = match parsed.by_path.get(&f.path) {
            Some(m) => m.clone(),
            None => match read(&f.path) {
                Ok(Some(file)) => match manifest::parse(&file.text) {
                    Ok(m) => m,
                    Err(e) => {
                        refused.push(Problem::path(
                            &f.path,
                            format!(
                                "{e}: its paths cannot be checked, so cargo metadata was not run"
                            ),
                        ));
                        continue;
                    }
                },
                _ => continue,
            },
        };
        for (key, path, why) in manifest::outside(&f.path, &m) {
            refused.push(Problem::path(
                &f.path,
                format!(
                    "`{key} = \"{path}\"`: {why}; cargo metadata was not run, since it would read \
                     outside the repository"
                ),
            ));
        }
    }
    refused
}

/// Whether the copy for cargo holds this path (see [`Scratch::new`]).
fn copied(path: &str) -> bool {
    !path
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == ".." || c == ".cargo")
}

/// One `Cargo.lock` read without cargo.
struct Lockfile<'a> {
    /// The top-level `Cargo.toml` it belongs to.
    root: &'a str,
    file: Option<&'a SourceFile>,
    entries: &'a [lock::LockEntry],
    manifests: &'a Manifests,
    cargo_home: Option<&'a Path>,
}

impl Lockfile<'_> {
    /// The packages of the lockfile that are not the workspace's own members: registry crates
    /// with their licence from the registry cache, path dependencies with theirs from the
    /// repository, git dependencies unknown.
    fn packages(&self, problems: &mut Vec<Problem>) -> Vec<Package> {
        let Some(file) = self.file else {
            let has_deps = self
                .manifests
                .by_path
                .get(self.root)
                .is_some_and(|m| !m.deps.is_empty());
            if has_deps {
                problems.push(
                    Problem::path(
                        self.root,
                        "no Cargo.lock next to it: its dependencies cannot be listed without \
                         resolving them (commit Cargo.lock, or pass `--cargo-metadata` for a \
                         trusted repository)",
                    )
                    .lost_packages(),
                );
            }
            return Vec::new();
        };
        let members = self.members();
        let dev = self.dev_only(&file.text, &members, problems);
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if members.contains_key(&i) {
                continue;
            }
            let mut package = Package::new(e.name.clone(), Some(e.version.clone()));
            package.package_source = e.source.clone();
            package.location = Some(Location::new(file, e.span));
            package.dev = dev.as_ref().is_some_and(|d| d[i]);
            match e.source.as_deref() {
                Some(s) if s.starts_with("registry+") || s.starts_with("sparse+") => {
                    self.licence_in_registry(&mut package, problems)
                }
                Some(_) => {
                    package.unknown_reason = Some(
                        "a git dependency: its manifest is not read without cargo (pass \
                         `--cargo-metadata` for a trusted repository)"
                            .into(),
                    )
                }
                None => self.licence_in_repository(&mut package),
            }
            out.push(package);
        }
        out
    }

    fn licence_in_registry(&self, package: &mut Package, problems: &mut Vec<Problem>) {
        let Some(home) = self.cargo_home else {
            package.unknown_reason = Some(format!(
                "no cargo home to look in (`CARGO_HOME`, `HOME`); {FETCH_HINT}"
            ));
            return;
        };
        let version = package.version.clone().unwrap_or_default();
        match lock::registry_licence(home, &package.name, &version) {
            lock::Cached::Found(shown, licence) => {
                package.source = licence.is_some().then_some(shown);
                package.expression = licence;
            }
            lock::Cached::Missing => {
                package.unknown_reason = Some(format!(
                    "not in the local registry cache ({}/registry/src): {FETCH_HINT}",
                    home.display()
                ))
            }
            lock::Cached::Unreadable(why) => {
                problems.push(Problem::general(why.clone()));
                package.unknown_reason = Some(why);
            }
        }
    }

    /// A path dependency: the repository's `Cargo.toml` of that name. One outside the
    /// repository is never read.
    fn licence_in_repository(&self, package: &mut Package) {
        // Only a manifest that some path dependency inside the repository names: a path out of
        // the repository may share a package name with one inside.
        let named: HashSet<String> = self
            .manifests
            .by_path
            .iter()
            .flat_map(|(at, m)| {
                m.paths
                    .iter()
                    .filter(|(k, _)| k.ends_with(".path") && !k.contains('['))
                    .filter_map(move |(_, p)| crate::workspace::paths::join(dir_of(at), p).ok())
            })
            .map(|dir| super::join(&dir, "Cargo.toml"))
            .collect();
        let found = self.manifests.by_path.iter().find(|(at, m)| {
            named.contains(*at) && m.package.as_ref().is_some_and(|p| p.name == package.name)
        });
        let Some((path, m)) = found else {
            package.unknown_reason = Some(
                "a path dependency whose Cargo.toml is not in the repository (onboard reads \
                 nothing outside it)"
                    .into(),
            );
            return;
        };
        let licence = match m.package.as_ref().map(|p| &p.licence) {
            Some(Licence::Value(l)) => Some(l.clone()),
            Some(Licence::Inherited) => self
                .manifests
                .by_path
                .get(self.root)
                .and_then(|r| r.workspace.as_ref())
                .and_then(|w| w.licence.clone()),
            _ => None,
        };
        package.source = licence.is_some().then(|| path.clone());
        package.expression = licence;
    }

    /// The workspace's own packages, by entry index, with their manifests: the root package,
    /// and with a `[workspace]` every path package whose manifest lies under the root's folder
    /// (its members, and the path dependencies cargo makes members).
    fn members(&self) -> HashMap<usize, &Manifest> {
        let root = self.manifests.by_path.get(self.root);
        let dir = dir_of(self.root);
        let workspace = root.is_some_and(|m| m.workspace.is_some());
        let under = |p: &str| dir.is_empty() || p.starts_with(&format!("{dir}/"));
        let mut out = HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            if e.source.is_some() {
                continue;
            }
            let own = self.manifests.by_path.iter().find(|(path, m)| {
                m.package.as_ref().is_some_and(|p| p.name == e.name)
                    && (*path == self.root || (workspace && under(path)))
            });
            if let Some((_, m)) = own {
                out.insert(i, m);
            }
        }
        out
    }

    /// Per entry, whether it is reachable from the members only through dev-dependencies;
    /// `None` when that cannot be told (the lockfile is not TOML of the expected shape).
    fn dev_only(
        &self,
        text: &str,
        members: &HashMap<usize, &Manifest>,
        problems: &mut Vec<Problem>,
    ) -> Option<Vec<bool>> {
        let edges = match lock::dependencies(text, self.entries) {
            Ok(e) => e,
            Err(e) => {
                let path = self.file.map_or("Cargo.lock", |f| f.path.as_str());
                problems.push(Problem::path(
                    path,
                    format!("{e}; development-only dependencies cannot be told apart"),
                ));
                return None;
            }
        };
        let mut seen = vec![false; self.entries.len()];
        let mut stack: Vec<usize> = Vec::new();
        for (&i, m) in members {
            seen[i] = true;
            let normal: HashSet<&str> = m
                .deps
                .iter()
                .filter(|d| !d.dev)
                .map(|d| d.package.as_str())
                .collect();
            for &j in &edges[i] {
                if normal.contains(self.entries[j].name.as_str()) && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        while let Some(i) = stack.pop() {
            for &j in &edges[i] {
                if !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        Some(seen.into_iter().map(|s| !s).collect())
    }
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
        let copy = run::temp_dir("onboard-cargo-copy-")?;
        let cwd = run::temp_dir("onboard-cargo-cwd-")?;
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
            if !copied(&f.path) {
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

impl Drop for Scratch {
    fn drop(&mut self) {
        run::remove_temp(&[self.copy.path(), self.cwd.path()]);
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

#[cfg(test)]
mod tests;
