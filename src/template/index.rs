//! The template index: its data and its file format.
//!
//! The file is a header line, `onboard template index v1\n`, then binary sections. Integers
//! are unsigned LEB128 (signed ones zigzag-encoded first), strings are a length and UTF-8
//! bytes, object ids are 20 raw bytes. Everything is sorted, so the same template history
//! always gives the same bytes.
//!
//! 1. `name`.
//! 2. Line hashes: a count, then each distinct normalised-line hash (FNV-1a, 64 bits) as 8
//!    little-endian bytes, ascending. Blobs refer to them by position, so a line shared by many
//!    versions is stored once.
//! 3. Blobs, by id: id, kind (0 text, 1 binary, 2 text without line hashes), line count, then
//!    for text: the number of distinct lines and, for each, the gap to the previous hash
//!    position times two, plus one when the line occurs more than once, followed then by
//!    its number of occurrences minus two.
//! 4. Paths, ascending, each with its versions: blob position, first commit time, and whether
//!    that version was ever on the default branch. A (path, version) pair is numbered in this
//!    order: these numbers describe trees.
//! 5. Commits, by time then id: id, tree id, time, flags (1 root, 2 on the default branch),
//!    then its (path, version) set as a change from the previous commit's: removed numbers and
//!    added numbers, each as a count and gaps.
//! 6. The position of the default branch's head commit plus one (0: none).
//! 7. Identity: manifest values (key, value) pairs, Go module paths, identity file paths.

use std::collections::BTreeMap;

pub const HEADER: &[u8] = b"onboard template index v1\n";

