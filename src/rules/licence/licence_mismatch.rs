use super::label_declared;
use crate::finding::{Item, Level};
use crate::licence::expr::{self, Expr};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB303",
    name: "licence-mismatch",
    group: "licence",
    level: Level::Deny,
    item: Item::Licence,
    summary: "The declared licence, the licence files and the package manifests disagree.",
    docs: r#"## What it checks
That `licence:` in `.onboarding.yml`, the licence detected in the root licence files, and the
`license` field of each package manifest (`package.json`, `Cargo.toml`) name the same SPDX
expression. Each disagreement is one finding with a label in every file involved. Expressions
are compared after parsing (`Apache-2.0` and `(Apache-2.0)` agree; deprecated ids are read as
their modern form). Empty and absent fields are left to `invalid-licence-expression`.

## Why it matters
Package registries, SBOM tools and the Marketplace read the manifest; people read `LICENSE`.
When they disagree, somebody is told the wrong terms.

## How to fix
Make every place name the licence of the `LICENSE` file, e.g. `"license": "Apache-2.0"` in
`webapp/package.json`.

## Parameters
None.

## Example
```yaml
# .onboarding.yml
licence: MIT        # but LICENSE holds the Apache-2.0 text
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn same(a: &Expr, b: &Expr) -> bool {
    if a.canonical == b.canonical {
        return true;
    }
    let (mut x, mut y) = (a.ids(), b.ids());
    x.sort();
    y.sort();
    x == y && !a.canonical.contains(" OR ") && !b.canonical.contains(" OR ")
}

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.licence();
    let detected = fact.root.as_deref().and_then(|r| expr::parse(r).ok());
    let declared = fact
        .declared
        .as_ref()
        .and_then(|d| d.parsed().and_then(Result::ok).map(|e| (d, e)));
    let root_files: Vec<_> = fact
        .files
        .iter()
        .filter(|f| f.is_root_licence() && f.detection.expression.is_some())
        .collect();
    // The declared licence against the files.
    if let (Some((d, de)), Some(det)) = (&declared, &detected) {
        if !same(de, det) {
            let f = ctx.report(format!(
                "`.onboarding.yml` declares `{}` but the licence files hold `{}`",
                de.canonical, det.canonical
            ));
            if let Some(file) = &d.file {
                f.at(file, d.span);
            }
            if let Some(lf) = root_files.first() {
                super::label_licence_file(f, lf, format!("`{}` holds {}", lf.path, det.canonical));
            }
            f.help("declare the licence the files hold, or replace the files");
        }
    }
    // Each manifest against the reference: the declared licence, else the files.
    let reference: Option<(String, &Expr)> = declared
        .as_ref()
        .map(|(d, e)| (format!("`{}` declares", d.path), e))
        .or_else(|| {
            detected
                .as_ref()
                .map(|e| ("the licence files hold".to_string(), e))
        });
    let Some((source, reference)) = reference else {
        return;
    };
    for m in &fact.manifests {
        let Some(Ok(me)) = m.parsed() else { continue };
        if same(&me, reference) {
            continue;
        }
        let f = ctx.report(format!(
            "`{}` says `{}` but {source} `{}`",
            m.path, me.canonical, reference.canonical
        ));
        if let (Some(file), span) = (&m.file, m.span) {
            f.at(file, span);
        }
        if let Some((d, _)) = &declared {
            label_declared(f, d, format!("declared `{}`", reference.canonical));
        }
        if let Some(lf) = root_files.first() {
            super::label_licence_file(
                f,
                lf,
                format!(
                    "`{}` holds {}",
                    lf.path,
                    lf.detection.expression.as_deref().unwrap_or("?")
                ),
            );
        }
        f.help(format!(
            "set `{}` in `{}` to `{}`",
            m.field, m.path, reference.canonical
        ));
    }
}
