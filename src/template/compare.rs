//! Comparing a plugin file with the template versions of its path, by line hashes.

use super::index::{BlobKind, TemplateIndex};

/// A plugin file's lines as the index sees them.
pub struct Lines {
    /// Line hash position in the index, `None` for a line no template blob has.
    pub positions: Vec<Option<u32>>,
    /// `(position, occurrences)`, by position, for the lines the index knows.
    pub known: Vec<(u32, u32)>,
    pub unknown: u32,
}

impl Lines {
    pub fn of(index: &TemplateIndex, bytes: &[u8]) -> Lines {
        let positions: Vec<Option<u32>> = super::line_hashes(bytes)
            .into_iter()
            .map(|h| index.hash(h))
            .collect();
        let mut known: Vec<u32> = positions.iter().flatten().copied().collect();
        known.sort_unstable();
        let mut grouped: Vec<(u32, u32)> = Vec::new();
        for p in known {
            match grouped.last_mut() {
                Some((q, n)) if *q == p => *n += 1,
                _ => grouped.push((p, 1)),
            }
        }
        let unknown = positions.iter().filter(|p| p.is_none()).count() as u32;
        Lines {
            positions,
            known: grouped,
            unknown,
        }
    }

    pub fn count(&self) -> u32 {
        self.positions.len() as u32
    }

    /// Lines not found in the blob's line multiset (all of them when the blob has no line
    /// hashes).
    pub fn added_against(&self, index: &TemplateIndex, blob: u32) -> u32 {
        let b = &index.blobs[blob as usize];
        if b.kind != BlobKind::Text {
            return self.count();
        }
        let mut added = self.unknown;
        let mut j = 0;
        for &(pos, n) in &self.known {
            while j < b.multiset.len() && b.multiset[j].0 < pos {
                j += 1;
            }
            let have = match b.multiset.get(j) {
                Some(&(p, t)) if p == pos => t,
                _ => 0,
            };
            added += n.saturating_sub(have);
        }
        added
    }

    /// Which lines are the template's: of `k` equal lines where the blob has `t`, the first
    /// `min(k, t)` are; the others are added.
    pub fn template_lines(&self, index: &TemplateIndex, blob: u32) -> Vec<bool> {
        let b = &index.blobs[blob as usize];
        if b.kind != BlobKind::Text {
            return vec![false; self.positions.len()];
        }
        let mut left: std::collections::HashMap<u32, u32> = b.multiset.iter().copied().collect();
        self.positions
            .iter()
            .map(|p| match p.and_then(|p| left.get_mut(&p)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            })
            .collect()
    }
}

/// The version of a template path nearest to a file: the fewest added lines, the newest on
/// a tie. Returns (version position, added lines).
pub fn nearest(index: &TemplateIndex, path: usize, lines: &Lines) -> Option<(usize, u32)> {
    let versions = &index.paths.get(path)?.versions;
    let mut best: Option<(usize, u32)> = None;
    for (i, v) in versions.iter().enumerate() {
        let added = lines.added_against(index, v.blob);
        let better = match best {
            None => true,
            Some((j, a)) => added < a || (added == a && v.first_seen >= versions[j].first_seen),
        };
        if better {
            best = Some((i, added));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::index::{Blob, PathEntry, Version};

    fn index_of(versions: &[&str]) -> TemplateIndex {
        let mut hashes: Vec<u64> = versions
            .iter()
            .flat_map(|v| crate::template::line_hashes(v.as_bytes()))
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        let blobs = versions
            .iter()
            .enumerate()
            .map(|(i, v)| Blob {
                id: [i as u8; 20],
                kind: BlobKind::Text,
                lines: crate::template::line_count(v.as_bytes()) as u32,
                multiset: crate::template::multiset(&crate::template::line_hashes(v.as_bytes()))
                    .into_iter()
                    .map(|(h, n)| (hashes.binary_search(&h).unwrap() as u32, n))
                    .collect(),
            })
            .collect();
        TemplateIndex {
            hashes,
            blobs,
            paths: vec![PathEntry {
                path: "Makefile".into(),
                versions: (0..versions.len())
                    .map(|i| Version {
                        blob: i as u32,
                        first_seen: i as i64,
                        mainline: true,
                    })
                    .collect(),
            }],
            ..TemplateIndex::default()
        }
    }

    #[test]
    fn added_lines_against_the_nearest_version() {
        let index = index_of(&["a\nb\nc\n", "a\nb\nc\nd\ne\n", "x\n"]);
        let plugin = Lines::of(&index, b"a\nb\nc\nd\ne\nmine\n");
        assert_eq!(plugin.added_against(&index, 0), 3);
        assert_eq!(plugin.added_against(&index, 1), 1);
        assert_eq!(plugin.added_against(&index, 2), 6);
        assert_eq!(nearest(&index, 0, &plugin), Some((1, 1)));
    }

    #[test]
    fn repeated_lines_count_as_a_multiset() {
        let index = index_of(&["}\n}\nx\n"]);
        let plugin = Lines::of(&index, b"}\n}\n}\nx  \r\n");
        assert_eq!(plugin.added_against(&index, 0), 1);
        assert_eq!(
            plugin.template_lines(&index, 0),
            vec![true, true, false, true]
        );
    }
}
