//! Licence facts: every licence file and what it holds, the licences declared in
//! `.onboarding.yml` and in package manifests, and the licence judged for the repository.

use super::onboarding::Onboarding;
use crate::licence::detect::{Detection, Detector};
use crate::licence::expr;
use crate::licence::statement::{self, Confidence};
use crate::source::{SourceFile, Span};
use crate::workspace::{paths, Entry, FileKind, ReadError, RepoFile, Workspace};
use schemars::JsonSchema;
use serde::Serialize;

/// Extensions that mark a file named `license…` as code (`license.go`), not a licence text.
const CODE_EXTENSIONS: [&str; 14] = [
    "go", "ts", "tsx", "js", "jsx", "mjs", "rs", "py", "java", "json", "yml", "yaml", "snap", "css",
];

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LicenceFact {
    /// The SPDX expression judged for the repository as a whole (root licence files outside
    /// any carve-out), or null when there is none or it is unknown.
    pub root: Option<String>,
    pub files: Vec<LicenceFile>,
    /// `licence:` in `.onboarding.yml`.
    pub declared: Option<Declared>,
    /// `license` fields of package manifests (`package.json`, `Cargo.toml`).
    pub manifests: Vec<Declared>,
    /// Licences named in sentences of the root README ("released under the MIT License"):
    /// statements, not licence texts.
    pub statements: Vec<Statement>,
    /// When the repository has no readable licence file at its root: the licence it states in
    /// package metadata or its README, with how sure that reading is. Never a detected licence:
    /// `root` stays null, and the rules treat this as a statement (see `docs/licences.md`).
    pub stated: Option<Stated>,
    /// The classifier's confidence threshold used.
    pub threshold: f32,
    /// Whether the text classifier was needed (the hash tier answered everything otherwise).
    pub classifier_loaded: bool,
    /// Each `licence_paths` carve-out of `.onboarding.yml` and what it covers.
    pub carve_outs: Vec<CarveOut>,
    /// The host and owner in the `origin` remote's URL (`github.com/mattermost` for
    /// https://github.com/mattermost/…):
    /// policies allow some carve-out licences to one owner only.
    pub owner: Option<String>,
}

/// A `licence_paths` entry: a glob put under other terms.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CarveOut {
    pub glob: String,
    /// The licence declared for it.
    pub licence: String,
    /// Root licence files the glob matches: the repository's own licence, which no carve-out
    /// can put under other terms.
    pub root_licence_files: Vec<String>,
    /// Protected globs (`licence.carve_out_protected`, else `production`) whose every file in
    /// the repository the glob matches: the plugin's main production code.
    pub covers: Vec<Covered>,
    #[serde(skip)]
    pub glob_span: Span,
    #[serde(skip)]
    pub licence_span: Span,
    #[serde(skip)]
    pub file: Option<SourceFile>,
}

/// A protected glob that a carve-out covers wholly.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Covered {
    pub glob: String,
    /// How many production files of the repository it matches (all covered by the carve-out).
    pub files: usize,
    /// The first of them, for the message.
    pub example: String,
}

impl LicenceFile {
    /// A root link to a licence file deeper down (`LICENSE.enterprise ->
    /// server/enterprise/LICENSE`) shows the terms of that directory, not of the repository.
    pub fn points_down(&self) -> bool {
        self.symlink
            .as_deref()
            .and_then(|t| resolve(&self.path, t))
            .is_some_and(|p| p.contains('/'))
    }

