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
//! ## Working on it
//!
//! `docs/development.md` has the complete checklists for adding a rule (rule file, registry
//! line, shipped policy, fixtures, regenerated docs and schemas) and for adding a fact.

pub mod board;
pub mod cache;
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
pub mod links;
pub mod markdown;
pub mod outcome;
pub mod policy;
pub mod report;
pub mod review;
pub mod rules;
pub mod schemas;
pub mod signing;
pub mod source;
pub mod status;
pub mod suggest;
pub mod template;
pub mod workspace;
pub mod yaml;
