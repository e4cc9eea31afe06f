//! The rule registry. One file per rule, in a folder per group; [`REGISTRY`] lists them all.
//!
//! A rule is a pure function of facts and parameters that pushes findings through [`Ctx`].
//! It never opens a file or a repository itself.

pub mod ci;
pub mod config;
pub mod docs;
pub mod licence;
pub mod manifest;
pub mod records;
pub mod release;
pub mod repository;
pub mod template;

use crate::facts::Facts;
use crate::finding::{Finding, Item, Label, Level, Location};
use crate::source::{SourceFile, Span};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// A rule's declaration: identity, defaults, docs, parameters and the check itself.
pub struct Rule {
    /// Stable code, `OB` and three digits; the hundreds say the group.
    pub code: &'static str,
    /// Kebab-case name of the condition flagged.
    pub name: &'static str,
    pub group: &'static str,
    /// Level when no policy says otherwise.
    pub level: Level,
    pub item: Item,
    /// One line: what is flagged.
    pub summary: &'static str,
    /// Markdown under the headings in [`DOC_HEADINGS`].
    pub docs: &'static str,
    pub params: Params,
    /// `None` for rules that report configuration problems (see `reports`): they have no
    /// check of their own.
    pub check: Option<fn(&mut Ctx<'_>)>,
    /// When the check runs.
    pub phase: Phase,
    /// The configuration problems this rule reports, found while the policy and waivers are
    /// read and applied rather than by a check.
    pub reports: Option<ConfigProblem>,
    /// Whether a commit can fix what the rule flags; `onboard lint --hook` (pre-commit) fails
    /// only on rules a commit can fix, and shows the others as warnings.
    pub fix: Fix,
}

/// What fixes a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fix {
    /// A change to the repository's files: the manifest, `.onboarding.yml`, licence files, the
    /// README, CI workflows, the code.
    Commit,
    /// Something a commit cannot do, named here (a tag pushed, a review recorded by someone
    /// else, a module cache filled, CI publishing builds).
    NotByCommit(&'static str),
}

impl Fix {
    pub fn by_commit(self) -> bool {
        self == Fix::Commit
    }

    /// One line for `explain` and `docs/rules.md`.
    pub fn describe(self) -> String {
        match self {
            Fix::Commit => "a commit can fix it: `onboard lint --hook` (pre-commit) fails on it \
                            at its level"
                .into(),
            Fix::NotByCommit(why) => format!(
                "a commit cannot fix it ({why}): `onboard lint --hook` (pre-commit) shows it as \
                 a warning and does not fail; CI judges it"
            ),
        }
    }
}

/// When a rule's check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// With the other rules, in registry order.
    Main,
    /// After every `Main` rule, for rules that report on what the others needed (the reads
    /// that hit the size cap).
    Last,
}

/// A kind of configuration problem, reported by the rule that declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigProblem {
    /// `.onboarding.yml` cannot be read or does not validate.
    Onboarding,
    /// A policy file, a waiver or a command-line override is wrong.
    Policy,
    /// A waiver matched no finding.
    UnusedWaiver,
}

impl Rule {
    /// What every rule declaration starts from (`..Rule::DEFAULTS`): the fields most rules
    /// leave as they are.
    pub const DEFAULTS: Rule = Rule {
        code: "",
        name: "",
        group: "",
        level: Level::Warn,
        item: Item::Config,
        summary: "",
        docs: "",
        params: Params::of::<NoParams>(),
        check: None,
        phase: Phase::Main,
        reports: None,
        fix: Fix::Commit,
    };
}

/// The rule that reports a kind of configuration problem.
pub fn reporting(problem: ConfigProblem) -> &'static Rule {
    REGISTRY
        .iter()
        .copied()
        .find(|r| r.reports == Some(problem))
        .expect("the registry has a rule for every kind of configuration problem")
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

/// The headings every rule's docs carry, in order.
pub const DOC_HEADINGS: [&str; 5] = [
    "## What it checks",
    "## Why it matters",
    "## How to fix",
    "## Parameters",
    "## Example",
];

/// A rule's parameter type, erased: its JSON Schema and a validating deserializer.
pub struct Params {
    pub schema: fn() -> schemars::Schema,
    pub validate: fn(&serde_json::Value) -> Result<(), String>,
    pub defaults: fn() -> serde_json::Value,
}

