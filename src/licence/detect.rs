//! Licence text detection in two tiers.
//!
//! 1. Hashes: the git blob id of the file against files seen verbatim, then the fingerprint of
//!    the normalised words against every SPDX licence text. No classifier is loaded.
//! 2. Classification: the `spdx` crate's n-gram matcher (askalono's algorithm) over its embedded
//!    store, loaded on first need and run once per distinct text. A text whose best match is
//!    below the threshold is scanned for several licences (each with its line range); when none
//!    reaches the threshold the answer is "unknown" with the closest candidates, never a guess.

use super::known;
use super::normalise;
use schemars::JsonSchema;
use serde::Serialize;
use spdx::detection::{Store, TextData};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// The classifier's default confidence threshold.
pub const DEFAULT_THRESHOLD: f32 = 0.9;

/// Texts with fewer words than this are not classified: no licence is that short, and the
/// n-gram score of a handful of words means nothing.
const MIN_WORDS: usize = 12;

/// How many licences one file may be split into.
const MAX_PARTS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The file's git blob id is a licence file seen verbatim.
    Exact,
    /// The normalised words hash to a known licence text.
    Normalised,
    /// A short file whose text is an `SPDX-License-Identifier:` tag.
    Identifier,
    /// The n-gram classifier matched above the threshold.
    Classified,
    /// Nothing matched above the threshold.
    None,
}

/// One licence found inside a file that holds several.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Part {
    pub id: String,
    pub score: f32,
    /// First and last line (1-based, inclusive) of the text judged to be this licence.
    pub lines: (usize, usize),
}

/// A licence the text resembles, with its score.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Candidate {
    pub id: String,
    pub score: f32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Detection {
    /// SPDX id, or an `AND` of the ids found in a file holding several; null when unknown.
    pub expression: Option<String>,
    /// 1.0 for a hash match; the classifier's score otherwise.
    pub score: f32,
    pub method: Method,
    /// Other SPDX ids whose texts are identical to the detected one (`GPL-2.0-or-later`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// Each licence found in a file that holds several, top to bottom.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// The closest licences when nothing matched, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    /// Why there is no answer, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Detection {
    fn known(k: &known::Known, method: Method) -> Detection {
        Detection {
            expression: Some(k.id().to_string()),
            score: 1.0,
            method,
            alternatives: k.ids[1..].iter().map(|s| s.to_string()).collect(),
            parts: Vec::new(),
            candidates: Vec::new(),
            reason: None,
        }
    }

    pub fn unknown(reason: impl Into<String>, candidates: Vec<Candidate>) -> Detection {
        Detection {
            expression: None,
            score: candidates.first().map_or(0.0, |c| c.score),
            method: Method::None,
            alternatives: Vec::new(),
            parts: Vec::new(),
            candidates,
            reason: Some(reason.into()),
        }
    }
}

/// Detects licences, loading the classifier at most once and classifying each distinct
/// normalised text at most once.
pub struct Detector {
    threshold: f32,
    store: OnceCell<Result<Store, String>>,
    cache: RefCell<HashMap<u64, Rc<Detection>>>,
}

impl Default for Detector {
    fn default() -> Self {
        Detector::new(DEFAULT_THRESHOLD)
    }
}

