//! Documentation: the README's structure (summary, use cases, sections, images, links), setup
//! docs, help text of the manifest's settings, the Marketplace's documentation items, and
//! pointers that lead nowhere (`.gitbook.yaml` `root`, README links to missing files).

pub mod paths;
pub mod readme;
pub mod recognise;

use crate::facts::manifest::{Manifest, ManifestFact};
use crate::facts::Facts;
use crate::markdown::{self, Document};
use crate::source::{SourceFile, Span, Spanned};
use paths::Target;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::HashMap;

pub use readme::{SectionKind, Skipped, USE_CASE_HEADINGS};
pub use recognise::FoundBy;

/// Where GitBook configuration lives.
pub const GITBOOK_FILE: &str = ".gitbook.yaml";

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct DocsFact {
    /// The README judged: `docs.readme` in `.onboarding.yml`, else the root README.
    pub readme: Option<String>,
    /// Why the README named by `docs.readme` was not used, or, when no README could be read,
    /// why the root one could not.
    pub readme_problem: Option<String>,
    /// The one-paragraph summary, as plain text.
    pub summary: Option<String>,
    /// Paragraphs passed over before the summary, and why.
    pub summary_skipped: Vec<Skipped>,
    /// With `docs.summary_heading`: whether the README has that heading.
    pub summary_heading_found: Option<bool>,
    /// Bullet items under the default use-case headings.
    pub use_cases: Vec<String>,
    /// Bullet lists introduced as features or use cases by the paragraph before them ("This
    /// plugin contains the following features:"), under any heading outside developer
    /// sections.
    pub use_case_lists: Vec<UseCaseList>,
    /// Each kind of section the README has, and how it was found: the first heading of that
    /// kind, else the first setup pointer about it, else the first text that does it (usage:
    /// else a list of use cases).
    pub sections: Vec<Section>,
    /// Links to documentation about installing, configuring or using the plugin (outside
    /// developer sections), with what each is about.
    pub setup_pointers: Vec<SetupPointer>,
    pub setup: Setup,
    pub settings: SettingsHelp,
    /// Images of the README, with where they point.
    pub images: Vec<ImageFact>,
    /// The first image that is not a badge and shows: a repository file or an https address.
    pub screenshot: Option<String>,
    pub security_contact: Option<SecurityContact>,
    /// `docs.security` from `.onboarding.yml`, when it leads nowhere: a missing file, or neither
    /// https nor `mailto:`.
    pub security_pointer_problem: Option<Spanned<String>>,
    /// The manifest's `icon_path`, when set.
    pub icon: Option<Icon>,
    pub gitbook: Option<GitBook>,
    /// README links and images to repository paths that do not exist.
    pub broken_links: Vec<BrokenLink>,
    /// The README's Markdown structure.
    pub structure: Option<Document>,
    #[serde(skip)]
    pub file: Option<SourceFile>,
    #[serde(skip)]
    pub summary_span: Option<Span>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Section {
    pub kind: SectionKind,
    /// The heading's text, when a heading names such a section.
    pub heading: Option<String>,
    /// How the section was found; `null` when the README has none.
    pub found_by: Option<FoundBy>,
    /// What was found: the heading, the link's text and target, the text's first words, or
    /// the list's lead-in.
    pub found: Option<String>,
    #[serde(skip)]
    pub span: Option<Span>,
}

impl Section {
    pub fn present(&self) -> bool {
        self.found_by.is_some()
    }

    /// "heading `Installation`", "link [Docs](https://…)", for messages.
    pub fn describe(&self) -> String {
        let found = self.found.as_deref().unwrap_or("");
        match self.found_by {
            Some(FoundBy::Heading) => format!("heading `{found}`"),
            Some(FoundBy::Link) => format!("link {found}"),
            Some(FoundBy::Content) => format!("text \"{found}\""),
            Some(FoundBy::List) => format!("list introduced by \"{found}\""),
            Some(FoundBy::NothingToConfigure) => format!("none needed: {found}"),
            None => "nothing".into(),
        }
    }
}

/// A link to documentation about installing, configuring or using the plugin.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SetupPointer {
    pub text: String,
    pub target: String,
    /// What it documents.
    pub kinds: Vec<SectionKind>,
    #[serde(skip)]
    pub span: Span,
}

