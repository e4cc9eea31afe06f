//! The classifier's index of canonical texts: one entry per distinct SPDX licence or exception
//! text, with its length in words and a sketch for the candidate prefilter.
//!
//! A sketch is the [`SKETCH`] smallest hashes of the text's three-word groups (bottom-k
//! MinHash). The share of an entry's sketch found among a text's groups estimates how much of
//! that licence the text holds, so a text is compared word by word with a short list of
//! candidates instead of every licence. `index.tsv` is generated from the SPDX texts by
//! [`generate`] (`tests/generated.rs` keeps it current), so nothing is computed over every
//! licence at run time: the table is parsed on the first text no hash knows.
//!
//! A licence whose canonical text is its own terms followed by the whole of another licence
//! (LGPL-3.0: additional permissions on top of GPL-3.0, which it incorporates by reference)
//! also gets a `supplement` entry for its own terms alone, which is how that licence is
//! usually published (`COPYING.LESSER`).

use super::known::{is_deprecated, sort_preferred};
use super::tokens::{Words, PLACEHOLDER};
use super::verify::apply_start;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::OnceLock;

const GENERATED: &str = include_str!("index.tsv");

/// Hashes per sketch.
pub const SKETCH: usize = 24;

/// An incorporated licence must be at least this long, and a supplement's own terms too.
const MIN_INCORPORATED: usize = 500;
const MIN_OWN: usize = 100;
/// A "how to apply" section shorter than this holds no notice worth matching.
const MIN_NOTICE: usize = 30;

fn canonical_text_in<'a>(
    ids: &[&'a str],
    originals: &HashMap<&'a str, &'a str>,
) -> Option<&'a str> {
    ids.iter().find_map(|id| originals.get(id).copied())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Licence,
    Exception,
    /// The own terms of a licence that incorporates another by reference.
    Supplement,
    /// The end of a licence's text that tells how to apply it, holding the notice to put in
    /// each file (`Licensed under the Apache License, Version 2.0 …`): a file that holds only
    /// that notice is under the licence it names.
    Notice,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    /// Preferred id first, then the ids whose texts are identical.
    pub ids: Vec<&'static str>,
    /// Words of the canonical text (of its own terms, for a supplement).
    pub words: usize,
    pub sketch: Vec<u32>,
    /// The licence a supplement incorporates.
    pub incorporates: Option<&'static str>,
    /// Where a notice entry starts in the canonical words (with the Apache appendix kept).
    pub offset: usize,
}

impl Entry {
    pub fn id(&self) -> &'static str {
        self.ids[0]
    }
}

pub struct Index {
    pub entries: Vec<Entry>,
}

/// The shipped index, parsed once.
pub fn shipped() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| parse(GENERATED))
}

fn parse(table: &'static str) -> Index {
    let mut entries = Vec::new();
    for line in table.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&'static str> = line.split('\t').collect();
        let [kind, ids, words, sketch, incorporates] = cols[..] else {
            continue;
        };
        let kind = match kind {
            "licence" => Kind::Licence,
            "exception" => Kind::Exception,
            "supplement" => Kind::Supplement,
            "notice" => Kind::Notice,
            _ => continue,
        };
        let sketch = (0..sketch.len() / 8)
            .filter_map(|i| u32::from_str_radix(&sketch[i * 8..i * 8 + 8], 16).ok())
            .collect();
        entries.push(Entry {
            kind,
            ids: ids.split(' ').collect(),
            words: words.parse().unwrap_or(0),
            sketch,
            incorporates: (kind == Kind::Supplement).then_some(incorporates),
            offset: if kind == Kind::Notice {
                incorporates.parse().unwrap_or(0)
            } else {
                0
            },
        });
    }
    Index { entries }
}

/// The canonical text of an SPDX licence or exception id.
pub fn canonical_text(id: &str) -> Option<&'static str> {
    spdx::text::LICENSE_TEXTS
        .iter()
        .chain(spdx::text::EXCEPTION_TEXTS.iter())
        .find(|(name, _)| *name == id)
        .map(|(_, t)| *t)
}

