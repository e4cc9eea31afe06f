//! `.git/` is never content. `actions/checkout` keeps the job's token in `.git/config`
//! (`http.https://github.com/.extraheader`); a remote URL can carry credentials too. No symbolic
//! link, configuration key or tree entry that leads into the git directory may bring any of it
//! to any output of any command, in any format, on the working tree or at a revision; each
//! such path is a finding or a configuration error that says so, at its span.

use super::harness::{Run, Sandbox};

const SECRET: &str = "SECRET-TOKEN-d5f0c3";

/// The sample plugin with the token where actions/checkout puts it, and in the remote URL.
fn with_token() -> Sandbox {
    let sb = Sandbox::plugin();
    sb.git(
        &sb.repo,
        &[
            "config",
            "http.https://github.com/.extraheader",
            &format!("AUTHORIZATION: basic {SECRET}"),
        ],
    );
    sb.git(
        &sb.repo,
        &[
            "remote",
            "add",
            "origin",
            &format!(
                "https://x-access-token:{SECRET}@github.com/mattermost/mattermost-plugin-hello.git"
            ),
        ],
    );
    sb
}

fn link(sb: &Sandbox, path: &str, target: &str) {
    let p = sb.repo.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&p);
    std::os::unix::fs::symlink(target, &p).unwrap();
}

/// Every command and format that reads the repository, with `extra` (`--rev HEAD`) where the
/// command takes it; the job summary's file content is one more output.
fn every_output(sb: &Sandbox, extra: &[&str]) -> Vec<(String, Run)> {
    let repo = sb.repo.to_str().unwrap();
    let summary = sb.outside.join("summary.md");
    let summary_arg = summary.to_str().unwrap();
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
    commands.push(vec!["lint", repo, "--summary", summary_arg]);
    for format in ["human", "json", "markdown"] {
        commands.push(vec!["status", repo, "--format", format]);
    }
    commands.push(vec!["facts", repo]);
    commands.push(vec!["policy", "show", repo]);
    commands.push(vec!["policy", "show", repo, "--format", "json"]);
    commands.push(vec!["review-diff", repo]);
    commands.push(vec!["review-diff", repo, "--format", "stat"]);
    let mut out = Vec::new();
    for mut args in commands {
        args.extend(extra);
        let run = sb.run(&args);
        out.push((args.join(" "), run));
    }
    if extra.is_empty() {
        out.push(("init --stdout".into(), sb.run(&["init", repo, "--stdout"])));
    }
    let text = std::fs::read_to_string(&summary).unwrap_or_default();
    let _ = std::fs::remove_file(&summary);
    out.push((
        "the job summary".into(),
        Run {
            code: 0,
            stdout: text,
            stderr: String::new(),
            elapsed: Default::default(),
        },
    ));
    out
}

fn assert_no_secret(runs: &[(String, Run)]) {
    for (what, run) in runs {
        for stream in [&run.stdout, &run.stderr] {
            assert!(
                !stream.contains(SECRET) && !stream.contains("extraheader"),
                "{what} shows the git configuration:\n{stream}"
            );
        }
    }
}

#[test]
fn links_into_the_git_directory_are_never_followed() {
    let sb = with_token();
    link(&sb, "README.md", ".git/config");
    link(&sb, "LICENSE", "./server/../.git/config");
    link(&sb, ".github/workflows/ci.yml", "../../.git/config");
    link(&sb, "server/go.mod", "../.GIT/config");
    link(&sb, "webapp/package-lock.json", "../.git/config");
    link(&sb, "config.go", ".git");
    sb.commit_all(&sb.repo, "links into .git");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let said = "inside the git directory";
        c.finding("missing-readme", said);
        c.finding(
            "broken-licence-link",
            "`LICENSE` links to `./server/../.git/config`",
        );
        let facts = c.facts();
        let readme = facts["docs"]["readme_problem"].as_str().unwrap();
        assert!(
            readme.contains(
                "`README.md` is a symbolic link to `.git/config`, inside the git directory"
            ),
            "{readme}"
        );
        assert!(
            facts["files"]["licence_files"][0]["problem"]
                .as_str()
                .unwrap()
                .contains(said),
            "{}",
            facts["files"]
        );
        assert_no_secret(&every_output(&sb, extra));
    }
}

#[test]
fn configuration_keys_into_the_git_directory_are_errors_at_their_span() {
    let sb = with_token();
    let mut onboarding = std::fs::read_to_string(sb.repo.join(".onboarding.yml")).unwrap();
    onboarding.push_str(
        "docs:\n  readme: .git/config\n  setup: ./.GIT/config\n  security: docs/../.git/config\n\
         qa:\n  - { release: v1.0.0, by: qa, date: \"2026-01-02\", notes: .git/config }\n",
    );
    sb.write(".onboarding.yml", &onboarding);
    sb.commit_all(&sb.repo, "keys into .git");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.config_error(
            "invalid-onboarding-file",
            "`docs.readme`: `.git/config` is inside the git directory",
        );
        for key in ["docs.setup", "docs.security", "notes"] {
            let f = c.finding("invalid-onboarding-file", &format!("`{key}`: "));
            let m = f["message"].as_str().unwrap();
            assert!(m.contains("inside the git directory"), "{m}");
        }
        // At the span of the value.
        let f = c.finding("invalid-onboarding-file", "`docs.readme`");
        let line = onboarding
            .lines()
            .position(|l| l.contains("readme: .git/config"))
            .unwrap()
            + 1;
        assert_eq!(f["location"]["line"], line, "{f}");
        assert_no_secret(&every_output(&sb, extra));
    }
}

