//! Reading a tag name as a plugin version, the way the starter template's build does, and
//! noting where a name departs from what that build expects.
//!
//! The template (`build/setup.mk`, `build/manifest/main.go`, `Makefile`) works like this:
//! - with no `version` in the manifest, the version is the first tag at `HEAD` that starts with
//!   a lowercase `v`, without the `v`; else the nearest `v*` tag (`git describe --tags --match
//!   'v*'`) with `+<short sha>` appended; else `v0.0.0+<short sha>`;
//! - the manifest check then parses that version as strict semantic versioning, so `v1.2` or
//!   `v1.2.3+alpha.1` (which becomes `1.2.3+alpha.1+abc1234` on the commits after it) fail;
//! - `make patch|minor|major` take the highest `v*` tag that does not contain `-rc` as the last
//!   release, so a pre-release named otherwise (`-beta1`, `-RC1`) counts as a release there.

use serde::Serialize;

/// What a tag name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagName {
    /// A plugin version, with what its name departs from.
    Version {
        version: semver::Version,
        notes: Vec<Note>,
    },
    /// A version tag of a Go sub-module (`client/v1.2.3`, `server/public/v0.1.0`).
    Submodule { path: String },
    /// Starts like a version (`v1…`, `1.…`) but is none (`v1.2.3.4`, `v1.02.3`).
    Malformed,
    /// Not a version at all (`latest-master`, `cloud-2024-01-02-1`).
    NotAVersion,
}

/// Where a version tag's name departs from what the template's build expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    /// `1.2.3`: the build takes only tags starting with `v`.
    Unprefixed,
    /// `V1.2.3`: the build's `v` is lowercase.
    UppercasePrefix,
    /// `v1.2`: read as 1.2.0 here; the build's manifest check rejects it.
    TwoPart,
    /// `v1.2.3+alpha.1`: the build appends `+<sha>` on later commits, which no longer parses.
    BuildMetadata,
    /// `v1.2.3-RC1`, `v1.2.3-beta1`: the template's `make patch|minor|major` treat any `v*` tag
    /// without a lowercase `-rc` as a release.
    PrereleaseNotRc,
}

impl Note {
    pub const ALL: &'static [Note] = &[
        Note::Unprefixed,
        Note::UppercasePrefix,
        Note::TwoPart,
        Note::BuildMetadata,
        Note::PrereleaseNotRc,
    ];

    /// [`explain`](Self::explain) for several tags: "have no `v` prefix: …".
    pub fn explain_plural(self) -> String {
        let one = self.explain();
        for (singular, plural) in [
            ("has ", "have "),
            ("starts ", "start "),
            ("carries ", "carry "),
            ("is a pre-release", "are pre-releases"),
        ] {
            if let Some(rest) = one.strip_prefix(singular) {
                return format!("{plural}{rest}");
            }
        }
        one.to_string()
    }

    pub fn explain(self) -> &'static str {
        match self {
            Note::Unprefixed => {
                "has no `v` prefix: the template's build only reads tags starting with `v`, so \
                 a build of it gets the version of an older `v*` tag"
            }
            Note::UppercasePrefix => {
                "starts with an uppercase `V`: the template's build only reads tags starting \
                 with a lowercase `v`"
            }
            Note::TwoPart => {
                "has two parts: the template's build passes it to the manifest, whose version \
                 must have three (MAJOR.MINOR.PATCH)"
            }
            Note::BuildMetadata => {
                "carries build metadata (`+…`): the template's build appends `+<commit>` \
                 for every later commit, and a version with two `+` parts does not parse"
            }
            Note::PrereleaseNotRc => {
                "is a pre-release not named `-rcN`: the template's `make patch|minor|major` \
                 take such a tag for the latest release"
            }
        }
    }

    /// The name to use instead, for help texts.
    pub fn suggest(self, name: &str, version: &semver::Version) -> String {
        let core = format!("v{}.{}.{}", version.major, version.minor, version.patch);
        match self {
            Note::Unprefixed | Note::UppercasePrefix | Note::TwoPart | Note::BuildMetadata => {
                if version.pre.is_empty() {
                    core
                } else {
                    format!("{core}-{}", version.pre)
                }
            }
            Note::PrereleaseNotRc => {
                let digits: String = name
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_digit)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let n = if digits.is_empty() {
                    "1".into()
                } else {
                    digits
                };
                format!("{core}-rc{n}")
            }
        }
    }
}

