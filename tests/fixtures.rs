//! The fixture driver: every `tests/fixtures/*.yml` describes a repository and what `onboard lint`
//! must say about it. The driver builds the repository, lints it in every format, checks the exit
//! code and the exact set of findings, checks that nothing in the repository changed, and pins
//! each rendering with snapshots. It then runs `onboard status` in every format and checks the
//! checklist against `lint --gate G` for each gate.

mod support;

use onboard::rules::REGISTRY;
use serde::Deserialize;
use std::collections::BTreeSet;
use support::RepoSpec;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    description: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(flatten)]
    repo: RepoSpec,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    /// Every finding not waived, as `rule` or `rule path:line`.
    findings: Vec<String>,
    #[serde(default)]
    waived: Vec<String>,
    /// With `--changed-from`: the findings marked as in the change.
    #[serde(default)]
    in_change: Vec<String>,
}

struct Ran {
    name: String,
    exit: i32,
    rules_run: BTreeSet<String>,
    failed: BTreeSet<String>,
}

fn key(f: &serde_json::Value) -> String {
    let rule = f["rule"].as_str().unwrap();
    match f["location"].as_object() {
        Some(l) => format!("{rule} {}:{}", l["path"].as_str().unwrap(), l["line"]),
        None => rule.to_string(),
    }
}

/// Rewrites the fixture's `expect:` block (always last) from what the run found, for
/// `ONBOARD_BLESS=1`; the diff is then reviewed like any other change.
fn bless(
    path: &std::path::Path,
    text: &str,
    exit: i32,
    active: &[String],
    waived: &[String],
    in_change: &[String],
) -> bool {
    let start = text.find("\nexpect:\n").expect("an expect: block") + 1;
    let list = |name: &str, items: &[String]| {
        if items.is_empty() {
            format!("  {name}: []\n")
        } else {
            let mut v = items.to_vec();
            v.sort_by_key(|k| {
                let (rule, at) = k.split_once(' ').unwrap_or((k, ""));
                let (file, line) = at.rsplit_once(':').unwrap_or((at, "0"));
                (
                    file.to_string(),
                    line.parse::<usize>().unwrap_or(0),
                    rule.to_string(),
                )
            });
            format!(
                "  {name}:\n{}",
                v.iter().map(|i| format!("    - {i}\n")).collect::<String>()
            )
        }
    };
    let mut block = format!("expect:\n  exit: {exit}\n{}", list("findings", active));
    if !waived.is_empty() {
        block.push_str(&list("waived", waived));
    }
    if !in_change.is_empty() {
        block.push_str(&list("in_change", in_change));
    }
    let new = format!("{}{block}", &text[..start]);
    let changed = new != text;
    if changed {
        std::fs::write(path, new).unwrap();
    }
    changed
}

