//! One lint run: open the workspace, read `.onboarding.yml`, build the policy, run the rules,
//! apply waivers.

use crate::facts::{Facts, OnboardingFact};
use crate::finding::{Finding, Gate, Level, Location, Waived};
use crate::outcome::Report;
use crate::policy::load::PolicySource;
use crate::policy::settings::Settings;
use crate::policy::{self, Effective, Override};
use crate::rules::{self, ConfigProblem};
use crate::source::{Date, SourceFile, Span};
use crate::suggest;
use crate::workspace::{Workspace, WorkspaceError};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub path: PathBuf,
    pub rev: Option<String>,
    /// The cap on the bytes read from one file; the workspace's default when `None`.
    pub max_file_bytes: Option<u64>,
    pub gate: Option<Gate>,
    pub policies: Vec<PathBuf>,
    pub overrides: Vec<Override>,
    /// `--cargo-metadata`: the user trusts the repository enough to run `cargo metadata` on it.
    pub cargo_metadata: bool,
    /// The cache folder (see [`crate::cache`]); `None`: no cache.
    pub cache_dir: Option<PathBuf>,
}

/// A repository opened for a run: its files and its `.onboarding.yml`, read once, before any
/// policy. Facts are built from it per distinct settings (gates whose policies set the same
/// settings share one [`Facts`]).
pub struct Opened {
    ws: Rc<Workspace>,
    onboarding: Rc<OnboardingFact>,
    facts: RefCell<Vec<(Settings, Rc<Facts>)>>,
}

impl Opened {
    pub fn new(ws: Workspace) -> Opened {
        let onboarding = Rc::new(crate::facts::read_onboarding(&ws));
        Opened {
            ws: Rc::new(ws),
            onboarding,
            facts: RefCell::new(Vec::new()),
        }
    }

    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    pub fn onboarding(&self) -> &OnboardingFact {
        &self.onboarding
    }

    /// The facts under `settings`: built on first use, then shared.
    pub fn facts(&self, settings: &Settings) -> Rc<Facts> {
        let mut known = self.facts.borrow_mut();
        if let Some((_, f)) = known.iter().find(|(s, _)| s == settings) {
            return f.clone();
        }
        let facts = Rc::new(Facts::new(
            self.ws.clone(),
            self.onboarding.clone(),
            settings.clone(),
        ));
        known.push((settings.clone(), facts.clone()));
        facts
    }
}

/// Everything a run needs once the configuration has been read successfully.
pub struct Prepared {
    pub facts: Rc<Facts>,
    pub gate: Gate,
    pub policy: Effective,
}

pub enum Setup {
    Ready(Box<Prepared>),
    /// Configuration problems: reported together, then exit 2.
    Invalid {
        gate: Gate,
        /// Facts under the default settings (the policy's could not be read).
        facts: Rc<Facts>,
        errors: Vec<Finding>,
    },
}

fn config_finding(
    problem: ConfigProblem,
    message: String,
    at: Option<(&SourceFile, Span)>,
    help: Option<String>,
) -> Finding {
    let rule = rules::reporting(problem);
    Finding {
        code: rule.code,
        rule: rule.name,
        item: rule.item,
        level: Level::Deny,
        message,
        help,
        location: at.map(|(file, span)| Location {
            file: file.clone(),
            span,
        }),
        labels: Vec::new(),
        waived: None,
    }
}

/// Opens the workspace and reads every piece of configuration, collecting all problems.
pub fn prepare(opts: &Options) -> Result<Setup, WorkspaceError> {
    Ok(prepare_with(&open(opts)?, opts))
}

/// Opens the repository the options name (facts are computed lazily, once settings are known).
pub fn open(opts: &Options) -> Result<Opened, WorkspaceError> {
    let mut ws = Workspace::open(&opts.path, opts.rev.as_deref())?;
    if let Some(n) = opts.max_file_bytes {
        ws = ws.with_max_read(n);
    }
    if let Some(dir) = &opts.cache_dir {
        // Never inside the linted repository: the repository is only ever read.
        if !crate::cache::inside(dir, &opts.path) {
            ws = ws.with_cache(crate::cache::Cache::new(dir.clone()));
        }
    }
    Ok(Opened::new(ws.listed()?))
}