impl Entry {
    /// The canonical words this entry stands for.
    pub fn canonical(&self) -> Words {
        let text = canonical_text(self.id()).unwrap_or("");
        match self.kind {
            Kind::Supplement => {
                let mut words = Words::new(text);
                words.truncate(self.words);
                words
            }
            Kind::Notice => {
                let mut words = Words::with_appendix(text);
                words.skip(self.offset);
                words
            }
            Kind::Licence | Kind::Exception => Words::new(text),
        }
    }
}

/// The hash of a three-word group.
fn shingle(a: u64, b: u64, c: u64) -> u32 {
    let x = a.rotate_left(17) ^ b.rotate_left(41) ^ c;
    let x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    let x = (x ^ (x >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    ((x ^ (x >> 33)) >> 32) as u32
}

/// Calls `f` with the hash of every three-word group of a stretch, leaving out groups that
/// hold a placeholder.
pub fn shingles(words: &Words, r: Range<usize>, mut f: impl FnMut(u32)) {
    let (h, fl) = (&words.hashes, &words.flags);
    for i in r.start..r.end.saturating_sub(2) {
        if (fl[i] | fl[i + 1] | fl[i + 2]) & PLACEHOLDER != 0 {
            continue;
        }
        f(shingle(h[i], h[i + 1], h[i + 2]));
    }
}

fn sketch(words: &Words, r: Range<usize>) -> Vec<u32> {
    let mut all = Vec::new();
    shingles(words, r, |s| all.push(s));
    all.sort_unstable();
    all.dedup();
    all.truncate(SKETCH);
    all
}

const P: u64 = 0x9e37_79b9_7f4a_7c15;

/// A hash of a whole word sequence (Horner's rule, so suffixes can be hashed the same way).
fn sequence(hashes: &[u64]) -> u64 {
    hashes
        .iter()
        .fold(0u64, |h, w| h.wrapping_mul(P).wrapping_add(*w))
}

/// Builds `index.tsv` from `(id, text, is_exception)` triples. Ids whose texts have the same
/// words share an entry; entries whose ids are all deprecated (the old `GPL-2.0-with-…`
/// forms, which are written `GPL-2.0-or-later WITH …` today) are left out.
pub fn generate<'a>(
    texts: impl IntoIterator<Item = (&'a str, &'a str, bool)>,
    list_version: &str,
) -> String {
    struct Group<'a> {
        ids: Vec<&'a str>,
        exception: bool,
        words: Words,
    }
    let mut groups: BTreeMap<u64, Group<'a>> = BTreeMap::new();
    let mut originals: HashMap<&'a str, &'a str> = HashMap::new();
    for (id, text, exception) in texts {
        originals.insert(id, text);
        let words = Words::new(text);
        let key = sequence(&words.hashes);
        groups
            .entry(key)
            .or_insert_with(|| Group {
                ids: Vec::new(),
                exception,
                words,
            })
            .ids
            .push(id);
    }
    let mut kept: Vec<Group<'a>> = groups
        .into_values()
        .filter(|g| !g.words.is_empty() && g.ids.iter().any(|id| !is_deprecated(id)))
        .collect();
    for g in &mut kept {
        sort_preferred(&mut g.ids);
    }
    kept.sort_by(|a, b| a.ids[0].cmp(b.ids[0]));
    let whole: HashMap<u64, &str> = kept
        .iter()
        .filter(|g| g.words.len() >= MIN_INCORPORATED && !g.exception)
        .map(|g| (sequence(&g.words.hashes), g.ids[0]))
        .collect();
    let mut out = format!(
        "# Generated from the SPDX licence list {list_version} by `ONBOARD_BLESS=1 cargo test --test generated`.\n\
         # kind<TAB>ids (preferred first)<TAB>words<TAB>sketch: the {SKETCH} smallest three-word hashes, 8 hex digits each<TAB>incorporated licence (supplement) or first word (notice)\n"
    );
    for g in &kept {
        let w = &g.words;
        let hex = |s: &[u32]| s.iter().map(|h| format!("{h:08x}")).collect::<String>();
        let kind = if g.exception { "exception" } else { "licence" };
        let _ = writeln!(
            out,
            "{kind}\t{}\t{}\t{}\t-",
            g.ids.join(" "),
            w.len(),
            hex(&sketch(w, 0..w.len()))
        );
        if g.exception {
            continue;
        }
        // Its own terms followed by a whole other licence: suffix hashes by Horner's rule.
        let n = w.len();
        let mut power = 1u64;
        let mut suffix = 0u64;
        let mut own = None;
        for i in (0..n).rev() {
            suffix = suffix.wrapping_add(w.hashes[i].wrapping_mul(power));
            power = power.wrapping_mul(P);
            if i >= MIN_OWN && n - i >= MIN_INCORPORATED {
                if let Some(other) = whole.get(&suffix).filter(|o| **o != g.ids[0]) {
                    own = Some((i, *other));
                }
            }
        }
        if let Some((i, other)) = own {
            let _ = writeln!(
                out,
                "supplement\t{}\t{i}\t{}\t{other}",
                g.ids.join(" "),
                hex(&sketch(w, 0..i))
            );
        }
        if own.is_some() {
            continue; // its "how to apply" section is the incorporated licence's
        }
        // How to apply it: the notice to put in files.
        if let Some(text) = canonical_text_in(&g.ids, &originals) {
            let full = Words::with_appendix(text);
            let from = apply_start(&full).unwrap_or(full.len());
            if full.len() - from >= MIN_NOTICE {
                let _ = writeln!(
                    out,
                    "notice\t{}\t{}\t{}\t{from}",
                    g.ids.join(" "),
                    full.len() - from,
                    hex(&sketch(&full, from..full.len()))
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lgpl_3_is_indexed_as_a_supplement_to_gpl_3() {
        let index = shipped();
        assert!(index.entries.len() > 600, "{}", index.entries.len());
        let own = index
            .entries
            .iter()
            .find(|e| e.kind == Kind::Supplement)
            .expect("a supplement entry");
        assert_eq!(own.id(), "LGPL-3.0-or-later");
        assert_eq!(own.incorporates, Some("GPL-3.0-or-later"));
        let words = own.canonical();
        assert_eq!(words.len(), own.words);
        assert_eq!(words.phrase(0..5), "gnu lesser general public license");
        assert!(index
            .entries
            .iter()
            .all(|e| e.sketch.len() == SKETCH || e.words < SKETCH + 2));
    }

    #[test]
    fn deprecated_combinations_are_left_out() {
        let index = shipped();
        assert!(!index
            .entries
            .iter()
            .any(|e| e.ids.contains(&"GPL-2.0-with-classpath-exception")));
        let gpl3 = index
            .entries
            .iter()
            .find(|e| e.id() == "GPL-3.0-or-later")
            .unwrap();
        assert!(gpl3.ids.contains(&"GPL-3.0-only"));
        assert!(index
            .entries
            .iter()
            .any(|e| e.kind == Kind::Exception && e.id() == "Classpath-exception-2.0"));
    }

    #[test]
    fn a_text_followed_by_a_whole_licence_is_a_supplement() {
        let base: String = (0..600).map(|i| format!("w{i} ")).collect();
        let own: String = (0..150).map(|i| format!("own{i} ")).collect();
        let both = format!("{own}{base}");
        let out = generate(
            [
                ("Base-1.0", base.as_str(), false),
                ("Sup-1.0", both.as_str(), false),
            ],
            "x",
        );
        let sup = out.lines().find(|l| l.starts_with("supplement")).unwrap();
        assert!(sup.starts_with("supplement\tSup-1.0\t150\t"), "{sup}");
        assert!(sup.ends_with("\tBase-1.0"), "{sup}");
    }
}
