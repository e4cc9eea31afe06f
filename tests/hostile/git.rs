//! Git repositories in every odd state: none, empty, detached, bare, a linked worktree, shallow,
//! objects missing, refs corrupt, 10,000 tags, tags on trees and blobs, submodules, file names
//! that are not UTF-8 or hold newlines, `export-ignore`, Git LFS pointers.

use super::harness::{raw_path, Sandbox};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[test]
fn not_a_repository() {
    let sb = Sandbox::new();
    sb.write_plugin(&sb.repo);
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.finding("git-unavailable", "not the root of a git repository");
    assert_eq!(c.facts()["repository"]["git"], false);
    c.status_ok();
    let rev = sb.run(&["lint", sb.repo.to_str().unwrap(), "--rev", "HEAD"]);
    assert_eq!(rev.code, 2);
    assert!(
        rev.stderr.contains("`--rev` needs a git repository"),
        "{}",
        rev.stderr
    );
}

#[test]
fn empty_repository() {
    let sb = Sandbox::new();
    sb.write_plugin(&sb.repo);
    sb.git(&sb.repo, &["init", "-q", "-b", "master"]);
    let c = sb.check(&sb.repo);
    c.exit(1);
    let facts = c.facts();
    assert_eq!(facts["repository"]["git"], true);
    assert_eq!(facts["repository"]["commit"], serde_json::Value::Null);
    assert_eq!(
        facts["release"]["unavailable"],
        "the repository has no commit yet"
    );
    // Release and records are not judged: unknown, never passed.
    let status = c.status_ok();
    let item = |gate: usize, id: &str| {
        status["gates"][gate]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no item {id}: {status}"))
            .clone()
    };
    assert_eq!(item(1, "release")["state"], "unknown");
    assert_eq!(item(0, "basic-review")["state"], "unknown");
    let rev = sb.run(&["lint", sb.repo.to_str().unwrap(), "--rev", "HEAD"]);
    assert_eq!(rev.code, 2);
    assert!(
        rev.stderr.contains("cannot resolve revision `HEAD`"),
        "{}",
        rev.stderr
    );
}

#[test]
fn detached_head() {
    let sb = Sandbox::plugin();
    sb.write("server/more.go", "package main\n");
    sb.commit_all(&sb.repo, "second");
    sb.git(&sb.repo, &["checkout", "-q", "--detach", "v1.0.0"]);
    let tagged = sb.git(&sb.repo, &["rev-parse", "HEAD"]);
    let c = sb.check(&sb.repo);
    c.exit(1);
    let facts = c.facts();
    assert_eq!(facts["repository"]["head_branch"], serde_json::Value::Null);
    assert_eq!(facts["repository"]["commit"], tagged.as_str());
    c.no_finding("missing-release-tag");
    c.status_ok();
}

#[test]
fn bare_repository() {
    let sb = Sandbox::plugin();
    sb.git(&sb.root, &["clone", "-q", "--bare", "repo", "bare.git"]);
    let c = sb.check(&sb.root.join("bare.git"));
    c.exit(1);
    let facts = c.facts();
    assert_eq!(facts["repository"]["bare"], true);
    assert_eq!(facts["repository"]["source"], "revision");
    // The tree of HEAD is linted: the licence is found in git objects.
    c.no_finding("missing-licence-file");
    c.status_ok();
}

#[test]
fn linked_worktree() {
    let sb = Sandbox::plugin();
    sb.git(
        &sb.repo,
        &["worktree", "add", "-q", "-b", "feature", "../wt"],
    );
    std::fs::write(sb.root.join("wt/README.md"), "# Changed in the worktree\n").unwrap();
    let c = sb.check(&sb.root.join("wt"));
    c.exit(1);
    let facts = c.facts();
    assert_eq!(facts["repository"]["git"], true);
    assert_eq!(facts["repository"]["head_branch"], "feature");
    assert!(facts["docs"]
        .to_string()
        .contains("Changed in the worktree"));
    c.status_ok();
}

