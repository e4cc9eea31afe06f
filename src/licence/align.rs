//! Which words of a text correspond to which words of a canonical licence text.
//!
//! Patience-style: word groups that occur exactly once in both stretches anchor the alignment
//! (the longest chain of anchors in the same order on both sides), and the stretches between
//! anchors are aligned the same way, down to an exact longest-common-subsequence for small
//! gaps. Linear-logarithmic in the words, so a text of several licences is aligned with each
//! candidate in about a millisecond.

use std::collections::HashMap;
use std::ops::Range;

/// `len` words equal from `a` in the text and from `b` in the canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub a: usize,
    pub b: usize,
    pub len: usize,
}

impl Run {
    pub fn a_end(&self) -> usize {
        self.a + self.len
    }
    pub fn b_end(&self) -> usize {
        self.b + self.len
    }
}

/// Gaps whose two sides multiply to at most this many cells are aligned exactly.
const EXACT_CELLS: usize = 40_000;
const MAX_DEPTH: usize = 48;

/// The runs of equal words, in order on both sides.
pub fn align(a: &[u64], b: &[u64]) -> Vec<Run> {
    let mut pairs = Vec::new();
    gap(a, 0..a.len(), b, 0..b.len(), &mut pairs, 0);
    let mut runs: Vec<Run> = Vec::new();
    for (x, y) in pairs {
        match runs.last_mut() {
            Some(r) if r.a_end() == x && r.b_end() == y => r.len += 1,
            _ => runs.push(Run { a: x, b: y, len: 1 }),
        }
    }
    runs
}

fn gap(
    a: &[u64],
    ar: Range<usize>,
    b: &[u64],
    br: Range<usize>,
    out: &mut Vec<(usize, usize)>,
    depth: usize,
) {
    let (mut a0, mut a1, mut b0, mut b1) = (ar.start, ar.end, br.start, br.end);
    while a0 < a1 && b0 < b1 && a[a0] == b[b0] {
        out.push((a0, b0));
        a0 += 1;
        b0 += 1;
    }
    let mut suffix = 0;
    while a1 > a0 && b1 > b0 && a[a1 - 1] == b[b1 - 1] {
        a1 -= 1;
        b1 -= 1;
        suffix += 1;
    }
    if a0 < a1 && b0 < b1 {
        if (a1 - a0) * (b1 - b0) <= EXACT_CELLS {
            exact(a, a0..a1, b, b0..b1, out);
        } else if depth < MAX_DEPTH {
            anchored(a, a0..a1, b, b0..b1, out, depth);
        }
    }
    for k in 0..suffix {
        out.push((a1 + k, b1 + k));
    }
}

fn gram(words: &[u64], at: usize, n: usize) -> u64 {
    words[at..at + n]
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, w| {
            (h ^ w).wrapping_mul(0x0100_0000_01b3).rotate_left(29)
        })
}

/// Counts and last position of each `n`-word group of a stretch.
fn grams(words: &[u64], r: &Range<usize>, n: usize) -> HashMap<u64, (u32, usize)> {
    let mut map: HashMap<u64, (u32, usize)> = HashMap::with_capacity(r.len());
    if r.len() >= n {
        for i in r.start..=r.end - n {
            let e = map.entry(gram(words, i, n)).or_insert((0, i));
            e.0 += 1;
            e.1 = i;
        }
    }
    map
}

fn anchored(
    a: &[u64],
    ar: Range<usize>,
    b: &[u64],
    br: Range<usize>,
    out: &mut Vec<(usize, usize)>,
    depth: usize,
) {
    for n in [4, 2, 1] {
        if ar.len() < n || br.len() < n {
            continue;
        }
        let in_b = grams(b, &br, n);
        let in_a = grams(a, &ar, n);
        let mut anchors: Vec<(usize, usize)> = in_a
            .iter()
            .filter(|(_, (count, _))| *count == 1)
            .filter_map(|(h, (_, pa))| match in_b.get(h) {
                Some((1, pb)) => Some((*pa, *pb)),
                _ => None,
            })
            .collect();
        if anchors.is_empty() {
            // The text repeats itself (one licence twice): groups unique in the canonical text,
            // at every place the text has them; the chain picks one consistent copy.
            if ar.len() >= n {
                for pa in ar.start..=ar.end - n {
                    let h = gram(a, pa, n);
                    if let (Some((1, pb)), Some((count, _))) = (in_b.get(&h), in_a.get(&h)) {
                        if *count <= 8 {
                            anchors.push((pa, *pb));
                        }
                    }
                }
            }
        }
        if anchors.is_empty() {
            continue;
        }
        anchors.sort_unstable();
        let chain = increasing(&anchors);
        let (mut pa, mut pb) = (ar.start, br.start);
        for (xa, xb) in chain {
            if xa < pa || xb < pb {
                continue;
            }
            gap(a, pa..xa, b, pb..xb, out, depth + 1);
            let mut k = 0;
            while xa + k < ar.end && xb + k < br.end && a[xa + k] == b[xb + k] {
                out.push((xa + k, xb + k));
                k += 1;
            }
            pa = xa + k;
            pb = xb + k;
        }
        gap(a, pa..ar.end, b, pb..br.end, out, depth + 1);
        return;
    }
}

