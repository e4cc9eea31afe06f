//! The first detection tier: texts recognised by hash, without loading the classifier.
//!
//! `known.tsv` is generated from the SPDX licence list texts (the `spdx` crate's `text` feature,
//! list version [`spdx::identifiers::VERSION`]) by [`generate`]; `tests/generated.rs` checks it is
//! current. `known-seen.tsv` lists licence texts seen in real plugin repositories (by git blob id, or by
//! fingerprint), so the commonest files, and the source-available texts beside them, are
//! recognised without the classifier.

use super::normalise::fingerprint;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

const GENERATED: &str = include_str!("known.tsv");
const SEEN: &str = include_str!("known-seen.tsv");

/// One known text: its preferred SPDX id first, then the ids whose texts are identical to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub ids: Vec<&'static str>,
}

impl Known {
    pub fn id(&self) -> &'static str {
        self.ids[0]
    }
}

struct Tables {
    texts: HashMap<u64, Known>,
    blobs: HashMap<&'static str, Known>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut texts = HashMap::new();
        let mut blobs = HashMap::new();
        for line in GENERATED.lines().chain(SEEN.lines()) {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(kind), Some(key), Some(ids)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let known = Known {
                ids: ids.split(' ').collect(),
            };
            match kind {
                "text" => {
                    if let Ok(hash) = u64::from_str_radix(key, 16) {
                        texts.insert(hash, known);
                    }
                }
                "blob" => {
                    blobs.insert(key, known);
                }
                _ => {}
            }
        }
        Tables { texts, blobs }
    })
}

/// A licence recognised by the git blob id of the file.
pub fn by_blob(oid: &str) -> Option<&'static Known> {
    tables().blobs.get(oid)
}

/// A licence recognised by the fingerprint of its normalised words.
pub fn by_fingerprint(hash: u64) -> Option<&'static Known> {
    tables().texts.get(&hash)
}

pub fn len() -> usize {
    tables().texts.len()
}

/// Builds `known.tsv` from `(id, text)` pairs. Ids whose texts normalise to the same words
/// share a line; the preferred id comes first: not deprecated, then the shortest, then by name.
pub fn generate<'a>(
    texts: impl IntoIterator<Item = (&'a str, &'a str)>,
    list_version: &str,
) -> String {
    let mut by_hash: std::collections::BTreeMap<u64, Vec<&str>> = Default::default();
    let mut blobs: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for (id, text) in texts {
        by_hash.entry(fingerprint(text)).or_default().push(id);
        if let Ok(oid) = git2::Oid::hash_object(git2::ObjectType::Blob, text.as_bytes()) {
            blobs.entry(oid.to_string()).or_default().push(id);
        }
    }
    let mut out = format!(
        "# Generated from the SPDX licence list {list_version} by `ONBOARD_BLESS=1 cargo test --test generated`.\n\
         # kind<TAB>key<TAB>ids: `text` keys are fingerprints of normalised words, `blob` keys git blob ids.\n"
    );
    for (hash, mut ids) in by_hash {
        sort_preferred(&mut ids);
        let _ = writeln!(out, "text\t{hash:016x}\t{}", ids.join(" "));
    }
    for (oid, mut ids) in blobs {
        sort_preferred(&mut ids);
        let _ = writeln!(out, "blob\t{oid}\t{}", ids.join(" "));
    }
    out
}

/// Orders ids of one text, preferred first: not deprecated; for the GNU licences the
/// `-or-later` form (a program that names no version may be used under any version: GPL-3.0
/// section 14, GPL-2.0 section 9, LGPL-2.1 section 13, AGPL-3.0 section 14, GFDL section 10,
/// so a text alone says `-or-later`); then the shortest; then by name.
pub fn sort_preferred(ids: &mut Vec<&str>) {
    ids.sort_by_key(|id| {
        let gnu = ["GPL-", "LGPL-", "AGPL-", "GFDL-"]
            .iter()
            .any(|p| id.starts_with(p));
        (
            is_deprecated(id),
            gnu && !id.ends_with("-or-later"),
            id.len(),
            id.to_string(),
        )
    });
    ids.dedup();
}

pub fn is_deprecated(id: &str) -> bool {
    spdx::license_id(id)
        .map(|l| l.is_deprecated())
        .or_else(|| spdx::exception_id(id).map(|e| e.is_deprecated()))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_knows_the_allow_list() {
        assert!(len() > 600, "{} texts", len());
        for id in ["Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause", "ISC"] {
            assert!(
                tables().texts.values().any(|k| k.id() == id),
                "{id} missing from known.tsv"
            );
        }
    }

    #[test]
    fn identical_texts_share_a_line_with_the_modern_id_first() {
        let out = generate(
            [
                ("GPL-2.0", "same text"),
                ("GPL-2.0-only", "same  TEXT"),
                ("GPL-2.0-or-later", "Same text."),
            ],
            "x",
        );
        let line = out.lines().find(|l| l.starts_with("text")).unwrap();
        assert!(
            line.ends_with("\tGPL-2.0-or-later GPL-2.0-only GPL-2.0"),
            "{line}"
        );
    }
}
