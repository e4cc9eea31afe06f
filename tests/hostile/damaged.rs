//! Damaged git data and misleading paths: what cannot be read is `unknown` with the reason,
//! never a failed verdict, and every message says what is true (a garbage line in
//! `packed-refs`, a non-hex `.git/shallow`, `--rev '@{-1}'`, tags whose objects are missing, a
//! README that is a folder, policy paths that leave the repository or are absolute, a
//! `core.worktree` pointing elsewhere).

use super::harness::Sandbox;
use serde_json::Value;

/// The state and reason of checklist item `id` in the `status --format json` output.
fn item(status: &Value, id: &str) -> (String, String) {
    for gate in status["gates"].as_array().unwrap() {
        for i in gate["items"].as_array().unwrap() {
            if i["id"] == id {
                return (
                    i["state"].as_str().unwrap().to_string(),
                    i["reason"].as_str().unwrap_or_default().to_string(),
                );
            }
        }
    }
    panic!("no item {id}: {status}");
}

#[test]
fn a_garbage_line_in_packed_refs_makes_release_unknown() {
    let sb = Sandbox::plugin();
    sb.git(&sb.repo, &["pack-refs", "--all"]);
    let packed = sb.repo.join(".git/packed-refs");
    let mut text = std::fs::read_to_string(&packed).unwrap();
    text.push_str("this line is not a reference\n");
    std::fs::write(&packed, text).unwrap();
    let c = sb.check(&sb.repo);
    c.exit(1);
    // Tags could not be listed: no verdict on them, and the reason is given.
    c.no_finding("missing-release-tag");
    let facts = c.facts();
    let why = facts["release"]["unavailable"].as_str().unwrap_or_default();
    assert!(
        why.contains("cannot list tags") && why.contains("release tags cannot be judged"),
        "{}",
        facts["release"]
    );
    let status = c.status_ok();
    let (state, reason) = item(&status, "release");
    assert_eq!(state, "unknown", "{reason}");
    assert!(reason.contains("cannot list tags"), "{reason}");
}

