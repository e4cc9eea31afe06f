//! npm: every `package-lock.json` of the repository (none under `node_modules/`).
//!
//! - lockfileVersion 2 and 3: the `packages` map, keyed by install path (`node_modules/a`,
//!   `node_modules/a/node_modules/b`), with `license` when npm recorded one, and `dev` flags.
//!   Version 2 also carries the version 1 `dependencies` tree; `packages` is used.
//! - lockfileVersion 1: the nested `dependencies` tree, which has no licences.
//!
//! When the lockfile has no licence for a package, `<lockfile dir>/<install path>/package.json`
//! is read when the repository has it (`license`, or the legacy `licenses`). The root package
//! (`""`), workspace members (keys outside `node_modules/`) and `link` entries are the project's
//! own code, not dependencies, and are skipped. A package installed at several paths is listed
//! once per path: each has its own entry and span.
//!
//! `devOptional` packages are not dev-only: they are optional dependencies of the production
//! tree too, so they may ship.

use super::json::{self, Cursor, JsonError, Kind, Value};
use super::{
    counts, dir_of, is_third_party_dir, join, Location, Package, Problem, ReadText, Tooling,
};
use crate::source::{SourceFile, Span, Spanned};
use crate::workspace::RepoFile;
use schemars::JsonSchema;
use serde::Serialize;

pub const LOCKFILE: &str = "package-lock.json";

/// One lockfile read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Lockfile {
    pub path: String,
    /// `lockfileVersion` as found (null when absent or not a number).
    pub lockfile_version: Option<u64>,
    /// Packages taken from it.
    pub packages: usize,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct NpmFact {
    pub total: usize,
    /// Packages whose licence is unknown (`expression` null).
    pub unknown: usize,
    pub lockfiles: Vec<Lockfile>,
    pub packages: Vec<Package>,
    pub problems: Vec<Problem>,
    /// Lockfiles of tooling (`e2e/`, `loadtest/`, …), counted apart and not judged.
    pub tooling: Tooling,
}

/// Reads every lockfile among `files` (with `read_lockfile`, whose cap suits lockfiles).
/// A lockfile's parse is kept in `cache` by its content (see [`cached`]).
pub fn collect(
    files: &[RepoFile],
    read_lockfile: ReadText<'_>,
    read: ReadText<'_>,
    cache: Option<&crate::cache::Cache>,
) -> NpmFact {
    let mut fact = NpmFact::default();
    let lockfiles = files.iter().filter(|f| {
        (f.path == LOCKFILE || f.path.ends_with("/package-lock.json"))
            && !is_third_party_dir(&f.path)
    });
    for f in lockfiles {
        if crate::facts::files::is_tooling(&f.path) {
            match read_lockfile(&f.path) {
                Ok(Some(file)) => {
                    let parsed = cached::parse(&file, &|_| Ok(None), cache);
                    let error = parsed
                        .problems
                        .iter()
                        .find(|p| p.lost_packages)
                        .map(|p| p.message.clone());
                    fact.tooling.push(&f.path, parsed.packages.len(), error);
                }
                Ok(None) => {}
                Err(e) => fact.tooling.push(&f.path, 0, Some(e.to_string())),
            }
            continue;
        }
        match read_lockfile(&f.path) {
            Ok(Some(file)) => {
                let parsed = cached::parse(&file, read, cache);
                fact.lockfiles.push(Lockfile {
                    path: f.path.clone(),
                    lockfile_version: parsed.lockfile_version,
                    packages: parsed.packages.len(),
                });
                fact.packages.extend(parsed.packages);
                fact.problems.extend(parsed.problems);
            }
            Ok(None) => {}
            Err(e) => fact
                .problems
                .push(Problem::path(&f.path, e.to_string()).lost_packages()),
        }
    }
    (fact.total, fact.unknown) = counts(&fact.packages);
    fact
}

/// What one lockfile holds.
#[derive(Debug, Default)]
pub struct Parsed {
    pub lockfile_version: Option<u64>,
    pub packages: Vec<Package>,
    pub problems: Vec<Problem>,
}

/// Parses one lockfile; `read` is used for the `node_modules/*/package.json` fallback.
pub fn parse(file: &SourceFile, read: ReadText<'_>) -> Parsed {
    let (parsed, fallbacks) = parse_lockfile(file);
    with_fallbacks(file, parsed, &fallbacks, read)
}