/// A bullet list introduced as features or use cases.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UseCaseList {
    /// The paragraph that introduces it.
    pub lead_in: String,
    /// Its items of more than one word.
    pub items: Vec<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Setup {
    /// `docs.setup` from `.onboarding.yml`.
    pub pointer: Option<Spanned<String>>,
    /// Where it leads.
    pub target: Option<Target>,
    /// Whether the README has both an installation and a configuration section (found by
    /// heading, link or content).
    pub readme_sections: bool,
    /// The README's first setup pointer about installing or configuring the plugin: the same
    /// thing as `docs.setup`, written in the README.
    pub readme_pointer: Option<SetupPointer>,
}

impl Setup {
    /// Whether setup documentation exists: the pointer leads to an https page or a repository
    /// path that exists, or the README covers installation and configuration, or links to the
    /// documentation of either.
    pub fn present(&self) -> bool {
        match &self.target {
            Some(t) => pointer_ok(t),
            None => self.readme_sections || self.readme_pointer.is_some(),
        }
    }
}

/// Whether a pointer's target is acceptable documentation.
pub fn pointer_ok(t: &Target) -> bool {
    matches!(t, Target::Https | Target::Path { exists: true, .. })
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct SettingsHelp {
    /// Distinct setting keys in `settings_schema.settings` and `sections[].settings`.
    pub total: usize,
    /// Keys with a help text in the manifest (custom ones not counted).
    pub with_help: usize,
    /// Keys without help text, each where it is first declared.
    pub without_help: Vec<Spanned<String>>,
    /// Keys the plugin's own webapp component draws (`"type": "custom"`, or a setting of a
    /// `"custom": true` section): the component shows its own label and help, which the
    /// manifest cannot show. Counted in `total`, never in `without_help`.
    pub custom: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImageFact {
    pub src: String,
    pub alt: String,
    pub badge: bool,
    pub target: Target,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SecurityContact {
    /// A security policy file (`SECURITY.md` at the root, in `.github/` or `docs/`).
    File { path: String },
    /// A README section about security.
    Section { heading: String },
    /// A security address in the README.
    Email { address: String },
    /// `docs.security` in `.onboarding.yml`: an https page, a `mailto:` address or a file.
    Declared { value: String },
    /// The security policy the owning organisation publishes for all its repositories (the
    /// `security_policies` setting, by the owner of the `origin` remote).
    Organisation {
        organisation: String,
        policy: String,
    },
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Icon {
    /// As written in the manifest, relative to the plugin bundle.
    pub path: Spanned<String>,
    /// The repository file the bundle takes it from.
    pub file: String,
    pub exists: bool,
    /// Whether the file is an SVG image (`.svg` and an `<svg` element).
    pub svg: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GitBook {
    /// `root`, when set.
    pub root: Option<Spanned<String>>,
    pub root_exists: bool,
    /// Why the file could not be read, when it could not.
    pub error: Option<String>,
    #[serde(skip)]
    pub file: Option<SourceFile>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BrokenLink {
    /// As written.
    pub target: String,
    /// Resolved in the repository.
    pub path: String,
    pub image: bool,
    #[serde(skip)]
    pub span: Span,
}

/// Computes the documentation fact.
pub fn compute(facts: &Facts) -> DocsFact {
    let ws = facts.workspace();
    let list = &facts.files().list;
    let config = facts.onboarding().config();
    let docs_config = config.map(|c| &c.docs);
    let mut fact = DocsFact::default();

    // The README: the one `.onboarding.yml` names, else the root one.
    let mut file = None;
    if let Some(p) = docs_config.and_then(|d| d.readme.as_ref()) {
        match ws.read_text(&p.value) {
            Ok(Some(f)) => file = Some(f),
            Ok(None) => {
                fact.readme_problem = Some(format!("`{}` does not exist", p.value));
            }
            Err(e) => fact.readme_problem = Some(e.to_string()),
        }
    }
    let file = file.or_else(|| facts.readme().cloned());
    if file.is_none() && fact.readme_problem.is_none() {
        fact.readme_problem = facts.readme_problem().map(str::to_string);
    }

    if let Some(file) = &file {
        let doc = markdown::parse(&file.text);
        let pointer = docs_config.and_then(|d| d.summary_heading.as_ref());
        let pick = readme::pick_summary(&doc, pointer.map(|p| p.value.as_str()));
        if let Some(i) = pick.paragraph {
            fact.summary = Some(doc.paragraphs[i].text.clone());
            fact.summary_span = Some(doc.paragraphs[i].span);
        }
        fact.summary_skipped = pick.skipped;
        fact.summary_heading_found = pick.pointer_found;
        let names: Vec<String> = USE_CASE_HEADINGS.iter().map(|s| s.to_string()).collect();
        fact.use_cases = readme::use_cases(&doc, &names)
            .into_iter()
            .map(|u| u.item.text.clone())
            .collect();
        let exists = |target: &str| {
            matches!(
                paths::classify(ws, list, &file.path, target),
                Target::Path { exists: true, .. }
            )
        };
        // Each linked guide is read once, however many links lead to it.
        let mut guides: HashMap<String, Vec<SectionKind>> = HashMap::new();
        fact.setup_pointers = recognise::pointers(&doc, &file.text, &exists)
            .into_iter()
            .map(|p| {
                let mut kinds = p.kinds;
                // A Markdown file of the repository is read: its headings say what else it
                // documents (confluence's "[Admin Guide](/docs/admin-guide.md)" has
                // `### Installation`).
                if let Target::Path { path, exists: true } =
                    paths::classify(ws, list, &file.path, &p.target)
                {
                    let linked = guides
                        .entry(path)
                        .or_insert_with_key(|path| linked_sections(ws, path));
                    for &k in linked.iter() {
                        if !kinds.contains(&k) {
                            kinds.push(k);
                        }
                    }
                    kinds.sort_by_key(|k| SectionKind::ALL.iter().position(|a| a == k));
                }
                SetupPointer {
                    text: p.text,
                    target: p.target,
                    kinds,
                    span: p.span,
                }
            })
            .collect();
        fact.use_case_lists = recognise::introduced_lists(&doc)
            .into_iter()
            .map(|(p, l)| UseCaseList {
                lead_in: doc.paragraphs[p].text.clone(),
                items: doc.lists[l]
                    .items
                    .iter()
                    .filter(|i| i.text.split_whitespace().nth(1).is_some())
                    .map(|i| i.text.clone())
                    .collect(),
                span: doc.lists[l].span,
            })
            .filter(|l| !l.items.is_empty())
            .collect();
        // The server ships some plugins prepackaged: enabling one of those is its installation.
        let prepackaged = match facts.manifest() {
            ManifestFact::Found(m) => {
                m.id.as_ref()
                    .is_some_and(|id| facts.settings().prepackaged.contains(&id.value))
            }
            _ => false,
        };
        fact.sections = readme::sections(&doc)
            .into_iter()
            .map(|(kind, h)| find_section(&doc, kind, h, &fact, prepackaged))
            .collect();
        for img in &doc.images {
            let target = paths::classify(ws, list, &file.path, &img.src);
            fact.images.push(ImageFact {
                src: img.src.clone(),
                alt: img.alt.clone(),
                badge: paths::is_badge(&img.src),
                target,
                span: img.span,
            });
        }
        fact.screenshot = fact
            .images
            .iter()
            .find(|i| !i.badge && pointer_ok(&i.target))
            .map(|i| i.src.clone());
        let links = doc.links.iter().map(|l| (&l.target, l.span, false));
        let images = doc.images.iter().map(|i| (&i.src, i.span, true));
        for (target, span, image) in links.chain(images) {
            if let Target::Path {
                path,
                exists: false,
            } = paths::classify(ws, list, &file.path, target)
            {
                fact.broken_links.push(BrokenLink {
                    target: target.clone(),
                    path,
                    image,
                    span,
                });
            }
        }
        fact.broken_links.sort_by_key(|b| b.span.offset);
        fact.security_contact = readme_security(&doc, &file.text);
        fact.readme = Some(file.path.clone());
        fact.structure = Some(doc);
    }
    fact.file = file;

    if let ManifestFact::Found(m) = facts.manifest() {
        let configuration = fact
            .sections
            .iter_mut()
            .find(|s| s.kind == SectionKind::Configuration && !s.present());
        if let (Some(section), Some(why)) = (configuration, nothing_to_configure(m)) {
            section.found_by = Some(FoundBy::NothingToConfigure);
            section.found = Some(why);
        }
    }
    let has = |k: SectionKind| fact.sections.iter().any(|s| s.kind == k && s.present());
    fact.setup.readme_sections = has(SectionKind::Installation) && has(SectionKind::Configuration);
    fact.setup.readme_pointer = fact
        .setup_pointers
        .iter()
        .find(|p| {
            p.kinds.contains(&SectionKind::Installation)
                || p.kinds.contains(&SectionKind::Configuration)
        })
        .cloned();
    if let Some(p) = docs_config.and_then(|d| d.setup.as_ref()) {
        fact.setup.pointer = Some(p.clone());
        fact.setup.target = Some(paths::classify(ws, list, "", &p.value));
    }

    if let ManifestFact::Found(m) = facts.manifest() {
        fact.settings = settings_help(m);
        fact.icon = m.icon_path.as_ref().map(|p| {
            let path = icon_file(facts, &p.value);
            let exists = !path.is_empty() && paths::exists(ws, list, &path);
            let svg = exists
                && path.to_ascii_lowercase().ends_with(".svg")
                && matches!(ws.read_text(&path), Ok(Some(f)) if f.text.contains("<svg"));
            Icon {
                path: p.clone(),
                file: path,
                exists,
                svg,
            }
        });
    }

    if fact.security_contact.is_none() {
        fact.security_contact = list
            .iter()
            .find(|f| {
                let lower = f.path.to_ascii_lowercase();
                let (dir, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
                matches!(dir, "" | ".github" | "docs")
                    && (name == "security" || name.starts_with("security."))
            })
            .map(|f| SecurityContact::File {
                path: f.path.clone(),
            });
    }

    if let Some(p) = docs_config.and_then(|d| d.security.as_ref()) {
        let mailto = p
            .value
            .strip_prefix("mailto:")
            .is_some_and(|a| a.contains('@'));
        let target = paths::classify(ws, list, "", &p.value);
        let problem = match target {
            _ if mailto => None,
            Target::Https | Target::Path { exists: true, .. } => None,
            Target::Path { path, .. } => Some(format!("`{path}` does not exist")),
            _ => {
                Some("it is neither an https URL, a `mailto:` address nor a repository path".into())
            }
        };
        match problem {
            None if fact.security_contact.is_none() => {
                fact.security_contact = Some(SecurityContact::Declared {
                    value: p.value.clone(),
                })
            }
            None => {}
            Some(problem) => fact.security_pointer_problem = Some(Spanned::new(problem, p.span)),
        }
    }

    if fact.security_contact.is_none() {
        let forge = ws.repo().and_then(crate::git::Forge::of_origin);
        let policies = &facts.settings().security_policies;
        // A bare key is a GitHub owner; `host/owner` names another forge's.
        fact.security_contact = forge.and_then(|f| {
            policies
                .iter()
                .find(|(k, _)| f.is_owned_by(k))
                .map(|(_, policy)| SecurityContact::Organisation {
                    organisation: f.owner.clone(),
                    policy: policy.clone(),
                })
        });
    }

    fact.gitbook = gitbook(facts);
    fact
}

/// A section of one kind: its heading, else a setup pointer about it, else text that does it,
/// else (usage) a list of use cases.
fn find_section(
    doc: &Document,
    kind: SectionKind,
    heading: Option<usize>,
    fact: &DocsFact,
    prepackaged: bool,
) -> Section {
    let mut section = Section {
        kind,
        heading: None,
        found_by: None,
        found: None,
        span: None,
    };
    let mut set = |by: FoundBy, found: String, span: Span| {
        section.found_by = Some(by);
        section.found = Some(found);
        section.span = Some(span);
    };
    if let Some(i) = heading {
        let h = &doc.headings[i];
        set(FoundBy::Heading, h.text.clone(), h.span);
        section.heading = Some(h.text.clone());
    } else if let Some(p) = fact.setup_pointers.iter().find(|p| p.kinds.contains(&kind)) {
        set(FoundBy::Link, format!("[{}]({})", p.text, p.target), p.span);
    } else if let Some((text, span)) = recognise::content(doc, kind, prepackaged) {
        set(FoundBy::Content, text, span);
    } else if let (SectionKind::Usage, Some(l)) = (kind, fact.use_case_lists.first()) {
        set(FoundBy::List, l.lead_in.clone(), l.span);
    }
    section
}

/// The repository file behind a bundle path: `assets/…` comes from the Makefile's
/// `ASSETS_DIR` (the starter template's build copies that folder into the bundle as `assets/`).
fn icon_file(facts: &Facts, bundle_path: &str) -> String {
    let path = paths::normalise_path("", bundle_path).unwrap_or_default();
    let Some(rest) = path.strip_prefix("assets/") else {
        return path;
    };
    let assets_dir = match facts.workspace().read_text("Makefile") {
        Ok(Some(f)) => makefile_assets_dir(&f.text),
        _ => None,
    };
    match assets_dir.and_then(|d| paths::normalise_path("", &d)) {
        Some(dir) if !dir.is_empty() => format!("{dir}/{rest}"),
        _ => path,
    }
}

/// The value of `ASSETS_DIR` in a Makefile (`=`, `:=` or `?=`), when it is a plain path.
pub fn makefile_assets_dir(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("ASSETS_DIR")?;
        let value = rest
            .trim_start()
            .strip_prefix("?=")
            .or_else(|| rest.trim_start().strip_prefix(":="))
            .or_else(|| rest.trim_start().strip_prefix('='))?
            .trim();
        (!value.is_empty() && !value.contains('$') && !value.contains(' '))
            .then(|| value.to_string())
    })
}

/// Distinct setting keys (case-insensitive, as the server's configuration is) and their help.
fn settings_help(m: &Manifest) -> SettingsHelp {
    let mut seen: Vec<(String, Spanned<String>, bool)> = Vec::new();
    let mut custom: Vec<String> = Vec::new();
    let all = m.settings.iter().map(|s| (s, false)).chain(
        m.sections
            .iter()
            .flat_map(|sec| sec.settings.iter().map(|s| (s, sec.custom))),
    );
    for (s, in_custom_section) in all {
        let Some(key) = &s.key else { continue };
        let lower = key.value.to_lowercase();
        let drawn_by_plugin =
            in_custom_section || s.kind.as_ref().is_some_and(|k| k.value == "custom");
        if drawn_by_plugin && !custom.contains(&lower) {
            custom.push(lower.clone());
        }
        let helped = drawn_by_plugin
            || s.help_text
                .as_ref()
                .is_some_and(|h| !h.value.trim().is_empty());
        match seen.iter_mut().find(|(k, _, _)| *k == lower) {
            Some(entry) => entry.2 |= helped,
            None => seen.push((lower, key.clone(), helped)),
        }
    }
    SettingsHelp {
        total: seen.len(),
        with_help: seen
            .iter()
            .filter(|(k, _, h)| *h && !custom.contains(k))
            .count(),
        without_help: seen
            .into_iter()
            .filter(|(_, _, h)| !h)
            .map(|(_, k, _)| k)
            .collect(),
        custom: custom.len(),
    }
}

/// The kinds of section a Markdown file of the repository has headings for, outside developer
/// sections; nothing for another file, or one that cannot be read.
fn linked_sections(ws: &crate::workspace::Workspace, path: &str) -> Vec<SectionKind> {
    let lower = path.to_ascii_lowercase();
    if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
        return Vec::new();
    }
    let Ok(Some(file)) = ws.read_text(path) else {
        return Vec::new();
    };
    readme::sections(&markdown::parse(&file.text))
        .into_iter()
        .filter(|(_, heading)| heading.is_some())
        .map(|(kind, _)| kind)
        .collect()
}

/// Why the plugin needs no configuration section, when it needs none: the manifest declares
/// no settings, or every setting has a value without being set (a `bool`, a `generated` value
/// or a `default`) and help text the System Console shows beside it. A setting the plugin's own
/// component draws, one without help, or one that must be filled in (an API key, a server
/// URL) needs documentation.
fn nothing_to_configure(m: &Manifest) -> Option<String> {
    if m.sections.iter().any(|s| s.custom) {
        return None;
    }
    let all: Vec<&crate::facts::manifest::Setting> = m
        .settings
        .iter()
        .chain(m.sections.iter().flat_map(|s| s.settings.iter()))
        .collect();
    if all.is_empty() {
        return Some("the manifest declares no settings".into());
    }
    let mut keys = Vec::new();
    for s in &all {
        let kind = s.kind.as_ref().map(|k| k.value.as_str()).unwrap_or("");
        let valued = matches!(kind, "bool" | "generated") || s.has_default;
        let helped = s
            .help_text
            .as_ref()
            .is_some_and(|h| !h.value.trim().is_empty());
        if kind == "custom" || !valued || !helped {
            return None;
        }
        if let Some(k) = &s.key {
            keys.push(format!("`{}`", k.value));
        }
    }
    let which = if all.len() == 1 {
        "the manifest's one setting".to_string()
    } else {
        format!("each of the manifest's {} settings", all.len())
    };
    Some(format!(
        "{which} ({}) has a value without being set and help text in the System Console",
        keys.join(", ")
    ))
}

/// A security section or a security address in the README.
fn readme_security(doc: &Document, text: &str) -> Option<SecurityContact> {
    if let Some(h) = doc.headings.iter().find(|h| {
        readme::normalise(&h.text)
            .split(' ')
            .any(|w| w == "security")
    }) {
        return Some(SecurityContact::Section {
            heading: h.text.clone(),
        });
    }
    text.split(|c: char| c.is_whitespace() || "<>()[]\"'`,;".contains(c))
        .map(|w| w.trim_start_matches("mailto:").trim_end_matches('.'))
        .find(|w| {
            w.split_once('@').is_some_and(|(local, domain)| {
                local.to_ascii_lowercase().contains("security") && domain.contains('.')
            })
        })
        .map(|w| SecurityContact::Email {
            address: w.to_string(),
        })
}

/// `.gitbook.yaml` and whether its `root` exists.
fn gitbook(facts: &Facts) -> Option<GitBook> {
    let ws = facts.workspace();
    let file = match ws.read_text(GITBOOK_FILE) {
        Ok(None) => return None,
        Ok(Some(f)) => f,
        Err(e) => {
            return Some(GitBook {
                root: None,
                root_exists: false,
                error: Some(e.to_string()),
                file: None,
            })
        }
    };
    let mut out = GitBook {
        root: None,
        root_exists: true,
        error: None,
        file: None,
    };
    match crate::yaml::parse(&file.text) {
        Err(e) => out.error = Some(e.message),
        Ok(node) => {
            if let Some(n) = node.get("root") {
                match n.as_str() {
                    Some(root) => {
                        let path = paths::normalise_path("", root);
                        out.root_exists = path
                            .as_deref()
                            .is_some_and(|p| paths::exists(ws, &facts.files().list, p));
                        out.root = Some(Spanned::new(root.to_string(), n.span));
                    }
                    None => out.error = Some("`root` is not a string".into()),
                }
            }
        }
    }
    out.file = Some(file);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_dir_from_the_makefile() {
        assert_eq!(
            makefile_assets_dir("X = 1\nASSETS_DIR ?= server/assets\n").as_deref(),
            Some("server/assets")
        );
        assert_eq!(makefile_assets_dir("ASSETS_DIR := $(X)/a\n"), None);
        assert_eq!(makefile_assets_dir("ASSETS_DIRS = a\n"), None);
    }
}