fn run_fixture(path: &std::path::Path) -> Ran {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let node = onboard::yaml::parse(&text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
    let fixture: Fixture =
        serde_json::from_value(node.to_json()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        !fixture.description.trim().is_empty(),
        "{name}: say what the fixture shows"
    );
    let dir = support::repo(&fixture.repo);
    let root = dir.path().to_str().unwrap().to_string();
    let before = support::snapshot_tree(dir.path());

    // One run per output format, all with the fixture's own arguments.
    let lint_as = |format: &str| {
        let mut args = vec![
            "lint".to_string(),
            root.clone(),
            "--format".into(),
            format.into(),
        ];
        args.extend(fixture.args.iter().cloned());
        support::onboard(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = lint_as("json");
    let report: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}\n{}", out.stdout, out.stderr));

    let findings = report["findings"].as_array().unwrap();
    let active: Vec<String> = findings
        .iter()
        .filter(|f| f["waived"].is_null())
        .map(key)
        .collect();
    let waived: Vec<String> = findings
        .iter()
        .filter(|f| !f["waived"].is_null())
        .map(key)
        .collect();
    let sorted = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    if std::env::var_os("ONBOARD_BLESS").is_some()
        && bless(
            path,
            &text,
            out.code,
            &active,
            &waived,
            &fixture.expect.in_change,
        )
    {
        return run_fixture(path);
    }
    assert_eq!(
        sorted(&active),
        sorted(&fixture.expect.findings),
        "{name}: findings\n{}",
        out.stdout
    );
    assert_eq!(
        sorted(&waived),
        sorted(&fixture.expect.waived),
        "{name}: waived findings"
    );
    assert_eq!(
        out.code, fixture.expect.exit,
        "{name}: exit code\n{}",
        out.stdout
    );
    assert_eq!(
        report["summary"]["exit_code"], fixture.expect.exit,
        "{name}: summary exit code"
    );
    assert_eq!(
        before,
        support::snapshot_tree(dir.path()),
        "{name}: the run changed the repository"
    );

    let rules_run: Vec<String> = report["rules_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    counts::check_rules_run(&name, &rules_run, findings, out.code);

    let redacted = counts::redact_rules_run(&out.stdout.replace(&root, "[repo]"));
    insta::assert_snapshot!(format!("{name}.json"), redacted);
    let human = lint_as("human");
    assert_eq!(human.code, out.code, "{name}: human and JSON runs disagree");
    insta::assert_snapshot!(
        format!("{name}.human"),
        counts::redact_rules_ran(&name, &human.stdout.replace(&root, "[repo]"), &rules_run)
    );

    // SARIF: one result per finding, same rules in the same order, each with a location.
    let sarif_out = lint_as("sarif");
    assert_eq!(
        sarif_out.code, out.code,
        "{name}: SARIF and JSON runs disagree"
    );
    let sarif: serde_json::Value = serde_json::from_str(&sarif_out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let codes = |v: &[serde_json::Value], k: &str| {
        v.iter()
            .map(|f| f[k].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(results, "ruleId"),
        codes(findings, "code"),
        "{name}: SARIF results"
    );
    let driver = &sarif["runs"][0]["tool"]["driver"];
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            driver["rules"][index]["id"], r["ruleId"],
            "{name}: ruleIndex points at the result's rule"
        );
    }
    // Code scanning drops a result without a location: every result has exactly one.
    for r in results {
        assert_eq!(
            r["locations"].as_array().map(Vec::len),
            Some(1),
            "{name}: SARIF result without one location: {r}"
        );
    }
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), REGISTRY.len(), "{name}: SARIF rule metadata");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    for (meta, rule) in rules.iter().zip(REGISTRY) {
        assert_eq!(meta["id"], rule.code);
        assert_eq!(
            meta["helpUri"],
            onboard::links::rule(&onboard::report::rules_table::anchor(rule)),
            "each rule its own help page"
        );
        assert!(
            !meta["fullDescription"]["text"].as_str().unwrap().is_empty(),
            "{}",
            rule.code
        );
    }
    // The rule metadata is the same in every run; the snapshot pins what this fixture found.
    let pinned = serde_json::to_string_pretty(&serde_json::json!({
        "results": results,
        "invocations": sarif["runs"][0]["invocations"],
    }))
    .unwrap();
    insta::assert_snapshot!(
        format!("{name}.sarif"),
        counts::redact_rule_index(&pinned.replace(&root, "[repo]"))
    );

    let gh = lint_as("github");
    assert_eq!(gh.code, out.code, "{name}: github and JSON runs disagree");
    let annotations = gh
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error ") || l.starts_with("::warning "))
        .count();
    let of_level = |l: &str| {
        findings
            .iter()
            .filter(|f| f["waived"].is_null() && f["level"] == l)
            .count()
    };
    let expected = of_level("deny").min(10) + of_level("warn").min(10);
    assert_eq!(
        annotations, expected,
        "{name}: one annotation per active finding, at most 10 per level"
    );
    insta::assert_snapshot!(format!("{name}.github"), gh.stdout.replace(&root, "[repo]"));

    // --changed-from: the marked findings are exactly the expected ones, and come first, in the
    // JSON and, within each level, in the annotations.
    let marked: Vec<String> = findings
        .iter()
        .filter(|f| f["in_change"] == true)
        .map(key)
        .collect();
    assert_eq!(
        sorted(&marked),
        sorted(&fixture.expect.in_change),
        "{name}: findings in the change"
    );
    if report["changes"].is_null() {
        assert!(findings.iter().all(|f| f["in_change"].is_null()), "{name}");
    } else {
        let flags: Vec<bool> = findings.iter().map(|f| f["in_change"] == true).collect();
        assert!(
            flags.windows(2).all(|w| w[0] >= w[1]),
            "{name}: changed first: {flags:?}"
        );
        let changed_files: Vec<&str> = report["changes"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        for kind in ["::error ", "::warning "] {
            let flags: Vec<bool> = gh
                .stdout
                .lines()
                .filter(|l| l.starts_with(kind))
                .map(|l| {
                    changed_files
                        .iter()
                        .any(|f| l.contains(&format!("file={f},")))
                })
                .collect();
            assert!(
                flags.windows(2).all(|w| w[0] >= w[1]),
                "{name}: {kind}annotations in changed files first: {flags:?}"
            );
        }
    }

    // Markdown: one table row per active finding, deny before warn.
    let md = lint_as("markdown");
    assert_eq!(md.code, out.code, "{name}: markdown and JSON runs disagree");
    let row_levels: Vec<&str> = md
        .stdout
        .lines()
        .filter_map(|l| {
            l.strip_prefix("| ❌ deny |")
                .map(|_| "deny")
                .or_else(|| l.strip_prefix("| ⚠️ warn |").map(|_| "warn"))
        })
        .collect();
    assert_eq!(
        row_levels.len(),
        of_level("deny") + of_level("warn"),
        "{name}: one row per active finding\n{}",
        md.stdout
    );
    assert!(
        row_levels.windows(2).all(|w| w[0] <= w[1]),
        "{name}: deny rows first"
    );
    insta::assert_snapshot!(
        format!("{name}.markdown"),
        counts::redact_rules_ran(&name, &md.stdout.replace(&root, "[repo]"), &rules_run)
    );

    check_status(&name, &root, &fixture.args, out.code);

    Ran {
        name,
        exit: out.code,
        rules_run: rules_run.into_iter().collect(),
        failed: findings
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect(),
    }
}

/// The fixture's arguments that `status` takes too (all but `--gate` and `--changed-from`).
fn status_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--gate" || a == "--changed-from" {
            it.next();
        } else {
            out.push(a.clone());
        }
    }
    out
}

