//! The `template` fact: every file of the linted tree classified against every version of the
//! starter template (identical, moved, modified, own, or an excluded class chosen by globs),
//! the lines a reviewer reads, and where the repository came from.

pub mod classified;
pub mod identity;
pub mod origin;

use crate::source::{SourceFile, Span};
use crate::template::compare::{self, Lines};
use crate::template::index::{BlobKind, TemplateIndex};
use crate::template::{self as tpl, Class, Classifier, TemplateSettings};
use crate::workspace::{Entry, FileKind, Workspace};
pub use classified::{Classes, ClassifiedFile, Totals, VersionMatch};
use identity::IdentityHit;
use origin::OriginFact;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which index the repository is compared with.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IndexInfo {
    pub name: String,
    /// `shipped`, or the index file's path in the repository.
    pub source: String,
    pub commits: usize,
    pub paths: usize,
    pub blobs: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Unreadable {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct TemplateFact {
    pub index: Option<IndexInfo>,
    /// Why nothing was classified (no such index, a damaged index file, bad globs).
    pub error: Option<String>,
    pub origin: OriginFact,
    pub classes: Classes,
    /// Own lines plus lines added to modified template files.
    pub review_lines: u64,
    /// Review lines per top-level directory (`.` for files at the root).
    pub directories: BTreeMap<String, u64>,
    /// The plugin's own code: review lines in source files (by extension, see [`is_code`])
    /// outside tooling directories. Zero when every code file is the template's: nothing of
    /// the plugin's own to review.
    pub own_code: Totals,
    /// The ten own or modified files with the most review lines.
    pub largest: Vec<ClassifiedFile>,
    pub unreadable: Vec<Unreadable>,
    /// Where the plugin still carries the template's identity.
    pub identity: Vec<IdentityHit>,
    /// Every file, sorted by path.
    #[serde(skip)]
    #[schemars(skip)]
    pub files: Vec<ClassifiedFile>,
    #[serde(skip)]
    #[schemars(skip)]
    pub loaded: Option<TemplateIndex>,
    /// Where the index was named (`template:` in `.onboarding.yml`), for findings about it.
    #[serde(skip)]
    #[schemars(skip)]
    pub named_at: Option<(SourceFile, Span)>,
}

/// Loads the named index: a shipped one, or a file in the repository.
pub fn load(ws: &Workspace, name: &str) -> Result<(TemplateIndex, IndexInfo), String> {
    load_with_digest(ws, name).map(|(index, info, _)| (index, info))
}

/// [`load`], with the SHA-256 of an index file's bytes (`None` for a shipped index).
fn load_with_digest(
    ws: &Workspace,
    name: &str,
) -> Result<(TemplateIndex, IndexInfo, Option<[u8; 32]>), String> {
    let (bytes, source) = match tpl::shipped(name) {
        Some(b) => (b.to_vec(), "shipped".to_string()),
        None => {
            if name.contains('\\') || name.contains(':') {
                return Err(format!(
                    "template `{name}`: an index file must be a relative path inside the repository"
                ));
            }
            let path = crate::workspace::paths::config_path(name)
                .map_err(|e| format!("template `{name}`: {e}"))?;
            let shipped: Vec<&str> = tpl::SHIPPED.iter().map(|(n, _)| *n).collect();
            match ws.read(&path) {
                Ok(Some(b)) => (b, name.to_string()),
                Ok(None) => {
                    return Err(format!(
                        "template `{name}` is neither a shipped index ({}) nor a file in the repository",
                        shipped.join(", ")
                    ))
                }
                Err(e) => return Err(format!("template `{name}`: {e}")),
            }
        }
    };
    let index = TemplateIndex::from_bytes(&bytes)
        .map_err(|e| format!("template `{name}` is not a usable index: {e}"))?;
    let digest = (source != "shipped").then(|| crate::cache::key(&[&bytes]));
    let info = IndexInfo {
        name: index.name.clone(),
        source,
        commits: index.commits.len(),
        paths: index.paths.len(),
        blobs: index.blobs.len(),
    };
    Ok((index, info, digest))
}

/// Computes the fact. `named` is `template:` from `.onboarding.yml` with where it is written.
pub fn compute(
    ws: &Workspace,
    params: &TemplateSettings,
    named: Option<(String, SourceFile, Span)>,
    manifest: &super::ManifestFact,
) -> TemplateFact {
    let mut fact = TemplateFact::default();
    let name = match &named {
        Some((n, file, span)) => {
            fact.named_at = Some((file.clone(), *span));
            n.clone()
        }
        None => params.index.clone(),
    };
    let classifier = match Classifier::new(params) {
        Ok(c) => c,
        Err(e) => {
            fact.error = Some(format!("bad classification glob: {e}"));
            return fact;
        }
    };
    let (index, info, index_digest) = match load_with_digest(ws, &name) {
        Ok(x) => x,
        Err(e) => {
            fact.error = Some(e);
            return fact;
        }
    };
    fact.index = Some(info);
    fact.origin = origin::compute(ws, &index, params.partial_copy_threshold);
    let listed = match ws.files() {
        Ok(l) => l,
        Err(e) => {
            fact.error = Some(e);
            return fact;
        }
    };
    let known = ws.known_blob_ids();
    let blob_paths = index.paths_of_blobs();
    let head_versions = head_versions(&index);
    let table = match ws.cache() {
        Some(c) => c.table("template", &cache_key(&name, &index_digest)),
        None => crate::cache::Table::detached(),
    };
    let ctx = Context {
        ws,
        index: &index,
        blob_paths: &blob_paths,
        table: &table,
    };
    // What each file's path and id say, looked up once.
    let plans: Vec<Plan> = listed
        .iter()
        .map(|f| Plan {
            known: known.get(&f.path).copied(),
            by_name: classifier.by_name(&f.path),
            path_pos: index.path(&f.path),
        })
        .collect();
    let prefetched = prefetch(&ctx, listed, &plans);
    for ((f, plan), pre) in listed.iter().zip(&plans).zip(prefetched) {
        if f.kind == FileKind::Submodule {
            continue;
        }
        match classify(&ctx, f, plan, pre) {
            Ok(mut c) => {
                if let Some(m) = &mut c.template {
                    describe_version(&index, &head_versions, m);
                    // The text of an old identical copy, for the findings that point into it
                    // (`template-drift`); other identical files are not read at all.
                    if c.class == Class::Identical && outdated(m) {
                        c.source = ws.read_text(&c.path).ok().flatten();
                    }
                }
                fact.files.push(c);
            }
            Err(error) => fact.unreadable.push(Unreadable {
                path: f.path.clone(),
                error,
            }),
        }
    }
    for f in &fact.files {
        let t = fact.classes.get_mut(f.class);
        t.files += 1;
        t.lines += if f.class == Class::Modified {
            f.review_lines
        } else {
            f.lines
        };
        if f.review_lines > 0 && is_code(&f.path) && !crate::facts::files::is_tooling(&f.path) {
            fact.own_code.files += 1;
            fact.own_code.lines += f.review_lines;
        }
        if f.review_lines > 0 {
            fact.review_lines += f.review_lines;
            let dir = f.path.split_once('/').map_or(".", |(d, _)| d);
            *fact.directories.entry(dir.to_string()).or_default() += f.review_lines;
        }
    }
    let mut largest: Vec<&ClassifiedFile> =
        fact.files.iter().filter(|f| f.review_lines > 0).collect();
    largest.sort_by(|a, b| {
        b.review_lines
            .cmp(&a.review_lines)
            .then(a.path.cmp(&b.path))
    });
    fact.largest = largest.into_iter().take(10).cloned().collect();
    if let Some(c) = ws.cache() {
        c.save(&table);
    }
    fact.identity = identity::compute(ws, &index, manifest, &fact.files);
    fact.loaded = Some(index);
    fact
}

/// The key of the template table: the index compared with (a shipped index by name, as the
/// version in every cache header fixes its bytes; an index file by its content).
fn cache_key(name: &str, digest: &Option<[u8; 32]>) -> [u8; 32] {
    match digest {
        None => crate::cache::key(&[b"shipped", name.as_bytes()]),
        Some(d) => crate::cache::key(&[b"file", d]),
    }
}

/// What classifying one file needs.
struct Context<'a> {
    ws: &'a Workspace,
    index: &'a TemplateIndex,
    blob_paths: &'a BTreeMap<u32, Vec<usize>>,
    /// Per blob, what its content says (binary, line count), and per blob and template path,
    /// the nearest template version: kept between runs when there is a cache.
    table: &'a crate::cache::Table,
}

/// What a blob's content says: binary or not, its lines, its size in bytes.
#[derive(Clone, Copy)]
struct BlobRecord {
    binary: bool,
    lines: u64,
    size: u64,
}

impl BlobRecord {
    fn of(bytes: &[u8]) -> BlobRecord {
        BlobRecord {
            binary: tpl::looks_binary(bytes),
            lines: tpl::line_count(bytes) as u64,
            size: bytes.len() as u64,
        }
    }

    /// `[binary 0|1][lines u64 LE][size u64 LE]`.
    fn encode(&self) -> Vec<u8> {
        let mut v = vec![self.binary as u8];
        v.extend_from_slice(&self.lines.to_le_bytes());
        v.extend_from_slice(&self.size.to_le_bytes());
        v
    }

    fn decode(v: &[u8]) -> Option<BlobRecord> {
        match v {
            [b @ (0 | 1), rest @ ..] if rest.len() == 16 => Some(BlobRecord {
                binary: *b == 1,
                lines: u64::from_le_bytes(rest[..8].try_into().ok()?),
                size: u64::from_le_bytes(rest[8..].try_into().ok()?),
            }),
            _ => None,
        }
    }
}

/// The key of the nearest-version record of a blob at a template path.
fn nearest_key(oid: git2::Oid, path: &str) -> [u8; 20] {
    let k = crate::cache::key(&[b"nearest", oid.as_bytes(), path.as_bytes()]);
    k[..20].try_into().expect("20 of 32 bytes")
}

/// `[0]` for no version; `[1][version u32 LE][added u32 LE]`.
fn nearest_record(n: Option<(usize, u32)>) -> Vec<u8> {
    match n {
        None => vec![0],
        Some((v, added)) => {
            let mut out = vec![1];
            out.extend_from_slice(&(v as u32).to_le_bytes());
            out.extend_from_slice(&added.to_le_bytes());
            out
        }
    }
}

fn read_nearest_record(v: &[u8], versions: usize) -> Option<Option<(usize, u32)>> {
    match v {
        [0] => Some(None),
        [1, rest @ ..] if rest.len() == 8 => {
            let version = u32::from_le_bytes(rest[..4].try_into().ok()?) as usize;
            let added = u32::from_le_bytes(rest[4..].try_into().ok()?);
            (version < versions).then_some(Some((version, added)))
        }
        _ => None,
    }
}

/// Extensions of source files: what a plugin's own code is written in (server, web app, styles,
/// scripts). Manifests, docs, data and configuration are not code.
const CODE_EXTENSIONS: [&str; 26] = [
    "c", "cc", "cjs", "cpp", "cs", "css", "go", "h", "html", "java", "js", "jsx", "kt", "less",
    "mjs", "php", "py", "rb", "rs", "sass", "scss", "sh", "svelte", "ts", "tsx", "vue",
];

/// Whether a path is a source file (see [`CODE_EXTENSIONS`]).
pub fn is_code(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return false;
    };
    CODE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
}

