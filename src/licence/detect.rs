//! Licence text detection in two tiers.
//!
//! 1. Hashes: the git blob id of the file against files seen verbatim, then the fingerprint of
//!    the normalised words against every SPDX licence text. No classifier is loaded.
//! 2. Classification ([`super::classify`]): a short list of candidates from the index's
//!    sketches, each compared word by word with the text; loaded on first need and run once per
//!    distinct text. A text may hold several licences (each with its line range). An answer is
//!    only given when every difference from the canonical text is presentation; otherwise the
//!    answer is "unknown" with the closest candidates and the first line that changes terms,
//!    never a guess.

use super::classify::{Classifier, MIN_WORDS};
use super::known;
use super::normalise;
use super::verify::Deviation;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::convert::Infallible;
use std::rc::Rc;

/// The classifier's default confidence threshold.
pub const DEFAULT_THRESHOLD: f32 = 0.9;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The file's git blob id is a licence file seen verbatim.
    Exact,
    /// The normalised words hash to a known licence text.
    Normalised,
    /// A short file whose text is an `SPDX-License-Identifier:` tag.
    Identifier,
    /// The classifier matched above the threshold, and every difference from the canonical
    /// text is presentation.
    Classified,
    /// Nothing matched above the threshold.
    None,
}

/// One licence found inside a file that holds several.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Part {
    pub id: String,
    pub score: f32,
    /// First and last line (1-based, inclusive) of the text judged to be this licence.
    pub lines: (usize, usize),
    /// The part is the licence's standard notice (which points to its text), not the text.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[serde(default)]
    pub notice: bool,
}

/// A licence the text resembles, with its score.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Candidate {
    pub id: String,
    pub score: f32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Detection {
    /// SPDX id, or an `AND` of the ids found in a file holding several; null when unknown.
    pub expression: Option<String>,
    /// 1.0 for a hash match; the classifier's score otherwise.
    pub score: f32,
    pub method: Method,
    /// Other SPDX ids whose texts are identical to the detected one (`GPL-2.0-or-later`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(default)]
    pub alternatives: Vec<String>,
    /// Each licence found in a file that holds several, top to bottom.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(default)]
    pub parts: Vec<Part>,
    /// The closest licences when nothing matched, best first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(default)]
    pub candidates: Vec<Candidate>,
    /// Why there is no answer, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    pub reason: Option<String>,
    /// Where the text first changes the terms of the licence it resembles most.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    pub deviation: Option<Deviation>,
    /// Lines (first, last) of a file holding several licences that belong to none of them but
    /// name them: a statement of how the licences apply, shown as evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(default)]
    pub unmatched: Vec<(usize, usize)>,
    /// The file holds the licence's standard notice (`Licensed under the Apache License,
    /// Version 2.0 …`, which points to the licence's text), not the text itself.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[serde(default)]
    pub notice: bool,
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
            deviation: None,
            unmatched: Vec::new(),
            notice: false,
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
            deviation: None,
            unmatched: Vec::new(),
            notice: false,
        }
    }
}

/// Detects licences, loading the classifier at most once and classifying each distinct
/// normalised text at most once.
pub struct Detector {
    threshold: f32,
    classifier: OnceCell<Classifier>,
    /// Answers by normalised text in this run, with whether the classifier was needed.
    cache: RefCell<HashMap<u64, (Rc<Detection>, bool)>>,
    /// Classifier answers kept between runs, by text and threshold.
    store: Option<Rc<crate::cache::Cache>>,
    /// Whether some text needed the classifier (its answer computed or cached).
    needed: std::cell::Cell<bool>,
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
            classifier: OnceCell::new(),
            cache: RefCell::new(HashMap::new()),
            store: None,
            needed: std::cell::Cell::new(false),
        }
    }

    /// Keeps the classifier's answers in `cache` between runs.
    pub fn with_cache(mut self, cache: Option<Rc<crate::cache::Cache>>) -> Self {
        self.store = cache;
        self
    }

    /// Whether some text needed the classifier (no hash knew it), whether its answer was
    /// computed or came from the cache: the same with a cache and without.
    pub fn classifier_needed(&self) -> bool {
        self.needed.get()
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Whether the classifier has been loaded (it is not when hashes answered everything).
    pub fn store_loaded(&self) -> bool {
        self.classifier.get().is_some()
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
        // The whole answer for these bytes, kept by blob id: a warm run neither normalises nor
        // counts the words of a text that no hash knows. It is kept with whether the classifier
        // was needed, so that what a run reports is the same warm and cold.
        let text = || String::from_utf8_lossy(bytes);
        if oid.is_empty() {
            return self.detect_text(&text());
        }
        let key = crate::cache::key(&[
            b"licence of blob 2",
            &self.threshold.to_bits().to_le_bytes(),
            oid.as_bytes(),
        ]);
        let Ok((needed, d)) =
            crate::cache::kept(self.store.as_deref(), "licence-blob", &key, || {
                let (d, needed) = self.noting_need(|| self.detect_text(&text()));
                Ok::<_, Infallible>((needed, Detection::clone(&d)))
            });
        if needed {
            self.needed.set(true);
        }
        Rc::new(d)
    }

    /// Runs `f` and says whether it needed the classifier; `needed` keeps what it said before,
    /// or'ed with that.
    fn noting_need<T>(&self, f: impl FnOnce() -> T) -> (T, bool) {
        let before = self.needed.replace(false);
        let value = f();
        let needed = self.needed.get();
        self.needed.set(before || needed);
        (value, needed)
    }

    /// Detects the licence of a text (hash tier, then the classifier).
    pub fn detect_text(&self, text: &str) -> Rc<Detection> {
        let words = normalise::words(text);
        let hash = normalise::fnv1a(words.as_bytes());
        if let Some(k) = known::by_fingerprint(hash) {
            return Rc::new(Detection::known(k, Method::Normalised));
        }
        if let Some((hit, needed)) = self.cache.borrow().get(&hash) {
            if *needed {
                self.needed.set(true);
            }
            return hit.clone();
        }
        let (detection, needed) = self.noting_need(|| Rc::new(self.classify(text)));
        self.cache
            .borrow_mut()
            .insert(hash, (detection.clone(), needed));
        detection
    }

    /// The classifier alone, skipping the hash tier (for measuring it).
    pub fn classify_only(&self, text: &str) -> Rc<Detection> {
        Rc::new(self.classify(text))
    }

    fn classify(&self, text: &str) -> Detection {
        let word_count = super::tokens::count(text);
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
                    deviation: None,
                    unmatched: Vec::new(),
                    notice: false,
                };
            }
        }
        if word_count < MIN_WORDS {
            return Detection::unknown(
                format!("{word_count} words: too short to be a licence text"),
                Vec::new(),
            );
        }
        self.needed.set(true);
        let key = crate::cache::key(&[
            b"licence",
            &self.threshold.to_bits().to_le_bytes(),
            text.as_bytes(),
        ]);
        let Ok(d) = crate::cache::kept(self.store.as_deref(), "licence", &key, || {
            Ok::<_, Infallible>(
                self.classifier
                    .get_or_init(|| Classifier::new(self.threshold))
                    .classify(text),
            )
        });
        d
    }
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
    fn identifier_tags_are_read() {
        let d = Detector::default();
        let got = d.detect_text("SPDX-License-Identifier: MIT OR Apache-2.0\n");
        assert_eq!(got.expression.as_deref(), Some("MIT OR Apache-2.0"));
        assert_eq!(got.method, Method::Identifier);
        assert!(!d.store_loaded());
    }
}
