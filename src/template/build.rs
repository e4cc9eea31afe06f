//! `onboard template index`: builds an index from a template repository's whole history.

use super::classes::{Classifier, TemplateSettings};
use super::index::{
    Blob, BlobKind, CommitEntry, Identity, ObjectId, PathEntry, TemplateIndex, Version,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What was read, for the summary on standard error.
#[derive(Debug, Default)]
pub struct Stats {
    pub refs: BTreeMap<String, usize>,
    pub commits: usize,
    /// Blobs over the read cap, not read.
    pub oversized: usize,
}

/// Builds the index of every commit reachable from any ref of `repo` (branches, tags, remote
/// branches, pull-request refs, `HEAD`).
pub fn build(
    repo: &git2::Repository,
    name: &str,
    identity_files: &[String],
    hash_all: bool,
    max_blob: u64,
) -> Result<(TemplateIndex, Stats), String> {
    let git = |e: git2::Error| e.message().to_string();
    let mut stats = Stats::default();
    let mut walk = repo.revwalk().map_err(git)?;
    for reference in repo.references().map_err(git)? {
        let Ok(reference) = reference else { continue };
        let Ok(commit) = reference.peel_to_commit() else {
            continue;
        };
        let namespace = reference
            .name()
            .and_then(|n| n.strip_prefix("refs/"))
            .and_then(|n| n.split('/').next())
            .unwrap_or("other")
            .to_string();
        *stats.refs.entry(namespace).or_default() += 1;
        walk.push(commit.id()).map_err(git)?;
    }
    let head = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    if let Some(h) = &head {
        walk.push(h.id()).map_err(git)?;
    }
    let mut mainline: HashSet<git2::Oid> = HashSet::new();
    if let Some(h) = &head {
        let mut w = repo.revwalk().map_err(git)?;
        w.push(h.id()).map_err(git)?;
        for id in w {
            mainline.insert(id.map_err(git)?);
        }
    }

    let mut trees: HashMap<git2::Oid, Vec<(String, git2::Oid)>> = HashMap::new();
    // path -> blob -> (first seen, on the default branch)
    let mut seen: BTreeMap<String, BTreeMap<ObjectId, (i64, bool)>> = BTreeMap::new();
    let mut commits: Vec<(CommitEntry, git2::Oid)> = Vec::new();
    for id in walk {
        let id = id.map_err(git)?;
        let commit = repo.find_commit(id).map_err(git)?;
        let tree_id = commit.tree_id();
        if let std::collections::hash_map::Entry::Vacant(e) = trees.entry(tree_id) {
            e.insert(list_tree(repo, tree_id)?);
        }
        let time = commit.time().seconds();
        let on_main = mainline.contains(&id);
        for (path, blob) in &trees[&tree_id] {
            let e = seen
                .entry(path.clone())
                .or_default()
                .entry(raw(*blob))
                .or_insert((time, on_main));
            e.0 = e.0.min(time);
            e.1 |= on_main;
        }
        commits.push((
            CommitEntry {
                id: raw(id),
                tree: raw(tree_id),
                time,
                root: commit.parent_count() == 0,
                mainline: on_main,
                pairs: Vec::new(),
            },
            tree_id,
        ));
    }
    stats.commits = commits.len();

    // Blobs: which need their lines hashed (any path outside the excluded classes).
    let classifier = Classifier::new(&TemplateSettings::default())?;
    let mut hashed: BTreeMap<ObjectId, bool> = BTreeMap::new();
    for (path, blobs) in &seen {
        let excluded = !hash_all && classifier.by_name(path).is_some();
        for id in blobs.keys() {
            *hashed.entry(*id).or_default() |= !excluded;
        }
    }
    let mut all_hashes: BTreeSet<u64> = BTreeSet::new();
    let mut contents: Vec<Read> = Vec::new();
    let odb = repo.odb().map_err(git)?;
    for (id, hash_it) in &hashed {
        let oid = git2::Oid::from_bytes(id).map_err(git)?;
        // The size from the object's header: a blob over the cap is never inflated.
        let (size, _) = odb.read_header(oid).map_err(git)?;
        if size as u64 > max_blob {
            stats.oversized += 1;
            contents.push((*id, BlobKind::Unhashed, 0, Vec::new()));
            continue;
        }
        let blob = repo.find_blob(oid).map_err(git)?;
        let bytes = blob.content();
        let (kind, lines, multiset) = if super::looks_binary(bytes) {
            (BlobKind::Binary, 0, Vec::new())
        } else if *hash_it {
            let m = super::multiset(&super::line_hashes(bytes));
            all_hashes.extend(m.iter().map(|(h, _)| *h));
            (BlobKind::Text, super::line_count(bytes) as u32, m)
        } else {
            (
                BlobKind::Unhashed,
                super::line_count(bytes) as u32,
                Vec::new(),
            )
        };
        contents.push((*id, kind, lines, multiset));
    }
    let hashes: Vec<u64> = all_hashes.into_iter().collect();
    let blobs: Vec<Blob> = contents
        .into_iter()
        .map(|(id, kind, lines, m)| Blob {
            id,
            kind,
            lines,
            multiset: m
                .into_iter()
                .map(|(h, n)| (hashes.binary_search(&h).expect("collected") as u32, n))
                .collect(),
        })
        .collect();
    let blob_pos =
        |id: &ObjectId| blobs.binary_search_by(|b| b.id.cmp(id)).expect("indexed") as u32;

    let mut paths = Vec::new();
    let mut pair_no: HashMap<(String, ObjectId), u32> = HashMap::new();
    for (path, versions) in &seen {
        let mut versions: Vec<(ObjectId, i64, bool)> =
            versions.iter().map(|(b, (t, m))| (*b, *t, *m)).collect();
        versions.sort_by_key(|(b, t, _)| (*t, *b));
        for (b, _, _) in &versions {
            pair_no.insert((path.clone(), *b), pair_no.len() as u32);
        }
        paths.push(PathEntry {
            path: path.clone(),
            versions: versions
                .iter()
                .map(|(b, t, m)| Version {
                    blob: blob_pos(b),
                    first_seen: *t,
                    mainline: *m,
                })
                .collect(),
        });
    }
    commits.sort_by_key(|c| (c.0.time, c.0.id));
    let commits: Vec<CommitEntry> = commits
        .into_iter()
        .map(|(mut c, tree)| {
            let mut pairs: Vec<u32> = trees[&tree]
                .iter()
                .map(|(p, b)| pair_no[&(p.clone(), raw(*b))])
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            c.pairs = pairs;
            c
        })
        .collect();
    let head_pos = head.as_ref().and_then(|h| {
        let id = raw(h.id());
        commits.iter().position(|c| c.id == id).map(|p| p as u32)
    });

    let identity = identity(repo, &seen, identity_files)?;
    let index = TemplateIndex {
        name: name.to_string(),
        hashes,
        blobs,
        paths,
        commits,
        head: head_pos,
        identity,
    };
    Ok((index, stats))
}

/// A blob as read: id, kind, line count, line multiset by hash.
type Read = (ObjectId, BlobKind, u32, Vec<(u64, u32)>);

fn raw(id: git2::Oid) -> ObjectId {
    id.as_bytes().try_into().expect("20-byte object ids")
}

/// Every blob (files and symbolic links, not submodules) of a tree.
fn list_tree(repo: &git2::Repository, id: git2::Oid) -> Result<Vec<(String, git2::Oid)>, String> {
    let tree = repo.find_tree(id).map_err(|e| e.message().to_string())?;
    let mut out = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let name = String::from_utf8_lossy(entry.name_bytes());
            out.push((format!("{dir}{name}"), entry.id()));
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(|e| e.message().to_string())?;
    Ok(out)
}

const MANIFEST_KEYS: [&str; 6] = [
    "id",
    "name",
    "description",
    "homepage_url",
    "support_url",
    "icon_path",
];

fn identity(
    repo: &git2::Repository,
    seen: &BTreeMap<String, BTreeMap<ObjectId, (i64, bool)>>,
    extra: &[String],
) -> Result<Identity, String> {
    let read = |id: &ObjectId| -> Option<Vec<u8>> {
        let oid = git2::Oid::from_bytes(id).ok()?;
        Some(repo.find_blob(oid).ok()?.content().to_vec())
    };
    let mut manifest: BTreeSet<(String, String)> = BTreeSet::new();
    for id in seen
        .get("plugin.json")
        .map(|m| m.keys())
        .into_iter()
        .flatten()
    {
        let Some(bytes) = read(id) else { continue };
        let Ok(serde_json::Value::Object(doc)) = serde_json::from_slice(&bytes) else {
            continue;
        };
        for key in MANIFEST_KEYS {
            if let Some(v) = doc.get(key).and_then(|v| v.as_str()) {
                if !v.trim().is_empty() {
                    manifest.insert((key.to_string(), v.to_string()));
                }
            }
        }
    }
    let mut modules: BTreeSet<String> = BTreeSet::new();
    for id in seen.get("go.mod").map(|m| m.keys()).into_iter().flatten() {
        let Some(bytes) = read(id) else { continue };
        if let Some(m) = crate::template::go_module(&String::from_utf8_lossy(&bytes)) {
            modules.insert(m.0.to_string());
        }
    }
    let mut files: BTreeSet<String> = extra.iter().cloned().collect();
    for path in seen.keys() {
        if !path.contains('/') && crate::workspace::names::is_readme_name(path) {
            files.insert(path.clone());
        }
    }
    for (k, v) in &manifest {
        if k == "icon_path" && seen.contains_key(v) {
            files.insert(v.clone());
        }
    }
    for f in extra {
        if !seen.contains_key(f) {
            return Err(format!(
                "--identity-file `{f}` is not a path of the template"
            ));
        }
    }
    Ok(Identity {
        manifest: manifest.into_iter().collect(),
        modules: modules.into_iter().collect(),
        files: files.into_iter().collect(),
    })
}