/// A package of a lockfile parse that has no licence in the lockfile: its `package.json` under
/// `node_modules` is looked at after the parse.
#[derive(Debug, Clone, PartialEq)]
pub struct Fallback {
    /// The package's index in [`Parsed::packages`].
    pub package: usize,
    /// How many problems the parse had found when it met the package: the fallback's problems
    /// go there, so the order is the lockfile's.
    pub problems_at: usize,
    pub install_path: String,
}

/// Parses one lockfile from its text alone: the packages that need the `node_modules`
/// fallback are listed, not looked up, so the result is a function of the text (and can be
/// kept by content).
pub fn parse_lockfile(file: &SourceFile) -> (Parsed, Vec<Fallback>) {
    let mut fallbacks = Vec::new();
    let out = parse_text(file, &mut fallbacks);
    (out, fallbacks)
}

/// Completes a [`parse_lockfile`] with the fallback reads.
pub fn with_fallbacks(
    file: &SourceFile,
    mut parsed: Parsed,
    fallbacks: &[Fallback],
    read: ReadText<'_>,
) -> Parsed {
    if fallbacks.is_empty() {
        return parsed;
    }
    let dir = dir_of(&file.path);
    let lockfile_problems = std::mem::take(&mut parsed.problems);
    let mut taken = 0;
    for f in fallbacks {
        let at = f.problems_at.clamp(taken, lockfile_problems.len());
        parsed
            .problems
            .extend(lockfile_problems[taken..at].iter().cloned());
        taken = at;
        let Some(package) = parsed.packages.get_mut(f.package) else {
            continue;
        };
        fallback(dir, read, package, &f.install_path, &mut parsed.problems);
    }
    parsed
        .problems
        .extend(lockfile_problems[taken..].iter().cloned());
    parsed
}

fn parse_text(file: &SourceFile, fallbacks: &mut Vec<Fallback>) -> Parsed {
    let mut out = Parsed::default();
    if let Err(e) = json::check(&file.text) {
        out.problems
            .push(Problem::at(file, e.span, e.message).lost_packages());
        return out;
    }
    let text = &file.text;
    let mut packages_at = None;
    let mut dependencies_at = None;
    let mut cursor = Cursor::new(text);
    if !cursor.at_object() {
        out.problems.push(
            Problem::at(
                file,
                Span::new(0, text.len()),
                "a lockfile must be a JSON object",
            )
            .lost_packages(),
        );
        return out;
    }
    let top = cursor.object(|c, key| {
        match key.value.as_str() {
            "lockfileVersion" => {
                let v = c.value()?;
                match &v.kind {
                    Kind::Number(n) => out.lockfile_version = n.parse().ok(),
                    _ => out.problems.push(Problem::at(
                        file,
                        v.span,
                        format!(
                            "`lockfileVersion` must be a number, found {}",
                            v.kind_name()
                        ),
                    )),
                }
                return Ok(());
            }
            "packages" => packages_at = Some(c.skip()?),
            "dependencies" => dependencies_at = Some(c.skip()?),
            _ => {
                c.skip()?;
            }
        }
        Ok(())
    });
    if let Err(e) = top {
        out.problems
            .push(Problem::at(file, e.span, e.message).lost_packages());
        return out;
    }
    let mut reader = Reader {
        file,
        fallbacks,
        out: &mut out,
    };
    let walked = match (packages_at, dependencies_at) {
        (Some(span), _) => reader.packages(span),
        (None, Some(span)) => reader.dependencies(span.offset, ""),
        (None, None) => Ok(()),
    };
    if let Err(e) = walked {
        out.problems
            .push(Problem::at(file, e.span, e.message).lost_packages());
    }
    out
}

struct Reader<'a, 'o> {
    file: &'a SourceFile,
    fallbacks: &'o mut Vec<Fallback>,
    out: &'o mut Parsed,
}

/// The fields of a package entry that matter here.
#[derive(Default)]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    licence: Option<Value>,
    licences: Option<Value>,
    dev: bool,
    link: bool,
    /// Where the entry's `dependencies` value starts: lockfile v1 nests packages there.
    children: Option<usize>,
}

impl Reader<'_, '_> {
    fn problem(&mut self, span: Span, message: String) {
        self.out
            .problems
            .push(Problem::at(self.file, span, message));
    }