#[test]
fn shallow_clone() {
    let sb = Sandbox::plugin();
    for i in 0..3 {
        sb.write("server/more.go", format!("package main\n// {i}\n"));
        sb.commit_all(&sb.repo, &format!("commit {i}"));
    }
    let url = format!("file://{}", sb.repo.display());
    sb.git(&sb.root, &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let c = sb.check(&sb.root.join("shallow"));
    c.exit(1);
    c.finding("shallow-clone", "shallow");
    assert_eq!(c.facts()["repository"]["shallow"], true);
    c.status_ok();
}

/// The path of a loose object.
fn object_path(sb: &Sandbox, id: &str) -> std::path::PathBuf {
    sb.repo.join(".git/objects").join(&id[..2]).join(&id[2..])
}

#[test]
fn missing_blob() {
    let sb = Sandbox::plugin();
    let blob = sb.git(&sb.repo, &["rev-parse", "HEAD:README.md"]);
    std::fs::remove_file(object_path(&sb, &blob)).unwrap();
    // The working tree still has the file; git objects do not.
    let c = sb.check(&sb.repo);
    c.exit(1);
    let c = sb.check_with(&sb.repo, &["--rev", "HEAD"]);
    c.exit(1);
    let facts = c.facts();
    let problem = facts["docs"]["readme_problem"].as_str().unwrap_or_default();
    assert!(problem.contains(&blob), "{}", facts["docs"]);
    c.finding("missing-readme", &blob);
    c.status_ok();
}

#[test]
fn missing_tree() {
    let sb = Sandbox::plugin();
    let tree = sb.git(&sb.repo, &["rev-parse", "HEAD:server"]);
    std::fs::remove_file(object_path(&sb, &tree)).unwrap();
    // The working tree is listed from the index.
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.status_ok();
    // At the revision nothing can be listed: the run stops, naming the missing tree.
    let before = sb.snapshot();
    let repo = sb.repo.to_str().unwrap();
    for command in ["lint", "facts", "status"] {
        let out = sb.run(&[command, repo, "--rev", "HEAD"]);
        assert_eq!(out.code, 2, "{command}: {}", out.stdout);
        let expected = format!("cannot list the repository's files: cannot read tree {tree}");
        assert!(out.stderr.contains(&expected), "{command}: {}", out.stderr);
    }
    before.assert_same(&sb.snapshot(), "runs at a revision with a missing tree");
}

#[test]
fn corrupt_refs() {
    let sb = Sandbox::plugin();
    let refs = sb.repo.join(".git/refs");
    std::fs::write(refs.join("tags/v2.0.0"), "this is not an object id\n").unwrap();
    std::fs::write(
        refs.join("tags/v3.0.0"),
        "0123456789012345678901234567890123456789\n",
    )
    .unwrap();
    std::fs::write(refs.join("heads/broken"), "\u{0}\u{1}garbage").unwrap();
    std::fs::create_dir_all(refs.join("remotes/origin")).unwrap();
    std::fs::write(
        refs.join("remotes/origin/HEAD"),
        "ref: refs/remotes/origin/gone\n",
    )
    .unwrap();
    let c = sb.check(&sb.repo);
    c.exit(1);
    let facts = c.facts();
    assert_eq!(
        facts["release"]["highest_release"], "v1.0.0",
        "{}",
        facts["release"]
    );
    c.status_ok();
    let c = sb.check_with(&sb.repo, &["--rev", "v1.0.0"]);
    c.exit(1);
    let rev = sb.run(&["lint", sb.repo.to_str().unwrap(), "--rev", "v3.0.0"]);
    assert_eq!(rev.code, 2, "{}", rev.stderr);
    assert!(
        rev.stderr.contains("cannot resolve revision `v3.0.0`"),
        "{}",
        rev.stderr
    );
}

#[test]
fn corrupt_head() {
    let sb = Sandbox::plugin();
    std::fs::write(sb.repo.join(".git/HEAD"), "garbage\n").unwrap();
    let c = sb.check(&sb.repo);
    c.exit(1);
    // Not a repository git can use: linted as a directory, saying why.
    c.finding("git-unavailable", "git cannot read `HEAD`");
    c.status_ok();
    // A revision can still be named.
    let c = sb.check_with(&sb.repo, &["--rev", "v1.0.0"]);
    c.exit(1);
    c.no_finding("git-unavailable");
}

#[test]
fn ten_thousand_tags() {
    let sb = Sandbox::plugin();
    let head = sb.git(&sb.repo, &["rev-parse", "HEAD"]);
    let mut names: Vec<String> = (0..10_000)
        .map(|i| format!("refs/tags/v{}.{}.{}", i / 1000, (i / 10) % 100, i % 10))
        .collect();
    names.sort();
    let mut packed = String::from("# pack-refs with: peeled fully-peeled sorted \n");
    for n in &names {
        packed.push_str(&format!("{head} {n}\n"));
    }
    std::fs::write(sb.repo.join(".git/packed-refs"), packed).unwrap();
    let c = sb.check(&sb.repo);
    c.exit(1);
    let facts = c.facts();
    assert_eq!(facts["release"]["highest_release"], "v9.99.9");
    // v1.0.0 is among them, and is also a loose ref: one tag.
    assert_eq!(facts["release"]["tags"].as_array().unwrap().len(), 10_000);
    assert!(c.lint.elapsed.as_secs() < 30, "{:?}", c.lint.elapsed);
    c.status_ok();
}

#[test]
fn tags_on_trees_and_blobs() {
    let sb = Sandbox::plugin();
    let tree = sb.git(&sb.repo, &["rev-parse", "HEAD^{tree}"]);
    let blob = sb.git(&sb.repo, &["rev-parse", "HEAD:README.md"]);
    sb.git(&sb.repo, &["tag", "v8.0.0", &tree]);
    sb.git(&sb.repo, &["tag", "v8.1.0", &blob]);
    sb.git(&sb.repo, &["tag", "-a", "-m", "tree", "v9.0.0", &tree]);
    sb.git(&sb.repo, &["tag", "-a", "-m", "blob", "v9.1.0", &blob]);
    for extra in [&[][..], &["--rev", "v1.0.0"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let facts = c.facts();
        assert_eq!(facts["release"]["highest_release"], "v1.0.0");
        c.status_ok();
    }
    for tag in ["v8.0.0", "v9.1.0"] {
        let rev = sb.run(&["lint", sb.repo.to_str().unwrap(), "--rev", tag]);
        assert_eq!(rev.code, 2, "{}", rev.stderr);
        assert!(rev.stderr.contains("not a commit"), "{}", rev.stderr);
    }
}

#[test]
fn submodules() {
    let sb = Sandbox::plugin();
    let sub = sb.outside.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("LICENSE"), "Proprietary. All rights reserved.\n").unwrap();
    sb.git(&sub, &["init", "-q", "-b", "master"]);
    sb.commit_all(&sub, "sub");
    sb.git(
        &sb.repo,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.to_str().unwrap(),
            "vendored",
        ],
    );
    // And a gitlink to a commit nobody has, never initialised.
    sb.git(
        &sb.repo,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            "160000,0123456789012345678901234567890123456789,ghost",
        ],
    );
    sb.git(
        &sb.repo,
        &["commit", "-q", "--no-verify", "-m", "submodules"],
    );
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        // The submodule's files are another repository's: not listed, not judged.
        assert!(!c.all_output().contains("Proprietary"));
        let facts = c.facts();
        let licences = facts["licence"]["files"].as_array().unwrap();
        assert!(
            licences.iter().all(|f| f["path"] == "LICENSE"),
            "{}",
            facts["licence"]
        );
        c.no_finding("unknown-licence");
        c.status_ok();
    }
}

