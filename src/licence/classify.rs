//! The text classifier: the licences a text holds, each found by a short list of candidates
//! (the index's sketches) and confirmed word by word against its canonical text.
//!
//! A stretch of text is compared with each candidate; the candidate whose words it matches
//! best, above the threshold and with every difference presentation (see [`super::verify`]),
//! is a part of the file, and the text above and below that part is searched the same way.
//! A part that matches above the threshold but changes terms makes the whole answer unknown,
//! with the first changed line as evidence, and never the name of another licence. Text outside
//! every part is allowed when it is a title, a separator or the licence's own notice; a file of
//! one licence with anything else around it is unknown too, and a file of several may carry a
//! statement that names them (which is reported as unmatched lines).

use super::align::{self, Run};
use super::detect::{Candidate, Detection, Method, Part};
use super::index::{self, Entry, Kind};
use super::tokens::Words;
use super::verify::{self, Deviation, Difference};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::rc::Rc;

/// Texts with fewer words than this are not classified: no licence is that short, and a
/// handful of words match anything.
pub const MIN_WORDS: usize = 12;

/// How many licences one file may be split into.
const MAX_PARTS: usize = 6;

/// Candidates compared word by word per stretch of text: the best by estimated similarity and
/// the best by estimated words held, each this many.
const SHORTLIST: usize = 6;

/// Words a notice must match to count.
const MIN_NOTICE: usize = 25;

/// Below this estimated share of its groups in the text, a licence is not a candidate.
const MIN_CONTAINMENT: f32 = 0.25;

/// Hashes that are already well mixed need no further hashing in a set.
#[derive(Default)]
struct Identity(u64);
impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n) | (u64::from(n) << 32);
    }
}
type Set = HashSet<u32, BuildHasherDefault<Identity>>;

/// One candidate compared with one stretch of text.
struct Eval {
    entry: usize,
    /// The text words that stretch covers.
    span: Range<usize>,
    matched: usize,
    /// Similarity of the stretch and the canonical text: 2 × matched / (both lengths).
    score: f32,
    diffs: Vec<Difference>,
    changed: bool,
    /// The match goes well into the licence's optional ending (how to apply it), so text right
    /// after it is more of that advice.
    past_ending: bool,
}

/// Compares texts with canonical licence texts, keeping the canonical words it has read.
pub struct Classifier {
    threshold: f32,
    canonical: RefCell<HashMap<usize, Rc<Words>>>,
}

impl Classifier {
    pub fn new(threshold: f32) -> Self {
        Classifier {
            threshold,
            canonical: RefCell::new(HashMap::new()),
        }
    }

    fn words(&self, entry: usize) -> Rc<Words> {
        self.canonical
            .borrow_mut()
            .entry(entry)
            .or_insert_with(|| Rc::new(index::shipped().entries[entry].canonical()))
            .clone()
    }

