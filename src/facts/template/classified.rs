//! The template fact's per-file results: each file's class, lines and the template version it
//! matched, and the totals per class.

use crate::source::SourceFile;
use crate::template::Class;
use schemars::JsonSchema;
use serde::Serialize;

/// Files and lines of one class.
#[derive(Debug, Clone, Copy, Default, Serialize, JsonSchema)]
pub struct Totals {
    pub files: u64,
    /// Lines of the files; for `modified`, the lines added relative to the nearest template
    /// version; 0 for `binary`.
    pub lines: u64,
}

/// Totals per class.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Classes {
    pub identical: Totals,
    pub moved: Totals,
    pub modified: Totals,
    pub own: Totals,
    pub lockfile: Totals,
    pub generated: Totals,
    pub vendored: Totals,
    pub fixture: Totals,
    pub i18n: Totals,
    pub binary: Totals,
}

impl Classes {
    pub fn get_mut(&mut self, c: Class) -> &mut Totals {
        match c {
            Class::Identical => &mut self.identical,
            Class::Moved => &mut self.moved,
            Class::Modified => &mut self.modified,
            Class::Own => &mut self.own,
            Class::Lockfile => &mut self.lockfile,
            Class::Generated => &mut self.generated,
            Class::Vendored => &mut self.vendored,
            Class::Fixture => &mut self.fixture,
            Class::I18n => &mut self.i18n,
            Class::Binary => &mut self.binary,
        }
    }
}

/// The template version a file was matched with.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VersionMatch {
    /// The template path (for `moved`, the template's path of that blob).
    pub path: String,
    /// The template blob id of that version.
    pub blob: String,
    /// When the version first appeared in the template (UTC date).
    pub date: String,
    /// Whether the version was ever on the template's default branch.
    pub mainline: bool,
    /// Versions of the path on the template's default branch that appeared after this one.
    pub newer_versions: u32,
    /// The date of the path's version at the template's head, when it has the path.
    pub newest_date: Option<String>,
    #[serde(skip)]
    #[schemars(skip)]
    pub blob_pos: u32,
}

/// One classified file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ClassifiedFile {
    pub path: String,
    pub class: Class,
    /// Lines of the file (0 for binary files).
    pub lines: u64,
    /// Lines a reviewer reads: all of an own file's, the added ones of a modified file.
    pub review_lines: u64,
    pub template: Option<VersionMatch>,
    #[serde(skip)]
    #[schemars(skip)]
    pub blob: Option<git2::Oid>,
    /// The text of identical and moved text files, for findings that point into them.
    #[serde(skip)]
    #[schemars(skip)]
    pub source: Option<SourceFile>,
}