    /// One of the files that make the repository's own licence: at the root, readable, not a
    /// link down into a carved-out directory. A carve-out glob that matches it changes nothing:
    /// carve-outs launder nothing.
    pub fn is_root_licence(&self) -> bool {
        self.root && self.problem.is_none() && !self.points_down()
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LicenceFile {
    pub path: String,
    /// Where the link points, when the file is a symbolic link.
    pub symlink: Option<String>,
    /// A link that points at nothing (or outside the repository).
    pub dangling: bool,
    /// Why the text could not be read.
    pub problem: Option<String>,
    /// What the text holds (hash tier, then the classifier).
    #[serde(flatten)]
    pub detection: Detection,
    /// The `licence_paths` glob this file falls under (by its path or its link's target).
    pub carve_out: Option<String>,
    /// At the repository root (not in a subdirectory).
    pub root: bool,
    #[serde(skip)]
    pub source: Option<SourceFile>,
}

/// A licence declared in a file: its value (null when the field is absent) and where.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Declared {
    pub path: String,
    /// The field: `licence`, `license`, `licenses`, `package.license`.
    pub field: String,
    pub value: Option<String>,
    /// A `private: true` npm package (npm asks no licence of those).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    /// The value's span, or the whole file's first line when the field is absent.
    #[serde(skip)]
    pub span: Span,
}

impl Declared {
    pub fn parsed(&self) -> Option<Result<expr::Expr, expr::ExprError>> {
        self.value.as_deref().map(expr::parse)
    }
}

/// A licence named in a README sentence.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Statement {
    pub path: String,
    /// The line where the licence is named.
    pub line: usize,
    /// The sentence, without Markdown markup.
    pub quote: String,
    pub expression: String,
    pub confidence: Confidence,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    /// The sentence's span.
    #[serde(skip)]
    pub span: Span,
}

/// Where a repository without a licence file states its licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StatedIn {
    /// A `license` field of `package.json` or `Cargo.toml`.
    PackageMetadata,
    /// A sentence of the README.
    Readme,
}

/// The licence a repository without a licence file states.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Stated {
    pub expression: String,
    pub source: StatedIn,
    pub path: String,
    pub line: usize,
    /// The sentence or the manifest line, as written.
    pub quote: String,
    pub confidence: Confidence,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    #[serde(skip)]
    pub span: Span,
}

impl Stated {
    /// `declared in README.md:12 'released under the MIT License'`
    pub fn evidence(&self) -> String {
        format!("declared in {}:{} '{}'", self.path, self.line, self.quote)
    }
}

/// Whether a path names a licence file (`LICENSE`, `LICENCE.md`, `COPYING`, `LICENSE-MIT`,
/// `LICENSE.enterprise`), not code (`license.go`) or a dependency's file.
pub fn is_licence_path(path: &str) -> bool {
    !crate::facts::deps::is_third_party_dir(path) && is_licence_text_name(path)
}

/// Whether `path`'s file name is a licence file's (`LICENSE`, `COPYING.md`, …), not code.
fn is_licence_text_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if !crate::workspace::names::is_licence_name(name) {
        return false;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    !ext.is_some_and(|e| CODE_EXTENSIONS.contains(&e.as_str()))
}

