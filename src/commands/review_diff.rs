//! `onboard review-diff`: the diff a basic-review pull request shows, and, with `--branch`, a
//! two-commit branch that holds it (see [`crate::review`]).

use crate::cli::ReviewFormat;
use crate::cli::{LayerArgs, ReviewArgs};
use crate::report::escape;
use crate::review;
use std::io::Write;

/// `onboard review-diff`: exit 0 when printed or written, 2 on a bad repository, revision,
/// configuration, index or branch.
pub fn run(args: &ReviewArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let fail = |err: &mut dyn Write, m: &str| -> std::io::Result<i32> {
        writeln!(err, "error: {}", escape::terminal(m))?;
        Ok(2)
    };
    let mut target = args.target.clone();
    if target.rev.is_none() && args.branch.is_some() {
        // A branch holds commits: the working tree's uncommitted changes cannot be in it.
        target.rev = Some("HEAD".to_string());
    }
    let layers = LayerArgs {
        policies: args.policies.clone(),
        deny: Vec::new(),
        warn: Vec::new(),
        allow: Vec::new(),
        cargo_metadata: false,
    };
    let opts = super::options(&target, None, &layers);
    let p = match super::prepare(&opts, err)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let fact = p.facts.template();
    let (Some(index), None) = (&fact.loaded, &fact.error) else {
        return fail(
            err,
            fact.error.as_deref().unwrap_or("no template index loaded"),
        );
    };
    let ws = p.facts.workspace();
    let files = match review::review_files(ws, index, &fact.files) {
        Ok(f) => f,
        Err(e) => return fail(err, &e),
    };
    if let Some(name) = &args.branch {
        return match crate::review::branch::write(ws, &files, name, args.force) {
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
                match review::patch(f) {
                    Ok(bytes) => out.write_all(&bytes)?,
                    Err(e) => return fail(err, &e),
                }
            }
        }
    }
    Ok(0)
}
