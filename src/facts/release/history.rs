//! What changed between releases: manifests at tags (from git objects), settings added, removed
//! or edited and the docs files changed in the same range, and versioned docs branches.

use super::ReleaseFact;
use crate::facts::{onboarding::Docs, ManifestFact};
use crate::git;
use crate::workspace::Workspace;
use crate::yaml::{self, Node, Value};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// The settings of the manifest over one range, and the docs files changed in it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SettingsChange {
    /// The release tag the range starts at.
    pub from: String,
    /// The release tag it ends at; `null` for the linted revision.
    pub to: Option<String>,
    /// Setting keys that appeared.
    pub added: Vec<String>,
    /// Setting keys that disappeared.
    pub removed: Vec<String>,
    /// Settings whose definition changed (type, default, help text, options…).
    pub modified: Vec<String>,
    /// README or `docs.setup` files changed in the range.
    pub docs_files: Vec<String>,
    /// Why the range could not be compared, when it could not.
    pub problem: Option<String>,
}

impl SettingsChange {
    /// Every setting key that changed, sorted.
    pub fn changed(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .added
            .iter()
            .chain(&self.removed)
            .chain(&self.modified)
            .map(String::as_str)
            .collect();
        all.sort_unstable();
        all
    }

    /// `v1.1.0..v1.2.0` or `v1.2.0..the linted revision`.
    pub fn range(&self) -> String {
        format!(
            "{}..{}",
            self.from,
            self.to.as_deref().unwrap_or("the linted revision")
        )
    }
}

/// Versioned docs branches: one per minor or major release line older than the current one.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocsBranches {
    /// `docs.branch_pattern`, when set.
    pub pattern: Option<String>,
    /// The current release line, `MAJOR.MINOR`.
    pub current: Option<String>,
    pub lines: Vec<DocsLine>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocsLine {
    /// `MAJOR.MINOR`.
    pub line: String,
    /// The highest release of the line.
    pub release: String,
    /// The branch name the pattern gives.
    pub branch: String,
    /// A local or remote-tracking branch of that name exists for the run (in a `--rev` run:
    /// its tip is in the linted history, or it had left that history by the linted commit).
    pub exists: bool,
}

/// The manifest at `commit` (the server's search order), parsed into a tree.
pub fn manifest_at(
    repo: &git2::Repository,
    prefix: &str,
    commit: git2::Oid,
    limit: u64,
) -> Option<(String, Node)> {
    let (name, blob) = manifest_blob_at(repo, prefix, commit)?;
    parse_manifest_blob(repo, blob, limit).map(|n| (name.to_string(), n))
}

/// Which manifest file `commit` has (the server's search order) and its blob.
pub fn manifest_blob_at(
    repo: &git2::Repository,
    prefix: &str,
    commit: git2::Oid,
) -> Option<(&'static str, git2::Oid)> {
    crate::facts::manifest::CANDIDATES.iter().find_map(|name| {
        let path = format!("{prefix}{name}");
        Some((*name, git::blob_at(repo, commit, &path).ok()??))
    })
}

/// A manifest blob parsed into a tree.
pub fn parse_manifest_blob(repo: &git2::Repository, blob: git2::Oid, limit: u64) -> Option<Node> {
    let bytes = git::read_blob(repo, blob, limit).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    yaml::parse(text).ok()
}

/// Every setting of a manifest tree (`settings_schema.settings` and each section's), by key,
/// as JSON for comparison.
pub fn settings_of(root: &Node) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    let Some(schema) = root.get("settings_schema") else {
        return out;
    };
    let mut lists: Vec<&Node> = schema.get("settings").into_iter().collect();
    if let Some(Value::Seq(sections)) = schema.get("sections").map(|n| &n.value) {
        lists.extend(sections.iter().filter_map(|s| s.get("settings")));
    }
    for list in lists {
        if let Value::Seq(items) = &list.value {
            for s in items {
                if let Some(key) = s.get("key").and_then(Node::as_str) {
                    out.entry(key.to_string()).or_insert_with(|| s.to_json());
                }
            }
        }
    }
    out
}