/// The bytes a blob id is computed from: a link's target for a symbolic link.
fn content(ws: &Workspace, path: &str, kind: FileKind) -> Result<Vec<u8>, String> {
    if kind == FileKind::Symlink {
        if let Some(Entry::Symlink(target)) = ws.entry(path) {
            return Ok(target.into_bytes());
        }
    }
    match ws.read(path) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(format!("`{path}` cannot be found")),
        Err(e) => Err(e.to_string()),
    }
}

fn raw(oid: git2::Oid) -> [u8; 20] {
    oid.as_bytes().try_into().expect("20-byte object ids")
}

fn classify(
    ctx: &Context<'_>,
    f: &crate::workspace::RepoFile,
    plan: &Plan,
    pre: Option<Prefetched>,
) -> Result<ClassifiedFile, String> {
    let (ws, index) = (ctx.ws, ctx.index);
    let mut bytes: Option<Vec<u8>> = None;
    let mut read_record: Option<BlobRecord> = None;
    let oid = match (plan.known, pre) {
        (_, Some(p)) => {
            bytes = p.bytes;
            read_record = Some(p.record);
            p.oid
        }
        (Some(id), None) => id,
        (None, None) => {
            let b = content(ws, &f.path, f.kind)?;
            let id = git2::Oid::hash_object(git2::ObjectType::Blob, &b)
                .map_err(|e| e.message().to_string())?;
            bytes = Some(b);
            id
        }
    };
    let mut out = ClassifiedFile {
        path: f.path.clone(),
        class: Class::Own,
        lines: 0,
        review_lines: 0,
        template: None,
        blob: Some(oid),
        source: None,
    };
    let blob = index.blob(&raw(oid));
    let path_pos = plan.path_pos;
    // Identical or moved: the blob is a template blob (at this path, or at another one).
    let first_path = |b: u32| ctx.blob_paths.get(&b).and_then(|p| p.first().copied());
    if let Some((b, elsewhere)) = blob.and_then(|b| first_path(b).map(|p| (b, p))) {
        let entry = &index.blobs[b as usize];
        let same_path = path_pos.filter(|p| index.paths[*p].versions.iter().any(|v| v.blob == b));
        let (class, tpath) = match same_path {
            Some(p) => (Class::Identical, p),
            None => (Class::Moved, elsewhere),
        };
        let version = index.paths[tpath]
            .versions
            .iter()
            .position(|v| v.blob == b)
            .unwrap_or_default();
        out.template = Some(version_match(index, tpath, version));
        out.class = plan.by_name.unwrap_or(class);
        if entry.kind == BlobKind::Binary {
            out.class = plan.by_name.unwrap_or(Class::Binary);
        } else {
            // The template's line count: the same blob is the same bytes, so the file is not
            // read.
            out.lines = entry.lines as u64;
        }
        return Ok(out);
    }
    if plan.by_name == Some(Class::Binary) {
        out.class = Class::Binary;
        return Ok(out);
    }
    // What the content says, from the cache when this blob was seen before: then the file is
    // not read at all.
    // A file over this path's read cap is read all the same, so that the cap is reported as
    // it is without a cache.
    let cached = ctx
        .table
        .get(&raw(oid))
        .as_deref()
        .and_then(BlobRecord::decode)
        .filter(|r| f.kind == FileKind::Symlink || r.size <= ws.limit_for(&f.path));
    let record = match (cached, read_record) {
        (Some(r), _) => r,
        (None, Some(r)) => {
            ctx.table.insert(raw(oid), r.encode());
            r
        }
        (None, None) => {
            let b = match bytes.take() {
                Some(b) => b,
                None => content(ws, &f.path, f.kind)?,
            };
            let r = BlobRecord::of(&b);
            ctx.table.insert(raw(oid), r.encode());
            bytes = Some(b);
            r
        }
    };
    let (binary, lines) = (record.binary, record.lines);
    if binary {
        out.class = plan.by_name.unwrap_or(Class::Binary);
        return Ok(out);
    }
    out.lines = lines;
    if let Some(c) = plan.by_name {
        out.class = c;
        return Ok(out);
    }
    match path_pos {
        Some(p) => {
            let tpath = &index.paths[p];
            let key = nearest_key(oid, &tpath.path);
            let cached = ctx
                .table
                .get(&key)
                .and_then(|v| read_nearest_record(&v, tpath.versions.len()));
            let nearest = match cached {
                Some(n) => n,
                None => {
                    let b = match bytes.take() {
                        Some(b) => b,
                        None => content(ws, &f.path, f.kind)?,
                    };
                    let n = compare::nearest(index, p, &Lines::of(index, &b));
                    ctx.table.insert(key, nearest_record(n));
                    n
                }
            };
            if let Some((v, added)) = nearest {
                out.class = Class::Modified;
                out.review_lines = added as u64;
                out.template = Some(version_match(index, p, v));
            }
        }
        None => {
            out.class = Class::Own;
            out.review_lines = out.lines;
        }
    }
    Ok(out)
}

