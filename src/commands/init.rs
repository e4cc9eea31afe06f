//! `onboard init`: writes a first `.onboarding.yml` inferred from the repository (see
//! [`crate::init`]). It is the one command that writes a file into the working tree, and it
//! refuses to replace one without `--force`.

use crate::cli::InitArgs;
use crate::engine::{self, Options, Setup};
use crate::facts::onboarding::FILE_NAME;
use crate::init::{infer, render};
use std::io::Write;

/// Runs `onboard init`: 0 written (or printed), 2 refused or failed.
pub fn run(args: &InitArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    super::arm(args.limits.time.seconds);
    let path = super::root(args.path.as_deref());
    let bare = crate::workspace::open_repository(&path).is_some_and(|r| r.is_bare());
    if bare {
        writeln!(
            err,
            "error: {} is a bare repository: there is no working tree to write {FILE_NAME} to",
            path.display()
        )?;
        return Ok(2);
    }
    let target = path.join(FILE_NAME);
    if !args.stdout && !args.force && std::fs::symlink_metadata(&target).is_ok() {
        writeln!(
            err,
            "error: {} exists; `onboard init --force` replaces it, `--stdout` prints what it would write",
            target.display()
        )?;
        return Ok(2);
    }
    // The facts are built as `lint` builds them: under the settings of the policies the
    // repository names. A configuration that does not read (the file `--force` replaces) leaves
    // the default settings.
    let opts = Options {
        path: path.clone(),
        max_file_bytes: Some(args.limits.max_file_bytes),
        ..Options::default()
    };
    let facts = match engine::prepare(&opts) {
        Ok(Setup::Ready(p)) => p.facts,
        Ok(Setup::Invalid { facts, errors, .. }) => {
            writeln!(
                err,
                "warning: the existing configuration has {} problem(s) (`onboard lint` shows \
                 them); inferring with the default settings",
                errors.len()
            )?;
            facts
        }
        Err(e) => {
            writeln!(
                err,
                "error: {}",
                crate::report::escape::terminal(&e.to_string())
            )?;
            return Ok(2);
        }
    };
    let text = render(&infer(&facts));
    if args.stdout {
        out.write_all(text.as_bytes())?;
        return Ok(0);
    }
    // Never write through a link: replace the file itself, via a temporary file and a rename.
    let tmp = path.join(format!(".{FILE_NAME}.onboard-init"));
    let written = std::fs::write(&tmp, &text).and_then(|()| std::fs::rename(&tmp, &target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        writeln!(err, "error: cannot write {}: {e}", target.display())?;
        return Ok(2);
    }
    writeln!(
        out,
        "wrote {}: check the owner, the licence, the template and the build URLs",
        target.display()
    )?;
    Ok(0)
}
