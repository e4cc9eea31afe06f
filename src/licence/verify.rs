//! Word-by-word verification: every difference between a text and the canonical text of the
//! licence it resembles is either presentation or a change of terms.
//!
//! Presentation: a filled-in placeholder or party name (`<copyright holder>` → `Google LLC`),
//! list numbering and bullets, a web address written differently, a one-word spelling slip, a
//! title, and the optional end of a licence (its "how to apply" appendix). Everything else, an
//! added sentence, a removed clause, another version number, is a change of terms: the text is
//! not that licence, and the first such difference is the evidence.

use super::align::Run;
use super::tokens::{Words, LINE_START, PLACEHOLDER, URL};
use schemars::JsonSchema;
use serde::Serialize;
use std::ops::Range;

/// Where a text departs from the canonical text of a licence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Deviation {
    /// The licence whose canonical text was compared.
    pub id: String,
    /// 1-based line of the text where it departs.
    pub line: usize,
    /// The canonical words from there (a few; empty when the text has words the licence lacks
    /// at its end).
    pub expected: String,
    /// The text's words from there (a few; empty when the text stops short).
    pub found: String,
}

/// What one difference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A placeholder or a party's name filled in.
    Placeholder,
    /// List numbers, letters or bullets.
    Numbering,
    /// A web address written differently.
    Address,
    /// One word spelled differently.
    Spelling,
    /// A title or a short line naming the licence, or the licence's own title left out.
    Title,
    /// The optional end of the licence (how to apply it) left out.
    Ending,
    /// A change of terms.
    Material,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub text: Range<usize>,
    pub canonical: Range<usize>,
    pub kind: Kind,
}

/// Words that restrict, condition or take away: a title, a name or a filled-in placeholder
/// holding one of them is not presentation.
const RESTRICTIVE: &[&str] = &[
    "not",
    "no",
    "non",
    "only",
    "except",
    "excluding",
    "exclusively",
    "unless",
    "commercial",
    "noncommercial",
    "prohibited",
    "prohibit",
    "prohibits",
    "forbidden",
    "forbid",
    "restrict",
    "restricted",
    "restriction",
    "restrictions",
    "must",
    "shall",
    "cannot",
    "fee",
    "fees",
    "pay",
    "paid",
    "payment",
    "royalty",
    "royalties",
    "revoke",
    "revoked",
    "revocable",
    "terminate",
    "terminated",
    "termination",
    "military",
    "never",
    "solely",
    "provided",
    "require",
    "requires",
    "required",
    "condition",
    "conditions",
    "consent",
    "approval",
    "personal",
    "evaluation",
    "trial",
    "internal",
    "sell",
    "resell",
];

/// Words that name a party in a licence (`the copyright holder`, `its contributors`), which
/// real texts replace with a name.
const PARTY_NOUNS: &[&str] = &[
    "copyright",
    "holder",
    "holders",
    "owner",
    "owners",
    "contributor",
    "contributors",
    "author",
    "authors",
    "regents",
    "university",
    "organization",
    "company",
    "licensor",
    "name",
    "names",
    "institute",
    "foundation",
];
const PARTY_WORDS: &[&str] = &["the", "and", "or", "of", "its", "their", "his", "her"];

pub fn restrictive(w: &str) -> bool {
    RESTRICTIVE.contains(&w)
}

fn any_restrictive(words: &Words, r: Range<usize>) -> bool {
    r.into_iter().any(|i| restrictive(words.word(i)))
}

/// Compares a stretch of text with a canonical text along the runs of an alignment (absolute
/// word indices on both sides), and lists every difference in text order.
pub fn differences(
    text: &Words,
    span: Range<usize>,
    canonical: &Words,
    runs: &[Run],
    id: &str,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let ending = ending_start(canonical);
    let (mut a, mut b) = (span.start, 0);
    for (i, r) in runs.iter().enumerate() {
        if r.a > a || r.b > b {
            let (t, c) = (a..r.a, b..r.b);
            let kind = if i == 0 {
                leading(text, t, canonical, c, id)
            } else if c.start >= ending {
                Kind::Ending
            } else if c.end <= title_end(canonical)
                && t.end <= span.start + 24
                && harmless(text, t.clone(), id)
                && harmless(canonical, c.clone(), id)
            {
                Kind::Title
            } else {
                hunk(text, t, canonical, c)
            };
            out.push(Difference {
                text: a..r.a,
                canonical: b..r.b,
                kind,
            });
        }
        a = r.a_end();
        b = r.b_end();
    }
    if a < span.end || b < canonical.len() {
        let kind = if runs.is_empty() {
            Kind::Material
        } else if b >= ending {
            Kind::Ending
        } else {
            trailing(text, a..span.end, canonical, b..canonical.len(), id)
        };
        out.push(Difference {
            text: a..span.end.max(a),
            canonical: b..canonical.len(),
            kind,
        });
    }
    out
}

