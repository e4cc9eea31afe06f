//! Facts: what is known about the repository, each computed at most once, and only when a rule
//! (or `onboard facts`) asks. Facts judge nothing.

pub mod build;
pub mod ci;
pub mod deps;
pub mod docs;
pub mod files;
pub mod licence;
pub mod manifest;
pub mod onboarding;
pub mod records;
pub mod release;
pub mod template;

use crate::policy::settings::Settings;
use crate::source::SourceFile;
use crate::workspace::{ReadError, RepositoryInfo, Workspace};
use crate::yaml::YamlError;
use schemars::JsonSchema;
use serde::Serialize;
use std::cell::OnceCell;
use std::rc::Rc;

/// Reads `.onboarding.yml` at the root of `ws`.
pub fn read_onboarding(ws: &Workspace) -> OnboardingFact {
    let read = ws.reading_for("the onboarding configuration", || {
        ws.read_text(onboarding::FILE_NAME)
    });
    match read {
        Ok(None) => OnboardingFact::Missing,
        Err(e) => OnboardingFact::Unreadable(e),
        Ok(Some(file)) => match onboarding::parse(&file) {
            Ok(config) => OnboardingFact::Parsed {
                file,
                config: Box::new(config),
            },
            Err(errors) => OnboardingFact::Invalid { file, errors },
        },
    }
}

pub use manifest::ManifestFact;

/// `.onboarding.yml` as found.
#[derive(Debug)]
pub enum OnboardingFact {
    Missing,
    Unreadable(ReadError),
    Invalid {
        file: SourceFile,
        errors: Vec<YamlError>,
    },
    Parsed {
        file: SourceFile,
        config: Box<onboarding::Onboarding>,
    },
}

impl OnboardingFact {
    pub fn config(&self) -> Option<&onboarding::Onboarding> {
        match self {
            OnboardingFact::Parsed { config, .. } => Some(config),
            _ => None,
        }
    }

    /// The configuration with the file it was read from, when it parsed.
    pub fn parsed(&self) -> Option<(&onboarding::Onboarding, &SourceFile)> {
        match self {
            OnboardingFact::Parsed { file, config } => Some((config.as_ref(), file)),
            _ => None,
        }
    }

    pub fn file(&self) -> Option<&SourceFile> {
        match self {
            OnboardingFact::Parsed { file, .. } | OnboardingFact::Invalid { file, .. } => {
                Some(file)
            }
            _ => None,
        }
    }
}

pub struct Facts {
    ws: Rc<Workspace>,
    settings: Settings,
    onboarding: Rc<OnboardingFact>,
    manifest: OnceCell<ManifestFact>,
    files: OnceCell<files::FilesFact>,
    licence: OnceCell<licence::LicenceFact>,
    /// The first readable root README, else why the first one could not be read.
    readme: OnceCell<(Option<SourceFile>, Option<String>)>,
    detector: OnceCell<crate::licence::Detector>,
    dependencies: OnceCell<crate::facts::deps::DependenciesFact>,
    template: OnceCell<template::TemplateFact>,
    records: OnceCell<records::RecordsFact>,
    docs: OnceCell<docs::DocsFact>,
    release: OnceCell<release::ReleaseFact>,
    ci: OnceCell<ci::CiFact>,
    build: OnceCell<build::BuildFact>,
}

impl Facts {
    /// The facts of an opened repository under the policy's settings. `onboarding` is the
    /// configuration read before the policy was built (see [`read_onboarding`]), so that the
    /// facts and the policy read the same file once.
    pub fn new(ws: Rc<Workspace>, onboarding: Rc<OnboardingFact>, settings: Settings) -> Self {
        Facts {
            ws,
            settings,
            onboarding,
            manifest: OnceCell::new(),
            files: OnceCell::new(),
            licence: OnceCell::new(),
            readme: OnceCell::new(),
            detector: OnceCell::new(),
            dependencies: OnceCell::new(),
            template: OnceCell::new(),
            records: OnceCell::new(),
            docs: OnceCell::new(),
            release: OnceCell::new(),
            ci: OnceCell::new(),
            build: OnceCell::new(),
        }
    }

    /// The text of the first readable root README, if any.
    pub fn readme(&self) -> Option<&SourceFile> {
        self.readme_read().0.as_ref()
    }

    /// Why no root README could be read when there is one (a link out of the repository, a
    /// file over the read limit, not UTF-8): the first README's problem.
    pub fn readme_problem(&self) -> Option<&str> {
        self.readme_read().1.as_deref()
    }

    fn readme_read(&self) -> &(Option<SourceFile>, Option<String>) {
        self.readme.get_or_init(|| {
            let readmes = &self.files().readmes;
            self.ws.reading_for("the README checks", || {
                let mut problem = None;
                for r in readmes {
                    match self.ws.read_text(r) {
                        Ok(Some(file)) => return (Some(file), None),
                        Ok(None) => {}
                        Err(e) => {
                            problem = problem.or_else(|| Some(e.to_string()));
                        }
                    }
                }
                (None, problem)
            })
        })
    }

