use super::{readme_anchor, readme_name};
use crate::facts::docs::paths::Target;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB705",
    name: "missing-screenshot",
    group: "docs",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "The README shows no screenshot: no image that is not a badge and resolves to a repository file or an https address.",
    docs: r#"## What it checks
That the README has at least one image (Markdown `![alt](src)` or an HTML `<img src>`) that is
not a badge and whose source is a file in the repository (resolved against the README's folder)
or an `https://` address. Badges are images from badge services (shields.io, codecov,
goreportcard, …) or with `badge` in their address. When the README has images but none
qualifies, the first one is underlined with the reason.

## Why it matters
The Marketplace requires a README with a screenshot: administrators decide from it what their
users will see.

## How to fix
Add a screenshot of the plugin in use, committed to the repository (`assets/screenshot.png`) or
hosted at an https address.

## Parameters
None.

## Example
```markdown
![A reminder posted by the bot](assets/screenshot.png)
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let docs = ctx.facts.docs();
    let Some((file, title)) = readme_anchor(docs) else {
        return;
    };
    if docs.screenshot.is_some() {
        return;
    }
    let readme = readme_name(docs);
    match docs.images.iter().find(|i| !i.badge) {
        Some(img) => {
            let why = match &img.target {
                Target::Path { path, .. } if *path == img.src => {
                    "no such file in the repository".to_string()
                }
                Target::Path { path, .. } => format!("no file `{path}` in the repository"),
                Target::Http => "it is served over plain http".to_string(),
                _ => "it is neither a repository file nor an https address".to_string(),
            };
            ctx.report(format!(
                "`{readme}` shows no screenshot: image `{}` does not show ({why})",
                img.src
            ))
            .at(file, img.span)
            .help("commit the screenshot to the repository, or link it over https");
        }
        None => {
            ctx.report(format!("`{readme}` shows no screenshot"))
                .at(file, title)
                .help("add a screenshot of the plugin in use: `![What it shows](assets/screenshot.png)`");
        }
    }
}
