use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Phase, Rule};
use crate::workspace::{human_size, size_in_bytes};

pub static RULE: Rule = Rule {
    code: "OB203",
    name: "file-too-large",
    group: "repository",
    level: Level::Warn,
    item: Item::Config,
    summary: "A file a check needed is larger than the read limit, so that check went without it.",
    docs: r#"## What it checks
Every file onboard wanted to read and did not, because it is larger than the cap on the bytes
read from one file: `--max-file-bytes` (default 16 MiB), and 16 times that for lockfiles
(`package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`, `pnpm-lock.yaml`, `go.sum`,
`Cargo.lock`). Each finding names the file, its size, the cap and the checks that needed it.
Files no check needs are never read, so they are never reported.

## Why it matters
A linter that runs on pull requests from strangers must not let a repository make it read
gigabytes. A file left unread is not judged: the checks that needed it either fail on their
own (a manifest that cannot be read is `missing-manifest`) or could not count it (the review
size leaves it out), and this finding says which.

## How to fix
Keep files of that size out of the repository (build output, archives, data), or raise the cap
for this run: `onboard lint --max-file-bytes 64MiB`.

## Parameters
None.

## Example
```console
$ ls -l plugin.json
-rw-r--r-- 1 dev dev 52428803 Jan  1 00:00 plugin.json
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    // It reports the reads that hit the cap, so it runs after every other rule has asked for
    // the facts it needs.
    phase: Phase::Last,
    fix: crate::rules::Fix::NotByCommit(
        "the read limit is a command-line option, `--max-file-bytes`",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let limits = ctx.facts.limits();
    for o in &limits.oversized {
        let checks = match o.needed_by.as_slice() {
            [] => "onboard".to_string(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        ctx.report(format!(
            "`{}` is {}, over the read limit of {}; not read, so {checks} went without it",
            o.path,
            size_in_bytes(o.size),
            size_in_bytes(o.limit)
        ))
        .help(format!(
            "keep files this large out of the repository, or raise the limit with \
             `--max-file-bytes` (now {}; lockfiles may be 16 times it)",
            human_size(limits.max_file_bytes)
        ));
    }
}
