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
    summary: "The repository's licence is not one the policy allows.",
    docs: r#"## What it checks
The licence detected for the repository as a whole (its root licence files, outside any
`licence_paths` carve-out) is evaluated as an SPDX expression against the `allow` list: `OR`
passes when one branch is allowed, `AND` needs every part, and `X WITH exception` is judged as
`X`. Deprecated ids are read as their modern form (`GPL-3.0` is `GPL-3.0-only`).

## Why it matters
The checklist accepts Apache-2.0, MIT, BSD-2-Clause and BSD-3-Clause, pointing to Apache's
category A for the wider rule. A copyleft or source-available licence keeps a plugin off the
community servers and the Marketplace.

## How to fix
Relicense the plugin under an allowed licence (the starter template ships Apache-2.0), or declare
the parts under other terms in `licence_paths` of `.onboarding.yml`.

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
    let Some(root) = fact.root.as_deref() else {
        return; // unknown-licence and missing-licence-file speak for this
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
        .filter(|f| {
            f.root
                && f.symlink.is_none()
                && f.carve_out.is_none()
                && f.detection.expression.is_some()
        })
        .collect();
    let f = ctx.report(format!(
        "the repository is licensed `{root}`, which the policy does not allow"
    ));
    f.help(format!(
        "not allowed: {}; allowed: {}. Relicense, or declare the parts under other terms in `licence_paths`",
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