#[test]
fn a_non_hex_line_in_shallow_is_not_a_missing_repository() {
    let sb = Sandbox::plugin();
    std::fs::write(sb.repo.join(".git/shallow"), "not an object id\n").unwrap();
    let c = sb.check(&sb.repo);
    c.exit(1);
    let f = c.finding("git-unavailable", "git cannot open the repository");
    let m = f["message"].as_str().unwrap();
    assert!(!m.contains("not the root of a git repository"), "{m}");
    assert!(m.contains("line 1"), "git's reason is given: {m}");
    // The records items are unknown for git's reason too, not for a missing repository.
    let status = c.status_ok();
    for id in ["basic-review", "qa-release", "release"] {
        let (state, reason) = item(&status, id);
        assert_eq!(state, "unknown", "{id}: {reason}");
        assert!(
            reason.contains("git cannot open the repository") && reason.contains("line 1"),
            "{id}: {reason}"
        );
        assert!(!reason.contains("not a git repository"), "{id}: {reason}");
    }
    assert!(
        !c.all_output().contains("not a git repository"),
        "no output blames a missing repository"
    );
    let origin = c.facts()["template"]["origin"]["detail"].as_str().unwrap();
    assert!(
        origin.contains("git cannot open the repository"),
        "{origin}"
    );
    let out = sb.run(&["lint", sb.repo.to_str().unwrap(), "--changed-from", "HEAD"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("git cannot open the repository")
            && !out.stderr.contains("not a git repository"),
        "{}",
        out.stderr
    );
    // A revision cannot be read either, and the error says why.
    let out = sb.run(&["lint", sb.repo.to_str().unwrap(), "--rev", "HEAD"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot open the repository") && !out.stderr.contains("is not one"),
        "{}",
        out.stderr
    );
}

#[test]
fn revisions_that_name_nothing_say_why() {
    let sb = Sandbox::plugin();
    let repo = sb.repo.to_str().unwrap();
    let out = sb.run(&["lint", repo, "--rev", "@{-1}"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("cannot resolve revision `@{-1}`: it refers to the reflog"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("no error"), "{}", out.stderr);
    let out = sb.run(&["lint", repo, "--changed-from", "@{-1}"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("no error"), "{}", out.stderr);
}

#[test]
fn a_tag_whose_target_is_missing() {
    let sb = Sandbox::plugin();
    let repo = git2::Repository::open(&sb.repo).unwrap();
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let tag = format!(
        "object {missing}\ntype commit\ntag v9.0.0\ntagger Onboard Tests <tests@example.com> 1767225600 +0000\n\nrelease\n"
    );
    let id = repo
        .odb()
        .unwrap()
        .write(git2::ObjectType::Tag, tag.as_bytes())
        .unwrap();
    std::fs::write(sb.repo.join(".git/refs/tags/v9.0.0"), format!("{id}\n")).unwrap();
    let out = sb.run(&["lint", sb.repo.to_str().unwrap(), "--rev", "v9.0.0"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "it names a tag whose target {missing} is missing from the repository"
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("not a commit"), "{}", out.stderr);
    // A lightweight tag naming the missing object itself.
    std::fs::write(
        sb.repo.join(".git/refs/tags/v9.1.0"),
        format!("{missing}\n"),
    )
    .unwrap();
    // The working tree is still judged; the broken tags are set aside as missing objects,
    // not as tags of something other than a commit.
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.no_finding("missing-release-tag");
    let set_aside = &c.facts()["release"]["set_aside"];
    for name in ["v9.0.0", "v9.1.0"] {
        let tag = set_aside
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not set aside: {set_aside}"));
        assert_eq!(tag["kind"], "missing_object", "{tag}");
    }
}

#[test]
fn a_readme_that_is_a_folder() {
    let sb = Sandbox::plugin();
    std::fs::remove_file(sb.repo.join("README.md")).unwrap();
    sb.write(
        "README.md/index.md",
        "# Hello\n\nA plugin that says hello.\n",
    );
    sb.commit_all(&sb.repo, "README is a folder");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        c.finding(
            "missing-readme",
            "the README cannot be read: `README.md` is a directory",
        );
    }
}

#[test]
fn policy_paths_that_leave_the_repository_or_are_absolute() {
    for (policies, policy, text) in [
        (
            "[\"../../../etc/passwd\"]",
            None,
            "the policy file `../../../etc/passwd` leaves the repository",
        ),
        (
            "[\"/etc/passwd\"]",
            None,
            "the policy file `/etc/passwd` is an absolute path; absolute paths are not allowed",
        ),
        (
            "[ci/policy.yml]",
            Some("version: 1\nextends: ../../../etc/passwd\n"),
            "`extends: ../../../etc/passwd` leaves the repository",
        ),
        (
            "[ci/policy.yml]",
            Some("version: 1\nextends: /x\n"),
            "`extends: /x`: absolute paths are not allowed",
        ),
    ] {
        let sb = Sandbox::plugin();
        let mut onboarding = std::fs::read_to_string(sb.repo.join(".onboarding.yml")).unwrap();
        onboarding.push_str(&format!("policies: {policies}\n"));
        sb.write(".onboarding.yml", &onboarding);
        if let Some(policy) = policy {
            sb.write("ci/policy.yml", policy);
        }
        sb.commit_all(&sb.repo, "policy paths");
        let c = sb.check(&sb.repo);
        c.config_error("invalid-policy", text);
        let m = c.summary();
        assert!(
            !m.contains("symbolic link") && !m.contains("root:x:0"),
            "{m}"
        );
        if policy.is_some() {
            // At the `extends:` line of the policy file.
            let f = c.finding("invalid-policy", "extends");
            assert_eq!(f["location"]["path"], "ci/policy.yml", "{f}");
            assert_eq!(f["location"]["line"], 2, "{f}");
        }
    }
}

/// `core.worktree` names a folder outside the repository that holds a pipe where a tracked file
/// should be: libgit2 would look there (and wait on the pipe). The path given is what is linted.
#[test]
fn core_worktree_elsewhere_is_ignored() {
    let sb = Sandbox::plugin();
    let elsewhere = sb.outside.join("elsewhere");
    std::fs::create_dir_all(elsewhere.join("server")).unwrap();
    for name in ["README.md", ".gitattributes", "server/main.go"] {
        let fifo = std::ffi::CString::new(elsewhere.join(name).to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    }
    std::fs::write(
        elsewhere.join("LICENSE"),
        "Proprietary. All rights reserved.\n",
    )
    .unwrap();
    sb.git(
        &sb.repo,
        &["config", "core.worktree", elsewhere.to_str().unwrap()],
    );
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.no_finding("missing-readme")
        .no_finding("missing-licence-file");
    assert!(!c.all_output().contains("Proprietary"));
    assert_eq!(c.facts()["licence"]["root"], "Apache-2.0");
    c.status_ok();
}