    /// Reads the fields of one package entry, skipping the rest.
    fn entry(&mut self, c: &mut Cursor<'_>) -> Result<Option<Entry>, JsonError> {
        if !c.at_object() {
            let v = c.skip()?;
            self.problem(v, "a package entry must be an object".into());
            return Ok(None);
        }
        let mut e = Entry::default();
        let mut problems = Vec::new();
        c.object(|c, key| {
            match key.value.as_str() {
                "name" | "version" => {
                    let v = c.value()?;
                    match v.as_str() {
                        Some(s) if key.value == "name" => e.name = Some(s.to_string()),
                        Some(s) => e.version = Some(s.to_string()),
                        None => problems.push((
                            v.span,
                            format!("`{}` must be a string, found {}", key.value, v.kind_name()),
                        )),
                    }
                }
                "license" => e.licence = Some(c.value()?),
                "licenses" => e.licences = Some(c.value()?),
                "dependencies" => e.children = Some(c.skip()?.offset),
                "dev" | "link" => {
                    let v = c.value()?;
                    match v.as_bool() {
                        Some(b) if key.value == "dev" => e.dev = b,
                        Some(b) => e.link = b,
                        None => problems.push((
                            v.span,
                            format!("`{}` must be a boolean, found {}", key.value, v.kind_name()),
                        )),
                    }
                }
                _ => {
                    c.skip()?;
                }
            }
            Ok(())
        })?;
        for (span, message) in problems {
            self.problem(span, message);
        }
        Ok(Some(e))
    }

    /// Lockfile v2/v3: the `packages` map.
    fn packages(&mut self, span: Span) -> Result<(), JsonError> {
        let file = self.file;
        let mut c = Cursor::at(&file.text, span.offset);
        if !c.at_object() {
            self.problem(span, "`packages` must be an object".into());
            return Ok(());
        }
        c.object(|c, key| {
            let Some(entry) = self.entry(c)? else {
                return Ok(());
            };
            let path = key.value.as_str();
            let Some(at) = path.rfind("node_modules/") else {
                return Ok(()); // the root package or a workspace member
            };
            if entry.link {
                return Ok(());
            }
            let name = entry
                .name
                .clone()
                .unwrap_or_else(|| path[at + "node_modules/".len()..].to_string());
            if name.is_empty() {
                self.problem(key.span, "a package entry has no name".into());
                return Ok(());
            }
            self.push(name, path, &key, entry);
            Ok(())
        })?;
        Ok(())
    }

    /// Lockfile v1: the `dependencies` tree, nested by install path.
    fn dependencies(&mut self, offset: usize, prefix: &str) -> Result<(), JsonError> {
        let file = self.file;
        let mut c = Cursor::at(&file.text, offset);
        if !c.at_object() {
            let span = c.skip()?;
            self.problem(span, "`dependencies` must be an object".into());
            return Ok(());
        }
        let mut nested = Vec::new();
        c.object(|c, key| {
            let path = format!("{prefix}node_modules/{}", key.value);
            if let Some(entry) = self.entry(c)? {
                if let Some(offset) = entry.children {
                    nested.push((offset, format!("{path}/")));
                }
                let name = entry.name.clone().unwrap_or_else(|| key.value.clone());
                self.push(name, &path, &key, entry);
            }
            Ok(())
        })?;
        for (offset, prefix) in nested {
            self.dependencies(offset, &prefix)?;
        }
        Ok(())
    }

    /// Records a package, with its licence from the entry or from `node_modules`.
    fn push(&mut self, name: String, install_path: &str, key: &Spanned<String>, entry: Entry) {
        let mut package = Package::new(name, entry.version);
        package.dev = entry.dev;
        package.install_path = Some(install_path.to_string());
        package.location = Some(Location::new(self.file, key.span));
        let found = licence_of(entry.licence.as_ref(), entry.licences.as_ref());
        match found {
            Found::Licence(expr, span) => {
                package.expression = Some(expr);
                package.source = Some(self.file.path.clone());
                package.location = Some(Location::new(self.file, span));
            }
            Found::WrongType(span, message) => {
                self.problem(span, message);
                package.location = Some(Location::new(self.file, span));
            }
            Found::Empty(span) => package.location = Some(Location::new(self.file, span)),
            Found::None => self.fallbacks.push(Fallback {
                package: self.out.packages.len(),
                problems_at: self.out.problems.len(),
                install_path: install_path.to_string(),
            }),
        }
        self.out.packages.push(package);
    }
}

