//! Entry points for the property tests (`tests/props.rs`) and the fuzz targets (`fuzz/`).
//!
//! Each function runs one parser on text the way `onboard` reads a repository file, and returns
//! every span its output carries (diagnostics and the values findings underline), each with what
//! it labels. [`check_spans`] then says whether they all lie inside the text, on character
//! boundaries: a span that does not would make a diagnostic underline the wrong thing, or make
//! the renderer fail. Not a stable interface.

use crate::facts::deps::{self, cargo::lock, go::modfile, npm};
use crate::facts::{manifest, onboarding, release::version};
use crate::licence::expr;
use crate::source::{SourceFile, Span, Spanned};
use crate::yaml::{self, Node, Value};

/// A span some parser output carries, with what it labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub what: String,
    pub span: Span,
}

fn label(out: &mut Vec<Label>, what: impl Into<String>, span: Span) {
    out.push(Label {
        what: what.into(),
        span,
    });
}

fn spanned<T>(out: &mut Vec<Label>, what: &str, value: Option<&Spanned<T>>) {
    if let Some(v) = value {
        label(out, what, v.span);
    }
}

/// Decodes a file's bytes as the workspace does: a leading byte-order mark is dropped, and text
/// that is not UTF-8 is refused (`None`) before any parser sees it.
pub fn decode(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).ok()
}

/// Checks that every span lies inside `text` and starts and ends on character boundaries.
pub fn check_spans(text: &str, labels: &[Label]) -> Result<(), String> {
    for l in labels {
        let Span { offset, length } = l.span;
        let Some(end) = offset.checked_add(length) else {
            return Err(format!("{}: span {offset}+{length} overflows", l.what));
        };
        if end > text.len() {
            return Err(format!(
                "{}: span {offset}..{end} ends past the text ({} bytes)",
                l.what,
                text.len()
            ));
        }
        if !text.is_char_boundary(offset) || !text.is_char_boundary(end) {
            return Err(format!(
                "{}: span {offset}..{end} splits a character",
                l.what
            ));
        }
    }
    Ok(())
}

/// Panics with the text and the offending label when a span is outside `text`: for the fuzz
/// targets, where a panic is the finding.
pub fn assert_spans(text: &str, labels: &[Label]) {
    if let Err(e) = check_spans(text, labels) {
        panic!("{e}\ntext: {text:?}");
    }
}

/// The YAML span tree: every node's span, or the syntax error's.
pub fn yaml_tree(text: &str) -> Vec<Label> {
    let mut out = Vec::new();
    match yaml::parse(text) {
        Ok(root) => walk(&root, "node", &mut out),
        Err(e) => label(&mut out, format!("yaml error: {}", e.message), e.span),
    }
    out
}

fn walk(node: &Node, what: &str, out: &mut Vec<Label>) {
    label(out, what, node.span);
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| walk(n, "item", out)),
        Value::Map(entries) => {
            for (k, v) in entries {
                walk(k, "key", out);
                walk(v, "value", out);
            }
        }
        _ => {}
    }
}

