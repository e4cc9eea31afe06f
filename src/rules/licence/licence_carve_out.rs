use crate::finding::{Item, Level};
use crate::licence::expr;
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB305",
    name: "licence-carve-out",
    group: "licence",
    level: Level::Deny,
    item: Item::Licence,
    summary: "A `licence_paths` carve-out covers the plugin itself, has no licence file, or its files hold another licence.",
    docs: r#"## What it checks
Each entry of `licence_paths` in `.onboarding.yml` maps a path glob to the licence of the files
under it. The glob may not cover a root licence file (the repository's own licence) nor every
file of a protected glob: the setting `licence.carve_out_protected`, by default the `production`
globs (`server/**`, `webapp/src/**`, `plugin.json`, …), so `**`, `server/**` or `webapp/**` are
refused and `server/enterprise/**` is not. At least one licence file must lie under the glob
(directly, or as the target of a link such as `LICENSE.enterprise -> server/enterprise/LICENSE`),
and when the declared value is an SPDX expression, every licence file under it must hold that
licence. A `LicenseRef-…` value names terms outside the SPDX list: its file must exist, its text
cannot be checked. Whether the declared licence is one a carve-out may have is
`incompatible-licence`'s question.

## Why it matters
A carve-out puts part of the repository under other terms. It is only honest when it is a part
(never the plugin's licence or its main code: `"**": GPL-3.0-only` would otherwise pass a
wholly incompatible plugin) and when the other terms are written down where the code is.

## How to fix
Narrow the glob to the directory under other terms (e.g. `server/enterprise/**`), put the
licence text of the carved-out part under its path (e.g. `server/enterprise/LICENSE`), or correct
the declared expression.

## Parameters
None; the protected globs are the setting `licence.carve_out_protected`.

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
    for c in &fact.carve_outs {
        if c.root_licence_files.is_empty() && c.covers.is_empty() {
            continue;
        }
        let mut what = Vec::new();
        if !c.root_licence_files.is_empty() {
            what.push(format!(
                "the root licence file{} {}",
                if c.root_licence_files.len() == 1 {
                    ""
                } else {
                    "s"
                },
                c.root_licence_files
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        for cov in &c.covers {
            if cov.files == 1 && cov.example == cov.glob {
                what.push(format!("`{}`", cov.glob));
                continue;
            }
            what.push(format!(
                "all of `{}` ({} production file{}, e.g. `{}`)",
                cov.glob,
                cov.files,
                if cov.files == 1 { "" } else { "s" },
                cov.example
            ));
        }
        ctx.report(format!(
            "the carve-out `{}` covers {}: a carve-out cannot put the plugin's own licence or main code under other terms",
            c.glob,
            what.join(" and ")
        ))
        .at(file, c.glob_span)
        .help(
            "narrow the glob to the part under other terms (`server/enterprise/**`); the plugin itself has to be under a licence the policy allows",
        );
    }
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
