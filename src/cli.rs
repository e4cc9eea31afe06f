//! The command line.

use crate::engine::{self, Options, Setup};
use crate::finding::{Gate, Level};
use crate::policy::Override;
use crate::report::{
    checklist, github, human, json, markdown, rules_table, sarif, summary, Report,
};
use crate::status::{self, Outcome};
use crate::{rules, schemas, suggest};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "onboard",
    version,
    about = "Lints a Mattermost plugin repository against the community onboarding checklist."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the rules of a gate and report what is missing.
    Lint(LintArgs),
    /// The checklist of every gate: each item's state and what it rests on.
    Status(StatusArgs),
    /// Show a rule's documentation (by code or name).
    Explain { rule: String },
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Inspect policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Print the facts the rules see, as JSON.
    Facts(TargetArgs),
    /// Licence tools.
    #[command(subcommand)]
    Licence(LicenceCommand),
    /// The diff a basic-review pull request shows: own files in full, modified template files
    /// against their nearest template version; `--branch` writes it as a two-commit branch.
    ReviewDiff(crate::template::review::ReviewArgs),
    /// Starter-template tools.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Write a first `.onboarding.yml` inferred from the repository (refuses to replace one
    /// without `--force`).
    Init(crate::init::InitArgs),
    /// Print a JSON Schema: onboarding, policy, report, facts, licences or status.
    Schema {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(schemas::NAMES))]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// The effective policy, with the file and line each value comes from.
    Show(PolicyArgs),
}

#[derive(Debug, Subcommand)]
pub enum LicenceCommand {
    /// Classify licence texts: one `path<TAB>expression<TAB>score<TAB>method` line per file
    /// (`NOASSERTION` when nothing matches).
    Id(crate::licence::id::IdArgs),
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Index a template repository's whole history (every ref) into a compact data file:
    /// every path's blobs with line counts and line hashes, every commit's tree.
    Index(crate::template::build::IndexArgs),
}

#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// The plugin repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Lint the tree of this revision (any revspec) instead of the working tree.
    #[arg(long)]
    pub rev: Option<String>,
    /// Read at most this much of one file: bytes, or with a unit (`512KiB`, `64MiB`, `1GiB`).
    /// Lockfiles may be 16 times as large. A file over it is not read, and `file-too-large`
    /// says what could not be judged without it.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = parse_size)]
    pub max_file_bytes: u64,
    /// Stop with exit code 2 after this many seconds. Runs take well under a second; this
    /// only ends one that something in the repository keeps waiting (a pipe where a file
    /// should be).
    #[arg(long, value_name = "SECONDS", default_value_t = 600,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub time_limit: u64,
}

/// Ends the process with exit code 2 once `seconds` have passed, whatever it is waiting on.
fn watchdog(seconds: u64) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(seconds));
        eprintln!(
            "error: onboard stopped after {seconds} s (`--time-limit`): something it reads did \
             not end, such as a pipe or a device where a file should be"
        );
        std::process::exit(2);
    });
}

/// A size in bytes, optionally with a binary unit: `1000`, `512K`, `512KiB`, `16M`, `1GiB`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = t.split_at(digits);
    let number: u64 = number.parse().map_err(|_| {
        format!("`{text}` is not a size: write bytes, or a number with KiB, MiB or GiB")
    })?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit `{other}`: use KiB, MiB or GiB")),
    };
    match number.checked_mul(factor) {
        Some(0) => Err("the limit must be at least one byte".into()),
        Some(n) => Ok(n),
        None => Err(format!("`{text}` is too large")),
    }
}

#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The gate to judge; default: `gate:` in .onboarding.yml, else ci-extensions.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(Gate::NAMES))]
    pub gate: Option<String>,
    #[command(flatten)]
    pub layers: Layers,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Policy files and overrides layered over the gate's policy.