/// `.onboarding.yml`: the errors, or every value read (with the declared licence parsed as an
/// SPDX expression, as the licence facts do).
pub fn onboarding(text: &str) -> Vec<Label> {
    let mut out = Vec::new();
    let file = SourceFile::new(onboarding::FILE_NAME, text);
    let o = match onboarding::parse(&file) {
        Ok(o) => o,
        Err(errs) => {
            for e in errs {
                label(&mut out, format!("error: {}", e.message), e.span);
            }
            return out;
        }
    };
    spanned(&mut out, "gate", o.gate.as_ref());
    spanned(&mut out, "owner", o.owner.as_ref());
    spanned(&mut out, "release_stage", o.release_stage.as_ref());
    spanned(&mut out, "licence", o.licence.as_ref());
    if let Some(l) = &o.licence {
        let _ = expr::parse(&l.value);
    }
    for (glob, licence) in &o.licence_paths {
        label(&mut out, "licence_paths glob", glob.span);
        label(&mut out, "licence_paths value", licence.span);
        let _ = expr::parse(&licence.value);
    }
    spanned(&mut out, "template", o.template.as_ref());
    spanned(
        &mut out,
        "ci.master_build_url",
        o.ci.master_build_url.as_ref(),
    );
    spanned(
        &mut out,
        "ci.release_build_url",
        o.ci.release_build_url.as_ref(),
    );
    let d = &o.docs;
    for (what, v) in [
        ("docs.readme", &d.readme),
        ("docs.summary_heading", &d.summary_heading),
        ("docs.setup", &d.setup),
        ("docs.security", &d.security),
        ("docs.branch_pattern", &d.branch_pattern),
        ("third_party.service", &o.third_party.service),
        ("third_party.test_account", &o.third_party.test_account),
    ] {
        spanned(&mut out, what, v.as_ref());
    }
    spanned(&mut out, "docs.versioned", d.versioned.as_ref());
    for r in &o.reviews {
        label(&mut out, "review kind", r.kind.span);
        label(&mut out, "review by", r.by.span);
        spanned(&mut out, "review focus", r.focus.as_ref());
        label(&mut out, "review commit", r.commit.span);
        label(&mut out, "review date", r.date.span);
    }
    for q in &o.qa {
        spanned(&mut out, "qa release", q.release.as_ref());
        spanned(&mut out, "qa commit", q.commit.as_ref());
        spanned(&mut out, "qa environment", q.environment.as_ref());
        label(&mut out, "qa by", q.by.span);
        label(&mut out, "qa date", q.date.span);
        spanned(&mut out, "qa notes", q.notes.as_ref());
    }
    if let Some(p) = &o.pm_ux {
        label(&mut out, "pm_ux by", p.by.span);
        label(&mut out, "pm_ux date", p.date.span);
        spanned(&mut out, "pm_ux commit", p.commit.as_ref());
        spanned(&mut out, "pm_ux communication", p.communication.as_ref());
    }
    for w in &o.waivers {
        label(&mut out, "waiver", w.span);
        label(&mut out, "waiver rule", w.rule.span);
        label(&mut out, "waiver reason", w.reason.span);
        spanned(&mut out, "waiver until", w.until.as_ref());
        for p in &w.paths {
            label(&mut out, "waiver path", p.span);
        }
    }
    for p in &o.policies {
        label(&mut out, "policies", p.span);
    }
    out
}

/// A policy file: syntax, shape, rule names and parameters ([`crate::policy::check_file`]).
pub fn policy(text: &str) -> Vec<Label> {
    crate::policy::check_file(SourceFile::new("policy.yml", text))
        .into_iter()
        .map(|e| Label {
            what: format!("error: {}", e.message),
            span: e.span,
        })
        .collect()
}

/// The plugin manifest, read from `path` (`plugin.json`, or `plugin.yml`/`plugin.yaml`).
pub fn manifest(path: &str, text: &str) -> Vec<Label> {
    let mut out = Vec::new();
    let m = match manifest::parse(SourceFile::new(path, text)) {
        manifest::ManifestFact::Found(m) => m,
        manifest::ManifestFact::SyntaxError { span, error, .. } => {
            label(&mut out, format!("syntax error: {error}"), span);
            return out;
        }
        manifest::ManifestFact::Missing | manifest::ManifestFact::Unreadable { .. } => {
            return out;
        }
    };
    label(&mut out, "manifest", m.span);
    for (what, v) in [
        ("id", &m.id),
        ("name", &m.name),
        ("description", &m.description),
        ("homepage_url", &m.homepage_url),
        ("support_url", &m.support_url),
        ("release_notes_url", &m.release_notes_url),
        ("icon_path", &m.icon_path),
        ("version", &m.version),
        ("min_server_version", &m.min_server_version),
    ] {
        spanned(&mut out, what, v.as_ref());
    }
    let settings = m
        .settings
        .iter()
        .chain(m.sections.iter().flat_map(|s| &s.settings));
    for s in settings {
        label(&mut out, "setting", s.span);
        label(&mut out, "setting options", s.options_span);
        for (what, v) in [
            ("setting key", &s.key),
            ("setting type", &s.kind),
            ("setting display_name", &s.display_name),
            ("setting help_text", &s.help_text),
            ("setting placeholder", &s.placeholder),
            ("setting regenerate_help_text", &s.regenerate_help_text),
        ] {
            spanned(&mut out, what, v.as_ref());
        }
        for o in s.options.iter().flatten() {
            label(&mut out, "option", o.span);
            spanned(&mut out, "option display_name", o.display_name.as_ref());
            spanned(&mut out, "option value", o.value.as_ref());
        }
    }
    for s in &m.sections {
        label(&mut out, "section", s.span);
        spanned(&mut out, "section key", s.key.as_ref());
    }
    for k in &m.unknown_keys {
        label(&mut out, format!("unknown key {}", k.value), k.span);
    }
    for p in &m.problems {
        label(&mut out, format!("problem: {}", p.message), p.span);
    }
    out
}

