//! Symbolic links: to `/etc/passwd`, to `../..`, in a loop, dangling, and to a directory
//! outside the repository. None may be followed out of the repository root, on the working
//! tree or at a revision.

use super::harness::Sandbox;

/// The sample plugin with links added and committed; `check` runs on the working tree and at
/// `HEAD`.
fn with_links(links: &[(&str, &str)]) -> Sandbox {
    let sb = Sandbox::plugin();
    for (link, target) in links {
        let path = sb.repo.join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(target, &path).unwrap();
    }
    sb.commit_all(&sb.repo, "links");
    sb
}

#[test]
fn link_to_etc_passwd() {
    let sb = with_links(&[("LICENSE", "/etc/passwd"), ("README.md", "/etc/passwd")]);
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        c.finding("broken-licence-link", "`LICENSE` links to `/etc/passwd`");
        let facts = c.facts();
        let problem = facts["files"]["licence_files"][0]["problem"]
            .as_str()
            .unwrap();
        assert!(problem.contains("outside the repository"), "{problem}");
        assert!(!c.all_output().contains("root:x:0"), "read /etc/passwd");
    }
}

#[test]
fn link_to_parent_of_parent() {
    let sb = with_links(&[("README.md", "../.."), ("docs", "../..")]);
    std::fs::write(
        sb.root.join("README.md"),
        "# Outside\n\nSECRET-OUTSIDE-README\n",
    )
    .unwrap();
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        assert!(!c.all_output().contains("SECRET-OUTSIDE"));
        let facts = c.facts();
        let problem = facts["docs"]["readme_problem"].as_str().unwrap_or_default();
        assert!(
            problem.contains("outside the repository"),
            "{}",
            facts["docs"]
        );
        // The README exists but cannot be judged: a finding, not a silent pass.
        c.finding("missing-readme", "the README cannot be read");
    }
}

#[test]
fn link_loop() {
    let sb = with_links(&[
        ("plugin.json", "plugin.json"),
        ("LICENSE", "a"),
        ("a", "b"),
        ("b", "LICENSE"),
    ]);
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        c.finding("missing-manifest", "too many levels of symbolic links");
        let f = c.finding("missing-licence-file", "no readable licence file");
        let help = f["help"].as_str().unwrap();
        assert!(
            help.contains("`LICENSE`: too many levels of symbolic links"),
            "{help}"
        );
    }
}

#[test]
fn dangling_link() {
    let sb = with_links(&[
        (".onboarding.yml", "nowhere.yml"),
        ("LICENSE", "gone/LICENSE"),
    ]);
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        // `.onboarding.yml` exists but cannot be read: a configuration error, not "missing".
        c.config_error("invalid-onboarding-file", "which does not exist");
        assert_eq!(c.facts()["onboarding"]["status"], "unreadable");
    }
}

#[test]
fn link_to_a_directory_outside() {
    let sb = Sandbox::plugin();
    // What the outside directory holds would pass checks if it were read.
    let ext = sb.outside.join("ext");
    std::fs::create_dir_all(ext.join(".github/workflows")).unwrap();
    std::fs::write(ext.join("setup.md"), "# Setup\n\nOUTSIDE-SETUP-DOCS\n").unwrap();
    std::fs::write(
        ext.join("package-lock.json"),
        r#"{"lockfileVersion": 3, "packages": {"node_modules/outside-package": {"version": "1.0.0", "license": "GPL-3.0"}}}"#,
    )
    .unwrap();
    let mut onboarding = std::fs::read_to_string(sb.repo.join(".onboarding.yml")).unwrap();
    onboarding.push_str("docs:\n  setup: docs/setup.md\n");
    sb.write(".onboarding.yml", onboarding);
    for link in ["docs", "webapp"] {
        std::os::unix::fs::symlink(&ext, sb.repo.join(link)).unwrap();
    }
    sb.commit_all(&sb.repo, "links out");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let out = c.all_output();
        assert!(!out.contains("OUTSIDE-SETUP-DOCS"));
        assert!(!out.contains("outside-package"));
        let facts = c.facts();
        assert_eq!(facts["dependencies"]["npm"]["total"], 0);
        c.finding("missing-setup-docs", "");
    }
}
