//! The cache of derived results (`src/cache.rs`): a run gives the same output with a warm
//! cache, a cold one, `--no-cache`, a cache whose files were overwritten with garbage, a
//! read-only or unmakeable cache folder, and a folder inside the repository (which is not
//! used); two runs at once on one cache both succeed; the repository is never written; a
//! repository that gained a commit or a tag between two runs gets the new answer.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::{Commit, RepoSpec};

const PLUGIN_JSON: &str = "{\n  \"id\": \"com.example.hello\",\n  \"name\": \"Hello\"\n}\n";

/// A plugin with work for every cached result: own code, a file at a template path with its
/// own content (the nearest template version is computed), a binary file, a licence text
/// only the classifier knows (an edited MIT, and a combined text), and a file changed in the
/// working tree and one untracked (neither has a blob id from the index); a history of two
/// commits with a trailer and two release tags (the walk, the peeled tags, the plugin id at
/// each release); an npm lockfile, one package of which has its licence only in
/// `node_modules` (read on every run).
fn plugin() -> tempfile::TempDir {
    let files = support::files(&[
        (".onboarding.yml", support::REVIEWED),
        ("plugin.json", PLUGIN_JSON),
        ("LICENSE", "@data/licences/MIT-edited.txt"),
        ("server/LICENSE.txt", "@data/licences/Combined.txt"),
        (
            "README.md",
            "# Hello\n\nSays hello.\n\n## License\n\nThis plugin is released under the MIT License.\n",
        ),
        support::CI_WORKFLOW,
        support::PLUGIN_CODE,
        (
            "server/plugin.go",
            "package main\n\n// Plugin is the plugin.\ntype Plugin struct{}\n",
        ),
        ("Makefile", "all:\n\techo build\n"),
        ("assets/logo.bin", "PNG\0\u{1}\u{2}binary"),
        ("webapp/package-lock.json", LOCKFILE),
        (
            "webapp/node_modules/b/package.json",
            "{\"name\": \"b\", \"license\": \"GPL-3.0-only\"}\n",
        ),
    ]);
    let worktree = support::files(&[
        (
            "server/hello.go",
            "package main\n\n// changed\nfunc greet() {}\n",
        ),
        (
            "server/new.go",
            "package main\n\n// untracked\nfunc fresh() {}\n",
        ),
    ]);
    support::repo(&RepoSpec {
        git: true,
        commits: vec![
            Commit {
                message: "initial".into(),
                files,
                tags: vec!["v0.1.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "Greet louder\n\nReviewed-by: Bob <bob@example.com>\n".into(),
                files: support::files(&[("server/loud.go", "package main\n\nfunc loud() {}\n")]),
                annotated_tags: vec!["v1.0.0".into()],
                // A tag with a note: whether the build takes its version is read at it.
                tags: vec!["v1.0.0-beta".into()],
                ..Commit::default()
            },
        ],
        worktree: Commit {
            files: worktree,
            ..Commit::default()
        },
        shallow: false,
        remote: None,
    })
}

const LOCKFILE: &str = r#"{"name": "webapp", "lockfileVersion": 3, "packages": {
  "": {"name": "webapp"},
  "node_modules/a": {"version": "1.0.0", "license": "MIT"},
  "node_modules/b": {"version": "2.0.0"},
  "node_modules/c": {"version": "3.0.0", "dev": true, "license": 7}
}}
"#;

/// The outputs compared: `lint` as JSON for every gate's rules, and `facts`.
fn outputs(repo: &Path, cache: Option<&Path>) -> Vec<String> {
    let path = repo.to_str().unwrap();
    let mut out = Vec::new();
    for args in [
        vec!["lint", path, "--gate", "marketplace", "--format", "json"],
        vec!["facts", path, "--gate", "marketplace"],
    ] {
        let mut args = args;
        let dir;
        let env: Vec<(&str, &str)> = match cache {
            Some(c) => {
                dir = c.to_str().unwrap().to_string();
                vec![("ONBOARD_CACHE_DIR", dir.as_str())]
            }
            None => {
                args.push("--no-cache");
                Vec::new()
            }
        };
        let run = support::onboard_with_env(&args, &env);
        assert!(
            run.code == 0 || run.code == 1,
            "{args:?}: exit {}\n{}",
            run.code,
            run.stderr
        );
        assert_eq!(run.stderr, "", "{args:?}");
        out.push(run.stdout);
    }
    out
}

/// The cache's files, by name.
fn entries(cache: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(list) = std::fs::read_dir(cache.join("v1")) else {
        return BTreeMap::new();
    };
    list.map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every path under `root` with its kind, size and modification time, and its bytes.
fn picture(root: &Path) -> BTreeMap<PathBuf, (String, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let stamp = format!(
                "{:?} {} {:?}",
                meta.file_type(),
                meta.len(),
                meta.modified().unwrap()
            );
            let bytes = match meta.is_file() {
                true => std::fs::read(e.path()).unwrap(),
                false => Vec::new(),
            };
            if meta.is_dir() {
                stack.push(e.path());
            }
            out.insert(e.path(), (stamp, bytes));
        }
    }
    out
}

