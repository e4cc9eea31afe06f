use crate::facts::manifest::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB704",
    name: "missing-setting-help",
    group: "docs",
    level: Level::Allow,
    item: Item::PmUx,
    summary: "A setting in the manifest has no help text.",
    docs: r#"## What it checks
That every setting in the manifest's `settings_schema.settings` and `settings_schema.sections[]
.settings` has a non-empty `help_text`: a string, or an `{id, defaultMessage}` object. A key
declared twice counts once (keys compared without case, as the server's configuration does),
and has help if either declaration has it. Each setting without help is underlined at its `key`.

A `"type": "custom"` setting, and every setting of a section declared `"custom": true`, is drawn
by the plugin's own webapp component (`registerAdminConsoleCustomSetting`), which shows its own
label and help; the manifest's `help_text` is at most a prop the component may ignore. Those are
not judged here (the facts count them as `settings.custom`): whether the component explains
itself is for the PM/UX reviewer looking at the System Console.

## Why it matters
The System Console shows the help text under each setting; it is the only documentation most
administrators read. The PM/UX review asks for help text on every setting.

## How to fix
Add `help_text` to the setting: what it does, its default, and what to enter.

## Parameters
None.

## Example
```json
{ "key": "EnableThing", "type": "bool", "display_name": "Enable thing:",
  "help_text": "When true, users can /thing in any channel." }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let ManifestFact::Found(m) = ctx.facts.manifest() else {
        return;
    };
    for key in &ctx.facts.docs().settings.without_help {
        ctx.report(format!("setting `{}` has no help text", key.value))
            .at(&m.file, key.span)
            .help("add a `help_text` saying what the setting does and what to enter");
    }
}
