//! A content-addressed cache of derived results, outside the linted repository.
//!
//! What is kept is a function of content alone (a blob's line count, the licence a text is)
//! plus onboard's version and the settings that shape the answer, all of which are in the key:
//! an entry is never stale, only unused. Nothing of a repository's own is kept but derived
//! numbers and verdicts.
//!
//! Two shapes, both one file per entry under `<dir>/v1/`:
//!
//! - an **entry** (`get`/`put`): one payload under one key (a licence text's detection);
//! - a **table** ([`Table`]): many small records keyed by 20 bytes (a git blob id), loaded
//!   with one read and written back once at the end of a run when it gained records, so a
//!   repository of 100,000 files costs one file, not 100,000.
//!
//! Every file starts with a header (format, onboard's version, the entry's kind, the SHA-256
//! of its key and of its payload, the payload's length). A file whose header does not match
//! what was asked for, or whose payload does not hash to what the header says, is ignored
//! (and replaced when the result is written again): a damaged, truncated or foreign file is
//! never trusted. Writes go to a temporary file in the same folder, then are renamed over the
//! entry, so a reader sees the old file or the new one, never half of one; two runs writing
//! the same entry at once both succeed, and the last rename wins. The folder is bounded
//! ([`MAX_BYTES`]): after a run that wrote, the oldest entries (by modification time, which a
//! read refreshes at most hourly) are removed until it is under three quarters of the bound.
//! A cache folder that is missing and cannot be made, or is read-only, is not an error: the
//! run computes everything and writes nothing.

use sha2::{Digest, Sha256};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The layout and header format; a change makes every older file foreign.
const FORMAT: &str = "onboard-cache 1";

/// The bound on the cache folder: 256 MiB.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Records a table keeps at most: the least recently used go first beyond it.
pub const MAX_TABLE_RECORDS: usize = 200_000;

/// A read refreshes an entry's modification time (its age for pruning) when it is older than
/// this, so a warm run does not write a time stamp per entry.
const TOUCH_AFTER: Duration = Duration::from_secs(3600);

/// Temporary files left by a run that was killed between write and rename are removed when
/// they are this old.
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// Onboard's version: part of every header, so a newer onboard never trusts an older one's
/// results.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The cache folder of a run, and what it did.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// Whether writing is still worth trying (false once a write failed: read-only).
    writable: Cell<bool>,
    wrote: Cell<bool>,
}