fn diff(
    from: &BTreeMap<String, serde_json::Value>,
    to: &BTreeMap<String, serde_json::Value>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let added = to
        .keys()
        .filter(|k| !from.contains_key(*k))
        .cloned()
        .collect();
    let removed = from
        .keys()
        .filter(|k| !to.contains_key(*k))
        .cloned()
        .collect();
    let modified = to
        .iter()
        .filter(|(k, v)| from.get(*k).is_some_and(|old| old != *v))
        .map(|(k, _)| k.clone())
        .collect();
    (added, removed, modified)
}

/// Whether a changed path is documentation the rule counts: a root README, or the `docs.setup`
/// file (or a file under it, when it names a directory).
fn is_docs_file(path: &str, docs: Option<&Docs>) -> bool {
    if !path.contains('/') && crate::workspace::names::is_readme_name(path) {
        return true;
    }
    let Some(setup) = docs
        .and_then(|d| d.setup.as_ref())
        .map(|s| s.value.as_str())
    else {
        return false;
    };
    if setup.contains("://") {
        return false;
    }
    let setup = setup.trim_start_matches("./").trim_end_matches('/');
    !setup.is_empty() && (path == setup || path.starts_with(&format!("{setup}/")))
}

/// The settings changes over the last release (the two highest releases in the linted
/// revision's history) and since it (the highest release to the linted tree).
pub fn settings_changes(
    ws: &Workspace,
    repo: &git2::Repository,
    fact: &ReleaseFact,
    manifest: &ManifestFact,
    docs: Option<&Docs>,
) -> Vec<SettingsChange> {
    if fact.usable().is_err() {
        return Vec::new();
    }
    let releases: Vec<(&str, git2::Oid)> = fact
        .releases()
        .filter(|t| t.reachable)
        .filter_map(|t| Some((t.name.as_str(), t.oid?)))
        .collect();
    let limit = super::MANIFEST_LIMIT;
    let table = match ws.cache() {
        Some(c) => c.table("manifest-settings", &crate::cache::key(&[b"settings of"])),
        None => crate::cache::Table::detached(),
    };
    let settings_at = |commit| {
        manifest_blob_at(repo, ws.prefix(), commit)
            .and_then(|(_, blob)| {
                kept_settings(&table, blob, || {
                    parse_manifest_blob(repo, blob, limit).map(|root| settings_of(&root))
                })
            })
            .unwrap_or_default()
    };
    let docs_of = |changed: Vec<String>| -> Vec<String> {
        changed
            .into_iter()
            .filter(|p| is_docs_file(p, docs))
            .collect()
    };
    let mut out = Vec::new();
    if let [(to_name, to), (from_name, from), ..] = releases[..] {
        let (added, removed, modified) = diff(&settings_at(from), &settings_at(to));
        let (docs_files, problem) = match ws.changed_files(from, to) {
            Ok(c) => (docs_of(c), None),
            Err(e) => (Vec::new(), Some(e)),
        };
        out.push(SettingsChange {
            from: from_name.to_string(),
            to: Some(to_name.to_string()),
            added,
            removed,
            modified,
            docs_files,
            problem,
        });
    }
    let linted = fact
        .linted_commit
        .as_deref()
        .and_then(|c| git2::Oid::from_str(c).ok());
    if let Some(&(last_name, last)) = releases.first() {
        let clean_at_tag = Some(last) == linted && ws.info().source == "revision";
        if !clean_at_tag {
            let now = match manifest {
                ManifestFact::Found(m) => {
                    let parse = || {
                        yaml::parse(&m.file.text)
                            .ok()
                            .map(|root| settings_of(&root))
                    };
                    match git2::Oid::hash_object(git2::ObjectType::Blob, m.file.text.as_bytes()) {
                        Ok(id) => kept_settings(&table, id, parse),
                        Err(_) => parse(),
                    }
                    .unwrap_or_default()
                }
                _ => BTreeMap::new(),
            };
            let (added, removed, modified) = diff(&settings_at(last), &now);
            // Only the docs files are compared with the working tree.
            let setup: Vec<String> = docs
                .and_then(|d| d.setup.as_ref())
                .map(|s| s.value.trim_start_matches("./").trim_end_matches('/'))
                .filter(|s| !s.is_empty() && !s.contains("://"))
                .map(|s| vec![s.to_string()])
                .unwrap_or_default();
            let keep = |p: &str| is_docs_file(p, docs);
            let among = Some((&keep as &dyn Fn(&str) -> bool, setup.as_slice()));
            let (docs_files, problem) = match ws.changed_since_among(&last.to_string(), among) {
                Ok(c) => (docs_of(c.files.into_iter().collect()), None),
                Err(e) => (Vec::new(), Some(e.to_string())),
            };
            out.push(SettingsChange {
                from: last_name.to_string(),
                to: None,
                added,
                removed,
                modified,
                docs_files,
                problem,
            });
        }
    }
    if let Some(c) = ws.cache() {
        c.save(&table);
    }
    out
}

