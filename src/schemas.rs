//! The JSON Schemas onboard publishes, generated from its types (`schemas/` holds the files).

use serde_json::Value;

pub const NAMES: [&str; 4] = ["onboarding", "policy", "report", "facts"];

/// The schema called `name`, pretty-printed with a final newline.
pub fn get(name: &str) -> Option<String> {
    let value: Value = match name {
        "onboarding" => schemars::schema_for!(crate::facts::onboarding::Onboarding).into(),
        "policy" => crate::policy::schema::policy_schema(),
        "report" => schemars::schema_for!(crate::report::json::JsonReport).into(),
        "facts" => schemars::schema_for!(crate::facts::AllFacts<'static>).into(),
        _ => return None,
    };
    let mut s = serde_json::to_string_pretty(&value).expect("schemas serialise");
    s.push('\n');
    Some(s)
}

/// The file a schema is kept in, relative to the repository root.
pub fn file_name(name: &str) -> String {
    format!("schemas/{name}.schema.json")
}
