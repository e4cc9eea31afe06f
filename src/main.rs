use clap::{CommandFactory, FromArgMatches};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // First, before any thread starts: a stopping signal ends onboard and what it started.
    onboard::commands::catch_signals();
    // clap's help and errors follow `--color` and the environment as the reports do; they are
    // written before the arguments are parsed, so `--color` is looked for by hand.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let choice = colour_flag(&args);
    let terminal = std::io::stderr().is_terminal();
    let colour = onboard::report::human::colour_wanted(choice, &|v| std::env::var_os(v), terminal);
    let command = onboard::cli::Cli::command().color(match colour {
        true => clap::ColorChoice::Always,
        false => clap::ColorChoice::Never,
    });
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|m| onboard::cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // Not locked for the whole run: the `--time-limit` watchdog must be able to write and exit
    // while the main thread waits.
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let code = match onboard::commands::run(cli, &mut out, &mut err) {
        Ok(code) => code,
        // A closed pipe (`onboard rules | head`) is how a reader says "enough".
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            2
        }
    };
    let _ = out.flush();
    ExitCode::from(code as u8)
}

/// The last `--color WHEN` or `--color=WHEN` before a `--`; `auto` when there is none or it is
/// not a known value (clap then says so).
fn colour_flag(args: &[std::ffi::OsString]) -> onboard::report::human::Colour {
    use onboard::report::human::Colour;
    let mut choice = Colour::Auto;
    let mut args = args.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
    while let Some(arg) = args.next() {
        let value = match arg {
            "--" => break,
            "--color" => args.next().unwrap_or(""),
            _ => match arg.strip_prefix("--color=") {
                Some(v) => v,
                None => continue,
            },
        };
        choice = match value {
            "always" => Colour::Always,
            "never" => Colour::Never,
            _ => Colour::Auto,
        };
    }
    choice
}
