//! Each record's signature, checked in-process: a record's `signature:` over its payload
//! (namespace `onboard-record`), a trailer's commit over the commit as git signed it (namespace
//! `git`), each with the key the signature carries. Which committer that key belongs to is read
//! from the policy's `committers:`; whether that is enough is for the rules.
//!
//! When a record's signature does not match its payload, the payload is tried with the plugin
//! id of the record's commit's manifest, then with the other commits of the history (within
//! [`SEARCH_BUDGET`] checks a run): a signature moved from another commit or plugin is named
//! as such, anything else is a field changed after signing.

use super::{Record, RecordSource};
use crate::git::History;
use crate::policy::committers;
use crate::policy::settings::Settings;
use crate::signing::{self, Failure, Fields};
use git2::{Oid, Repository};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;

/// Most signature checks a run spends looking for the commit a moved signature was made for.
pub const SEARCH_BUDGET: usize = 10_000;

crate::finding::string_enum! {
    /// What a signature check found.
    SignatureState {
        /// It verifies over this record's payload (a trailer: over its commit).
        Valid = "valid",
        /// It does not verify: a field was changed after signing, or it was made over
        /// something else.
        Mismatch = "mismatch",
        /// It verifies over this record's payload at another commit (`detail`).
        OtherCommit = "other-commit",
        /// It verifies over this record's payload for another plugin id (`detail`).
        OtherPlugin = "other-plugin",
        /// It cannot be read, was made for another namespace, or with a key type onboard does
        /// not verify (`detail` says which).
        Unreadable = "unreadable",
        /// There is nothing to check it against: the record's commit cannot be resolved, or
        /// the manifest names no plugin id (`detail`).
        Unbound = "unbound",
    }
}

/// A record's signature as checked.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SignatureCheck {
    pub state: SignatureState,
    /// The signing key's type (`ED25519`, `ECDSA`, `RSA`), when the signature can be read.
    pub algorithm: Option<String>,
    /// The signing key's `SHA256:…` fingerprint, when the signature can be read.
    pub fingerprint: Option<String>,
    /// The policy's committer whose listed key it is, if any.
    pub key_of: Option<String>,
    /// The commit or plugin id it was made for, or why it cannot be checked.
    pub detail: Option<String>,
}

impl SignatureCheck {
    fn new(state: SignatureState, signer: Option<&signing::Signer>) -> SignatureCheck {
        SignatureCheck {
            state,
            algorithm: signer.map(|s| s.algorithm.clone()),
            fingerprint: signer.map(|s| s.fingerprint.clone()),
            key_of: None,
            detail: None,
        }
    }

    fn with_detail(mut self, detail: impl Into<String>) -> SignatureCheck {
        self.detail = Some(detail.into());
        self
    }
}

/// The payload fields of a record (its `commit` as written is replaced by the full id).
pub fn fields(r: &Record) -> Fields {
    Fields {
        kind: r.kind.as_str().to_string(),
        review: r.review.map(|k| k.as_str().to_string()),
        focus: r.focus.clone(),
        release: r.release.clone(),
        environment: r.environment.clone(),
        notes: r.notes.clone(),
        communication: r.communication.clone(),
        by: r.by.clone(),
        date: r.date.map(|d| d.to_string()).unwrap_or_default(),
    }
}

/// What every check needs.
pub struct Context<'a> {
    pub repo: Option<&'a Repository>,
    /// The plugin folder's path in the repository (see `Workspace::prefix`).
    pub prefix: &'a str,
    pub plugin: Option<&'a str>,
    pub history: Option<&'a History>,
    pub settings: &'a Settings,
}