#[derive(Debug, Clone, Args)]
pub struct Layers {
    /// An extra policy file, layered over the gate's policy (repeatable).
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    /// Raise a rule or group to deny (repeatable).
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// Set a rule or group to warn (repeatable).
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// Turn a rule or group off (repeatable).
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Mark findings in files changed since the merge base with REF, and show them first.
    #[arg(long, value_name = "REF")]
    pub changed_from: Option<String>,
    /// Append the checklist and the findings table, in Markdown, to FILE; default:
    /// $GITHUB_STEP_SUMMARY when set.
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub layers: Layers,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A summary and a findings table, for a pull-request comment.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    Markdown,
}

impl Layers {
    fn options(&self, target: &TargetArgs, gate: Option<Gate>) -> Options {
        let mut overrides = Vec::new();
        // Applied in this order, so on a conflict the strictest wins.
        for (level, list) in [
            (Level::Allow, &self.allow),
            (Level::Warn, &self.warn),
            (Level::Deny, &self.deny),
        ] {
            overrides.extend(list.iter().map(|s| Override {
                level,
                selector: s.clone(),
            }));
        }
        Options {
            path: target.path.clone(),
            rev: target.rev.clone(),
            max_file_bytes: Some(target.max_file_bytes),
            gate,
            policies: self.policies.clone(),
            overrides,
        }
    }
}

impl PolicyArgs {
    fn options(&self) -> Options {
        self.layers
            .options(&self.target, self.gate.as_deref().and_then(Gate::parse))
    }
}

/// Runs a parsed command line, writing to `out` and `err`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let target = match &cli.command {
        Command::Lint(args) => Some(&args.policy.target),
        Command::Status(args) => Some(&args.target),
        Command::Facts(target) => Some(target),
        Command::Policy(PolicyCommand::Show(args)) => Some(&args.target),
        _ => None,
    };
    if let Some(t) = target {
        watchdog(t.time_limit);
    }
    match cli.command {
        Command::Lint(args) => lint(&args, out, err),
        Command::Status(args) => status_command(&args, out, err),
        Command::Explain { rule } => match rules::find(&rule) {
            Some(r) => {
                out.write_all(rules_table::explain(r).as_bytes())?;
                Ok(0)
            }
            None => {
                writeln!(
                    err,
                    "error: no rule is named `{rule}`\n  help: {}",
                    suggest::help_for(&rule, &rules::rule_names())
                )?;
                Ok(2)
            }
        },
        Command::Rules { format } => {
            let text = match format {
                ListFormat::Human => rules_table::human(),
                ListFormat::Json => rules_table::json(),
                ListFormat::Markdown => rules_table::markdown(),
            };
            out.write_all(text.as_bytes())?;
            Ok(0)
        }
        Command::Policy(PolicyCommand::Show(args)) => policy_show(&args, out, err),
        Command::Facts(target) => {
            let ws = match crate::workspace::Workspace::open(&target.path, target.rev.as_deref()) {
                Ok(ws) => match ws.with_max_read(target.max_file_bytes).listed() {
                    Ok(ws) => ws,
                    Err(e) => return usage_error(err, &e.to_string()),
                },
                Err(e) => return usage_error(err, &e.to_string()),
            };
            let facts = crate::facts::Facts::new(ws);
            let mut s = serde_json::to_string_pretty(&facts.all()).expect("facts serialise");
            s.push('\n');
            out.write_all(s.as_bytes())?;
            Ok(0)
        }
        Command::Licence(LicenceCommand::Id(args)) => crate::licence::id::run(&args, out, err),
        Command::ReviewDiff(args) => crate::template::review::run(&args, out, err),
        Command::Init(args) => crate::init::run(&args, out, err),
        Command::Template(TemplateCommand::Index(args)) => {
            crate::template::build::run(&args, out, err)
        }
        Command::Schema { name } => {
            out.write_all(schemas::get(&name).unwrap_or_default().as_bytes())?;
            Ok(0)
        }
    }
}

fn usage_error(err: &mut dyn Write, message: &str) -> std::io::Result<i32> {
    writeln!(err, "error: {message}")?;
    Ok(2)
}

fn write_report(
    report: &Report,
    facts: &crate::facts::Facts,
    format: Format,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Human => human::render(report, human::Style::detect()),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, &engine::anchor(facts)),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    };
    out.write_all(text.as_bytes())
}

