//! Findings, levels, checklist items and gates: the vocabulary every layer shares.

use crate::source::{SourceFile, Span};
use schemars::JsonSchema;
use serde::Serialize;

/// How much a rule's findings matter. `allow` means the rule does not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub const NAMES: [&'static str; 3] = ["deny", "warn", "allow"];

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// The onboarding gates, each adding to the one before.
    Gate {
        CiExtensions = "ci-extensions",
        CiExtensionsRelease = "ci-extensions-release",
        Community = "community",
        Marketplace = "marketplace",
    }
}

string_enum! {
    /// The checklist item a finding serves.
    Item {
        BasicReview = "basic-review",
        ReviewDiff = "review-diff",
        CiMaster = "ci-master",
        Licence = "licence",
        CompleteReview = "complete-review",
        Qa = "qa",
        PmUx = "pm-ux",
        Release = "release",
        CiRelease = "ci-release",
        QaRelease = "qa-release",
        Marketplace = "marketplace",
        Config = "config",
    }
}

impl Item {
    /// The gate whose checklist holds this item (`config` belongs to every gate).
    pub fn gate(self) -> Gate {
        match self {
            Item::BasicReview
            | Item::ReviewDiff
            | Item::CiMaster
            | Item::Licence
            | Item::Config => Gate::CiExtensions,
            Item::CompleteReview | Item::Qa | Item::PmUx | Item::Release | Item::CiRelease => {
                Gate::CiExtensionsRelease
            }
            Item::QaRelease => Gate::Community,
            Item::Marketplace => Gate::Marketplace,
        }
    }
}

/// A place in a file.
#[derive(Debug, Clone)]
pub struct Location {
    pub file: SourceFile,
    pub span: Span,
}

/// A secondary place a finding points at, possibly in another file.
#[derive(Debug, Clone)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

/// Where a waiver that silenced a finding is written.
#[derive(Debug, Clone)]
pub struct Waived {
    pub reason: String,
    pub location: Location,
}

/// One thing a rule found. Rules fill in what and where; the engine sets the level from the
/// policy and marks waived findings.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: &'static str,
    pub rule: &'static str,
    pub item: Item,
    pub level: Level,
    pub message: String,
    pub help: Option<String>,
    /// `None`: the finding concerns the repository as a whole.
    pub location: Option<Location>,
    pub labels: Vec<Label>,
    pub waived: Option<Waived>,
}

impl Finding {
    pub fn path(&self) -> Option<&str> {
        self.location.as_ref().map(|l| l.file.path.as_str())
    }

    /// Sort key: file, then position; repository-wide findings first.
    pub fn sort_key(&self) -> (Option<&str>, usize, &'static str) {
        (
            self.path(),
            self.location.as_ref().map_or(0, |l| l.span.offset),
            self.code,
        )
    }
}
