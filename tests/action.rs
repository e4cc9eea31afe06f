//! The GitHub Action's script (`scripts/action.sh`), run as the runner would run it: with
//! `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY` and `GITHUB_ACTION_PATH` set, the inputs as `INPUT_*`
//! variables, and the `onboard` built by this test run on `PATH` (`version: preinstalled`, or the
//! binary's own version number, so nothing is installed).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn plugin(files: &[(&str, &str)]) -> tempfile::TempDir {
    support::one_commit_repo(support::files(files))
}

const CLEAN: &[(&str, &str)] = &[
    (".onboarding.yml", support::REVIEWED),
    support::CI_WORKFLOW,
    support::PLUGIN_CODE,
    (
        "plugin.json",
        "{\"id\": \"com.example.hello\", \"name\": \"Hello\"}\n",
    ),
    ("LICENSE", "@data/licences/MIT.txt"),
    ("README.md", "# Hello\n"),
];

fn with(set: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut files: BTreeMap<&str, &str> = CLEAN.iter().copied().collect();
    files.extend(set.iter().copied());
    files.into_iter().collect()
}

struct Step {
    code: i32,
    stdout: String,
    outputs: BTreeMap<String, String>,
    summary: String,
}

/// Runs the script on `repo` with `inputs`; the summary file starts with an earlier step's text.
fn run_action(repo: &Path, inputs: &[(&str, &str)], action_path: &Path) -> Step {
    let runner = tempfile::tempdir().unwrap();
    let output = runner.path().join("output");
    let summary = runner.path().join("summary.md");
    std::fs::write(&output, "earlier=1\n").unwrap();
    std::fs::write(&summary, "## an earlier step\n").unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_onboard")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action.sh");
    let out = std::process::Command::new("bash")
        .arg(&script)
        .current_dir(runner.path())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_ACTION_PATH", action_path)
        .env("RUNNER_TEMP", runner.path())
        .env("INPUT_PATH", repo)
        .envs(inputs.iter().map(|(k, v)| (format!("INPUT_{k}"), *v)))
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.starts_with("earlier=1\n"), "outputs are appended");
    let outputs = text
        .lines()
        .skip(1)
        .map(|l| {
            let (k, v) = l.split_once('=').expect("name=value");
            (k.to_string(), v.to_string())
        })
        .collect();
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary.starts_with("## an earlier step\n"),
        "the summary is appended to"
    );
    let leftovers: Vec<PathBuf> = std::fs::read_dir(runner.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("onboard.")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files removed: {leftovers:?}"
    );
    Step {
        code: out.status.code().unwrap(),
        stdout: format!("{stdout}{stderr}"),
        outputs,
        summary,
    }
}

