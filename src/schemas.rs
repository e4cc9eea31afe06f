//! The JSON Schemas onboard publishes, generated from its types (`schemas/` holds the files).

use serde_json::Value;

pub const NAMES: [&str; 8] = [
    "onboarding",
    "policy",
    "report",
    "facts",
    "licences",
    "status",
    "rules",
    "board",
];

/// The schema called `name`, pretty-printed with a final newline.
pub fn get(name: &str) -> Option<String> {
    let value: Value = match name {
        "onboarding" => onboarding(),
        "policy" => crate::policy::schema::policy_schema(),
        "report" => output::<crate::report::json::JsonReport>(),
        "facts" => output::<crate::facts::AllFacts<'static>>(),
        "licences" => schemars::schema_for!(crate::licence::categories::LicenceCategories).into(),
        "status" => output::<crate::report::checklist::JsonStatus>(),
        "rules" => output::<crate::report::rules_table::JsonRules>(),
        "board" => output::<crate::board::Board>(),
        _ => return None,
    };
    let mut value = value;
    if let Some(obj) = value.as_object_mut() {
        // Only at the root: a `$id` on an embedded definition would rebase its `$ref`s.
        obj.insert("$id".into(), crate::links::schema(name).into());
    }
    let mut s = serde_json::to_string_pretty(&value).expect("schemas serialise");
    s.push('\n');
    Some(s)
}

/// The file a schema is kept in, relative to the repository root.
pub fn file_name(name: &str) -> String {
    format!("schemas/{name}.schema.json")
}

/// Schemas of what onboard writes describe the serialised form.
fn output<T: schemars::JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator();
    generator.into_root_schema_for::<T>().into()
}

/// `.onboarding.yml` as read: `license` is accepted as another spelling of `licence`.
fn onboarding() -> Value {
    let mut value: Value = schemars::schema_for!(crate::facts::onboarding::Onboarding).into();
    if let Some(props) = value.get_mut("properties").and_then(Value::as_object_mut) {
        if let Some(mut licence) = props.get("licence").cloned() {
            licence["description"] = "Another spelling of `licence`; give one of the two.".into();
            props.insert("license".into(), licence);
        }
    }
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "not".into(),
            serde_json::json!({ "required": ["licence", "license"] }),
        );
    }
    value
}