/// The settings of a manifest blob, kept in `table` by blob id: a run compares the same two
/// or three manifests as the run before it. A kept entry that does not decode is computed again;
/// a blob that could not be read or parsed (an object not fetched yet, a size over the limit)
/// is not kept, so a later run tries again.
fn kept_settings(
    table: &crate::cache::Table,
    blob: git2::Oid,
    compute: impl FnOnce() -> Option<BTreeMap<String, serde_json::Value>>,
) -> Option<BTreeMap<String, serde_json::Value>> {
    match <[u8; 20]>::try_from(blob.as_bytes()) {
        Ok(id) => table.kept(id, compute),
        Err(_) => compute(),
    }
}

/// Expected docs branches for every release line older than the current one.
pub fn docs_branches(
    repo: &git2::Repository,
    run: &git::RunHistory,
    fact: &ReleaseFact,
    manifest: &ManifestFact,
    docs: Option<&Docs>,
) -> DocsBranches {
    let pattern = docs
        .and_then(|d| d.branch_pattern.as_ref())
        .map(|p| p.value.clone());
    let line_of = |v: &semver::Version| format!("{}.{}", v.major, v.minor);
    let current = fact
        .releases()
        .next()
        .map(|t| (t.semver.major, t.semver.minor));
    let mut out = DocsBranches {
        pattern: pattern.clone(),
        current: fact.releases().next().map(|t| line_of(&t.semver)),
        lines: Vec::new(),
    };
    let (Some(pattern), Some(current)) = (pattern, current) else {
        return out;
    };
    let id = match manifest {
        ManifestFact::Found(m) => m.id.as_ref().map(|i| i.value.clone()).unwrap_or_default(),
        _ => String::new(),
    };
    let mut seen = Vec::new();
    // Releases are highest first, so the first of each line is its highest release.
    for t in fact.releases() {
        let key = (t.semver.major, t.semver.minor);
        if key >= current || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let branch = pattern
            .replace("{id}", &id)
            .replace("{version}", &line_of(&t.semver))
            .replace("{major}", &t.semver.major.to_string())
            .replace("{minor}", &t.semver.minor.to_string());
        let exists = run.has_branch(repo, &branch);
        out.lines.push(DocsLine {
            line: line_of(&t.semver),
            release: t.name.clone(),
            branch,
            exists,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_compared_by_key_across_sections() {
        let before = yaml::parse(
            r#"{"settings_schema": {"settings": [{"key": "A", "type": "text"}, {"key": "B", "type": "bool"}]}}"#,
        )
        .unwrap();
        let after = yaml::parse(
            r#"{"settings_schema": {"settings": [{"key": "A", "type": "text"}],
                "sections": [{"key": "s", "settings": [{"key": "B", "type": "text"}, {"key": "C", "type": "bool"}]}]}}"#,
        )
        .unwrap();
        let (added, removed, modified) = diff(&settings_of(&before), &settings_of(&after));
        assert_eq!(added, vec!["C".to_string()]);
        assert!(removed.is_empty());
        assert_eq!(modified, vec!["B".to_string()]);
    }

    #[test]
    fn docs_files_are_the_readme_and_the_setup_path() {
        let setup = Docs {
            setup: Some(crate::source::Spanned::new(
                "docs/setup".into(),
                Default::default(),
            )),
            ..Docs::default()
        };
        assert!(is_docs_file("README.md", None));
        assert!(is_docs_file("readme.rst", None));
        assert!(!is_docs_file("webapp/README.md", None));
        assert!(is_docs_file("docs/setup/install.md", Some(&setup)));
        assert!(is_docs_file("docs/setup", Some(&setup)));
        assert!(!is_docs_file("docs/setup-old.md", Some(&setup)));
    }
}