/// Checks the signature of every record that has one, and names the policy's committers each
/// record's `by` matches.
pub fn check(records: &mut [Record], cx: &Context<'_>) {
    let mut budget = SEARCH_BUDGET;
    let mut commits: HashMap<Oid, Option<SignatureCheck>> = HashMap::new();
    for r in records.iter_mut() {
        r.committers = committers::named(&cx.settings.committers, &r.by)
            .map(|c| c.name.clone())
            .collect();
        let mut check = match (&r.source, &r.armored) {
            (RecordSource::Onboarding { .. }, Some(armored)) => {
                Some(check_record(r, armored, cx, &mut budget))
            }
            (RecordSource::Trailer { commit, .. }, _) => {
                match (cx.repo, Oid::from_str(commit).ok()) {
                    (Some(repo), Some(id)) => commits
                        .entry(id)
                        .or_insert_with(|| check_commit(repo, id))
                        .clone(),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(c) = &mut check {
            c.key_of = c.fingerprint.as_deref().and_then(|f| {
                cx.settings
                    .committers
                    .iter()
                    .find(|k| k.has_key(f))
                    .map(|k| k.name.clone())
            });
        }
        r.signature = check;
    }
}

fn check_record(r: &Record, armored: &str, cx: &Context<'_>, budget: &mut usize) -> SignatureCheck {
    let sig = match signing::parse(armored) {
        Ok(s) => s,
        Err(e) => {
            return SignatureCheck::new(SignatureState::Unreadable, None)
                .with_detail(format!("the signature {e}"))
        }
    };
    let signer = signing::Signer::of(sig.public_key());
    let found = |state| SignatureCheck::new(state, Some(&signer));
    let Some(commit) = r.resolved.as_deref() else {
        return found(SignatureState::Unbound).with_detail(
            "the record's commit cannot be resolved, and a signature covers the full commit id",
        );
    };
    let Some(plugin) = cx.plugin else {
        return found(SignatureState::Unbound)
            .with_detail("the manifest names no plugin id, and a signature covers it");
    };
    let fields = fields(r);
    let verify = |plugin: &str, commit: &str| {
        let payload = signing::payload(plugin, commit, &fields);
        signing::verify(&sig, signing::NAMESPACE, payload.as_bytes())
    };
    match verify(plugin, commit) {
        Ok(_) => return found(SignatureState::Valid),
        Err(Failure::Mismatch) => {}
        Err(f) => return found(SignatureState::Unreadable).with_detail(f.to_string()),
    }
    // Made for another plugin: a fork that renamed the plugin keeps the records of the
    // plugin it forked, at commits whose manifest still names the original id.
    let id = Oid::from_str(commit).ok();
    if let (Some(repo), Some(id)) = (cx.repo, id) {
        if let Some(other) = crate::facts::release::plugin_id_at(repo, cx.prefix, id) {
            if other != plugin && verify(&other, commit).is_ok() {
                return found(SignatureState::OtherPlugin).with_detail(other);
            }
        }
    }
    // Moved from another commit of the history.
    if let Some(h) = cx.history {
        for c in &h.commits {
            if *budget == 0 {
                break;
            }
            *budget -= 1;
            let other = c.id.to_string();
            if other != commit && verify(plugin, &other).is_ok() {
                return found(SignatureState::OtherCommit).with_detail(other);
            }
        }
    }
    found(SignatureState::Mismatch)
}

fn check_commit(repo: &Repository, id: Oid) -> Option<SignatureCheck> {
    let (sig, data) = signing::commit_signature(repo, id)?;
    if !sig.trim_start().starts_with(signing::ARMOR_BEGIN) {
        return Some(
            SignatureCheck::new(SignatureState::Unreadable, None)
                .with_detail("the commit is signed with OpenPGP or X.509, not SSH"),
        );
    }
    let sig = match signing::parse(&sig) {
        Ok(s) => s,
        Err(e) => {
            return Some(
                SignatureCheck::new(SignatureState::Unreadable, None)
                    .with_detail(format!("the commit's signature {e}")),
            )
        }
    };
    let signer = signing::Signer::of(sig.public_key());
    let check = match signing::verify(&sig, signing::GIT_NAMESPACE, &data) {
        Ok(_) => SignatureCheck::new(SignatureState::Valid, Some(&signer)),
        Err(Failure::Mismatch) => SignatureCheck::new(SignatureState::Mismatch, Some(&signer)),
        Err(f) => SignatureCheck::new(SignatureState::Unreadable, Some(&signer))
            .with_detail(f.to_string()),
    };
    Some(check)
}
