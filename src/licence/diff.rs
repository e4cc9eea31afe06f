//! Where a licence text departs from the canonical text of a licence, word by word.

use super::align::align;
use super::index::canonical_text;
use super::tokens::Words;
pub use super::verify::Deviation;
use super::verify::{differences, first_material};

/// The first change of terms between a text and the SPDX text of `id`; `None` when the id has
/// no text or the two differ only in presentation.
pub fn first_difference(text: &str, id: &str) -> Option<Deviation> {
    against(text, canonical_text(id)?, id)
}

pub fn against(text: &str, canonical: &str, id: &str) -> Option<Deviation> {
    let (t, c) = (Words::new(text), Words::new(canonical));
    let runs = align(&t.hashes, &c.hashes);
    let diffs = differences(&t, 0..t.len(), &c, &runs, id);
    first_material(&t, &c, &diffs, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_changed_word_and_its_line_are_reported() {
        let canonical = "Permission is hereby granted,\nfree of charge, to any person";
        let edited = "Permission is hereby granted,\nfor non-commercial use only, to any person";
        let d = against(edited, canonical, "X").unwrap();
        assert_eq!(d.line, 2);
        assert!(d.expected.starts_with("free of charge"), "{d:?}");
        assert!(d.found.starts_with("for non commercial"), "{d:?}");
        assert_eq!(against(canonical, canonical, "X"), None);
    }

    #[test]
    fn shipped_texts_are_found_by_id() {
        let mit = canonical_text("MIT").unwrap();
        let edited = mit.replace("free of charge", "for a fee");
        let d = first_difference(&edited, "MIT").unwrap();
        assert!(d.found.starts_with("for a fee"), "{d:?}");
        assert_eq!(first_difference(mit, "MIT"), None);
    }
}
