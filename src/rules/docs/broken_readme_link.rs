use super::readme_name;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB709",
    name: "broken-readme-link",
    group: "docs",
    level: Level::Allow,
    item: Item::PmUx,
    summary: "A README link or image points at a repository path that does not exist.",
    docs: r#"## What it checks
Every link and image of the README whose target is a path in the repository: the path,
without its `#anchor` or `?query` and with `%XX` escapes decoded, is resolved against the
README's folder (a leading `/` means the repository root) and must name a file or folder.
Web addresses, `mailto:` and other schemes, same-page anchors, and paths that climb out of the
repository (`../../releases`, which GitHub serves as a page of the repository's site) are not
checked.

## Why it matters
A link to a moved or deleted file is a dead end for the reader and a sign that the docs no
longer follow the code.

## How to fix
Point the link at the file's new place, or remove it.

## Parameters
None.

## Example
```markdown
See the [configuration guide](docs/configuration.md).   <!-- docs/ was renamed to guide/ -->
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let docs = ctx.facts.docs();
    let Some(file) = docs.file.as_ref() else {
        return;
    };
    let readme = readme_name(docs);
    for link in &docs.broken_links {
        let what = if link.image { "image" } else { "link" };
        let resolved = if link.path == link.target {
            String::new()
        } else {
            format!(" (`{}`)", link.path)
        };
        ctx.report(format!(
            "{what} in `{readme}` to `{}`{resolved}, which does not exist",
            link.target
        ))
        .at(file, link.span)
        .help("point it at the file's current path, or remove it");
    }
}
