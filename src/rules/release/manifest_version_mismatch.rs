use super::usable;
use crate::facts::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB502",
    name: "manifest-version-mismatch",
    group: "release",
    level: Level::Allow,
    item: Item::Release,
    summary: "The manifest `version` disagrees with the release tag.",
    docs: r#"## What it checks
When the manifest sets `version`: that it equals the version tag on the linted commit, or, when
no version tag is on it, that it is not below the highest release in the linted revision's
history (a version ahead of it is a release being prepared). A manifest without `version` passes:
the starter template's build then takes the version from the `v*` tag.

## Why it matters
The server and the Marketplace show the manifest version. A manifest left behind the tags ships
a bundle named `v1.4.0` that calls itself `1.2.0`, and upgrades compare the wrong numbers.

## How to fix
Remove `version` from the manifest and let the build derive it from the tag (what the starter
template does), or bump it in the commit you tag.

## Parameters
None.

## Example
```json
{ "id": "com.example.hello", "version": "1.2.0" }
```
with the linted commit tagged `v1.3.0`.
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "the manifest's version is bumped in a commit and the release tag comes after it",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = usable(ctx) else {
        return;
    };
    let ManifestFact::Found(manifest) = ctx.facts.manifest() else {
        return;
    };
    let Some(version) = &manifest.version else {
        let text = match (&ctx.facts.build().version, &ctx.facts.build().tool) {
            (Some(b), Some(tool)) => format!(
                "the manifest sets no `version`: the template's build (`{}`) writes `{}`, from {}",
                tool.path,
                b.value.as_deref().unwrap_or(""),
                b.from
            ),
            _ => "the manifest sets no `version`: the build takes it from the release tag".into(),
        };
        ctx.evidence(text).at(&manifest.file, manifest.span);
        return;
    };
    let Some(tag) = fact.manifest_version_compared_with.as_deref() else {
        ctx.evidence(format!(
            "manifest version `{}`: no release tag to compare it with",
            version.value
        ))
        .at(&manifest.file, version.span);
        return;
    };
    let on_commit = fact.at_revision.iter().any(|t| t == tag);
    match fact.manifest_version_agrees {
        Some(false) => {
            let message = if on_commit {
                format!(
                    "manifest version `{}` differs from the tag `{tag}` on the linted commit",
                    version.value
                )
            } else {
                format!(
                    "manifest version `{}` is behind the highest release `{tag}` in this history",
                    version.value
                )
            };
            ctx.report(message)
                .at(&manifest.file, version.span)
                .help(format!(
                    "remove `version` and let the build take it from the tag, or set it to `{}`",
                    tag.trim_start_matches('v')
                ));
        }
        _ => {
            ctx.evidence(format!(
                "manifest version `{}` agrees with `{tag}`",
                version.value
            ))
            .at(&manifest.file, version.span);
        }
    }
}
