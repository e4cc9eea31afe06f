//! README sections recognised by what they say, not only by their headings: a link to the
//! documentation of installing, configuring or using the plugin (a setup pointer), steps that
//! install or configure the plugin under another heading, and a bullet list introduced as the
//! plugin's features or use cases.
//!
//! Real READMEs do this: Mattermost's own plugins say "See the [Mattermost Product
//! Documentation](https://docs.mattermost.com/integrate/…) for details on installing,
//! configuring, enabling, and using this Mattermost integration." and have no such headings;
//! welcomebot and autolink install the plugin in step 1 of `## Configuration`; profanity-filter
//! names its setting's System Console page under `## Usage`; servicenow lists "the following
//! features:". Developer sections (and links to developer documentation) never count: their
//! installation steps are a developer's.
//!
//! Pure functions of a parsed [`Document`]; whether a link's repository path exists is the
//! caller's answer.

use super::readme::{for_developers, SectionKind};
use crate::markdown::Document;
use crate::source::Span;

/// How a section of one kind was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// A heading names it ("Installation and configuration").
    Heading,
    /// A link to documentation about it (a setup pointer).
    Link,
    /// Text under another heading does it (installation steps under "Configuration").
    Content,
    /// A bullet list introduced as features or use cases (usage only).
    List,
    /// Nothing to configure (configuration only): every setting of the manifest has a value
    /// without being set and help text the System Console shows, or there are none.
    NothingToConfigure,
}

/// A link to documentation about installing, configuring or using the plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer {
    pub text: String,
    pub target: String,
    pub kinds: Vec<SectionKind>,
    pub span: Span,
}

/// A block of prose: a paragraph or a list item, with the heading it sits under.
struct Block<'d> {
    text: &'d str,
    span: Span,
    heading: Option<usize>,
    /// A list item or a paragraph inside one, not a paragraph of its own.
    item: bool,
}

fn blocks(doc: &Document) -> Vec<Block<'_>> {
    let mut out: Vec<Block<'_>> = doc
        .paragraphs
        .iter()
        .map(|p| Block {
            text: &p.text,
            span: p.span,
            heading: p.heading,
            item: p.nested,
        })
        .collect();
    for l in &doc.lists {
        out.extend(l.items.iter().map(|i| Block {
            text: &i.text,
            span: i.span,
            heading: l.heading,
            item: true,
        }));
    }
    out
}

fn for_users(doc: &Document, heading: Option<usize>) -> bool {
    !doc.heading_path(heading).any(|h| for_developers(&h.text))
}

/// How far a sentence is looked for on each side of a link, in bytes.
const SENTENCE_REACH: usize = 1000;

/// Whether the line starting at `at` starts a block: blank, a list item, a heading, a table row.
fn starts_block(text: &str, at: usize) -> bool {
    let line = text[at..].split('\n').next().unwrap_or("").trim_start();
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    line.is_empty()
        || line.starts_with(['-', '*', '+', '#', '|', '>'])
        || (digits > 0 && line[digits..].starts_with(['.', ')']))
}

/// The byte range of the sentence of the Markdown source around `span` (a link): from the end
/// of the previous sentence, or the start of its paragraph or list item, to the end of its own,
/// at most [`SENTENCE_REACH`] bytes each way.
fn sentence_at(text: &str, span: Span) -> (usize, usize) {
    let bytes = text.as_bytes();
    let floor = span.offset.saturating_sub(SENTENCE_REACH);
    let mut start = span.offset;
    while start > floor {
        let c = bytes[start - 1];
        if c.is_ascii_whitespace() && start >= 2 && matches!(bytes[start - 2], b'.' | b'!' | b'?') {
            break;
        }
        if c == b'\n' && (start >= 2 && bytes[start - 2] == b'\n' || starts_block(text, start)) {
            break;
        }
        start -= 1;
    }
    let ceiling = (span.end() + SENTENCE_REACH).min(text.len());
    let mut end = span.end();
    while end < ceiling {
        let c = bytes[end];
        if matches!(c, b'.' | b'!' | b'?')
            && bytes.get(end + 1).is_none_or(|n| n.is_ascii_whitespace())
        {
            end += 1;
            break;
        }
        if c == b'\n' && starts_block(text, end + 1) {
            break;
        }
        end += 1;
    }
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (start, end.max(start))
}

