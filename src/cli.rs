//! The command line: clap types only. Each subcommand's body is in `src/commands/`.

use crate::finding::Gate;
use crate::schemas;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "onboard",
    version,
    about = "Lints a Mattermost plugin repository against the community onboarding checklist."
)]
pub struct Cli {
    /// When to colour the output: `auto` colours a terminal unless `NO_COLOR` is set (or
    /// `FORCE_COLOR`/`CLICOLOR_FORCE` forces it, or `TERM=dumb` turns it off); `always` and
    /// `never` overrule every variable.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
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
    /// Print the facts the rules see, as JSON (built with the gate's policy settings).
    Facts(FactsArgs),
    /// Licence tools.
    #[command(subcommand)]
    Licence(LicenceCommand),
    /// The diff a basic-review pull request shows: own files in full, modified template files
    /// against their nearest template version; `--branch` writes it as a two-commit branch.
    ReviewDiff(ReviewArgs),
    /// Starter-template tools.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Write a first `.onboarding.yml` inferred from the repository (refuses to replace one
    /// without `--force`).
    Init(InitArgs),
    /// Record a human step (a code review, a QA pass, the PM/UX review) in `.onboarding.yml`,
    /// at a commit, dated today, optionally signed with an SSH key. Edits the file in place,
    /// keeping every other byte; never commits.
    #[command(subcommand)]
    Record(RecordCommand),
    /// Many plugins on one page: runs `status` on each repository and reads status JSON files
    /// (`--from`), and writes `index.html`, `board.json` and `board.md` into `-o DIR`. Exit 3
    /// when some input was left off the board.
    Board(BoardArgs),
    /// Print a JSON Schema: onboarding, policy, report, facts, licences, status, rules or board.
    Schema {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(schemas::NAMES))]
        name: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell) to standard
    /// output.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Args)]
pub struct BoardArgs {
    /// Plugin repositories to run `status` on.
    pub repos: Vec<PathBuf>,
    /// An `onboard status --format json` file, or a directory of them (`*.json`); repeatable.
    #[arg(long, value_name = "FILE|DIR")]
    pub from: Vec<PathBuf>,
    /// The directory to write `index.html`, `board.json` and `board.md` into.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: PathBuf,
    #[command(flatten)]
    pub layers: LayerArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Subcommand)]
pub enum RecordCommand {
    /// A code review: `basic` (one core committer), or one half of a `complete` review (two
    /// committers, one with `--focus security`).
    Review(RecordReviewArgs),
    /// A QA pass, of a release (`--release`) or of a commit.
    Qa(RecordQaArgs),
    /// The PM/UX review (one per plugin: it replaces the one recorded).
    PmUx(RecordPmUxArgs),
}

/// What every `onboard record` takes.
#[derive(Debug, Clone, Args)]
pub struct RecordArgs {
    /// The plugin repository (its working tree). Default: found from the current directory, as
    /// `lint` finds it.
    pub path: Option<PathBuf>,
    /// Who did the step; default: the git identity (`user.name <user.email>`).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// The commit the step covers (any revision; written as the full commit id). Default:
    /// `HEAD`, or for a QA pass of a release the release tag's commit.
    #[arg(long, value_name = "REV")]
    pub commit: Option<String>,
    /// The day the step was done (`YYYY-MM-DD`); default: today.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Sign the record with this SSH key: an unencrypted OpenSSH private key signs in-process;
    /// a key with a passphrase, or a `.pub` whose private key is in ssh-agent, is signed by
    /// your `ssh-keygen -Y sign`.
    #[arg(long, value_name = "KEYFILE", conflicts_with = "signature")]
    pub sign: Option<PathBuf>,
    /// Attach a signature made elsewhere over `--print-payload`'s output
    /// (`ssh-keygen -Y sign -n onboard-record -f KEY payload` writes `payload.sig`).
    #[arg(long, value_name = "FILE")]
    pub signature: Option<PathBuf>,
    /// Print the payload a signature covers, and write nothing.
    #[arg(long, conflicts_with_all = ["sign", "signature"])]
    pub print_payload: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Debug, Clone, Args)]
pub struct RecordReviewArgs {
    #[command(flatten)]
    pub record: RecordArgs,
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["basic", "complete"]))]
    pub kind: String,
    /// What the review focused on: `security` for the security half of a complete review.
    #[arg(long, value_name = "FOCUS")]
    pub focus: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RecordQaArgs {
    #[command(flatten)]
    pub record: RecordArgs,
    /// The release tag that was tested.
    #[arg(long, value_name = "TAG")]
    pub release: Option<String>,
    /// Where it was tested.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["ci-extensions", "ci-extensions-release"]))]
    pub environment: String,
    /// The QA session notes, a path in the repository.
    #[arg(long, value_name = "FILE")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RecordPmUxArgs {
    #[command(flatten)]
    pub record: RecordArgs,
    /// How other teams or users hear of the rollout (or that no one needs to, and why).
    #[arg(long, value_name = "TEXT")]
    pub communication: Option<String>,
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
    Id(IdArgs),
}

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Index a template repository's whole history (every ref) into a compact data file:
    /// every path's blobs with line counts and line hashes, every commit's tree.
    Index(IndexArgs),
}