/// Whether an identical copy is not the template's current version of its path (what
/// `template-drift` reports).
fn outdated(m: &VersionMatch) -> bool {
    m.newer_versions > 0 || m.newest_date.is_none() || !m.mainline
}

/// What was learnt from a file's bytes off the main thread.
struct Prefetched {
    oid: git2::Oid,
    record: BlobRecord,
    /// The bytes, kept only for a file at a template path (compared with its versions).
    bytes: Option<Vec<u8>>,
}

/// Files that need reading below this many are read on the main thread: a thread's start-up
/// would cost more than it saves.
const PARALLEL_FROM: usize = 256;

/// Reads, hashes and counts the lines of the files whose content [`classify`] needs, on every
/// core when there are enough of them (see [`PARALLEL_FROM`]); `None` for a file left to
/// [`classify`] itself (nothing to read, a link, a path that needs resolving, any error: then
/// it is read again on the main thread, which reports what went wrong as before). Results are
/// by position, whatever thread made them.
fn prefetch(
    ctx: &Context<'_>,
    files: &[crate::workspace::RepoFile],
    plans: &[Plan],
) -> Vec<Option<Prefetched>> {
    let mut out: Vec<Option<Prefetched>> = files.iter().map(|_| None).collect();
    let Some(reader) = ctx.ws.plain_reader() else {
        return out;
    };
    let jobs: Vec<(usize, &str, u64, Option<git2::Oid>, bool)> = files
        .iter()
        .zip(plans)
        .enumerate()
        .filter(|(_, (f, plan))| needs_content(ctx, f, plan))
        .map(|(i, (f, plan))| {
            let limit = ctx.ws.limit_for(&f.path);
            let keep = plan.path_pos.is_some();
            (i, f.path.as_str(), limit, plan.known, keep)
        })
        .collect();
    if jobs.len() < PARALLEL_FROM {
        // Read one by one in `classify`, as it would anyway.
        return out;
    }
    let done = crate::workspace::parallel::map(
        &jobs,
        PARALLEL_FROM,
        crate::workspace::Folders::default,
        |folders, &(_, path, limit, known, keep)| {
            let Some(Ok(b)) = reader.read(folders, path, limit) else {
                return None;
            };
            let oid = match known {
                Some(id) => id,
                None => git2::Oid::hash_object(git2::ObjectType::Blob, &b).ok()?,
            };
            let record = BlobRecord::of(&b);
            let bytes = keep.then_some(b);
            Some(Prefetched { oid, record, bytes })
        },
    );
    for (job, p) in jobs.iter().zip(done) {
        out[job.0] = p;
    }
    out
}

