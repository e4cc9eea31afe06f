//! Generated files must match what the code generates. `ONBOARD_BLESS=1` rewrites them.

use onboard::report::rules_table;
use onboard::schemas;

fn check(path: &str, expected: &str) {
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    if actual == expected {
        return;
    }
    if std::env::var_os("ONBOARD_BLESS").is_some() {
        std::fs::write(path, expected).unwrap();
        return;
    }
    panic!("`{path}` is stale: run `ONBOARD_BLESS=1 cargo test --test generated` and commit the result");
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> (usize, usize, &'a str) {
    let s = text
        .find(start)
        .unwrap_or_else(|| panic!("marker {start} missing"))
        + start.len();
    let e = text[s..]
        .find(end)
        .unwrap_or_else(|| panic!("marker {end} missing"))
        + s;
    (s, e, &text[s..e])
}

#[test]
fn schema_files_are_current() {
    for name in schemas::NAMES {
        check(&schemas::file_name(name), &schemas::get(name).unwrap());
    }
}

#[test]
fn rules_reference_is_current() {
    check("docs/rules.md", &rules_table::reference());
}

#[test]
fn configuration_example_is_the_tested_example() {
    let page = std::fs::read_to_string("docs/configuration.md").unwrap();
    let (_, _, block) = between(
        &page,
        "<!-- onboarding-example:start -->\n```yaml\n",
        "```\n<!-- onboarding-example:end -->",
    );
    let example = std::fs::read_to_string("tests/data/onboarding-example.yml").unwrap();
    assert_eq!(
        block, example,
        "the .onboarding.yml example of docs/configuration.md and tests/data/onboarding-example.yml differ"
    );
}

#[test]
fn known_licence_texts_are_current() {
    let texts = spdx::text::LICENSE_TEXTS
        .iter()
        .chain(spdx::text::EXCEPTION_TEXTS.iter())
        .map(|(id, text)| (*id, *text));
    check(
        "src/licence/known.tsv",
        &onboard::licence::known::generate(texts, spdx::identifiers::VERSION),
    );
}

#[test]
fn licence_index_is_current() {
    let texts = spdx::text::LICENSE_TEXTS
        .iter()
        .map(|(id, text)| (*id, *text, false))
        .chain(
            spdx::text::EXCEPTION_TEXTS
                .iter()
                .map(|(id, text)| (*id, *text, true)),
        );
    check(
        "src/licence/index.tsv",
        &onboard::licence::index::generate(texts, spdx::identifiers::VERSION),
    );
}

#[test]
fn documented_workflow_is_the_checked_workflow() {
    let page = std::fs::read_to_string("docs/outputs.md").unwrap();
    let (_, _, block) = between(
        &page,
        "<!-- workflow-example:start -->\n```yaml\n",
        "```\n<!-- workflow-example:end -->",
    );
    let workflow = std::fs::read_to_string("examples/workflow.yml").unwrap();
    assert_eq!(
        block, workflow,
        "the workflow of docs/outputs.md and examples/workflow.yml (which .ci/run checks with actionlint) differ"
    );
}

/// GitHub's anchor for a Markdown heading: lower case, punctuation but `-` and `_` dropped,
/// spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn links_in_the_readme_and_docs_resolve() {
    let mut pages = vec![std::path::PathBuf::from("README.md")];
    for e in std::fs::read_dir("docs").unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            pages.push(p);
        }
    }
    // A link is `](target)` outside code blocks and code spans.
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let code_span = regex::Regex::new(r"`[^`]*`").unwrap();
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let dir = page.parent().unwrap();
        let mut in_code = false;
        let prose: String = text
            .lines()
            .filter(|l| {
                if l.trim_start().starts_with("```") {
                    in_code = !in_code;
                    return false;
                }
                !in_code
            })
            .map(|l| code_span.replace_all(l, "``").into_owned() + "\n")
            .collect();
        for c in link.captures_iter(&prose) {
            let target = &c[1];
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let file = if path.is_empty() {
                page.clone()
            } else {
                dir.join(path)
            };
            if !file.exists() {
                broken.push(format!("{}: {target}: no such file", page.display()));
            } else if !anchor.is_empty() {
                let linked = std::fs::read_to_string(&file).unwrap_or_default();
                if !anchors(&linked).iter().any(|a| a == anchor) {
                    broken.push(format!("{}: {target}: no such heading", page.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_rule_has_its_section_in_the_reference() {
    // SARIF's helpUri points each rule at its section of docs/rules.md.
    let page = std::fs::read_to_string("docs/rules.md").unwrap();
    let anchors = anchors(&page);
    for rule in onboard::rules::REGISTRY {
        assert!(
            anchors.contains(&rules_table::anchor(rule)),
            "docs/rules.md has no section `{}`",
            rules_table::anchor(rule)
        );
    }
}

/// Example files tell editors their schema with a `yaml-language-server` modeline; onboard's own
/// schemas are named at this version's tag, as `$id` names them.
#[test]
fn schema_modelines_name_this_versions_schemas() {
    const MODELINE: &str = "# yaml-language-server: $schema=";
    let files = [
        "README.md",
        "tests/data/onboarding-example.yml",
        "examples/hello-plugin/.onboarding.yml",
        "examples/hello-plugin/.github/workflows/ci.yml",
        "examples/workflow.yml",
    ];
    for path in files {
        let text = std::fs::read_to_string(path).unwrap();
        let mut expected = String::new();
        let mut seen = false;
        for line in text.split_inclusive('\n') {
            let Some(url) = line.trim_end().strip_prefix(MODELINE) else {
                expected.push_str(line);
                continue;
            };
            seen = true;
            let ours = url
                .rsplit('/')
                .next()
                .and_then(|f| f.strip_suffix(".schema.json"))
                .filter(|_| url.contains("onboard"));
            match ours {
                Some(name) => {
                    assert!(schemas::NAMES.contains(&name), "{path}: {url}");
                    expected.push_str(&format!("{MODELINE}{}\n", onboard::links::schema(name)));
                }
                None => expected.push_str(line),
            }
        }
        assert!(seen || path == "README.md", "{path} has no schema modeline");
        check(path, &expected);
    }
}

#[test]
fn schema_ids_are_this_versions_and_one_draft() {
    for name in schemas::NAMES {
        let schema: serde_json::Value = serde_json::from_str(&schemas::get(name).unwrap()).unwrap();
        assert_eq!(schema["$id"], onboard::links::schema(name), "{name}");
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert!(
            schema.get("definitions").is_none(),
            "{name}: `$defs`, as 2020-12 names them"
        );
    }
}