#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// The plugin repository. Default: found from the current directory, the nearest folder
    /// upward holding `.onboarding.yml` or a plugin manifest, within the git work tree (else
    /// the work tree's root). Paths are printed relative to the git work tree's root.
    pub path: Option<PathBuf>,
    /// Lint the tree of this revision (any revspec) instead of the working tree.
    #[arg(long)]
    pub rev: Option<String>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Compute everything afresh and keep nothing: no results are read from or written to the
    /// cache (`$ONBOARD_CACHE_DIR`, else `$XDG_CACHE_HOME/onboard`, else `~/.cache/onboard`).
    #[arg(long)]
    pub no_cache: bool,
}

/// The bounds of a command that reads a repository.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Read at most this much of one file: bytes, or with a unit (`512KiB`, `64MiB`, `1GiB`).
    /// Lockfiles may be 16 times as large. A file over it is not read, and `file-too-large`
    /// says what could not be judged without it.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = crate::workspace::parse_size)]
    pub max_file_bytes: u64,
    #[command(flatten)]
    pub time: TimeLimit,
}

/// `--time-limit`, which every command that reads a repository takes.
#[derive(Debug, Clone, Args)]
pub struct TimeLimit {
    /// Stop with exit code 2 after this many seconds. Runs take well under a second; this
    /// only ends one that something in the repository keeps waiting (a pipe where a file
    /// should be).
    #[arg(long = "time-limit", value_name = "SECONDS", default_value_t = 600,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub seconds: u64,
}

#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The gate to judge; default: `gate:` in .onboarding.yml, else ci-extensions.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(Gate::NAMES))]
    pub gate: Option<String>,
    #[command(flatten)]
    pub layers: LayerArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Args)]
pub struct FactsArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The gate whose policy's settings the facts are built with; default: `gate:` in
    /// .onboarding.yml, else ci-extensions.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(Gate::NAMES))]
    pub gate: Option<String>,
    #[command(flatten)]
    pub layers: LayerArgs,
}

/// Policy files and overrides layered over the gate's policy.
#[derive(Debug, Clone, Args)]
pub struct LayerArgs {
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
    /// Find Cargo dependency licences with `cargo metadata` (confined: offline, bounded in time
    /// and memory, on a copy of the manifests). For trusted repositories only: the
    /// repository's manifests steer what cargo reads. Without it, `Cargo.lock` and the local
    /// registry cache are read and no program runs.
    #[arg(long)]
    pub cargo_metadata: bool,
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
    /// Write no job summary, even when $GITHUB_STEP_SUMMARY is set.
    #[arg(long, conflicts_with = "summary")]
    pub no_summary: bool,
    /// For pre-commit: fail only on what a commit can fix. Findings of rules a commit cannot
    /// fix (a review gone stale, a release tag, a build address CI has not published yet,
    /// dependency licences that need a module cache) are shown as warnings.
    #[arg(long)]
    pub hook: bool,
    /// Print only what fails the run: deny-level findings and the summary line when there are
    /// any (human and github formats); nothing when the run passes. The exit code is the
    /// same. JSON, SARIF and Markdown stay complete.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub layers: LayerArgs,
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

#[derive(Debug, Clone, Args)]
pub struct IdArgs {
    /// Licence files to classify.
    pub files: Vec<PathBuf>,
    /// Read more paths from this file, one per line.
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// The classifier's confidence threshold (0 to 1).
    #[arg(long, default_value_t = crate::licence::detect::DEFAULT_THRESHOLD)]
    pub threshold: f32,
    /// Skip the hash tier and classify every text (to measure the classifier alone).
    #[arg(long)]
    pub no_hashes: bool,
    /// Print each detection as a JSON line instead (parts, candidates, reason).
    #[arg(long)]
    pub json: bool,
    /// Print the path column even for a single file (like `grep -H`; it is left out when one
    /// file is given and no `--list`).
    #[arg(short = 'H', long)]
    pub with_path: bool,
}

#[derive(Debug, Clone, Args)]
pub struct IndexArgs {
    /// A clone of the template repository (a working tree or a bare/mirror git directory).
    pub repository: PathBuf,
    /// Write the index here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The index's name; default: the repository directory's name.
    #[arg(long)]
    pub name: Option<String>,
    /// A path whose template versions are part of the template's identity (an example file
    /// that plugins should replace); the root README and the manifest's icon always are.
    /// Repeatable.
    #[arg(long = "identity-file", value_name = "PATH")]
    pub identity_files: Vec<String>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Hash the lines of every text blob, lockfiles and other excluded classes included.
    #[arg(long)]
    pub hash_all: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// The plugin repository, and the revision to compare (with `--branch`, default `HEAD`).
    #[command(flatten)]
    pub target: TargetArgs,
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
    /// An extra policy file (repeatable): its `template:` setting chooses the index and the
    /// class globs.
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
}

/// How `review-diff` prints the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// A unified diff.
    Patch,
    /// One line per file: added lines, class, path; then the total.
    Stat,
}

#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The plugin repository (its working tree). Default: found from the current directory, as
    /// `lint` finds it.
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Replace an existing `.onboarding.yml`.
    #[arg(long)]
    pub force: bool,
    /// Print the file instead of writing it.
    #[arg(long)]
    pub stdout: bool,
}
