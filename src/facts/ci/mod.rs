//! CI configuration: GitHub Actions workflows (`.github/workflows/*.yml|yaml`), CircleCI
//! (`.circleci/config.yml`) and Travis CI (`.travis.yml`), read with the YAML 1.2 span tree (so
//! `on` is the string key it looks like). Decides whether CI builds the default branch on push
//! and builds releases (version tags or a `release` event), and which reusable plugin CI
//! workflows or orbs are used and how they are pinned.
//!
//! Other CI systems are recognised by their files ([`OTHER_SYSTEMS`]) but not read: they are
//! listed as not understood, so that the CI rules say they could not judge rather than that
//! there is no CI.

mod circleci;
pub mod elsewhere;
mod github;
pub mod pattern;
mod travis;

use crate::source::{SourceFile, Span};
use crate::workspace::Workspace;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// When nothing builds releases now: a workflow that built version tags was removed and
    /// version tags were still made after it, so releases are built outside the repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_build_removed: Option<elsewhere::RemovedReleaseBuild>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CiFile {
    pub path: String,
    /// `github-actions`, `circleci`, `travis-ci`, or one of [`OTHER_SYSTEMS`].
    pub system: &'static str,
    /// Runs something that builds the plugin: a reusable plugin workflow or orb, `make`,
    /// `go build`, `npm run build` (CircleCI and Travis CI jobs always count).
    pub builds: bool,
    /// Whether onboard read its triggers. A file of a system it does not read, or one whose
    /// triggers depend on what it does not evaluate, is not understood: it says nothing about
    /// what is built.
    pub understood: bool,
    /// Why not, when it is not understood.
    pub not_understood: Option<String>,
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
    /// Whether there is any CI configuration at all, understood or not.
    pub fn present(&self) -> bool {
        !self.files.is_empty()
    }

    /// The CI files onboard could not read the triggers of.
    pub fn not_understood(&self) -> impl Iterator<Item = &CiFile> {
        self.files.iter().filter(|f| !f.understood)
    }
}

/// CI systems recognised by their configuration files but not read: `(system, paths)`, where a
/// path ending in `/` names every file in that directory.
pub const OTHER_SYSTEMS: [(&str, &[&str]); 11] = [
    ("gitlab-ci", &[".gitlab-ci.yml", ".gitlab-ci.yaml"]),
    ("jenkins", &["Jenkinsfile"]),
    (
        "drone",
        &[".drone.yml", ".drone.yaml", ".drone.jsonnet", ".drone.star"],
    ),
    (
        "azure-pipelines",
        &[
            "azure-pipelines.yml",
            "azure-pipelines.yaml",
            ".azure-pipelines/",
        ],
    ),
    ("bitbucket-pipelines", &["bitbucket-pipelines.yml"]),
    ("buildkite", &[".buildkite/"]),
    ("appveyor", &["appveyor.yml", ".appveyor.yml"]),
    (
        "woodpecker",
        &[".woodpecker.yml", ".woodpecker.yaml", ".woodpecker/"],
    ),
    ("cirrus-ci", &[".cirrus.yml", ".cirrus.star"]),
    ("semaphore", &[".semaphore/"]),
    ("codefresh", &["codefresh.yml", ".codefresh/"]),
];

/// The system of a CI file onboard recognises but does not read.
fn other_system(path: &str) -> Option<&'static str> {
    OTHER_SYSTEMS.iter().find_map(|(system, paths)| {
        paths
            .iter()
            .any(|p| match p.strip_suffix('/') {
                Some(dir) => path
                    .strip_prefix(dir)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .is_some_and(|name| !name.contains('/')),
                None => path == *p,
            })
            .then_some(*system)
    })
}

/// A human name for a system, for messages.
pub fn system_name(system: &str) -> &str {
    match system {
        "github-actions" => "GitHub Actions",
        "circleci" => "CircleCI",
        "travis-ci" => "Travis CI",
        "gitlab-ci" => "GitLab CI",
        "jenkins" => "Jenkins",
        "drone" => "Drone",
        "azure-pipelines" => "Azure Pipelines",
        "bitbucket-pipelines" => "Bitbucket Pipelines",
        "buildkite" => "Buildkite",
        "appveyor" => "AppVeyor",
        "woodpecker" => "Woodpecker CI",
        "cirrus-ci" => "Cirrus CI",
        "semaphore" => "Semaphore",
        "codefresh" => "Codefresh",
        other => other,
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
/// The branch names triggers are matched against when git names no default branch.
const FALLBACK_BRANCHES: [&str; 2] = ["master", "main"];

pub fn compute(ws: &Workspace, default_branch: Option<&str>) -> CiFact {
    let mut fact = CiFact {
        default_branch: match default_branch {
            Some(b) => vec![b.to_string()],
            None => FALLBACK_BRANCHES.map(String::from).to_vec(),
        },
        ..CiFact::default()
    };
    // A folder of a larger repository: GitHub Actions runs the repository root's workflows,
    // not the folder's (see `Workspace::repository_workflows`).
    let mut outer: BTreeMap<String, _> = ws.repository_workflows().into_iter().collect();
    let in_folder = ws.prefix().is_empty() || ws.repo().is_none();
    let mut paths: Vec<String> = match ws.files() {
        Ok(files) => files
            .iter()
            .map(|f| f.path.clone())
            .filter(|p| {
                (in_folder && is_workflow_path(p))
                    || p == ".circleci/config.yml"
                    || p == ".circleci/config.yaml"
                    || p == ".travis.yml"
                    || other_system(p).is_some()
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
    paths.extend(outer.keys().cloned());
    for path in paths {
        if let Some(system) = other_system(&path) {
            fact.files.push(CiFile {
                path,
                system,
                builds: false,
                understood: false,
                not_understood: Some(format!(
                    "onboard does not read {} configuration",
                    system_name(system)
                )),
                file: None,
                trigger_span: None,
            });
            continue;
        }
        let system = if path.starts_with(".circleci/") {
            "circleci"
        } else if path == ".travis.yml" {
            "travis-ci"
        } else {
            "github-actions"
        };
        let read = match outer.remove(&path) {
            Some(read) => read.map(Some),
            None => ws.read_text(&path),
        };
        let file = match read {
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
                    // A file that does not parse never runs: it builds nothing, for sure.
                    understood: true,
                    not_understood: None,
                    file: Some(file),
                    trigger_span: None,
                });
                continue;
            }
        };
        let entry = match system {
            "circleci" => circleci::read(&file, &root, &mut fact),
            "travis-ci" => travis::read(&file, &root, &mut fact),
            _ => github::read(&file, &root, &mut fact),
        };
        fact.files.push(entry);
    }
    fact.builds_master = !fact.master_builds.is_empty();
    fact.builds_releases = !fact.release_builds.is_empty();
    if !fact.builds_releases {
        fact.release_build_removed = elsewhere::compute(ws);
    }
    fact
}

#[cfg(test)]
mod tests;