/// The first change of terms, as evidence.
pub fn first_material(
    text: &Words,
    canonical: &Words,
    diffs: &[Difference],
    id: &str,
) -> Option<Deviation> {
    let d = diffs.iter().find(|d| d.kind == Kind::Material)?;
    Some(deviation(text, canonical, d, id))
}

pub fn deviation(text: &Words, canonical: &Words, d: &Difference, id: &str) -> Deviation {
    const SHOWN: usize = 8;
    let show = |w: &Words, r: &Range<usize>| {
        let end = (r.start + SHOWN).min(w.len());
        w.phrase(r.start.min(end)..end)
    };
    let at = if d.text.is_empty() && d.text.start > 0 {
        d.text.start - 1
    } else {
        d.text.start
    };
    Deviation {
        id: id.to_string(),
        line: text.line(at),
        expected: show(canonical, &d.canonical),
        found: if d.text.is_empty() && d.text.start >= text.len() {
            String::new()
        } else {
            show(text, &d.text)
        },
    }
}

fn hunk(text: &Words, t: Range<usize>, canonical: &Words, c: Range<usize>) -> Kind {
    if name_slot(text, t.clone(), canonical, c.clone())
        || left_blank(text, t.clone(), canonical, c.clone())
    {
        return Kind::Placeholder;
    }
    if repeated_title(text, t.clone(), canonical, c.clone()) {
        return Kind::Title;
    }
    // Years of a copyright statement quoted in the terms (`Copyright (c) 2001-2024 Python
    // Software Foundation; All Rights Reserved`), or `its` for `his`.
    let years = |w: &Words, r: Range<usize>| r.into_iter().all(|i| year(w.word(i)));
    if years(text, t.clone()) && years(canonical, c.clone()) {
        return Kind::Placeholder;
    }
    const POSSESSIVE: [&str; 4] = ["its", "his", "her", "their"];
    if t.len() == 1
        && c.len() == 1
        && POSSESSIVE.contains(&text.word(t.start))
        && POSSESSIVE.contains(&canonical.word(c.start))
    {
        return Kind::Placeholder;
    }
    if numbering(text, t.clone()) && numbering(canonical, c.clone()) {
        return Kind::Numbering;
    }
    let url = |w: &Words, r: Range<usize>| r.into_iter().all(|i| w.flags[i] & URL != 0);
    if url(text, t.clone()) && url(canonical, c.clone()) {
        return Kind::Address;
    }
    if t.len() == 1 && c.len() == 1 && spelling(text.word(t.start), canonical.word(c.start)) {
        return Kind::Spelling;
    }
    // One word written as two or joined (`dis-` / `tribute` across a line break,
    // `CC-licensed`): the same letters.
    let joined = |w: &Words, r: Range<usize>| r.map(|i| w.word(i)).collect::<String>();
    if !t.is_empty()
        && !c.is_empty()
        && t.len() + c.len() <= 6
        && joined(text, t.clone()) == joined(canonical, c.clone())
    {
        return Kind::Spelling;
    }
    // A possessive added or left out beside a filled-in name (`Dan Haim or his contributors`).
    const POSSESSIVES: [&str; 4] = ["its", "his", "her", "their"];
    let possessive =
        |w: &Words, r: Range<usize>| r.len() == 1 && POSSESSIVES.contains(&w.word(r.start));
    if (c.is_empty() && possessive(text, t.clone()))
        || (t.is_empty() && possessive(canonical, c.clone()))
    {
        return Kind::Placeholder;
    }
    Kind::Material
}

/// A placeholder or party name (`the copyright holder`) replaced by a short name that
/// restricts nothing.
fn name_slot(text: &Words, t: Range<usize>, canonical: &Words, c: Range<usize>) -> bool {
    if c.is_empty() || t.len() > 12 || any_restrictive(text, t.clone()) {
        return false;
    }
    let placeholder = |i: usize| canonical.flags[i] & PLACEHOLDER != 0;
    let all_placeholders = c.clone().all(placeholder);
    if t.is_empty() && !all_placeholders {
        return false;
    }
    let party = |i: usize| {
        placeholder(i)
            || PARTY_NOUNS.contains(&canonical.word(i))
            || PARTY_WORDS.contains(&canonical.word(i))
    };
    let names = |i: usize| placeholder(i) || PARTY_NOUNS.contains(&canonical.word(i));
    c.clone().all(party) && c.clone().any(names)
}

