//! What the README's structure says: the summary paragraph, use cases, and which sections it has.
//! Pure functions of a parsed [`Document`].

use crate::markdown::{Document, Heading, Paragraph};
use schemars::JsonSchema;
use serde::Serialize;

/// Headings whose bullet lists are the plugin's main use cases, unless a policy says otherwise.
pub const USE_CASE_HEADINGS: [&str; 8] = [
    "features",
    "feature summary",
    "key features",
    "usage",
    "use cases",
    "examples",
    "how to use",
    "what it does",
];

/// Headings of sections that introduce the plugin, where a summary may sit when the README has
/// no prose before its first section.
const OVERVIEW_HEADINGS: [&str; 6] = [
    "overview",
    "about",
    "introduction",
    "description",
    "summary",
    "what is it",
];

/// Headings of notices that come before the summary in real READMEs.
const NOTICE_HEADINGS: [&str; 9] = [
    "disclaimer",
    "note",
    "notice",
    "important",
    "warning",
    "caution",
    "attention",
    "announcement",
    "deprecated",
];

/// Heading text for comparisons: lower case, letters, digits and single spaces.
pub fn normalise(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a heading matches a name: the same words, or starts with them (`Features and
/// limitations` matches `features`).
pub fn heading_matches(heading: &str, name: &str) -> bool {
    let (h, n) = (normalise(heading), normalise(name));
    !n.is_empty() && (h == n || h.starts_with(&format!("{n} ")))
}

/// A paragraph passed over on the way to the summary, and why.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Skipped {
    /// The paragraph's first words.
    pub text: String,
    /// `badges or images`, `links only`, `notice`, `maintainer line`, `lead-in` or `tagline`.
    pub reason: &'static str,
}

/// The summary paragraph picked, by index into the document's paragraphs.
#[derive(Debug, Default)]
pub struct SummaryPick {
    pub paragraph: Option<usize>,
    pub skipped: Vec<Skipped>,
    /// With a pointer: whether a heading of that name exists.
    pub pointer_found: Option<bool>,
}

/// Why a paragraph cannot be the summary, if it cannot.
fn not_summary(doc: &Document, p: &Paragraph) -> Option<&'static str> {
    let text = p.text.trim();
    let outside = p.text_outside_links.trim();
    if text.is_empty() || (outside.is_empty() && p.images > 0) {
        return Some("badges or images");
    }
    if outside.chars().all(|c| !c.is_alphanumeric()) {
        return Some("links only");
    }
    let lower = text.to_lowercase();
    let under_notice = doc
        .heading_path(p.heading)
        .any(|h| NOTICE_HEADINGS.iter().any(|n| heading_matches(&h.text, n)));
    if under_notice
        || lower.contains("community supported")
        || ["disclaimer", "note:", "notice:", "important:", "warning:"]
            .iter()
            .any(|s| lower.starts_with(s))
    {
        return Some("notice");
    }
    if [
        "maintainer",
        "co-maintainer",
        "maintained by",
        "originally developed by",
        "author:",
        "authors:",
    ]
    .iter()
    .any(|s| lower.starts_with(s))
    {
        return Some("maintainer line");
    }
    if text.ends_with(':') {
        return Some("lead-in");
    }
    None
}

/// A one-line title-like phrase ("Chess plugin for Mattermost") that a real summary follows.
fn is_tagline(p: &Paragraph) -> bool {
    let text = p.text.trim();
    !p.multiline && text.split_whitespace().count() < 8 && !text.ends_with(['.', '!', '?'])
}

fn in_section(doc: &Document, p: &Paragraph, heading: usize) -> bool {
    std::iter::successors(p.heading, |&i| doc.headings[i].parent).any(|i| i == heading)
}

