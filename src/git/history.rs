//! The linted revision's history, read once: every commit reachable from it with its tree,
//! parents, committer time and message. Release reachability, trailer records and the template
//! origin all ask this instead of walking the history each on their own.
//!
//! Commits are read straight from the object database and parsed here, one inflate per commit
//! (a `Revwalk` followed by `find_commit` inflates each commit twice). In a shallow clone the
//! walk stops at the commits listed in `.git/shallow`, as git's own walks do.

use crate::cache::Reader;
use git2::{Oid, Repository};
use std::collections::{HashMap, HashSet};

/// Messages kept at most: a history longer than this still has every commit's id, tree and
/// parents, but only the newest commits' messages (trailers older than that are not read).
pub const MESSAGE_LIMIT: usize = 50_000;

/// One commit of the history.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: Oid,
    pub tree: Oid,
    pub parents: Vec<Oid>,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    /// The message; empty past [`MESSAGE_LIMIT`] commits.
    pub message: String,
}

/// Every commit reachable from one tip, newest first (by committer time, then id).
#[derive(Debug, Default)]
pub struct History {
    pub commits: Vec<Commit>,
    index: HashMap<Oid, usize>,
    /// Commits named as parents that could not be read (objects missing or corrupt), apart from
    /// the parents beyond a shallow clone's boundary.
    pub missing: Vec<Oid>,
}

impl History {
    /// Walks the history of `tip`.
    pub fn walk(repo: &Repository, tip: Oid) -> Result<History, String> {
        let odb = repo
            .odb()
            .map_err(|e| format!("cannot read objects: {}", e.message()))?;
        let boundary = shallow_boundary(repo);
        let mut seen: HashSet<Oid> = HashSet::from([tip]);
        let mut todo = vec![tip];
        let mut commits = Vec::new();
        let mut missing = Vec::new();
        while let Some(id) = todo.pop() {
            let parsed = odb
                .read(id)
                .ok()
                .filter(|o| o.kind() == git2::ObjectType::Commit)
                .and_then(|o| parse(id, o.data()));
            let Some(commit) = parsed else {
                if id == tip {
                    return Err(format!("cannot read commit {id}"));
                }
                missing.push(id);
                continue;
            };
            if !boundary.contains(&id) {
                for p in &commit.parents {
                    if seen.insert(*p) {
                        todo.push(*p);
                    }
                }
            }
            commits.push(commit);
        }
        commits.sort_by(|a, b| b.time.cmp(&a.time).then(a.id.cmp(&b.id)));
        for c in commits.iter_mut().skip(MESSAGE_LIMIT) {
            c.message = String::new();
        }
        let index = commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        missing.sort();
        Ok(History {
            commits,
            index,
            missing,
        })
    }

    /// Walks the history of `tip`, or reads it from `cache` when an earlier run walked it.
    ///
    /// A commit id names its whole history (every ancestor's id is in its bytes), so the walk
    /// is a function of the tip alone, apart from what the repository holds of it: the shallow
    /// boundary (in the key) and objects that cannot be read (a walk that met any is not
    /// kept: a later fetch may bring them).
    pub fn walk_cached(
        repo: &Repository,
        tip: Oid,
        cache: Option<&crate::cache::Cache>,
    ) -> Result<History, String> {
        let Some(cache) = cache else {
            return History::walk(repo, tip);
        };
        let mut boundary: Vec<Oid> = shallow_boundary(repo).into_iter().collect();
        boundary.sort();
        let mut parts: Vec<&[u8]> = vec![b"history", tip.as_bytes()];
        let limit = (MESSAGE_LIMIT as u64).to_le_bytes();
        parts.push(&limit);
        parts.extend(boundary.iter().map(Oid::as_bytes));
        let key = crate::cache::key(&parts);
        if let Some(h) = cache
            .get(CACHE_KIND, &key)
            .and_then(|bytes| decode(&bytes))
            .filter(|h| h.contains(tip))
        {
            return Ok(h);
        }
        let h = History::walk(repo, tip)?;
        if h.missing.is_empty() {
            cache.put(CACHE_KIND, &key, &encode(&h));
        }
        Ok(h)
    }

    pub fn contains(&self, id: Oid) -> bool {
        self.index.contains_key(&id)
    }

    /// A commit of the history.
    pub fn get(&self, id: Oid) -> Option<&Commit> {
        self.index.get(&id).map(|&i| &self.commits[i])
    }

    /// A commit's committer time, when it is in the history.
    pub fn time_of(&self, id: Oid) -> Option<i64> {
        self.get(id).map(|c| c.time)
    }
}

/// The cache entry kind of a walked history.
const CACHE_KIND: &str = "history";

