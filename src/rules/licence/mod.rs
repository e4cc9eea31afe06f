//! Rules on the `licence` checklist item: what the licence files hold, what is declared, and
//! whether the two agree with each other and with the policy.

/// The parameters paragraph every dependency rule's docs share.
macro_rules! dependency_params_doc {
    () => {
        "`include_dev` (default false): judge dev-only dependencies too. `waive`: a list of\n`{ package: GLOB, reason: TEXT }` for packages this rule leaves alone."
    };
}

pub mod broken_licence_link;
pub mod dependencies;
pub mod forbidden_dependency_licence;
pub mod incompatible_licence;
pub mod invalid_licence_expression;
pub mod licence_carve_out;
pub mod licence_mismatch;
pub mod non_spdx_dependency_licence;
pub mod restricted_dependency_licence;
pub mod undocumented_carve_out;
pub mod unknown_dependency_licence;
pub mod unknown_licence;

use crate::facts::licence::{Declared, LicenceFile};
use crate::finding::Finding;
use crate::source::{SourceFile, Span};

/// The span of a licence file's first non-blank line, or of a part's first line.
fn line_span(file: &SourceFile, line: usize) -> Span {
    let mut offset = 0;
    for (i, l) in file.text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let trimmed = l.trim_end_matches(['\n', '\r']);
            let lead = trimmed.len() - trimmed.trim_start().len();
            return Span::new(offset + lead, trimmed.trim().len());
        }
        offset += l.len();
    }
    Span::new(0, 0)
}

/// The first line of a file that holds text (licence files often start with a blank line).
fn first_text_line(file: &SourceFile) -> usize {
    file.text
        .lines()
        .position(|l| !l.trim().is_empty())
        .map_or(1, |i| i + 1)
}

/// Points a finding at a licence file: its first line of text, or a part's first line.
pub fn at_licence_file(finding: &mut Finding, f: &LicenceFile, line: Option<usize>) {
    if let Some(src) = &f.source {
        let line = line.unwrap_or_else(|| first_text_line(src));
        finding.at(src, line_span(src, line));
    }
}

/// Labels a licence file's first line of text, in a finding that points elsewhere.
pub fn label_licence_file(finding: &mut Finding, f: &LicenceFile, message: String) {
    if let Some(src) = &f.source {
        finding.label(src, line_span(src, first_text_line(src)), message);
    }
}

/// Adds a label on a declared value, in whichever file declares it.
pub fn label_declared(finding: &mut Finding, d: &Declared, message: String) {
    if let Some(file) = &d.file {
        finding.label(file, d.span, message);
    }
}

/// The allow-list entries of the licence rules: SPDX ids, or `category-a` / `category-b` to
/// admit a whole Apache category.
pub fn allowed(list: &[String], id: &str) -> bool {
    use crate::licence::categories::{Categories, Category};
    let category = Categories::shipped().of(id);
    list.iter()
        .any(|entry| match entry.to_ascii_lowercase().as_str() {
            "category-a" => category == Some(Category::A),
            "category-b" => matches!(category, Some(Category::A | Category::B)),
            _ => entry == id,
        })
}

pub fn default_allow() -> Vec<String> {
    ["Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause"]
        .map(String::from)
        .to_vec()
}
