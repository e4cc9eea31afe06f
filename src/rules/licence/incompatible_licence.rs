use super::{allowed, at_licence_file, default_allow, label_declared};
use crate::finding::{Item, Level};
use crate::licence::categories::Categories;
use crate::licence::expr;
use crate::rules::{Ctx, Params, Rule};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub static RULE: Rule = Rule {
    code: "OB301",
    name: "incompatible-licence",
    group: "licence",
    level: Level::Deny,
    item: Item::Licence,
    summary: "The repository's licence, or a carve-out's, is not one the policy allows.",
    docs: r#"## What it checks
The licence detected for the repository as a whole (its root licence files; a `licence_paths`
carve-out never covers them) is evaluated as an SPDX expression against the `allow` list: `OR`
passes when one branch is allowed, `AND` needs every part, and `X WITH exception` is judged as
`X`. Deprecated ids are read as their modern form (`GPL-3.0` is `GPL-3.0-only`).

Each `licence_paths` carve-out of `.onboarding.yml` is judged the same way against the policy's
carve-out allow list: the setting `licence.carve_out_allow` (default: this rule's `allow`), plus
`licence.carve_out_allow_by_owner` for the owner in the `origin` remote's URL. The shipped policy
allows `LicenseRef-Mattermost-Source-Available` in carve-outs of `mattermost` repositories only:
Mattermost's own plugins keep enterprise code under that licence; a community plugin cannot
put its code under it and still be onboarded. The finding points at the carve-out's licence.

## Why it matters
The checklist accepts Apache-2.0, MIT, BSD-2-Clause and BSD-3-Clause, pointing to Apache's
category A for the wider rule. A copyleft or source-available licence keeps a plugin off the
community servers and the Marketplace.

## How to fix
Relicense the plugin under an allowed licence (the starter template ships Apache-2.0). Code
under terms the policy does not allow has to be relicensed or removed; a carve-out is no way
past the policy (`licence-carve-out` refuses one that covers the root licence or the main
production code).

A repository without a licence file is judged by the licence it states (its README, its
package metadata), when that one is not allowed; `missing-licence-file` asks for the text either
way.

## Parameters
`allow`: SPDX ids, and `category-a` (or `category-b`) to admit every licence of that Apache
category (`policies/licences.yml`). Default: Apache-2.0, MIT, BSD-2-Clause, BSD-3-Clause.

## Example
```yaml
rules:
  incompatible-licence:
    level: deny
    params:
      allow: [category-a]
```
"#,
    params: Params::of::<AllowList>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    /// SPDX ids, `category-a` or `category-b`.
    #[serde(default = "default_allow")]
    pub allow: Vec<String>,
}

impl Default for AllowList {
    fn default() -> Self {
        AllowList {
            allow: default_allow(),
        }
    }
}

fn check(ctx: &mut Ctx<'_>) {
    let params: AllowList = ctx.params();
    let fact = ctx.facts.licence();
    carve_outs(ctx, &params, fact);
    let Some(root) = fact.root.as_deref() else {
        // No licence text to judge. A licence the repository only states (README, package
        // metadata) is judged too, as a statement: missing-licence-file still asks for the
        // text, and a stated licence the policy refuses is refused here.
        if let Some(st) = &fact.stated {
            stated(ctx, &params, st);
        }
        return;
    };
    let Ok(e) = expr::parse(root) else { return };
    if e.allowed_by(&|id| allowed(&params.allow, id)) {
        return;
    }
    let categories = Categories::shipped();
    let refused: Vec<String> = e
        .ids()
        .into_iter()
        .filter(|id| !allowed(&params.allow, id))
        .map(|id| match categories.of(&id) {
            Some(c) => format!("{id} (Apache category {})", c.name()),
            None => format!("{id} (in no Apache category)"),
        })
        .collect();
    let files: Vec<_> = fact
        .files
        .iter()
        .filter(|f| f.is_root_licence() && f.symlink.is_none() && f.detection.expression.is_some())
        .collect();
    let f = ctx.report(format!(
        "the repository is licensed `{root}`, which the policy does not allow"
    ));
    f.help(format!(
        "not allowed: {}; allowed: {}. Relicense the plugin under an allowed licence; code under other terms has to be relicensed or removed",
        refused.join(", "),
        params.allow.join(", ")
    ));
    for (i, lf) in files.iter().enumerate() {
        if i == 0 {
            let line = lf
                .detection
                .parts
                .iter()
                .find(|p| !allowed(&params.allow, &p.id))
                .map(|p| p.lines.0);
            at_licence_file(f, lf, line);
        } else {
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
    }
    if let Some(d) = &fact.declared {
        label_declared(f, d, "declared here".into());
    }
}

fn stated(ctx: &mut Ctx<'_>, params: &AllowList, st: &crate::facts::licence::Stated) {
    let Ok(e) = expr::parse(&st.expression) else {
        return;
    };
    if e.allowed_by(&|id| allowed(&params.allow, id)) {
        return;
    }
    let f = ctx.report(format!(
        "the repository has no licence file and states it is licensed `{}` ({}), which the policy does not allow",
        e.canonical,
        st.evidence()
    ));
    f.help(format!(
        "a statement is not a licence text, and this one names a licence outside the allow list ({}); relicense and add the licence text as `LICENSE`",
        params.allow.join(", ")
    ));
    if let Some(file) = &st.file {
        f.at(file, st.span);
    }
}

/// Each carve-out's declared licence against the carve-out allow list.
fn carve_outs(ctx: &mut Ctx<'_>, params: &AllowList, fact: &crate::facts::licence::LicenceFact) {
    let allow = ctx
        .facts
        .settings()
        .licence
        .carve_out_allowed(&params.allow, fact.owner.as_deref());
    for c in &fact.carve_outs {
        let Ok(e) = expr::parse(&c.licence) else {
            continue; // an invalid value is a configuration error
        };
        if e.allowed_by(&|id| allowed(&allow, id)) {
            continue;
        }
        let refused: Vec<String> = e
            .ids()
            .into_iter()
            .filter(|id| !allowed(&allow, id))
            .collect();
        let only_owner: Vec<&String> = ctx
            .facts
            .settings()
            .licence
            .carve_out_allow_by_owner
            .iter()
            .filter(|(_, l)| refused.iter().all(|id| allowed(l, id)))
            .map(|(o, _)| o)
            .collect();
        let f = ctx.report(format!(
            "the carve-out `{}` is licensed `{}`, which the policy does not allow in carve-outs",
            c.glob, e.canonical
        ));
        if let Some(file) = &c.file {
            f.at(file, c.licence_span);
        }
        let owners = if only_owner.is_empty() {
            String::new()
        } else {
            format!(
                " (`{}` is allowed in carve-outs of repositories owned by {} only; this one's `origin` is owned by {})",
                refused.join(", "),
                only_owner.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", "),
                fact.owner.as_deref().map_or("nobody onboard can read".to_string(), |o| format!("`{o}`"))
            )
        };
        f.help(format!(
            "allowed in carve-outs: {}{owners}. A carve-out is for code under terms the policy accepts; relicense or remove the code under `{}`",
            allow.join(", "),
            c.glob
        ));
    }
}
