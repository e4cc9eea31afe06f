use super::at_licence_file;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB302",
    name: "unknown-licence",
    group: "licence",
    level: Level::Deny,
    item: Item::Licence,
    summary: "A licence file matches no known licence, outside any declared carve-out.",
    docs: r#"## What it checks
Every licence file (`LICENSE*`, `LICENCE*`, `COPYING*`, at the root and in subdirectories, not in
`node_modules/` or `vendor/`) is recognised by hash or by the text classifier, which compares it
word by word with the canonical text of each candidate licence. A file that is no licence, or
that resembles one but changes its terms (an added sentence, a removed clause, another version),
and that lies outside every `licence_paths` carve-out of `.onboarding.yml`, is flagged with the
closest licences and, when one is close, the first line where the text departs from it.
Presentation is not a change: layout, Markdown, list numbering, filled-in placeholders and
names, and a licence's optional "how to apply" appendix. A link is judged by the file it points
to.

## Why it matters
A proprietary or "source available" text, or an edited licence, is not a compatible licence; an
unrecognised text cannot be checked at all. Nothing is guessed.

## How to fix
Use the licence's canonical text (from the SPDX list or choosealicense.com), or, when part of
the repository is deliberately under other terms, declare it:
`licence_paths: { "server/enterprise/**": LicenseRef-Mattermost-Source-Available }`.

## Parameters
None. The classifier's threshold is the policy setting `licence: { threshold: 0.9 }` (0 to 1):
how similar a text must be to a licence to count as that licence, changed or not. A text that
changes terms is never named, whatever the threshold; the threshold also decides how files
holding several licences are split. It is a setting, not a parameter, because it shapes the
licence facts every licence rule reads.

## Example
```console
$ onboard licence id LICENSE.txt
LICENSE.txt	NOASSERTION	0.409	none
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.licence();
    let listed: std::collections::HashSet<&str> =
        fact.files.iter().map(|f| f.path.as_str()).collect();
    for lf in &fact.files {
        if (lf.carve_out.is_some() && !lf.is_root_licence()) || lf.source.is_none() {
            continue;
        }
        // A link is judged by its target when the target is listed too.
        if let Some(target) = &lf.symlink {
            let resolved = crate::facts::licence::resolve(&lf.path, target);
            if resolved.is_some_and(|r| listed.contains(r.as_str())) {
                continue;
            }
        }
        // Terms outside the SPDX list (`LicenseRef-…`, e.g. a source-available licence) in a
        // file that is not the repository's own licence: `incompatible-licence` judges that one.
        let own = lf.root && lf.symlink.is_none();
        if let Some(e) = &lf.detection.expression {
            if e.contains("LicenseRef-") && !own {
                // A carve-out is proposed only where the policy would accept its licence: it
                // is never a way past the allow list.
                let allowed = ctx
                    .facts
                    .settings()
                    .licence
                    .carve_out_allowed(&[], fact.owner.as_deref())
                    .iter()
                    .any(|a| a == e);
                let f = ctx.report(format!(
                    "`{}` holds `{e}`, terms outside the SPDX list, outside any declared carve-out",
                    lf.path
                ));
                at_licence_file(f, lf, None);
                if allowed {
                    f.help(format!(
                        "if this part of the repository is deliberately under other terms, declare it: `licence_paths: {{ \"{}/**\": {e} }}` in .onboarding.yml",
                        lf.path.rsplit_once('/').map_or(".", |(d, _)| d)
                    ));
                } else {
                    f.help(format!(
                        "`{e}` is not a licence the policy allows in a carve-out (`licence.carve_out_allow`), so declaring one would not pass: put this part under an allowed licence or remove it"
                    ));
                }
            }
            continue;
        }
        let closest = lf
            .detection
            .candidates
            .iter()
            .map(|c| format!("{} {:.2}", c.id, c.score))
            .collect::<Vec<_>>()
            .join(", ");
        let deviation = lf.detection.deviation.as_ref();
        let f = ctx.report(format!(
            "`{}` matches no known licence{}",
            lf.path,
            if closest.is_empty() {
                String::new()
            } else {
                format!(" (closest: {closest})")
            }
        ));
        match deviation {
            Some(d) => {
                at_licence_file(f, lf, Some(d.line));
                let what = match (d.expected.is_empty(), d.found.is_empty()) {
                    (true, _) => format!("has text that is not part of {}: \"{}…\"", d.id, d.found),
                    (false, true) => {
                        format!("stops short of {}: expected \"{}…\"", d.id, d.expected)
                    }
                    (false, false) => format!(
                        "departs from {}: expected \"{}…\", found \"{}…\"",
                        d.id, d.expected, d.found
                    ),
                };
                f.help(format!(
                    "from line {} the text {what}; use the canonical text{}",
                    d.line,
                    if lf.is_root_licence() {
                        ""
                    } else {
                        ", or declare this path in `licence_paths` if it is deliberately under other terms"
                    }
                ));
            }
            None => {
                at_licence_file(f, lf, None);
                let reason = lf
                    .detection
                    .reason
                    .as_deref()
                    .unwrap_or("no licence text matches");
                f.help(if lf.is_root_licence() {
                    format!("{reason}; the repository's own licence has to be a known licence text: use the canonical text")
                } else {
                    format!("{reason}; if this part of the repository is deliberately under other terms, declare it in `licence_paths` of .onboarding.yml")
                });
            }
        }
    }
}
