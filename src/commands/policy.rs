//! `onboard policy show`: the effective policy, with where each value comes from.

use super::{finish, lint::write_report, usage_error};
use crate::cli::{Format, PolicyArgs};
use crate::engine::{self, Setup};
use crate::outcome::Report;
use crate::report::policy as render;
use std::io::Write;

pub fn show(
    args: &PolicyArgs,
    colour: crate::report::human::Colour,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    let opts = super::options(&args.target, args.gate.as_deref(), &args.layers);
    let p = match engine::prepare(&opts) {
        Err(e) => return usage_error(err, &e.to_string()),
        Ok(Setup::Ready(p)) => p,
        Ok(Setup::Invalid {
            gate,
            facts,
            errors,
        }) => {
            let prefix = crate::workspace::root::prefix(&opts.path);
            let report = Report::config_errors(gate, facts.repository(), errors).relocated(&prefix);
            let anchor = format!("{prefix}{}", crate::report::sarif::anchor(&facts));
            return finish(write_report(&report, &anchor, args.format, colour, out), 2);
        }
    };
    let text = match args.format {
        Format::Json => render::json(p.gate, &p.policy),
        _ => render::human(p.gate, &p.policy),
    };
    finish(out.write_all(text.as_bytes()), 0)
}