/// A way of damaging an entry's bytes.
type Spoil = dyn Fn(&[u8]) -> Vec<u8>;

#[test]
fn results_are_the_same_warm_cold_without_and_with_a_damaged_cache() {
    let repo = plugin();
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let before = picture(repo.path());

    let uncached = outputs(repo.path(), None);
    assert!(entries(&cache).is_empty());
    let cold = outputs(repo.path(), Some(&cache));
    assert_eq!(cold, uncached, "cold cache");
    let written = entries(&cache);
    let kinds: Vec<&str> = written
        .keys()
        .map(|k| k.split_once('-').unwrap().0)
        .collect();
    assert!(kinds.contains(&"template"), "{kinds:?}");
    for kind in ["licence", "history", "tags", "npm", "plugin", "manifest"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    for bytes in written.values() {
        assert!(bytes.starts_with(b"onboard-cache 1\n"));
    }
    assert!(
        written
            .keys()
            .any(|k| k.starts_with("build-takes-version-"))
            && written.keys().any(|k| k.starts_with("changed-files-")),
        "{:?}",
        written.keys()
    );
    // The README's licence statement and the answers for the two licence files no hash knows
    // are kept by the texts' content.
    assert!(
        written.keys().any(|k| k.starts_with("licence-statements-"))
            && written
                .keys()
                .filter(|k| k.starts_with("licence-blob-"))
                .count()
                == 2,
        "{:?}",
        written.keys()
    );

    let warm = outputs(repo.path(), Some(&cache));
    assert_eq!(warm, uncached, "warm cache");

    // Every entry overwritten: with garbage, with another entry's bytes, cut short.
    let names: Vec<String> = written.keys().cloned().collect();
    let damage: [&Spoil; 3] = [
        &|_| b"garbage\n\0\xff".to_vec(),
        &|b| b[..b.len() / 2].to_vec(),
        &|b| {
            let mut v = b.to_vec();
            let last = v.len() - 1;
            v[last] ^= 0x55;
            v
        },
    ];
    for (i, spoil) in damage.iter().enumerate() {
        for name in &names {
            let path = cache.join("v1").join(name);
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, spoil(&bytes)).unwrap();
        }
        assert_eq!(outputs(repo.path(), Some(&cache)), uncached, "damage {i}");
        // Rewritten sound.
        for (name, bytes) in entries(&cache) {
            assert!(bytes.starts_with(b"onboard-cache 1\n"), "{name}");
        }
    }
    // One entry's bytes under another's name (a foreign entry): ignored.
    if names.len() >= 2 {
        let a = std::fs::read(cache.join("v1").join(&names[0])).unwrap();
        std::fs::write(cache.join("v1").join(&names[1]), a).unwrap();
        assert_eq!(outputs(repo.path(), Some(&cache)), uncached, "foreign");
    }

    assert!(
        picture(repo.path()) == before,
        "the repository was written to"
    );
}

#[test]
fn two_runs_at_once_on_one_cache_both_succeed() {
    let repo = plugin();
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let expected = outputs(repo.path(), None);
    let path = repo.path().to_str().unwrap();
    for round in 0..2 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_onboard"))
                    .args(["lint", path, "--gate", "marketplace", "--format", "json"])
                    .env("NO_COLOR", "1")
                    .env("ONBOARD_CACHE_DIR", &cache)
                    .env_remove("GITHUB_STEP_SUMMARY")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.stderr.is_empty(), "round {round}");
            assert_eq!(String::from_utf8(out.stdout).unwrap(), expected[0]);
        }
    }
    // The cache is sound: no temporary file left, every entry whole, and a run reads it.
    for (name, bytes) in entries(&cache) {
        assert!(!name.starts_with(".tmp-"), "{name}");
        assert!(bytes.starts_with(b"onboard-cache 1\n"), "{name}");
    }
    assert_eq!(outputs(repo.path(), Some(&cache)), expected);
}

#[test]
fn a_cache_folder_that_cannot_be_written_is_no_error() {
    use std::os::unix::fs::PermissionsExt;
    let repo = plugin();
    let expected = outputs(repo.path(), None);
    let scratch = tempfile::tempdir().unwrap();
    // A folder that cannot be made: its parent is a file.
    std::fs::write(scratch.path().join("file"), "").unwrap();
    let unmakeable = scratch.path().join("file/cache");
    assert_eq!(outputs(repo.path(), Some(&unmakeable)), expected);
    assert!(!unmakeable.exists());
    // A read-only folder, filled first (root may write it anyway; either way the same).
    let ro = scratch.path().join("ro");
    outputs(repo.path(), Some(&ro));
    for dir in [ro.join("v1"), ro.clone()] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    assert_eq!(outputs(repo.path(), Some(&ro)), expected);
    for dir in [ro.clone(), ro.join("v1")] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn a_cache_folder_inside_the_repository_is_not_used() {
    let repo = plugin();
    let expected = outputs(repo.path(), None);
    let before = picture(repo.path());
    let inside = repo.path().join("server/.cache");
    assert_eq!(outputs(repo.path(), Some(&inside)), expected);
    assert!(!inside.exists());
    assert!(picture(repo.path()) == before);
}

/// Commits `path` on the current branch of `repo` with the fixed test identity, one second
/// after its parent; tags it `tag` when given.
fn commit_on(repo: &Path, path: &str, message: &str, tag: Option<&str>) {
    let r = git2::Repository::open(repo).unwrap();
    let parent = r.head().unwrap().peel_to_commit().unwrap();
    let when = git2::Time::new(parent.time().seconds() + 1, 0);
    let sig = git2::Signature::new("Onboard Tests", "tests@example.com", &when).unwrap();
    let mut index = r.index().unwrap();
    index.add_path(Path::new(path)).unwrap();
    index.write().unwrap();
    let tree = r.find_tree(index.write_tree().unwrap()).unwrap();
    let id = r
        .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&parent])
        .unwrap();
    if let Some(tag) = tag {
        let obj = r.find_object(id, None).unwrap();
        r.tag(tag, &obj, &sig, &format!("Release {tag}\n"), false)
            .unwrap();
    }
}