pub fn compute(
    ws: &Workspace,
    list: &[RepoFile],
    config: Option<(&Onboarding, &SourceFile)>,
    readme: Option<&SourceFile>,
    detector: &Detector,
    settings: &crate::policy::settings::Settings,
) -> LicenceFact {
    let carve_outs: Vec<(String, globset::GlobMatcher)> = config
        .map(|(c, _)| {
            c.licence_paths
                .iter()
                .filter_map(|(g, _)| {
                    globset::Glob::new(&g.value)
                        .ok()
                        .map(|m| (g.value.clone(), m.compile_matcher()))
                })
                .collect()
        })
        .unwrap_or_default();
    let carve_out = |path: &str| most_specific(&carve_outs, path);
    let mut files = Vec::new();
    for f in list {
        // Third-party folders hold their dependencies' licences, which are not the plugin's;
        // one the plugin declares a carve-out for is part of the plugin, with that licence.
        let licence_file = is_licence_text_name(&f.path)
            && (!crate::facts::deps::is_third_party_dir(&f.path) || carve_out(&f.path).is_some());
        if f.kind == FileKind::Submodule || !licence_file {
            continue;
        }
        let symlink = match ws.entry(&f.path) {
            Some(Entry::Symlink(t)) => Some(t),
            _ => None,
        };
        let target_path = symlink.as_deref().and_then(|t| resolve(&f.path, t));
        let under = carve_out(&f.path).or_else(|| target_path.as_deref().and_then(&carve_out));
        let (detection, problem, dangling, source) = match ws.read(&f.path) {
            Ok(Some(bytes)) => {
                let d = detector.detect(&bytes, None);
                let text = String::from_utf8_lossy(&bytes).into_owned();
                (Some(d), None, false, Some(SourceFile::new(&f.path, text)))
            }
            Ok(None) => (
                None,
                Some(format!("`{}` cannot be found", f.path)),
                true,
                None,
            ),
            Err(e) => {
                let dangling = matches!(
                    e,
                    ReadError::Dangling { .. }
                        | ReadError::OutsideRoot { .. }
                        | ReadError::GitDir { via: Some(_), .. }
                );
                (None, Some(e.to_string()), dangling, None)
            }
        };
        let detection = detection
            .as_deref()
            .cloned()
            .unwrap_or_else(|| Detection::unknown("the file cannot be read", Vec::new()));
        files.push(LicenceFile {
            root: !f.path.contains('/'),
            path: f.path.clone(),
            symlink,
            dangling,
            problem,
            detection,
            carve_out: under,
            source,
        });
    }
    let declared = config.and_then(|(c, file)| {
        c.licence.as_ref().map(|l| Declared {
            path: file.path.clone(),
            field: "licence".into(),
            value: Some(l.value.clone()),
            private: false,
            file: Some(file.clone()),
            span: l.span,
        })
    });
    let mut manifests = Vec::new();
    let own =
        |f: &&RepoFile| is_shipped(&f.path) && !crate::facts::deps::is_third_party_dir(&f.path);
    for f in list.iter().filter(own) {
        let name = f.path.rsplit('/').next().unwrap_or(&f.path);
        let read: fn(SourceFile) -> Option<Declared> = match name {
            "package.json" => package_json,
            "Cargo.toml" => cargo_toml,
            _ => continue,
        };
        if let Ok(Some(file)) = ws.read_text(&f.path) {
            manifests.extend(read(file));
        }
    }
    let statements: Vec<Statement> = readme
        .map(|r| {
            statements_of(ws, &r.text)
                .into_iter()
                .map(|f| Statement {
                    path: r.path.clone(),
                    line: f.line,
                    quote: f.quote,
                    expression: f.expression,
                    confidence: f.confidence,
                    file: Some(r.clone()),
                    span: Span::new(f.start, f.end - f.start),
                })
                .collect()
        })
        .unwrap_or_default();
    let has_file = files.iter().any(|f| f.root && f.problem.is_none());
    let stated = (!has_file)
        .then(|| stated(&manifests, &statements))
        .flatten();
    let carve_outs = config
        .map(|(c, file)| carve_outs_of(c, file, list, &files, settings))
        .unwrap_or_default();
    let owner = ws
        .repo()
        .and_then(crate::git::Forge::of_origin)
        .map(|f| f.owner_path());
    LicenceFact {
        root: root_expression(&files, declared.as_ref()),
        carve_outs,
        owner,
        files,
        declared,
        manifests,
        statements,
        stated,
        threshold: detector.threshold(),
        classifier_loaded: detector.classifier_needed(),
    }
}

