//! Rules on releases: a release tag, the manifest version against it, tag names the build
//! reads, and the Marketplace's requirements on release history. They ask the `release` fact,
//! and say `unknown` rather than judge when tags and history cannot be read (no git, a shallow
//! clone).

pub mod malformed_version_tag;
pub mod manifest_version_mismatch;
pub mod missing_release_tag;
pub mod plugin_id_changed;
pub mod release_below_one;
pub mod shallow_clone;

use crate::facts::release::{ReleaseFact, VersionTag};
use crate::git;
use crate::rules::Ctx;

/// The release fact when tags and history can be judged; otherwise records why the rule could
/// not judge and returns `None`.
pub fn usable<'a>(ctx: &mut Ctx<'a>) -> Option<&'a ReleaseFact> {
    let fact = ctx.facts.release();
    match fact.usable() {
        Ok(()) => Some(fact),
        Err(reason) => {
            ctx.unknown(reason);
            None
        }
    }
}

/// `release v1.2.3 (commit abc1234, 2026-01-04)`, with where it sits when off the default
/// branch.
pub fn describe(kind: &str, t: &VersionTag) -> String {
    let commit = t
        .oid
        .map(git::short)
        .unwrap_or_else(|| crate::workspace::names::short_id(&t.commit).to_string());
    let mut s = format!("{kind} {} (commit {commit}, {})", t.name, t.date);
    if !t.on_default_branch {
        s.push_str(", off the default branch");
    }
    s
}