/// Markdown source without link targets (`[text](target)` as `[text]`).
fn without_targets(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..=i]);
        rest = match rest[i + 2..].find(')') {
            Some(j) => &rest[i + 2 + j + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Lower-case words of a text, URL separators treated as spaces.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The kinds of section a text speaks of.
fn kinds_of(text: &str) -> Vec<SectionKind> {
    let w = words(text);
    let joined = format!(" {} ", w.join(" "));
    let has = |p: &str| w.iter().any(|x| x.starts_with(p));
    let phrase = |p: &str| joined.contains(&format!(" {p} "));
    let mut out = Vec::new();
    if has("install") || has("upload") {
        out.push(SectionKind::Installation);
    }
    if has("configur")
        || has("setup")
        || has("settings")
        || phrase("set up")
        || phrase("setting up")
        || phrase("admin guide")
    {
        out.push(SectionKind::Configuration);
    }
    // Not a bare "use": "this project uses Go modules" documents nothing about using the plugin.
    if ["using", "usage"].iter().any(|u| w.iter().any(|x| x == u))
        || phrase("how to use")
        || phrase("user guide")
        || phrase("end user")
        || phrase("user documentation")
    {
        out.push(SectionKind::Usage);
    }
    out
}

/// Words that say a link leads to documentation rather than a download, an issue or a person.
fn is_documentation(text: &str, target: &str) -> bool {
    let t = words(&format!("{text} {target}"));
    t.iter().any(|w| {
        w.starts_with("doc")
            || w.starts_with("guide")
            || w.starts_with("manual")
            || w.starts_with("wiki")
            || w.starts_with("handbook")
            || w.starts_with("gitbook")
            || w == "help"
            || w == "readme"
            || w == "md"
    })
}

/// Links that lead somewhere other than documentation: downloads, issues, code, videos, the
/// README itself.
fn not_documentation(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    [
        "/releases",
        "/issues",
        "/pull",
        "/discussions",
        "/actions",
        "/commit",
        "/tree/",
        "youtube.",
        "youtu.be",
    ]
    .iter()
    .any(|p| lower.contains(p))
        // The repository's own front page: the README itself.
        || lower.ends_with("#readme")
}

/// Setup pointers: links to documentation (an https page, or a repository path that exists,
/// as `exists` says) outside developer sections, whose text, target or sentence speaks of
/// installing, configuring or using the plugin, and not of developing it.
pub fn pointers(doc: &Document, text: &str, exists: &dyn Fn(&str) -> bool) -> Vec<Pointer> {
    let mut out = Vec::new();
    for link in &doc.links {
        let target = link.target.trim();
        let https = target.to_ascii_lowercase().starts_with("https://");
        if link.text.trim().is_empty()
            || not_documentation(target)
            || !is_documentation(&link.text, target)
            || link.span.end() > text.len()
            || !for_users(doc, link.heading)
            || !(https || exists(target))
        {
            continue;
        }
        let (start, end) = sentence_at(text, link.span);
        let around = without_targets(&text[start..end]);
        let developer = format!("{} {target} {around}", link.text).to_lowercase();
        if developer.contains("develop") || developer.contains("contribut") {
            continue;
        }
        // A link whose own words say what it documents is read alone when its sentence holds
        // other links ("[setting up](…), [configuring](…), and [using](…)"); otherwise with
        // its sentence.
        // A repository path's words are the plugin's own (`docs/installation.md`); a web
        // address's are often another product's (`…/using-cloudwatch-createalarm.html`).
        let own = match https {
            true => kinds_of(&link.text),
            false => kinds_of(&format!("{} {target}", link.text)),
        };
        let first = doc.links.partition_point(|l| l.span.offset < start);
        let last = doc.links.partition_point(|l| l.span.offset < end);
        let shared = last - first > 1;
        let mut kinds = own.clone();
        if own.is_empty() || !shared {
            for k in kinds_of(&around) {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            kinds.sort_by_key(|k| SectionKind::ALL.iter().position(|a| a == k));
        }
        if kinds.is_empty() {
            continue;
        }
        out.push(Pointer {
            text: link.text.clone(),
            target: target.to_string(),
            kinds,
            span: link.span,
        });
    }
    out
}

/// `A > B`, `A -> B` and `A → B` as `a > b`, lower case, single spaces.
fn menu_path(text: &str) -> String {
    text.to_lowercase()
        .replace("->", ">")
        .replace('→', ">")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a block installs the plugin: an upload in the System Console, an install from the
/// Marketplace, or an install step on the Plugin Management page. Enabling the plugin on that
/// page is its whole installation only when the server ships it prepackaged (`prepackaged`):
/// "Once this plugin is installed, … select Enable" presupposes an install it does not
/// document.
fn installs(text: &str, prepackaged: bool) -> bool {
    let t = menu_path(text);
    let console = t.contains("plugin management") || t.contains("plugins > management");
    let install_verb = t
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "install" || w == "installing");
    (console && (prepackaged || install_verb || t.contains("upload")))
        || (t.contains("upload") && t.contains("system console"))
        || (t.contains("marketplace") && t.contains("install"))
}

/// Whether a block configures the plugin: its own System Console page, `config.json`, or its
/// settings.
fn configures(text: &str) -> bool {
    let t = menu_path(text);
    let console_page = t
        .match_indices("system console > plugins > ")
        .any(|(i, m)| {
            let rest = &t[i + m.len()..];
            !rest.starts_with("management") && !rest.starts_with("plugin management")
        });
    console_page
        || t.contains("config.json")
        || t.contains("plugin settings")
        || t.contains("plugin's settings")
        || t.contains("configure the plugin")
}

/// The first block outside developer sections whose text does what a section of `kind` is
/// for (installation and configuration only).
pub fn content(doc: &Document, kind: SectionKind, prepackaged: bool) -> Option<(String, Span)> {
    let test = |b: &Block<'_>| match kind {
        SectionKind::Installation => installs(b.text, prepackaged),
        SectionKind::Configuration => configures(b.text),
        SectionKind::Usage => shows_command(b.text, !b.item),
    };
    // Commands under a testing heading ("Generating test data") are a tester's, not a user's.
    let testing = |b: &Block<'_>| {
        kind == SectionKind::Usage
            && doc.heading_path(b.heading).any(|h| {
                super::readme::normalise(&h.text)
                    .split(' ')
                    .any(|w| w.starts_with("test") || w == "e2e")
            })
    };
    let mut found: Vec<Block<'_>> = blocks(doc)
        .into_iter()
        .filter(|b| for_users(doc, b.heading) && !testing(b) && test(b))
        .collect();
    found.sort_by_key(|b| b.span.offset);
    found.first().map(|b| (first_words(b.text), b.span))
}

/// Folders a README names with a leading `/` that are never slash commands.
const FOLDERS: [&str; 16] = [
    "tmp", "usr", "etc", "var", "opt", "home", "bin", "dev", "srv", "mnt", "server", "webapp",
    "build", "dist", "assets", "public",
];

/// Whether a block shows a slash command for users to type: `/meme everywhere "memes."` alone
/// in a paragraph (`alone`: not a list item, where a leading `/server` names a folder), or
/// "type `/meme` and press enter". The command is a word of its own that starts with `/` and a
/// letter, has no other `/` (not a path or an address) and is not a common folder's name.
pub fn shows_command(text: &str, alone: bool) -> bool {
    let lower = text.to_lowercase();
    let command = |w: &str| {
        let w =
            w.trim_matches(|c: char| matches!(c, '`' | '"' | '\'' | '(' | ')' | ',' | '.' | ':'));
        let Some(rest) = w.strip_prefix('/') else {
            return false;
        };
        rest.starts_with(|c: char| c.is_ascii_lowercase())
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && !FOLDERS.contains(&rest)
    };
    if alone && lower.split_whitespace().next().is_some_and(command) {
        return true;
    }
    let says = ["type", "run", "use", "enter", "command"]
        .iter()
        .any(|v| lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == *v));
    says && lower.split_whitespace().any(command)
}