    /// The settings the facts were built with (the policy's top-level keys).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Every file classified against the starter template, review lines, origin, identity.
    pub fn template(&self) -> &template::TemplateFact {
        self.template.get_or_init(|| {
            let params = &self.settings.template;
            let named = self.onboarding().parsed().and_then(|(c, file)| {
                c.template
                    .as_ref()
                    .map(|t| (t.value.clone(), file.clone(), t.span))
            });
            let manifest = self.manifest();
            self.ws
                .reading_for("the review size (template classification)", || {
                    template::compute(&self.ws, params, named, manifest)
                })
        })
    }

    /// The licence detector, shared by every fact that classifies licence texts.
    pub fn detector(&self) -> &crate::licence::Detector {
        self.detector.get_or_init(|| {
            crate::licence::Detector::new(self.settings.licence.threshold)
                .with_cache(self.ws.cache().cloned())
        })
    }

    pub fn licence(&self) -> &licence::LicenceFact {
        self.licence.get_or_init(|| {
            let config = self.onboarding().parsed();
            let files = &self.files().list;
            let readme = self.readme();
            self.ws.reading_for("licence detection", || {
                licence::compute(
                    &self.ws,
                    files,
                    config,
                    readme,
                    self.detector(),
                    &self.settings,
                )
            })
        })
    }

    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    pub fn repository(&self) -> &RepositoryInfo {
        self.ws.info()
    }

    pub fn onboarding(&self) -> &OnboardingFact {
        &self.onboarding
    }

    pub fn manifest(&self) -> &ManifestFact {
        self.manifest.get_or_init(|| {
            for name in manifest::CANDIDATES {
                let read = self
                    .ws
                    .reading_for("the manifest checks", || self.ws.read_text(name));
                match read {
                    Ok(None) => continue,
                    Ok(Some(file)) => return manifest::parse(file),
                    Err(e) => {
                        return ManifestFact::Unreadable {
                            path: name.to_string(),
                            error: e.to_string(),
                        }
                    }
                }
            }
            ManifestFact::Missing
        })
    }

    pub fn files(&self) -> &files::FilesFact {
        self.files.get_or_init(|| {
            self.ws.reading_for("the licence file checks", || {
                files::FilesFact::compute(&self.ws)
            })
        })
    }

    /// Dependencies and their licences: npm lockfiles, Go modules, Cargo (see [`crate::facts::deps`]).
    /// Go licence texts are named by the licence detector, once per distinct text.
    pub fn dependencies(&self) -> &crate::facts::deps::DependenciesFact {
        self.dependencies.get_or_init(|| {
            self.ws.reading_for("the dependency licence checks", || {
                crate::facts::deps::compute(
                    &self.ws,
                    &crate::facts::deps::Env::from_process(),
                    self.settings.dependencies.cargo_metadata,
                    &|text: &str| self.detector().detect_text(text).expression.clone(),
                )
            })
        })
    }

    /// Reviews, QA passes and the PM/UX review, from `.onboarding.yml` and commit trailers,
    /// each checked against the linted revision's history.
    pub fn records(&self) -> &records::RecordsFact {
        self.records.get_or_init(|| {
            let config = self.onboarding().parsed();
            let plugin = match self.manifest() {
                ManifestFact::Found(m) => m.id.as_ref().map(|id| id.value.as_str()),
                _ => None,
            };
            let settings = &self.settings;
            self.ws.reading_for("the records checks (QA notes)", || {
                records::compute(
                    self.ws.repo(),
                    self.repository().commit.as_deref(),
                    config,
                    self.ws.run_history(),
                    records::Inputs {
                        plugin,
                        prefix: self.ws.prefix(),
                        settings,
                        today: crate::source::Date::today(),
                        read: &|path: &str| {
                            let path = path.trim_start_matches("./");
                            self.ws
                                .read_text(path)
                                .ok()
                                .flatten()
                                .map(|f| f.text.to_string())
                        },
                        no_git: self.ws.info().git_unavailable.as_deref(),
                    },
                )
            })
        })
    }

    /// Documentation: README structure, summary, use cases, setup docs, settings help text,
    /// the Marketplace's documentation items and stale pointers.
    pub fn docs(&self) -> &docs::DocsFact {
        self.docs.get_or_init(|| {
            self.ws
                .reading_for("the documentation checks", || docs::compute(self))
        })
    }

    /// Releases from git: version tags, the default branch, the manifest version against them,
    /// plugin ids at release tags, settings changes between releases (see [`release`]).
    pub fn release(&self) -> &release::ReleaseFact {
        self.release.get_or_init(|| {
            let docs = self.onboarding().config().map(|c| &c.docs);
            let manifest = self.manifest();
            self.ws.reading_for("the release checks", || {
                release::compute(&self.ws, manifest, docs)
            })
        })
    }

    /// CI configuration: GitHub Actions workflows and CircleCI (see [`ci`]).
    pub fn ci(&self) -> &ci::CiFact {
        self.ci.get_or_init(|| {
            let run = self.ws.run_history().and_then(Result::ok);
            let branch = run.and_then(|r| r.default_branch.as_ref());
            self.ws.reading_for("the CI checks", || {
                ci::compute(&self.ws, branch.map(|b| b.name.as_str()))
            })
        })
    }

