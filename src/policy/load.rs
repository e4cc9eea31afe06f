//! Reading one policy file: where it comes from, its `extends`, and its rule entries.

use crate::finding::Level;
use crate::source::{SourceFile, Span, Spanned};
use crate::workspace::Workspace;
use crate::yaml::{self, Errors, MapReader, Node, YamlError};
use std::path::{Path, PathBuf};

/// The policies shipped inside the binary, by name.
pub const BUILTIN: [(&str, &str); 5] = [
    ("base", include_str!("../../policies/base.yml")),
    (
        "ci-extensions",
        include_str!("../../policies/ci-extensions.yml"),
    ),
    (
        "ci-extensions-release",
        include_str!("../../policies/ci-extensions-release.yml"),
    ),
    ("community", include_str!("../../policies/community.yml")),
    (
        "marketplace",
        include_str!("../../policies/marketplace.yml"),
    ),
];

/// Where a policy file is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// Shipped in the binary.
    Builtin(String),
    /// A file given with `--policy`.
    Fs(PathBuf),
    /// A file of the linted repository (listed under `policies:` in `.onboarding.yml`).
    Repo(String),
}

impl PolicySource {
    /// The name shown in provenance and diagnostics.
    pub fn display(&self) -> String {
        match self {
            PolicySource::Builtin(name) => format!("onboard:policies/{name}.yml"),
            PolicySource::Fs(p) => p.display().to_string(),
            PolicySource::Repo(p) => p.clone(),
        }
    }

    /// Resolves an `extends:` value written in this file.
    pub fn resolve(&self, target: &str) -> PolicySource {
        if BUILTIN.iter().any(|(n, _)| *n == target) {
            return PolicySource::Builtin(target.to_string());
        }
        match self {
            PolicySource::Builtin(_) => PolicySource::Builtin(target.to_string()),
            PolicySource::Fs(p) => {
                PolicySource::Fs(p.parent().unwrap_or(Path::new(".")).join(target))
            }
            PolicySource::Repo(p) => {
                let dir = p.rsplit_once('/').map_or("", |(d, _)| d);
                PolicySource::Repo(normalise(&format!("{dir}/{target}")))
            }
        }
    }

    pub fn read(&self, ws: &Workspace) -> Result<SourceFile, String> {
        let name = self.display();
        match self {
            PolicySource::Builtin(n) => BUILTIN
                .iter()
                .find(|(b, _)| b == n)
                .map(|(_, text)| SourceFile::new(name, *text))
                .ok_or_else(|| {
                    format!(
                        "there is no shipped policy `{n}`; shipped: {}",
                        BUILTIN.map(|(b, _)| b).join(", ")
                    )
                }),
            PolicySource::Fs(p) => {
                let bytes = std::fs::read(p).map_err(|e| format!("cannot read `{name}`: {e}"))?;
                let text =
                    String::from_utf8(bytes).map_err(|_| format!("`{name}` is not valid UTF-8"))?;
                Ok(SourceFile::new(
                    name,
                    text.trim_start_matches('\u{feff}').to_string(),
                ))
            }
            PolicySource::Repo(p) => match ws.read_text(p) {
                Ok(Some(f)) => Ok(f),
                Ok(None) => Err(format!(
                    "the policy file `{p}` does not exist in the repository"
                )),
                Err(e) => Err(e.to_string()),
            },
        }
    }
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// One entry under `rules:`.
#[derive(Debug, Clone)]
pub struct RuleEntry {
    pub selector: Spanned<String>,
    pub level: Option<Spanned<Level>>,
    /// The `params` mapping, as written.
    pub params: Option<Node>,
}

/// A parsed policy file.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub source: PolicySource,
    pub file: SourceFile,
    pub extends: Vec<Spanned<String>>,
    pub rules: Vec<RuleEntry>,
    /// Settings keys as written (`template:`, `production:`, …), key and value.
    pub settings: Vec<(Node, Node)>,
}

