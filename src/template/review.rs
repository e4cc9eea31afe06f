//! `onboard review-diff`: the diff a basic-review pull request shows, and, with `--branch`, a
//! two-commit branch that holds it.
//!
//! The index keeps no template text, so the base side is rebuilt from the plugin's own files:
//! files identical to or moved from a template version and files of the excluded classes are
//! the same on both sides; an own file is absent from the base; a modified file's base is the
//! file reduced to its lines found in the nearest template version (of `k` equal lines where
//! that version has `t`, the first `min(k, t)`). So the diff adds exactly the review lines and
//! removes nothing: template lines the plugin deleted are not shown.

use crate::engine::{self, Options, Setup};
use crate::facts::template::ClassifiedFile;
use crate::report::escape;
use crate::template::compare::Lines;
use crate::template::{Class, TemplateIndex};
use crate::workspace::{Entry, Workspace};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// A unified diff.
    Patch,
    /// One line per file: added lines, class, path; then the total.
    Stat,
}

#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// The plugin repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Compare the tree of this revision instead of the working tree (with `--branch`: default
    /// `HEAD`).
    #[arg(long)]
    pub rev: Option<String>,
    #[arg(long, value_enum, default_value_t = ReviewFormat::Patch)]
    pub format: ReviewFormat,
    /// Write a two-commit branch, base (template boilerplate) then head (the plugin's tree),
    /// into the repository: only objects and `refs/heads/NAME`, never the working tree or the
    /// index.
    #[arg(long, value_name = "NAME")]
    pub branch: Option<String>,
    /// Replace the branch if it exists (never the checked-out branch).
    #[arg(long, requires = "branch")]
    pub force: bool,
    /// An extra policy file (repeatable): `review-size`'s parameters choose the index and the
    /// class globs.
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
}

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

/// `onboard review-diff`: exit 0 when printed or written, 2 on a bad repository, revision,
/// configuration, index or branch.
pub fn run(args: &ReviewArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let fail = |err: &mut dyn Write, m: &str| -> std::io::Result<i32> {
        writeln!(err, "error: {}", escape::terminal(m))?;
        Ok(2)
    };
    let rev = match (&args.rev, &args.branch) {
        (Some(r), _) => Some(r.clone()),
        // A branch holds commits: the working tree's uncommitted changes cannot be in it.
        (None, Some(_)) => Some("HEAD".to_string()),
        (None, None) => None,
    };
    let opts = Options {
        path: args.path.clone(),
        rev,
        policies: args.policies.clone(),
        ..Options::default()
    };
    let p = match engine::prepare(&opts) {
        Ok(Setup::Ready(p)) => p,
        Ok(Setup::Invalid { errors, .. }) => {
            for e in errors {
                writeln!(err, "error: {}", escape::terminal(&e.message))?;
            }
            return Ok(2);
        }
        Err(e) => return fail(err, &e.to_string()),
    };
    engine::configure_template(&p);
    let fact = p.facts.template();
    let (Some(index), None) = (&fact.loaded, &fact.error) else {
        return fail(
            err,
            fact.error.as_deref().unwrap_or("no template index loaded"),
        );
    };
    let ws = p.facts.workspace();
    let files = match review_files(ws, index, &fact.files) {
        Ok(f) => f,
        Err(e) => return fail(err, &e),
    };
    if let Some(name) = &args.branch {
        return match super::branch::write(ws, &files, name, args.force) {
            Ok(summary) => {
                writeln!(out, "{}", escape::terminal(&summary))?;
                Ok(0)
            }
            Err(e) => fail(err, &e),
        };
    }
    match args.format {
        ReviewFormat::Stat => {
            for f in &files {
                let path = escape::line(&f.path);
                writeln!(out, "{:>7}  {:<8}  {path}", f.added, f.class.as_str())?;
            }
            writeln!(
                out,
                "{} files, {} review lines ({} own files, {} modified template files)",
                files.len(),
                fact.review_lines,
                fact.classes.own.files,
                fact.classes.modified.files
            )?;
        }
        ReviewFormat::Patch => {
            for f in &files {
                match patch(f) {
                    Ok(bytes) => out.write_all(&bytes)?,
                    Err(e) => return fail(err, &e),
                }
            }
        }
    }
    Ok(0)
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
