use crate::finding::{Item, Level};
use crate::licence::expr;
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB305",
    name: "licence-carve-out",
    group: "licence",
    level: Level::Deny,
    item: Item::Licence,
    summary: "A `licence_paths` carve-out has no licence file, or its files hold another licence.",
    docs: r#"## What it checks
Each entry of `licence_paths` in `.onboarding.yml` maps a path glob to the licence of the files
under it. At least one licence file must lie under the glob (directly, or as the target of a
link such as `LICENSE.enterprise -> server/enterprise/LICENSE`), and when the declared value is
an SPDX expression, every licence file under it must hold that licence. A `LicenseRef-…` value
names terms outside the SPDX list: its file must exist, its text cannot be checked.

## Why it matters
A carve-out exempts part of the repository from the licence policy. It is only honest when the
other terms are written down where the code is.

## How to fix
Put the licence text of the carved-out part under its path (e.g. `server/enterprise/LICENSE`),
or correct the declared expression.

## Parameters
None.

## Example
```yaml
licence_paths:
  "server/enterprise/**": LicenseRef-Mattermost-Source-Available
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some((config, file)) = ctx.facts.onboarding().parsed() else {
        return;
    };
    let fact = ctx.facts.licence();
    for (glob, value) in &config.licence_paths {
        let under: Vec<_> = fact
            .files
            .iter()
            .filter(|f| f.carve_out.as_deref() == Some(glob.value.as_str()) && !f.dangling)
            .collect();
        if under.is_empty() {
            ctx.report(format!(
                "no licence file lies under the carve-out `{}`",
                glob.value
            ))
            .at(file, glob.span)
            .help(format!(
                "add the text of `{}` as a LICENSE file under that path",
                value.value
            ));
            continue;
        }
        let Ok(declared) = expr::parse(&value.value) else {
            continue; // invalid values are configuration errors
        };
        if declared
            .ids()
            .iter()
            .any(|id| id.starts_with("LicenseRef-"))
        {
            continue;
        }
        for lf in under {
            let holds = lf
                .detection
                .expression
                .as_deref()
                .and_then(|e| expr::parse(e).ok());
            if holds
                .as_ref()
                .is_some_and(|h| h.canonical == declared.canonical)
            {
                continue;
            }
            let what = holds.as_ref().map_or("no known licence".to_string(), |h| {
                format!("`{}`", h.canonical)
            });
            let f = ctx.report(format!(
                "`{}` holds {what}, but `licence_paths` declares `{}` for `{}`",
                lf.path, declared.canonical, glob.value
            ));
            f.at(file, value.span);
            super::label_licence_file(f, lf, format!("holds {what}"));
            f.help("make the declared expression match the licence file, or replace the file");
        }
    }
}
