//! `onboard board`: many plugins' status on one page, from repositories and from status JSON
//! files. Exit 0: every input is on the board; 3: the board was written without some inputs
//! (each named on standard error); 2: usage error (no input, the output directory cannot be
//! written).

use super::{finish, usage_error};
use crate::board::{self, Builder};
use crate::cli::{BoardArgs, TargetArgs};
use crate::report::escape;
use crate::status::{self, Outcome};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The exit code when some inputs were left off the board.
pub const SKIPPED: i32 = 3;

pub fn run(args: &BoardArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    if args.repos.is_empty() && args.from.is_empty() {
        return usage_error(err, "give repositories, `--from FILE|DIR`, or both");
    }
    let generated = match board::generated_now() {
        Ok(g) => g,
        Err(e) => return usage_error(err, &e),
    };
    super::arm(args.limits.time.seconds);
    let mut builder = Builder::default();
    for repo in &args.repos {
        let input = repo.display().to_string();
        let target = TargetArgs {
            path: Some(repo.clone()),
            rev: None,
            limits: args.limits.clone(),
            no_cache: false,
        };
        // One watchdog for the whole board, armed above.
        let opts = super::unarmed_options(&target, None, &args.layers);
        match status::compute(&opts) {
            Err(e) => builder.skip(&input, e.to_string()),
            Ok(Outcome::Invalid(_)) => builder.skip(
                &input,
                "configuration errors (`onboard status` on it shows them)".into(),
            ),
            Ok(Outcome::Ready(s)) => {
                match board::parse_status(&crate::report::checklist::json(&s)) {
                    Ok(parsed) => builder.add(&input, parsed),
                    Err(e) => builder.skip(&input, e),
                }
            }
        }
    }
    for from in &args.from {
        for file in files_of(from, &mut builder) {
            let input = file.display().to_string();
            match std::fs::read_to_string(&file) {
                Err(e) => builder.skip(&input, format!("cannot read: {e}")),
                Ok(text) => match board::parse_status(&text) {
                    Ok(s) => builder.add(&input, s),
                    Err(e) => builder.skip(&input, e),
                },
            }
        }
    }
    for s in builder.skipped() {
        writeln!(
            err,
            "skipped {}: {}",
            escape::line(&s.input),
            escape::line(&s.reason)
        )?;
    }
    let skipped = !builder.skipped().is_empty();
    let b = builder.finish(generated);
    let dir = &args.output;
    let written = std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(dir.join("index.html"), board::html::render(&b)))
        .and_then(|_| std::fs::write(dir.join("board.json"), board::json(&b)))
        .and_then(|_| std::fs::write(dir.join("board.md"), board::markdown::render(&b)));
    if let Err(e) = written {
        return usage_error(err, &format!("cannot write into {}: {e}", dir.display()));
    }
    let text = format!(
        "board of {} plugins written to {}\n",
        b.plugins.len(),
        escape::line(&dir.display().to_string())
    );
    finish(
        out.write_all(text.as_bytes()),
        if skipped { SKIPPED } else { 0 },
    )
}

/// A file, or the `.json` files of a directory (not its subdirectories), sorted by name.
fn files_of(from: &Path, builder: &mut Builder) -> Vec<PathBuf> {
    if !from.is_dir() {
        return vec![from.to_path_buf()];
    }
    match std::fs::read_dir(from) {
        Err(e) => {
            builder.skip(&from.display().to_string(), format!("cannot list: {e}"));
            Vec::new()
        }
        Ok(entries) => {
            let mut v: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect();
            v.sort();
            v
        }
    }
}
