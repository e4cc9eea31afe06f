//! One file per subcommand: each takes its clap arguments, writes its output and returns the
//! exit code. What they share is here: opening a target the same way everywhere (revision,
//! read cap, time limit), and how errors and closed pipes end a command.

pub mod board;
pub mod explain;
pub mod facts;
pub mod init;
pub mod licence;
pub mod lint;
pub mod policy;
pub mod record;
pub mod review_diff;
pub mod rules;
pub mod schema;
pub mod status;
pub mod template;

use crate::cli::{Cli, ColorChoice, Command, LayerArgs, TargetArgs};
use crate::engine::Options;
use crate::finding::{Gate, Level};
use crate::policy::Override;
use std::io::Write;

/// Runs a parsed command line, writing to `out` and `err`; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let colour = colour(cli.color);
    match cli.command {
        Command::Lint(args) => lint::run(&args, colour, out, err),
        Command::Status(args) => status::run(&args, colour, out, err),
        Command::Explain { rule } => explain::run(&rule, out, err),
        Command::Rules { format } => rules::run(format, out),
        Command::Policy(crate::cli::PolicyCommand::Show(args)) => {
            policy::show(&args, colour, out, err)
        }
        Command::Facts(args) => facts::run(&args, out, err),
        Command::Licence(crate::cli::LicenceCommand::Id(args)) => licence::id(&args, out, err),
        Command::ReviewDiff(args) => review_diff::run(&args, out, err),
        Command::Init(args) => init::run(&args, out, err),
        Command::Record(args) => record::run(&args, out, err),
        Command::Template(crate::cli::TemplateCommand::Index(args)) => {
            template::index(&args, out, err)
        }
        Command::Schema { name } => schema::run(&name, out),
        Command::Board(args) => board::run(&args, out, err),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "onboard", out);
            Ok(0)
        }
    }
}

/// `--color` as the report layer takes it.
pub fn colour(choice: ColorChoice) -> crate::report::human::Colour {
    use crate::report::human::Colour;
    match choice {
        ColorChoice::Auto => Colour::Auto,
        ColorChoice::Always => Colour::Always,
        ColorChoice::Never => Colour::Never,
    }
}

/// The root a command reads: the path given, else the one found from the current directory
/// (see [`crate::workspace::root::discover`]).
pub fn root(path: Option<&std::path::Path>) -> std::path::PathBuf {
    match path {
        Some(p) => p.to_path_buf(),
        None => std::env::current_dir()
            .map(|cwd| crate::workspace::root::discover(&cwd))
            .unwrap_or_else(|_| ".".into()),
    }
}

/// Arms the `--time-limit` watchdog: once `seconds` have passed the process ends with exit
/// code 2, whatever it is waiting on. Every command that reads a repository arms it before it
/// opens anything.
pub fn arm(seconds: u64) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(seconds));
        eprintln!(
            "error: onboard stopped after {seconds} s (`--time-limit`): something it reads did \
             not end, such as a pipe or a device where a file should be"
        );
        stop(2);
    });
}

/// Ends the process now with `code`, from any thread: a program onboard started (`cargo
/// metadata`, opted in) is killed with its process group and its temporary directories are
/// removed first. How the `--time-limit` watchdog and a stopping signal end a run.
pub fn stop(code: i32) -> ! {
    crate::facts::deps::cargo::run::kill_running();
    std::process::exit(code);
}

/// The signals that end a run through [`stop`], with their names: exit code 128 + the number.
#[cfg(unix)]
const STOPPING: [(libc::c_int, &str); 3] = [
    (libc::SIGINT, "SIGINT"),
    (libc::SIGTERM, "SIGTERM"),
    (libc::SIGHUP, "SIGHUP"),
];

