//! Where a licence text departs from the canonical text of the licence it resembles.

use super::normalise::tokens;

/// The first difference between a text and a canonical licence text, in normalised words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    /// 1-based line of the text where it departs.
    pub line: usize,
    /// The canonical words from there (a few).
    pub expected: String,
    /// The text's words from there (a few).
    pub found: String,
}

const SHOWN: usize = 8;

/// Compares `text` with the SPDX text of `id`; `None` when the id has no text or they agree.
pub fn first_difference(text: &str, id: &str) -> Option<Deviation> {
    let canonical = spdx::text::LICENSE_TEXTS
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(_, t)| *t)?;
    against(text, canonical)
}

pub fn against(text: &str, canonical: &str) -> Option<Deviation> {
    let ours = tokens(text);
    let theirs = tokens(canonical);
    let at = ours
        .iter()
        .zip(theirs.iter())
        .position(|((a, _), (b, _))| a != b)
        .or_else(|| (ours.len() != theirs.len()).then(|| ours.len().min(theirs.len())))?;
    let line = ours.get(at).or(ours.last()).map_or(1, |(_, line)| *line);
    let words = |v: &[(String, usize)]| {
        v.iter()
            .skip(at)
            .take(SHOWN)
            .map(|(w, _)| w.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some(Deviation {
        line,
        expected: words(&theirs),
        found: words(&ours),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_changed_word_and_its_line_are_reported() {
        let canonical = "Permission is hereby granted,\nfree of charge, to any person";
        let edited = "Permission is hereby granted,\nfor non-commercial use only, to any person";
        let d = against(edited, canonical).unwrap();
        assert_eq!(d.line, 2);
        assert!(d.expected.starts_with("free of charge"), "{d:?}");
        assert!(d.found.starts_with("for non commercial"), "{d:?}");
        assert_eq!(against(canonical, canonical), None);
    }

    #[test]
    fn shipped_texts_are_found_by_id() {
        let mit = spdx::text::LICENSE_TEXTS
            .iter()
            .find(|(n, _)| *n == "MIT")
            .unwrap()
            .1;
        let edited = mit.replace("free of charge", "for a fee");
        let d = first_difference(&edited, "MIT").unwrap();
        assert!(d.found.starts_with("for a fee"), "{d:?}");
    }
}
