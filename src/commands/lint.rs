//! `onboard lint`: run the rules of a gate and report what is missing.

use super::{finish, usage_error};
use crate::cli::{Format, LintArgs};
use crate::engine::{self, Setup};
use crate::outcome::Report;
use crate::report::{checklist, github, human, json, markdown, sarif, summary};
use crate::status::{self, Outcome};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(
    args: &LintArgs,
    colour: human::Colour,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    let p = &args.policy;
    let opts = super::options(&p.target, p.gate.as_deref(), &p.layers);
    let opened = match engine::open(&opts) {
        Ok(o) => o,
        Err(e) => return usage_error(err, &e.to_string()),
    };
    let (mut report, facts) = match engine::prepare_with(&opened, &opts) {
        Setup::Ready(p) => (engine::lint(&p), p.facts),
        Setup::Invalid {
            gate,
            facts,
            errors,
        } => (
            Report::config_errors(gate, facts.repository(), errors),
            facts,
        ),
    };
    if let (Some(reference), false) = (&args.changed_from, report.config_errors) {
        match facts.workspace().changed_since(reference) {
            Ok(changes) => report = report.with_changes(changes),
            Err(e) => return usage_error(err, &e.to_string()),
        }
    }
    if args.hook {
        report.for_hook();
    }
    // Paths as the git work tree names them, when the root is a folder inside it.
    let prefix = crate::workspace::root::prefix(&opts.path);
    let report = report.relocated(&prefix);
    let anchor = format!("{prefix}{}", sarif::anchor(&facts));
    let written = match args.quiet {
        true => write_quiet(&report, p.format, &anchor, colour, out),
        false => write_report(&report, &anchor, p.format, colour, out),
    };
    let summary_file = match args.no_summary {
        true => None,
        false => args.summary.clone().or_else(|| {
            std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        }),
    };
    if let Some(path) = summary_file {
        if let Err(e) = append_summary(&path, &opened, &opts, &report, err) {
            return usage_error(
                err,
                &format!("cannot write the job summary to `{}`: {e}", path.display()),
            );
        }
    }
    finish(written, report.exit_code())
}

/// Writes a lint report in the chosen format; `anchor` is where SARIF places repository-wide
/// findings (see [`sarif::anchor`]).
pub fn write_report(
    report: &Report,
    anchor: &str,
    format: Format,
    colour: human::Colour,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Human => human::render(report, human::Style::detect(colour)),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, anchor),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    };
    out.write_all(text.as_bytes())
}

/// `--quiet`: in the human and github formats, only the deny-level findings (waived or not,
/// warnings leave), and nothing at all when the run passes; the other formats are documents
/// for programs and stay complete.
fn write_quiet(
    report: &Report,
    format: Format,
    anchor: &str,
    colour: human::Colour,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if !matches!(format, Format::Human | Format::Github) {
        return write_report(report, anchor, format, colour, out);
    }
    if report.exit_code() == 0 {
        return Ok(());
    }
    let failing = Report {
        findings: report
            .active()
            .filter(|f| f.level == crate::finding::Level::Deny)
            .cloned()
            .collect(),
        notes: Vec::new(),
        repository: report.repository.clone(),
        rules_run: report.rules_run.clone(),
        changes: report.changes.clone(),
        prefix: report.prefix.clone(),
        ..*report
    };
    write_report(&failing, anchor, format, colour, out)
}

/// Appends the checklist and the findings table to a job summary file (never truncating it:
/// earlier steps' summaries stay), within GitHub's limit.
fn append_summary(
    path: &Path,
    opened: &engine::Opened,
    opts: &engine::Options,
    report: &Report,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    let checklist = match report.config_errors {
        true => None,
        false => match status::compute_with(opened, opts) {
            Outcome::Ready(s) => Some(checklist::markdown(&s)),
            Outcome::Invalid(_) => None,
        },
    };
    let existing = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    let room = summary::STEP_SUMMARY_LIMIT.saturating_sub(existing);
    let Some(text) = summary::compose(checklist.as_deref(), report, room) else {
        writeln!(
            err,
            "warning: the job summary `{}` is full (GitHub allows 1 MiB per step); nothing was added",
            path.display()
        )?;
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}