/// Makes SIGINT, SIGTERM and SIGHUP end onboard through [`stop`] (so `cargo metadata` does not
/// outlive it), with exit code 128 + the signal's number (130, 143, 129). Called first in
/// `main`, before any thread starts: the signals are blocked in the calling thread, every
/// thread started later inherits that, and one thread waits for them with `sigwait(3)`, so no
/// handler runs in signal context. A signal that was ignored when onboard started (`nohup`, a
/// background job) stays ignored. Programs onboard starts get an empty mask (the standard
/// library resets it in the child).
#[cfg(unix)]
pub fn catch_signals() {
    // SAFETY: sigset_t is plain data that sigemptyset initialises; sigaction with a null new
    // action only reads the current one; pthread_sigmask changes the calling thread's mask.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        let mut caught = 0;
        for (signal, _) in STOPPING {
            let mut current: libc::sigaction = std::mem::zeroed();
            let ignored = libc::sigaction(signal, std::ptr::null(), &mut current) == 0
                && current.sa_sigaction == libc::SIG_IGN;
            if !ignored {
                libc::sigaddset(&mut set, signal);
                caught += 1;
            }
        }
        if caught == 0 || libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        set
    };
    std::thread::spawn(move || {
        let mut signal: libc::c_int = 0;
        // SAFETY: `set` is an initialised signal set; sigwait writes the signal it took. It
        // fails only for an invalid set, which this is not.
        if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
            return;
        }
        let name = STOPPING
            .iter()
            .find(|(s, _)| *s == signal)
            .map_or("a signal", |(_, n)| n);
        eprintln!("error: onboard stopped by {name}");
        stop(128 + signal);
    });
}

/// Signals keep their default action where there is no `sigwait`.
#[cfg(not(unix))]
pub fn catch_signals() {}

/// The engine's options for a target: the path, the revision, the read cap, the gate and the
/// policy layers. Arms the watchdog.
pub fn options(target: &TargetArgs, gate: Option<&str>, layers: &LayerArgs) -> Options {
    arm(target.limits.time.seconds);
    unarmed_options(target, gate, layers)
}

/// [`options`] without arming the watchdog, for a command that runs many targets under one.
pub fn unarmed_options(target: &TargetArgs, gate: Option<&str>, layers: &LayerArgs) -> Options {
    let mut overrides = Vec::new();
    // Applied in this order, so on a conflict the strictest wins.
    for (level, list) in [
        (Level::Allow, &layers.allow),
        (Level::Warn, &layers.warn),
        (Level::Deny, &layers.deny),
    ] {
        overrides.extend(list.iter().map(|s| Override {
            level,
            selector: s.clone(),
        }));
    }
    Options {
        path: root(target.path.as_deref()),
        rev: target.rev.clone(),
        max_file_bytes: Some(target.limits.max_file_bytes),
        gate: gate.and_then(Gate::parse),
        policies: layers.policies.clone(),
        overrides,
        cargo_metadata: layers.cargo_metadata,
        cache_dir: cache_dir(target),
    }
}

/// The cache folder for a target: none with `--no-cache`, else [`crate::cache::Cache::default_dir`].
/// A folder inside the linted repository is not used (the engine refuses it too).
pub fn cache_dir(target: &TargetArgs) -> Option<std::path::PathBuf> {
    if target.no_cache {
        return None;
    }
    crate::cache::Cache::default_dir()
}

pub fn usage_error(err: &mut dyn Write, message: &str) -> std::io::Result<i32> {
    writeln!(err, "error: {}", crate::report::escape::terminal(message))?;
    Ok(2)
}

/// The verdict stands even when the reader closed the pipe early (`onboard lint | head`).
pub fn finish(written: std::io::Result<()>, code: i32) -> std::io::Result<i32> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(code),
    }
}

/// Configuration errors, shown as `lint` shows them (each at its span), on standard error;
/// exit code 2. For commands whose standard output is not a report (`status`, `facts`,
/// `review-diff`, `init`).
pub fn config_errors(
    gate: Gate,
    facts: &crate::facts::Facts,
    errors: Vec<crate::finding::Finding>,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    use crate::report::human;
    let report = crate::outcome::Report::config_errors(gate, facts.repository(), errors);
    err.write_all(human::render(&report, human::Style::plain()).as_bytes())?;
    Ok(2)
}

/// Opens a target and prepares its run: the policy and the facts under its settings. On a
/// configuration problem, reports it (see [`config_errors`]) and gives the exit code.
pub fn prepare(
    opts: &Options,
    err: &mut dyn Write,
) -> std::io::Result<Result<Box<crate::engine::Prepared>, i32>> {
    use crate::engine::{self, Setup};
    match engine::prepare(opts) {
        Err(e) => usage_error(err, &e.to_string()).map(Err),
        Ok(Setup::Ready(p)) => Ok(Ok(p)),
        Ok(Setup::Invalid {
            gate,
            facts,
            errors,
        }) => config_errors(gate, &facts, errors, err).map(Err),
    }
}
