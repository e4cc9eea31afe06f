//! Licence statements in prose: "This plugin is released under the MIT License" in a README.
//!
//! A statement is not a licence text. It says which licence the authors meant, with a
//! confidence that depends on how it is said: a licensing phrase about the project under a
//! "License" heading, naming a licence with its version, is `high`; a licensing phrase or a
//! licence heading alone is `medium`; a licence named without its version (`the Apache
//! License`) is `low`. Sentences that deny a licence ("not licensed", "all rights reserved")
//! state nothing.

use regex::{Regex, RegexBuilder};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// How sure a reading of a statement is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// A licence named without its version, or a name alone.
    Low,
    /// A licensing phrase, or a name under a licence heading.
    Medium,
    /// A licensing phrase about the project under a licence heading (or about "this project"
    /// anywhere), naming the licence with its version.
    High,
}

/// One statement found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// 1-based line of the licence's name.
    pub line: usize,
    /// Byte range of the sentence in the text.
    pub start: usize,
    pub end: usize,
    /// The sentence, without Markdown markup.
    pub quote: String,
    /// The SPDX expression it names.
    pub expression: String,
    pub confidence: Confidence,
}

struct Name {
    pattern: Lazy,
    /// The id for the match (the version captured, when the pattern has one).
    id: fn(&regex::Captures) -> Option<String>,
    /// Whether the name carries its version (or the licence has only one).
    exact: bool,
}

/// A case-insensitive pattern. Unicode stays on: `\s` must match the no-break space that text
/// copied from a web page carries ("Apache\u{a0}License").
fn re(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .expect("licence statement pattern")
}

/// A licence name pattern, compiled the first time a sentence holds one of its needles (lower
/// case words every match contains): most READMEs name one licence, and compiling every
/// pattern would cost more than reading the README.
struct Lazy {
    source: String,
    case_insensitive: bool,
    needles: &'static [&'static str],
    compiled: OnceLock<Regex>,
}

impl Lazy {
    fn new(source: impl Into<String>, needles: &'static [&'static str]) -> Lazy {
        Lazy {
            source: source.into(),
            case_insensitive: true,
            needles,
            compiled: OnceLock::new(),
        }
    }

    /// Matched as written (an SPDX id).
    fn exact(source: &str, needles: &'static [&'static str]) -> Lazy {
        Lazy {
            case_insensitive: false,
            ..Lazy::new(source, needles)
        }
    }

    /// The pattern, when `lower` (the sentence in ASCII lower case) may match it.
    fn for_sentence(&self, lower: &str) -> Option<&Regex> {
        if !self.needles.iter().any(|n| lower.contains(n)) {
            return None;
        }
        Some(self.compiled.get_or_init(|| {
            RegexBuilder::new(&self.source)
                .case_insensitive(self.case_insensitive)
                .build()
                .expect("licence name pattern")
        }))
    }
}

/// `2`, `2.0`, `v2`, `version 2.0`, `-2.0`: the version after a licence's name.
const VERSION: &str = r"[\s,-]*(?:version\s*|v\.?\s*)?(\d+(?:\.\d+)?)";