/// Reads a tag name.
pub fn parse(name: &str) -> TagName {
    if let Some((path, last)) = name.rsplit_once('/') {
        return match parse(last) {
            TagName::Version { .. } if !path.is_empty() => TagName::Submodule {
                path: path.to_string(),
            },
            _ => TagName::NotAVersion,
        };
    }
    let (rest, mut notes) = match name.as_bytes().first() {
        Some(b'v') => (&name[1..], Vec::new()),
        Some(b'V') => (&name[1..], vec![Note::UppercasePrefix]),
        _ => (name, vec![Note::Unprefixed]),
    };
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return TagName::NotAVersion;
    }
    let version = match semver::Version::parse(rest) {
        Ok(v) => v,
        Err(_) => match two_part(rest) {
            Some(v) => {
                notes.push(Note::TwoPart);
                v
            }
            None => {
                // `1-2-3`-like names and dates are not versions; `1.x…` that fails is malformed.
                let numeric_dot = rest
                    .split_once('.')
                    .is_some_and(|(a, _)| a.bytes().all(|b| b.is_ascii_digit()));
                return if numeric_dot {
                    TagName::Malformed
                } else {
                    TagName::NotAVersion
                };
            }
        },
    };
    if !version.build.is_empty() {
        notes.push(Note::BuildMetadata);
    }
    if !version.pre.is_empty() && !is_rc(version.pre.as_str()) {
        notes.push(Note::PrereleaseNotRc);
    }
    TagName::Version { version, notes }
}

/// `rcN` (what the template's Makefile knows as a release candidate).
fn is_rc(pre: &str) -> bool {
    pre.strip_prefix("rc")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// `N.N` with an optional pre-release or build suffix, read as `N.N.0…`.
fn two_part(rest: &str) -> Option<semver::Version> {
    let end = rest.find(['-', '+']).unwrap_or(rest.len());
    let (core, suffix) = rest.split_at(end);
    let (major, minor) = core.split_once('.')?;
    let numeric = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    if !numeric(major) || !numeric(minor) {
        return None;
    }
    semver::Version::parse(&format!("{major}.{minor}.0{suffix}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(name: &str) -> (String, Vec<Note>) {
        match parse(name) {
            TagName::Version { version, notes } => (version.to_string(), notes),
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn versions_as_real_plugins_tag_them() {
        assert_eq!(version("v1.2.3"), ("1.2.3".into(), vec![]));
        assert_eq!(version("v2.7.1-rc2"), ("2.7.1-rc2".into(), vec![]));
        assert_eq!(
            version("v1.0.0-RC1"),
            ("1.0.0-RC1".into(), vec![Note::PrereleaseNotRc])
        );
        assert_eq!(
            version("v0.3.0-beta1"),
            ("0.3.0-beta1".into(), vec![Note::PrereleaseNotRc])
        );
        assert_eq!(
            version("v2.0.1-dev"),
            ("2.0.1-dev".into(), vec![Note::PrereleaseNotRc])
        );
        assert_eq!(
            version("v1.2.0+alpha.3"),
            ("1.2.0+alpha.3".into(), vec![Note::BuildMetadata])
        );
        assert_eq!(version("1.4.0"), ("1.4.0".into(), vec![Note::Unprefixed]));
        assert_eq!(version("v0.5"), ("0.5.0".into(), vec![Note::TwoPart]));
        assert_eq!(
            version("V1.0.0"),
            ("1.0.0".into(), vec![Note::UppercasePrefix])
        );
        assert_eq!(version("v1.1.0-rc.1"), ("1.1.0-rc.1".into(), vec![]));
    }

    #[test]
    fn set_aside() {
        assert_eq!(
            parse("client/v1.2.3"),
            TagName::Submodule {
                path: "client".into()
            }
        );
        assert_eq!(
            parse("server/public/v0.1.0"),
            TagName::Submodule {
                path: "server/public".into()
            }
        );
        assert_eq!(parse("latest-master"), TagName::NotAVersion);
        assert_eq!(parse("cloud-2021-04-12-1"), TagName::NotAVersion);
        assert_eq!(parse("release/notes"), TagName::NotAVersion);
        assert_eq!(parse("v"), TagName::NotAVersion);
        assert_eq!(parse("very-old"), TagName::NotAVersion);
        assert_eq!(parse("v1.2.3.4"), TagName::Malformed);
        assert_eq!(parse("v1.02.3"), TagName::Malformed);
        assert_eq!(parse("2021-04-12"), TagName::NotAVersion);
    }

    #[test]
    fn precedence_is_semver_not_lexical() {
        let mut names = ["v2.7.1", "v2.7.1-rc2", "v2.10.0", "v2.9.0", "v2.7.1-rc10"];
        names.sort_by(|a, b| match (parse(a), parse(b)) {
            (TagName::Version { version: x, .. }, TagName::Version { version: y, .. }) => {
                x.cmp_precedence(&y)
            }
            _ => unreachable!(),
        });
        assert_eq!(
            names,
            ["v2.7.1-rc10", "v2.7.1-rc2", "v2.7.1", "v2.9.0", "v2.10.0"],
            "alphanumeric pre-release identifiers compare as text (rc10 < rc2), as semver says"
        );
    }

    #[test]
    fn suggestions() {
        let v = semver::Version::parse("1.0.0-RC1").unwrap();
        assert_eq!(
            Note::PrereleaseNotRc.suggest("v1.0.0-RC1", &v),
            "v1.0.0-rc1"
        );
        let v = semver::Version::parse("0.5.0").unwrap();
        assert_eq!(Note::TwoPart.suggest("v0.5", &v), "v0.5.0");
    }
}