/// Picks the summary: the first prose paragraph of the introduction (before any section, or in
/// a top-level `#` section that is not a notice), else the first of an overview section; or,
/// with a pointer, the first prose paragraph under the heading it names.
pub fn pick_summary(doc: &Document, pointer: Option<&str>) -> SummaryPick {
    let mut pick = SummaryPick::default();
    let top: Vec<(usize, &Paragraph)> = doc
        .paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.nested)
        .collect();
    let phases: Vec<Vec<(usize, &Paragraph)>> = match pointer {
        Some(name) => {
            let heading = doc
                .headings
                .iter()
                .position(|h| normalise(&h.text) == normalise(name));
            pick.pointer_found = Some(heading.is_some());
            let Some(h) = heading else { return pick };
            vec![top
                .iter()
                .copied()
                .filter(|(_, p)| in_section(doc, p, h))
                .collect()]
        }
        None => {
            let intro = top
                .iter()
                .copied()
                .filter(|(_, p)| {
                    p.heading
                        .is_none_or(|i| doc.heading_path(Some(i)).all(|h| h.level == 1))
                })
                .collect();
            let overview = top
                .iter()
                .copied()
                .filter(|(_, p)| {
                    doc.heading_path(p.heading).any(|h: &Heading| {
                        OVERVIEW_HEADINGS
                            .iter()
                            .any(|n| heading_matches(&h.text, n))
                    })
                })
                .collect();
            vec![intro, overview]
        }
    };
    for phase in phases {
        let candidates: Vec<(usize, &Paragraph)> = phase
            .into_iter()
            .filter(|(_, p)| match not_summary(doc, p) {
                Some(reason) => {
                    pick.skipped.push(Skipped {
                        text: first_words(&p.text),
                        reason,
                    });
                    false
                }
                None => true,
            })
            .collect();
        for (n, (i, p)) in candidates.iter().enumerate() {
            let followed = candidates[n + 1..]
                .iter()
                .any(|(_, q)| q.heading == p.heading);
            if is_tagline(p) && followed {
                pick.skipped.push(Skipped {
                    text: first_words(&p.text),
                    reason: "tagline",
                });
                continue;
            }
            pick.paragraph = Some(*i);
            return pick;
        }
    }
    pick
}

pub fn first_words(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// Headings under which a numbered list is steps to follow, not use cases.
const STEPS_HEADINGS: [&str; 2] = ["usage", "how to use"];

/// Top-level list items under a heading that matches one of `headings`, outside developer
/// sections: bullets first, then numbered items (autolink's `## Examples` numbers its four use
/// cases) unless the heading is one of steps ("Usage: 1. Join a team. 2. Read the greeting." is
/// how, not what). An item of a single word (a bare link, a command name alone) says no use
/// case.
pub fn use_cases<'d>(doc: &'d Document, headings: &[String]) -> Vec<UseCaseItem<'d>> {
    let mut found: Vec<UseCaseItem<'d>> = doc
        .lists
        .iter()
        .filter(|l| l.depth == 0)
        .filter_map(|l| {
            let h = use_case_heading(doc, l.heading, headings)?;
            let steps = STEPS_HEADINGS
                .iter()
                .any(|n| heading_matches(&doc.headings[h].text, n));
            if l.ordered && steps {
                return None;
            }
            Some(
                l.items
                    .iter()
                    .filter(|item| item.text.split_whitespace().nth(1).is_some())
                    .map(move |item| UseCaseItem {
                        item,
                        heading: h,
                        numbered: l.ordered,
                    }),
            )
        })
        .flatten()
        .collect();
    found.sort_by_key(|u| u.numbered);
    found
}

/// A list item that is a use case, with the use-case heading it sits under.
#[derive(Debug, Clone, Copy)]
pub struct UseCaseItem<'d> {
    pub item: &'d crate::markdown::ListItem,
    pub heading: usize,
    /// Whether it is an item of a numbered list.
    pub numbered: bool,
}

/// The headings that open a use-case section (they match one of `headings`), outside developer
/// sections, in document order.
pub fn use_case_sections<'a>(
    doc: &'a Document,
    headings: &'a [String],
) -> impl Iterator<Item = usize> + 'a {
    (0..doc.headings.len()).filter(move |&i| use_case_heading(doc, Some(i), headings) == Some(i))
}

/// The nearest heading at or above `heading` that matches one of `headings`, when no heading
/// on the way up is a developer's.
fn use_case_heading(doc: &Document, heading: Option<usize>, headings: &[String]) -> Option<usize> {
    if doc.heading_path(heading).any(|h| for_developers(&h.text)) {
        return None;
    }
    std::iter::successors(heading, |&i| doc.headings[i].parent).find(|&i| {
        headings
            .iter()
            .any(|n| heading_matches(&doc.headings[i].text, n))
    })
}

/// Use cases written without a list, under a use-case heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseCaseProse {
    /// Two or more sub-headings with something under each (bigbluebutton's `## Usage`:
    /// "Create a BigBlueButton meeting in any channel", "Directly meeting with any user", …).
    SubHeadings {
        heading: usize,
        /// The sub-headings, by index.
        first: usize,
        count: usize,
    },
    /// A paragraph of prose that describes using the plugin (a single-purpose plugin's
    /// `## Usage`: "Use the command `/gif …` to search for a GIF …").
    Paragraph { heading: usize, paragraph: usize },
}

/// Words a paragraph needs to describe a use rather than label one.
const PROSE_WORDS: usize = 8;