fn names() -> &'static [Name] {
    static NAMES: OnceLock<Vec<Name>> = OnceLock::new();
    NAMES.get_or_init(|| {
        vec![
            Name {
                pattern: Lazy::new(format!(r"\b(?:GNU\s+)?(?:Affero\s+General\s+Public\s+Licen[sc]e|AGPL){VERSION}"), &["affero", "agpl"]),
                id: |c| Some(format!("AGPL-{}", with_minor(c.get(1)?.as_str()))),
                exact: true,
            },
            Name {
                pattern: Lazy::new(format!(
                    r"\b(?:GNU\s+)?(?:(?:Lesser|Library)\s+General\s+Public\s+Licen[sc]e|LGPL){VERSION}"
                ), &["lesser", "library", "lgpl"]),
                id: |c| Some(format!("LGPL-{}", with_minor(c.get(1)?.as_str()))),
                exact: true,
            },
            Name {
                pattern: Lazy::new(format!(r"\b(?:GNU\s+)?(?:General\s+Public\s+Licen[sc]e|GPL){VERSION}"), &["general", "gpl"]),
                id: |c| Some(format!("GPL-{}", with_minor(c.get(1)?.as_str()))),
                exact: true,
            },
            Name {
                pattern: Lazy::new(format!(r"\b(?:Mozilla\s+Public\s+Licen[sc]e|MPL){VERSION}"), &["mozilla", "mpl"]),
                id: |c| Some(format!("MPL-{}", with_minor(c.get(1)?.as_str()))),
                exact: true,
            },
            Name {
                pattern: Lazy::new(format!(r"\bApache(?:\s+Software)?(?:\s+Licen[sc]e)?{VERSION}"), &["apache"]),
                id: |c| Some(format!("Apache-{}", with_minor(c.get(1)?.as_str()))),
                exact: true,
            },
            Name {
                pattern: Lazy::new(r"\bApache(?:\s+Software)?\s+Licen[sc]e\b", &["apache"]),
                id: |_| Some("Apache-2.0".into()),
                exact: false,
            },
            Name {
                pattern: Lazy::new(r"\b(?:BSD[\s-]*3[\s-]*Clause|3[\s-]*Clause\s+BSD|(?:New|Modified|Revised)\s+BSD)\b", &["bsd"]),
                id: |_| Some("BSD-3-Clause".into()),
                exact: true,
            },
            Name {
                pattern: Lazy::new(r"\b(?:BSD[\s-]*2[\s-]*Clause|2[\s-]*Clause\s+BSD|Simplified\s+BSD|FreeBSD\s+Licen[sc]e)\b", &["bsd"]),
                id: |_| Some("BSD-2-Clause".into()),
                exact: true,
            },
            Name {
                pattern: Lazy::new(r"\bMIT\b", &["mit"]),
                id: |_| Some("MIT".into()),
                exact: true,
            },
            Name {
                pattern: Lazy::new(r"\bISC\b", &["isc"]),
                id: |_| Some("ISC".into()),
                exact: true,
            },
            Name {
                pattern: Lazy::new(r"\bThe\s+Unlicen[sc]e\b|\bUnlicen[sc]e\s+licen[sc]e\b", &["unlicen"]),
                id: |_| Some("Unlicense".into()),
                exact: true,
            },
            Name {
                pattern: Lazy::new(r"\bCC0(?:[\s-]*1\.0)?\b", &["cc0"]),
                id: |_| Some("CC0-1.0".into()),
                exact: true,
            },
            // An SPDX id as written: `Apache-2.0`, `GPL-3.0-or-later`, `EPL-2.0`.
            Name {
                pattern: Lazy::exact(r"\b[A-Za-z][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)+\+?", &["-"]),
                id: |c| {
                    let s = c.get(0)?.as_str().trim_end_matches('.');
                    spdx::license_id(s).map(|l| l.name.to_string())
                },
                exact: true,
            },
        ]
    })
}

fn with_minor(v: &str) -> String {
    if v.contains('.') {
        v.to_string()
    } else {
        format!("{v}.0")
    }
}

fn phrase() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"\b(?:licen[sc]ed|released|distributed|available|published|provided|offered)\s+(?:as\s+\w+\s+)?(?:under|with)\b|\bunder\s+the\s+terms\s+of\b|\blicen[sc]e\s*:|\bis\s+licen[sc]ed\b|\bdual[\s-]licen[sc]ed\b")
    })
}

fn project_subject() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"\b(?:this|the|our)\s+(?:project|plugin|repository|repo|software|code|source\s+code|library|work|extension|integration)\b|^\s*(?:it|this)\s+is\b")
    })
}