fn year(w: &str) -> bool {
    w.len() == 4
        && (w.starts_with("19") || w.starts_with("20"))
        && w.chars().all(|c| c.is_ascii_digit())
}

/// Where a canonical text's title block ends: its first paragraph, when that is at most 16
/// words (`Apache License / Version 2.0, January 2004 / http://www.apache.org/licenses/`).
fn title_end(canonical: &Words) -> usize {
    let n = canonical.len().min(17);
    let end = (1..n)
        .find(|&i| canonical.lines[i] > canonical.lines[i - 1] + 1)
        .unwrap_or(n);
    if end <= 16 {
        end
    } else {
        0
    }
}

/// The text leaves a placeholder (`[project]`, `<name of author>`) where the canonical text
/// names a product or party in a few words.
fn left_blank(text: &Words, t: Range<usize>, canonical: &Words, c: Range<usize>) -> bool {
    !t.is_empty()
        && t.len() <= 6
        && c.len() <= 6
        && t.clone().all(|i| text.flags[i] & PLACEHOLDER != 0)
        && !any_restrictive(canonical, c)
}

/// The licence's title repeated as a heading (`GNU GENERAL PUBLIC LICENSE` above the terms).
fn repeated_title(text: &Words, t: Range<usize>, canonical: &Words, c: Range<usize>) -> bool {
    let head = 0..canonical.len().min(30);
    c.is_empty()
        && !t.is_empty()
        && t.len() <= 12
        && !any_restrictive(text, t.clone())
        && t.into_iter()
            .all(|i| head.clone().any(|k| canonical.hashes[k] == text.hashes[i]))
}

/// List numbers, letters and roman numerals (at most three words); numbers only at the start
/// of a line, where they number a list.
fn numbering(words: &Words, r: Range<usize>) -> bool {
    if r.is_empty() {
        return true;
    }
    let numbers = r
        .clone()
        .any(|i| words.word(i).starts_with(|c: char| c.is_ascii_digit()));
    r.len() <= 3
        && (!numbers || words.flags[r.start] & LINE_START != 0)
        && r.into_iter().all(|i| enumerator(words.word(i)))
}

fn enumerator(w: &str) -> bool {
    (w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit()))
        || (w.len() == 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
        || matches!(
            w,
            "ii" | "iii" | "iv" | "vi" | "vii" | "viii" | "ix" | "xi" | "xii"
        )
}

/// One word spelled differently (`merchantibility`), not a different word.
fn spelling(a: &str, b: &str) -> bool {
    if a.len() < 5 || b.len() < 5 || restrictive(a) || restrictive(b) {
        return false;
    }
    if a.chars().any(|c| c.is_ascii_digit()) || b.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let limit = if a.len().min(b.len()) >= 8 { 2 } else { 1 };
    strsim::levenshtein(a, b) <= limit
}

/// The text before the licence starts, and the canonical words it starts after.
fn leading(text: &Words, t: Range<usize>, canonical: &Words, c: Range<usize>, id: &str) -> Kind {
    let short_title = |w: &Words, r: Range<usize>, limit: usize| {
        r.len() <= limit && !any_restrictive(w, r.clone()) && !contradicts(w, r, id)
    };
    // The canonical title may be left out, not more than a fifth of the text.
    let title_limit = 40.min(canonical.len() / 5);
    if harmless(text, t.clone(), id) && short_title(canonical, c.clone(), title_limit) {
        return Kind::Title;
    }
    if !t.is_empty() && !c.is_empty() {
        return hunk(text, t, canonical, c);
    }
    Kind::Material
}

/// The text after the licence ends, and the canonical words it leaves out.
fn trailing(text: &Words, t: Range<usize>, canonical: &Words, c: Range<usize>, id: &str) -> Kind {
    let text_ok =
        t.len() <= 30 && !any_restrictive(text, t.clone()) && !contradicts(text, t.clone(), id);
    if !text_ok {
        return if !c.is_empty() && t.len() <= 12 {
            hunk(text, t, canonical, c)
        } else {
            Kind::Material
        };
    }
    if c.is_empty() {
        return Kind::Title;
    }
    if optional_ending(canonical, c.start) {
        return Kind::Ending;
    }
    if c.len() <= 10 && !any_restrictive(canonical, c.clone()) {
        return Kind::Title;
    }
    if t.is_empty() {
        Kind::Material
    } else {
        hunk(text, t, canonical, c)
    }
}

