//! # onboard
//!
//! A linter for the Mattermost plugin onboarding checklist. It reads a plugin repository (the
//! working tree or any git revision), its `.onboarding.yml` and policies kept as YAML files, and
//! reports which gate the plugin has reached and what is missing.
//!
//! ## Flow
//!
//! ```text
//! cli ──> Workspace ──> Facts (lazy, each computed once) ──> Rules (pure) ──> Findings ──> Report ──> exit code
//!              │                                            ^
//!              └── worktree or git revision           Policy (YAML: levels, params, waivers)
//! ```
//!
//! - [`workspace`] hides where bytes come from; reads never leave the repository root.
//! - [`facts`] know things and judge nothing; each is computed at most once, on demand.
//! - [`rules`] are pure functions of facts and parameters.
//! - [`policy`] decides which rules run, at which level, with which parameters.
//! - [`report`] is the only place that renders.
//! - [`template`] finds starter-template boilerplate by content (an index of every template
//!   version); `onboard review-diff` is the one command that writes to a repository (objects
//!   and one branch ref, only when asked with `--branch`).
//!
//! ## Adding a rule
//!
//! 1. Create `src/rules/<group>/<rule_name>.rs` with a `pub static RULE: Rule`: a code (`OB` and
//!    three digits; the hundreds name the group: 0 config, 1 manifest, 2 repository, 3 licence,
//!    4 template, 5 release, 6 ci, 7 docs, 8 records), a kebab-case
//!    name saying what is flagged, the checklist item, a parameter type, docs under the five
//!    headings of [`rules::DOC_HEADINGS`], and the check.
//! 2. Add it to [`rules::REGISTRY`], and to a shipped policy in `policies/` if a gate needs it at
//!    another level than its default.
//! 3. Add a failing and a passing fixture under `tests/fixtures/`; the registry test insists.
//! 4. Run `cargo run -- rules --format markdown` and regenerate `schemas/` (the tests say how).

pub mod cli;
pub mod commands;
pub mod engine;
pub mod facts;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub mod git;
pub mod init;
pub mod licence;
pub mod markdown;
pub mod outcome;
pub mod policy;
pub mod report;
pub mod review;
pub mod rules;
pub mod schemas;
pub mod source;
pub mod status;
pub mod suggest;
pub mod template;
pub mod workspace;
pub mod yaml;
