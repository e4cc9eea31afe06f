//! `onboard schema NAME`: a JSON Schema (the name is checked by clap).

use std::io::Write;

pub fn run(name: &str, out: &mut dyn Write) -> std::io::Result<i32> {
    out.write_all(crate::schemas::get(name).unwrap_or_default().as_bytes())?;
    Ok(0)
}