fn denial() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"\bnot\s+(?:be\s+)?licen[sc]ed\b|\bno\s+licen[sc]e\b|\bunlicensed\b|\ball\s+rights\s+reserved\b|\bproprietary\b")
    })
}

fn later() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        re(r"\bor\s+(?:\(at\s+your\s+option\)\s+)?(?:any\s+)?later\b|^\+|^\s*or\s+newer\b")
    })
}

/// Licence statements in a Markdown or plain text document, top to bottom.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut licence_heading = false;
    let mut in_fence = false;
    let mut para: Option<(usize, usize)> = None; // byte range of the current paragraph
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let start = offset;
        offset += line.len();
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            flush(text, &mut para, licence_heading, &mut out);
            continue;
        }
        if in_fence {
            continue;
        }
        let setext = lines.get(i + 1).map(|n| n.trim()).is_some_and(|n| {
            !n.is_empty()
                && !t.is_empty()
                && n.chars().all(|c| c == '=' || c == '-')
                && n.len() >= 3
        });
        if t.starts_with('#') || setext {
            flush(text, &mut para, licence_heading, &mut out);
            let lower = t.to_lowercase();
            licence_heading = lower.contains("licen") || lower.contains("copying");
            continue;
        }
        if t.is_empty() || t.chars().all(|c| c == '=' || c == '-') {
            flush(text, &mut para, licence_heading, &mut out);
            continue;
        }
        para = Some(match para {
            Some((s, _)) => (s, offset),
            None => (start, offset),
        });
    }
    flush(text, &mut para, licence_heading, &mut out);
    out
}

fn flush(text: &str, para: &mut Option<(usize, usize)>, heading: bool, out: &mut Vec<Found>) {
    let Some((start, end)) = para.take() else {
        return;
    };
    let p = &text[start..end];
    for (s, e) in sentences(p) {
        let sentence = &p[s..e];
        let said = phrase().is_match(sentence);
        if !(said || heading) || denial().is_match(sentence) {
            continue;
        }
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut named: Vec<(usize, String, bool)> = Vec::new();
        let lower = sentence.to_ascii_lowercase();
        for name in names() {
            let Some(pattern) = name.pattern.for_sentence(&lower) else {
                continue;
            };
            for c in pattern.captures_iter(sentence) {
                let m = c.get(0).expect("whole match");
                if taken.iter().any(|(a, b)| m.start() < *b && *a < m.end()) {
                    continue;
                }
                let Some(mut id) = (name.id)(&c) else {
                    continue;
                };
                let gnu = ["GPL-", "LGPL-", "AGPL-"].iter().any(|g| id.starts_with(g));
                if gnu && !id.ends_with("-only") && !id.ends_with("-or-later") {
                    let after = &sentence[m.end()..];
                    id = if later().is_match(after.get(..after.len().min(40)).unwrap_or(after)) {
                        format!("{id}-or-later")
                    } else {
                        format!("{id}-only")
                    };
                }
                if spdx::license_id(&id).is_none() {
                    continue;
                }
                taken.push((m.start(), m.end()));
                named.push((m.start(), id, name.exact));
            }
        }
        if named.is_empty() {
            continue;
        }
        named.sort_by_key(|n| n.0);
        let either = re_either().is_match(sentence);
        let mut ids: Vec<String> = Vec::new();
        for (_, id, _) in &named {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        let joiner = if either
            || named
                .windows(2)
                .any(|w| sentence[w[0].0..w[1].0].contains(" or "))
        {
            " OR "
        } else {
            " AND "
        };
        let expression = ids.join(joiner);
        let exact = named.iter().all(|n| n.2);
        let about_project = heading || project_subject().is_match(sentence);
        let confidence = if !exact {
            Confidence::Low
        } else if said && about_project {
            Confidence::High
        } else {
            Confidence::Medium
        };
        let at = start + s + named[0].0;
        out.push(Found {
            line: text[..at].matches('\n').count() + 1,
            start: start + s,
            end: start + e,
            quote: plain(sentence),
            expression,
            confidence,
        });
    }
}

fn re_either() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| re(r"\beither\b|\bdual[\s-]licen[sc]ed\b|\bat\s+your\s+(?:option|choice)\b"))
}