#[test]
fn non_utf8_file_names() {
    let sb = Sandbox::plugin();
    for name in [
        &b"caf\xe9.md"[..],
        b"LICENSE.\xff",
        b"server/\xfe\xfd.go",
        b"README\xc3",
    ] {
        let path = sb.repo.join(raw_path(name));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "text\n").unwrap();
    }
    sb.commit_all(&sb.repo, "odd names");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        c.no_finding("missing-licence-file");
        assert!(c.facts()["files"]["count"].as_u64().unwrap() >= 10);
        c.status_ok();
    }
}

#[test]
fn newlines_in_paths() {
    let sb = Sandbox::plugin();
    sb.write("docs/a\nb.md", "# A\n");
    sb.write("server/x\r\ny.go", "package main\n");
    sb.write("LICENSE\nCOPYING", "not a licence\n");
    let mut readme = std::fs::read_to_string(sb.repo.join("README.md")).unwrap();
    readme.push_str("\n[doc](docs/a%0Ab.md) and [gone](no%0Afile.md)\n");
    sb.write("README.md", readme);
    sb.commit_all(&sb.repo, "newlines");
    let repo = sb.repo.to_str().unwrap();
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        // The link to a path with a line break is found; the one to nothing is reported.
        let f = c.finding("broken-readme-link", "(`no\nfile.md`)");
        assert_eq!(c.findings("broken-readme-link").len(), 1, "{f}");
        c.status_ok();
        // Every output format escapes or quotes such paths without breaking its syntax.
        for format in ["github", "sarif", "markdown", "json"] {
            let mut args = vec!["lint", repo, "--gate", "marketplace", "--format", format];
            args.extend(extra);
            let out = sb.run(&args);
            assert_eq!(out.code, 1, "{format}: {}", out.stderr);
            if format == "github" {
                // Workflow commands escape line breaks: every line is a command or the summary.
                for line in out.stdout.lines() {
                    assert!(
                        line.starts_with("::") || line.starts_with("onboard: "),
                        "{line:?}"
                    );
                }
            }
            if format == "sarif" || format == "json" {
                out.json();
            }
        }
    }
}

#[test]
fn export_ignore_does_not_hide_files() {
    let sb = Sandbox::plugin();
    sb.write(".gitattributes", "* export-ignore\nLICENSE export-ignore\n");
    sb.commit_all(&sb.repo, "export-ignore");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        c.no_finding("missing-licence-file")
            .no_finding("missing-readme");
        assert_eq!(c.facts()["licence"]["root"], "Apache-2.0");
    }
}

const LFS_POINTER: &str = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";

