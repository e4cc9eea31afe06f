//! Markdown structure with byte spans: headings, paragraphs, lists, images and links, read with
//! a CommonMark parser (pulldown-cmark, GitHub extensions on) so that what counts as a heading or
//! a list is what GitHub renders. Images written as HTML `<img>` tags are found too: READMEs use
//! them for screenshots.

use crate::source::Span;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Document {
    pub headings: Vec<Heading>,
    pub paragraphs: Vec<Paragraph>,
    pub lists: Vec<List>,
    pub images: Vec<Image>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    pub text: String,
    pub span: Span,
    /// The enclosing heading (the nearest one before with a lower level), by index.
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Paragraph {
    /// Plain text, image descriptions left out, line breaks as spaces.
    pub text: String,
    /// The part of `text` that is not inside a link.
    pub text_outside_links: String,
    pub span: Span,
    /// The heading it sits under, by index.
    pub heading: Option<usize>,
    /// Number of images in it.
    pub images: usize,
    /// Whether it sits in a list item, a block quote, a table cell or a footnote.
    pub nested: bool,
    /// Whether it spans more than one source line.
    pub multiline: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct List {
    pub ordered: bool,
    pub items: Vec<ListItem>,
    pub span: Span,
    /// The heading it sits under, by index.
    pub heading: Option<usize>,
    /// 0 for a list at the top level, 1 inside another list's item, and so on.
    pub depth: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ListItem {
    /// Plain text of the item, without its nested lists.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub span: Span,
    pub heading: Option<usize>,
    /// Whether it was written as an HTML `<img>` tag.
    pub html: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Link {
    pub target: String,
    /// The link's text, plain (images inside it left out).
    pub text: String,
    pub span: Span,
    pub heading: Option<usize>,
}

impl Document {
    /// The headings enclosing `heading`, innermost first, starting with itself.
    pub fn heading_path(&self, heading: Option<usize>) -> impl Iterator<Item = &Heading> + '_ {
        std::iter::successors(heading.and_then(|i| self.headings.get(i)), |h| {
            h.parent.and_then(|p| self.headings.get(p))
        })
    }
}

struct OpenList {
    list: List,
    item_text: Option<(String, usize)>,
}

struct OpenParagraph {
    text: String,
    outside_links: String,
    start: usize,
    end: usize,
    images: usize,
}

/// Parses Markdown text. Never fails: any text is some Markdown.
pub fn parse(text: &str) -> Document {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_GFM);
    let mut doc = Document::default();
    let mut current_heading: Option<usize> = None;
    let mut heading_text: Option<(String, u8, usize)> = None;
    let mut paragraph: Option<OpenParagraph> = None;
    let mut lists: Vec<OpenList> = Vec::new();
    // Block quotes, table cells and footnote definitions open: paragraphs there are not prose
    // of the document's own flow.
    let mut nesting = 0usize;
    let mut link_depth = 0usize;
    let mut image: Option<(String, String, usize)> = None;
    let mut open_link: Option<usize> = None;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading_text = Some((String::new(), heading_level(level), range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((t, level, start)) = heading_text.take() {
                    let parent =
                        std::iter::successors(current_heading, |&i| doc.headings[i].parent)
                            .find(|&i| doc.headings[i].level < level);
                    doc.headings.push(Heading {
                        level,
                        text: collapse(&t),
                        span: trimmed_span(text, start, range.end),
                        parent,
                    });
                    current_heading = Some(doc.headings.len() - 1);
                }
            }
            Event::Start(Tag::Paragraph) => {
                paragraph = Some(OpenParagraph {
                    text: String::new(),
                    outside_links: String::new(),
                    start: range.start,
                    end: range.end,
                    images: 0,
                });
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = paragraph.take() {
                    let span = trimmed_span(text, p.start, p.end.max(range.end));
                    let body = &text[span.offset..span.end()];
                    doc.paragraphs.push(Paragraph {
                        text: collapse(&p.text),
                        text_outside_links: collapse(&p.outside_links),
                        span,
                        heading: current_heading,
                        images: p.images,
                        nested: nesting > 0 || !lists.is_empty(),
                        multiline: body.trim_end().contains('\n'),
                    });
                }
            }
            Event::Start(Tag::List(first)) => {
                // Text gathered so far belongs to the enclosing item, not the nested list.
                lists.push(OpenList {
                    list: List {
                        ordered: first.is_some(),
                        items: Vec::new(),
                        span: Span::new(range.start, range.end - range.start),
                        heading: current_heading,
                        depth: lists.len(),
                    },
                    item_text: None,
                });
            }
            Event::End(TagEnd::List(_)) => {
                if let Some(open) = lists.pop() {
                    let mut list = open.list;
                    list.span = trimmed_span(text, list.span.offset, range.end);
                    doc.lists.push(list);
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(open) = lists.last_mut() {
                    open.item_text = Some((String::new(), range.start));
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some(open) = lists.last_mut() {
                    if let Some((t, start)) = open.item_text.take() {
                        open.list.items.push(ListItem {
                            text: collapse(&t),
                            span: trimmed_span(text, start, range.end),
                        });
                    }
                }
            }
            Event::Start(Tag::BlockQuote(_))
            | Event::Start(Tag::TableCell)
            | Event::Start(Tag::FootnoteDefinition(_)) => nesting += 1,
            Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::TableCell)
            | Event::End(TagEnd::FootnoteDefinition) => nesting = nesting.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_depth += 1;
                open_link = Some(doc.links.len());
                doc.links.push(Link {
                    target: dest_url.to_string(),
                    text: String::new(),
                    span: Span::new(range.start, range.end - range.start),
                    heading: current_heading,
                });
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                if let Some(l) = open_link.take().and_then(|i| doc.links.get_mut(i)) {
                    l.text = collapse(&l.text);
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.to_string(), String::new(), range.start));
                if let Some(p) = paragraph.as_mut() {
                    p.images += 1;
                }
                doc.images.push(Image {
                    src: String::new(),
                    alt: String::new(),
                    span: Span::new(range.start, range.end - range.start),
                    heading: current_heading,
                    html: false,
                });
            }
            Event::End(TagEnd::Image) => {
                if let (Some((src, alt, _)), Some(last)) = (image.take(), doc.images.last_mut()) {
                    last.src = src;
                    last.alt = collapse(&alt);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                if let Some((_, alt, _)) = image.as_mut() {
                    alt.push_str(&t);
                    continue;
                }
                if let Some(l) = open_link.and_then(|i| doc.links.get_mut(i)) {
                    l.text.push_str(&t);
                }
                push_text(
                    &t,
                    link_depth > 0,
                    &mut heading_text,
                    &mut paragraph,
                    &mut lists,
                );
            }
            Event::SoftBreak | Event::HardBreak if image.is_none() => {
                if let Some(l) = open_link.and_then(|i| doc.links.get_mut(i)) {
                    l.text.push(' ');
                }
                push_text(
                    " ",
                    link_depth > 0,
                    &mut heading_text,
                    &mut paragraph,
                    &mut lists,
                );
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let source = text.get(range.clone()).unwrap_or("");
                for (src, alt, start, len) in html_images(&html) {
                    if let Some(p) = paragraph.as_mut() {
                        p.images += 1;
                    }
                    // The event's text may have lost indentation: find the tag in the source.
                    let offset = source
                        .find(&html[start..start + len])
                        .map_or(range.start, |i| range.start + i);
                    doc.images.push(Image {
                        src,
                        alt,
                        span: Span::new(offset, len),
                        heading: current_heading,
                        html: true,
                    });
                }
            }
            _ => {}
        }
        if let Some(p) = paragraph.as_mut() {
            p.end = p.end.max(range.end);
        }
    }
    doc.images.sort_by_key(|i| i.span.offset);
    doc.lists.sort_by_key(|l| l.span.offset);
    doc
}

fn push_text(
    t: &str,
    in_link: bool,
    heading: &mut Option<(String, u8, usize)>,
    paragraph: &mut Option<OpenParagraph>,
    lists: &mut [OpenList],
) {
    if let Some((h, _, _)) = heading.as_mut() {
        h.push_str(t);
    }
    if let Some(p) = paragraph.as_mut() {
        p.text.push_str(t);
        if !in_link {
            p.outside_links.push_str(t);
        }
    }
    if let Some((item, _)) = lists.last_mut().and_then(|l| l.item_text.as_mut()) {
        item.push_str(t);
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Whitespace runs as single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The span from `start` to `end` without trailing whitespace.
fn trimmed_span(text: &str, start: usize, end: usize) -> Span {
    let end = end.min(text.len());
    let start = start.min(end);
    let len = text[start..end].trim_end().len();
    Span::new(start, len)
}

/// `<img …>` tags in a piece of HTML: source, alt text, offset and length in `html`.
pub fn html_images(html: &str) -> Vec<(String, String, usize, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<img") {
        let start = from + i;
        let after = lower[start + 4..].chars().next();
        if !matches!(after, Some(c) if c.is_whitespace() || c == '/' || c == '>') {
            from = start + 4;
            continue;
        }
        let end = lower[start..]
            .find('>')
            .map_or(html.len(), |e| start + e + 1);
        let tag = &html[start..end];
        let src = attribute(tag, "src");
        let alt = attribute(tag, "alt").unwrap_or_default();
        if let Some(src) = src {
            out.push((src, alt, start, end - start));
        }
        from = end;
    }
    out
}

/// The value of an attribute in one HTML tag, quoted or not.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && bytes[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value = tag[value_start..].trim_start();
        let quote = value.chars().next()?;
        return Some(if quote == '"' || quote == '\'' {
            value[1..].split(quote).next().unwrap_or("").to_string()
        } else {
            value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string()
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, span: Span) -> &str {
        &text[span.offset..span.end()]
    }

    #[test]
    fn headings_paragraphs_lists_with_spans() {
        let text = "# Title\n\n[![b](https://img.shields.io/x.svg)](https://ci)\n\nDoes things.\nWell.\n\n## Features\n\n- one *thing*\n- two\n  - nested\n\n1. step\n";
        let doc = parse(text);
        assert_eq!(doc.headings.len(), 2);
        assert_eq!(doc.headings[1].text, "Features");
        assert_eq!(doc.headings[1].parent, Some(0));
        assert_eq!(at(text, doc.headings[1].span), "## Features");
        assert_eq!(doc.paragraphs.len(), 2);
        assert_eq!(doc.paragraphs[0].text, "");
        assert_eq!(doc.paragraphs[0].images, 1);
        assert_eq!(doc.paragraphs[1].text, "Does things. Well.");
        assert!(doc.paragraphs[1].multiline);
        assert_eq!(at(text, doc.paragraphs[1].span), "Does things.\nWell.");
        assert_eq!(doc.lists.len(), 3);
        let top = &doc.lists[0];
        assert!(!top.ordered);
        assert_eq!(top.depth, 0);
        assert_eq!(top.heading, Some(1));
        assert_eq!(top.items[0].text, "one thing");
        assert_eq!(top.items[1].text, "two");
        assert_eq!(at(text, top.items[0].span), "- one *thing*");
        assert_eq!(doc.lists[1].depth, 1);
        assert!(doc.lists[2].ordered);
        assert_eq!(doc.images[0].src, "https://img.shields.io/x.svg");
        assert_eq!(doc.links[0].target, "https://ci");
    }

    #[test]
    fn html_images_are_found_with_their_spans() {
        let text = "# T\n\n<p align=\"center\">\n  <img src=\"shot.png\" alt='A shot' width=500>\n</p>\n\nText <img src=icon.svg/> here.\n";
        let doc = parse(text);
        assert_eq!(doc.images.len(), 2, "{:?}", doc.images);
        assert_eq!(doc.images[0].src, "shot.png");
        assert_eq!(doc.images[0].alt, "A shot");
        assert!(at(text, doc.images[0].span).starts_with("<img src=\"shot.png\""));
        assert_eq!(doc.images[1].src, "icon.svg");
        assert_eq!(at(text, doc.images[1].span), "<img src=icon.svg/>");
    }

    #[test]
    fn text_outside_links_leaves_link_text_out() {
        let doc = parse("**Maintainer:** [@someone](https://github.com/someone)\n");
        assert_eq!(doc.paragraphs[0].text, "Maintainer: @someone");
        assert_eq!(doc.paragraphs[0].text_outside_links, "Maintainer:");
    }

    #[test]
    fn heading_path_walks_up() {
        let doc = parse("# A\n## B\n### C\n## D\n");
        let path: Vec<&str> = doc.heading_path(Some(2)).map(|h| h.text.as_str()).collect();
        assert_eq!(path, ["C", "B", "A"]);
        assert_eq!(doc.headings[3].parent, Some(0));
    }
}
