//! `onboard licence id`: classify licence files directly, many in one process.

use crate::cli::IdArgs;
use crate::licence::detect::{Detector, Method};
use std::io::Write;
use std::path::PathBuf;

/// Exit code 0 when every file was read, 2 when one could not be (its line says why).
pub fn id(args: &IdArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let mut paths = args.files.clone();
    if let Some(list) = &args.list {
        match std::fs::read_to_string(list) {
            Ok(text) => paths.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(PathBuf::from),
            ),
            Err(e) => {
                writeln!(err, "error: cannot read `{}`: {e}", list.display())?;
                return Ok(2);
            }
        }
    }
    if paths.is_empty() {
        writeln!(err, "error: no files given (pass paths or `--list FILE`)")?;
        return Ok(2);
    }
    if !(0.0..=1.0).contains(&args.threshold) {
        writeln!(err, "error: `--threshold` must be between 0 and 1")?;
        return Ok(2);
    }
    let detector = Detector::new(args.threshold);
    let with_path = args.with_path || paths.len() > 1 || args.list.is_some();
    let prefix = |path: &std::path::Path| {
        if with_path {
            format!("{}\t", path.display())
        } else {
            String::new()
        }
    };
    let mut code = 0;
    for path in &paths {
        let bytes = match read_capped(path) {
            Ok(b) => b,
            Err(e) => {
                writeln!(err, "error: cannot read `{}`: {e}", path.display())?;
                writeln!(out, "{}NOASSERTION\t0.000\terror", prefix(path))?;
                code = 2;
                continue;
            }
        };
        let d = if args.no_hashes {
            detector.classify_only(&String::from_utf8_lossy(&bytes))
        } else {
            detector.detect(&bytes, None)
        };
        if args.json {
            let fingerprint = format!(
                "{:016x}",
                crate::licence::normalise::fingerprint(&String::from_utf8_lossy(&bytes))
            );
            let line =
                serde_json::json!({ "path": path, "fingerprint": fingerprint, "detection": &*d });
            writeln!(out, "{line}")?;
        } else {
            let method = serde_json::to_value(d.method)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            writeln!(
                out,
                "{}{}\t{:.3}\t{}",
                prefix(path),
                d.expression.as_deref().unwrap_or("NOASSERTION"),
                d.score,
                if d.method == Method::None {
                    "none"
                } else {
                    &method
                }
            )?;
        }
    }
    Ok(code)
}

/// Reads a file given on the command line, up to the default read cap.
fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(crate::workspace::DEFAULT_MAX_READ)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
