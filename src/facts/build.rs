//! What the starter template's build writes into the plugin's manifest.
//!
//! The template builds the bundle's `plugin.json` with its own tool, `build/manifest/main.go`,
//! compiled by `build/setup.mk` with the tags passed in (`-X main.BuildTagLatest=$(git describe
//! --tags --match 'v*' --abbrev=0)`, `-X main.BuildTagCurrent=$(git tag --points-at HEAD)`).
//! Since 2024 the tool fills two fields the Marketplace reads:
//!
//! - `version`, when the manifest has none: the first `v*` tag at the built commit without its
//!   `v`; else the nearest `v*` tag with `+<short commit>` appended; else `0.0.0+<short commit>`;
//! - `release_notes_url`, when the manifest has none and there is a `v*` tag:
//!   `url.JoinPath(homepage_url, "releases", "tag", <nearest tag>)`.
//!
//! Plugins carry variants of the tool (playbooks and calls set both fields always, whatever the
//! manifest says; autolink, todo, webex, welcomebot, agents, profanity-filter and playbooks join
//! `homepage_url + "releases/tag/" + tag`, which needs `homepage_url` to end in `/`). So the tool
//! is found by content, as the template fact finds files (a file identical to, moved from, or
//! mostly the template's `build/manifest/main.go`), and what it does is read from its own text.
//! The Marketplace takes the built manifest, so the rules judge the manifest the build will
//! produce, and say so.
//!
//! "Nearest" is git's `describe`: the tag reached in the fewest steps back from the linted
//! commit. It is found here by a breadth-first walk of the linted history, which agrees with
//! `git describe` on the histories of real plugins (a later tag of a lower version, such as
//! welcomebot's `v0.0.2` after `v1.3.0`, is the nearest one, and the build uses it).

use super::release::ReleaseFact;
use super::template::TemplateFact;
use super::ManifestFact;
use crate::template::Class;
use crate::workspace::Workspace;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// The template path of the manifest tool.
pub const TOOL_PATH: &str = "build/manifest/main.go";

/// When the tool writes a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    /// It does not touch it.
    Never,
    /// When the manifest leaves it empty.
    WhenEmpty,
    /// Always, replacing what the manifest says.
    Always,
}

/// How the tool makes `release_notes_url` from `homepage_url` and the tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Join {
    /// `url.JoinPath(homepage_url, "releases", "tag", tag)`: one `/` between the parts.
    JoinPath,
    /// `homepage_url + "releases/tag/" + tag`: right only when `homepage_url` ends in `/`.
    Concatenation,
}

/// The template's manifest tool, as found in the repository.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ManifestTool {
    pub path: String,
    /// `identical`, `moved` or `modified`: how it matched the template's tool.
    pub class: Class,
    /// The date of the template version it matched.
    pub template_date: String,
    pub version: Fill,
    pub release_notes_url: Fill,
    /// How it joins `release_notes_url`; null when it does not fill it.
    pub join: Option<Join>,
    /// The build file that passes the tags to the tool (`build/setup.mk`); null when none
    /// does, and then the tool sees no tag.
    pub tags_passed_by: Option<String>,
}

/// A manifest field as the build writes it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Built {
    /// The value in the built manifest; null when the build leaves it empty.
    pub value: Option<String>,
    /// How the build comes to it, for evidence and messages.
    pub from: String,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct BuildFact {
    /// The template's manifest tool, when the repository builds its manifest with it.
    pub tool: Option<ManifestTool>,
    /// The nearest `v*` tag of the linted commit (`git describe --tags --match 'v*'`).
    pub nearest_tag: Option<String>,
    /// `version` as the build writes it, when the tool fills it.
    pub version: Option<Built>,
    /// `release_notes_url` as the build writes it, when the tool fills it.
    pub release_notes_url: Option<Built>,
}

/// What a tool's text does, read with the whitespace taken out.
pub(crate) fn read_tool(text: &str) -> (Fill, Fill, Option<Join>) {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let assigns = |field: &str| {
        t.match_indices(&format!("manifest.{field}="))
            .any(|(i, m)| !t[i + m.len()..].starts_with('='))
            || t.contains(&format!("manifest.{field},err="))
    };
    let version = if t.contains("manifest.Version==\"\"") {
        Fill::WhenEmpty
    } else if assigns("Version") && t.contains("BuildTagCurrent") {
        Fill::Always
    } else {
        Fill::Never
    };
    let join =
        if t.contains("url.JoinPath(manifest.HomepageURL,\"releases\",\"tag\",BuildTagLatest)") {
            Some(Join::JoinPath)
        } else if t.contains("manifest.HomepageURL+\"releases/tag/\"+BuildTagLatest") {
            Some(Join::Concatenation)
        } else {
            None
        };
    let release_notes = match join {
        None => Fill::Never,
        Some(_) if t.contains("manifest.ReleaseNotesURL==\"\"") => Fill::WhenEmpty,
        Some(_) => Fill::Always,
    };
    (version, release_notes, join)
}