fn problems(out: &mut Vec<Label>, text: &str, problems: &[deps::Problem]) {
    for p in problems {
        if let (Some(span), Some(file)) = (p.span, &p.file) {
            // Every file these parsers are handed holds `text`; a span into another is a bug too.
            assert_eq!(&*file.text, text, "a problem points into another text");
            label(out, format!("problem: {}", p.message), span);
        }
    }
}

/// `package-lock.json` (v1 to v3). The `node_modules/*/package.json` fallback reads the same
/// text, so one input drives both readers; licences found are parsed as SPDX expressions.
pub fn npm_lockfile(text: &str) -> Vec<Label> {
    let mut out = Vec::new();
    let read = |path: &str| -> Result<Option<SourceFile>, crate::workspace::ReadError> {
        Ok(Some(SourceFile::new(path, text)))
    };
    let parsed = npm::parse(&SourceFile::new(npm::LOCKFILE, text), &read);
    problems(&mut out, text, &parsed.problems);
    for p in &parsed.packages {
        if let Some(l) = &p.location {
            assert_eq!(&*l.file.text, text, "a location points into another text");
            label(&mut out, format!("package {}", p.name), l.span);
        }
        if let Some(e) = &p.expression {
            let _ = expr::parse(e);
        }
    }
    out
}

/// `go.mod`, and the same text read as `vendor/modules.txt`.
pub fn go_mod(text: &str) -> Vec<Label> {
    let mut out = Vec::new();
    let m = modfile::parse(&SourceFile::new("go.mod", text));
    problems(&mut out, text, &m.problems);
    spanned(&mut out, "module", m.module.as_ref());
    for r in &m.requires {
        label(&mut out, "require path", r.path.span);
        label(&mut out, "require version", r.version.span);
        let _ = m.replacement(&r.path.value, &r.version.value);
        let _ = (
            modfile::escape(&r.path.value),
            modfile::safe_module_path(&r.path.value),
            modfile::safe_version(&r.version.value),
        );
    }
    for r in &m.replaces {
        let _ = modfile::is_local(&r.new);
    }
    let _ = modfile::vendored_modules(text);
    out
}

/// `Cargo.lock`, and the same text read as a published `Cargo.toml`.
pub fn cargo_lock(text: &str) -> Vec<Label> {
    let mut out = Vec::new();
    let (entries, found) = lock::parse(&SourceFile::new("Cargo.lock", text));
    problems(&mut out, text, &found);
    for e in &entries {
        label(&mut out, format!("package {}", e.name), e.span);
    }
    let _ = lock::package_licence(text);
    out
}

/// A tag name. Checks what must hold of the result: a version's own text reads back as the
/// same version, and every suggested name reads as that version without the note it fixes.
pub fn tag_name(name: &str) -> Result<version::TagName, String> {
    let parsed = version::parse(name);
    match &parsed {
        version::TagName::Version { version: v, notes } => {
            let again = format!("v{v}");
            match version::parse(&again) {
                version::TagName::Version { version: w, .. } if &w == v => {}
                other => return Err(format!("`{name}` is {v}, but `{again}` reads as {other:?}")),
            }
            for note in notes {
                let suggested = note.suggest(name, v);
                match version::parse(&suggested) {
                    version::TagName::Version {
                        version: w,
                        notes: left,
                    } if (w.major, w.minor, w.patch) == (v.major, v.minor, v.patch)
                        && !left.contains(note) => {}
                    other => {
                        return Err(format!(
                            "`{name}` ({note:?}): the suggested `{suggested}` reads as {other:?}"
                        ))
                    }
                }
            }
        }
        version::TagName::Submodule { path } => {
            let last = name
                .strip_prefix(path.as_str())
                .and_then(|r| r.strip_prefix('/'));
            match last.map(version::parse) {
                Some(version::TagName::Version { .. }) => {}
                other => {
                    return Err(format!(
                        "`{name}` is a sub-module tag of `{path}`, but its last part reads as \
                         {other:?}"
                    ))
                }
            }
        }
        version::TagName::Malformed | version::TagName::NotAVersion => {}
    }
    Ok(parsed)
}