/// Loads the policy for the options' gate over a repository already opened (`opts.path` and
/// `opts.rev` are not read again), and the facts under its settings.
pub fn prepare_with(opened: &Opened, opts: &Options) -> Setup {
    let mut errors = Vec::new();

    match opened.onboarding() {
        OnboardingFact::Invalid { file, errors: errs } => {
            for e in errs {
                errors.push(config_finding(
                    ConfigProblem::Onboarding,
                    e.message.clone(),
                    Some((file, e.span)),
                    e.help.clone(),
                ));
            }
        }
        OnboardingFact::Unreadable(e) => {
            errors.push(config_finding(
                ConfigProblem::Onboarding,
                format!("`.onboarding.yml` cannot be read: {e}"),
                None,
                None,
            ));
        }
        _ => {}
    }
    let config = opened.onboarding().config();
    let gate = opts
        .gate
        .or_else(|| config.and_then(|c| c.gate.as_ref()).map(|g| g.value))
        .unwrap_or(Gate::CiExtensions);

    let mut extra: Vec<(PolicySource, Option<(SourceFile, Span)>)> = opts
        .policies
        .iter()
        .map(|p| (PolicySource::Fs(p.clone()), None))
        .collect();
    if let (Some(c), Some(file)) = (config, opened.onboarding().file()) {
        for p in &c.policies {
            extra.push((
                PolicySource::Repo(p.value.clone()),
                Some((file.clone(), p.span)),
            ));
        }
        for w in &c.waivers {
            if rules::find(&w.rule.value).is_none() {
                errors.push(config_finding(
                    ConfigProblem::Policy,
                    format!("the waiver names no known rule: `{}`", w.rule.value),
                    Some((file, w.rule.span)),
                    Some(suggest::help_for(&w.rule.value, &rules::rule_names())),
                ));
            }
            for glob in &w.paths {
                if let Err(e) = globset::Glob::new(&glob.value) {
                    errors.push(config_finding(
                        ConfigProblem::Policy,
                        format!("invalid glob: {e}"),
                        Some((file, glob.span)),
                        None,
                    ));
                }
            }
        }
    }
    let ws = opened.workspace();
    let built = ws.reading_for("the policy", || {
        policy::build(ws, gate, &extra, &opts.overrides)
    });
    let policy = match built {
        Ok(mut p) => {
            if opts.cargo_metadata {
                p.settings
                    .set_flag("dependencies.cargo_metadata", "--cargo-metadata");
            }
            Some(p)
        }
        Err(errs) => {
            for e in errs {
                let at = e.file.as_ref().map(|f| (f, e.error.span));
                errors.push(config_finding(
                    ConfigProblem::Policy,
                    e.error.message,
                    at,
                    e.error.help,
                ));
            }
            None
        }
    };
    match policy {
        Some(policy) if errors.is_empty() => Setup::Ready(Box::new(Prepared {
            facts: opened.facts(&policy.settings.values),
            gate,
            policy,
        })),
        _ => {
            errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            Setup::Invalid {
                gate,
                facts: opened.facts(&Settings::default()),
                errors,
            }
        }
    }
}

/// Runs every rule the policy enables, then applies waivers.
pub fn lint(p: &Prepared) -> Report {
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let mut rules_run = Vec::new();
    // By phase, in registry order within one (`rules_run` keeps registry order).
    let mut ordered: Vec<_> = p.policy.rules.iter().collect();
    ordered.sort_by_key(|(rule, _)| rule.phase);
    for (rule, setting) in ordered {
        if setting.level == Level::Allow {
            continue;
        }
        let params = serde_json::Value::Object(setting.params.clone());
        let outcome = rules::run(rule, &p.facts, &params);
        for mut f in outcome.findings {
            f.level = setting.level;
            findings.push(f);
        }
        notes.extend(outcome.notes);
    }
    for (rule, setting) in &p.policy.rules {
        if setting.level != Level::Allow {
            rules_run.push(rule.code);
        }
    }
    apply_waivers(p, &mut findings);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut report = Report::new(p.gate, p.facts.repository(), findings, rules_run);
    report.notes = notes;
    report
}

