//! The JSON Schema of policy files, generated from the rule registry: every rule name and code
//! is a known selector, and each rule's `params` is checked against its parameter type.

use crate::finding::Level;
use crate::rules::{self, REGISTRY};
use serde_json::{json, Map, Value};

pub fn policy_schema() -> Value {
    let level = json!({ "type": "string", "enum": Level::NAMES });
    let mut selectors = Map::new();
    for rule in REGISTRY {
        let params = Value::from((rule.params.schema)());
        let entry = json!({
            "description": format!("{} {}: {}", rule.code, rule.name, rule.summary),
            "oneOf": [
                { "$ref": "#/definitions/level" },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": { "level": { "$ref": "#/definitions/level" }, "params": params }
                }
            ]
        });
        selectors.insert(rule.name.to_string(), entry.clone());
        selectors.insert(rule.code.to_string(), entry);
    }
    for group in rules::groups() {
        selectors.insert(
            group.to_string(),
            json!({ "description": format!("every rule of the `{group}` group"), "$ref": "#/definitions/level" }),
        );
    }
    let mut properties = json!({
        "version": { "const": 1 },
        "description": { "type": "string" },
        "extends": {
            "description": "A shipped policy (base, ci-extensions, ci-extensions-release, community, marketplace) or a path relative to this file.",
            "oneOf": [ { "type": "string" }, { "type": "array", "items": { "type": "string" } } ]
        },
        "rules": {
            "type": "object",
            "additionalProperties": false,
            "properties": selectors
        }
    });
    // The settings (`template:`, `production:`, …) beside `rules:`, each as `Settings` declares
    // it; a file sets only the keys it changes, so none is required.
    let settings = schemars::generate::SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .into_generator()
        .into_root_schema_for::<super::settings::Settings>();
    if let (Some(Value::Object(fields)), Some(props)) = (
        settings
            .as_object()
            .and_then(|o| o.get("properties"))
            .cloned(),
        properties.as_object_mut(),
    ) {
        for (k, mut v) in fields {
            if let Some(o) = v.as_object_mut() {
                o.remove("default");
                if let Some(Value::Object(inner)) = o.get_mut("properties") {
                    for field in inner.values_mut() {
                        if let Some(f) = field.as_object_mut() {
                            f.remove("default");
                        }
                    }
                }
            }
            props.insert(k, v);
        }
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "onboard policy file",
        "type": "object",
        "additionalProperties": false,
        "required": ["version"],
        "properties": properties,
        "definitions": { "level": level }
    })
}