#[test]
fn git_lfs_pointers() {
    let sb = Sandbox::plugin();
    sb.write(
        ".gitattributes",
        "LICENSE filter=lfs diff=lfs merge=lfs -text\nplugin.json filter=lfs diff=lfs merge=lfs -text\nassets/* filter=lfs diff=lfs merge=lfs -text\n",
    );
    for path in ["LICENSE", "plugin.json", "assets/icon.svg"] {
        sb.write(path, LFS_POINTER);
    }
    // Committed as pointers: no LFS filter is configured, which is what a clone without
    // git-lfs (a CI checkout with `lfs: false`) holds.
    sb.commit_all(&sb.repo, "lfs");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        c.finding("unknown-licence", "LICENSE");
        c.finding("invalid-manifest", "plugin.json");
        c.status_ok();
    }
}

/// Paths given as raw bytes reach onboard unchanged.
#[test]
fn non_utf8_repository_path() {
    let sb = Sandbox::new();
    let dir = sb.root.join(raw_path(b"plugin-\xff"));
    sb.write_plugin(&dir);
    sb.git(&dir, &["init", "-q", "-b", "master"]);
    sb.commit_all(&dir, "initial");
    let args = [
        OsStr::new("lint"),
        dir.as_os_str(),
        OsStr::from_bytes(b"--format"),
        OsStr::new("json"),
    ];
    let before = sb.snapshot();
    let out = sb.onboard(&args);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.json();
    before.assert_same(&sb.snapshot(), "lint on a non-UTF-8 path");
}

/// A commit on branch `deep` whose `server/` nests `depth` folders, a Go file at the bottom.
fn deep_tree(sb: &Sandbox, depth: usize) {
    let repo = git2::Repository::open(&sb.repo).unwrap();
    let blob = repo.blob(b"package main\n").unwrap();
    let mut builder = repo.treebuilder(None).unwrap();
    builder.insert("deep.go", blob, 0o100644).unwrap();
    let mut tree = builder.write().unwrap();
    for _ in 0..depth {
        let mut builder = repo.treebuilder(None).unwrap();
        builder.insert("d", tree, 0o040000).unwrap();
        tree = builder.write().unwrap();
    }
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    let mut root = repo.treebuilder(Some(&head.tree().unwrap())).unwrap();
    root.insert("server", tree, 0o040000).unwrap();
    let root = repo.find_tree(root.write().unwrap()).unwrap();
    // 2026-01-01T00:00:00Z, as every commit of these tests.
    let when = git2::Time::new(1_767_225_600, 0);
    let sig = git2::Signature::new("Onboard Tests", "tests@example.com", &when).unwrap();
    repo.commit(Some("refs/heads/deep"), &sig, &sig, "deep", &root, &[&head])
        .unwrap();
}

/// Folders nested 4,000 deep (git stores them; no file system could check them out): read at
/// that revision, in time, without recursion.
#[test]
fn tree_nested_four_thousand_deep() {
    let sb = Sandbox::plugin();
    deep_tree(&sb, 4_000);
    let c = sb.check_with(&sb.repo, &["--rev", "deep"]);
    c.exit(1);
    let facts = c.facts();
    assert_eq!(facts["files"]["count"], 6, "{}", facts["files"]);
    let largest = facts["template"]["largest"].to_string();
    assert!(largest.contains("/d/d/deep.go"), "{largest}");
    c.within(30);
}

/// Past git's own limit (`core.maxTreeDepth`, 4,096): refused with the reason, as git does.
#[test]
fn tree_nested_past_gits_limit() {
    let sb = Sandbox::plugin();
    deep_tree(&sb, 10_000);
    let out = sb.run(&["lint", sb.repo.to_str().unwrap(), "--rev", "deep"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("cannot list the repository's files: folders nest deeper than 4096 levels"),
        "{}",
        out.stderr
    );
    assert!(out.elapsed.as_secs() < 30, "{:?}", out.elapsed);
}

#[test]
fn corrupt_index() {
    let sb = Sandbox::plugin();
    let index = sb.repo.join(".git/index");
    let mut bytes = std::fs::read(&index).unwrap();
    let middle = bytes.len() / 2;
    bytes.truncate(middle);
    bytes.extend_from_slice(b"garbage");
    std::fs::write(&index, bytes).unwrap();
    let before = sb.snapshot();
    let repo = sb.repo.to_str().unwrap();
    for command in ["lint", "facts", "status"] {
        let out = sb.run(&[command, repo]);
        assert_eq!(out.code, 2, "{command}: {}", out.stdout);
        assert!(
            out.stderr
                .contains("cannot list the repository's files: cannot read the git index"),
            "{command}: {}",
            out.stderr
        );
    }
    before.assert_same(&sb.snapshot(), "runs on a corrupt index");
    // The committed tree is still there to lint.
    let c = sb.check_with(&sb.repo, &["--rev", "HEAD"]);
    c.exit(1);
}
