//! CI configuration: GitHub Actions workflows (`.github/workflows/*.yml|yaml`) and CircleCI
//! (`.circleci/config.yml`), read with the YAML 1.2 span tree (so `on` is the string key it
//! looks like). Decides whether CI builds the default branch on push and builds releases
//! (version tags or a `release` event), and which reusable plugin CI workflows or orbs are used
//! and how they are pinned.

mod circleci;
mod github;
pub mod pattern;

use crate::source::{SourceFile, Span};
use crate::workspace::Workspace;
use schemars::JsonSchema;
use serde::Serialize;

/// The tag a release trigger must accept: the template's release tags are `vMAJOR.MINOR.PATCH`.
pub const SAMPLE_RELEASE_TAG: &str = "v1.2.3";

/// The reusable workflows of `mattermost/actions-workflows` that build plugins.
pub const PLUGIN_WORKFLOWS: [&str; 3] = [
    "plugin-ci.yml",
    "community-plugin-ci.yml",
    "community-plugin-cd.yml",
];

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct CiFact {
    /// The branch names triggers are matched against: the default branch from git, else
    /// `master` and `main`.
    pub default_branch: Vec<String>,
    /// Every CI configuration file found.
    pub files: Vec<CiFile>,
    /// A push to the default branch runs a workflow or job that builds the plugin.
    pub builds_master: bool,
    /// A version tag push (`v1.2.3`) or a `release` event runs one.
    pub builds_releases: bool,
    /// What builds the default branch.
    pub master_builds: Vec<Trigger>,
    /// What builds releases.
    pub release_builds: Vec<Trigger>,
    /// Scheduled builds of the default branch (nightly).
    pub scheduled: Vec<Trigger>,
    /// Reusable plugin workflows (`uses: mattermost/actions-workflows/...`) and CircleCI orbs.
    pub reusable: Vec<Reusable>,
    /// Files that could not be read or parsed.
    pub problems: Vec<CiProblem>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CiFile {
    pub path: String,
    /// `github-actions` or `circleci`.
    pub system: &'static str,
    /// Runs something that builds the plugin: a reusable plugin workflow or orb, `make`,
    /// `go build`, `npm run build` (CircleCI jobs always count).
    pub builds: bool,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    /// The triggers (`on:`; CircleCI: `workflows:`), for findings about what they lack.
    #[serde(skip)]
    pub trigger_span: Option<Span>,
}

/// One trigger that builds: the file and a description, with the span of the filter or event.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Trigger {
    pub path: String,
    pub what: String,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Reusable {
    pub path: String,
    /// `workflow` (GitHub reusable workflow) or `orb` (CircleCI).
    pub kind: &'static str,
    /// As written: `mattermost/actions-workflows/.github/workflows/plugin-ci.yml@main`.
    pub uses: String,
    /// The workflow file (`plugin-ci.yml`) or orb (`mattermost/plugin-ci`).
    pub name: String,
    /// The part after `@`.
    pub reference: Option<String>,
    /// `commit` (a full 40-hex sha), `branch_or_tag`, or `none`.
    pub pinned: &'static str,
    /// One of the plugin workflows of `mattermost/actions-workflows`, or the
    /// `mattermost/plugin-ci` orb.
    pub plugin_ci: bool,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CiProblem {
    pub path: String,
    pub message: String,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    #[serde(skip)]
    pub span: Span,
}

impl CiFact {
    /// Whether there is any CI configuration at all.
    pub fn present(&self) -> bool {
        !self.files.is_empty()
    }
}

/// How a reference pins: a full sha is a commit; anything else may move.
pub fn pin_kind(reference: Option<&str>) -> &'static str {
    match reference {
        Some(r) if r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()) => "commit",
        Some(_) => "branch_or_tag",
        None => "none",
    }
}

fn is_workflow_path(path: &str) -> bool {
    path.strip_prefix(".github/workflows/").is_some_and(|name| {
        !name.contains('/') && (name.ends_with(".yml") || name.ends_with(".yaml"))
    })
}

/// Reads every CI file of the workspace. `default_branch` is the branch from git, if known.
pub fn compute(ws: &Workspace, default_branch: Option<&str>) -> CiFact {
    let mut fact = CiFact {
        default_branch: match default_branch {
            Some(b) => vec![b.to_string()],
            None => vec!["master".into(), "main".into()],
        },
        ..CiFact::default()
    };
    let paths: Vec<String> = match ws.files() {
        Ok(files) => files
            .iter()
            .map(|f| f.path.clone())
            .filter(|p| {
                is_workflow_path(p) || p == ".circleci/config.yml" || p == ".circleci/config.yaml"
            })
            .collect(),
        Err(e) => {
            fact.problems.push(CiProblem {
                path: String::new(),
                message: e,
                file: None,
                span: Span::default(),
            });
            return fact;
        }
    };
    for path in paths {
        let system = if path.starts_with(".circleci/") {
            "circleci"
        } else {
            "github-actions"
        };
        let file = match ws.read_text(&path) {
            Ok(Some(f)) => f,
            Ok(None) => continue,
            Err(e) => {
                fact.problems.push(CiProblem {
                    path: path.clone(),
                    message: e.to_string(),
                    file: None,
                    span: Span::default(),
                });
                continue;
            }
        };
        let root = match crate::yaml::parse(&file.text) {
            Ok(root) => root,
            Err(e) => {
                fact.problems.push(CiProblem {
                    path: path.clone(),
                    message: e.message,
                    span: e.span,
                    file: Some(file.clone()),
                });
                fact.files.push(CiFile {
                    path,
                    system,
                    builds: false,
                    file: Some(file),
                    trigger_span: None,
                });
                continue;
            }
        };
        let entry = match system {
            "circleci" => circleci::read(&file, &root, &mut fact),
            _ => github::read(&file, &root, &mut fact),
        };
        fact.files.push(entry);
    }
    fact.builds_master = !fact.master_builds.is_empty();
    fact.builds_releases = !fact.release_builds.is_empty();
    fact
}

#[cfg(test)]
mod tests;
