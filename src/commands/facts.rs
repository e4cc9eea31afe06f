//! `onboard facts`: the facts the rules see, as JSON, built with the same policy settings as
//! `lint` of the same gate. With a configuration problem it says so as `lint` does (exit 2),
//! and still prints the facts, built with the default settings (their `settings` key shows
//! them), so that a broken `.onboarding.yml` can be inspected.

use crate::cli::FactsArgs;
use crate::engine::{self, Setup};
use std::io::Write;

pub fn run(args: &FactsArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let opts = super::options(&args.target, args.gate.as_deref(), &args.layers);
    let (facts, code) = match engine::prepare(&opts) {
        Err(e) => return super::usage_error(err, &e.to_string()),
        Ok(Setup::Ready(p)) => (p.facts, 0),
        Ok(Setup::Invalid {
            gate,
            facts,
            errors,
        }) => {
            let code = super::config_errors(gate, &facts, errors, err)?;
            (facts, code)
        }
    };
    let mut s = serde_json::to_string_pretty(&facts.all()).expect("facts serialise");
    s.push('\n');
    super::finish(out.write_all(s.as_bytes()), code)
}