    fn entry(&self, i: usize) -> &'static Entry {
        &index::shipped().entries[i]
    }

    /// Candidates for a stretch, compared word by word, best first: confirmed matches above
    /// the threshold (most words first), then the rest by similarity.
    fn evaluate(&self, t: &Words, region: Range<usize>) -> Vec<Eval> {
        let mut set = Set::default();
        index::shingles(t, region.clone(), |s| {
            set.insert(s);
        });
        if set.is_empty() {
            return Vec::new();
        }
        let n = region.len() as f32;
        let mut estimates: Vec<(usize, f32, f32)> = Vec::new();
        for (i, e) in index::shipped().entries.iter().enumerate() {
            if e.sketch.is_empty() {
                continue;
            }
            let hits = e.sketch.iter().filter(|s| set.contains(s)).count();
            let share = hits as f32 / e.sketch.len() as f32;
            if share < MIN_CONTAINMENT {
                continue;
            }
            let held = share * e.words as f32;
            estimates.push((i, held, 2.0 * held / (e.words as f32 + n)));
        }
        let mut shortlist: Vec<usize> = Vec::new();
        estimates.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        shortlist.extend(estimates.iter().take(SHORTLIST).map(|e| e.0));
        estimates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for e in estimates.iter().take(SHORTLIST) {
            if !shortlist.contains(&e.0) {
                shortlist.push(e.0);
            }
        }
        let mut evals = Vec::new();
        for entry in shortlist {
            let Some(eval) = self.compare(t, region.clone(), entry) else {
                continue;
            };
            let exact = eval.diffs.is_empty();
            evals.push(eval);
            if exact {
                break;
            }
        }
        let ok = |e: &Eval| !e.changed && e.score >= self.threshold;
        evals.sort_by(|a, b| {
            ok(b).cmp(&ok(a)).then_with(|| {
                if ok(a) && ok(b) {
                    b.matched.cmp(&a.matched).then(b.score.total_cmp(&a.score))
                } else {
                    b.score.total_cmp(&a.score)
                }
                .then(a.entry.cmp(&b.entry))
            })
        });
        evals
    }

    fn compare(&self, t: &Words, region: Range<usize>, entry: usize) -> Option<Eval> {
        let c = self.words(entry);
        if c.is_empty() {
            return None;
        }
        let mut runs = align::align(&t.hashes[region.clone()], &c.hashes);
        for r in &mut runs {
            r.a += region.start;
        }
        let seg = align::best_segment(&runs);
        let runs: Vec<Run> = runs[seg].to_vec();
        let (first, last) = (runs.first()?, runs.last()?);
        let span = first.a..last.a_end();
        let matched = align::matched(&runs);
        let e = self.entry(entry);
        // Most of the licence's terms must be there for the text to be it, or a changed copy
        // of it: a few shared phrases and a web address are not a licence.
        let terms = verify::ending_start(&c).min(c.len());
        if e.kind != Kind::Notice && (matched < MIN_WORDS || matched * 10 < terms * 6) {
            return None;
        }
        let mut diffs = verify::differences(t, span.clone(), &c, &runs, e.id());
        if e.kind == Kind::Notice {
            // A notice is a part of the "how to apply" section: the advice around it may be
            // left out, and it must be long enough to be more than a phrase.
            if matched < MIN_NOTICE {
                return None;
            }
            for d in &mut diffs {
                if d.text.is_empty() && (d.canonical.start == 0 || d.canonical.end == c.len()) {
                    d.kind = verify::Kind::Ending;
                }
            }
        }
        let changed = diffs.iter().any(|d| d.kind == verify::Kind::Material);
        // Similarity with presentation set aside: words in differences that are presentation
        // (a filled-in name, numbering, the optional ending) count on neither side.
        let (mut skip_t, mut skip_c) = (0, 0);
        for d in diffs.iter().filter(|d| d.kind != verify::Kind::Material) {
            skip_t += d.text.len();
            skip_c += d.canonical.len();
        }
        let total = (c.len() - skip_c.min(c.len())) + (span.len() - skip_t.min(span.len()));
        let score = if total == 0 {
            0.0
        } else {
            (2.0 * matched as f32 / total as f32).min(1.0)
        };
        let past_ending = last.b_end() > verify::ending_start(&c) + 20;
        Some(Eval {
            entry,
            past_ending,
            span,
            matched,
            score,
            diffs,
            changed,
        })
    }

    /// The first change of terms of a text against one candidate over the whole text (not only
    /// the stretch that matched best), for evidence.
    fn deviation(&self, t: &Words, entry: usize) -> Option<Deviation> {
        let c = self.words(entry);
        let runs = align::align(&t.hashes, &c.hashes);
        let id = self.entry(entry).id();
        let diffs = verify::differences(t, 0..t.len(), &c, &runs, id);
        verify::first_material(t, &c, &diffs, id)
    }

    pub fn classify(&self, text: &str) -> Detection {
        let t = Words::new(text);
        if t.len() < MIN_WORDS {
            return Detection::unknown(
                format!("{} words: too short to be a licence text", t.len()),
                Vec::new(),
            );
        }
        let mut parts: Vec<Eval> = Vec::new();
        let mut changed: Option<Eval> = None;
        let mut whole: Vec<Candidate> = Vec::new();
        let mut best_whole: Option<usize> = None;
        let mut todo: Vec<Range<usize>> = Vec::new();
        todo.push(0..t.len());
        while let Some(region) = todo.pop() {
            if parts.len() >= MAX_PARTS || region.len() < MIN_WORDS {
                continue;
            }
            let evals = self.evaluate(&t, region.clone());
            if region == (0..t.len()) {
                whole = evals
                    .iter()
                    .take(3)
                    .map(|e| Candidate {
                        id: self.entry(e.entry).id().to_string(),
                        score: round(e.score),
                    })
                    .collect();
                best_whole = evals.first().map(|e| e.entry);
            }
            let Some(best) = evals.into_iter().next() else {
                continue;
            };
            if best.score < self.threshold {
                continue;
            }
            todo.push(region.start..best.span.start);
            todo.push(best.span.end..region.end);
            if best.changed {
                if changed
                    .as_ref()
                    .is_none_or(|c| best.span.start < c.span.start)
                {
                    changed = Some(best);
                }
            } else {
                parts.push(best);
            }
        }
        parts.sort_by_key(|p| p.span.start);
        if let Some(c) = changed {
            let id = self.entry(c.entry).id();
            let canonical = self.words(c.entry);
            let deviation = verify::first_material(&t, &canonical, &c.diffs, id);
            return self.unknown_with(
                format!(
                    "the text resembles {id} ({:.2}) but changes its terms",
                    c.score
                ),
                vec![Candidate {
                    id: id.to_string(),
                    score: round(c.score),
                }],
                deviation,
                &t,
                &parts,
            );
        }
        if parts.is_empty() {
            let deviation = best_whole
                .filter(|_| whole.first().is_some_and(|c| c.score >= 0.5))
                .and_then(|e| self.deviation(&t, e));
            let reason = match &deviation {
                Some(d) => format!(
                    "the text resembles {} ({:.2}) but departs from it at line {}",
                    d.id,
                    whole.first().map_or(0.0, |c| c.score),
                    d.line
                ),
                None => format!(
                    "no licence text matches with a score of at least {:.2}",
                    self.threshold
                ),
            };
            return self.unknown_with(reason, whole, deviation, &t, &parts);
        }
        self.answer(&t, parts)
    }

    /// The detection for confirmed parts, once the text around them is judged.
    fn answer(&self, t: &Words, parts: Vec<Eval>) -> Detection {
        let mut unmatched: Vec<Range<usize>> = Vec::new();
        let mut at = 0;
        for p in &parts {
            if p.span.start > at {
                unmatched.push(at..p.span.start);
            }
            at = at.max(p.span.end);
        }
        if at < t.len() {
            unmatched.push(at..t.len());
        }
        let mut ids: Vec<&'static str> = Vec::new();
        for p in &parts {
            let id = self.entry(p.entry).id();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let mut stated: Vec<(usize, usize)> = Vec::new();
        for gap in &unmatched {
            let near = parts
                .iter()
                .min_by_key(|p| {
                    p.span
                        .start
                        .abs_diff(gap.end)
                        .min(p.span.end.abs_diff(gap.start))
                })
                .map(|p| p.entry)
                .unwrap_or(parts[0].entry);
            let near_id = self.entry(near).id();
            let unexplained: Vec<Range<usize>> = paragraphs(t, gap.clone())
                .into_iter()
                .filter(|p| {
                    !verify::harmless(t, p.clone(), near_id) && !self.notice(t, p.clone(), near)
                })
                .collect();
            let Some(first) = unexplained.first().cloned() else {
                continue;
            };
            // The end of a "how to apply" appendix the canonical text shortens; only licences
            // with such an appendix (the GNU family, not the permissive ones) get here.
            let after_appendix = parts
                .iter()
                .any(|p| p.span.end == gap.start && p.past_ending);
            if after_appendix && gap.len() <= 80 {
                continue;
            }
            if parts.len() > 1 && ids.iter().any(|id| verify::mentions(t, gap.clone(), id)) {
                stated.push((t.line(gap.start), t.line(gap.end - 1)));
                continue;
            }
            let words: Vec<&str> = (first.start..first.end.min(first.start + 8))
                .map(|i| t.word(i))
                .collect();
            let deviation = Deviation {
                id: near_id.to_string(),
                line: t.line(first.start),
                expected: String::new(),
                found: words.join(" "),
            };
            return self.unknown_with(
                format!(
                    "lines {}–{} are not part of the {} text and are more than a title",
                    t.line(first.start),
                    t.line(first.end - 1),
                    ids.join(", ")
                ),
                vec![Candidate {
                    id: near_id.to_string(),
                    score: round(parts.iter().map(|p| p.score).fold(1.0, f32::min)),
                }],
                Some(deviation),
                t,
                &parts,
            );
        }
        let expression = expression(
            &parts
                .iter()
                .map(|p| self.entry(p.entry))
                .collect::<Vec<_>>(),
        );
        let score = round(parts.iter().map(|p| p.score).fold(1.0, f32::min));
        let single = parts.len() == 1;
        Detection {
            expression: Some(expression),
            score,
            method: Method::Classified,
            alternatives: if single {
                self.entry(parts[0].entry).ids[1..]
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            } else {
                Vec::new()
            },
            parts: if single {
                Vec::new()
            } else {
                self.parts(t, &parts)
            },
            candidates: Vec::new(),
            reason: None,
            deviation: None,
            unmatched: stated,
            notice: single && self.entry(parts[0].entry).kind == Kind::Notice,
        }
    }

    fn parts(&self, t: &Words, parts: &[Eval]) -> Vec<Part> {
        parts
            .iter()
            .map(|p| Part {
                id: self.entry(p.entry).id().to_string(),
                score: round(p.score),
                lines: (t.line(p.span.start), t.line(p.span.end - 1)),
                notice: self.entry(p.entry).kind == Kind::Notice,
            })
            .collect()
    }

    fn unknown_with(
        &self,
        reason: String,
        candidates: Vec<Candidate>,
        deviation: Option<Deviation>,
        t: &Words,
        parts: &[Eval],
    ) -> Detection {
        let mut d = Detection::unknown(reason, candidates);
        d.deviation = deviation;
        if parts.len() > 1 {
            d.parts = self.parts(t, parts);
        }
        d
    }

    /// Whether a stretch is a notice quoted from a licence's own text (the Apache appendix's
    /// "Licensed under the Apache License, Version 2.0 …").
    fn notice(&self, t: &Words, gap: Range<usize>, entry: usize) -> bool {
        let e = self.entry(entry);
        let Some(text) = index::canonical_text(e.id()) else {
            return false;
        };
        let own = Words::with_appendix(text);
        let runs = align::align(&t.hashes[gap.clone()], &own.hashes);
        // Short runs are words any text shares; a quoted notice matches in long stretches.
        let quoted: usize = runs.iter().filter(|r| r.len >= 4).map(|r| r.len).sum();
        quoted * 10 >= gap.len() * 9
    }
}