/// Whether [`classify`] would read the file: not a link (their content is their target), not
/// a template blob (known by id), not binary by name, not in the cache.
fn needs_content(ctx: &Context<'_>, f: &crate::workspace::RepoFile, plan: &Plan) -> bool {
    if f.kind != FileKind::File || !ctx.ws.is_plain(&f.path) {
        return false;
    }
    let Some(oid) = plan.known else {
        return true;
    };
    let template_blob = ctx
        .index
        .blob(&raw(oid))
        .is_some_and(|b| ctx.blob_paths.contains_key(&b));
    !template_blob && plan.by_name != Some(Class::Binary) && ctx.table.get(&raw(oid)).is_none()
}

/// What a file's path and index entry say before anything is read.
struct Plan {
    /// Its blob id, when known without reading it.
    known: Option<git2::Oid>,
    /// Its class by name (lockfile, generated...).
    by_name: Option<Class>,
    /// Its position among the template's paths.
    path_pos: Option<usize>,
}

fn version_match(index: &TemplateIndex, path: usize, version: usize) -> VersionMatch {
    let v = &index.paths[path].versions[version];
    VersionMatch {
        path: index.paths[path].path.clone(),
        blob: crate::git::hex(&index.blobs[v.blob as usize].id),
        date: crate::git::utc_date(v.first_seen),
        mainline: v.mainline,
        newer_versions: 0,
        newest_date: None,
        blob_pos: v.blob,
    }
}

/// The version of each path at the template's head commit: path position -> version.
fn head_versions(index: &TemplateIndex) -> BTreeMap<u32, u32> {
    let table = index.pair_table();
    index
        .head_commit()
        .map(|c| c.pairs.iter().map(|p| table[*p as usize]).collect())
        .unwrap_or_default()
}

fn describe_version(index: &TemplateIndex, head: &BTreeMap<u32, u32>, m: &mut VersionMatch) {
    let Some(p) = index.path(&m.path) else { return };
    let versions = &index.paths[p].versions;
    let Some(mine) = versions.iter().find(|v| v.blob == m.blob_pos) else {
        return;
    };
    m.newer_versions = versions
        .iter()
        .filter(|v| v.mainline && v.first_seen > mine.first_seen)
        .count() as u32;
    m.newest_date = head
        .get(&(p as u32))
        .map(|v| crate::git::utc_date(versions[*v as usize].first_seen));
}
