//! Output that a repository tries to hijack: terminal escapes (clear the screen, retitle the
//! window), NUL, BEL, a lone carriage return, a C1 control and a right-to-left override in every
//! value that reaches a finding (a record's commit and reviewer, a waiver's reason, a link in
//! the README, a licence file's name, the README's own bytes shown as a snippet), next to
//! backticks and raw HTML meant to end a Markdown code span and inject markup. Every format of
//! every command must show them escaped: no raw control byte anywhere, every GitHub output line
//! a workflow command, and no HTML in the Markdown but the report's own.

use super::harness::{Run, Sandbox};
use pulldown_cmark::{Event, Options, Parser};

/// What the values hold, as YAML and JSON escapes write it.
const YAML_PAYLOAD: &str =
    r#"\e[2J\e]0;pwned\a\0\r`</code><img src=x onerror=alert(1)>\x9b31m\u202e|x"#;
const JSON_PAYLOAD: &str =
    r#"\u001b[2J\u001b]0;pwned\u0007\u0000\r`</code><img src=x onerror=alert(1)>\u009b31m\u202e|x"#;
/// The part of it that must never appear as markup.
const HTML: &str = "<img src=x onerror=alert(1)>";

fn hostile() -> Sandbox {
    let sb = Sandbox::plugin();
    let onboarding = format!(
        "version: 1\ngate: ci-extensions\nowner: community\nlicence: Apache-2.0\n\
         reviews:\n  - {{ kind: basic, by: \"{YAML_PAYLOAD}\", commit: \"{YAML_PAYLOAD}\", date: \"2026-01-15\" }}\n\
         waivers:\n  - {{ rule: missing-pm-ux-review, reason: \"{YAML_PAYLOAD}\" }}\n"
    );
    sb.write(".onboarding.yml", onboarding);
    let manifest = std::fs::read_to_string(sb.repo.join("plugin.json"))
        .unwrap()
        .replace(
            "\"https://github.com/example/mattermost-plugin-hello/issues\"",
            &format!("\"http://example.com/{JSON_PAYLOAD}\""),
        )
        .replace("\"Hello\"", &format!("\"{JSON_PAYLOAD}\""));
    sb.write("plugin.json", manifest);
    let mut readme = std::fs::read(sb.repo.join("README.md")).unwrap();
    readme.extend_from_slice(
        b"\nRaw bytes: \x1b[2J\x1b]0;pwned\x07 NUL \x00 CR \r BEL \x07 C1 \xc2\x9b31m RLO \xe2\x80\xae.\n\n\
          [broken](docs/%1B%5B2J%07%60%3C%2Fcode%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%E2%80%AE.md)\n",
    );
    sb.write("README.md", readme);
    // A licence file whose name holds the escapes, and whose text is no licence.
    sb.write(
        "LICENSE-\x1b[2J`<b>x</b>\u{202e}",
        "All rights reserved, \x1b[2J `</code><img src=x onerror=alert(1)>.\n",
    );
    sb.commit_all(&sb.repo, "hostile values");
    sb
}

/// Every command and format, on the working tree and at `HEAD`.
fn every_output(sb: &Sandbox) -> Vec<(String, Run)> {
    let repo = sb.repo.to_str().unwrap();
    let summary = sb.outside.join("summary.md");
    let mut out = Vec::new();
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let mut commands: Vec<Vec<&str>> = Vec::new();
        for format in ["human", "json", "sarif", "github", "markdown"] {
            commands.push(vec![
                "lint",
                repo,
                "--gate",
                "marketplace",
                "--format",
                format,
            ]);
        }
        commands.push(vec!["lint", repo, "--summary", summary.to_str().unwrap()]);
        for format in ["human", "json", "markdown"] {
            commands.push(vec!["status", repo, "--format", format]);
        }
        commands.push(vec!["facts", repo]);
        commands.push(vec!["policy", "show", repo]);
        commands.push(vec!["review-diff", repo, "--format", "stat"]);
        for mut args in commands {
            args.extend(extra);
            let run = sb.run(&args);
            out.push((args.join(" "), run));
        }
        let text = std::fs::read_to_string(&summary).unwrap();
        std::fs::remove_file(&summary).unwrap();
        out.push((
            format!("the job summary {extra:?}"),
            Run {
                code: 0,
                stdout: text,
                stderr: String::new(),
                elapsed: Default::default(),
            },
        ));
    }
    out.push(("init --stdout".into(), sb.run(&["init", repo, "--stdout"])));
    out
}

