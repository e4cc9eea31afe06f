//! Go modules: every `go.mod` of the repository, and a licence text for each required module.
//!
//! `go.mod` carries no licence data, so the text is looked for, in order:
//! 1. the vendored copy, when `vendor/modules.txt` next to `go.mod` lists the module:
//!    `vendor/<module path>/LICENSE` (or `LICENCE`, `COPYING`, any extension);
//! 2. a `replace` to a directory inside the repository: that directory's licence file;
//! 3. the Go module cache, read as files (`go` is never run): `<cache>/<escaped path>@<version>/`.
//!    Reading outside the repository is limited to this: licence files only, regular files only
//!    (no symbolic links), inside the cache directory, at most [`MAX_LICENCE_BYTES`] each.
//!
//! The text is named by a classifier the caller supplies; `source` is the file it came from.
//! Go has no development-only dependencies, so `dev` is always false.

pub mod modfile;

use super::{
    counts, dir_of, is_third_party_dir, join, Classifier, Location, Package, Problem, ReadText,
};
use crate::workspace::names::is_licence_name;
use crate::workspace::{FileKind, RepoFile};
use modfile::{escape, is_local, safe_module_path, safe_version, Replace};
use schemars::JsonSchema;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most bytes read from one licence file in the module cache.
pub const MAX_LICENCE_BYTES: u64 = 1024 * 1024;

/// One `go.mod` read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GoModFile {
    pub path: String,
    /// The `module` path.
    pub module: Option<String>,
    /// The `go` version.
    pub go: Option<String>,
    /// Number of `require`d modules.
    pub requires: usize,
    pub replaces: Vec<Replace>,
    /// Whether `vendor/modules.txt` sits next to it.
    pub vendored: bool,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct GoFact {
    pub total: usize,
    /// Modules whose licence is unknown (`expression` null).
    pub unknown: usize,
    pub modules: Vec<GoModFile>,
    /// The module cache directory looked in, when it exists.
    pub module_cache: Option<String>,
    pub packages: Vec<Package>,
    pub problems: Vec<Problem>,
}

/// Reads every `go.mod` among `files` and looks up each required module's licence.
pub fn collect(
    files: &[RepoFile],
    read: ReadText<'_>,
    cache: Option<&Path>,
    classify: Classifier<'_>,
) -> GoFact {
    let mut fact = GoFact::default();
    let cache = cache.filter(|c| c.is_dir());
    fact.module_cache = cache.map(|c| c.display().to_string());
    let lookup = Lookup {
        files,
        read,
        cache,
        classify,
    };
    let mods = files.iter().filter(|f| {
        (f.path == "go.mod" || f.path.ends_with("/go.mod")) && !is_third_party_dir(&f.path)
    });
    for f in mods {
        let file = match read(&f.path) {
            Ok(Some(file)) => file,
            Ok(None) => continue,
            Err(e) => {
                fact.problems
                    .push(Problem::path(&f.path, e.to_string()).lost_packages());
                continue;
            }
        };
        let m = modfile::parse(&file);
        let dir = dir_of(&f.path);
        let modules_txt = join(dir, "vendor/modules.txt");
        let vendored = match read(&modules_txt) {
            Ok(Some(t)) => Some(modfile::vendored_modules(&t.text)),
            Ok(None) => None,
            Err(e) => {
                fact.problems
                    .push(Problem::path(&modules_txt, e.to_string()));
                None
            }
        };
        for req in &m.requires {
            let (path, version) = (&req.path.value, &req.version.value);
            let mut package = Package::new(path.clone(), Some(version.clone()));
            package.indirect = Some(req.indirect);
            package.location = Some(Location::new(&file, req.path.span));
            let replace = m.replacement(path, version);
            package.replaced_by = replace.map(|r| match &r.new_version {
                Some(v) => format!("{} {v}", r.new),
                None => r.new.clone(),
            });
            let is_vendored = vendored.as_ref().is_some_and(|v| v.contains(path));
            let found =
                lookup.licence(dir, path, version, replace, is_vendored, &mut fact.problems);
            if let Some((source, expression)) = found {
                package.source = Some(source);
                package.expression = expression;
            }
            fact.packages.push(package);
        }
        fact.modules.push(GoModFile {
            path: f.path.clone(),
            module: m.module.map(|s| s.value),
            go: m.go,
            requires: m.requires.len(),
            replaces: m.replaces,
            vendored: vendored.is_some(),
        });
        fact.problems.extend(m.problems);
    }
    (fact.total, fact.unknown) = counts(&fact.packages);
    fact
}