pub type ObjectId = [u8; 20];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobKind {
    Text,
    Binary,
    /// Text whose lines were not hashed (lockfiles and other excluded classes).
    Unhashed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    pub id: ObjectId,
    pub kind: BlobKind,
    pub lines: u32,
    /// `(hash position, occurrences)`, by position.
    pub multiset: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Position in [`TemplateIndex::blobs`].
    pub blob: u32,
    /// Time of the first commit (any ref) whose tree has this version, seconds since the epoch.
    pub first_seen: i64,
    /// Whether a commit of the default branch has it.
    pub mainline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathEntry {
    pub path: String,
    /// By first appearance.
    pub versions: Vec<Version>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitEntry {
    pub id: ObjectId,
    pub tree: ObjectId,
    pub time: i64,
    pub root: bool,
    pub mainline: bool,
    /// Sorted (path, version) pair numbers of its tree.
    pub pairs: Vec<u32>,
}

/// The template's identity: what a plugin that was not customised still carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// Manifest values ever seen: `(key, value)`, for `id`, `name`, `description`,
    /// `homepage_url`, `support_url`, `icon_path`.
    pub manifest: Vec<(String, String)>,
    /// Go module paths ever declared in `go.mod`.
    pub modules: Vec<String>,
    /// Paths whose template versions are the template's own (README, icon, examples).
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateIndex {
    pub name: String,
    pub hashes: Vec<u64>,
    pub blobs: Vec<Blob>,
    pub paths: Vec<PathEntry>,
    pub commits: Vec<CommitEntry>,
    pub head: Option<u32>,
    pub identity: Identity,
}

impl TemplateIndex {
    /// The position of a blob id.
    pub fn blob(&self, id: &ObjectId) -> Option<u32> {
        self.blobs
            .binary_search_by(|b| b.id.cmp(id))
            .ok()
            .map(|i| i as u32)
    }

    /// The position of a path.
    pub fn path(&self, path: &str) -> Option<usize> {
        self.paths
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .ok()
    }

    /// The position of a line hash.
    pub fn hash(&self, h: u64) -> Option<u32> {
        self.hashes.binary_search(&h).ok().map(|i| i as u32)
    }

    /// (path position, version position) of every pair number.
    pub fn pair_table(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (p, entry) in self.paths.iter().enumerate() {
            for v in 0..entry.versions.len() {
                out.push((p as u32, v as u32));
            }
        }
        out
    }

    /// The number of the first pair of each path.
    pub fn pair_starts(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.paths.len());
        let mut n = 0u32;
        for entry in &self.paths {
            out.push(n);
            n += entry.versions.len() as u32;
        }
        out
    }

    /// Every path each blob is found at.
    pub fn paths_of_blobs(&self) -> BTreeMap<u32, Vec<usize>> {
        let mut out: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (p, entry) in self.paths.iter().enumerate() {
            for v in &entry.versions {
                out.entry(v.blob).or_default().push(p);
            }
        }
        out
    }

    pub fn head_commit(&self) -> Option<&CommitEntry> {
        self.head.and_then(|h| self.commits.get(h as usize))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(HEADER.to_vec());
        w.string(&self.name);
        w.uint(self.hashes.len() as u64);
        for h in &self.hashes {
            w.0.extend_from_slice(&h.to_le_bytes());
        }
        w.uint(self.blobs.len() as u64);
        for b in &self.blobs {
            w.0.extend_from_slice(&b.id);
            w.uint(match b.kind {
                BlobKind::Text => 0,
                BlobKind::Binary => 1,
                BlobKind::Unhashed => 2,
            });
            w.uint(b.lines as u64);
            if b.kind == BlobKind::Text {
                w.uint(b.multiset.len() as u64);
                let mut prev = 0u32;
                for &(pos, n) in &b.multiset {
                    // The gap, shifted, with the low bit set when the line repeats.
                    w.uint(((pos - prev) as u64) << 1 | (n > 1) as u64);
                    if n > 1 {
                        w.uint(n as u64 - 2);
                    }
                    prev = pos;
                }
            }
        }
        w.uint(self.paths.len() as u64);
        for p in &self.paths {
            w.string(&p.path);
            w.uint(p.versions.len() as u64);
            for v in &p.versions {
                w.uint(v.blob as u64);
                w.int(v.first_seen);
                w.uint(v.mainline as u64);
            }
        }
        w.uint(self.commits.len() as u64);
        let mut prev: &[u32] = &[];
        for c in &self.commits {
            w.0.extend_from_slice(&c.id);
            w.0.extend_from_slice(&c.tree);
            w.int(c.time);
            w.uint(c.root as u64 | (c.mainline as u64) << 1);
            let (removed, added) = set_delta(prev, &c.pairs);
            w.gaps(&removed);
            w.gaps(&added);
            prev = &c.pairs;
        }
        w.uint(self.head.map_or(0, |h| h as u64 + 1));
        w.uint(self.identity.manifest.len() as u64);
        for (k, v) in &self.identity.manifest {
            w.string(k);
            w.string(v);
        }
        w.strings(&self.identity.modules);
        w.strings(&self.identity.files);
        w.0
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<TemplateIndex, String> {
        let rest = bytes.strip_prefix(HEADER).ok_or_else(|| {
            "not an onboard template index (it does not start with `onboard template index v1`)"
                .to_string()
        })?;
        let mut r = Reader { bytes: rest, at: 0 };
        let mut index = TemplateIndex {
            name: r.string()?,
            ..TemplateIndex::default()
        };
        let n = r.count(8)?;
        for _ in 0..n {
            let raw = r.take(8)?;
            index
                .hashes
                .push(u64::from_le_bytes(raw.try_into().expect("8 bytes")));
        }
        let n = r.count(22)?;
        for _ in 0..n {
            let id = r.id()?;
            let kind = match r.uint()? {
                0 => BlobKind::Text,
                1 => BlobKind::Binary,
                2 => BlobKind::Unhashed,
                k => return Err(format!("unknown blob kind {k}")),
            };
            let lines = r.u32()?;
            let mut multiset = Vec::new();
            if kind == BlobKind::Text {
                let m = r.count(2)?;
                let mut pos = 0u32;
                for _ in 0..m {
                    let v = r.uint()?;
                    pos = u32::try_from(v >> 1)
                        .ok()
                        .and_then(|gap| pos.checked_add(gap))
                        .filter(|p| (*p as usize) < index.hashes.len())
                        .ok_or("a line hash position is out of range")?;
                    let n = match v & 1 {
                        0 => 1,
                        _ => r.u32()?.checked_add(2).ok_or("a line count is too large")?,
                    };
                    multiset.push((pos, n));
                }
            }
            index.blobs.push(Blob {
                id,
                kind,
                lines,
                multiset,
            });
        }
        let n = r.count(2)?;
        let mut pairs_total = 0usize;
        for _ in 0..n {
            let path = r.string()?;
            let m = r.count(3)?;
            let mut versions = Vec::with_capacity(m);
            for _ in 0..m {
                let blob = r.u32()?;
                if blob as usize >= index.blobs.len() {
                    return Err(format!("`{path}`: blob position out of range"));
                }
                versions.push(Version {
                    blob,
                    first_seen: r.int()?,
                    mainline: r.uint()? != 0,
                });
            }
            pairs_total += m;
            index.paths.push(PathEntry { path, versions });
        }
        let n = r.count(43)?;
        let mut prev: Vec<u32> = Vec::new();
        for _ in 0..n {
            let id = r.id()?;
            let tree = r.id()?;
            let time = r.int()?;
            let flags = r.uint()?;
            let removed = r.gaps(pairs_total)?;
            let added = r.gaps(pairs_total)?;
            let pairs = apply_delta(&prev, &removed, &added);
            index.commits.push(CommitEntry {
                id,
                tree,
                time,
                root: flags & 1 != 0,
                mainline: flags & 2 != 0,
                pairs: pairs.clone(),
            });
            prev = pairs;
        }
        index.head = match r.uint()? {
            0 => None,
            h if (h as usize) <= index.commits.len() => Some(h as u32 - 1),
            _ => return Err("the head commit position is out of range".into()),
        };
        let n = r.count(2)?;
        for _ in 0..n {
            index.identity.manifest.push((r.string()?, r.string()?));
        }
        index.identity.modules = r.strings()?;
        index.identity.files = r.strings()?;
        if r.at != r.bytes.len() {
            return Err("trailing bytes after the index".into());
        }
        Ok(index)
    }
}

/// Sorted sets: what to remove from `old` and add to get `new`.
fn set_delta(old: &[u32], new: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a < b => {
                removed.push(*a);
                i += 1;
            }
            (Some(a), None) => {
                removed.push(*a);
                i += 1;
            }
            (_, Some(b)) => {
                added.push(*b);
                j += 1;
            }
            (None, None) => break,
        }
    }
    (removed, added)
}

