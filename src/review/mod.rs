//! `onboard review-diff`: the diff a basic-review pull request shows, and, with `--branch`, a
//! two-commit branch that holds it.
//!
//! The index keeps no template text, so the base side is rebuilt from the plugin's own files:
//! files identical to or moved from a template version and files of the excluded classes are
//! the same on both sides; an own file is absent from the base; a modified file's base is the
//! file reduced to its lines found in the nearest template version (of `k` equal lines where
//! that version has `t`, the first `min(k, t)`). So the diff adds exactly the review lines and
//! removes nothing: template lines the plugin deleted are not shown.

pub mod branch;

use crate::facts::template::ClassifiedFile;
use crate::template::compare::Lines;
use crate::template::{Class, TemplateIndex};
use crate::workspace::{Entry, Workspace};

/// One file of the review: its base (`None`: absent) and head contents.
pub struct ReviewFile {
    pub path: String,
    pub class: Class,
    pub added: u64,
    pub base: Option<Vec<u8>>,
    pub head: Vec<u8>,
}

/// The file reduced to the lines `keep` marks, each with its own line ending.
pub fn keep_lines(bytes: &[u8], keep: &[bool]) -> Vec<u8> {
    let mut out = Vec::new();
    for (line, k) in bytes.split_inclusive(|&b| b == b'\n').zip(keep) {
        if *k {
            // A last line without a newline stays without one, as in the file.
            out.extend_from_slice(line);
        }
    }
    out
}

fn head_bytes(ws: &Workspace, f: &ClassifiedFile) -> Result<Vec<u8>, String> {
    if let Some(Entry::Symlink(target)) = ws.entry(&f.path) {
        return Ok(target.into_bytes());
    }
    match ws.read(&f.path) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(format!("`{}` cannot be found", f.path)),
        Err(e) => Err(e.to_string()),
    }
}

/// The own and modified files, with both sides.
pub fn review_files(
    ws: &Workspace,
    index: &TemplateIndex,
    files: &[ClassifiedFile],
) -> Result<Vec<ReviewFile>, String> {
    let mut out = Vec::new();
    for f in files {
        let base = match (f.class, &f.template) {
            (Class::Own, _) => None,
            (Class::Modified, Some(t)) => Some(t.blob_pos),
            _ => continue,
        };
        let head = head_bytes(ws, f)?;
        let base = base.map(|blob| {
            let keep = Lines::of(index, &head).template_lines(index, blob);
            keep_lines(&head, &keep)
        });
        out.push(ReviewFile {
            path: f.path.clone(),
            class: f.class,
            added: f.review_lines,
            base,
            head,
        });
    }
    Ok(out)
}

/// A unified diff of one file.
pub fn patch(f: &ReviewFile) -> Result<Vec<u8>, String> {
    let git = |e: git2::Error| e.message().to_string();
    let mut opts = git2::DiffOptions::new();
    opts.context_lines(3);
    let base = f.base.as_deref().unwrap_or_default();
    let mut patch = git2::Patch::from_buffers(
        base,
        Some(std::path::Path::new(&f.path)),
        &f.head,
        Some(std::path::Path::new(&f.path)),
        Some(&mut opts),
    )
    .map_err(git)?;
    let buf = patch.to_buf().map_err(git)?;
    let text: &[u8] = &buf;
    if f.base.is_some() {
        return Ok(text.to_vec());
    }
    // A new file: say so as git does, so tools apply and render it as one.
    let mut out = format!(
        "diff --git a/{p} b/{p}\nnew file mode 100644\n--- /dev/null\n+++ b/{p}\n",
        p = f.path
    )
    .into_bytes();
    if let Some(at) = find(text, b"\n@@ ") {
        out.extend_from_slice(&text[at + 1..]);
    }
    Ok(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_lines_keep_their_endings() {
        assert_eq!(
            keep_lines(b"a\r\nb\nc", &[true, false, true]),
            b"a\r\nc".to_vec()
        );
        assert_eq!(keep_lines(b"", &[]), Vec::<u8>::new());
    }

    #[test]
    fn new_files_have_git_headers() {
        let f = ReviewFile {
            path: "server/a.go".into(),
            class: Class::Own,
            added: 2,
            base: None,
            head: b"package a\n\nfunc A() {}\n".to_vec(),
        };
        let text = String::from_utf8(patch(&f).unwrap()).unwrap();
        assert!(
            text.starts_with("diff --git a/server/a.go b/server/a.go\nnew file mode 100644\n--- /dev/null\n+++ b/server/a.go\n@@ -0,0 +1,3 @@\n+package a\n"),
            "{text}"
        );
        let m = ReviewFile {
            base: Some(b"package a\n".to_vec()),
            class: Class::Modified,
            ..f
        };
        let text = String::from_utf8(patch(&m).unwrap()).unwrap();
        assert!(
            text.contains("--- a/server/a.go\n+++ b/server/a.go\n"),
            "{text}"
        );
        assert!(text.contains(" package a\n+\n+func A() {}\n"), "{text}");
    }
}