struct Lookup<'a> {
    files: &'a [RepoFile],
    read: ReadText<'a>,
    cache: Option<&'a Path>,
    classify: Classifier<'a>,
}

impl Lookup<'_> {
    /// Where the module's licence text is, and what the classifier makes of it: `None` when no
    /// licence file was found at all.
    fn licence(
        &self,
        dir: &str,
        path: &str,
        version: &str,
        replace: Option<&Replace>,
        vendored: bool,
        problems: &mut Vec<Problem>,
    ) -> Option<(String, Option<String>)> {
        if vendored {
            if let Some(found) = self.in_repo(&join(dir, &format!("vendor/{path}")), problems) {
                return Some(found);
            }
        }
        let (module, version) = match replace {
            Some(r) if r.new_version.is_none() && is_local(&r.new) => {
                let local = normalise(dir, &r.new)?;
                return self.in_repo(&local, problems);
            }
            Some(Replace {
                new,
                new_version: Some(v),
                ..
            }) => (new.as_str(), v.as_str()),
            _ => (path, version),
        };
        self.in_cache(module, version, problems)
    }

    /// The first licence file directly in the repository directory `dir` that is readable.
    fn in_repo(&self, dir: &str, problems: &mut Vec<Problem>) -> Option<(String, Option<String>)> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut first = None;
        for f in self.files {
            let Some(name) = f.path.strip_prefix(&prefix) else {
                continue;
            };
            if name.contains('/') || f.kind == FileKind::Submodule || !is_licence_name(name) {
                continue;
            }
            match (self.read)(&f.path) {
                Ok(Some(file)) => match (self.classify)(&file.text) {
                    Some(expr) => return Some((f.path.clone(), Some(expr))),
                    None => first = first.or(Some((f.path.clone(), None))),
                },
                Ok(None) => {}
                Err(e) => problems.push(Problem::path(&f.path, e.to_string())),
            }
        }
        first
    }

    /// The module's licence file in the module cache.
    fn in_cache(
        &self,
        module: &str,
        version: &str,
        problems: &mut Vec<Problem>,
    ) -> Option<(String, Option<String>)> {
        let cache = self.cache?;
        if !safe_module_path(module) || !safe_version(version) {
            problems.push(Problem::general(format!(
                "`{module} {version}` is not a module path and version the module cache can hold; not looked up"
            )));
            return None;
        }
        let rel = format!("{}@{}", escape(module), escape(version));
        let dir = cache.join(&rel);
        let entries = cache_entries(cache, &dir)?;
        let mut first = None;
        for name in entries {
            let file = dir.join(&name);
            let shown = format!("module cache: {rel}/{name}");
            match read_capped(&file) {
                Ok(text) => match (self.classify)(&text) {
                    Some(expr) => return Some((shown, Some(expr))),
                    None => first = first.or(Some((shown, None))),
                },
                Err(e) => problems.push(Problem::general(format!("{shown}: {e}"))),
            }
        }
        first
    }
}

/// The licence file names, sorted, of a module directory in the cache; `None` when the
/// directory is missing or is not (after resolving links above it) inside the cache.
fn cache_entries(cache: &Path, dir: &Path) -> Option<Vec<String>> {
    let meta = std::fs::symlink_metadata(dir).ok()?;
    if !meta.is_dir() {
        return None;
    }
    let (real_cache, real_dir) = (cache.canonicalize().ok()?, dir.canonicalize().ok()?);
    if !real_dir.starts_with(&real_cache) {
        return None;
    }
    let mut names: Vec<String> = std::fs::read_dir(&real_dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_licence_name(n))
        .collect();
    names.sort();
    Some(names)
}

/// Reads a regular file (never through a symbolic link) of at most [`MAX_LICENCE_BYTES`].
fn read_capped(path: &PathBuf) -> Result<String, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_LICENCE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_LICENCE_BYTES {
        return Err(format!(
            "larger than the {MAX_LICENCE_BYTES}-byte read limit"
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8 text".into())
}

/// `dir` joined with a relative `path`, resolved lexically; `None` when it leaves the root.
fn normalise(dir: &str, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests;