/// `onboard status` in every format, checked against `lint --gate G` for each gate: a passed
/// gate lints clean, every deny finding of a gate's lint shows as a failing item, states agree
/// with their findings and evidence.
fn check_status(name: &str, root: &str, fixture_args: &[String], lint_exit: i32) {
    let extra = status_args(fixture_args);
    let run = |cmd: &str, more: &[&str]| {
        let mut args = vec![cmd, root];
        args.extend(more);
        args.extend(extra.iter().map(String::as_str));
        support::onboard(&args)
    };
    let st = run("status", &["--format", "json"]);
    if lint_exit == 2 {
        assert_eq!(st.code, 2, "{name}: status on a configuration error");
        assert!(st.stdout.is_empty(), "{name}: {}", st.stdout);
        assert!(
            st.stderr.contains("configuration problem"),
            "{name}: {}",
            st.stderr
        );
        insta::assert_snapshot!(
            format!("{name}.status-error"),
            st.stderr.replace(root, "[repo]")
        );
        return;
    }
    assert_eq!(st.code, 0, "{name}: status exit code\n{}", st.stderr);
    let status: serde_json::Value = serde_json::from_str(&st.stdout).unwrap();
    let gates = status["gates"].as_array().unwrap();
    let ids: Vec<&str> = gates.iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        onboard::finding::Gate::NAMES,
        "{name}: every gate, in order"
    );

    let mut previous_passed = true;
    let mut highest = serde_json::Value::Null;
    let mut failing_before: Vec<String> = Vec::new();
    let mut rules_run_at = std::collections::BTreeMap::new();
    for g in gates {
        let id = g["id"].as_str().unwrap();
        let lint = run("lint", &["--gate", id, "--format", "json"]);
        let report: serde_json::Value = serde_json::from_str(&lint.stdout).unwrap();
        let rules_run: Vec<String> = report["rules_run"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        counts::check_evidence(name, g, &rules_run);
        rules_run_at.insert(id.to_string(), rules_run);
        let passed = g["passed"].as_bool().unwrap();
        assert_eq!(
            passed,
            g["reason"].is_null(),
            "{name} {id}: a reason iff not passed"
        );
        if passed {
            assert_eq!(lint.code, 0, "{name} {id}: a passed gate lints clean");
            assert!(
                previous_passed,
                "{name} {id}: passed after a gate that is not"
            );
            highest = g["id"].clone();
        }
        previous_passed &= passed;
        let items: Vec<&serde_json::Value> = g["items"]
            .as_array()
            .unwrap()
            .iter()
            .chain(g["other_items"].as_array().unwrap())
            .collect();
        let mut failing_here = Vec::new();
        for item in &items {
            let state = item["state"].as_str().unwrap();
            let item_findings = item["findings"].as_array().unwrap();
            let denied = item_findings
                .iter()
                .any(|f| f["level"] == "deny" && f["waived"].is_null());
            assert_eq!(state == "fail", denied, "{name} {id}: {item}");
            match state {
                "pass" | "waived" => assert!(
                    !item["evidence"].as_array().unwrap().is_empty(),
                    "{name} {id}: a {state} rests on evidence: {item}"
                ),
                "unknown" => {
                    assert!(item["reason"].is_string(), "{name} {id}: {item}");
                    assert!(item["evidence"].as_array().unwrap().is_empty());
                    assert!(
                        item_findings.iter().all(|f| f["level"] == "warn"),
                        "{name} {id}: an unknown item may carry warnings only: {item}"
                    );
                }
                _ => {}
            }
            for f in item_findings {
                assert_eq!(f["item"], item["id"], "{name} {id}");
                if f["level"] == "deny" && f["waived"].is_null() {
                    failing_here.push(key(f));
                }
            }
        }
        // Every deny finding of `lint --gate G` is behind a failing item of G (or of an
        // earlier gate, where it already fails).
        for f in report["findings"].as_array().unwrap() {
            if f["level"] == "deny" && f["waived"].is_null() {
                let k = key(f);
                assert!(
                    failing_here.contains(&k) || failing_before.contains(&k),
                    "{name} {id}: `{k}` is not shown by status"
                );
            }
        }
        failing_before.extend(failing_here);
    }
    assert_eq!(
        status["highest_passed"], highest,
        "{name}: highest gate passed"
    );

    insta::assert_snapshot!(
        format!("{name}.status.json"),
        counts::redact_evidence(&st.stdout.replace(root, "[repo]"))
    );
    for format in ["human", "markdown"] {
        let out = run("status", &["--format", format]);
        assert_eq!(out.code, 0, "{name}: status --format {format}");
        // One heading line per gate, in order.
        let gate_lines: Vec<&str> = out
            .stdout
            .lines()
            .filter_map(|l| match format {
                "human" if !l.starts_with(' ') => l.split_whitespace().nth(1),
                "markdown" if l.starts_with("| ") => l.split("**").nth(1),
                _ => None,
            })
            .filter(|w| onboard::finding::Gate::NAMES.contains(w))
            .collect();
        assert_eq!(
            gate_lines,
            onboard::finding::Gate::NAMES,
            "{name}: status --format {format} shows every gate"
        );
        insta::assert_snapshot!(
            format!("{name}.status.{format}"),
            counts::redact_found_nothing(
                &format!("{name}: status --format {format}"),
                &out.stdout.replace(root, "[repo]"),
                &rules_run_at
            )
        );
    }
}

