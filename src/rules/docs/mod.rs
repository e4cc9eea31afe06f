//! Rules on documentation: the README's summary, use cases and sections, setup docs, help text
//! for every setting, the Marketplace's documentation items, pointers that lead nowhere, a docs
//! branch per release, and docs that follow changed settings.

pub mod broken_readme_link;
pub mod docs_not_updated_for_settings;
pub mod invalid_plugin_icon;
pub mod missing_docs_branch;
pub mod missing_readme_section;
pub mod missing_screenshot;
pub mod missing_security_contact;
pub mod missing_setting_help;
pub mod missing_setup_docs;
pub mod missing_summary;
pub mod missing_use_cases;
pub mod stale_docs_pointer;

use crate::facts::docs::DocsFact;
use crate::source::{SourceFile, Span};

/// Where a finding about the README as a whole points: its first heading (the title), else
/// its first byte.
pub fn readme_anchor(docs: &DocsFact) -> Option<(&SourceFile, Span)> {
    let file = docs.file.as_ref()?;
    let span = docs
        .structure
        .as_ref()
        .and_then(|d| d.headings.first())
        .map_or(Span::new(0, 0), |h| h.span);
    Some((file, span))
}

/// The README's path, for messages.
pub fn readme_name(docs: &DocsFact) -> &str {
    docs.readme.as_deref().unwrap_or("README.md")
}

/// Records how a README section was found as the evidence of a pass: "`README.md` installation:
/// link [Docs](https://…)", at the heading, link or text.
pub fn section_evidence(
    ctx: &mut crate::rules::Ctx<'_>,
    docs: &DocsFact,
    section: &crate::facts::docs::Section,
) {
    let text = format!(
        "`{}` {}: {}",
        readme_name(docs),
        section.kind.as_str(),
        section.describe()
    );
    let note = ctx.evidence(text);
    if let (Some(file), Some(span)) = (&docs.file, section.span) {
        note.at(file, span);
    }
}