/// Go's `url.JoinPath(base, "releases", "tag", tag)`: the parts joined with single slashes
/// onto the base's path.
fn join_path(base: &str, tag: &str) -> String {
    let (head, query) = match base.find(['?', '#']) {
        Some(i) => base.split_at(i),
        None => (base, ""),
    };
    let head = head.trim_end_matches('/');
    if head.is_empty() {
        return format!("releases/tag/{tag}{query}");
    }
    format!("{head}/releases/tag/{tag}{query}")
}

/// The file among `Makefile`s and `*.mk` files that passes the tags to the tool.
fn tags_passed_by(ws: &Workspace) -> Option<String> {
    let files = ws.files().ok()?;
    files
        .iter()
        .filter(|f| {
            let name = f.path.rsplit('/').next().unwrap_or(&f.path);
            (name == "Makefile" || name.ends_with(".mk"))
                && !crate::facts::deps::is_third_party_dir(&f.path)
        })
        .find(|f| {
            ws.read_text(&f.path)
                .ok()
                .flatten()
                .is_some_and(|t| t.text.contains("main.BuildTagLatest="))
        })
        .map(|f| f.path.clone())
}

/// Whether the repository has a file that may be the tool (a `main.go`): the template fact,
/// which confirms it, is computed only then.
pub fn has_candidate(ws: &Workspace) -> bool {
    ws.files().is_ok_and(|files| {
        files
            .iter()
            .any(|f| f.path == "main.go" || f.path.ends_with("/main.go"))
    })
}

/// The tool: a file matched with the template's `build/manifest/main.go`, identical, moved, or
/// modified with at least half its lines the template's.
fn find_tool(template: &TemplateFact) -> Option<&super::template::ClassifiedFile> {
    template.files.iter().find(|f| {
        let Some(t) = &f.template else { return false };
        t.path == TOOL_PATH
            && match f.class {
                Class::Identical | Class::Moved => true,
                Class::Modified => f.review_lines * 2 <= f.lines,
                _ => false,
            }
    })
}

/// The nearest `v*` version tag, walking back from `tip` breadth first.
fn nearest_tag(ws: &Workspace, release: &ReleaseFact, tip: git2::Oid) -> Option<String> {
    let mut by_commit: HashMap<git2::Oid, Vec<&str>> = HashMap::new();
    for t in release
        .tags
        .iter()
        .filter(|t| t.reachable && t.name.starts_with('v'))
    {
        if let Some(oid) = t.oid {
            by_commit.entry(oid).or_default().push(&t.name);
        }
    }
    if by_commit.is_empty() {
        return None;
    }
    let history = ws.history()?.ok()?;
    let parents: HashMap<git2::Oid, &[git2::Oid]> = history
        .commits
        .iter()
        .map(|c| (c.id, c.parents.as_slice()))
        .collect();
    let mut seen = HashSet::from([tip]);
    let mut queue = VecDeque::from([tip]);
    while let Some(id) = queue.pop_front() {
        if let Some(names) = by_commit.get(&id) {
            // Several tags on one commit: the highest version (tags are sorted highest first).
            return release
                .tags
                .iter()
                .find(|t| names.contains(&t.name.as_str()))
                .map(|t| t.name.clone());
        }
        for p in parents.get(&id).copied().unwrap_or_default() {
            if seen.insert(*p) {
                queue.push_back(*p);
            }
        }
    }
    None
}