/// Use cases described by sub-headings or prose under a heading that matches one of
/// `headings`, outside developer sections.
pub fn use_case_prose(doc: &Document, headings: &[String]) -> Option<UseCaseProse> {
    let sections: Vec<usize> = use_case_sections(doc, headings).collect();
    let has_content = |i: usize| {
        doc.paragraphs.iter().any(|p| p.heading == Some(i))
            || doc.lists.iter().any(|l| l.heading == Some(i))
            || doc.images.iter().any(|m| m.heading == Some(i))
    };
    let below = |i: usize, h: usize| {
        std::iter::successors(doc.headings[i].parent, |&j| doc.headings[j].parent).any(|j| j == h)
    };
    for &h in &sections {
        let subs: Vec<usize> = (h + 1..doc.headings.len())
            .take_while(|&i| below(i, h))
            .filter(|&i| doc.headings[i].parent == Some(h) && has_content(i))
            .filter(|&i| !for_developers(&doc.headings[i].text))
            .collect();
        if subs.len() >= 2 {
            return Some(UseCaseProse::SubHeadings {
                heading: h,
                first: subs[0],
                count: subs.len(),
            });
        }
    }
    for &h in &sections {
        // Paragraphs of list items and block quotes are steps and notes, not a description.
        let found = doc.paragraphs.iter().position(|p| {
            !p.nested
                && p.heading.is_some_and(|i| i == h || below(i, h))
                && !doc.heading_path(p.heading).any(|x| for_developers(&x.text))
                && p.text_outside_links.split_whitespace().count() >= PROSE_WORDS
        });
        if let Some(paragraph) = found {
            return Some(UseCaseProse::Paragraph {
                heading: h,
                paragraph,
            });
        }
    }
    None
}

/// The sections a plugin's README is expected to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Installation,
    Configuration,
    Usage,
}

impl SectionKind {
    pub const ALL: [SectionKind; 3] = [
        SectionKind::Installation,
        SectionKind::Configuration,
        SectionKind::Usage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Installation => "installation",
            SectionKind::Configuration => "configuration",
            SectionKind::Usage => "usage",
        }
    }

    /// Whether a heading names a section of this kind. One heading may name two
    /// ("Installation and configuration").
    pub fn matches(self, heading: &str) -> bool {
        let norm = normalise(heading);
        let words: Vec<&str> = norm.split(' ').collect();
        let has = |w: &str| words.contains(&w);
        let prefixed = |p: &str| words.iter().any(|w| w.starts_with(p));
        match self {
            SectionKind::Installation => prefixed("install"),
            SectionKind::Configuration => {
                prefixed("configur") || has("setup") || has("settings") || norm.contains("set up")
            }
            SectionKind::Usage => {
                has("usage")
                    || has("use")
                    || has("using")
                    || norm.starts_with("commands")
                    || norm.contains("slash commands")
                    || has("features")
                    || has("examples")
                    || norm.contains("use cases")
            }
        }
    }
}

/// Whether a heading is about developing the plugin rather than using it ("Development",
/// "Getting started locally", "Building", "Contributing"): its installation steps are a
/// developer's, not an administrator's.
pub fn for_developers(heading: &str) -> bool {
    normalise(heading).split(' ').any(|w| {
        ["develop", "contribut", "build", "local", "hacking"]
            .iter()
            .any(|p| w.starts_with(p))
    })
}

