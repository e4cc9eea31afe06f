//! `onboard rules`: every rule of the registry.

use crate::cli::ListFormat;
use crate::report::rules_table;
use std::io::Write;

pub fn run(format: ListFormat, out: &mut dyn Write) -> std::io::Result<i32> {
    let text = match format {
        ListFormat::Human => rules_table::human(),
        ListFormat::Json => rules_table::json(),
        ListFormat::Markdown => rules_table::markdown(),
    };
    out.write_all(text.as_bytes())?;
    Ok(0)
}
