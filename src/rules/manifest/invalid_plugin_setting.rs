use super::found;
use crate::facts::manifest::Setting;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};
use crate::source::SourceFile;
use crate::suggest;

pub static RULE: Rule = Rule {
    code: "OB107",
    name: "invalid-plugin-setting",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary:
        "A setting in `settings_schema` has an unknown type, or a field its type does not allow.",
    docs: r#"## What it checks
Every setting in `settings_schema.settings` and in each section's `settings`, as the server
validates them:
- `type` is one of `bool`, `dropdown`, `generated`, `radio`, `text`, `longtext`, `number`,
  `username`, `custom`;
- `regenerate_help_text` only on `generated` settings;
- `placeholder` only on `generated`, `text`, `longtext`, `number`, `username` and `custom`;
- `options` only on `radio` and `dropdown`, each option with a non-empty `display_name` and
  `value`.

## Why it matters
The server refuses the whole manifest when one setting is invalid, so the plugin cannot be
installed or configured at all.

## How to fix
Fix the type, or remove the field the type does not use.

## Parameters
None.

## Example
```json
{ "key": "Mode", "type": "bool", "options": [{ "display_name": "On", "value": "on" }] }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

pub const TYPES: [&str; 9] = [
    "bool",
    "dropdown",
    "generated",
    "radio",
    "text",
    "longtext",
    "number",
    "username",
    "custom",
];

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    let all = m
        .settings
        .iter()
        .chain(m.sections.iter().flat_map(|s| s.settings.iter()));
    for setting in all {
        check_setting(ctx, &m.file, setting);
    }
}

fn check_setting(ctx: &mut Ctx<'_>, file: &SourceFile, s: &Setting) {
    let name = s.key.as_ref().map_or_else(
        || "a setting without a key".to_string(),
        |k| format!("setting `{}`", k.value),
    );
    let Some(kind) = &s.kind else {
        ctx.report(format!("{name} has no `type`"))
            .at(file, crate::source::Span::new(s.span.offset, 0))
            .help(format!("set `type` to one of: {}", TYPES.join(", ")));
        return;
    };
    let t = kind.value.as_str();
    if !TYPES.contains(&t) {
        ctx.report(format!("{name} has an unknown type `{t}`"))
            .at(file, kind.span)
            .help(suggest::help_for(t, &TYPES));
        return;
    }
    if let Some(r) = s
        .regenerate_help_text
        .as_ref()
        .filter(|r| !r.value.is_empty())
    {
        if t != "generated" {
            ctx.report(format!(
                "{name} sets `regenerate_help_text`, which only `generated` settings use"
            ))
            .at(file, r.span)
            .label(file, kind.span, format!("the type is `{t}`"))
            .help("remove `regenerate_help_text`, or make the setting `generated`");
        }
    }
    if let Some(p) = s.placeholder.as_ref().filter(|p| !p.value.is_empty()) {
        if !matches!(
            t,
            "generated" | "text" | "longtext" | "number" | "username" | "custom"
        ) {
            ctx.report(format!("{name} sets `placeholder`, which `{t}` settings do not show"))
                .at(file, p.span)
                .label(file, kind.span, format!("the type is `{t}`"))
                .help("remove `placeholder`: it is for text, generated, number, username and custom settings");
        }
    }
    if let Some(options) = &s.options {
        if !matches!(t, "radio" | "dropdown") {
            ctx.report(format!(
                "{name} has `options`, which only radio and dropdown settings use"
            ))
            .at(file, s.options_span)
            .label(file, kind.span, format!("the type is `{t}`"))
            .help("remove `options`, or make the setting a `radio` or `dropdown`");
            return;
        }
        for o in options {
            let blank = |v: &Option<crate::source::Spanned<String>>| {
                v.as_ref().is_none_or(|v| v.value.is_empty())
            };
            for (field, v) in [("display_name", &o.display_name), ("value", &o.value)] {
                if blank(v) {
                    let span = v.as_ref().map_or(o.span, |v| v.span);
                    ctx.report(format!("an option of {name} has an empty `{field}`"))
                        .at(file, span)
                        .help("the server refuses options with an empty `display_name` or `value`");
                }
            }
        }
    }
}
