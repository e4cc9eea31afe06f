//! The job summary (`--summary FILE`, or `$GITHUB_STEP_SUMMARY`): appended, never truncated; the
//! checklist and the findings table; within GitHub's 1 MiB; and `onboard status` on its own.

mod support;

use support::{Commit, RepoSpec};

fn plugin(files: &[(&str, &str)]) -> tempfile::TempDir {
    support::one_commit_repo(support::files(files))
}

fn failing_plugin() -> tempfile::TempDir {
    plugin(&[
        (".onboarding.yml", "version: 1\n"),
        (
            "plugin.json",
            "{\"id\": \"x\", \"name\": \"Hello\", \"a|b\": 1}\n",
        ),
    ])
}

#[test]
fn github_step_summary_is_appended_to() {
    let dir = failing_plugin();
    let root = dir.path().to_str().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let summary = out_dir.path().join("summary.md");
    std::fs::write(&summary, "## an earlier step\n").unwrap();
    let env = [("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())];

    let out = support::onboard_with_env(&["lint", root, "--format", "github"], &env);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("::error "),
        "the step log keeps its own format"
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("## an earlier step\n### Onboarding checklist\n"),
        "{text}"
    );
    assert!(
        text.contains("| ❌ **ci-extensions** | | not passed |"),
        "{text}"
    );
    assert!(
        text.contains("### onboard lint: gate ci-extensions"),
        "{text}"
    );
    assert!(
        text.contains("| ❌ deny | OB103 `invalid-plugin-id` | basic-review | `plugin.json:1:8` |"),
        "{text}"
    );
    assert!(
        text.contains("manifest key `a\\|b`"),
        "a pipe in a message is escaped: {text}"
    );
    let status = support::onboard(&["status", root, "--format", "markdown"]);
    assert!(
        text.contains(&status.stdout),
        "the checklist is `status --format markdown`"
    );

    // A second run appends again.
    support::onboard_with_env(&["lint", root], &env);
    let again = std::fs::read_to_string(&summary).unwrap();
    assert!(again.starts_with(&text));
    assert_eq!(again.matches("### Onboarding checklist").count(), 2);

    // Empty means unset.
    let out = support::onboard_with_env(&["lint", root], &[("GITHUB_STEP_SUMMARY", "")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn summary_flag_writes_a_file_and_bad_paths_are_errors() {
    let dir = failing_plugin();
    let root = dir.path().to_str().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("pr.md");
    let out = support::onboard(&["lint", root, "--summary", file.to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("### onboard lint"));

    let missing = out_dir.path().join("no/such/dir/pr.md");
    let out = support::onboard(&["lint", root, "--summary", missing.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: cannot write the job summary to"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_nearly_full_summary_gets_what_fits_and_a_full_one_nothing() {
    let dir = failing_plugin();
    let root = dir.path().to_str().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("summary.md");
    let limit = 1024 * 1024;

    // Room for the checklist and headings but not for every row.
    let checklist = support::onboard(&["status", root, "--format", "markdown"]).stdout;
    let filler = limit - checklist.len() - 700;
    std::fs::write(&file, "x".repeat(filler)).unwrap();
    let out = support::onboard(&["lint", root, "--summary", file.to_str().unwrap()]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.len() <= limit, "{} bytes", text.len());
    assert!(text.contains("more finding"), "{}", &text[filler..]);
    assert!(text.contains("not shown: the job summary is limited to 1 MiB"));

    std::fs::write(&file, "x".repeat(limit - 10)).unwrap();
    let out = support::onboard(&["lint", root, "--summary", file.to_str().unwrap()]);
    assert_eq!(out.code, 1, "the verdict stands");
    assert!(out.stderr.contains("is full"), "{}", out.stderr);
    assert_eq!(std::fs::metadata(&file).unwrap().len() as usize, limit - 10);
}

#[test]
fn configuration_errors_summarise_without_a_checklist() {
    let dir = plugin(&[(".onboarding.yml", "version: 1\ngate: nope\n")]);
    let root = dir.path().to_str().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let file = out_dir.path().join("summary.md");
    let out = support::onboard(&["lint", root, "--summary", file.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("Onboarding checklist"));
    assert!(
        text.contains("**1 configuration problem stopped the run**"),
        "{text}"
    );

    for format in ["human", "json", "markdown"] {
        let out = support::onboard(&["status", root, "--format", format]);
        assert_eq!(out.code, 2, "status --format {format}");
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.contains("invalid-onboarding-file"),
            "{}",
            out.stderr
        );
    }
    let out = support::onboard(&["status", "/no/such/path"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}

#[test]
fn status_reads_a_revision_and_honours_overrides() {
    let dir = support::repo(&RepoSpec {
        shallow: false,
        remote: None,
        git: true,
        commits: vec![
            Commit {
                message: "v1".into(),
                files: [
                    (".onboarding.yml", "version: 1\n"),
                    (
                        "plugin.json",
                        r#"{"id": "com.example.hello", "name": "Hello"}"#,
                    ),
                ]
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
                tags: vec!["v1.0.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "licence".into(),
                files: [("LICENSE".to_string(), "@data/licences/MIT.txt".to_string())].into(),
                ..Commit::default()
            },
        ],
        worktree: Commit::default(),
    });
    let root = dir.path().to_str().unwrap();
    let state = |args: &[&str], gate: usize, item: &str| {
        let mut all = vec!["status", root, "--format", "json"];
        all.extend(args);
        let out = support::onboard(&all);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let items = v["gates"][gate]["items"].as_array().unwrap();
        items.iter().find(|i| i["id"] == item).unwrap()["state"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(state(&[], 0, "licence"), "pass");
    assert_eq!(state(&["--rev", "v1.0.0"], 0, "licence"), "fail");
    assert_eq!(
        state(
            &["--allow", "missing-licence-file", "--allow", "licence"],
            0,
            "licence"
        ),
        "unknown",
        "an item whose rules are all off is unknown, not passed"
    );
    assert_eq!(state(&[], 1, "pm-ux"), "fail", "no README");
}