/// The SHA-256 of `parts`, each length-prefixed so no two lists of parts collide.
pub fn key(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Kinds name files: letters, digits and `-` only.
fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 40
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Cache {
    /// The cache in `dir` (made on first write, if it can be).
    pub fn new(dir: PathBuf) -> Cache {
        Cache {
            dir,
            writable: Cell::new(true),
            wrote: Cell::new(false),
        }
    }

    /// Where the cache lives by default: `$ONBOARD_CACHE_DIR`, else `$XDG_CACHE_HOME/onboard`,
    /// else `$HOME/.cache/onboard` (relative values are ignored, as the XDG specification
    /// says). `None` when none of them is set.
    pub fn default_dir() -> Option<PathBuf> {
        let var = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        var("ONBOARD_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("onboard")))
            .or_else(|| var("HOME").map(|d| d.join(".cache").join("onboard")))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn root(&self) -> PathBuf {
        self.dir.join("v1")
    }

    fn path(&self, kind: &str, key: &[u8; 32]) -> PathBuf {
        self.root().join(format!("{kind}-{}", hex(key)))
    }

    /// The payload stored under `kind` and `key`, when a sound entry holds it.
    pub fn get(&self, kind: &str, key: &[u8; 32]) -> Option<Vec<u8>> {
        if !valid_kind(kind) {
            return None;
        }
        let path = self.path(kind, key);
        let mut file = std::fs::File::open(&path).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || meta.len() > MAX_BYTES {
            return None;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        let payload = parse(&bytes, kind, key)?;
        let (start, len) = (
            payload.as_ptr() as usize - bytes.as_ptr() as usize,
            payload.len(),
        );
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > TOUCH_AFTER);
        if old && self.writable.get() {
            // Used again: younger for pruning. Failing (read-only) is fine.
            let _ = file.set_modified(SystemTime::now());
        }
        // The payload moves to the front of the buffer read: no second copy of a large entry.
        bytes.copy_within(start..start + len, 0);
        bytes.truncate(len);
        Some(bytes)
    }

    /// Stores `payload` under `kind` and `key`, atomically. Failures are silent: the cache is
    /// an optimisation, and a read-only cache folder is allowed.
    pub fn put(&self, kind: &str, key: &[u8; 32], payload: &[u8]) {
        if !valid_kind(kind) || !self.writable.get() {
            return;
        }
        if self.write(kind, key, payload).is_err() {
            self.writable.set(false);
        } else {
            self.wrote.set(true);
        }
    }

    fn write(&self, kind: &str, key: &[u8; 32], payload: &[u8]) -> std::io::Result<()> {
        let root = self.root();
        std::fs::create_dir_all(&root)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&root)?;
        tmp.write_all(&header(kind, key, payload))?;
        tmp.write_all(payload)?;
        tmp.persist(self.path(kind, key)).map_err(|e| e.error)?;
        Ok(())
    }

    /// Keeps the folder under [`MAX_BYTES`]: when a run wrote, and the entries add up to more,
    /// the oldest go until they are under three quarters of it. Temporary files of killed
    /// runs go too. One directory listing; nothing when the run wrote nothing.
    pub fn prune(&self) {
        if self.wrote.get() {
            prune(&self.root(), MAX_BYTES);
        }
    }

    /// The table of `kind` under `key`, loaded now (empty when there is none, or it is not
    /// sound).
    pub fn table(&self, kind: &str, key: &[u8; 32]) -> Table {
        let records = self
            .get(kind, key)
            .and_then(|p| decode_table(&p))
            .unwrap_or_default();
        Table {
            kind: kind.to_string(),
            key: *key,
            records: RefCell::new(records),
            dirty: Cell::new(false),
        }
    }

    /// Writes a table back when it gained or refreshed records, merged with what another run
    /// may have written meanwhile (this run's records win).
    pub fn save(&self, table: &Table) {
        if !table.dirty.get() || !self.writable.get() {
            return;
        }
        let mut merged = self
            .get(&table.kind, &table.key)
            .and_then(|p| decode_table(&p))
            .unwrap_or_default();
        for (k, v) in table.records.borrow().iter() {
            merged.insert(*k, v.clone());
        }
        if merged.len() > MAX_TABLE_RECORDS {
            let mut days: Vec<u32> = merged.values().map(|(d, _)| *d).collect();
            days.sort_unstable_by(|a, b| b.cmp(a));
            let cut = days[MAX_TABLE_RECORDS - 1];
            merged.retain(|_, (d, _)| *d >= cut);
            // Ties at the cut: drop the rest by key order, deterministic.
            if merged.len() > MAX_TABLE_RECORDS {
                let mut keys: Vec<[u8; 20]> = merged
                    .iter()
                    .filter(|(_, (d, _))| *d == cut)
                    .map(|(k, _)| *k)
                    .collect();
                keys.sort_unstable();
                for k in keys.into_iter().take(merged.len() - MAX_TABLE_RECORDS) {
                    merged.remove(&k);
                }
            }
        }
        self.put(&table.kind, &table.key, &encode_table(&merged));
        table.dirty.set(false);
    }
}

impl Drop for Cache {
    /// At the end of a run: keeps the folder bounded (see [`Cache::prune`]).
    fn drop(&mut self) {
        self.prune();
    }
}

/// The header of an entry: format, version, kind, key hash, payload hash and length.
fn header(kind: &str, key: &[u8; 32], payload: &[u8]) -> Vec<u8> {
    format!(
        "{FORMAT}\n{VERSION}\n{kind}\n{}\n{} {}\n",
        hex(key),
        hex(&Sha256::digest(payload)),
        payload.len()
    )
    .into_bytes()
}

/// The payload of a sound entry for `kind` and `key`; `None` for anything else.
fn parse<'a>(bytes: &'a [u8], kind: &str, key: &[u8; 32]) -> Option<&'a [u8]> {
    let mut rest = bytes;
    let mut line = || {
        let at = rest.iter().position(|&b| b == b'\n')?;
        let (l, r) = rest.split_at(at);
        rest = &r[1..];
        std::str::from_utf8(l).ok()
    };
    if line()? != FORMAT || line()? != VERSION || line()? != kind || line()? != hex(key) {
        return None;
    }
    let (hash, len) = line()?.split_once(' ')?;
    let len: usize = len.parse().ok()?;
    if rest.len() != len || hex(&Sha256::digest(rest)) != hash {
        return None;
    }
    Some(rest)
}

/// Days since the Unix epoch: a record's last use, for pruning a table.
fn today() -> u32 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as u32)
}

type Records = HashMap<[u8; 20], (u32, Vec<u8>)>;