fn lint(args: &LintArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let opts = args.policy.options();
    let setup = match engine::prepare(&opts) {
        Ok(s) => s,
        Err(e) => return usage_error(err, &e.to_string()),
    };
    let (mut report, facts) = match setup {
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
    let written = write_report(&report, &facts, args.policy.format, out);
    let summary_file = args.summary.clone().or_else(|| {
        std::env::var_os("GITHUB_STEP_SUMMARY")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    if let Some(path) = summary_file {
        if let Err(e) = append_summary(&path, &opts, &facts, &report, err) {
            return usage_error(
                err,
                &format!("cannot write the job summary to `{}`: {e}", path.display()),
            );
        }
    }
    finish(written, report.exit_code())
}

/// Appends the checklist and the findings table to a job summary file (never truncating it:
/// earlier steps' summaries stay), within GitHub's limit.
fn append_summary(
    path: &std::path::Path,
    opts: &engine::Options,
    facts: &std::rc::Rc<crate::facts::Facts>,
    report: &Report,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    let checklist = match report.config_errors {
        true => None,
        false => match status::compute_with(facts.clone(), opts) {
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

fn status_command(
    args: &StatusArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    match status::compute(&args.layers.options(&args.target, None)) {
        Err(e) => usage_error(err, &e.to_string()),
        Ok(Outcome::Invalid(report)) => {
            err.write_all(human::render(&report, human::Style::plain()).as_bytes())?;
            Ok(2)
        }
        Ok(Outcome::Ready(s)) => {
            let text = match args.format {
                ListFormat::Human => checklist::human(&s, human::Style::detect()),
                ListFormat::Json => checklist::json(&s),
                ListFormat::Markdown => checklist::markdown(&s),
            };
            finish(out.write_all(text.as_bytes()), 0)
        }
    }
}

/// The verdict stands even when the reader closed the pipe early (`onboard lint | head`).
fn finish(written: std::io::Result<()>, code: i32) -> std::io::Result<i32> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(code),
    }
}

fn policy_show(
    args: &PolicyArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    let setup = match engine::prepare(&args.options()) {
        Ok(s) => s,
        Err(e) => return usage_error(err, &e.to_string()),
    };
    let p = match setup {
        Setup::Ready(p) => p,
        Setup::Invalid {
            gate,
            facts,
            errors,
        } => {
            let report = Report::config_errors(gate, facts.repository(), errors);
            return finish(write_report(&report, &facts, args.format, out), 2);
        }
    };
    if args.format == Format::Json {
        let rules: Vec<serde_json::Value> = p
            .policy
            .rules
            .iter()
            .map(|(r, s)| {
                serde_json::json!({
                    "code": r.code, "rule": r.name, "level": s.level, "level_from": s.level_from,
                    "params": s.params, "params_from": s.params_from,
                })
            })
            .collect();
        let doc = serde_json::json!({ "gate": p.gate, "files": p.policy.files, "rules": rules });
        let mut s = serde_json::to_string_pretty(&doc).expect("policy serialises");
        s.push('\n');
        out.write_all(s.as_bytes())?;
        return Ok(0);
    }
    writeln!(out, "gate: {}", p.gate)?;
    writeln!(out, "files, lowest first:")?;
    for f in &p.policy.files {
        writeln!(out, "  {f}")?;
    }
    writeln!(out, "rules:")?;
    let width = p
        .policy
        .rules
        .iter()
        .map(|(r, _)| r.name.len())
        .max()
        .unwrap_or(0);
    for (r, s) in &p.policy.rules {
        writeln!(
            out,
            "  {} {:width$}  {:5}  from {}",
            r.code,
            r.name,
            s.level.as_str(),
            s.level_from
        )?;
        for (k, v) in &s.params {
            let from = s
                .params_from
                .get(k)
                .map(|o| o.to_string())
                .unwrap_or_default();
            writeln!(out, "        {k} = {v}  from {from}")?;
        }
    }
    Ok(0)
}
