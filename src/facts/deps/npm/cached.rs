//! Lockfile parses kept in the cache by content: a 50,000-line `package-lock.json` is parsed
//! once, then read back as a compact list of packages and spans.
//!
//! What is kept is [`super::parse_lockfile`]'s result, a function of the lockfile's text alone
//! (its path is not in it: packages and problems point at the file they are rebuilt with). The
//! `node_modules/*/package.json` fallback reads repository files, so it is never kept: the
//! packages that need it are kept as such and looked up on every run.

use super::{parse_lockfile, with_fallbacks, Fallback, Parsed};
use crate::cache::Cache;
use crate::facts::deps::{Location, Package, Problem, ReadText};
use crate::source::{SourceFile, Span};

/// The cache entry kind.
const KIND: &str = "npm-lockfile";

/// What the parser reads and how it is encoded: a change to either makes older entries unused.
const PARSER: &[u8] = b"npm-lockfile 1";

/// Parses one lockfile, through `cache` when there is one.
pub fn parse(file: &SourceFile, read: ReadText<'_>, cache: Option<&Cache>) -> Parsed {
    let Some(cache) = cache else {
        return super::parse(file, read);
    };
    let key = crate::cache::key(&[PARSER, file.text.as_bytes()]);
    let (parsed, fallbacks) = match cache.get(KIND, &key).and_then(|b| decode(&b, file)) {
        Some(found) => found,
        None => {
            let (parsed, fallbacks) = parse_lockfile(file);
            if let Some(bytes) = encode(file, &parsed, &fallbacks) {
                cache.put(KIND, &key, &bytes);
            }
            (parsed, fallbacks)
        }
    };
    with_fallbacks(file, parsed, &fallbacks, read)
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }
    fn span(&mut self, s: Span) {
        self.u64(s.offset as u64);
        self.u64(s.length as u64);
    }
}

/// The cache's checked reader, with the lengths, optional strings and spans this entry holds.
struct Reader<'a>(crate::cache::Reader<'a>);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        self.0.byte()
    }
    fn u64(&mut self) -> Option<u64> {
        self.0.u64()
    }
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    fn str(&mut self) -> Option<String> {
        let n = self.usize()?;
        Some(std::str::from_utf8(self.0.take(n)?).ok()?.to_string())
    }
    fn opt(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }
    /// A span that lies inside `text` on character boundaries.
    fn span(&mut self, text: &str) -> Option<Span> {
        let (offset, length) = (self.usize()?, self.usize()?);
        let end = offset.checked_add(length)?;
        (end <= text.len() && text.is_char_boundary(offset) && text.is_char_boundary(end))
            .then(|| Span::new(offset, length))
    }
    /// A count of items each at least `min` bytes long.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.0.remaining() / min.max(1)).then_some(n)
    }
}

/// The parse as bytes; `None` when it holds something that does not come from the lockfile
/// alone (then it is not kept).
fn encode(file: &SourceFile, parsed: &Parsed, fallbacks: &[Fallback]) -> Option<Vec<u8>> {
    let mut w = Writer::default();
    match parsed.lockfile_version {
        Some(v) => {
            w.0.push(1);
            w.u64(v);
        }
        None => w.0.push(0),
    }
    w.u64(parsed.packages.len() as u64);
    for p in &parsed.packages {
        let own = |l: &Location| l.path == file.path;
        let plain = p.indirect.is_none()
            && p.replaced_by.is_none()
            && p.package_source.is_none()
            && p.unknown_reason.is_none()
            && p.source.as_ref().is_none_or(|s| *s == file.path)
            && p.location.as_ref().is_some_and(own);
        if !plain {
            return None;
        }
        w.str(&p.name);
        w.opt(p.version.as_deref());
        w.opt(p.expression.as_deref());
        w.0.push(u8::from(p.source.is_some()) | u8::from(p.dev) << 1);
        w.opt(p.install_path.as_deref());
        w.span(p.location.as_ref()?.span);
    }
    w.u64(parsed.problems.len() as u64);
    for p in &parsed.problems {
        if p.path.as_deref() != Some(&file.path) {
            return None;
        }
        w.str(&p.message);
        w.span(p.span?);
        w.0.push(u8::from(p.lost_packages));
    }
    w.u64(fallbacks.len() as u64);
    for f in fallbacks {
        w.u64(f.package as u64);
        w.u64(f.problems_at as u64);
        w.str(&f.install_path);
    }
    Some(w.0)
}