fn preinstalled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn deny_findings_fail_the_step_with_annotations_summary_outputs_and_sarif() {
    let repo = plugin(&with(&[(
        "plugin.json",
        "{\"id\": \"x\", \"name\": \"Hello\", \"extra\": 1}\n",
    )]));
    let sarif_dir = tempfile::tempdir().unwrap();
    let sarif = sarif_dir.path().join("out/onboard.sarif");
    let step = run_action(
        repo.path(),
        &[
            ("VERSION", "preinstalled"),
            ("SARIF_FILE", sarif.to_str().unwrap()),
        ],
        &preinstalled(),
    );
    assert_eq!(step.code, 1, "{}", step.stdout);
    assert!(
        step.stdout.contains("::error file=plugin.json,line=1"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout.contains("::warning file=plugin.json"),
        "{}",
        step.stdout
    );
    assert_eq!(step.outputs["findings"], "2", "one error, one warning");
    assert_eq!(step.outputs["gate-reached"], "none");
    assert_eq!(
        step.summary.matches("### Onboarding checklist").count(),
        1,
        "one summary"
    );
    assert!(
        step.summary
            .contains("| ❌ deny | OB103 `invalid-plugin-id`"),
        "{}",
        step.summary
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn gate_reached_is_what_status_reports() {
    let repo = plugin(CLEAN);
    let step = run_action(repo.path(), &[("VERSION", "preinstalled")], &preinstalled());
    assert_eq!(step.code, 0, "{}", step.stdout);
    assert_eq!(step.outputs["findings"], "0");
    let status = support::onboard(&["status", repo.path().to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let expected = v["highest_passed"].as_str().unwrap_or("none");
    assert_eq!(step.outputs["gate-reached"], expected);
    assert!(step.summary.contains("No findings."), "{}", step.summary);
}

#[test]
fn fail_on_warn_fails_on_warnings_and_deny_does_not() {
    let repo = plugin(&with(&[(
        "plugin.json",
        "{\"id\": \"com.example.hello\", \"name\": \"Hello\", \"extra\": 1}\n",
    )]));
    let step = run_action(repo.path(), &[("VERSION", "preinstalled")], &preinstalled());
    assert_eq!(
        step.code, 0,
        "warnings pass with fail-on: deny\n{}",
        step.stdout
    );
    assert_eq!(step.outputs["findings"], "1");

    let step = run_action(
        repo.path(),
        &[("VERSION", "preinstalled"), ("FAIL_ON", "warn")],
        &preinstalled(),
    );
    assert_eq!(step.code, 1, "{}", step.stdout);
    assert!(step
        .stdout
        .contains("::error title=onboard::warnings: 1, and fail-on is warn"));
    assert_eq!(step.outputs["findings"], "1");
}

#[test]
fn a_version_number_uses_a_matching_binary_without_building() {
    let repo = plugin(CLEAN);
    // An action path with nothing to build proves nothing was built.
    let empty = tempfile::tempdir().unwrap();
    let step = run_action(
        repo.path(),
        &[
            ("VERSION", env!("CARGO_PKG_VERSION")),
            ("GATE", "ci-extensions"),
            ("FORMAT", "human"),
        ],
        empty.path(),
    );
    assert_eq!(step.code, 0, "{}", step.stdout);
    assert!(!step.stdout.contains("cargo install"), "{}", step.stdout);
    assert!(
        step.stdout
            .contains("gate ci-extensions: 0 errors, 0 warnings"),
        "{}",
        step.stdout
    );
}

#[test]
fn bad_inputs_and_configuration_errors_exit_2() {
    let repo = plugin(CLEAN);
    for (input, value, message) in [
        (
            "FAIL_ON",
            "error",
            "fail-on must be deny or warn, not 'error'",
        ),
        (
            "FORMAT",
            "xml",
            "format must be github, human, json, sarif or markdown",
        ),
        (
            "VERSION",
            "latest",
            "version must be build, preinstalled or a version number",
        ),
    ] {
        let step = run_action(
            repo.path(),
            &[("VERSION", "preinstalled"), (input, value)],
            &preinstalled(),
        );
        assert_eq!(step.code, 2, "{input}={value}: {}", step.stdout);
        assert!(step.stdout.contains(message), "{}", step.stdout);
        assert!(step.outputs.is_empty());
    }

    let broken = plugin(&with(&[(".onboarding.yml", "version: 1\ngate: nope\n")]));
    let step = run_action(
        broken.path(),
        &[("VERSION", "preinstalled")],
        &preinstalled(),
    );
    assert_eq!(step.code, 2, "{}", step.stdout);
    assert_eq!(step.outputs["findings"], "1", "the configuration problem");
    assert_eq!(step.outputs["gate-reached"], "none");
    assert!(step
        .summary
        .contains("configuration problem stopped the run"));

    let step = run_action(
        repo.path(),
        &[("VERSION", "preinstalled"), ("CHANGED_FROM", "no-such-ref")],
        &preinstalled(),
    );
    assert_eq!(step.code, 2, "{}", step.stdout);
    assert!(step
        .stdout
        .contains("cannot compare with `--changed-from no-such-ref`"));
    assert_eq!(step.outputs["findings"], "0");
}
