//! `onboard status`: the checklist of every gate.

use super::{finish, usage_error};
use crate::cli::{ListFormat, StatusArgs};
use crate::report::{checklist, human};
use crate::status::{self, Outcome};
use std::io::Write;

pub fn run(
    args: &StatusArgs,
    colour: human::Colour,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    match status::compute(&super::options(&args.target, None, &args.layers)) {
        Err(e) => usage_error(err, &e.to_string()),
        Ok(Outcome::Invalid(report)) => {
            err.write_all(human::render(&report, human::Style::plain()).as_bytes())?;
            Ok(2)
        }
        Ok(Outcome::Ready(s)) => {
            let text = match args.format {
                ListFormat::Human => checklist::human(&s, human::Style::detect(colour)),
                ListFormat::Json => checklist::json(&s),
                ListFormat::Markdown => checklist::markdown(&s),
            };
            finish(out.write_all(text.as_bytes()), 0)
        }
    }
}