pub fn compute(
    ws: &Workspace,
    manifest: &ManifestFact,
    template: &TemplateFact,
    release: &ReleaseFact,
) -> BuildFact {
    let mut fact = BuildFact::default();
    let ManifestFact::Found(m) = manifest else {
        return fact;
    };
    let Some(file) = find_tool(template) else {
        return fact;
    };
    let Ok(Some(text)) = ws.read_text(&file.path) else {
        return fact;
    };
    let (version, release_notes_url, join) = read_tool(&text.text);
    let tool = ManifestTool {
        path: file.path.clone(),
        class: file.class,
        template_date: file
            .template
            .as_ref()
            .map(|t| t.date.clone())
            .unwrap_or_default(),
        version,
        release_notes_url,
        join,
        tags_passed_by: tags_passed_by(ws),
    };
    let tip = release
        .linted_commit
        .as_deref()
        .and_then(|c| git2::Oid::from_str(c).ok());
    let wired = tool.tags_passed_by.is_some();
    let nearest = match tip {
        Some(tip) if wired && release.usable().is_ok() => nearest_tag(ws, release, tip),
        _ => None,
    };
    let mut at_commit: Vec<&str> = release
        .at_revision
        .iter()
        .map(String::as_str)
        .filter(|n| n.starts_with('v'))
        .collect();
    at_commit.sort_unstable();
    let short = tip.map(crate::git::short).unwrap_or_default();
    let declared = |v: &Option<crate::source::Spanned<String>>| {
        v.as_ref()
            .map(|s| s.value.clone())
            .filter(|s| !s.is_empty())
    };

    let fills = |fill: Fill, written: &Option<String>| match fill {
        Fill::Never => false,
        Fill::WhenEmpty => written.is_none(),
        Fill::Always => true,
    };
    if fills(tool.version, &declared(&m.version)) {
        let (value, from) = match (at_commit.first().filter(|_| wired), &nearest) {
            (Some(tag), _) => (
                tag.trim_start_matches('v').to_string(),
                format!("the tag `{tag}` at the linted commit"),
            ),
            (None, Some(tag)) => (
                format!("{}+{short}", tag.trim_start_matches('v')),
                format!("the nearest tag `{tag}` and the commit"),
            ),
            (None, None) => (
                format!("0.0.0+{short}"),
                "no `v*` tag: 0.0.0 and the commit".to_string(),
            ),
        };
        fact.version = Some(Built {
            value: Some(value),
            from,
        });
    }
    if fills(tool.release_notes_url, &declared(&m.release_notes_url)) {
        let homepage = declared(&m.homepage_url);
        let built = match (&nearest, tool.release_notes_url) {
            // The template's tool leaves it empty without a tag.
            (None, Fill::WhenEmpty) => Built {
                value: None,
                from: if wired {
                    "no `v*` tag in the history to make it from".into()
                } else {
                    format!(
                        "no build file passes the tags to `{}` (`-X main.BuildTagLatest=…`)",
                        tool.path
                    )
                },
            },
            // Go's `url.JoinPath("", …)` makes `releases/tag/<tag>`, and the concatenation
            // the same: no URL at all.
            (_, _) if homepage.is_none() => Built {
                value: None,
                from: "`homepage_url` is empty, so it writes `releases/tag/<tag>`, not a URL"
                    .into(),
            },
            (tag, _) => {
                let tag = tag.clone().unwrap_or_default();
                let base = homepage.clone().unwrap_or_default();
                let value = match tool.join {
                    Some(Join::Concatenation) => format!("{base}releases/tag/{tag}"),
                    _ => join_path(&base, &tag),
                };
                Built {
                    value: Some(value),
                    from: if tag.is_empty() {
                        "`homepage_url` and no tag".into()
                    } else {
                        format!("`homepage_url` and the nearest tag `{tag}`")
                    },
                }
            }
        };
        fact.release_notes_url = Some(built);
    }
    fact.nearest_tag = nearest;
    fact.tool = Some(tool);
    fact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tools_of_real_plugins() {
        // The template's since 2024 (github, jira, zoom, servicenow, msteams-meetings).
        let template = "if manifest.Version == \"\" {\n\tvar version string\n\ttags := strings.Fields(BuildTagCurrent)\n}\nif manifest.ReleaseNotesURL == \"\" && BuildTagLatest != \"\" {\n\tmanifest.ReleaseNotesURL, err = url.JoinPath(manifest.HomepageURL, \"releases\", \"tag\", BuildTagLatest)\n}\n";
        assert_eq!(
            read_tool(template),
            (Fill::WhenEmpty, Fill::WhenEmpty, Some(Join::JoinPath))
        );
        // autolink, todo, webex, welcomebot: the same, joined by concatenation.
        let concat = "if manifest.Version == \"\" {\n}\nif manifest.ReleaseNotesURL == \"\" && BuildTagLatest != \"\" {\n\tmanifest.ReleaseNotesURL = manifest.HomepageURL + \"releases/tag/\" + BuildTagLatest\n}\n";
        assert_eq!(
            read_tool(concat),
            (Fill::WhenEmpty, Fill::WhenEmpty, Some(Join::Concatenation))
        );
        // calls: both always.
        let calls = "tags := strings.Fields(BuildTagCurrent)\nmanifest.Version = version\nmanifest.ReleaseNotesURL = manifest.HomepageURL + \"releases/tag/\" + BuildTagLatest\n";
        assert_eq!(
            read_tool(calls),
            (Fill::Always, Fill::Always, Some(Join::Concatenation))
        );
        // The template before 2024 (demo, giphy's copy): neither.
        let old = "func dumpPluginVersion(manifest *model.Manifest) {\n\tfmt.Printf(\"%s\", manifest.Version)\n}\n";
        assert_eq!(read_tool(old), (Fill::Never, Fill::Never, None));
    }

    #[test]
    fn join_path_as_go_does() {
        let tag = "v1.2.3";
        assert_eq!(
            join_path("https://github.com/o/p", tag),
            "https://github.com/o/p/releases/tag/v1.2.3"
        );
        assert_eq!(
            join_path("https://github.com/o/p/", tag),
            "https://github.com/o/p/releases/tag/v1.2.3"
        );
        assert_eq!(
            join_path("", tag),
            "releases/tag/v1.2.3",
            "not a URL at all"
        );
    }
}
