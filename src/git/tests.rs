use super::*;
use git2::{Signature, Time};

/// A repository with a history built commit by commit, at fixed dates.
struct Repo {
    _dir: tempfile::TempDir,
    repo: Repository,
    day: i64,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        Repo {
            _dir: dir,
            repo,
            day: 0,
        }
    }

    fn sig(&self, name: &str) -> Signature<'static> {
        let when = Time::new(1_767_225_600 + self.day * 86_400, 0);
        Signature::new(name, &format!("{}@example.com", name.to_lowercase()), &when).unwrap()
    }

    /// Commits `files` on top of `parent` (or the current `HEAD`), moving `reference`.
    fn commit(
        &mut self,
        reference: &str,
        parent: Option<Oid>,
        author: &str,
        files: &[(&str, &str)],
    ) -> Oid {
        self.day += 1;
        let parent_commit = match parent {
            Some(p) => Some(self.repo.find_commit(p).unwrap()),
            None => self.repo.head().ok().and_then(|h| h.peel_to_commit().ok()),
        };
        let mut builder = self
            .repo
            .treebuilder(parent_commit.as_ref().map(|c| c.tree().unwrap()).as_ref())
            .unwrap();
        for (path, text) in files {
            let blob = self.repo.blob(text.as_bytes()).unwrap();
            builder.insert(path, blob, 0o100644).unwrap();
        }
        let tree = self.repo.find_tree(builder.write().unwrap()).unwrap();
        let sig = self.sig(author);
        let parents: Vec<&git2::Commit<'_>> = parent_commit.iter().collect();
        self.repo
            .commit(Some(reference), &sig, &sig, "commit", &tree, &parents)
            .unwrap()
    }

    fn lightweight(&self, name: &str, at: Oid) {
        let obj = self.repo.find_object(at, None).unwrap();
        self.repo.tag_lightweight(name, &obj, false).unwrap();
    }

    fn annotated(&self, name: &str, at: Oid, message: &str) {
        let obj = self.repo.find_object(at, None).unwrap();
        self.repo
            .tag(name, &obj, &self.sig("Tagger"), message, false)
            .unwrap();
    }
}

/// master: a - b - c; release-1.0 branches at a: a - r.
fn history() -> (Repo, [Oid; 4]) {
    let mut r = Repo::new();
    let a = r.commit(
        "HEAD",
        None,
        "Alice",
        &[("plugin.json", "{\"id\": \"x\"}"), ("README.md", "# x\n")],
    );
    let b = r.commit("HEAD", None, "Bob", &[("server.go", "package main\n")]);
    let c = r.commit("HEAD", None, "Alice", &[("README.md", "# x\nmore\n")]);
    let rel = r.commit(
        "refs/heads/release-1.0",
        Some(a),
        "Carol",
        &[("fix.go", "package main\n")],
    );
    (r, [a, b, c, rel])
}

#[test]
fn default_branch_prefers_origin_head_then_main_or_master() {
    let (r, [_, _, c, rel]) = history();
    let b = default_branch(&r.repo).unwrap();
    assert_eq!(
        (b.name.as_str(), b.tip, b.source),
        ("master", c, BranchSource::Conventional)
    );

    r.repo
        .reference("refs/remotes/origin/release-1.0", rel, false, "test")
        .unwrap();
    r.repo
        .reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/release-1.0",
            false,
            "test",
        )
        .unwrap();
    let b = default_branch(&r.repo).unwrap();
    assert_eq!(b.name, "release-1.0");
    assert_eq!(b.reference, "refs/remotes/origin/release-1.0");
    assert_eq!(b.source, BranchSource::OriginHead);
}

#[test]
fn default_branch_of_a_bare_repository_is_heads_branch() {
    let (r, [_, _, _, rel]) = history();
    let bare_dir = tempfile::tempdir().unwrap();
    let bare = Repository::init_bare(bare_dir.path()).unwrap();
    let mut remote = bare
        .remote_anonymous(r.repo.path().to_str().unwrap())
        .unwrap();
    remote
        .fetch(&["+refs/heads/*:refs/heads/*"], None, None)
        .unwrap();
    bare.set_head("refs/heads/release-1.0").unwrap();
    let b = default_branch(&bare).unwrap();
    assert_eq!(
        (b.name.as_str(), b.tip, b.source),
        ("release-1.0", rel, BranchSource::BareHead)
    );
}

#[test]
fn detached_head_without_branches_has_no_default_branch() {
    let mut r = Repo::new();
    let a = r.commit("refs/heads/topic", None, "Alice", &[("a", "a")]);
    r.repo.set_head_detached(a).unwrap();
    assert!(head_detached(&r.repo));
    // `topic` is neither main nor master, and HEAD is on no branch.
    assert_eq!(default_branch(&r.repo), None);
}

#[test]
fn tags_lightweight_annotated_and_signed() {
    let (r, [a, b, _, rel]) = history();
    r.lightweight("v1.0.0", a);
    r.annotated("v1.1.0", b, "release 1.1.0\n");
    r.annotated(
        "v1.0.1",
        rel,
        "release 1.0.1\n-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n",
    );
    let tree = r.repo.find_commit(a).unwrap().tree_id();
    let obj = r.repo.find_object(tree, None).unwrap();
    r.repo.tag_lightweight("a-tree", &obj, false).unwrap();

    let (tags, not_commits) = tags(&r.repo).unwrap();
    assert_eq!(
        not_commits,
        vec![NoCommit {
            name: "a-tree".to_string(),
            why: NoCommitWhy::NotACommit
        }]
    );
    let names: Vec<(&str, bool, bool)> = tags
        .iter()
        .map(|t| (t.name.as_str(), t.annotated, t.signed))
        .collect();
    assert_eq!(
        names,
        vec![
            ("v1.0.0", false, false),
            ("v1.0.1", true, true),
            ("v1.1.0", true, false)
        ]
    );
    assert_eq!(
        tags[1].commit, rel,
        "annotated tags are peeled to their commit"
    );
    assert_eq!(tags[0].time, tags[0].commit_time);
}