/// `<lockfile dir>/<install path>/package.json`, when the repository has it.
fn fallback(
    dir: &str,
    read: ReadText<'_>,
    package: &mut Package,
    install_path: &str,
    problems: &mut Vec<Problem>,
) {
    let path = join(dir, &format!("{install_path}/package.json"));
    let file = match read(&path) {
        Ok(Some(file)) => file,
        Ok(None) => return,
        Err(e) => {
            problems.push(Problem::path(&path, e.to_string()));
            return;
        }
    };
    match manifest_licence(&file) {
        Ok(Found::Licence(expr, span)) => {
            package.expression = Some(expr);
            package.source = Some(path);
            package.location = Some(Location::new(&file, span));
        }
        Ok(Found::WrongType(span, message)) => {
            problems.push(Problem::at(&file, span, message));
            package.location = Some(Location::new(&file, span));
        }
        Ok(Found::Empty(span)) => package.location = Some(Location::new(&file, span)),
        Ok(Found::None) => {}
        Err(e) => problems.push(Problem::at(&file, e.span, e.message)),
    }
}

/// A licence looked for in `license` and then `licenses`.
#[derive(Debug, PartialEq)]
pub enum Found {
    /// The licence string as found (legacy forms joined), and the span of the value.
    Licence(String, Span),
    /// A value npm cannot have written, with a message saying why.
    WrongType(Span, String),
    /// An empty string or list: present, but no licence.
    Empty(Span),
    None,
}

/// The licence of a package entry or `package.json`: `license` (a string, or the legacy
/// `{"type": …}` object), else the legacy `licenses` list (joined with `OR`, as npm reads it).
pub fn licence_of(licence: Option<&Value>, licences: Option<&Value>) -> Found {
    for (field, value) in [("license", licence), ("licenses", licences)] {
        let Some(v) = value else { continue };
        if v.kind == Kind::Null {
            continue;
        }
        return match render(field, v) {
            Ok(Some(s)) => Found::Licence(s, v.span),
            Ok(None) => Found::Empty(v.span),
            Err((span, message)) => Found::WrongType(span, message),
        };
    }
    Found::None
}

/// A licence value as one string; `Ok(None)` for an empty one.
fn render(field: &str, v: &Value) -> Result<Option<String>, (Span, String)> {
    let wrong = |v: &Value| {
        Err((
            v.span,
            format!(
                "`{field}` must be a string, an object with a string `type`, or a list of those; \
                 found {}",
                v.kind_name()
            ),
        ))
    };
    match &v.kind {
        Kind::Str(s) => Ok((!s.trim().is_empty()).then(|| s.clone())),
        Kind::Object(_) => match v.get("type") {
            Some(t) => match t.as_str() {
                Some(s) if !s.trim().is_empty() => Ok(Some(s.to_string())),
                Some(_) => Ok(None),
                None => wrong(t),
            },
            None => wrong(v),
        },
        Kind::Array(items) => {
            let mut parts = Vec::new();
            for item in items {
                if matches!(item.kind, Kind::Array(_)) {
                    return wrong(item);
                }
                if let Some(s) = render(field, item)? {
                    parts.push(s);
                }
            }
            Ok(match parts.len() {
                0 => None,
                1 => parts.pop(),
                _ => Some(format!("({})", parts.join(" OR "))),
            })
        }
        _ => wrong(v),
    }
}

/// The licence declared in a `package.json`.
pub fn manifest_licence(file: &SourceFile) -> Result<Found, JsonError> {
    json::check(&file.text)?;
    let mut c = Cursor::new(&file.text);
    if !c.at_object() {
        return Err(JsonError {
            message: "`package.json` must be a JSON object".into(),
            span: Span::new(0, file.text.len()),
        });
    }
    let (mut licence, mut licences) = (None, None);
    c.object(|c, key| {
        match key.value.as_str() {
            "license" => licence = Some(c.value()?),
            "licenses" => licences = Some(c.value()?),
            _ => {
                c.skip()?;
            }
        }
        Ok(())
    })?;
    Ok(licence_of(licence.as_ref(), licences.as_ref()))
}

pub mod cached;
#[cfg(test)]
mod tests;