fn apply_waivers(p: &Prepared, findings: &mut Vec<Finding>) {
    let Some((config, file)) = p.facts.onboarding().parsed() else {
        return;
    };
    let today = Date::today();
    let unused_rule = rules::reporting(ConfigProblem::UnusedWaiver);
    let unused_level = p
        .policy
        .setting(unused_rule)
        .map_or(Level::Allow, |s| s.level);
    let mut unused = Vec::new();
    // The findings each rule has left to waive, by path: a waiver looks at its own rule's
    // paths, each once, and each finding is waived by the first waiver that covers it.
    type ByPath = std::collections::BTreeMap<Option<String>, Vec<usize>>;
    let mut open: std::collections::HashMap<&str, ByPath> = std::collections::HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let path = f.path().map(str::to_string);
        open.entry(f.code)
            .or_default()
            .entry(path)
            .or_default()
            .push(i);
    }
    for waiver in &config.waivers {
        if waiver.until.as_ref().is_some_and(|u| u.value < today) {
            continue; // expired: `expired-waiver` reports it, and it silences nothing
        }
        let Some(rule) = rules::find(&waiver.rule.value) else {
            continue;
        };
        let mut used = false;
        if let Some(left) = open.get_mut(rule.code).filter(|l| !l.is_empty()) {
            // One set for all the waiver's globs (invalid globs are configuration errors,
            // reported before), built only when the rule has findings left.
            let mut builder = globset::GlobSetBuilder::new();
            for g in &waiver.paths {
                if let Ok(glob) = globset::Glob::new(&g.value) {
                    builder.add(glob);
                }
            }
            let globs = builder
                .build()
                .unwrap_or_else(|_| globset::GlobSet::empty());
            left.retain(|path, indices| {
                let in_paths =
                    waiver.paths.is_empty() || path.as_deref().is_some_and(|p| globs.is_match(p));
                if in_paths {
                    used = true;
                    for &i in indices.iter() {
                        findings[i].waived = Some(Waived {
                            reason: waiver.reason.value.clone(),
                            location: Location {
                                file: file.clone(),
                                span: waiver.span,
                            },
                        });
                    }
                }
                !in_paths
            });
        }
        if !used {
            unused.push((rule, waiver));
        }
    }
    if unused_level == Level::Allow {
        return;
    }
    for (rule, waiver) in unused {
        let mut f = config_finding(
            ConfigProblem::UnusedWaiver,
            format!("the waiver for `{}` matched no finding", rule.name),
            Some((file, waiver.rule.span)),
            Some("delete the waiver: what it excused no longer happens at this gate".into()),
        );
        f.level = unused_level;
        findings.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(dir: &std::path::Path, allow: &[&str]) -> Prepared {
        let opts = Options {
            path: dir.to_path_buf(),
            overrides: allow
                .iter()
                .map(|s| Override {
                    level: Level::Allow,
                    selector: s.to_string(),
                })
                .collect(),
            ..Options::default()
        };
        match prepare(&opts).unwrap() {
            Setup::Ready(p) => *p,
            Setup::Invalid { errors, .. } => panic!("{errors:?}"),
        }
    }

    #[test]
    fn runs_with_the_same_settings_share_facts_and_others_get_their_own() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plugin.json"), r#"{"id": "x"}"#).unwrap();
        let policy = dir.path().join("lenient.yml");
        std::fs::write(&policy, "version: 1\nlicence: { threshold: 0.8 }\n").unwrap();
        let base = Options {
            path: dir.path().to_path_buf(),
            ..Options::default()
        };
        let opened = open(&base).unwrap();
        let ready = |opts: &Options| match prepare_with(&opened, opts) {
            Setup::Ready(p) => p,
            Setup::Invalid { errors, .. } => panic!("{errors:?}"),
        };
        let first = ready(&Options {
            gate: Some(Gate::CiExtensions),
            ..base.clone()
        });
        let last = ready(&Options {
            gate: Some(Gate::Marketplace),
            ..base.clone()
        });
        let lenient = ready(&Options {
            policies: vec![policy],
            ..base.clone()
        });
        assert!(Rc::ptr_eq(&first.facts, &last.facts));
        assert!(!Rc::ptr_eq(&first.facts, &lenient.facts));
        assert_eq!(
            first.facts.settings().licence.threshold,
            crate::licence::detect::DEFAULT_THRESHOLD
        );
        assert_eq!(lenient.facts.settings().licence.threshold, 0.8);
        assert_eq!(lenient.facts.detector().threshold(), 0.8);
    }

    #[test]
    fn facts_are_computed_only_when_a_rule_asks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plugin.json"), r#"{"id": "x"}"#).unwrap();

        let p = prepared(
            dir.path(),
            &[
                "manifest",
                "repository",
                "licence",
                "ci",
                "records",
                "template",
            ],
        );
        let report = lint(&p);
        assert!(!report.rules_run.iter().any(|c| c.starts_with("OB1")));
        assert_eq!(p.facts.computed(), vec!["onboarding"]);

        let p = prepared(
            dir.path(),
            &["repository", "licence", "ci", "records", "template"],
        );
        let report = lint(&p);
        assert!(report
            .findings
            .iter()
            .any(|f| f.rule == "invalid-plugin-id"));
        assert_eq!(p.facts.computed(), vec!["onboarding", "manifest"]);
    }

    #[test]
    fn the_classifier_is_not_loaded_when_hashes_answer() {
        let dir = tempfile::tempdir().unwrap();
        let apache = include_str!("../tests/data/licences/Apache-2.0-leading-blank.txt");
        std::fs::write(dir.path().join("LICENSE"), apache).unwrap();
        let p = prepared(dir.path(), &["manifest", "repository", "config"]);
        let report = lint(&p);
        assert!(report.findings.iter().all(|f| !f.rule.contains("licence")));
        assert_eq!(p.facts.licence().root.as_deref(), Some("Apache-2.0"));
        assert!(!p.facts.detector().store_loaded());

        std::fs::write(dir.path().join("LICENSE"), "All rights reserved by nobody in particular, for any purpose whatsoever, anywhere on earth.\n").unwrap();
        let p = prepared(dir.path(), &["manifest", "repository", "config"]);
        let report = lint(&p);
        assert!(report.findings.iter().any(|f| f.rule == "unknown-licence"));
        assert!(p.facts.detector().store_loaded());
    }
}
