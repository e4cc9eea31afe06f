//! The fixture builder itself: branches, tag kinds, authors and shallow marks come out as git
//! writes them, so tests of release and record facts rest on real objects.

mod support;

use support::{files, Commit, RepoSpec};

#[test]
fn branches_tags_authors_and_shallow_marks_are_real_git() {
    let spec = RepoSpec {
        git: true,
        shallow: true,
        remote: None,
        commits: vec![
            Commit {
                message: "first".into(),
                files: files(&[("a.txt", "a\n")]),
                annotated_tags: vec!["v1.0.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "on a release branch".into(),
                files: files(&[("b.txt", "b\n")]),
                branch: Some("release-1.0".into()),
                signed_tags: vec!["v1.0.1".into()],
                author: Some("Ada Lovelace <ada@example.com>".into()),
                ..Commit::default()
            },
            Commit {
                message: "second".into(),
                files: files(&[("c.txt", "c\n")]),
                tags: vec!["v1.1.0".into()],
                ..Commit::default()
            },
        ],
        worktree: Commit::default(),
    };
    let dir = support::repo(&spec);
    let repo = git2::Repository::open(dir.path()).unwrap();

    assert_eq!(repo.head().unwrap().shorthand(), Some("master"));
    assert!(repo.is_shallow(), "the shallow mark is read by libgit2");

    let master = repo.find_reference("refs/heads/master").unwrap();
    let master = master.peel_to_commit().unwrap();
    assert_eq!(master.message(), Some("second"));
    let branch = repo.find_reference("refs/heads/release-1.0").unwrap();
    let branch = branch.peel_to_commit().unwrap();
    assert_eq!(branch.author().name(), Some("Ada Lovelace"));
    assert_eq!(branch.committer().name(), Some("Onboard Tests"));
    // The branch forks from the first commit (master's own parents are cut by the shallow mark).
    let first = repo.revparse_single("v1.0.0^{commit}").unwrap().id();
    assert_eq!(branch.parent_id(0).unwrap(), first);
    assert_eq!(
        master.parent_count(),
        0,
        "a shallow commit shows no parents"
    );
    assert!(branch.tree().unwrap().get_name("c.txt").is_none());
    assert!(master.tree().unwrap().get_name("b.txt").is_none());

    // The working tree holds master again: the branch's file is gone.
    assert!(dir.path().join("c.txt").exists());
    assert!(!dir.path().join("b.txt").exists());

    let annotated = repo.revparse_single("refs/tags/v1.0.0").unwrap();
    assert_eq!(annotated.kind(), Some(git2::ObjectType::Tag));
    let signed = repo.revparse_single("refs/tags/v1.0.1").unwrap();
    let signed = signed.as_tag().unwrap();
    assert!(signed
        .message()
        .unwrap()
        .contains("-----BEGIN PGP SIGNATURE-----"));
    assert_eq!(signed.target_id(), branch.id());
    let light = repo.revparse_single("refs/tags/v1.1.0").unwrap();
    assert_eq!(light.kind(), Some(git2::ObjectType::Commit));
}