/// The licence a repository without a licence file states. A root manifest's SPDX `license`
/// is read first (high, medium when it had to be read leniently), then the README's surest
/// statement, then a manifest further down (medium: it describes that package).
fn stated(manifests: &[Declared], statements: &[Statement]) -> Option<Stated> {
    let mut found: Vec<(Confidence, u8, Stated)> = Vec::new();
    for m in manifests {
        let (Some(Ok(e)), Some(file)) = (m.parsed(), &m.file) else {
            continue;
        };
        let root = !m.path.contains('/');
        let lenient = !e.notes.is_empty();
        let confidence = match (root, lenient) {
            (true, false) => Confidence::High,
            _ => Confidence::Medium,
        };
        let line = file.line_col(m.span.offset).0;
        let quote = file
            .text
            .lines()
            .nth(line - 1)
            .unwrap_or("")
            .trim()
            .to_string();
        found.push((
            confidence,
            if root { 2 } else { 0 },
            Stated {
                expression: e.canonical,
                source: StatedIn::PackageMetadata,
                path: m.path.clone(),
                line,
                quote,
                confidence,
                file: Some(file.clone()),
                span: m.span,
            },
        ));
    }
    for st in statements {
        found.push((
            st.confidence,
            1,
            Stated {
                expression: st.expression.clone(),
                source: StatedIn::Readme,
                path: st.path.clone(),
                line: st.line,
                quote: st.quote.clone(),
                confidence: st.confidence,
                file: st.file.clone(),
                span: st.span,
            },
        ));
    }
    let mut best: Option<(Confidence, u8, Stated)> = None;
    for f in found {
        if best.as_ref().is_none_or(|b| (f.0, f.1) > (b.0, b.1)) {
            best = Some(f);
        }
    }
    best.map(|b| b.2)
}

/// Whether a manifest describes something that ships (not end-to-end tests, fixtures, examples,
/// build tools): outside [`crate::facts::files::TOOLING_DIRS`].
pub fn is_shipped(path: &str) -> bool {
    !crate::facts::files::is_tooling(path)
}

/// A link target made relative to the repository root, lexically; `None` when it leaves the
/// repository or is absolute (the link is then not followed).
pub fn resolve(link: &str, target: &str) -> Option<String> {
    paths::join(paths::parent(link), target).ok()
}

/// Each carve-out with the root licence files and the protected globs it covers.
/// The carve-out that covers `path`: of the globs that match, the most specific (the longest
/// literal folder before any wildcard, then the longest glob), whatever the order they were
/// declared in, so `server/ext/foo/**` wins over `server/ext/**` for the files under `foo/`.
fn most_specific(carve_outs: &[(String, globset::GlobMatcher)], path: &str) -> Option<String> {
    let literal = |g: &str| g.find(['*', '?', '[', '{']).unwrap_or(g.len());
    carve_outs
        .iter()
        .filter(|(_, m)| m.is_match(path))
        .max_by_key(|(g, _)| (literal(g), g.len()))
        .map(|(g, _)| g.clone())
}

fn carve_outs_of(
    config: &Onboarding,
    file: &SourceFile,
    list: &[RepoFile],
    files: &[LicenceFile],
    settings: &crate::policy::settings::Settings,
) -> Vec<CarveOut> {
    let protected = settings
        .licence
        .carve_out_protected
        .as_ref()
        .unwrap_or(&settings.production);
    let not_production = settings.production_paths_filter();
    let mut out = Vec::new();
    for (glob, value) in &config.licence_paths {
        let Ok(m) = globset::Glob::new(&glob.value).map(|g| g.compile_matcher()) else {
            continue; // an invalid glob is a configuration error
        };
        let root_licence_files = files
            .iter()
            .filter(|f| f.is_root_licence() && m.is_match(&f.path))
            .map(|f| f.path.clone())
            .collect();
        let mut covers = Vec::new();
        for p in protected {
            let Ok(pm) = globset::Glob::new(p).map(|g| g.compile_matcher()) else {
                continue;
            };
            let under: Vec<&str> = list
                .iter()
                .filter(|f| f.kind != FileKind::Submodule)
                .map(|f| f.path.as_str())
                .filter(|path| pm.is_match(path) && !not_production.is_match(path))
                .filter(|path| !is_licence_path(path))
                .collect();
            if !under.is_empty() && under.iter().all(|path| m.is_match(path)) {
                covers.push(Covered {
                    glob: p.clone(),
                    files: under.len(),
                    example: under[0].to_string(),
                });
            }
        }
        out.push(CarveOut {
            glob: glob.value.clone(),
            licence: value.value.clone(),
            root_licence_files,
            covers,
            glob_span: glob.span,
            licence_span: value.span,
            file: Some(file.clone()),
        });
    }
    out
}

