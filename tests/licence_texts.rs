//! Licence identification on texts built from the shared corpus (`../shared/corpus/licences`):
//! licences with additional permissions, changed texts, presentation that is not a change,
//! several licences in one file, and notices.

use onboard::licence::{Detection, Detector, Method};

fn corpus(path: &str) -> String {
    let at = format!(
        "{}/../shared/corpus/licences/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&at).unwrap_or_else(|e| panic!("{at}: {e}"))
}

/// The classifier alone (no hash tier), so that each test exercises it.
fn classify(text: &str) -> Detection {
    (*Detector::default().classify_only(text)).clone()
}

fn expression(d: &Detection) -> &str {
    d.expression.as_deref().unwrap_or("NOASSERTION")
}

/// A plain licence text as Markdown: paragraphs on one line, short lines as headings, list
/// numbers and letters as bullets, emphasis, smart quotes.
fn markdown(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if joined.is_empty() {
            continue;
        }
        let words = joined.split(' ').count();
        let numbered = joined
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        let lettered = joined
            .split_once(") ")
            .is_some_and(|(n, _)| n.len() == 1 && n.chars().all(|c| c.is_ascii_lowercase()));
        let line = if words <= 8 && !joined.ends_with(',') {
            format!("### {joined}")
        } else if lettered {
            format!("- {}", joined.split_once(") ").unwrap().1)
        } else if numbered {
            format!("1. {}", joined.split_once(". ").unwrap().1)
        } else {
            joined
                .replacen("this License", "**this License**", 1)
                .replace('"', "\u{201c}")
        };
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out
}

#[test]
fn lgpl_3_alone_in_markdown_and_beside_gpl_3_is_lgpl_3() {
    // choosealicense.com publishes LGPL-3.0 as its own terms only (COPYING.LESSER): it
    // incorporates GPL-3.0 by reference, and the SPDX text is both.
    let lgpl = corpus("choosealicense/lgpl-3.0.txt");
    let gpl = corpus("choosealicense/gpl-3.0.txt");
    let alone = classify(&lgpl);
    assert_eq!(expression(&alone), "LGPL-3.0-or-later", "{alone:?}");
    assert_eq!(alone.method, Method::Classified);
    assert!(alone.alternatives.contains(&"LGPL-3.0-only".to_string()));
    let md = markdown(&lgpl);
    assert!(
        md.contains("### 0. Additional Definitions."),
        "{}",
        &md[..400]
    );
    let in_md = classify(&md);
    assert_eq!(expression(&in_md), "LGPL-3.0-or-later", "{in_md:?}");
    // COPYING then COPYING.LESSER in one file, as many projects ship them.
    let both = classify(&format!("{gpl}\n\n{lgpl}"));
    assert_eq!(expression(&both), "LGPL-3.0-or-later", "{both:?}");
    assert_eq!(both.parts.len(), 2);
    assert_eq!(both.parts[0].id, "GPL-3.0-or-later");
    // Through the hash tier too.
    let d = Detector::default();
    assert_eq!(
        d.detect_text(&lgpl).expression.as_deref(),
        Some("LGPL-3.0-or-later")
    );
}

#[test]
fn a_licence_and_an_exception_are_written_with() {
    let cases = [
        (
            "spdx/GPL-2.0-only.txt",
            "spdx-exceptions/Classpath-exception-2.0.txt",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
        ),
        (
            "spdx/GPL-3.0-only.txt",
            "spdx-exceptions/GCC-exception-3.1.txt",
            "GPL-3.0-or-later WITH GCC-exception-3.1",
        ),
        (
            "spdx/Apache-2.0.txt",
            "spdx-exceptions/LLVM-exception.txt",
            "Apache-2.0 WITH LLVM-exception",
        ),
    ];
    for (licence, exception, expected) in cases {
        let text = format!(
            "{}\n\n---- Exception ----\n\n{}",
            corpus(licence),
            corpus(exception)
        );
        let d = classify(&text);
        assert_eq!(expression(&d), expected, "{licence} + {exception}: {d:?}");
        assert_eq!(d.parts.len(), 2);
    }
    // An exception alone is named as itself, as the corpus labels it.
    let alone = classify(&corpus("spdx-exceptions/Classpath-exception-2.0.txt"));
    assert_eq!(expression(&alone), "Classpath-exception-2.0");
}

/// A corpus text with one line inserted after the line holding `after`; the inserted line's
/// number.
fn insert_after(text: &str, after: &str, line: &str) -> (String, usize) {
    let mut out = Vec::new();
    let mut at = 0;
    for (i, l) in text.lines().enumerate() {
        out.push(l.to_string());
        if at == 0 && l.contains(after) {
            out.push(line.to_string());
            at = i + 2;
        }
    }
    assert_ne!(at, 0, "`{after}` not found");
    (out.join("\n"), at)
}

#[test]
fn a_text_that_changes_terms_is_unknown_with_the_first_changed_line() {
    let cases = [
        (
            "spdx/MIT.txt",
            "Permission is hereby granted",
            "The Software may be used for non-commercial purposes only.",
            "MIT",
        ),
        (
            "spdx/Apache-2.0.txt",
            "2. Grant of Copyright License.",
            "This grant is limited to non-commercial use.",
            "Apache-2.0",
        ),
        (
            "spdx/BSD-3-Clause.txt",
            "Redistribution and use in source and binary forms",
            "Redistribution for a fee requires written permission.",
            "BSD-3-Clause",
        ),
    ];
    for (path, after, sentence, id) in cases {
        let (text, line) = insert_after(&corpus(path), after, sentence);
        for d in [
            classify(&text),
            (*Detector::new(0.8).detect_text(&text)).clone(),
        ] {
            assert_eq!(d.expression, None, "{path}: {d:?}");
            let dev = d.deviation.as_ref().expect("the changed line");
            assert_eq!(dev.id, id, "{path}: never another licence's name");
            assert_eq!(dev.line, line, "{path}: {dev:?}");
        }
    }
    // A word changed in the first sentence, restricting nothing by vocabulary alone.
    let mit = corpus("spdx/MIT.txt").replace(
        "to any person obtaining",
        "to any employee of Example Inc. obtaining",
    );
    let d = classify(&mit);
    assert_eq!(d.expression, None, "{d:?}");
    assert_eq!(d.deviation.as_ref().unwrap().id, "MIT");
    // `and` for `or` in a condition.
    let bsd = corpus("spdx/BSD-3-Clause.txt").replace("endorse or promote", "endorse and promote");
    assert_eq!(classify(&bsd).expression, None);
}

#[test]
fn a_licence_that_adds_a_sentence_to_another_is_itself() {
    // The JSON licence is MIT plus "The Software shall be used for Good, not Evil.": each is
    // named as itself, never as the other.
    assert_eq!(expression(&classify(&corpus("spdx/JSON.txt"))), "JSON");
    assert_eq!(expression(&classify(&corpus("spdx/MIT.txt"))), "MIT");
    // Apache-2.0 is not Pixar (Apache-2.0 with another trademark section), nor the reverse.
    assert_eq!(
        expression(&classify(&corpus("spdx/Apache-2.0.txt"))),
        "Apache-2.0"
    );
    assert_eq!(expression(&classify(&corpus("spdx/Pixar.txt"))), "Pixar");
}

#[test]
fn presentation_is_not_a_change() {
    // Filled-in holder and year, reflowed, as Markdown with bullets for numbers.
    let bsd = corpus("spdx/BSD-3-Clause.txt")
        .replace("<year> <owner>", "2024 Example Inc.")
        .replace("the copyright holder nor", "Example Inc. nor")
        .replace(
            "THE COPYRIGHT HOLDERS AND CONTRIBUTORS",
            "EXAMPLE INC. AND ITS CONTRIBUTORS",
        );
    let d = classify(&markdown(&bsd));
    assert_eq!(expression(&d), "BSD-3-Clause", "{d:?}");
    assert_eq!(d.score, 1.0);
    // choosealicense.com's MIT with its placeholders, reflowed to short lines.
    let mit = corpus("choosealicense/mit.txt")
        .replace("[year] [fullname]", "2017-present Mattermost, Inc.");
    let narrow: String = mit
        .split("\n\n")
        .map(|p| {
            let mut line = String::new();
            let mut out = String::new();
            for w in p.split_whitespace() {
                if line.len() + w.len() > 40 {
                    out.push_str(line.trim_end());
                    out.push('\n');
                    line.clear();
                }
                line.push_str(w);
                line.push(' ');
            }
            out + line.trim_end()
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    assert_eq!(expression(&classify(&narrow)), "MIT");
    // Apache-2.0 without its title, with the appendix filled in and a "how to apply" heading
    // broken over two lines.
    let apache = corpus("spdx/Apache-2.0.txt")
        .replacen("Apache License\n", "", 1)
        .replace(
            "APPENDIX: How to apply the Apache License to your work.",
            "APPENDIX: How to\napply the Apache License to your work.",
        )
        .replace("[yyyy] [name of copyright owner]", "2019 Example Inc.");
    assert_eq!(expression(&classify(&apache)), "Apache-2.0");
}

#[test]
fn a_calls_like_file_lists_its_licences_with_their_lines() {
    // A licensing statement, then Apache-2.0 and AGPL-3.0 in one text, as
    // mattermost-plugin-calls' LICENSE.txt has them.
    let preamble = "Example Licensing\n\nYou may be licensed to use the source code in one of two ways:\n\n1. Under the GNU AGPL v3.0, subject to the exceptions outlined in this policy; or\n2. Under a commercial license available from Example, Inc.\n\nYou are licensed to use the files in webapp/i18n/ under the Apache License v2.0.\n\n------------------------------------------------------------------------------\n\n";
    let apache = corpus("spdx/Apache-2.0.txt");
    let agpl = corpus("spdx/AGPL-3.0-only.txt");
    let text = format!("{preamble}{apache}\n------------------------------------------------------------------------------\n\n{agpl}");
    let d = classify(&text);
    assert_eq!(expression(&d), "Apache-2.0 AND AGPL-3.0-or-later", "{d:?}");
    let first_agpl_line = preamble.lines().count() + apache.lines().count() + 3;
    assert_eq!(d.parts.len(), 2);
    assert_eq!(d.parts[0].id, "Apache-2.0");
    assert_eq!(d.parts[0].lines.0, 12);
    assert_eq!(d.parts[1].lines.0, first_agpl_line, "{:?}", d.parts);
    assert_eq!(d.parts[1].lines.1, text.lines().count());
    assert_eq!(
        d.unmatched.first().map(|u| u.0),
        Some(1),
        "the statement is evidence"
    );
}

#[test]
fn a_notice_alone_names_its_licence() {
    let apache = corpus("spdx/Apache-2.0.txt");
    let start = apache.find("Licensed under the Apache License").unwrap();
    let end = apache.find("limitations under the License.").unwrap() + 30;
    let notice = format!("Copyright 2015 Someone\n\n{}\n", &apache[start..end]);
    let d = classify(&notice);
    assert_eq!(expression(&d), "Apache-2.0", "{d:?}");
    assert!(d.notice);
    // A notice that changes what it grants is not the licence's notice.
    let changed = notice.replace(
        "you may not use this file except",
        "you may not use this file for commercial purposes except",
    );
    assert_eq!(classify(&changed).expression, None);
}