impl Detector {
    pub fn new(threshold: f32) -> Self {
        Detector {
            threshold: threshold.clamp(0.0, 1.0),
            store: OnceCell::new(),
            cache: RefCell::new(HashMap::new()),
        }
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Whether the classifier store has been loaded (it is not when hashes answered everything).
    pub fn store_loaded(&self) -> bool {
        self.store.get().is_some()
    }

    /// Detects the licence of a file's bytes. `blob` is its git blob id when known already
    /// (from the index or tree); it is computed otherwise.
    pub fn detect(&self, bytes: &[u8], blob: Option<&str>) -> Rc<Detection> {
        let oid = match blob {
            Some(b) => b.to_string(),
            None => git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
                .map(|o| o.to_string())
                .unwrap_or_default(),
        };
        if let Some(k) = known::by_blob(&oid) {
            return Rc::new(Detection::known(k, Method::Exact));
        }
        let text = String::from_utf8_lossy(bytes);
        self.detect_text(&text)
    }

    /// Detects the licence of a text (hash tier, then the classifier).
    pub fn detect_text(&self, text: &str) -> Rc<Detection> {
        let words = normalise::words(text);
        let hash = normalise::fnv1a(words.as_bytes());
        if let Some(k) = known::by_fingerprint(hash) {
            return Rc::new(Detection::known(k, Method::Normalised));
        }
        if let Some(hit) = self.cache.borrow().get(&hash) {
            return hit.clone();
        }
        let detection = Rc::new(self.classify(text, &words));
        self.cache.borrow_mut().insert(hash, detection.clone());
        detection
    }

    /// The classifier alone, skipping the hash tier (for measuring it).
    pub fn classify_only(&self, text: &str) -> Rc<Detection> {
        Rc::new(self.classify(text, &normalise::words(text)))
    }

    fn classify(&self, text: &str, words: &str) -> Detection {
        let word_count = words.split(' ').filter(|w| !w.is_empty()).count();
        if word_count < 80 {
            if let Some(tag) = identifier_tag(text) {
                return Detection {
                    expression: Some(tag),
                    score: 1.0,
                    method: Method::Identifier,
                    alternatives: Vec::new(),
                    parts: Vec::new(),
                    candidates: Vec::new(),
                    reason: None,
                };
            }
        }
        if word_count < MIN_WORDS {
            return Detection::unknown(
                format!("{word_count} words: too short to be a licence text"),
                Vec::new(),
            );
        }
        let store = match self
            .store
            .get_or_init(|| Store::load_inline().map_err(|e| e.to_string()))
        {
            Ok(store) => store,
            Err(e) => {
                return Detection::unknown(
                    format!("the licence classifier could not be loaded: {e}"),
                    Vec::new(),
                );
            }
        };
        let data = TextData::new(text);
        let ranked = rank(store, &data);
        let Some(best) = ranked.first() else {
            return Detection::unknown("the classifier store is empty", Vec::new());
        };
        if best.score >= self.threshold {
            let (name, score) = (best.name, best.score);
            if let Some(named) = title_version(text).filter(|v| contradicts(name, v)) {
                let mut candidates: Vec<Candidate> = ranked
                    .iter()
                    .take(3)
                    .map(|r| Candidate {
                        id: r.name.to_string(),
                        score: round(r.score),
                    })
                    .collect();
                candidates.truncate(3);
                return Detection::unknown(
                    format!(
                        "the text names version {named} but matches {name} best; versions of one licence differ in a few words"
                    ),
                    candidates,
                );
            }
            // The whole text matches one licence; a long preamble or a second licence shows
            // as lines outside the optimised match.
            let parts = self.parts(store, text);
            if parts.len() > 1 {
                return with_parts(parts);
            }
            return Detection {
                expression: Some(name.to_string()),
                score,
                method: Method::Classified,
                alternatives: aliases(store, name),
                parts: Vec::new(),
                candidates: Vec::new(),
                reason: None,
            };
        }
        let parts = self.parts(store, text);
        if !parts.is_empty() {
            return with_parts(parts);
        }
        let candidates = ranked
            .iter()
            .take(3)
            .map(|r| Candidate {
                id: r.name.to_string(),
                score: round(r.score),
            })
            .collect();
        Detection::unknown(
            format!(
                "no licence text matches with a score of at least {:.2}",
                self.threshold
            ),
            candidates,
        )
    }

    /// Finds the licences inside a text: the best match of a stretch of lines, its line range,
    /// then the same again on the lines above and below it. Stretches are classified as texts
    /// of their own, so blank or matched lines never skew the bounds of the next match.
    fn parts(&self, store: &Store, text: &str) -> Vec<Part> {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut parts = Vec::new();
        let mut todo = vec![(0, lines.len())];
        while let Some((from, to)) = todo.pop() {
            if parts.len() >= MAX_PARTS {
                break;
            }
            let chunk = lines[from..to].join("\n");
            if normalise::words(&chunk).split(' ').count() < MIN_WORDS {
                continue;
            }
            let data = TextData::new(&chunk);
            let best = store.analyze(&data);
            if !best.score.is_finite() || best.score <= 0.0 {
                continue;
            }
            let (found, score) = data.optimize_bounds(best.data);
            let (start, end) = found.lines_view();
            if !score.is_finite() || score < self.threshold || end <= start {
                continue;
            }
            parts.push(Part {
                id: best.name.to_string(),
                score: round(score),
                lines: (from + start + 1, from + end),
            });
            todo.push((from, from + start));
            todo.push((from + end, to));
        }
        parts.sort_by_key(|p| p.lines.0);
        parts
    }
}

fn with_parts(parts: Vec<Part>) -> Detection {
    let mut ids: Vec<&str> = Vec::new();
    for p in &parts {
        if !ids.contains(&p.id.as_str()) {
            ids.push(&p.id);
        }
    }
    let expression = if ids.len() == 1 {
        ids[0].to_string()
    } else {
        ids.join(" AND ")
    };
    let score = parts.iter().map(|p| p.score).fold(1.0, f32::min);
    Detection {
        expression: Some(expression),
        score,
        method: Method::Classified,
        alternatives: Vec::new(),
        parts,
        candidates: Vec::new(),
        reason: None,
    }
}

struct Ranked<'a> {
    name: &'a str,
    score: f32,
}

