//! Where the repository came from with respect to the template: a clone sharing its history,
//! a copy of one of its trees as the first commit, a partial copy, or independent.

use crate::git::{hex, utc_date as date};
use crate::template::index::TemplateIndex;
use crate::workspace::Workspace;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OriginFact {
    /// `clone` (the history holds template commits), `template-copy` (a root commit's tree is a
    /// template commit's tree), `partial-copy` (a root commit's files are similar to a template
    /// commit's above the threshold), `independent`, or `unknown` (no git history to look at).
    pub kind: &'static str,
    /// The template commit: the newest one in the history for `clone`, the one whose tree was
    /// copied, or the most similar one.
    pub commit: Option<String>,
    /// That commit's date (UTC).
    pub date: Option<String>,
    /// The repository's root commit compared, for copies.
    pub root: Option<String>,
    /// Jaccard similarity of the root commit's (path, blob) set with the nearest template
    /// commit's, when root trees were compared.
    pub similarity: Option<f64>,
    pub detail: String,
}

impl Default for OriginFact {
    fn default() -> Self {
        OriginFact {
            kind: "unknown",
            commit: None,
            date: None,
            root: None,
            similarity: None,
            detail: "not computed".into(),
        }
    }
}

fn unknown(detail: impl Into<String>) -> OriginFact {
    OriginFact {
        detail: detail.into(),
        ..OriginFact::default()
    }
}

pub fn compute(ws: &Workspace, index: &TemplateIndex, threshold: f64) -> OriginFact {
    let Some(repo) = ws.repo() else {
        // Git's own reason when it could not open the repository (damaged data).
        return unknown(match &ws.info().git_unavailable {
            Some(why) => format!("{why}: there is no history to compare with the template"),
            None => "not a git repository: there is no history to compare with the template".into(),
        });
    };
    if ws.info().commit.is_none() {
        return unknown("the repository has no commit yet");
    }
    let by_id: HashMap<[u8; 20], usize> = index
        .commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i))
        .collect();
    let history = match ws.history() {
        Some(Ok(h)) if h.missing.is_empty() => h,
        Some(Ok(_)) => return unknown("the history cannot be read completely"),
        _ => return unknown("cannot walk the history"),
    };
    let mut shared: Option<usize> = None;
    let mut roots: Vec<&crate::git::Commit> = Vec::new();
    for c in &history.commits {
        let raw: [u8; 20] = c.id.as_bytes().try_into().expect("20-byte ids");
        if let Some(&i) = by_id.get(&raw) {
            if shared.is_none_or(|s| index.commits[s].time < index.commits[i].time) {
                shared = Some(i);
            }
            continue;
        }
        if c.parents.is_empty() {
            roots.push(c);
        }
    }
    if let Some(i) = shared {
        let c = &index.commits[i];
        return OriginFact {
            kind: "clone",
            commit: Some(hex(&c.id)),
            date: Some(date(c.time)),
            root: None,
            similarity: None,
            detail: "the history contains commits of the template".into(),
        };
    }
    if ws.info().shallow {
        return unknown("the clone is shallow: its first commits are not there to compare");
    }
    // A root tree that is a template tree: prefer the default branch, then the earliest.
    let by_tree: HashMap<[u8; 20], usize> = {
        let mut m: HashMap<[u8; 20], usize> = HashMap::new();
        for (i, c) in index.commits.iter().enumerate() {
            m.entry(c.tree)
                .and_modify(|j| {
                    if c.mainline && !index.commits[*j].mainline {
                        *j = i;
                    }
                })
                .or_insert(i);
        }
        m
    };
    roots.sort_by_key(|c| (c.time, c.id));
    for r in &roots {
        let tree: [u8; 20] = r.tree.as_bytes().try_into().expect("20-byte ids");
        if let Some(&i) = by_tree.get(&tree) {
            let c = &index.commits[i];
            return OriginFact {
                kind: "template-copy",
                commit: Some(hex(&c.id)),
                date: Some(date(c.time)),
                root: Some(r.id.to_string()),
                similarity: Some(1.0),
                detail: "the first commit's tree is a template commit's tree".into(),
            };
        }
    }
    let mut best: Option<(f64, usize, &crate::git::Commit)> = None;
    for &r in &roots {
        let Some((sim, i)) = nearest_tree(repo, r.tree, index) else {
            continue;
        };
        if best.is_none_or(|(s, _, _)| sim > s) {
            best = Some((sim, i, r));
        }
    }
    let Some((sim, i, r)) = best else {
        return OriginFact {
            kind: "independent",
            detail: "no root commit shares a file with any template commit".into(),
            ..OriginFact::default()
        };
    };
    let c = &index.commits[i];
    let sim = (sim * 1000.0).round() / 1000.0;
    let partial = sim >= threshold;
    OriginFact {
        kind: if partial {
            "partial-copy"
        } else {
            "independent"
        },
        commit: partial.then(|| hex(&c.id)),
        date: partial.then(|| date(c.time)),
        root: Some(r.id.to_string()),
        similarity: Some(sim),
        detail: format!(
            "the first commit's files are {:.0}% similar to the nearest template commit's \
             (threshold {:.0}%)",
            sim * 100.0,
            threshold * 100.0
        ),
    }
}

/// The template commit whose (path, blob) set is most similar (Jaccard) to the root commit's,
/// the newest on a tie; `None` when they share nothing.
fn nearest_tree(
    repo: &git2::Repository,
    tree: git2::Oid,
    index: &TemplateIndex,
) -> Option<(f64, usize)> {
    let starts = index.pair_starts();
    let mut mine: HashSet<u32> = HashSet::new();
    let mut total = 0usize;
    crate::workspace::walk_tree(repo, tree, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            total += 1;
            let path = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
            let id: [u8; 20] = entry.id().as_bytes().try_into().expect("20-byte ids");
            if let (Some(p), Some(b)) = (index.path(&path), index.blob(&id)) {
                if let Some(v) = index.paths[p].versions.iter().position(|v| v.blob == b) {
                    mine.insert(starts[p] + v as u32);
                }
            }
        }
    })
    .ok()?;
    if mine.is_empty() {
        return None;
    }
    let mut best: Option<(f64, usize)> = None;
    for (i, c) in index.commits.iter().enumerate() {
        let common = c.pairs.iter().filter(|p| mine.contains(p)).count();
        let union = total + c.pairs.len() - common;
        let sim = if union == 0 {
            0.0
        } else {
            common as f64 / union as f64
        };
        if best.is_none_or(|(s, _)| sim >= s) {
            best = Some((sim, i));
        }
    }
    best
}
