use super::dependencies::{check_each_ecosystem, judge, DependencyParams, Judgement};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB312",
    name: "unknown-dependency-licence",
    group: "licence",
    level: Level::Warn,
    item: Item::Licence,
    summary: "Dependencies whose licence cannot be found or judged.",
    docs: concat!(
        r#"## What it checks
Dependencies with no licence in the lockfile, in `node_modules/<name>/package.json`, in the
vendored or cached Go module, or in the Cargo manifest (the registry cache's, the path
dependency's, or `cargo metadata`'s when opted in), and those whose licence is not an SPDX
expression or in no Apache category. One finding per ecosystem with the count, naming the first
few and pointing at each one's lockfile entry. Dev-only dependencies and those of tooling
lockfiles (end-to-end tests, load tests, build tools; see `forbidden-dependency-licence`) are
not judged: Playwright's lockfile alone lists a thousand packages whose licences npm does not
record, none of which ships.

A lockfile or `go.mod` that cannot be read at all (too large, truncated, not JSON, a link out
of the repository) is reported too, at the problem's position: its packages are not in the
count, and their licences are unknown.

## Why it matters
A licence that cannot be found cannot be checked, and the licence item covers what the plugin
ships, dependencies included. Unknown is never a pass.

## How to fix
Install the npm packages before linting (their `package.json` files are read), vendor Go
modules (`go mod vendor`), or waive a package with a reason once its licence is checked by hand.

## Parameters
"#,
        dependency_params_doc!(),
        r#"

## Example
```json
"node_modules/enhanced-resolve": { "version": "5.15.0" }
```
"#
    ),
    params: Params::of::<DependencyParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "dependency licences are read from the module cache and `node_modules`, which a build fills, not a commit",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let fact = ctx.facts.dependencies();
    let unread = [
        ("npm", &fact.npm.problems),
        ("Go", &fact.go.problems),
        ("Cargo", &fact.cargo.problems),
    ];
    for (ecosystem, problems) in unread {
        for p in problems.iter().filter(|p| p.lost_packages) {
            let path = p.path.as_deref().unwrap_or("a dependency file");
            let f = ctx.report(format!(
                "{ecosystem}: `{path}` could not be read, so the licences of the dependencies it \
                 lists are unknown: {}",
                p.message
            ));
            if let (Some(file), Some(span)) = (&p.file, p.span) {
                f.at(file, span);
            }
            f.help("fix or regenerate the file so it can be read, or raise `--max-file-bytes` if it is over the read limit");
        }
    }
    check_each_ecosystem(
        ctx,
        |p| match judge(p) {
            Judgement::Unknown(why) => Some(why),
            Judgement::Category(_) => None,
        },
        |eco, n, list| format!("{eco}: the licence of {n} dependencies is unknown: {list}"),
        |eco| {
            let how = match eco {
                "npm" => "install the packages before linting (`node_modules/*/package.json` is read) or regenerate the lockfile with a current npm",
                "Go" => "vendor the modules (`go mod vendor`) or lint where the module cache (`GOMODCACHE`) holds them, so their licence files can be read",
                _ => "fetch the crates into the local registry cache (`cargo fetch` in a checkout you trust) so their manifests can be read, or pass `--cargo-metadata` for a trusted repository",
            };
            format!("{how}; or waive a package with a reason once its licence is checked")
        },
    );
}