fn first_words(text: &str) -> String {
    let mut out: String = text.chars().take(80).collect();
    if text.chars().count() > 80 {
        out.push('…');
    }
    out
}

/// Words of a lead-in that introduce features or use cases ("This plugin contains the following
/// features:", "With it you can:").
const LEAD_IN: [&str; 11] = [
    "feature",
    "use case",
    "capabilit",
    "functionalit",
    "what it does",
    "you can",
    "lets you",
    "allows you",
    "enables you",
    "helps you",
    "with this plugin",
];

/// Words of a lead-in that introduce steps, settings or requirements instead.
const NOT_LEAD_IN: [&str; 9] = [
    "setting",
    "configur",
    "step",
    "field",
    "option",
    "prerequisite",
    "requirement",
    "install",
    "command line",
];

/// Bullet lists introduced by a paragraph ending in `:` that speaks of features or use cases,
/// outside developer sections: `(lead-in paragraph index, list index)`.
pub fn introduced_lists(doc: &Document) -> Vec<(usize, usize)> {
    // Top-level paragraphs by where they end, to find the one before a list by binary search.
    let mut paragraphs: Vec<usize> = (0..doc.paragraphs.len())
        .filter(|&i| !doc.paragraphs[i].nested)
        .collect();
    paragraphs.sort_by_key(|&i| doc.paragraphs[i].span.end());
    let mut out = Vec::new();
    for (li, list) in doc.lists.iter().enumerate() {
        if list.ordered || list.depth != 0 || !for_users(doc, list.heading) {
            continue;
        }
        let before =
            paragraphs.partition_point(|&i| doc.paragraphs[i].span.end() <= list.span.offset);
        let Some(&pi) = before.checked_sub(1).and_then(|b| paragraphs.get(b)) else {
            continue;
        };
        let p = &doc.paragraphs[pi];
        // Nothing between: the list that starts last before this one starts before the
        // paragraph ends (lists are sorted by where they start).
        let between = li
            .checked_sub(1)
            .is_some_and(|prev| doc.lists[prev].span.offset >= p.span.end());
        let lower = p.text.to_lowercase();
        if p.heading != list.heading
            || between
            || !p.text.trim_end().ends_with(':')
            || !LEAD_IN.iter().any(|w| lower.contains(w))
            || NOT_LEAD_IN.iter().any(|w| lower.contains(w))
        {
            continue;
        }
        out.push((pi, li));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slash_command_shown_for_users_is_usage() {
        assert!(shows_command(
            "/meme everywhere \"memes.\" \"memes everywhere\"",
            true
        ));
        assert!(shows_command(
            "For more information like available memes type /meme and press enter.",
            false
        ));
        assert!(shows_command("Type `/todo add <message>` and send.", false));
        assert!(
            !shows_command("Copy the bundle to /tmp/plugins and restart.", true),
            "a path"
        );
        assert!(
            !shows_command("Run /usr/bin/make to build.", true),
            "a path with folders"
        );
        assert!(
            !shows_command("The /api endpoint answers.", false),
            "not said to be typed"
        );
        assert!(
            !shows_command("/server contains the Go code of the plugin", false),
            "a list item naming a folder"
        );
        assert!(!shows_command("Run it from /tmp.", true), "a common folder");
    }
    use crate::markdown::parse;

    fn no_files(_: &str) -> bool {
        false
    }

    #[test]
    fn product_documentation_links_point_at_setup() {
        // The sentence of github, gitlab, jira, zoom and servicenow.
        let text = "# GitHub\n\nA GitHub plugin for Mattermost.\n\nSee the [Mattermost Product Documentation](https://docs.mattermost.com/integrate/github-interoperability.html) for details on installing, configuring, enabling, and using this Mattermost integration.\n\n## Development\n\nRead our documentation about the [Developer Setup](https://developers.mattermost.com/integrate/plugins/developer-setup/) for more.\n";
        let found = pointers(&parse(text), text, &no_files);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].text, "Mattermost Product Documentation");
        assert_eq!(
            found[0].kinds,
            [
                SectionKind::Installation,
                SectionKind::Configuration,
                SectionKind::Usage
            ]
        );
    }

    #[test]
    fn link_texts_name_what_they_document() {
        // msteams-meetings, calls, agents, playbooks.
        let text = "# P\n\nSee the Mattermost Product Documentation for details on [setting up](https://docs.mattermost.com/x.html#setup), [configuring](https://docs.mattermost.com/x.html#configure), and [using](https://docs.mattermost.com/x.html#usage) the integration.\n\n## Documentation\n\n[End-user documentation](https://docs.mattermost.com/channels/make-calls.html)\n\n- [Admin Guide](docs/admin_guide.md): Detailed installation and configuration instructions\n- [Provider Setup](docs/missing.md): Configuration for providers\n\nFor configuration and administration information visit our [documentation](https://docs.mattermost.com/guides/playbooks.html).\n";
        let found = pointers(&parse(text), text, &|p| p == "docs/admin_guide.md");
        let summary: Vec<(&str, Vec<SectionKind>)> = found
            .iter()
            .map(|p| (p.text.as_str(), p.kinds.clone()))
            .collect();
        use SectionKind::*;
        assert_eq!(
            summary,
            [
                ("setting up", vec![Configuration]),
                ("configuring", vec![Configuration]),
                ("using", vec![Usage]),
                ("End-user documentation", vec![Usage]),
                ("Admin Guide", vec![Installation, Configuration]),
                ("documentation", vec![Configuration]),
            ],
            "a link to a repository path that does not exist is no pointer"
        );
    }

    #[test]
    fn links_that_are_not_setup_documentation() {
        // The starter template's developer documentation, a releases page, a badge, a video.
        let text = "# T\n\n[![Build](https://img.shields.io/x.svg)](https://ci.example.com)\n\nTo learn more about plugins, see [our plugin documentation](https://developers.mattermost.com/extend/plugins/).\n\n## Installation\n\n1. Download the latest version from the [release page](https://github.com/x/y/releases).\n\nWatch how to use it: [video](https://www.youtube.com/watch?v=1).\n";
        assert_eq!(pointers(&parse(text), text, &no_files), []);
        // The starter template's note on Go modules.
        let text = "# T\n\nNote that this project uses [Go modules](https://github.com/golang/go/wiki/Modules).\n";
        assert_eq!(pointers(&parse(text), text, &no_files), []);
        // jira's link to its own README.
        let text = "# J\n\nMultiple instances are configured using [Administrator Slash Commands](https://github.com/mattermost/mattermost-plugin-jira#readme).\n";
        assert_eq!(pointers(&parse(text), text, &no_files), []);
    }

    #[test]
    fn a_documentation_address_is_not_what_it_documents() {
        // profanity-filter: the page lives under `/administration/`, and is about uploading.
        let text = "# P\n\n## Installation\n\n2. Upload this file. To learn more about how to upload a plugin, [see the documentation](https://docs.mattermost.com/administration/plugins.html#plugin-uploads).\n";
        let found = pointers(&parse(text), text, &no_files);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kinds, [SectionKind::Installation]);
    }

    #[test]
    fn steps_under_another_heading() {
        // welcomebot's `## Configuration` installs in step 1; profanity-filter's `## Usage`
        // names its setting's page; the starter template builds a file "for upload".
        let welcomebot = parse("# W\n\n## Configuration\n\n1. Go to **System Console > Plugins > Management** and click **Enable** to enable the Welcome Bot plugin.\n2. Modify your `config.json` file.\n");
        // The server ships welcomebot prepackaged: enabling it is its whole installation.
        let (text, _) = content(&welcomebot, SectionKind::Installation, true).unwrap();
        assert!(
            text.starts_with("Go to System Console > Plugins > Management"),
            "{text}"
        );
        assert!(
            content(&welcomebot, SectionKind::Installation, false).is_none(),
            "a plugin the server does not ship must be uploaded or installed before it is enabled"
        );
        assert!(content(&welcomebot, SectionKind::Configuration, false).is_some());
        // agenda: the install is presupposed, not documented.
        let agenda = parse("# A

## Usage

Once this plugin is installed, a Mattermost admin can enable it in the Mattermost System Console by going to **Plugins > Plugin Management**, and selecting **Enable**.
");
        assert!(content(&agenda, SectionKind::Installation, false).is_none());
        let install = parse(
            "# I

## Setup

Install the plugin from **System Console > Plugins > Plugin Management**.
",
        );
        assert!(content(&install, SectionKind::Installation, false).is_some());
        let profanity = parse("# P\n\n## Usage\n\nYou can edit the bad words list in **System Console > Plugins > Profanity Filter > Bad words list**.\n");
        assert!(content(&profanity, SectionKind::Configuration, false).is_some());
        assert!(content(&profanity, SectionKind::Installation, false).is_none());
        let todo = parse("# T\n\n## Install\n\n2. On your Mattermost, go to System Console -> Plugin Management and upload it.\n");
        assert!(content(&todo, SectionKind::Installation, false).is_some());
        assert!(content(&todo, SectionKind::Configuration, false).is_none());
        let starter = parse("# S\n\n## Getting Started\n\nThis will produce a single plugin file for upload to your Mattermost server.\n\n## Development\n\nYou must first enable plugin uploads via your config.json and use System Console > Plugins > Plugin Management.\n");
        assert!(content(&starter, SectionKind::Installation, true).is_none());
        assert!(content(&starter, SectionKind::Configuration, false).is_none());
    }

    #[test]
    fn lists_introduced_as_features() {
        // servicenow's shape, and lead-ins that introduce something else.
        let doc = parse("# S\n\nThis plugin contains the following features:\n- Connecting to ServiceNow using OAuth.\n- Creating subscriptions with wizards.\n\nYou can also configure the following settings:\n- Webhook secret\n\nThe following steps:\n- Do this.\n\n## Development\n\nWith this plugin you can:\n- develop it\n");
        let found = introduced_lists(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        let (p, l) = found[0];
        assert_eq!(
            doc.paragraphs[p].text,
            "This plugin contains the following features:"
        );
        assert_eq!(doc.lists[l].items.len(), 2);
    }

    #[test]
    fn sentences_around_a_link() {
        let text = "# T\n\nOne thing. See the [docs](https://x/docs) for setup. Then more.\n\n- [Guide](g.md): install it\n- other\n";
        let doc = parse(text);
        let at = |i: usize| {
            let (s, e) = sentence_at(text, doc.links[i].span);
            &text[s..e]
        };
        assert_eq!(at(0), "See the [docs](https://x/docs) for setup.");
        assert_eq!(at(1), "- [Guide](g.md): install it");
        assert_eq!(without_targets(at(0)), "See the [docs] for setup.");
    }
}