/// Headings that end a licence's terms: what follows is advice on applying the licence (or,
/// in the Creative Commons licences, a notice about Creative Commons), not terms.
const ENDINGS: [&[&str]; 7] = [
    &["end", "of", "terms", "and", "conditions"],
    &["how", "to", "apply", "these", "terms"],
    &["how", "to", "apply", "this", "license"],
    &["appendix", "how", "to", "apply"],
    &["addendum", "how", "to", "use", "this", "license"],
    &[
        "exhibit", "a", "source", "code", "form", "license", "notice",
    ],
    &["creative", "commons", "is", "not", "a", "party"],
];

/// Where a canonical text's terms end: the first ending heading in its second half, or its
/// length.
pub fn ending_start(canonical: &Words) -> usize {
    let n = canonical.len();
    (n / 2..n)
        .find(|&q| {
            ENDINGS.iter().any(|m| {
                q + m.len() <= n
                    && m.iter()
                        .enumerate()
                        .all(|(k, w)| canonical.word(q + k) == *w)
            }) || end_of_licence(canonical, q)
        })
        .unwrap_or(n)
}

/// Where a canonical text's advice on applying it starts (all [`ENDINGS`] but the last), in its
/// second half: the section that holds the notice to put in files.
pub fn apply_start(canonical: &Words) -> Option<usize> {
    let n = canonical.len();
    (n / 2..n).find(|&q| {
        ENDINGS[..6].iter().any(|m| {
            q + m.len() <= n
                && m.iter()
                    .enumerate()
                    .all(|(k, w)| canonical.word(q + k) == *w)
        })
    })
}

/// `END OF ACADEMIC FREE LICENSE`: "end of", then "license" within a few words.
fn end_of_licence(canonical: &Words, q: usize) -> bool {
    let n = canonical.len();
    q + 3 < n
        && canonical.word(q) == "end"
        && canonical.word(q + 1) == "of"
        && (q + 2..n.min(q + 8)).any(|k| canonical.word(k) == "license")
}

/// Whether canonical words from `from` on are the licence's optional ending: they start at or
/// just before an ending heading.
pub fn optional_ending(canonical: &Words, from: usize) -> bool {
    ending_start(canonical) <= from + 3
}

