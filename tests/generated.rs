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
fn readme_rule_table_is_current() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (s, e, _) = between(&readme, "<!-- rules:start -->\n", "<!-- rules:end -->");
    let expected = format!(
        "{}{}{}",
        &readme[..s],
        rules_table::markdown(),
        &readme[e..]
    );
    check("README.md", &expected);
}

#[test]
fn readme_example_is_the_tested_example() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (_, _, block) = between(
        &readme,
        "<!-- onboarding-example:start -->\n```yaml\n",
        "```\n<!-- onboarding-example:end -->",
    );
    let example = std::fs::read_to_string("tests/data/onboarding-example.yml").unwrap();
    assert_eq!(
        block, example,
        "the README's .onboarding.yml example and tests/data/onboarding-example.yml differ"
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
fn readme_workflow_is_the_checked_workflow() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (_, _, block) = between(
        &readme,
        "<!-- workflow-example:start -->\n```yaml\n",
        "```\n<!-- workflow-example:end -->",
    );
    let workflow = std::fs::read_to_string("examples/workflow.yml").unwrap();
    assert_eq!(
        block, workflow,
        "the README's workflow and examples/workflow.yml (which .ci/run checks with actionlint) differ"
    );
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