/// `[key 20][day u32 LE][len u16 LE][value]`, repeated.
fn encode_table(records: &Records) -> Vec<u8> {
    let mut keys: Vec<&[u8; 20]> = records.keys().collect();
    keys.sort_unstable();
    let mut out = Vec::with_capacity(records.len() * 32);
    for k in keys {
        let (day, value) = &records[k];
        out.extend_from_slice(k);
        out.extend_from_slice(&day.to_le_bytes());
        out.extend_from_slice(&(value.len() as u16).to_le_bytes());
        out.extend_from_slice(value);
    }
    out
}

fn decode_table(bytes: &[u8]) -> Option<Records> {
    let mut out = Records::new();
    let mut r = Reader::new(bytes);
    while r.remaining() > 0 {
        let key: [u8; 20] = r.array()?;
        let day = r.u32()?;
        let len = r.u16()? as usize;
        out.insert(key, (day, r.take(len)?.to_vec()));
    }
    Some(out)
}

/// Reads what a cache entry's writer laid down as little-endian numbers and byte runs: every
/// read is checked, so a short or damaged entry reads as `None` and is ignored, never trusted.
pub struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader(bytes)
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    pub fn u64(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    pub fn i64(&mut self) -> Option<i64> {
        self.array().map(i64::from_le_bytes)
    }

    /// How many bytes are left unread.
    pub fn remaining(&self) -> usize {
        self.0.len()
    }
}

/// Many small records under one entry, keyed by 20 bytes (a git blob id).
#[derive(Debug)]
pub struct Table {
    kind: String,
    key: [u8; 32],
    records: RefCell<Records>,
    dirty: Cell<bool>,
}

/// The value kept under `kind` and `key`, else `compute`'s, which is kept when it succeeds.
/// Values are JSON: an entry that does not read back as a `T` is ignored and replaced, never
/// trusted. Without a cache (`--no-cache`), `compute` runs.
pub fn kept<T, E>(
    cache: Option<&Cache>,
    kind: &str,
    key: &[u8; 32],
    compute: impl FnOnce() -> Result<T, E>,
) -> Result<T, E>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    if let Some(found) = cache
        .and_then(|c| c.get(kind, key))
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
    {
        return Ok(found);
    }
    let value = compute()?;
    if let (Some(c), Ok(bytes)) = (cache, serde_json::to_vec(&value)) {
        c.put(kind, key, &bytes);
    }
    Ok(value)
}

impl Table {
    /// A table that is never loaded nor saved (`--no-cache`).
    pub fn detached() -> Table {
        Table {
            kind: String::new(),
            key: [0; 32],
            records: RefCell::default(),
            dirty: Cell::new(false),
        }
    }

    /// The record under `id`; a record last used on an earlier day is marked used today.
    pub fn get(&self, id: &[u8; 20]) -> Option<Vec<u8>> {
        let mut records = self.records.borrow_mut();
        let (day, value) = records.get_mut(id)?;
        let now = today();
        if *day < now {
            *day = now;
            self.dirty.set(true);
        }
        Some(value.clone())
    }

    /// Adds or replaces the record under `id` (values longer than 64 KiB are not kept).
    pub fn insert(&self, id: [u8; 20], value: Vec<u8>) {
        if value.len() > u16::MAX as usize {
            return;
        }
        self.records.borrow_mut().insert(id, (today(), value));
        self.dirty.set(true);
    }

    pub fn len(&self) -> usize {
        self.records.borrow().len()
    }

