use crate::facts::release::SHALLOW;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB506",
    name: "shallow-clone",
    group: "release",
    level: Level::Warn,
    item: Item::Config,
    summary: "The repository is a shallow clone, so release tags and history are unavailable.",
    docs: r#"## What it checks
Whether the linted repository is a shallow clone (`git clone --depth N`, and what
`actions/checkout` makes by default).

## Why it matters
A shallow clone has no history and only the tags on the commits it fetched, so the release
rules cannot tell whether a release exists. They report `unknown` instead of failing, and this
one finding says why.

## How to fix
Fetch all history and tags: `git fetch --unshallow --tags`, or in GitHub Actions:

```yaml
- uses: actions/checkout@v5
  with:
    fetch-depth: 0
```

## Parameters
None.

## Example
```console
$ git clone --depth 1 https://github.com/example/plugin
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("it depends on how the repository was cloned"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    if ctx.facts.repository().shallow {
        ctx.report(SHALLOW)
            .help("run `git fetch --unshallow --tags`, or check out with `fetch-depth: 0`");
    }
}
