use super::found;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, Params, Rule};
use crate::source::Span;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub static RULE: Rule = Rule {
    code: "OB110",
    name: "missing-marketplace-field",
    group: "manifest",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "A manifest field the Marketplace requires is missing or empty.",
    docs: r#"## What it checks
That each manifest field named in the `fields` parameter is present and not empty. The
Marketplace lists a plugin only with `support_url`, `release_notes_url`, `min_server_version` and
an `icon_path`.

## Why it matters
The Marketplace shows these to administrators deciding whether to install the plugin, and uses
`min_server_version` to hide it from servers it would not run on.

## How to fix
Add the field to the manifest.

## Parameters
- `fields` (list of strings): the manifest fields required. Default: `support_url`,
  `release_notes_url`, `min_server_version`, `icon_path`.

## Example
```yaml
rules:
  missing-marketplace-field:
    level: deny
    params: { fields: [support_url, min_server_version] }
```
"#,
    params: Params::of::<MarketplaceFields>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

/// Fields of the manifest this rule can require.
pub const KNOWN: [&str; 8] = [
    "description",
    "homepage_url",
    "support_url",
    "release_notes_url",
    "icon_path",
    "version",
    "min_server_version",
    "name",
];

#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketplaceFields {
    /// Manifest fields that must be present and non-empty.
    #[serde(default = "default_fields")]
    #[schemars(inner(regex(
        pattern = r"^(description|homepage_url|support_url|release_notes_url|icon_path|version|min_server_version|name)$"
    )))]
    pub fields: Vec<String>,
}

fn default_fields() -> Vec<String> {
    [
        "support_url",
        "release_notes_url",
        "min_server_version",
        "icon_path",
    ]
    .map(String::from)
    .to_vec()
}

impl Default for MarketplaceFields {
    fn default() -> Self {
        MarketplaceFields {
            fields: default_fields(),
        }
    }
}

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    let params: MarketplaceFields = ctx.params();
    for field in &params.fields {
        let value = match field.as_str() {
            "description" => &m.description,
            "homepage_url" => &m.homepage_url,
            "support_url" => &m.support_url,
            "release_notes_url" => &m.release_notes_url,
            "icon_path" => &m.icon_path,
            "version" => &m.version,
            "min_server_version" => &m.min_server_version,
            "name" => &m.name,
            _ => continue,
        };
        match value {
            Some(v) if !v.value.trim().is_empty() => {}
            Some(v) => {
                ctx.report(format!(
                    "the Marketplace requires `{field}`, and it is empty"
                ))
                .at(&m.file, v.span)
                .help(format!("set `{field}` in `{}`", m.path));
            }
            None => {
                ctx.report(format!(
                    "the Marketplace requires `{field}` in the manifest"
                ))
                .at(&m.file, Span::new(m.span.offset, 0))
                .help(format!("add `{field}` to `{}`", m.path));
            }
        }
    }
}
