//! `onboard explain RULE`: a rule's documentation.

use crate::report::rules_table;
use crate::{rules, suggest};
use std::io::Write;

pub fn run(rule: &str, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    match rules::find(rule) {
        Some(r) => {
            out.write_all(rules_table::explain(r).as_bytes())?;
            Ok(0)
        }
        None => {
            writeln!(
                err,
                "error: no rule is named `{rule}`\n  help: {}",
                suggest::help_for(rule, &rules::rule_names())
            )?;
            Ok(2)
        }
    }
}