fn apply_delta(old: &[u32], removed: &[u32], added: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = old
        .iter()
        .copied()
        .filter(|p| removed.binary_search(p).is_err())
        .chain(added.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }

    fn string(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn strings(&mut self, list: &[String]) {
        self.uint(list.len() as u64);
        for s in list {
            self.string(s);
        }
    }

    fn gaps(&mut self, sorted: &[u32]) {
        self.uint(sorted.len() as u64);
        let mut prev = 0u32;
        for &v in sorted {
            self.uint((v - prev) as u64);
            prev = v;
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn truncated() -> String {
        "the index is truncated".into()
    }

    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).ok_or_else(Self::truncated)?;
        let s = self.bytes.get(self.at..end).ok_or_else(Self::truncated)?;
        self.at = end;
        Ok(s)
    }

    fn uint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or_else(Self::truncated)?;
            self.at += 1;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a number in the index is too long".into())
    }

    fn u32(&mut self) -> Result<u32, String> {
        u32::try_from(self.uint()?).map_err(|_| "a number in the index is too large".to_string())
    }

    fn int(&mut self) -> Result<i64, String> {
        let v = self.uint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A count of items each at least `min` bytes long, checked against what is left.
    fn count(&mut self, min: usize) -> Result<usize, String> {
        let n = self.uint()? as usize;
        if n.saturating_mul(min) > self.bytes.len() - self.at {
            return Err(Self::truncated());
        }
        Ok(n)
    }

    fn id(&mut self) -> Result<ObjectId, String> {
        Ok(self.take(20)?.try_into().expect("20 bytes"))
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.count(1)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "a string is not UTF-8".into())
    }

    fn strings(&mut self) -> Result<Vec<String>, String> {
        let n = self.count(1)?;
        (0..n).map(|_| self.string()).collect()
    }

    fn gaps(&mut self, limit: usize) -> Result<Vec<u32>, String> {
        let n = self.count(1)?;
        let mut out = Vec::with_capacity(n);
        let mut v = 0u32;
        for _ in 0..n {
            v = v
                .checked_add(self.u32()?)
                .filter(|v| (*v as usize) < limit)
                .ok_or("a (path, version) number is out of range")?;
            out.push(v);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TemplateIndex {
        TemplateIndex {
            name: "t".into(),
            hashes: vec![1, 5, u64::MAX],
            blobs: vec![
                Blob {
                    id: [1; 20],
                    kind: BlobKind::Text,
                    lines: 4,
                    multiset: vec![(0, 2), (2, 2)],
                },
                Blob {
                    id: [2; 20],
                    kind: BlobKind::Binary,
                    lines: 0,
                    multiset: vec![],
                },
            ],
            paths: vec![
                PathEntry {
                    path: "Makefile".into(),
                    versions: vec![
                        Version {
                            blob: 0,
                            first_seen: -5,
                            mainline: true,
                        },
                        Version {
                            blob: 1,
                            first_seen: 1_700_000_000,
                            mainline: false,
                        },
                    ],
                },
                PathEntry {
                    path: "icon.png".into(),
                    versions: vec![Version {
                        blob: 1,
                        first_seen: 3,
                        mainline: true,
                    }],
                },
            ],
            commits: vec![
                CommitEntry {
                    id: [3; 20],
                    tree: [4; 20],
                    time: 10,
                    root: true,
                    mainline: true,
                    pairs: vec![0, 2],
                },
                CommitEntry {
                    id: [5; 20],
                    tree: [6; 20],
                    time: 20,
                    root: false,
                    mainline: false,
                    pairs: vec![1, 2],
                },
            ],
            head: Some(0),
            identity: Identity {
                manifest: vec![("id".into(), "com.example".into())],
                modules: vec!["example.com/m".into()],
                files: vec!["README.md".into()],
            },
        }
    }

    #[test]
    fn round_trips() {
        let index = sample();
        let bytes = index.to_bytes();
        assert_eq!(TemplateIndex::from_bytes(&bytes).unwrap(), index);
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics() {
        let bytes = sample().to_bytes();
        for cut in 0..bytes.len() {
            assert!(TemplateIndex::from_bytes(&bytes[..cut]).is_err(), "{cut}");
        }
        let mut flipped = bytes.clone();
        for i in HEADER.len()..flipped.len() {
            flipped[i] ^= 0xff;
            let _ = TemplateIndex::from_bytes(&flipped);
            flipped[i] ^= 0xff;
        }
        assert!(TemplateIndex::from_bytes(b"hello").is_err());
    }
}
