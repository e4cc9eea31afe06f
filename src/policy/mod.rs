//! Policies as files, layered lowest first: rule defaults, `base`, the gate's file (each gate
//! extends the one before), organisation or repository files, then command-line overrides.
//! Waivers are applied to findings afterwards (see `engine`). Every effective value remembers
//! the file and line it came from.

pub mod committers;
pub mod load;
pub mod schema;
pub mod settings;

use crate::finding::{Gate, Level};
use crate::rules::{self, Rule, REGISTRY};
use crate::source::{SourceFile, Span};
use crate::suggest;
use crate::workspace::Workspace;
use crate::yaml::{self, YamlError};
use load::{PolicyFile, PolicySource};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where an effective value was set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    /// 1-based; 0 for values that come from the rule itself or the command line.
    pub line: usize,
}

impl Origin {
    fn default_of_rule() -> Origin {
        Origin {
            file: "(rule default)".into(),
            line: 0,
        }
    }

    fn default_of_setting() -> Origin {
        Origin {
            file: "(default)".into(),
            line: 0,
        }
    }

    fn at(file: &SourceFile, span: Span) -> Origin {
        Origin {
            file: file.path.clone(),
            line: file.line_col(span.offset).0,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// A rule's effective level and parameters.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSetting {
    pub level: Level,
    pub level_from: Origin,
    pub params: serde_json::Map<String, serde_json::Value>,
    pub params_from: BTreeMap<String, Origin>,
}

/// The policy a run applies.
#[derive(Debug, Clone)]
pub struct Effective {
    pub gate: Gate,
    /// The files applied, lowest first.
    pub files: Vec<String>,
    /// One setting per registry rule, in registry order.
    pub rules: Vec<(&'static Rule, RuleSetting)>,
    /// What the facts need, with where each value was set.
    pub settings: settings::Layered,
}

impl Effective {
    pub fn setting(&self, rule: &Rule) -> Option<&RuleSetting> {
        self.rules
            .iter()
            .find(|(r, _)| r.code == rule.code)
            .map(|(_, s)| s)
    }

    pub fn params_json(&self, rule: &Rule) -> serde_json::Value {
        self.setting(rule)
            .map(|s| serde_json::Value::Object(s.params.clone()))
            .unwrap_or_default()
    }
}

/// A problem in a policy file, or on the command line (no file).
#[derive(Debug, Clone)]
pub struct PolicyError {
    pub file: Option<SourceFile>,
    pub error: YamlError,
}

/// A command-line override: `--deny`, `--warn` or `--allow` with a selector.
#[derive(Debug, Clone)]
pub struct Override {
    pub level: Level,
    pub selector: String,
}

/// Which rules a selector (name, code or group) picks.
pub fn select(selector: &str) -> Option<Vec<&'static Rule>> {
    if let Some(rule) = rules::find(selector) {
        return Some(vec![rule]);
    }
    let group: Vec<&'static Rule> = REGISTRY
        .iter()
        .copied()
        .filter(|r| r.group == selector)
        .collect();
    (!group.is_empty()).then_some(group)
}

fn is_group(selector: &str) -> bool {
    rules::find(selector).is_none() && REGISTRY.iter().any(|r| r.group == selector)
}

struct Builder<'w> {
    ws: &'w Workspace,
    applied: Vec<PolicyFile>,
    errors: Vec<PolicyError>,
}

impl Builder<'_> {
    /// Loads `source` after everything it extends; each file is applied once.
    fn load(
        &mut self,
        source: PolicySource,
        stack: &mut Vec<PolicySource>,
        at: Option<(&SourceFile, Span)>,
    ) {
        if self.applied.iter().any(|p| p.source == source) {
            return;
        }
        let report = |errors: &mut Vec<PolicyError>, message: String| {
            errors.push(PolicyError {
                file: at.map(|(f, _)| f.clone()),
                error: YamlError::new(message, at.map_or(Span::default(), |(_, s)| s)),
            });
        };
        if stack.contains(&source) {
            report(
                &mut self.errors,
                format!("`extends` forms a cycle through `{}`", source.display()),
            );
            return;
        }
        let file = match source.read(self.ws) {
            Ok(f) => f,
            Err(message) => return report(&mut self.errors, message),
        };
        let (policy, errs) = load::parse(source.clone(), file.clone());
        self.errors
            .extend(errs.into_iter().map(|error| PolicyError {
                file: Some(file.clone()),
                error,
            }));
        let Some(policy) = policy else { return };
        stack.push(source.clone());
        for parent in &policy.extends {
            match source.resolve(&parent.value) {
                Ok(target) => self.load(target, stack, Some((&policy.file, parent.span))),
                Err(message) => self.errors.push(PolicyError {
                    file: Some(policy.file.clone()),
                    error: YamlError::new(message, parent.span),
                }),
            }
        }
        stack.pop();
        self.applied.push(policy);
    }
}