/// A stretch of words split at blank lines.
fn paragraphs(t: &Words, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    for i in r.start + 1..r.end {
        if t.lines[i] > t.lines[i - 1] + 1 {
            out.push(start..i);
            start = i;
        }
    }
    if start < r.end {
        out.push(start..r.end);
    }
    out
}

/// The expression of a file's parts, top to bottom: a licence incorporated by another part
/// (GPL-3.0 beside LGPL-3.0's own terms) is that part's; an exception is written `WITH` on
/// the licence part before it (or after it, when it comes first); licences are joined by `AND`.
pub fn expression(parts: &[&Entry]) -> String {
    let incorporated: Vec<&str> = parts.iter().filter_map(|e| e.incorporates).collect();
    let licences: Vec<&Entry> = parts
        .iter()
        .copied()
        .filter(|e| e.kind != Kind::Exception && !incorporated.contains(&e.id()))
        .collect();
    let mut terms: Vec<String> = Vec::new();
    let mut with: HashMap<usize, Vec<&str>> = HashMap::new();
    for (i, e) in parts.iter().enumerate() {
        if e.kind != Kind::Exception {
            continue;
        }
        // The nearest licence part before it, else after it.
        let before = parts[..i]
            .iter()
            .rposition(|p| p.kind != Kind::Exception && licences.iter().any(|l| l.id() == p.id()));
        let after = parts[i + 1..]
            .iter()
            .position(|p| p.kind != Kind::Exception && licences.iter().any(|l| l.id() == p.id()))
            .map(|k| k + i + 1);
        match before.or(after) {
            Some(host) => with.entry(host).or_default().push(e.id()),
            None => terms.push(e.id().to_string()),
        }
    }
    for (i, e) in parts.iter().enumerate() {
        if e.kind == Kind::Exception || !licences.iter().any(|l| l.id() == e.id()) {
            continue;
        }
        let new: Vec<String> = match with.get(&i) {
            Some(exceptions) => exceptions
                .iter()
                .map(|x| format!("{} WITH {x}", e.id()))
                .collect(),
            None => vec![e.id().to_string()],
        };
        for term in new {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
    }
    terms.join(" AND ")
}

fn round(score: f32) -> f32 {
    (score * 1000.0).round() / 1000.0
}