#[test]
fn one_walk_marks_the_default_branch() {
    let (r, [a, b, c, rel]) = history();
    let on_master = History::walk(&r.repo, c).unwrap();
    assert!(on_master.contains(a) && on_master.contains(b) && on_master.contains(c));
    assert!(!on_master.contains(rel));
}

#[test]
fn ancestry() {
    let (r, [a, b, c, rel]) = history();
    assert!(is_ancestor(&r.repo, a, c).unwrap());
    assert!(is_ancestor(&r.repo, c, c).unwrap());
    assert!(!is_ancestor(&r.repo, c, a).unwrap());
    assert!(!is_ancestor(&r.repo, b, rel).unwrap());
    assert!(is_ancestor(&r.repo, a, rel).unwrap());
}

#[test]
fn resolves_shas_abbreviations_and_tags() {
    let (r, [a, b, _, _]) = history();
    r.annotated("v1.1.0", b, "release\n");
    assert_eq!(resolve_commit(&r.repo, &a.to_string()).unwrap(), a);
    assert_eq!(resolve_commit(&r.repo, &a.to_string()[..8]).unwrap(), a);
    assert_eq!(resolve_commit(&r.repo, "v1.1.0").unwrap(), b);
    assert_eq!(
        resolve_commit(&r.repo, "release-1.0").unwrap(),
        r.repo
            .find_reference("refs/heads/release-1.0")
            .unwrap()
            .target()
            .unwrap()
    );
    let e = resolve_commit(&r.repo, "v9.9.9").unwrap_err();
    assert!(e.contains("does not resolve"), "{e}");
    assert!(resolve_commit(&r.repo, " ").is_err());
}

#[test]
fn files_changed_between_commits() {
    let (r, [a, _, c, rel]) = history();
    assert_eq!(
        changed_files(&r.repo, a, c).unwrap(),
        vec!["README.md".to_string(), "server.go".to_string()]
    );
    assert_eq!(
        changed_files(&r.repo, a, rel).unwrap(),
        vec!["fix.go".to_string()]
    );
    assert!(changed_files(&r.repo, c, c).unwrap().is_empty());
}

#[test]
fn authors_of_a_range() {
    let (r, [a, _, c, _]) = history();
    let range = authors(&r.repo, Some(a), c).unwrap();
    let names: Vec<(&str, usize)> = range.iter().map(|x| (x.name.as_str(), x.commits)).collect();
    assert_eq!(names, vec![("Alice", 1), ("Bob", 1)]);
    let all = authors(&r.repo, None, c).unwrap();
    assert_eq!((all[0].name.as_str(), all[0].commits), ("Alice", 2));
    assert_eq!(all[0].email, "alice@example.com");
}

#[test]
fn reads_files_at_a_commit() {
    let (r, [a, _, c, _]) = history();
    assert_eq!(
        read_file_at(&r.repo, a, "README.md", 1024)
            .unwrap()
            .unwrap(),
        b"# x\n"
    );
    assert_eq!(
        read_file_at(&r.repo, c, "README.md", 1024)
            .unwrap()
            .unwrap(),
        b"# x\nmore\n"
    );
    assert_eq!(read_file_at(&r.repo, a, "server.go", 1024).unwrap(), None);
    assert!(read_file_at(&r.repo, c, "README.md", 3)
        .unwrap_err()
        .contains("read limit"));
}

#[test]
fn branches_local_and_remote() {
    let (r, [_, _, _, rel]) = history();
    r.repo
        .reference("refs/remotes/origin/docs-v1.0", rel, false, "test")
        .unwrap();
    let list = branches(&r.repo).unwrap();
    let names: Vec<(&str, &str, bool)> = list
        .iter()
        .map(|b| (b.name.as_str(), b.short(), b.remote))
        .collect();
    assert_eq!(
        names,
        vec![
            ("master", "master", false),
            ("origin/docs-v1.0", "docs-v1.0", true),
            ("release-1.0", "release-1.0", false)
        ]
    );
}

#[test]
fn an_owner_key_is_a_github_owner_or_a_host_and_owner() {
    let github = Forge::parse("https://github.com/Mattermost/mattermost-plugin-jira.git").unwrap();
    assert!(github.is_owned_by("mattermost"));
    assert!(github.is_owned_by("github.com/mattermost"));
    assert!(!github.is_owned_by("gitlab.com/mattermost"));
    assert!(!github.is_owned_by("matter"));
    // The same owner name on another host is somebody else.
    for url in [
        "https://gitlab.com/mattermost/x",
        "https://elsewhere.example/mattermost/x",
    ] {
        let other = Forge::parse(url).unwrap();
        assert!(!other.is_owned_by("mattermost"), "{url}");
    }
    let gitlab = Forge::parse("git@gitlab.com:my-group/plugin.git").unwrap();
    assert!(gitlab.is_owned_by("gitlab.com/my-group"));
    assert_eq!(gitlab.owner_path(), "gitlab.com/my-group");
}