/// Every licence of the store scored against the text (full texts and their alternates; not
/// headers, which match short notices), best first, one entry per licence.
fn rank<'a>(store: &'a Store, data: &TextData) -> Vec<Ranked<'a>> {
    let mut ranked: Vec<Ranked<'a>> = store
        .iter()
        .map(|(name, entry)| {
            let score = std::iter::once(&entry.original)
                .chain(entry.alternates.iter())
                .map(|t| t.match_score(data))
                .filter(|s| s.is_finite())
                .fold(0.0f32, f32::max);
            Ranked { name, score }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.name.cmp(b.name)));
    ranked
}

fn aliases(store: &Store, name: &str) -> Vec<String> {
    store.aliases(name).cloned().unwrap_or_default()
}

fn round(score: f32) -> f32 {
    (score * 1000.0).round() / 1000.0
}

/// The version a licence's title names (`v. 2.1`, `Version 2.0`), from its first lines.
fn title_version(text: &str) -> Option<String> {
    let head: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .map(str::to_lowercase)
        .collect();
    let head = head.join(" ");
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let after = if *w == "version" || *w == "v." || *w == "v" {
            words.get(i + 1).copied()
        } else {
            w.strip_prefix("v.").or_else(|| w.strip_prefix('v'))
        }?;
        let number = after.trim_end_matches(['.', ')', ';']);
        (number.contains('.') && number.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .then(|| number.to_string())
    })
}

/// Whether an SPDX id carries a version other than `named` (`AFL-2.0` vs `2.1`).
fn contradicts(id: &str, named: &str) -> bool {
    let version = id
        .split('-')
        .find(|part| part.contains('.') && part.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let trim = |v: &str| v.trim_end_matches(".0").to_string();
    version.is_some_and(|v| trim(v) != trim(named))
}

/// `SPDX-License-Identifier: MIT` as the whole of a short file.
fn identifier_tag(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (_, rest) = line.split_once("SPDX-License-Identifier:")?;
        let rest = rest.trim().trim_end_matches("*/").trim();
        spdx::Expression::parse_mode(rest, spdx::ParseMode::LAX)
            .ok()
            .map(|_| rest.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const APACHE_NOTICE_ONLY: &str = "see the file in the parent directory";

    #[test]
    fn short_texts_are_unknown_without_loading_the_classifier() {
        let d = Detector::default();
        let got = d.detect_text(APACHE_NOTICE_ONLY);
        assert_eq!(got.expression, None);
        assert_eq!(got.method, Method::None);
        assert!(got.reason.as_deref().unwrap().contains("too short"));
        assert!(!d.store_loaded());
    }

    #[test]
    fn a_title_naming_another_version_contradicts_the_match() {
        assert_eq!(
            title_version("The Academic Free License\nv. 2.1\n\nThis").as_deref(),
            Some("2.1")
        );
        assert_eq!(
            title_version("Apache License\nVersion 2.0, January 2004").as_deref(),
            Some("2.0")
        );
        assert_eq!(title_version("MIT License\n\nPermission is"), None);
        assert!(contradicts("AFL-2.0", "2.1"));
        assert!(!contradicts("Apache-2.0", "2.0"));
        assert!(!contradicts("GPL-3.0-only", "3"));
        assert!(!contradicts("MIT", "2.1"));
    }

    #[test]
    fn identifier_tags_are_read() {
        let d = Detector::default();
        let got = d.detect_text("SPDX-License-Identifier: MIT OR Apache-2.0\n");
        assert_eq!(got.expression.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(got.method, Method::Identifier);
        assert!(!d.store_loaded());
    }
}