#[test]
fn fixtures() {
    let mut paths: Vec<_> = std::fs::read_dir("tests/fixtures")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    // `ONBOARD_FIXTURE=name` runs the fixtures whose name contains it, without the coverage
    // check (which needs them all).
    if let Some(only) = std::env::var_os("ONBOARD_FIXTURE") {
        let only = only.to_string_lossy().into_owned();
        paths.retain(|p| p.file_stem().unwrap().to_string_lossy().contains(&only));
        assert!(!paths.is_empty(), "no fixture matches `{only}`");
        for p in &paths {
            run_fixture(p);
        }
        return;
    }
    let ran: Vec<Ran> = paths.iter().map(|p| run_fixture(p)).collect();

    // Every rule has a fixture where it fires and one where it ran and stayed quiet.
    let mut missing = Vec::new();
    for rule in REGISTRY {
        let fails = ran.iter().any(|r| r.failed.contains(rule.code));
        let passes = ran.iter().any(|r| {
            r.exit != 2 && r.rules_run.contains(rule.code) && !r.failed.contains(rule.code)
        });
        if !fails {
            missing.push(format!("{} {}: no failing fixture", rule.code, rule.name));
        }
        if !passes {
            missing.push(format!("{} {}: no passing fixture", rule.code, rule.name));
        }
    }
    assert!(
        missing.is_empty(),
        "fixture coverage:\n{}\n(fixtures: {})",
        missing.join("\n"),
        ran.iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// Adding a rule must change only the snapshots of that rule's fixtures, so what every run
/// shows about the whole registry is redacted from the snapshots: the number of rules that ran,
/// the list of them, SARIF rule indexes, and the rules an item's pass rests on when they only
/// ran and found nothing. Each redacted value is checked here by an assertion instead.
mod counts {
    use onboard::rules::REGISTRY;
    use regex::Regex;
    use std::collections::BTreeMap;

    /// `rules_run` names registry rules, once each, in registry order, and every finding of a
    /// run that got past its configuration comes from one of them.
    pub fn check_rules_run(
        name: &str,
        rules_run: &[String],
        findings: &[serde_json::Value],
        exit: i32,
    ) {
        let positions: Vec<usize> = rules_run
            .iter()
            .map(|c| {
                REGISTRY
                    .iter()
                    .position(|r| r.code == c)
                    .unwrap_or_else(|| panic!("{name}: `{c}` in rules_run is no rule"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{name}: rules_run in registry order, once each: {rules_run:?}"
        );
        if exit != 2 {
            for f in findings {
                let code = f["code"].as_str().unwrap();
                assert!(
                    rules_run.iter().any(|c| c == code),
                    "{name}: `{code}` reported but not in rules_run"
                );
            }
        }
    }

    pub fn redact_rules_run(json: &str) -> String {
        let re = Regex::new(r#""rules_run": \[[^\]]*\]"#).unwrap();
        assert_eq!(re.find_iter(json).count(), 1, "one rules_run in {json}");
        re.replace(json, r#""rules_run": "[redacted]""#)
            .into_owned()
    }

    /// The summary line's `(N rules ran)` (human and Markdown) says how many rules ran.
    pub fn redact_rules_ran(name: &str, text: &str, rules_run: &[String]) -> String {
        let re = Regex::new(r"\((\d+) rules ran").unwrap();
        let counts: Vec<usize> = re
            .captures_iter(text)
            .map(|c| c[1].parse().unwrap())
            .collect();
        if !counts.is_empty() {
            assert_eq!(
                counts,
                [rules_run.len()],
                "{name}: the summary line counts the rules that ran"
            );
        }
        re.replace_all(text, "([N] rules ran").into_owned()
    }

    pub fn redact_rule_index(sarif: &str) -> String {
        Regex::new(r#""ruleIndex": \d+"#)
            .unwrap()
            .replace_all(sarif, r#""ruleIndex": "[index]""#)
            .into_owned()
    }

    /// The codes of the rules that ran at a gate and serve an item.
    fn serving(rules_run: &[String], item: &str) -> Vec<String> {
        rules_run
            .iter()
            .filter(|c| {
                REGISTRY
                    .iter()
                    .any(|r| r.code == c.as_str() && r.item.as_str() == item)
            })
            .cloned()
            .collect()
    }

    /// A judged item's rule evidence names exactly the rules serving it that ran at the gate
    /// and found nothing, in registry order.
    pub fn check_evidence(name: &str, gate: &serde_json::Value, rules_run: &[String]) {
        let id = gate["id"].as_str().unwrap();
        let items = gate["items"]
            .as_array()
            .unwrap()
            .iter()
            .chain(gate["other_items"].as_array().unwrap());
        for item in items {
            if item["state"] == "unknown" {
                continue;
            }
            let found: Vec<&str> = item["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["code"].as_str().unwrap())
                .collect();
            let expected: Vec<String> = serving(rules_run, item["id"].as_str().unwrap())
                .into_iter()
                .filter(|c| !found.contains(&c.as_str()))
                .collect();
            let mut got: Vec<String> = Vec::new();
            for e in item["evidence"].as_array().unwrap() {
                let code = e["code"].as_str().unwrap().to_string();
                if e["kind"] == "rule" && got.last() != Some(&code) {
                    got.push(code);
                }
            }
            assert_eq!(got, expected, "{name} {id}: rule evidence of {item}");
        }
    }

    /// Drops each item's "ran and found nothing" evidence: which rules those are is checked by
    /// [`check_evidence`].
    pub fn redact_evidence(status: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(status).unwrap();
        let mut pretty = serde_json::to_string_pretty(&v).unwrap();
        pretty.push('\n');
        assert_eq!(pretty, status, "status JSON is written pretty");
        for gate in v["gates"].as_array_mut().unwrap() {
            for list in ["items", "other_items"] {
                for item in gate[list].as_array_mut().unwrap() {
                    let evidence = item["evidence"].as_array_mut().unwrap();
                    let before = evidence.len();
                    evidence.retain(|e| {
                        e["kind"] != "rule"
                            || !e["text"]
                                .as_str()
                                .unwrap()
                                .ends_with(" ran and found nothing")
                    });
                    if evidence.len() < before {
                        evidence.insert(0, "[rules that ran and found nothing]".into());
                    }
                }
            }
        }
        let mut out = serde_json::to_string_pretty(&v).unwrap();
        out.push('\n');
        out
    }

    /// A passed item's `N rules found nothing at deny level` (or one rule's name) in the
    /// human and Markdown checklist names the rules serving the item that ran at the gate.
    pub fn redact_found_nothing(
        name: &str,
        text: &str,
        rules_run_at: &BTreeMap<String, Vec<String>>,
    ) -> String {
        let gate_line = Regex::new(r"^(?:\S+ |\| \S+ \*\*)([a-z-]+)").unwrap();
        let said = r"(\d+ rules|[a-z0-9-]+) found nothing at deny level";
        let human = Regex::new(&format!(r"^  \S (\S+) +pass +{said}")).unwrap();
        let markdown = Regex::new(&format!(r"^\| \| (\S+) \| \S+ pass \| {said}")).unwrap();
        let mut gate = String::new();
        for line in text.lines() {
            if let Some(c) = gate_line.captures(line) {
                if rules_run_at.contains_key(&c[1]) {
                    gate = c[1].to_string();
                    continue;
                }
            }
            let Some(c) = human.captures(line).or_else(|| markdown.captures(line)) else {
                continue;
            };
            let item = &c[1];
            let serving = serving(&rules_run_at[&gate], item);
            let what = &c[2];
            match what.strip_suffix(" rules") {
                Some(count) => assert_eq!(
                    count.parse::<usize>().unwrap(),
                    serving.len(),
                    "{name}: {gate} {item}: {line}"
                ),
                None => assert_eq!(
                    [onboard::rules::find(what).unwrap().code],
                    serving.iter().map(String::as_str).collect::<Vec<_>>()[..],
                    "{name}: {gate} {item}: {line}"
                ),
            }
        }
        Regex::new(said)
            .unwrap()
            .replace_all(text, "[rules] found nothing at deny level")
            .into_owned()
    }
}