/// The parse [`encode`] wrote, pointing at `file`; `None` for anything else.
fn decode(bytes: &[u8], file: &SourceFile) -> Option<(Parsed, Vec<Fallback>)> {
    let mut r = Reader(crate::cache::Reader::new(bytes));
    let text = &file.text;
    let lockfile_version = match r.byte()? {
        0 => None,
        1 => Some(r.u64()?),
        _ => return None,
    };
    let n = r.count(8 + 1 + 1 + 1 + 1 + 16)?;
    let mut packages = Vec::with_capacity(n);
    for _ in 0..n {
        let mut p = Package::new(r.str()?, r.opt()?);
        p.expression = r.opt()?;
        let flags = r.byte()?;
        if flags > 3 {
            return None;
        }
        p.source = (flags & 1 != 0).then(|| file.path.clone());
        p.dev = flags & 2 != 0;
        p.install_path = r.opt()?;
        p.location = Some(Location::new(file, r.span(text)?));
        packages.push(p);
    }
    let n = r.count(8 + 16 + 1)?;
    let mut problems = Vec::with_capacity(n);
    for _ in 0..n {
        let message = r.str()?;
        let mut p = Problem::at(file, r.span(text)?, message);
        match r.byte()? {
            0 => {}
            1 => p = p.lost_packages(),
            _ => return None,
        }
        problems.push(p);
    }
    let n = r.count(24)?;
    let mut fallbacks = Vec::with_capacity(n);
    for _ in 0..n {
        let package = r.usize()?;
        let problems_at = r.usize()?;
        let install_path = r.str()?;
        if package >= packages.len() || problems_at > problems.len() {
            return None;
        }
        fallbacks.push(Fallback {
            package,
            problems_at,
            install_path,
        });
    }
    if r.0.remaining() > 0 {
        return None;
    }
    Some((
        Parsed {
            lockfile_version,
            packages,
            problems,
        },
        fallbacks,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_parse_reads_back_as_the_parse() {
        let text = r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "root"},
            "node_modules/a": {"version": "1.0.0", "license": "MIT"},
            "node_modules/b": {"version": "2.0.0", "dev": true},
            "node_modules/c": {"version": "3.0.0", "license": 7},
            "node_modules/d": {"version": "4.0.0", "dev": "yes"}
        }}"#;
        let file = SourceFile::new("webapp/package-lock.json", text);
        let (parsed, fallbacks) = parse_lockfile(&file);
        assert_eq!(parsed.packages.len(), 4);
        assert_eq!(fallbacks.len(), 2);
        let bytes = encode(&file, &parsed, &fallbacks).unwrap();
        let (back, back_fallbacks) = decode(&bytes, &file).unwrap();
        assert_eq!(back_fallbacks, fallbacks);
        let show = |p: &Parsed| format!("{:?} {:?}", p.packages, p.problems);
        assert_eq!(show(&back), show(&parsed));
        // Truncated or padded: not ours.
        assert!(decode(&bytes[..bytes.len() - 1], &file).is_none());
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(decode(&padded, &file).is_none());
        // A span beyond the text it is rebuilt with: not trusted.
        assert!(decode(&bytes, &SourceFile::new("package-lock.json", "{}")).is_none());
    }

    #[test]
    fn fallbacks_are_read_on_every_run_in_the_lockfile_order() {
        let text = r#"{"lockfileVersion": 3, "packages": {
            "node_modules/a": {"version": "1.0.0"},
            "node_modules/b": {"version": "2.0.0", "license": 7}
        }}"#;
        let file = SourceFile::new("package-lock.json", text);
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        let read: ReadText<'_> = &|p| {
            Ok((p == "node_modules/a/package.json")
                .then(|| SourceFile::new(p, r#"{"license": ["x"]}"#)))
        };
        let show = |p: &Parsed| format!("{:?} {:?}", p.packages, p.problems);
        let plain = super::super::parse(&file, read);
        let cold = parse(&file, read, Some(&cache));
        let warm = parse(&file, read, Some(&cache));
        assert_eq!(show(&cold), show(&plain));
        assert_eq!(show(&warm), show(&plain));
        assert_eq!(warm.packages[0].expression.as_deref(), Some("x"));
        assert_eq!(
            warm.packages[0].source.as_deref(),
            Some("node_modules/a/package.json")
        );
        // The fallback is read again: a package.json that changed is seen.
        let none: ReadText<'_> = &|_| Ok(None);
        assert_eq!(
            parse(&file, none, Some(&cache)).packages[0].expression,
            None
        );
    }
}
