//! Where a plugin still carries the template's identity: its manifest values, its Go module
//! path, its README, icon and example files.

use super::classified::ClassifiedFile;
use crate::facts::manifest::ManifestFact;
use crate::source::{SourceFile, Span, Spanned};
use crate::template::compare::Lines;
use crate::template::index::TemplateIndex;
use crate::template::Class;
use crate::workspace::Workspace;
use schemars::JsonSchema;
use serde::Serialize;

/// One place where the template's identity is still there.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IdentityHit {
    pub path: String,
    /// `manifest.<key>`, `go-module`, `golangci-local-prefix`, `file` (a copy of a template
    /// identity file: README, icon, example) or `readme` (a README that still opens with the
    /// template's title).
    pub what: String,
    /// The template's value (for files, the template path).
    pub value: String,
    #[serde(skip)]
    #[schemars(skip)]
    pub file: SourceFile,
    #[serde(skip)]
    #[schemars(skip)]
    pub span: Span,
}

/// The span of a README's first non-blank line when that line is the template version's
/// (the template's title), else `None`.
fn template_title(index: &TemplateIndex, text: &str, blob: u32) -> Option<Span> {
    let lines = Lines::of(index, text.as_bytes());
    let template = lines.template_lines(index, blob);
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end();
        if !body.is_empty() {
            return template
                .get(i)
                .copied()
                .unwrap_or(false)
                .then(|| Span::new(offset, body.len()));
        }
        offset += line.len();
    }
    None
}

pub fn compute(
    ws: &Workspace,
    index: &TemplateIndex,
    manifest: &ManifestFact,
    files: &[ClassifiedFile],
) -> Vec<IdentityHit> {
    let mut hits = Vec::new();
    let id = &index.identity;
    if let ManifestFact::Found(m) = manifest {
        let fields: [(&str, &Option<Spanned<String>>); 5] = [
            ("id", &m.id),
            ("name", &m.name),
            ("description", &m.description),
            ("homepage_url", &m.homepage_url),
            ("support_url", &m.support_url),
        ];
        for (key, value) in fields {
            let Some(v) = value else { continue };
            if id.manifest.iter().any(|(k, t)| k == key && *t == v.value) {
                hits.push(IdentityHit {
                    path: m.path.clone(),
                    what: format!("manifest.{key}"),
                    value: v.value.clone(),
                    file: m.file.clone(),
                    span: v.span,
                });
            }
        }
    }
    if let Ok(Some(go_mod)) = ws.read_text("go.mod") {
        if let Some((module, span)) = crate::template::go_module(&go_mod.text) {
            if id.modules.iter().any(|m| m == module) {
                hits.push(IdentityHit {
                    path: go_mod.path.clone(),
                    what: "go-module".into(),
                    value: module.to_string(),
                    file: go_mod.clone(),
                    span,
                });
            }
        }
    }
    for name in [".golangci.yml", ".golangci.yaml"] {
        let Ok(Some(f)) = ws.read_text(name) else {
            continue;
        };
        for module in &id.modules {
            for (at, _) in f.text.match_indices(module.as_str()) {
                // Only the module itself, not a longer path that starts with it.
                let next = f.text[at + module.len()..].chars().next();
                if next.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_') {
                    continue;
                }
                hits.push(IdentityHit {
                    path: f.path.clone(),
                    what: "golangci-local-prefix".into(),
                    value: module.clone(),
                    file: f.clone(),
                    span: Span::new(at, module.len()),
                });
            }
        }
    }
    for f in files {
        let Some(t) = &f.template else { continue };
        if !id.files.contains(&t.path) {
            continue;
        }
        let file = match &f.source {
            Some(s) => s.clone(),
            None => match ws.read_text(&f.path) {
                Ok(Some(s)) => s,
                _ => SourceFile::new(f.path.clone(), ""),
            },
        };
        let (what, span) = match f.class {
            Class::Identical | Class::Moved | Class::Binary => (
                "file",
                Span::new(0, file.text.find('\n').unwrap_or(file.text.len())),
            ),
            Class::Modified if crate::workspace::names::is_readme_name(&t.path) => {
                match template_title(index, &file.text, t.blob_pos) {
                    Some(span) => ("readme", span),
                    None => continue,
                }
            }
            _ => continue,
        };
        hits.push(IdentityHit {
            path: f.path.clone(),
            what: what.into(),
            value: t.path.clone(),
            file,
            span,
        });
    }
    hits
}
