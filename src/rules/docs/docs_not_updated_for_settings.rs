use crate::facts::docs::paths::Target;
use crate::facts::docs::{DocsFact, FoundBy, SectionKind};
use crate::facts::ManifestFact;
use crate::finding::{Item, Level};
use crate::rules::release::usable;
use crate::rules::{Ctx, NoParams, Params, Rule};
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "OB721",
    name: "docs-not-updated-for-settings",
    group: "docs",
    level: Level::Allow,
    item: Item::PmUx,
    summary: "Plugin settings changed over a release, but the README and setup docs did not.",
    docs: r#"## What it checks
The settings in the manifest (`settings_schema.settings` and every section's, by key) over two
ranges: between the two highest releases in the linted revision's history, and from the highest
release to the linted tree. When a setting was added, removed or changed (type, default, help
text, options…) in a range, the root README or the `docs.setup` file (or a file under it, when
it is a directory) must have changed in the same range. The manifests are read from git objects
at the tags.

When the configuration documentation lives outside the repository (`docs.setup` is an https
page, or the README documents configuration only by a link to an external page, as playbooks
and zoom point to docs.mattermost.com, or has a configuration section that only points to one,
with at most 30 words of its own, no list and no subsection, as mscalendar's does), the repository cannot show whether it was updated: the
item is `unknown`, naming the page, instead of a finding.

## Why it matters
Settings are what administrators see of a plugin. A release that changes them without the
docs leaves administrators with instructions for settings that are gone or renamed.

## How to fix
Document the changed settings in the README or the setup docs, in the same release.

## Parameters
None.

## Example
`v1.2.0` adds the setting `EnableReminders` to `plugin.json`; `README.md` is the same as at
`v1.1.0`.
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit("it compares releases already tagged"),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let Some(fact) = usable(ctx) else {
        return;
    };
    if fact.settings_changes.is_empty() {
        ctx.evidence("no release yet to compare the settings with");
        return;
    }
    let manifest = match ctx.facts.manifest() {
        ManifestFact::Found(m) => Some(m),
        _ => None,
    };
    for change in &fact.settings_changes {
        if let Some(problem) = &change.problem {
            ctx.unknown(format!("cannot compare {}: {problem}", change.range()));
            continue;
        }
        let changed = change.changed();
        if changed.is_empty() {
            ctx.evidence(format!("settings unchanged over {}", change.range()));
            continue;
        }
        if !change.docs_files.is_empty() {
            ctx.evidence(format!(
                "settings changed over {} and so did {}",
                change.range(),
                change.docs_files.join(", ")
            ));
            continue;
        }
        let names = changed
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(page) = external_configuration_docs(ctx.facts.docs()) {
            ctx.unknown(format!(
                "settings changed over {} ({names}); their documentation is outside the \
                 repository ({page}), which cannot show whether it changed",
                change.range()
            ));
            continue;
        }
        let message = format!(
            "settings changed over {} ({names}) but neither the README nor the setup docs did",
            change.range()
        );
        let finding = ctx.report(message);
        finding.help("document the changed settings in the README or the `docs.setup` file");
        // Underline the changed settings that the linted manifest still has.
        if let Some(m) = manifest {
            let keys = m
                .settings
                .iter()
                .chain(m.sections.iter().flat_map(|s| &s.settings))
                .filter_map(|s| s.key.as_ref())
                .filter(|k| changed.contains(&k.value.as_str()));
            for (i, key) in keys.enumerate() {
                if i == 0 {
                    finding.at(&m.file, key.span);
                } else {
                    finding.label(&m.file, key.span, format!("`{}` changed too", key.value));
                }
            }
        }
    }
}

/// The page that documents configuration when it is outside the repository: `docs.setup` as an
/// https page, or the README's only account of configuration being a link to one (a setup
/// pointer, or a configuration heading whose section only points to the page).
fn external_configuration_docs(docs: &DocsFact) -> Option<String> {
    if matches!(docs.setup.target, Some(Target::Https)) {
        return docs.setup.pointer.as_ref().map(|p| p.value.clone());
    }
    let configuration = docs
        .sections
        .iter()
        .find(|s| s.kind == SectionKind::Configuration)?;
    match configuration.found_by? {
        FoundBy::Link => docs
            .setup_pointers
            .iter()
            .find(|p| p.kinds.contains(&SectionKind::Configuration) && external(&p.target))
            .map(|p| p.target.clone()),
        FoundBy::Heading => only_a_pointer_under(docs, configuration.span?),
        _ => None,
    }
}

/// Words of prose a pointer section may have besides its links ("See the product documentation
/// for details on setting up, configuring and using the integration").
const POINTER_WORDS: usize = 30;

/// The external page a section points to, when pointing is all it does: no subsections, no
/// lists, every paragraph a link to an external page with a short lead-in. The first link about
/// configuration is named, else the first link.
fn only_a_pointer_under(docs: &DocsFact, heading_span: Span) -> Option<String> {
    let doc = docs.structure.as_ref()?;
    let i = doc.headings.iter().position(|h| h.span == heading_span)?;
    let under = Some(i);
    if doc.headings.iter().any(|h| h.parent == under)
        || doc.lists.iter().any(|l| l.heading == under)
    {
        return None;
    }
    let links: Vec<_> = doc.links.iter().filter(|l| l.heading == under).collect();
    let paragraphs: Vec<_> = doc
        .paragraphs
        .iter()
        .filter(|p| p.heading == under)
        .collect();
    let words: usize = paragraphs
        .iter()
        .map(|p| p.text_outside_links.split_whitespace().count())
        .sum();
    let every_paragraph_links_out = paragraphs.iter().all(|p| {
        links.iter().any(|l| {
            external(&l.target) && p.span.offset <= l.span.offset && l.span.end() <= p.span.end()
        })
    });
    if paragraphs.is_empty() || !every_paragraph_links_out || words > POINTER_WORDS {
        return None;
    }
    let about_configuration = docs.setup_pointers.iter().find(|p| {
        p.kinds.contains(&SectionKind::Configuration)
            && external(&p.target)
            && links.iter().any(|l| l.target == p.target)
    });
    about_configuration.map(|p| p.target.clone()).or_else(|| {
        links
            .iter()
            .find(|l| external(&l.target))
            .map(|l| l.target.clone())
    })
}

fn external(target: &str) -> bool {
    target.starts_with("https://") || target.starts_with("http://")
}
