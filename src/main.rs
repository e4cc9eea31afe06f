use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match onboard::cli::Cli::try_parse() {
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