/// `[count u32]` then per commit `[id 20][tree 20][time i64][parents u32][parent 20]…
/// [message length u32][message]`, all little-endian, in the history's order.
fn encode(h: &History) -> Vec<u8> {
    let mut out = Vec::with_capacity(h.commits.len() * 100);
    out.extend_from_slice(&(h.commits.len() as u32).to_le_bytes());
    for c in &h.commits {
        out.extend_from_slice(c.id.as_bytes());
        out.extend_from_slice(c.tree.as_bytes());
        out.extend_from_slice(&c.time.to_le_bytes());
        out.extend_from_slice(&(c.parents.len() as u32).to_le_bytes());
        for p in &c.parents {
            out.extend_from_slice(p.as_bytes());
        }
        out.extend_from_slice(&(c.message.len() as u32).to_le_bytes());
        out.extend_from_slice(c.message.as_bytes());
    }
    out
}

/// The history [`encode`] wrote; `None` for anything else.
fn decode(bytes: &[u8]) -> Option<History> {
    let mut r = Reader::new(bytes);
    let count = r.u32()? as usize;
    // Every commit takes at least 52 bytes: a count beyond that is not ours.
    if count > bytes.len() / 52 {
        return None;
    }
    let mut commits = Vec::with_capacity(count);
    for _ in 0..count {
        let id = read_oid(&mut r)?;
        let tree = read_oid(&mut r)?;
        let time = r.i64()?;
        let n = r.u32()? as usize;
        if n > r.remaining() / 20 {
            return None;
        }
        let parents = (0..n)
            .map(|_| read_oid(&mut r))
            .collect::<Option<Vec<_>>>()?;
        let len = r.u32()? as usize;
        let message = std::str::from_utf8(r.take(len)?).ok()?.to_string();
        commits.push(Commit {
            id,
            tree,
            parents,
            time,
            message,
        });
    }
    if r.remaining() > 0 {
        return None;
    }
    let index = commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    Some(History {
        commits,
        index,
        missing: Vec::new(),
    })
}

/// An object id of 20 bytes.
fn read_oid(r: &mut Reader<'_>) -> Option<Oid> {
    Oid::from_bytes(r.take(20)?).ok()
}

/// The commits `.git/shallow` lists: their parents are not in the repository.
fn shallow_boundary(repo: &Repository) -> HashSet<Oid> {
    if !repo.is_shallow() {
        return HashSet::new();
    }
    std::fs::read_to_string(repo.path().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}

/// Parses a raw commit object: `tree`, `parent` and `committer` headers, then the message
/// after the first empty line. Other headers (author, gpgsig and its continuation lines,
/// mergetag, encoding) are skipped.
fn parse(id: Oid, data: &[u8]) -> Option<Commit> {
    let (head, message) = match find(data, b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &[][..]),
    };
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in head.split(|&b| b == b'\n') {
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = oid(hex);
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(oid(hex)?);
        } else if let Some(sig) = line.strip_prefix(b"committer ") {
            time = signature_time(sig).unwrap_or(0);
        }
    }
    Some(Commit {
        id,
        tree: tree?,
        parents,
        time,
        message: String::from_utf8_lossy(message).into_owned(),
    })
}

fn oid(hex: &[u8]) -> Option<Oid> {
    std::str::from_utf8(hex)
        .ok()
        .and_then(|s| Oid::from_str(s.trim()).ok())
}

/// `Name <email> 1700000000 +0100` → 1700000000.
fn signature_time(sig: &[u8]) -> Option<i64> {
    let after = &sig[sig.iter().rposition(|&b| b == b'>')? + 1..];
    let text = std::str::from_utf8(after).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_commits_parse() {
        let id = Oid::zero();
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
parent 1111111111111111111111111111111111111111\n\
parent 2222222222222222222222222222222222222222\n\
author A U Thor <a@example.com> 1600000000 +0000\n\
committer C O Mitter <c@example.com> 1700000000 -0100\n\
gpgsig -----BEGIN PGP SIGNATURE-----\n \n tree 3333333333333333333333333333333333333333\n -----END PGP SIGNATURE-----\n\
\n\
Subject\n\nReviewed-by: alice\n";
        let c = parse(id, raw).unwrap();
        assert_eq!(
            c.tree.to_string(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
        assert_eq!(c.parents.len(), 2);
        assert_eq!(c.time, 1_700_000_000);
        assert_eq!(c.message, "Subject\n\nReviewed-by: alice\n");
    }

    #[test]
    fn a_commit_without_a_tree_is_not_a_commit() {
        assert!(parse(
            Oid::zero(),
            b"parent 1111111111111111111111111111111111111111\n\nx"
        )
        .is_none());
        assert!(parse(Oid::zero(), b"").is_none());
    }
}