/// A version in a title (`Version 2.1`, `v3`, `3-Clause`) that the licence id does not have.
fn contradicts(words: &Words, r: Range<usize>, id: &str) -> bool {
    let id_parts: Vec<String> = id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |n: &str| id_parts.iter().any(|p| p == n);
    let v: Vec<&str> = r.clone().map(|i| words.word(i)).collect();
    for (k, w) in v.iter().enumerate() {
        // `version 2 1`, `v 3`, `v3`
        let number = if (*w == "version" || *w == "v") && k + 1 < v.len() {
            Some(v[k + 1])
        } else if let Some(n) = w
            .strip_prefix('v')
            .filter(|n| n.chars().all(|c| c.is_ascii_digit()))
        {
            (!n.is_empty()).then_some(n)
        } else if k + 1 < v.len() && v[k + 1] == "clause" {
            Some(*w)
        } else {
            None
        };
        if let Some(n) = number.filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
            if !has(n) {
                return true;
            }
            // `2 1` for 2.1: the minor number must be there too.
            if (*w == "version" || *w == "v") && k + 2 < v.len() {
                let minor = v[k + 2];
                if minor.chars().all(|c| c.is_ascii_digit()) && minor != "0" && !has(minor) {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether a stretch of text is a title or a short line that restricts nothing and names no
/// other version than `id`'s: at most 30 words, or 60 when it names the licence ("This Font
/// Software is licensed under the SIL Open Font License, Version 1.1. This license is copied
/// below…").
pub fn harmless(words: &Words, r: Range<usize>, id: &str) -> bool {
    let limit = if mentions(words, r.clone(), id) {
        60
    } else {
        30
    };
    r.len() <= limit && !any_restrictive(words, r.clone()) && !contradicts(words, r, id)
}

/// Whether a stretch of text names a licence (`AGPL`, `Apache License`): the first part of its
/// id, or a distinctive word of its full name.
pub fn mentions(words: &Words, r: Range<usize>, id: &str) -> bool {
    const GENERIC: [&str; 17] = [
        "license",
        "public",
        "general",
        "the",
        "version",
        "only",
        "later",
        "software",
        "free",
        "open",
        "source",
        "and",
        "of",
        "or",
        "gnu",
        "with",
        "international",
    ];
    let prefix = id.split('-').next().unwrap_or(id).to_ascii_lowercase();
    let mut names: Vec<String> = vec![prefix];
    if let Some(l) = spdx::license_id(id) {
        names.extend(
            l.full_name
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_lowercase)
                .filter(|w| w.len() >= 4 && !GENERIC.contains(&w.as_str())),
        );
    }
    r.into_iter()
        .any(|i| names.iter().any(|n| n == words.word(i)))
}

#[cfg(test)]
mod tests {
    use super::super::align::{align, best_segment};
    use super::*;

    fn compare(text: &str, canonical: &str) -> Vec<Difference> {
        let (t, c) = (Words::new(text), Words::new(canonical));
        let runs = align(&t.hashes, &c.hashes);
        let seg = best_segment(&runs);
        differences(&t, 0..t.len(), &c, &runs[seg], "X")
    }

    fn kinds(text: &str, canonical: &str) -> Vec<Kind> {
        compare(text, canonical).iter().map(|d| d.kind).collect()
    }

    const BSD: &str = "Redistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met:\nNeither the name of the copyright holder nor the names of its contributors may be used to endorse or promote products derived from this software without specific prior written permission.\nTHIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\"";

    #[test]
    fn a_party_name_in_place_of_the_copyright_holder_is_presentation() {
        let named = BSD
            .replace("the copyright holder nor", "Google LLC nor")
            .replace(
                "THE COPYRIGHT HOLDERS AND CONTRIBUTORS",
                "THE REGENTS AND CONTRIBUTORS",
            );
        assert_eq!(kinds(&named, BSD), [Kind::Placeholder, Kind::Placeholder]);
        let restricted = BSD.replace(
            "the copyright holder nor",
            "Google LLC for non-commercial use nor",
        );
        assert_eq!(kinds(&restricted, BSD), [Kind::Material]);
    }

    #[test]
    fn and_for_or_is_a_change_of_terms() {
        let edited = BSD.replace("endorse or promote", "endorse and promote");
        assert_eq!(kinds(&edited, BSD), [Kind::Material]);
    }

    #[test]
    fn numbering_spelling_and_addresses_are_presentation() {
        let canonical = "Terms.\n\nThese are the terms of the licence.\n1. Grant.\nYou may copy the Work, see https://www.apache.org/licenses/ for merchantability of the Work.";
        let text = "Terms.\n\nThese are the terms of the licence.\n- Grant.\nYou may copy the Work, see http://apache.org/licenses for merchantibility of the Work.";
        assert_eq!(
            kinds(text, canonical),
            [Kind::Numbering, Kind::Address, Kind::Spelling]
        );
    }

    #[test]
    fn a_version_in_a_title_must_agree_with_the_licence() {
        let w = Words::new("BSD 3-Clause License");
        assert!(contradicts(&w, 0..w.len(), "BSD-2-Clause"));
        assert!(!contradicts(&w, 0..w.len(), "BSD-3-Clause"));
        let w = Words::new("Apache License, Version 2.0");
        assert!(!contradicts(&w, 0..w.len(), "Apache-2.0"));
        let w = Words::new("Academic Free License v. 2.1");
        assert!(contradicts(&w, 0..w.len(), "AFL-2.0"));
        assert!(!contradicts(&w, 0..w.len(), "AFL-2.1"));
    }

    #[test]
    fn the_first_change_is_evidence_with_its_line() {
        let canonical = "Permission is hereby granted,\nfree of charge, to any person";
        let text = "Permission is hereby granted,\nfor non-commercial use only, to any person";
        let (t, c) = (Words::new(text), Words::new(canonical));
        let runs = align(&t.hashes, &c.hashes);
        let diffs = differences(&t, 0..t.len(), &c, &runs, "MIT");
        let d = first_material(&t, &c, &diffs, "MIT").unwrap();
        assert_eq!(d.line, 2);
        assert!(d.expected.starts_with("free of charge"), "{d:?}");
        assert!(d.found.starts_with("for non commercial"), "{d:?}");
    }
}