/// The first heading of each kind of section, by index, outside developer sections.
pub fn sections(doc: &Document) -> Vec<(SectionKind, Option<usize>)> {
    let for_users = |i: usize| !doc.heading_path(Some(i)).any(|h| for_developers(&h.text));
    SectionKind::ALL
        .iter()
        .map(|&k| {
            let found =
                (0..doc.headings.len()).find(|&i| for_users(i) && k.matches(&doc.headings[i].text));
            (k, found)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse;

    fn summary(text: &str) -> Option<String> {
        let doc = parse(text);
        pick_summary(&doc, None)
            .paragraph
            .map(|i| doc.paragraphs[i].text.clone())
    }

    #[test]
    fn skips_badges_notices_and_maintainers() {
        let text = "# Disclaimer\n\n**This repository is community supported and not maintained by Mattermost.**\n\n# Autolink Plugin\n\n[![Build](https://img.shields.io/x.svg)](https://ci)\n[![Cov](https://codecov.io/y.svg)](https://cov)\n\n**Maintainer:** [@levb](https://github.com/levb)\n**Co-Maintainer:** [@iomodo](https://github.com/iomodo)\n\nThis plugin creates regular expression patterns.\n";
        assert_eq!(
            summary(text).as_deref(),
            Some("This plugin creates regular expression patterns.")
        );
    }

    #[test]
    fn a_tagline_before_a_paragraph_is_skipped_but_alone_it_is_the_summary() {
        let chess = "# chess\nChess plugin for Mattermost\n\n![s](https://x/s.png)\n\nThis plugin allows users to play chess.\n\n#### Installation\n";
        assert_eq!(
            summary(chess).as_deref(),
            Some("This plugin allows users to play chess.")
        );
        let remind = "# Remind\n\n_**A bot that schedules reminders**_\n\n### Installation\n\nDownload it.\n";
        assert_eq!(
            summary(remind).as_deref(),
            Some("A bot that schedules reminders")
        );
    }

    #[test]
    fn notice_sections_and_overview_sections() {
        let bbb = "# Note\nWe have updated the plugin.\n\n# BigBlueButton Plugin\nBigBlueButton is a web conferencing system.\n\n## Installation\n";
        assert_eq!(
            summary(bbb).as_deref(),
            Some("BigBlueButton is a web conferencing system.")
        );
        let azure = "# Azure\n\n## Table of Contents\n- [License](#license)\n\n## License\n\nSee the [LICENSE](./LICENSE) file.\n\n## Overview\n\nThis plugin integrates Azure DevOps.\n";
        assert_eq!(
            summary(azure).as_deref(),
            Some("This plugin integrates Azure DevOps.")
        );
        assert_eq!(summary("# T\n\n## Install\n\nRun it.\n"), None);
    }

    #[test]
    fn a_pointer_names_the_heading() {
        let doc = parse("# T\n\nFirst.\n\n## What it does\n\n![x](a.png)\n\nIt does this.\n");
        let pick = pick_summary(&doc, Some("what it does"));
        assert_eq!(pick.pointer_found, Some(true));
        assert_eq!(
            doc.paragraphs[pick.paragraph.unwrap()].text,
            "It does this."
        );
        let pick = pick_summary(&doc, Some("Nowhere"));
        assert_eq!(pick.pointer_found, Some(false));
        assert!(pick.paragraph.is_none());
    }

    #[test]
    fn use_cases_are_bullets_under_matching_headings() {
        let doc = parse("# T\n\n## Features\n\n- one thing\n- two things\n  - nested thing\n- <https://x.example>\n\n### More\n\n- three things\n\n## Install\n\n- a step\n\n## Usage\n\n1. ordered step\n\n## Examples\n\n1. numbered example\n");
        let names: Vec<String> = USE_CASE_HEADINGS.iter().map(|s| s.to_string()).collect();
        let items: Vec<&str> = use_cases(&doc, &names)
            .iter()
            .map(|u| u.item.text.as_str())
            .collect();
        assert_eq!(
            items,
            ["one thing", "two things", "three things", "numbered example"],
            "bullets first, then numbered items; nested items, bare links, numbered steps under Usage and other sections' lists are not use cases"
        );
        let dev = parse("# T\n\n## Development\n\n### Examples\n\n- build the bundle\n");
        assert!(
            use_cases(&dev, &names).is_empty(),
            "a developer section's examples are not the plugin's use cases"
        );
    }

    #[test]
    fn use_cases_as_sub_headings_or_prose() {
        let names: Vec<String> = USE_CASE_HEADINGS.iter().map(|s| s.to_string()).collect();
        let subs = parse("# T\n\n## Usage\n\n#### Create a meeting\n\nYou can create one.\n\n#### Search recordings\n\n![](r.png)\n\n#### Empty\n\n## License\n\nMIT licence text of this plugin goes here in full.\n");
        assert_eq!(
            use_case_prose(&subs, &names),
            Some(UseCaseProse::SubHeadings {
                heading: 1,
                first: 2,
                count: 2
            }),
            "two sub-headings with content; the empty one does not count"
        );
        let prose = parse("# T\n\n## Usage\n\n### Plugin v2\n\nUse the command `/gif cats` to search for a GIF and post it.\n");
        assert_eq!(
            use_case_prose(&prose, &names),
            Some(UseCaseProse::Paragraph {
                heading: 1,
                paragraph: 0
            })
        );
        let label = parse("# T\n\n## Usage\n\nSee [the docs](https://x.example).\n");
        assert_eq!(
            use_case_prose(&label, &names),
            None,
            "a short line is no description"
        );
        let dev = parse("# T\n\n## Development\n\n### Usage\n\nRun make deploy to build the plugin and upload it to your server.\n");
        assert_eq!(
            use_case_prose(&dev, &names),
            None,
            "a developer's usage is not the plugin's"
        );
    }

    #[test]
    fn section_kinds() {
        assert!(SectionKind::Installation.matches("Installation and Setup"));
        assert!(SectionKind::Configuration.matches("Installation and Setup"));
        assert!(SectionKind::Configuration.matches("Configuring the plugin"));
        assert!(SectionKind::Usage.matches("How to use"));
        assert!(!SectionKind::Usage.matches("How to Release"));
        assert!(!SectionKind::Installation.matches("Development"));
        assert!(!SectionKind::Usage.matches("Mattermost GIF commands plugin"));
        let doc =
            parse("# J\n## Getting started locally\n### 2. Build and install\n## Installation\n");
        let found = sections(&doc);
        assert_eq!(found[0], (SectionKind::Installation, Some(3)));
    }
}