#[test]
fn a_repository_that_gained_a_commit_or_a_tag_gets_the_new_answer() {
    let repo = plugin();
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let first = outputs(repo.path(), Some(&cache));
    assert_eq!(first, outputs(repo.path(), None));

    // A new commit with a trailer: a new history (the record it holds is seen).
    commit_on(
        repo.path(),
        "server/hello.go",
        "Greet again\n\nQA-passed-by: Carol <carol@example.com>\n",
        None,
    );
    let uncached = outputs(repo.path(), None);
    assert_ne!(uncached, first, "the new commit changes the facts");
    assert!(uncached[1].contains("Carol"), "{}", uncached[1]);
    assert_eq!(outputs(repo.path(), Some(&cache)), uncached, "new commit");

    // A tag on an existing commit: the same history, new tags.
    let r = git2::Repository::open(repo.path()).unwrap();
    let head = r.head().unwrap().peel(git2::ObjectType::Commit).unwrap();
    r.tag_lightweight("v1.1.0", &head, false).unwrap();
    let uncached_tag = outputs(repo.path(), None);
    assert!(uncached_tag[1].contains("v1.1.0"));
    assert_eq!(outputs(repo.path(), Some(&cache)), uncached_tag, "new tag");

    // The tag moved to another commit: its new place.
    let first_commit = r.revparse_single("v0.1.0^{commit}").unwrap();
    r.tag_lightweight("v1.1.0", &first_commit, true).unwrap();
    let moved = outputs(repo.path(), None);
    assert_ne!(moved, uncached_tag);
    assert_eq!(outputs(repo.path(), Some(&cache)), moved, "moved tag");
}

#[test]
fn a_removed_release_build_is_found_the_same_warm_cold_and_over_garbage() {
    // msteams-meetings' shape: the workflow that built version tags was removed, and a release
    // was tagged after it. Which workflow blobs build version tags is kept by blob id.
    let master_only = "on:\n  push:\n    branches: [master]\n  pull_request:\njobs:\n  ci:\n    uses: mattermost/actions-workflows/.github/workflows/community-plugin-ci.yml@139a051e8651e6246e3764fe342297b73120e590\n";
    let repo = support::repo(&RepoSpec {
        git: true,
        commits: vec![
            Commit {
                message: "initial".into(),
                files: support::files(&[
                    ("plugin.json", PLUGIN_JSON),
                    ("README.md", "# Hello\n\nSays hello.\n"),
                    support::CI_WORKFLOW,
                    support::PLUGIN_CODE,
                ]),
                tags: vec!["v1.0.0".into()],
                ..Commit::default()
            },
            Commit {
                message: "Build releases elsewhere".into(),
                files: support::files(&[(".github/workflows/pr.yml", master_only)]),
                delete: vec![support::CI_WORKFLOW.0.into()],
                tags: vec!["v1.1.0".into()],
                ..Commit::default()
            },
        ],
        worktree: Commit::default(),
        shallow: false,
        remote: None,
    });
    let scratch = tempfile::tempdir().unwrap();
    let cache = scratch.path().join("cache");
    let removed = |cache: Option<&Path>| -> serde_json::Value {
        let facts: serde_json::Value =
            serde_json::from_str(&outputs(repo.path(), cache)[1]).unwrap();
        facts["ci"]["release_build_removed"].clone()
    };
    let uncached = removed(None);
    assert_eq!(uncached["last_built_tag"], "v1.0.0", "{uncached}");
    assert_eq!(uncached["workflow"], ".github/workflows/ci.yml");
    assert_eq!(uncached["later_tags"], serde_json::json!(["v1.1.0"]));
    assert_eq!(removed(Some(&cache)), uncached, "cold cache");
    assert!(
        entries(&cache)
            .keys()
            .any(|k| k.starts_with("release-workflows-")),
        "{:?}",
        entries(&cache).keys()
    );
    assert_eq!(removed(Some(&cache)), uncached, "warm cache");
    for name in entries(&cache).keys() {
        std::fs::write(cache.join("v1").join(name), b"garbage").unwrap();
    }
    assert_eq!(removed(Some(&cache)), uncached, "damaged cache");
}