    /// What the starter template's build writes into the manifest (`version`,
    /// `release_notes_url`), when the repository builds its manifest with the template's tool
    /// (see [`build`]).
    pub fn build(&self) -> &build::BuildFact {
        self.build.get_or_init(|| {
            let manifest = self.manifest();
            // The template fact and the tags are needed only when there is a Go file named
            // like the tool to confirm.
            if !matches!(manifest, ManifestFact::Found(_)) || !build::has_candidate(&self.ws) {
                return build::BuildFact::default();
            }
            let (template, release) = (self.template(), self.release());
            self.ws.reading_for("the manifest the build produces", || {
                build::compute(&self.ws, manifest, template, release)
            })
        })
    }

    /// The read limits, and the files that could not be read because they are over them, with
    /// what needed each. Unlike the other facts this one grows as facts are computed: it tells
    /// what the reads so far hit, so `file-too-large` runs after every other rule, and
    /// `onboard facts` computes it last.
    pub fn limits(&self) -> LimitsFact {
        LimitsFact {
            max_file_bytes: self.ws.max_read(),
            max_lockfile_bytes: self
                .ws
                .max_read()
                .saturating_mul(crate::workspace::LOCKFILE_FACTOR),
            oversized: self.ws.oversized(),
        }
    }

    /// The fact families computed so far, to show that a run computed only what it needed.
    pub fn computed(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        out.push("onboarding");
        if self.manifest.get().is_some() {
            out.push("manifest");
        }
        if self.files.get().is_some() {
            out.push("files");
        }
        if self.licence.get().is_some() {
            out.push("licence");
        }
        if self.dependencies.get().is_some() {
            out.push("dependencies");
        }
        if self.template.get().is_some() {
            out.push("template");
        }
        if self.docs.get().is_some() {
            out.push("docs");
        }
        if self.records.get().is_some() {
            out.push("records");
        }
        if self.release.get().is_some() {
            out.push("release");
        }
        if self.ci.get().is_some() {
            out.push("ci");
        }
        if self.build.get().is_some() {
            out.push("build");
        }
        out
    }

    /// Every fact family, for `onboard facts`.
    pub fn all(&self) -> AllFacts<'_> {
        AllFacts {
            version: FORMAT_VERSION,
            repository: self.repository(),
            settings: &self.settings,
            onboarding: match self.onboarding() {
                OnboardingFact::Missing => OnboardingOut {
                    status: "missing",
                    errors: Vec::new(),
                    config: None,
                },
                OnboardingFact::Unreadable(e) => OnboardingOut {
                    status: "unreadable",
                    errors: vec![e.to_string()],
                    config: None,
                },
                OnboardingFact::Invalid { errors, .. } => OnboardingOut {
                    status: "invalid",
                    errors: errors.iter().map(|e| e.message.clone()).collect(),
                    config: None,
                },
                OnboardingFact::Parsed { config, .. } => OnboardingOut {
                    status: "parsed",
                    errors: Vec::new(),
                    config: Some(config),
                },
            },
            manifest: self.manifest(),
            files: self.files(),
            licence: self.licence(),
            dependencies: self.dependencies(),
            template: self.template(),
            release: self.release(),
            ci: self.ci(),
            build: self.build(),
            docs: self.docs(),
            records: self.records(),
            // Last: it reports what the reads above hit.
            limits: self.limits(),
        }
    }
}

/// How much onboard reads of one file, and what it did not read.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LimitsFact {
    /// The cap on the bytes read from one file (`--max-file-bytes`).
    pub max_file_bytes: u64,
    /// The cap for lockfiles (`package-lock.json`, `yarn.lock`, `go.sum`, `Cargo.lock`, …).
    pub max_lockfile_bytes: u64,
    /// Files that were not read because they are over the cap, with what needed them.
    pub oversized: Vec<crate::workspace::Oversized>,
}

/// The version of `onboard facts`' JSON format.
pub const FORMAT_VERSION: u32 = 1;

/// The output of `onboard facts`: one key per fact family.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "onboard facts")]
pub struct AllFacts<'a> {
    /// Version of this format.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    pub repository: &'a RepositoryInfo,
    /// The settings of the policy the facts were built with.
    pub settings: &'a Settings,
    pub onboarding: OnboardingOut<'a>,
    pub manifest: &'a ManifestFact,
    pub files: &'a files::FilesFact,
    pub licence: &'a licence::LicenceFact,
    pub dependencies: &'a crate::facts::deps::DependenciesFact,
    pub template: &'a template::TemplateFact,
    pub release: &'a release::ReleaseFact,
    pub ci: &'a ci::CiFact,
    pub build: &'a build::BuildFact,
    pub docs: &'a docs::DocsFact,
    pub records: &'a records::RecordsFact,
    pub limits: LimitsFact,
}

#[derive(Serialize, JsonSchema)]
pub struct OnboardingOut<'a> {
    /// `missing`, `unreadable`, `invalid` or `parsed`.
    pub status: &'static str,
    pub errors: Vec<String>,
    pub config: Option<&'a onboarding::Onboarding>,
}