/// Builds the effective policy of `gate`, with extra policy files and overrides.
pub fn build(
    ws: &Workspace,
    gate: Gate,
    extra: &[(PolicySource, Option<(SourceFile, Span)>)],
    overrides: &[Override],
) -> Result<Effective, Vec<PolicyError>> {
    let mut b = Builder {
        ws,
        applied: Vec::new(),
        errors: Vec::new(),
    };
    b.load(
        PolicySource::Builtin(gate.as_str().into()),
        &mut Vec::new(),
        None,
    );
    for (source, at) in extra {
        b.load(
            source.clone(),
            &mut Vec::new(),
            at.as_ref().map(|(f, s)| (f, *s)),
        );
    }

    let mut settings = defaults();
    let mut layered = settings::Layered::default();

    for policy in &b.applied {
        apply(policy, &mut settings, &mut b.errors);
        let trusted = !matches!(policy.source, PolicySource::Repo(_));
        layered.apply(&policy.file, &policy.settings, trusted, &mut b.errors);
    }
    layered.check(&mut b.errors);
    layered.check_index(ws, &mut b.errors);
    for o in overrides {
        match select(&o.selector) {
            Some(rules) => {
                for rule in rules {
                    if let Some((_, s)) = settings.iter_mut().find(|(r, _)| r.code == rule.code) {
                        s.level = o.level;
                        s.level_from = Origin {
                            file: format!("--{} {}", o.level.as_str(), o.selector),
                            line: 0,
                        };
                    }
                }
            }
            None => b.errors.push(PolicyError {
                file: None,
                error: YamlError::new(
                    format!(
                        "`--{} {}`: no rule or group has that name",
                        o.level.as_str(),
                        o.selector
                    ),
                    Span::default(),
                )
                .with_help(suggest::help_for(&o.selector, &rules::selector_names())),
            }),
        }
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    Ok(Effective {
        gate,
        files: b.applied.iter().map(|p| p.source.display()).collect(),
        rules: settings,
        settings: layered,
    })
}

/// Every rule's own level and parameter defaults, in registry order.
fn defaults() -> Vec<(&'static Rule, RuleSetting)> {
    REGISTRY
        .iter()
        .map(|&r| {
            let params = match (r.params.defaults)() {
                serde_json::Value::Object(m) => m,
                _ => serde_json::Map::new(),
            };
            let params_from = params
                .keys()
                .map(|k| (k.clone(), Origin::default_of_rule()))
                .collect();
            (
                r,
                RuleSetting {
                    level: r.level,
                    level_from: Origin::default_of_rule(),
                    params,
                    params_from,
                },
            )
        })
        .collect()
}

/// Checks one policy file on its own, as [`build`] would: its syntax and shape, then its rule
/// names and parameters against the registry. What it `extends` is not read.
pub fn check_file(file: SourceFile) -> Vec<YamlError> {
    let source = PolicySource::Repo(file.path.clone());
    let (policy, errs) = load::parse(source, file);
    let mut errors: Vec<PolicyError> = Vec::new();
    if let Some(policy) = &policy {
        apply(policy, &mut defaults(), &mut errors);
        // Checked as a file of its own, not as the linted repository's: nothing is refused
        // for where it lives.
        settings::Layered::default().apply(&policy.file, &policy.settings, true, &mut errors);
    }
    errs.into_iter()
        .chain(errors.into_iter().map(|e| e.error))
        .collect()
}

/// Applies one file: group selectors first, then single rules, so the specific wins.
fn apply(
    policy: &PolicyFile,
    settings: &mut [(&'static Rule, RuleSetting)],
    errors: &mut Vec<PolicyError>,
) {
    let file = &policy.file;
    let mut err = |error: YamlError| {
        errors.push(PolicyError {
            file: Some(file.clone()),
            error,
        })
    };
    let mut entries: Vec<_> = policy.rules.iter().collect();
    entries.sort_by_key(|e| !is_group(&e.selector.value));
    for entry in entries {
        let Some(rules) = select(&entry.selector.value) else {
            err(YamlError::new(
                format!("no rule or group is named `{}`", entry.selector.value),
                entry.selector.span,
            )
            .with_help(suggest::help_for(
                &entry.selector.value,
                &rules::selector_names(),
            )));
            continue;
        };
        if let Some(p) = &entry.params {
            if is_group(&entry.selector.value) {
                err(YamlError::new(
                    format!(
                        "`{}` is a group: parameters are set per rule",
                        entry.selector.value
                    ),
                    p.span,
                ));
                continue;
            }
        }
        for rule in rules {
            let Some((_, s)) = settings.iter_mut().find(|(r, _)| r.code == rule.code) else {
                continue;
            };
            if let Some(level) = &entry.level {
                s.level = level.value;
                s.level_from = Origin::at(file, entry.selector.span);
            }
            let Some(params) = &entry.params else {
                continue;
            };
            let yaml::Value::Map(pairs) = &params.value else {
                continue;
            };
            let names = rule.params.names();
            for (k, v) in pairs {
                let key = k.as_str().unwrap_or_default().to_string();
                if !names.contains(&key) {
                    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
                    let help = if candidates.is_empty() {
                        format!("`{}` takes no parameters", rule.name)
                    } else {
                        suggest::help_for(&key, &candidates)
                    };
                    err(YamlError::new(
                        format!("`{}` has no parameter `{key}`", rule.name),
                        k.span,
                    )
                    .with_help(help));
                    continue;
                }
                let mut one = serde_json::Map::new();
                one.insert(key.clone(), v.to_json());
                if let Err(e) = (rule.params.validate)(&serde_json::Value::Object(one.clone())) {
                    err(YamlError::new(
                        format!("invalid value for `{}` parameter `{key}`: {e}", rule.name),
                        v.span,
                    ));
                    continue;
                }
                s.params.extend(one);
                s.params_from.insert(key, Origin::at(file, k.span));
            }
        }
    }
}