#[test]
fn policy_files_and_extends_into_the_git_directory_are_errors() {
    for (policies, policy_file, text) in [
        (
            "[.git/config]",
            None,
            "the policy file `.git/config` is inside the git directory",
        ),
        (
            "[ci/../.Git/config]",
            None,
            "the policy file `ci/../.Git/config` is inside the git directory",
        ),
        (
            "[ci/policy.yml]",
            Some("version: 1\nextends: ../.git/config\n"),
            "the policy file `.git/config` is inside the git directory",
        ),
    ] {
        let sb = with_token();
        let mut onboarding = std::fs::read_to_string(sb.repo.join(".onboarding.yml")).unwrap();
        onboarding.push_str(&format!("policies: {policies}\n"));
        sb.write(".onboarding.yml", &onboarding);
        if let Some(text) = policy_file {
            sb.write("ci/policy.yml", text);
        }
        sb.commit_all(&sb.repo, "policies into .git");
        for extra in [&[][..], &["--rev", "HEAD"][..]] {
            let c = sb.check_with(&sb.repo, extra);
            c.config_error("invalid-policy", text);
            assert_no_secret(&every_output(&sb, extra));
        }
    }
}

#[test]
fn a_template_index_in_the_git_directory_is_refused() {
    let sb = with_token();
    let onboarding = std::fs::read_to_string(sb.repo.join(".onboarding.yml"))
        .unwrap()
        .replace(
            "template: mattermost-plugin-starter-template",
            "template: .git/config",
        );
    sb.write(".onboarding.yml", &onboarding);
    sb.commit_all(&sb.repo, "template into .git");
    let c = sb.check(&sb.repo);
    let facts = c.facts();
    let error = facts["template"]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("inside the git directory"),
        "{}",
        facts["template"]
    );
    assert_no_secret(&every_output(&sb, &[]));
}

/// A tree crafted to hold `.GIT/config` (git refuses to make one; libgit2 writes what it is
/// given), and a README linking to it: a case-insensitive checkout would write that file into
/// the git directory, so it is not a file of the plugin either.
#[test]
fn a_tree_holding_a_git_directory_in_another_case() {
    let sb = with_token();
    let repo = git2::Repository::open(&sb.repo).unwrap();
    let blob = repo
        .blob(format!("[core]\n\tsecret = {SECRET}\n").as_bytes())
        .unwrap();
    let link = repo.blob(b".GIT/config").unwrap();
    let odb = repo.odb().unwrap();
    // libgit2's tree builder refuses such names: the trees are written as raw objects.
    let inner = odb
        .write(
            git2::ObjectType::Tree,
            &raw_tree(&[("100644", "config", blob)]),
        )
        .unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let mut entries: Vec<(String, String, git2::Oid)> = head
        .tree()
        .unwrap()
        .iter()
        .filter(|e| e.name() != Some("README.md"))
        .map(|e| {
            (
                format!("{:o}", e.filemode()),
                e.name().unwrap().to_string(),
                e.id(),
            )
        })
        .collect();
    entries.push(("40000".into(), ".GIT".into(), inner));
    entries.push(("120000".into(), "README.md".into(), link));
    let entries: Vec<(&str, &str, git2::Oid)> = entries
        .iter()
        .map(|(m, n, id)| (m.as_str(), n.as_str(), *id))
        .collect();
    let root = odb
        .write(git2::ObjectType::Tree, &raw_tree(&entries))
        .unwrap();
    let root = repo.find_tree(root).unwrap();
    let when = git2::Time::new(1_767_225_600, 0);
    let sig = git2::Signature::new("Onboard Tests", "tests@example.com", &when).unwrap();
    repo.commit(
        Some("refs/heads/crafted"),
        &sig,
        &sig,
        "crafted",
        &root,
        &[&head],
    )
    .unwrap();
    let c = sb.check_with(&sb.repo, &["--rev", "crafted"]);
    c.exit(1);
    c.finding("missing-readme", "inside the git directory");
    let listed = c.facts()["template"].to_string();
    assert!(!listed.contains(".GIT/config"), "{listed}");
    assert_no_secret(&every_output(&sb, &["--rev", "crafted"]));
}

/// A tree object's bytes, entries in git's order (a folder sorts as if its name ended in `/`).
fn raw_tree(entries: &[(&str, &str, git2::Oid)]) -> Vec<u8> {
    let mut sorted = entries.to_vec();
    let key = |(mode, name, _): &(&str, &str, git2::Oid)| {
        let mut k = name.as_bytes().to_vec();
        if *mode == "40000" {
            k.push(b'/');
        }
        k
    };
    sorted.sort_by_key(key);
    let mut out = Vec::new();
    for (mode, name, id) in sorted {
        out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
        out.extend_from_slice(id.as_bytes());
    }
    out
}