impl Params {
    pub const fn of<P: DeserializeOwned + JsonSchema + serde::Serialize + Default>() -> Params {
        Params {
            schema: schema_of::<P>,
            validate: validate_as::<P>,
            defaults: defaults_of::<P>,
        }
    }

    /// The parameter names the type accepts.
    pub fn names(&self) -> Vec<String> {
        (self.schema)()
            .as_object()
            .and_then(|o| o.get("properties"))
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }
}

fn schema_of<P: JsonSchema>() -> schemars::Schema {
    let settings =
        schemars::generate::SchemaSettings::draft07().with(|s| s.inline_subschemas = true);
    let mut schema = settings.into_generator().into_root_schema_for::<P>();
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
        o.remove("title");
    }
    schema
}

fn validate_as<P: DeserializeOwned>(v: &serde_json::Value) -> Result<(), String> {
    serde_json::from_value::<P>(v.clone())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn defaults_of<P: serde::Serialize + Default>() -> serde_json::Value {
    serde_json::to_value(P::default()).unwrap_or_default()
}

/// The parameters of a rule that takes none.
#[derive(Debug, Default, serde::Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// Every rule onboard knows, ordered by code.
pub static REGISTRY: &[&Rule] = &[
    &config::missing_onboarding_file::RULE,
    &config::invalid_onboarding_file::RULE,
    &config::invalid_policy::RULE,
    &config::expired_waiver::RULE,
    &config::unused_waiver::RULE,
    &config::git_unavailable::RULE,
    &manifest::missing_manifest::RULE,
    &manifest::invalid_manifest::RULE,
    &manifest::invalid_plugin_id::RULE,
    &manifest::missing_plugin_name::RULE,
    &manifest::invalid_manifest_url::RULE,
    &manifest::invalid_manifest_version::RULE,
    &manifest::invalid_plugin_setting::RULE,
    &manifest::invalid_settings_section::RULE,
    &manifest::unknown_manifest_key::RULE,
    &manifest::missing_marketplace_field::RULE,
    &manifest::wrong_release_notes_url::RULE,
    &repository::missing_licence_file::RULE,
    &repository::missing_readme::RULE,
    &repository::file_too_large::RULE,
    &licence::incompatible_licence::RULE,
    &licence::unknown_licence::RULE,
    &licence::licence_mismatch::RULE,
    &licence::invalid_licence_expression::RULE,
    &licence::licence_carve_out::RULE,
    &licence::broken_licence_link::RULE,
    &licence::undocumented_carve_out::RULE,
    &licence::forbidden_dependency_licence::RULE,
    &licence::restricted_dependency_licence::RULE,
    &licence::unknown_dependency_licence::RULE,
    &licence::non_spdx_dependency_licence::RULE,
    &template::review_size::RULE,
    &template::template_not_customised::RULE,
    &template::template_drift::RULE,
    &template::no_own_code::RULE,
    &release::missing_release_tag::RULE,
    &release::manifest_version_mismatch::RULE,
    &release::malformed_version_tag::RULE,
    &release::release_below_one::RULE,
    &release::plugin_id_changed::RULE,
    &release::shallow_clone::RULE,
    &ci::missing_ci::RULE,
    &ci::ci_not_building_master::RULE,
    &ci::ci_not_building_releases::RULE,
    &ci::missing_master_build_url::RULE,
    &ci::invalid_master_build_url::RULE,
    &ci::missing_release_build_url::RULE,
    &ci::invalid_release_build_url::RULE,
    &ci::invalid_ci_config::RULE,
    &docs::missing_summary::RULE,
    &docs::missing_use_cases::RULE,
    &docs::missing_setup_docs::RULE,
    &docs::missing_setting_help::RULE,
    &docs::missing_screenshot::RULE,
    &docs::missing_security_contact::RULE,
    &docs::invalid_plugin_icon::RULE,
    &docs::missing_readme_section::RULE,
    &docs::broken_readme_link::RULE,
    &docs::stale_docs_pointer::RULE,
    &docs::missing_docs_branch::RULE,
    &docs::docs_not_updated_for_settings::RULE,
    &records::invalid_record::RULE,
    &records::missing_basic_review::RULE,
    &records::missing_complete_review::RULE,
    &records::missing_qa::RULE,
    &records::missing_release_qa::RULE,
    &records::missing_pm_ux_review::RULE,
    &records::self_review::RULE,
    &records::untrusted_record::RULE,
];

/// The groups, in registry order.
pub fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for r in REGISTRY {
        if !groups.contains(&r.group) {
            groups.push(r.group);
        }
    }
    groups
}

