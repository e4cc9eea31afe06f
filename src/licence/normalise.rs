//! Licence text normalisation for the hash tier: two texts that differ only in layout, case,
//! punctuation, a filled-in copyright line, a title line or the Apache appendix normalise to the
//! same words, and so to the same fingerprint.

/// The words of a licence text, lowercase, one space apart, with copyright lines, the title
/// lines above a leading copyright line and the Apache "how to apply" appendix left out.
pub fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (word, _) in tokens(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// The normalised words of a text, each with its 1-based line number.
pub fn tokens(text: &str) -> Vec<(String, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let lines = without_apache_appendix(&all);
    // A title ("The MIT License (MIT)") above the first copyright line is presentation.
    let start = lines
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .take(4)
        .position(|(_, l)| is_copyright_line(l))
        .and_then(|nth| {
            lines
                .iter()
                .enumerate()
                .filter(|(_, (_, l))| !l.trim().is_empty())
                .nth(nth)
                .map(|(i, _)| i)
        })
        .unwrap_or(0);
    let mut out = Vec::new();
    for (number, line) in &lines[start..] {
        if is_copyright_line(line) {
            continue;
        }
        push_words(line, *number, &mut out);
    }
    out
}

/// FNV-1a (64 bit) of the normalised words: stable across platforms and releases, so the shipped
/// table of known texts stays valid.
pub fn fingerprint(text: &str) -> u64 {
    fnv1a(words(text).as_bytes())
}

pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The lines without the Apache "how to apply" appendix, which ends at "limitations under the
/// License." (a file may go on with another licence after it).
pub(crate) fn without_apache_appendix<'a>(lines: &[(usize, &'a str)]) -> Vec<(usize, &'a str)> {
    let Some(start) = lines.iter().position(|(_, l)| is_apache_appendix(l)) else {
        return lines.to_vec();
    };
    let end = lines[start..]
        .iter()
        .position(|(_, l)| {
            l.trim()
                .eq_ignore_ascii_case("limitations under the license.")
        })
        .map_or(lines.len(), |i| start + i + 1);
    lines[..start]
        .iter()
        .chain(&lines[end..])
        .copied()
        .collect()
}

fn is_apache_appendix(line: &str) -> bool {
    let l = line.trim().to_ascii_lowercase();
    l.starts_with("appendix: how to apply the apache license")
}

/// `Copyright (c) 2024 Someone`, `(c) Mattermost, Inc. 2015-present.`, `© 2020 …`,
/// `Copyright [yyyy] [name of copyright owner]`, and a lone `All rights reserved.`
pub fn is_copyright_line(line: &str) -> bool {
    let l = line
        .trim()
        .trim_start_matches(['#', '*', '-', '/', ' '])
        .trim();
    let lower = l.to_lowercase();
    if lower == "all rights reserved." || lower == "all rights reserved" {
        return true;
    }
    // "(c) You must retain…" is a list item; "(c) Mattermost, Inc. 2015-present." is a notice.
    if lower.starts_with("(c)") || lower.starts_with('©') {
        return has_year(&lower) || lower.contains("[year]") || lower.contains("<year>");
    }
    let Some(rest) = lower.strip_prefix("copyright") else {
        return false;
    };
    let rest = rest.trim_start();
    // "Copyright notice" and "copyright owner" in running text are not copyright lines.
    rest.starts_with("(c)")
        || rest.starts_with('©')
        || rest.starts_with(|c: char| c.is_ascii_digit())
        || rest.starts_with('[')
        || rest.starts_with('<')
        || rest.starts_with("{")
        || (rest.chars().any(|c| c.is_ascii_digit()) && rest.len() < 120)
}

fn has_year(s: &str) -> bool {
    s.as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' || w[0] == b'2'))
}

fn push_words(line: &str, number: usize, out: &mut Vec<(String, usize)>) {
    for word in line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        let word = match lower.as_str() {
            "licence" => "license".to_string(),
            "licences" => "licenses".to_string(),
            "licenced" => "licensed".to_string(),
            "https" => "http".to_string(),
            _ => lower,
        };
        out.push((word, number));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIT: &str = "MIT License\n\nCopyright (c) <year> <copyright holders>\n\nPermission is hereby granted, free of charge.\n";

    #[test]
    fn filled_in_copyright_and_title_do_not_matter() {
        let real = "The MIT License (MIT)\n\nCopyright (c) 2017-present Mattermost, Inc.\n\n  Permission is hereby\n  granted, free of charge.";
        assert_eq!(words(MIT), "permission is hereby granted free of charge");
        assert_eq!(fingerprint(MIT), fingerprint(real));
    }

    #[test]
    fn apache_appendix_and_layout_are_normalised_away() {
        let body = "Apache License\nVersion 2.0, January 2004\nhttps://www.apache.org/licenses/\n\nEND OF TERMS AND CONDITIONS\n";
        let with_appendix = format!(
            "\n   {body}\n   APPENDIX: How to apply the Apache License to your work.\n\n   Copyright [yyyy] [name of copyright owner]\n"
        );
        assert_eq!(fingerprint(body), fingerprint(&with_appendix));
        assert_eq!(
            words(body),
            "apache license version 2 0 january 2004 http www apache org licenses end of terms and conditions"
        );
    }

    #[test]
    fn text_after_the_apache_appendix_is_kept() {
        let text = "Apache\nAPPENDIX: How to apply the Apache License to your work.\n  limitations under the License.\nGNU AFFERO";
        assert_eq!(words(text), "apache gnu affero");
    }

    #[test]
    fn running_text_about_copyright_is_kept() {
        assert!(!is_copyright_line(
            "copyright notice and this permission notice appear"
        ));
        assert!(is_copyright_line("Copyright 2018 Mattermost, Inc."));
        assert!(is_copyright_line("(c) Mattermost, Inc. 2015-present."));
        assert!(is_copyright_line(
            "Copyright (C) 1989, 1991 Free Software Foundation"
        ));
        assert!(!is_copyright_line(
            "     (c) You must retain, in the Source form of any Derivative Works"
        ));
        assert_ne!(fingerprint("a b c"), fingerprint("a b d"));
    }

    #[test]
    fn spelling_and_byte_order_mark() {
        assert_eq!(words("\u{feff}Licence: HTTPS"), "license http");
    }
}