/// Sentence byte ranges: a full stop, `!` or `?` followed by a space and a capital (or the end)
/// ends one; `2.0` and `e.g.` do not.
fn sentences(p: &str) -> Vec<(usize, usize)> {
    let bytes = p.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..bytes.len() {
        if matches!(bytes[i], b'.' | b'!' | b'?') {
            let rest = p[i + 1..].trim_start();
            let spaced = p[i + 1..].starts_with(char::is_whitespace);
            if spaced && (rest.is_empty() || rest.starts_with(|c: char| c.is_uppercase())) {
                out.push((start, i + 1));
                start = i + 1;
            }
        }
    }
    if start < p.len() {
        out.push((start, p.len()));
    }
    out.into_iter()
        .map(|(s, e)| {
            let lead = p[s..e].len() - p[s..e].trim_start().len();
            let trail = p[s..e].len() - p[s..e].trim_end().len();
            (s + lead, e - trail)
        })
        .filter(|(s, e)| s < e)
        .collect()
}

/// A sentence without Markdown markup: link targets, emphasis, code marks, line breaks.
fn plain(s: &str) -> String {
    static LINK: OnceLock<Regex> = OnceLock::new();
    let link = LINK.get_or_init(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("link pattern"));
    let s = link.replace_all(s, "$1");
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '*' | '`' | '_'))
        .collect();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s.trim_start_matches(['-', '>', ' ']).to_string();
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(159).collect::<String>())
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Found {
        let found = find(text);
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    }

    #[test]
    fn a_licence_section_with_a_phrase_is_high() {
        let text = "# Hello\n\nA plugin.\n\n## License\n\nThis plugin is released under the\n[MIT License](LICENSE).\n";
        let f = one(text);
        assert_eq!(f.expression, "MIT");
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.line, 8);
        assert_eq!(f.quote, "This plugin is released under the MIT License.");
        assert_eq!(&text[f.start..f.start + 4], "This");
    }

    #[test]
    fn a_no_break_space_from_a_web_page_is_a_space() {
        assert_eq!(
            one("This plugin is licensed under the Apache\u{a0}License, Version\u{a0}2.0.")
                .expression,
            "Apache-2.0"
        );
    }

    #[test]
    fn versions_gnu_forms_and_choices() {
        assert_eq!(
            one("Licensed under the Apache License, Version 2.0.").expression,
            "Apache-2.0"
        );
        assert_eq!(
            one("## Licence\n\nGPLv3 or later").expression,
            "GPL-3.0-or-later"
        );
        assert_eq!(
            one("This project is licensed under the GNU Affero General Public License v3.0.")
                .expression,
            "AGPL-3.0-only"
        );
        assert_eq!(
            one("This library is dual-licensed under MIT and Apache-2.0.").expression,
            "MIT OR Apache-2.0"
        );
        let low = one("## License\n\nThe code is available under the Apache License.");
        assert_eq!(
            (low.expression.as_str(), low.confidence),
            ("Apache-2.0", Confidence::Low)
        );
    }

    #[test]
    fn mentions_outside_a_statement_and_denials_state_nothing() {
        assert!(find("Uses the MIT-compatible parser from example.org.\n").is_empty());
        assert!(find("```\nreleased under the MIT License\n```\n").is_empty());
        assert!(
            find("## License\n\nThis code is not licensed for use. All rights reserved.\n")
                .is_empty()
        );
        let dep = one("The icons are distributed under the MIT License.");
        assert_eq!(
            dep.confidence,
            Confidence::Medium,
            "not said of the project"
        );
    }
}