/// Finds a rule by code (any case) or name.
pub fn find(key: &str) -> Option<&'static Rule> {
    REGISTRY
        .iter()
        .copied()
        .find(|r| r.name == key || r.code.eq_ignore_ascii_case(key))
}

/// Every name and code of a rule, for "did you mean".
pub fn rule_names() -> Vec<&'static str> {
    REGISTRY.iter().flat_map(|r| [r.name, r.code]).collect()
}

/// Every name a user may write for a rule or group, for "did you mean".
pub fn selector_names() -> Vec<&'static str> {
    let mut names = rule_names();
    names.extend(groups());
    names
}

/// What a rule that ran says besides findings: what a pass rests on, or why it could not judge.
#[derive(Debug, Clone)]
pub struct Note {
    pub code: &'static str,
    pub rule: &'static str,
    pub item: Item,
    pub kind: NoteKind,
    pub text: String,
    /// Where the evidence is written (a record, a file and line); `None` for a tag or a count.
    pub location: Option<Location>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// What the item's pass rests on.
    Evidence,
    /// The rule could not judge; the item is `unknown` for this reason unless a finding fails it.
    Unknown,
}

impl Note {
    pub fn at(&mut self, file: &SourceFile, span: Span) -> &mut Self {
        self.location = Some(Location {
            file: file.clone(),
            span,
        });
        self
    }
}

/// What one rule produced in one run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
}

/// What a rule sees while it runs.
pub struct Ctx<'a> {
    pub facts: &'a Facts,
    rule: &'static Rule,
    params: &'a serde_json::Value,
    findings: Vec<Finding>,
    notes: Vec<Note>,
}

impl<'a> Ctx<'a> {
    pub fn new(facts: &'a Facts, rule: &'static Rule, params: &'a serde_json::Value) -> Self {
        Ctx {
            facts,
            rule,
            params,
            findings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The rule's parameters, merged from every policy layer (validated when loaded).
    pub fn params<P: DeserializeOwned + Default>(&self) -> P {
        serde_json::from_value(self.params.clone()).unwrap_or_default()
    }

    /// Starts a finding; chain `.at(..)`, `.help(..)`, `.label(..)`.
    pub fn report(&mut self, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            code: self.rule.code,
            rule: self.rule.name,
            item: self.rule.item,
            level: self.rule.level,
            message: message.into(),
            help: None,
            location: None,
            labels: Vec::new(),
            waived: None,
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Records what the item's pass rests on (a tag, a record, a file and line); chain `.at(..)`.
    /// `onboard status` shows it when the rule finds nothing.
    pub fn evidence(&mut self, text: impl Into<String>) -> &mut Note {
        self.note(NoteKind::Evidence, text.into())
    }

    /// Says the rule could not judge (a shallow clone, no git): the item is `unknown` with this
    /// reason rather than passed. Chain `.at(..)` when a file holds the cause.
    pub fn unknown(&mut self, reason: impl Into<String>) -> &mut Note {
        self.note(NoteKind::Unknown, reason.into())
    }

    fn note(&mut self, kind: NoteKind, text: String) -> &mut Note {
        self.notes.push(Note {
            code: self.rule.code,
            rule: self.rule.name,
            item: self.rule.item,
            kind,
            text,
            location: None,
        });
        self.notes.last_mut().expect("just pushed")
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    pub fn into_outcome(self) -> Outcome {
        Outcome {
            findings: self.findings,
            notes: self.notes,
        }
    }
}

impl Finding {
    pub fn at(&mut self, file: &SourceFile, span: Span) -> &mut Self {
        self.location = Some(Location {
            file: file.clone(),
            span,
        });
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(
        &mut self,
        file: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Self {
        self.labels.push(Label {
            location: Location {
                file: file.clone(),
                span,
            },
            message: message.into(),
        });
        self
    }
}

/// Runs one rule.
pub fn run(rule: &'static Rule, facts: &Facts, params: &serde_json::Value) -> Outcome {
    let Some(check) = rule.check else {
        return Outcome::default();
    };
    let mut ctx = Ctx::new(facts, rule, params);
    check(&mut ctx);
    ctx.into_outcome()
}