    /// The value kept under `id` (a blob id, or the id of a text's content), else `compute`'s,
    /// which is kept when there is one. Values are JSON: a record that does not read back as a
    /// `T` is ignored and replaced, never trusted.
    pub fn kept<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        id: [u8; 20],
        compute: impl FnOnce() -> Option<T>,
    ) -> Option<T> {
        if let Some(found) = self
            .get(&id)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        {
            return Some(found);
        }
        let value = compute()?;
        if let Ok(bytes) = serde_json::to_vec(&value) {
            self.insert(id, bytes);
        }
        Some(value)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Removes temporary files older than [`STALE_TEMP`], then the oldest entries until the
/// folder holds under three quarters of `limit` bytes, when it holds more than `limit`.
fn prune(root: &Path, limit: u64) {
    let Ok(list) = std::fs::read_dir(root) else {
        return;
    };
    let mut entries = Vec::new();
    let mut total = 0u64;
    for e in list.flatten() {
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if e.file_name().to_string_lossy().starts_with(".tmp-") {
            if modified.elapsed().is_ok_and(|age| age > STALE_TEMP) {
                let _ = std::fs::remove_file(e.path());
            }
            continue;
        }
        total += meta.len();
        entries.push((modified, meta.len(), e.path()));
    }
    if total <= limit {
        return;
    }
    entries.sort();
    for (_, len, path) in entries {
        if total <= limit / 4 * 3 {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

/// Whether `dir` lies inside `root` (both as they resolve now; a folder not yet made is
/// judged by its nearest existing parent).
pub fn inside(dir: &Path, root: &Path) -> bool {
    let Ok(root) = std::fs::canonicalize(root) else {
        return false;
    };
    let mut probe = dir.to_path_buf();
    let mut tail = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&probe) {
            let full = tail.iter().rev().fold(real, |p: PathBuf, t| p.join(t));
            return full.starts_with(&root);
        }
        match (probe.file_name(), probe.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                probe = parent.to_path_buf();
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_damage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        let k = key(&[b"a", b"b"]);
        assert_eq!(cache.get("thing", &k), None);
        cache.put("thing", &k, b"payload");
        assert_eq!(cache.get("thing", &k).as_deref(), Some(&b"payload"[..]));
        // Another key, another kind: nothing.
        assert_eq!(cache.get("thing", &key(&[b"ab"])), None);
        assert_eq!(cache.get("other", &k), None);
        // Damage: a flipped payload byte, a truncation, garbage. Each is ignored.
        let path = cache.path("thing", &k);
        let sound = std::fs::read(&path).unwrap();
        let mut flipped = sound.clone();
        *flipped.last_mut().unwrap() ^= 1;
        for bad in [
            flipped,
            sound[..sound.len() - 1].to_vec(),
            b"garbage".to_vec(),
        ] {
            std::fs::write(&path, bad).unwrap();
            assert_eq!(cache.get("thing", &k), None);
        }
        // Rewritten, it is sound again.
        cache.put("thing", &k, b"payload");
        assert_eq!(cache.get("thing", &k).as_deref(), Some(&b"payload"[..]));
    }

    #[test]
    fn kept_values_read_back_and_a_bad_record_is_computed_again() {
        let t = Table::detached();
        let id = [7; 20];
        let calls = Cell::new(0);
        let compute = || {
            calls.set(calls.get() + 1);
            Some(vec!["MIT".to_string()])
        };
        assert_eq!(t.kept(id, compute), Some(vec!["MIT".to_string()]));
        assert_eq!(t.kept(id, compute), Some(vec!["MIT".to_string()]));
        assert_eq!(calls.get(), 1, "the second answer is the kept one");
        // A record that is not a `Vec<String>` is ignored and replaced.
        t.insert(id, b"{not json".to_vec());
        assert_eq!(t.kept(id, compute), Some(vec!["MIT".to_string()]));
        assert_eq!(calls.get(), 2);
        // No answer: nothing kept, the next run tries again.
        assert_eq!(t.kept::<u8>([8; 20], || None), None);
        assert!(t.get(&[8; 20]).is_none());
    }

    #[test]
    fn key_parts_are_delimited() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    }

    #[test]
    fn tables_merge_and_survive_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let k = key(&[b"t"]);
        let t = cache.table("lines", &k);
        assert!(t.is_empty());
        t.insert([1; 20], vec![1, 2, 3]);
        // Another run added a record meanwhile: both are kept.
        let other = cache.table("lines", &k);
        other.insert([2; 20], vec![9]);
        cache.save(&other);
        cache.save(&t);
        let back = cache.table("lines", &k);
        assert_eq!(back.get(&[1; 20]), Some(vec![1, 2, 3]));
        assert_eq!(back.get(&[2; 20]), Some(vec![9]));
        std::fs::write(cache.path("lines", &k), b"\0\0garbage").unwrap();
        assert!(cache.table("lines", &k).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_or_missing_folder_is_no_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let k = key(&[b"x"]);
        let missing = Cache::new(dir.path().join("no/such"));
        assert_eq!(missing.get("e", &k), None);
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let cache = Cache::new(ro.clone());
        cache.put("e", &k, b"x");
        cache.prune();
        // Root may write anyway; either way nothing failed.
        let _ = cache.get("e", &k);
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn prune_removes_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let now = SystemTime::now();
        for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
            let p = root.join(name);
            std::fs::write(&p, vec![0u8; 100]).unwrap();
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(now - Duration::from_secs(1000 * (4 - i as u64)))
                .unwrap();
        }
        prune(root, 300);
        let mut left: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["c", "d"]);
    }

    #[test]
    fn inside_judges_folders_not_yet_made() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir(&root).unwrap();
        assert!(inside(&root.join("x/y"), &root));
        assert!(inside(&root, &root));
        assert!(!inside(&dir.path().join("cache"), &root));
    }
}
