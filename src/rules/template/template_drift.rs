use crate::finding::{Item, Level};
use crate::rules::{Ctx, Params, Rule};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub static RULE: Rule = Rule {
    code: "OB403",
    name: "template-drift",
    group: "template",
    level: Level::Allow,
    item: Item::ReviewDiff,
    summary: "A template-owned build file is an old version of the template's.",
    docs: r#"## What it checks
Files under `paths` (the build files the template owns: `Makefile`, `build/**`) that are
byte-identical to a version of the same template file other than the template's newest one. The
finding says when that version appeared, how many newer versions the template's default branch
has had, and the date of the newest. Off (`allow`) by default: turn it on in a policy to keep
build tooling current.

## Why it matters
The template's build files carry fixes (Go and Node versions, linters, release packaging). A
plugin that copied them years ago builds with what the template has since replaced, and an
identical old copy is easy to update: nothing of the plugin's is in it.

## How to fix
Copy the template's current version of the file, or run the template's sync tooling where it
has one, then rebuild and test.

## Parameters
`paths`: globs of template-owned files (default `["Makefile", "build/**"]`).

## Example
```yaml
version: 1
rules:
  template-drift: warn
```
"#,
    params: Params::of::<DriftParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DriftParams {
    /// Globs of the files the template owns.
    pub paths: Vec<String>,
}

impl Default for DriftParams {
    fn default() -> Self {
        DriftParams {
            paths: vec!["Makefile".into(), "build/**".into()],
        }
    }
}

fn check(ctx: &mut Ctx<'_>) {
    let p: DriftParams = ctx.params();
    let mut set = globset::GlobSetBuilder::new();
    for g in &p.paths {
        if let Ok(glob) = crate::template::classes::glob(g) {
            set.add(glob);
        }
    }
    let Ok(set) = set.build() else { return };
    let drifted: Vec<_> = ctx
        .facts
        .template()
        .files
        .iter()
        .filter(|f| f.class == crate::template::Class::Identical && set.is_match(&f.path))
        .filter_map(|f| f.template.clone().map(|t| (f.clone(), t)))
        .filter(|(_, t)| t.newer_versions > 0 || t.newest_date.is_none() || !t.mainline)
        .collect();
    for (f, t) in drifted {
        let message = match (&t.newest_date, t.mainline) {
            (None, _) => format!(
                "`{}` is the template's version of {}, and the template no longer has this file",
                f.path, t.date
            ),
            (Some(newest), false) => format!(
                "`{}` is a version of {} from a template branch that was never merged; the template's is of {newest}",
                f.path, t.date
            ),
            (Some(newest), true) => format!(
                "`{}` is the template's version of {}, {} version{} behind the template's newest (of {newest})",
                f.path,
                t.date,
                t.newer_versions,
                if t.newer_versions == 1 { "" } else { "s" }
            ),
        };
        let r = ctx.report(message);
        r.help("copy the template's current version of the file");
        if let Some(src) = &f.source {
            let first = src.text.find('\n').unwrap_or(src.text.len());
            r.at(src, crate::source::Span::new(0, first));
        }
    }
}
