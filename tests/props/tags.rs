//! Round trips of tag names: semver versions in every form a plugin tags them, and tags in a
//! real git repository.

use onboard::facts::release::version;
use proptest::prelude::*;

fn semver_version() -> impl Strategy<Value = semver::Version> {
    let ident = "rc[0-9]{1,2}|beta[0-9]?|RC[0-9]|[1-9][0-9]{0,2}|0|[a-z][a-z0-9-]{0,5}";
    (
        0u64..2000,
        0u64..2000,
        prop_oneof![0u64..2000, Just(u64::MAX)],
        prop::collection::vec(ident, 0..3),
        prop::collection::vec("[0-9A-Za-z-]{1,6}", 0..2),
    )
        .prop_map(|(major, minor, patch, pre, build)| semver::Version {
            major,
            minor,
            patch,
            pre: semver::Prerelease::new(&pre.join(".")).unwrap(),
            build: semver::BuildMetadata::new(&build.join(".")).unwrap(),
        })
}

proptest! {
    /// A formatted version reads back as itself, with exactly the notes its form calls for.
    #[test]
    fn tag_names_read_back(
        v in semver_version(),
        prefix in prop::sample::select(&["v", "", "V"][..]),
        two_part in any::<bool>(),
        dir in prop::option::of("[a-z]{1,6}(/[a-z]{1,6})?"),
    ) {
        let suffix = |v: &semver::Version| {
            let mut s = String::new();
            if !v.pre.is_empty() {
                s.push_str(&format!("-{}", v.pre));
            }
            if !v.build.is_empty() {
                s.push_str(&format!("+{}", v.build));
            }
            s
        };
        let two_part = two_part && v.patch == 0;
        let written = if two_part {
            format!("{prefix}{}.{}{}", v.major, v.minor, suffix(&v))
        } else {
            format!("{prefix}{v}")
        };
        let mut notes = Vec::new();
        match prefix {
            "" => notes.push(version::Note::Unprefixed),
            "V" => notes.push(version::Note::UppercasePrefix),
            _ => {}
        }
        if two_part {
            notes.push(version::Note::TwoPart);
        }
        if !v.build.is_empty() {
            notes.push(version::Note::BuildMetadata);
        }
        let rc = v.pre.as_str().strip_prefix("rc").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
        if !v.pre.is_empty() && !rc {
            notes.push(version::Note::PrereleaseNotRc);
        }
        prop_assert_eq!(version::parse(&written), version::TagName::Version { version: v.clone(), notes });
        onboard::fuzzing::tag_name(&written).map_err(TestCaseError::fail)?;
        if let Some(dir) = dir {
            let name = format!("{dir}/{written}");
            prop_assert_eq!(version::parse(&name), version::TagName::Submodule { path: dir });
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases / 8, ..ProptestConfig::default() })]

    /// Tags git accepts, lightweight or annotated, are listed once each, by name, and their
    /// names read without panic.
    #[test]
    fn git_tags_are_listed(names in prop::collection::btree_set("[A-Za-z0-9._+-]{1,10}(/[A-Za-z0-9._-]{1,8})?", 1..12)) {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let sig = git2::Signature::new("T", "t@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
        let tree = repo.find_tree(repo.index().unwrap().write_tree().unwrap()).unwrap();
        let commit = repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &[]).unwrap();
        let object = repo.find_object(commit, None).unwrap();
        let mut made = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if !git2::Reference::is_valid_name(&format!("refs/tags/{name}")) {
                continue;
            }
            let result = if i % 2 == 0 {
                repo.tag_lightweight(name, &object, false)
            } else {
                repo.tag(name, &object, &sig, "release", false)
            };
            // `a` and `a/b` cannot both exist: the second one fails, as it does for git.
            if result.is_ok() {
                made.push(name.clone());
            }
        }
        let (tags, not_commits) = onboard::git::tags(&repo).map_err(TestCaseError::fail)?;
        prop_assert!(not_commits.is_empty());
        let listed: Vec<&String> = tags.iter().map(|t| &t.name).collect();
        made.sort();
        prop_assert_eq!(listed, made.iter().collect::<Vec<_>>());
        for t in &tags {
            prop_assert_eq!(t.commit, commit);
            onboard::fuzzing::tag_name(&t.name).map_err(TestCaseError::fail)?;
        }
    }
}