/// Parses a policy file, collecting every problem. What could be read is returned even when
/// there are problems, so that later checks (rule names, parameters) report theirs too.
pub fn parse(source: PolicySource, file: SourceFile) -> (Option<PolicyFile>, Vec<YamlError>) {
    let root = match yaml::parse(&file.text) {
        Ok(root) => root,
        Err(e) => return (None, vec![e]),
    };
    let mut errs = Errors::default();
    let mut policy = PolicyFile {
        source,
        file,
        extends: Vec::new(),
        rules: Vec::new(),
        settings: Vec::new(),
    };
    if let Some(mut m) = MapReader::new("the policy", &root, &mut errs) {
        match m.get("version") {
            None => errs.push_help(
                "the policy has no `version`",
                Span::new(root.span.offset, 0),
                "add `version: 1`",
            ),
            Some(n) => {
                if let Some(v) = errs.uint("version", n) {
                    if v.value != 1 {
                        errs.push(format!("unsupported policy version {}", v.value), v.span);
                    }
                }
            }
        }
        m.str("description", &mut errs);
        if let Some(n) = m.get("extends") {
            policy.extends = match &n.value {
                yaml::Value::Seq(items) => items
                    .iter()
                    .filter_map(|i| errs.str("extends", i))
                    .collect(),
                _ => errs.str("extends", n).into_iter().collect(),
            };
        }
        if let Some(n) = m.get("rules") {
            if let Some(rules) = MapReader::new("rules", n, &mut errs) {
                for (k, v) in rules.entries() {
                    if let Some(entry) = read_entry(k, v, &mut errs) {
                        policy.rules.push(entry);
                    }
                }
            }
        }
        for key in super::settings::KEYS {
            if m.get(key).is_some() {
                let entry = m.entries().iter().find(|(k, _)| k.as_str() == Some(key));
                policy.settings.extend(entry.cloned());
            }
        }
        m.finish(&mut errs);
    }
    (Some(policy), errs.items)
}

fn read_level(node: &Node, errs: &mut Errors) -> Option<Spanned<Level>> {
    if node.as_str() == Some("off") || node.value == yaml::Value::Bool(false) {
        errs.push_help(
            "`off` is not a level",
            node.span,
            "write `allow` (YAML 1.1 readers turn an unquoted `off` into `false`)",
        );
        return None;
    }
    errs.word("level", node, Level::parse, &Level::NAMES)
}

fn read_entry(key: &Node, value: &Node, errs: &mut Errors) -> Option<RuleEntry> {
    let selector = errs.str("a rule selector", key)?;
    match &value.value {
        yaml::Value::Map(_) => {
            let mut m = MapReader::new("a rule entry", value, errs)?;
            let level = m.get("level").and_then(|n| read_level(n, errs));
            let params = m.get("params").cloned();
            if let Some(p) = &params {
                if !matches!(p.value, yaml::Value::Map(_)) {
                    errs.push(
                        format!("`params` must be a mapping, found {}", p.kind()),
                        p.span,
                    );
                }
            }
            m.finish(errs);
            Some(RuleEntry {
                selector,
                level,
                params,
            })
        }
        _ => Some(RuleEntry {
            selector,
            level: Some(read_level(value, errs)?),
            params: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_policies_parse() {
        for (name, text) in BUILTIN {
            let src = PolicySource::Builtin(name.into());
            let file = SourceFile::new(src.display(), text);
            let (policy, errs) = parse(src, file);
            assert!(policy.is_some() && errs.is_empty(), "{name}: {errs:?}");
        }
    }

    #[test]
    fn off_is_refused_with_a_hint() {
        let src = PolicySource::Repo("p.yml".into());
        let (_, errs) = parse(
            src,
            SourceFile::new(
                "p.yml",
                "version: 1
rules:
  missing-readme: off
",
            ),
        );
        assert!(errs[0].help.as_deref().unwrap().contains("write `allow`"));
    }

    #[test]
    fn extends_resolve_relative_to_the_file() {
        let src = PolicySource::Repo("policy/org.yml".into());
        assert_eq!(
            src.resolve("../shared/base.yml"),
            PolicySource::Repo("shared/base.yml".into())
        );
        assert_eq!(
            src.resolve("community"),
            PolicySource::Builtin("community".into())
        );
    }
}