/// The root licence: the detected licences of the root licence files (a carve-out that
/// matches one changes nothing; see [`LicenceFile::is_root_licence`]). When
/// `.onboarding.yml` declares an expression naming every one of them (`MIT OR Apache-2.0` for
/// `LICENSE-MIT` and `LICENSE-APACHE`), that expression; otherwise all of them, joined by `AND`.
fn root_expression(files: &[LicenceFile], declared: Option<&Declared>) -> Option<String> {
    let root: Vec<&LicenceFile> = files.iter().filter(|f| f.is_root_licence()).collect();
    if root.is_empty() || root.iter().any(|f| f.detection.expression.is_none()) {
        return None;
    }
    let mut ids: Vec<String> = Vec::new();
    for f in &root {
        let Some(e) = f
            .detection
            .expression
            .as_deref()
            .and_then(|e| expr::parse(e).ok())
        else {
            continue;
        };
        for id in e.ids() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if let Some(Ok(d)) = declared.and_then(|d| d.parsed()) {
        let named = d.ids();
        if !ids.is_empty() && ids.iter().all(|i| named.contains(i)) {
            return Some(d.canonical);
        }
    }
    match root.as_slice() {
        [one] => one.detection.expression.clone(),
        _ => (!ids.is_empty()).then(|| ids.join(" AND ")),
    }
}

/// The licence statements of a README, kept in the cache by the text's content: compiling
/// the statement patterns costs more than a warm run's other README work.
fn statements_of(ws: &Workspace, text: &str) -> Vec<statement::Found> {
    let Some(cache) = ws.cache() else {
        return statement::find(text);
    };
    let table = cache.table(
        "licence-statements",
        &crate::cache::key(&[b"licence statements 1"]),
    );
    let id = git2::Oid::hash_object(git2::ObjectType::Blob, text.as_bytes())
        .ok()
        .and_then(|id| <[u8; 20]>::try_from(id.as_bytes()).ok());
    // A kept answer must fit the text it is about; one that does not is computed again.
    let fits = |found: &Vec<statement::Found>| {
        found
            .iter()
            .all(|f| f.start <= f.end && text.get(f.start..f.end).is_some() && f.line >= 1)
    };
    let found = match id {
        Some(id) => table.kept(id, || Some(statement::find(text))),
        None => None,
    };
    cache.save(&table);
    found.filter(fits).unwrap_or_else(|| statement::find(text))
}

fn package_json(file: SourceFile) -> Option<Declared> {
    let tree = crate::yaml::parse(&file.text).ok()?;
    let private = tree
        .get("private")
        .is_some_and(|n| n.value == crate::yaml::Value::Bool(true));
    let first_line = Span::new(0, file.text.find('\n').unwrap_or(file.text.len()));
    let (field, value, span) = if let Some(n) = tree.get("license") {
        match n.as_str() {
            Some(s) => ("license", Some(s.to_string()), n.span),
            None => match n.get("type").and_then(|t| t.as_str()) {
                // The legacy object form, `{"type": "MIT", "url": …}`.
                Some(t) => ("license", Some(t.to_string()), n.span),
                None => ("license", Some(String::new()), n.span),
            },
        }
    } else if let Some(n) = tree.get("licenses") {
        ("licenses", Some(legacy_licenses(n)), n.span)
    } else {
        ("license", None, first_line)
    };
    Some(Declared {
        path: file.path.clone(),
        field: field.into(),
        value,
        private,
        file: Some(file),
        span,
    })
}

/// npm's legacy `licenses: [{type: MIT}, {type: Apache-2.0}]`, read as an `OR`.
fn legacy_licenses(n: &crate::yaml::Node) -> String {
    let json = n.to_json();
    let types: Vec<String> = json
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| {
                    v.get("type")
                        .and_then(|t| t.as_str())
                        .or(v.as_str())
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    types.join(" OR ")
}

fn cargo_toml(file: SourceFile) -> Option<Declared> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        package: Option<Package>,
    }
    #[derive(serde::Deserialize)]
    struct Package {
        license: Option<toml::Spanned<String>>,
    }
    let manifest: Manifest = toml::from_str(&file.text).ok()?;
    let package = manifest.package?;
    let (value, span) = match package.license {
        Some(l) => {
            let r = l.span();
            (Some(l.into_inner()), Span::new(r.start, r.end - r.start))
        }
        None => (None, Span::new(0, 0)),
    };
    Some(Declared {
        path: file.path.clone(),
        field: "package.license".into(),
        value,
        private: false,
        file: Some(file),
        span,
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_most_specific_carve_out_covers_a_file_whatever_the_order() {
        let globs = |list: &[&str]| -> Vec<(String, globset::GlobMatcher)> {
            list.iter()
                .map(|g| {
                    (
                        g.to_string(),
                        globset::Glob::new(g).unwrap().compile_matcher(),
                    )
                })
                .collect()
        };
        for order in [
            ["server/ext/**", "server/ext/foo/**"],
            ["server/ext/foo/**", "server/ext/**"],
        ] {
            let c = globs(&order);
            let at = |p: &str| super::most_specific(&c, p);
            assert_eq!(
                at("server/ext/foo/LICENSE").as_deref(),
                Some("server/ext/foo/**")
            );
            assert_eq!(
                at("server/ext/bar/LICENSE").as_deref(),
                Some("server/ext/**")
            );
            assert_eq!(at("webapp/LICENSE"), None);
        }
    }

    use super::*;

    #[test]
    fn licence_paths_are_licence_texts_not_code_or_dependencies() {
        for yes in [
            "LICENSE",
            "LICENSE.txt",
            "LICENCE.md",
            "COPYING",
            "LICENSE.enterprise",
            "server/enterprise/LICENSE",
            "LICENSE-MIT",
        ] {
            assert!(is_licence_path(yes), "{yes}");
        }
        for no in [
            "server/enterprise/license.go",
            "webapp/src/license.ts",
            "webapp/node_modules/react/LICENSE",
            "vendor/github.com/pkg/errors/LICENSE",
            "README.md",
        ] {
            assert!(!is_licence_path(no), "{no}");
        }
    }

    #[test]
    fn link_targets_resolve_from_the_link_directory() {
        assert_eq!(
            resolve("LICENSE.enterprise", "./server/enterprise/LICENSE").as_deref(),
            Some("server/enterprise/LICENSE")
        );
        assert_eq!(
            resolve("a/b/LICENSE", "../LICENSE").as_deref(),
            Some("a/LICENSE")
        );
        assert_eq!(resolve("LICENSE", "../../LICENSE"), None);
    }

    #[test]
    fn package_json_licence_forms() {
        let get = |text: &str| package_json(SourceFile::new("webapp/package.json", text)).unwrap();
        let d = get(r#"{"name": "x", "license": "Apache-2.0"}"#);
        assert_eq!(d.value.as_deref(), Some("Apache-2.0"));
        assert_eq!(
            &d.file.as_ref().unwrap().text[d.span.offset..d.span.end()],
            "\"Apache-2.0\""
        );
        assert_eq!(get(r#"{"license": ""}"#).value.as_deref(), Some(""));
        let absent = get(r#"{"private": true}"#);
        assert_eq!(absent.value, None);
        assert!(absent.private);
        assert_eq!(
            get(r#"{"licenses": [{"type": "MIT"}, {"type": "Apache-2.0"}]}"#)
                .value
                .as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            get(r#"{"license": {"type": "ISC"}}"#).value.as_deref(),
            Some("ISC")
        );
    }

    #[test]
    fn cargo_toml_licence_with_span() {
        let text = "[package]\nname = \"x\"\nlicense = \"MIT OR Apache-2.0\"\n";
        let d = cargo_toml(SourceFile::new("Cargo.toml", text)).unwrap();
        assert_eq!(d.value.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(&text[d.span.offset..d.span.end()], "\"MIT OR Apache-2.0\"");
    }
}
