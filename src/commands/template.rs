//! `onboard template index`: builds an index from a template repository's whole history.

use crate::cli::IndexArgs;
use std::io::Write;

/// `onboard template index`: exit 0 with the index written, 2 when the repository cannot be
/// read.
pub fn index(args: &IndexArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    super::arm(args.limits.time.seconds);
    let Some(repo) = crate::workspace::open_repository(&args.repository) else {
        writeln!(
            err,
            "error: `{}` is not a git repository (give a clone of the template)",
            args.repository.display()
        )?;
        return Ok(2);
    };
    let name = args.name.clone().unwrap_or_else(|| {
        let p = std::fs::canonicalize(&args.repository).unwrap_or(args.repository.clone());
        let mut parts: Vec<String> = p
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        // A mirror kept as `…/<name>/repo` or `<name>.git`.
        while parts.last().is_some_and(|l| l == "repo" || l == ".git") {
            parts.pop();
        }
        let last = parts.pop().unwrap_or_default();
        last.trim_end_matches(".git").to_string()
    });
    let (index, stats) = match crate::template::build::build(
        &repo,
        &name,
        &args.identity_files,
        args.hash_all,
        args.limits.max_file_bytes,
    ) {
        Ok(x) => x,
        Err(e) => {
            writeln!(
                err,
                "error: cannot index `{}`: {e}",
                args.repository.display()
            )?;
            return Ok(2);
        }
    };
    let bytes = index.to_bytes();
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &bytes) {
                writeln!(err, "error: cannot write `{}`: {e}", path.display())?;
                return Ok(2);
            }
        }
        None => out.write_all(&bytes)?,
    }
    let refs: Vec<String> = stats.refs.iter().map(|(k, n)| format!("{n} {k}")).collect();
    writeln!(
        err,
        "indexed `{name}`: {} commits from refs ({}), {} paths, {} blobs, {} distinct lines; {} bytes",
        stats.commits,
        refs.join(", "),
        index.paths.len(),
        index.blobs.len(),
        index.hashes.len(),
        bytes.len()
    )?;
    if stats.oversized > 0 {
        writeln!(
            err,
            "{} blobs over --max-file-bytes ({} bytes) were not read: they count as text of no lines",
            stats.oversized, args.limits.max_file_bytes
        )?;
    }
    Ok(0)
}