/// The longest chain of pairs increasing in both coordinates (pairs sorted by the first).
fn increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new(); // index into pairs of the chain end of each length
    let mut prev: Vec<usize> = vec![usize::MAX; pairs.len()];
    for (i, &(_, y)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < y);
        if at > 0 {
            prev[i] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut i = tails.last().copied().unwrap_or(usize::MAX);
    while i != usize::MAX {
        chain.push(pairs[i]);
        i = prev[i];
    }
    chain.reverse();
    chain
}

/// Longest common subsequence of two small stretches.
fn exact(a: &[u64], ar: Range<usize>, b: &[u64], br: Range<usize>, out: &mut Vec<(usize, usize)>) {
    let (n, m) = (ar.len(), br.len());
    let w = m + 1;
    let mut t = vec![0u16; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i * w + j] = if a[ar.start + i] == b[br.start + j] {
                t[(i + 1) * w + j + 1] + 1
            } else {
                t[(i + 1) * w + j].max(t[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[ar.start + i] == b[br.start + j] {
            out.push((ar.start + i, br.start + j));
            i += 1;
            j += 1;
        } else if t[(i + 1) * w + j] >= t[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// The stretch of runs that best forms one match: each run adds its words and each gap
/// between two runs costs half its larger side, so stray anchors far away are left out.
pub fn best_segment(runs: &[Run]) -> Range<usize> {
    let mut best = 0..0;
    let mut best_score = f64::MIN;
    let (mut start, mut score) = (0, 0.0f64);
    for (i, r) in runs.iter().enumerate() {
        let len = r.len as f64;
        if i == 0 {
            score = len;
        } else {
            let p = runs[i - 1];
            let skipped = (r.a - p.a_end()).max(r.b - p.b_end()) as f64;
            let joined = score - 0.5 * skipped + len;
            if joined >= len {
                score = joined;
            } else {
                start = i;
                score = len;
            }
        }
        if score > best_score {
            best_score = score;
            best = start..i + 1;
        }
    }
    best
}

/// Words matched by a stretch of runs.
pub fn matched(runs: &[Run]) -> usize {
    runs.iter().map(|r| r.len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(s: &str) -> Vec<u64> {
        s.split(' ').map(super::super::tokens::hash).collect()
    }

    #[test]
    fn an_inserted_sentence_leaves_two_runs() {
        let canonical =
            ws("permission is hereby granted free of charge to any person obtaining a copy");
        let text = ws("permission is hereby granted for non commercial use only free of charge to any person obtaining a copy");
        let runs = align(&text, &canonical);
        assert_eq!(
            runs,
            [Run { a: 0, b: 0, len: 4 }, Run { a: 9, b: 4, len: 9 }]
        );
        assert_eq!(best_segment(&runs), 0..2);
    }

    #[test]
    fn a_licence_is_found_inside_a_longer_text() {
        let inner: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        let other: Vec<String> = (0..5000).map(|i| format!("x{}", i % 1499)).collect();
        let canonical = ws(&inner.join(" "));
        let text = ws(&format!("{} {}", other.join(" "), inner.join(" ")));
        let runs = align(&text, &canonical);
        let seg = best_segment(&runs);
        assert_eq!(matched(&runs[seg.clone()]), 3000);
        assert_eq!(runs[seg.start].a, 5000);
    }

    #[test]
    fn a_text_holding_one_licence_twice_aligns_with_one_copy() {
        let inner: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let once = inner.join(" ");
        let canonical = ws(&once);
        let text = ws(&format!("{once} and again {once}"));
        let runs = align(&text, &canonical);
        let seg = best_segment(&runs);
        assert_eq!(matched(&runs[seg]), 400);
    }
}