/// A character that must not reach a terminal or a log as it is.
fn raw_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// The HTML a Markdown text holds, as a GitHub-flavoured reader parses it.
fn html_in(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES)
        .filter_map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn no_value_hijacks_any_output() {
    let sb = hostile();
    let runs = every_output(&sb);
    let mut payload_seen = 0;
    for (what, run) in &runs {
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            if let Some((i, c)) = text.char_indices().find(|&(_, c)| raw_control(c)) {
                let before: String = text[..i].chars().rev().take(80).collect();
                let before: String = before.chars().rev().collect();
                panic!("{what}: raw {c:?} in {stream} at byte {i}, after {before:?}");
            }
        }
        if run.stdout.contains("onerror") {
            payload_seen += 1;
        }
        if what.contains("--format markdown") || what.starts_with("the job summary") {
            let html = html_in(&run.stdout);
            assert!(
                html.iter().all(|h| {
                    let tag = h.trim();
                    ["<br>", "<details>", "</details>", "<summary>", "</summary>"]
                        .iter()
                        .any(|ok| tag.starts_with(ok))
                }),
                "{what}: HTML from the repository: {html:?}\n{}",
                run.stdout
            );
            assert!(!run.stdout.contains(HTML), "{what}:\n{}", run.stdout);
        }
        if what.contains("--format github") {
            for line in run.stdout.lines() {
                assert!(
                    line.starts_with("::") || line.starts_with("onboard: "),
                    "{what}: {line:?}"
                );
            }
        }
        if what.contains("--format json")
            || what.contains("--format sarif")
            || what.starts_with("facts")
        {
            run.json();
        }
    }
    // The values did reach the outputs (escaped): the test tests something.
    assert!(
        payload_seen >= 8,
        "the payload reached {payload_seen} outputs"
    );
    let human = &runs[0].1;
    assert!(human.stdout.contains("\\e[2J"), "{}", human.stdout);
    assert!(human.stdout.contains("\\u{202e}"), "{}", human.stdout);
}

#[test]
fn a_readme_snippet_is_shown_escaped_with_the_span_in_place() {
    let sb = Sandbox::plugin();
    let mut readme = std::fs::read(sb.repo.join("README.md")).unwrap();
    readme.extend_from_slice(b"\n\x1b[2J\x07\x00 before [gone](missing.md) after \x1b[31m\r\n");
    sb.write("README.md", readme);
    sb.commit_all(&sb.repo, "escapes before a broken link");
    let out = sb.run(&["lint", sb.repo.to_str().unwrap(), "--gate", "marketplace"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let shown = out
        .stdout
        .lines()
        .find(|l| l.contains("before [gone]"))
        .unwrap_or_else(|| panic!("no snippet:\n{}", out.stdout));
    assert!(
        shown.contains("\\e[2J\\a\\0 before [gone](missing.md) after \\e[31m"),
        "{shown:?}"
    );
    // The underline sits under the link as shown, escapes and all.
    let lines: Vec<&str> = out.stdout.lines().collect();
    let at = lines.iter().position(|l| *l == shown).unwrap();
    let column = |l: &str, needle: &str| l.find(needle).map(|b| l[..b].chars().count());
    let link = column(shown, "[gone]").unwrap();
    let underline = lines[at + 1];
    let mark = underline
        .char_indices()
        .find(|&(_, c)| c == '─' || c == '┬' || c == '^')
        .map(|(b, _)| underline[..b].chars().count())
        .unwrap_or_else(|| panic!("no underline: {underline:?}"));
    assert_eq!(mark, link, "{shown}\n{underline}");
}
