use crate::finding::{Item, Level};
use crate::rules::{Ctx, Params, Rule};
use crate::template::Class;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub static RULE: Rule = Rule {
    code: "OB401",
    name: "review-size",
    group: "template",
    level: Level::Warn,
    item: Item::ReviewDiff,
    summary: "The reviewable code (own lines plus lines added to template files) is larger than the gate allows.",
    docs: r#"## What it checks
Every file at the linted revision is compared with every version the starter template ever had
(the template index): `identical` (a version of the same template path), `moved` (a template
blob at another path), `modified` (a template path with other content: the lines added relative
to the nearest version count) or `own`. Files matched by the class globs (`lockfile`,
`generated`, `vendored`, `fixture`, `i18n`, `binary`, the last also by a NUL byte in the first
8000 bytes) are counted apart whatever they are. The review lines are the own lines plus the
lines added to modified files; above `max_review_lines` the rule reports, naming the five
largest own files and top-level directories. `onboard facts` shows the classification
(`template`), and `onboard review-diff` prints the diff itself.

## Why it matters
The checklist's basic review asks for a pull request holding all the plugin's code that is not
template boilerplate. A review of that size has to be planned: split it, or point the reviewer at
the directories that matter. Lockfiles, generated and vendored files dwarf the code (13k to 56k
lines for a `package-lock.json`) and are left out of the count.

## How to fix
Open the review with `onboard review-diff --branch review-base`, and, when it is large, split
it by directory. If files are counted that a reviewer does not read (generated code, test
data), add their globs to the class parameters in a repository policy.

## Parameters
`max_review_lines` (default 10000). Measured on eleven public plugins (the README's table), the
community plugins the basic review is meant for have 1,000 to 8,300 review lines (welcomebot,
giphy, autolink, jitsi, demo, zoom, todo), azure-devops 19,000, and the large Mattermost
plugins 30,000 to 230,000 (github, jira, playbooks). 10,000 passes a typical community plugin
with room to grow and flags the ones whose review must be split.

What is counted is set up by the policy setting `template:` (a top-level key of a policy
file), which the `template` fact every template rule reads is built with: `index` (a shipped
name, default `mattermost-plugin-starter-template`, or a path in the repository; `template:` in
`.onboarding.yml` wins), `partial_copy_threshold` (the similarity above which a first commit is
a `partial-copy`, default 0.3), and one list of globs per excluded class: `lockfile`,
`generated`, `vendored`, `fixture`, `i18n`, `binary` (see `onboard policy show` for the
defaults). A list given in a policy replaces the default list.

## Example
```yaml
# onboard-policy.yml, listed under `policies:` in .onboarding.yml
version: 1
template:
  fixture: ["**/testdata/**", "e2e/**/fixtures/**"]
rules:
  review-size:
    params:
      max_review_lines: 20000
```
"#,
    params: Params::of::<ReviewSize>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    if super::report_unavailable(ctx) {
        return;
    }
    let p: ReviewSize = ctx.params();
    let fact = ctx.facts.template();
    if fact.review_lines <= p.max_review_lines {
        let text = format!(
            "{} review lines ({} own, {} added to {} modified template files), within {}; \
             compared with `{}`, origin {}",
            fact.review_lines,
            fact.classes.own.lines,
            fact.classes.modified.lines,
            fact.classes.modified.files,
            p.max_review_lines,
            fact.index.as_ref().map_or("", |i| i.name.as_str()),
            fact.origin.kind
        );
        ctx.evidence(text);
        return;
    }
    let own: Vec<String> = fact
        .largest
        .iter()
        .filter(|f| f.class == Class::Own)
        .take(5)
        .map(|f| format!("{} ({})", f.path, f.review_lines))
        .collect();
    let mut dirs: Vec<(&String, &u64)> = fact.directories.iter().collect();
    dirs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let dirs: Vec<String> = dirs
        .iter()
        .take(5)
        .map(|(d, n)| format!("{d} ({n})"))
        .collect();
    let message = format!(
        "{} review lines ({} own, {} added to {} modified template files) exceed the limit of {}",
        fact.review_lines,
        fact.classes.own.lines,
        fact.classes.modified.lines,
        fact.classes.modified.files,
        p.max_review_lines
    );
    ctx.report(message).help(format!(
        "largest own files: {}; largest directories: {}; split the review by directory, or \
         classify files a reviewer does not read with the class globs",
        own.join(", "),
        dirs.join(", ")
    ));
}

/// `review-size`'s parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewSize {
    /// Review lines (own lines plus lines added to modified template files) above which
    /// `review-size` reports.
    pub max_review_lines: u64,
}

impl Default for ReviewSize {
    fn default() -> Self {
        ReviewSize {
            max_review_lines: 10000,
        }
    }
}
