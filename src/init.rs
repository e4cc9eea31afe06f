//! `onboard init`: writes a first `.onboarding.yml` inferred from the repository. It is the one
//! command that writes a file into the working tree, and it refuses to replace one without
//! `--force`.

use crate::facts::Facts;

/// What init could tell about the repository, each value with where it came from.
#[derive(Debug, PartialEq, Eq)]
pub struct Inferred {
    pub licence: Option<(String, String)>,
    pub owner: (&'static str, String),
    pub template: Option<(String, String)>,
    /// `ci.master_build_url` and `ci.release_build_url`: the URL when it is known, with why; or
    /// no URL and why not (written as a comment).
    pub master_build_url: (Option<String>, String),
    pub release_build_url: (Option<String>, String),
}

/// Reads what `.onboarding.yml` can say from the facts.
pub fn infer(facts: &Facts) -> Inferred {
    let licence = facts.licence();
    // The files the root licence was read from: never a carve-out's (`LICENSE.enterprise`
    // linking to `server/enterprise/LICENSE`).
    let licence = match (
        &licence.root,
        licence.files.iter().find(|f| f.is_root_licence()),
    ) {
        (Some(expr), Some(file)) => Some((
            expr.clone(),
            format!("detected in {}", crate::report::escape::line(&file.path)),
        )),
        (Some(expr), None) => Some((expr.clone(), "detected".into())),
        _ => None,
    };
    let remote = facts
        .workspace()
        .repo()
        .and_then(|r| r.find_remote("origin").ok())
        .and_then(|r| r.url().map(str::to_string));
    let manifest_id = match facts.manifest() {
        crate::facts::ManifestFact::Found(m) => m.id.as_ref().map(|id| id.value.clone()),
        _ => None,
    };
    let owner = guess_owner(remote.as_deref(), manifest_id.as_deref());
    let template = {
        let t = facts.template();
        match (t.origin.kind, &t.index) {
            ("clone" | "template-copy" | "partial-copy", Some(index)) => {
                let mut why = format!("{} of the template", t.origin.kind);
                if let (Some(c), Some(d)) = (&t.origin.commit, &t.origin.date) {
                    why.push_str(&format!(" at {} ({d})", &c[..c.len().min(7)]));
                }
                Some((index.name.clone(), why))
            }
            _ => None,
        }
    };
    let (master_build_url, release_build_url) = build_urls(remote.as_deref(), facts.ci());
    Inferred {
        licence,
        owner,
        template,
        master_build_url,
        release_build_url,
    }
}

/// `https://github.com/OWNER/NAME` for a remote on GitHub, in any of the forms git accepts
/// (`https://`, `ssh://`, `git@github.com:`, with or without `.git`); a user name or a token
/// in the URL is left out. `None` for any other host or a path that is not `OWNER/NAME`.
pub fn github_repository(url: &str) -> Option<String> {
    let f = crate::git::Forge::parse(url)?;
    matches!(f.host.as_str(), "github.com" | "www.github.com")
        .then(|| format!("https://github.com/{}/{}", f.owner, f.name))
}

/// A URL query value: everything but unreserved characters percent-encoded.
fn query_value(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

type Url = (Option<String>, String);

/// The build URLs from the remote and the workflows: the runs of the GitHub workflow that
/// builds the default branch, filtered to that branch; the repository's releases page when a
/// GitHub workflow builds releases.
fn build_urls(remote: Option<&str>, ci: &crate::facts::ci::CiFact) -> (Url, Url) {
    let Some(remote) = remote else {
        let why = "no `origin` remote to tell the repository's address".to_string();
        return ((None, why.clone()), (None, why));
    };
    let Some(repo) = github_repository(remote) else {
        // Never the URL itself: it can carry credentials (`https://user:token@host/…`).
        let why = match crate::git::Forge::parse(remote) {
            Some(f) => format!("the remote origin is on {}, not on GitHub", f.host),
            None => "the remote origin is not a repository address onboard reads".to_string(),
        };
        return ((None, why.clone()), (None, why));
    };
    let workflow = |triggers: &[crate::facts::ci::Trigger]| {
        triggers.iter().find_map(|t| {
            // A plugin in a folder of a larger repository: the root's workflows, `../../…`.
            let mut path = t.path.as_str();
            while let Some(rest) = path.strip_prefix("../") {
                path = rest;
            }
            path.strip_prefix(".github/workflows/")
                .filter(|name| !name.contains('/'))
                .map(str::to_string)
        })
    };
    let branch = ci.default_branch.first().cloned();
    let master = match (workflow(&ci.master_builds), branch) {
        (Some(file), Some(branch)) => (
            Some(format!(
                "{repo}/actions/workflows/{}?query=branch%3A{}",
                query_value(&file),
                query_value(&branch)
            )),
            format!("runs of .github/workflows/{file} on {branch}"),
        ),
        _ => (
            None,
            "no GitHub workflow builds the default branch on push yet".to_string(),
        ),
    };
    let release = match workflow(&ci.release_builds) {
        Some(file) => (
            Some(format!("{repo}/releases")),
            format!(".github/workflows/{file} builds releases"),
        ),
        None => (None, "no GitHub workflow builds releases yet".to_string()),
    };
    (master, release)
}

/// `mattermost`, `partner` or `community`, with the reason.
fn guess_owner(remote: Option<&str>, manifest_id: Option<&str>) -> (&'static str, String) {
    if let Some(url) = remote {
        let lower = url.to_ascii_lowercase();
        for (org, owner) in [
            ("mattermost-community/", "community"),
            ("mattermost/", "mattermost"),
        ] {
            if lower.contains(&format!("github.com/{org}"))
                || lower.contains(&format!("github.com:{org}"))
            {
                // The org only: a remote URL can carry credentials (`https://user:token@…`),
                // and it is configuration of the git directory, never shown.
                return (
                    owner,
                    format!("guessed from the remote origin on github.com/{org}"),
                );
            }
        }
    }
    if let Some(id) = manifest_id {
        if id.starts_with("com.mattermost.") {
            return ("mattermost", format!("guessed from the plugin id {id}"));
        }
    }
    (
        "community",
        "guessed: neither the remote nor the plugin id names Mattermost".into(),
    )
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The file's text.
pub fn render(inferred: &Inferred) -> String {
    let mut out = String::new();
    // Where editors find the schema (completion and validation), at this version.
    out.push_str(&format!(
        "# yaml-language-server: $schema={}\n",
        crate::links::schema("onboarding")
    ));
    out.push_str(
        "# Where this plugin stands on the community onboarding checklist; `onboard lint` and\n",
    );
    out.push_str("# `onboard status` read it. Written by `onboard init`: check every value.\n");
    out.push_str("version: 1\n");
    out.push_str(
        "gate: ci-extensions  # ci-extensions | ci-extensions-release | community | marketplace\n",
    );
    let (owner, why) = &inferred.owner;
    out.push_str(&format!(
        "owner: {owner}  # {why}; mattermost | partner | community\n"
    ));
    out.push_str("# release_stage: production  # experimental | beta | production (beta and experimental may ship without QA)\n");
    match &inferred.licence {
        Some((expr, why)) => out.push_str(&format!("licence: {}  # {why}\n", quoted(expr))),
        None => out.push_str(
            "# licence: Apache-2.0  # no licence file was detected: add LICENSE, then declare it\n",
        ),
    }
    match &inferred.template {
        Some((name, why)) => out.push_str(&format!("template: {}  # {why}\n", quoted(name))),
        None => out.push_str("# template: mattermost-plugin-starter-template  # no template history or copy was found\n"),
    }
    let urls = [
        ("master_build_url", &inferred.master_build_url),
        ("release_build_url", &inferred.release_build_url),
    ];
    // Known URLs are written; unknown ones stay comments that say why, so that the CI rules
    // report them as missing rather than a placeholder passing for a value.
    let any = urls.iter().any(|(_, (url, _))| url.is_some());
    out.push_str(if any { "ci:\n" } else { "# ci:\n" });
    for (key, (url, why)) in urls {
        match url {
            Some(url) => out.push_str(&format!("  {key}: {}  # {why}\n", quoted(url))),
            None => out.push_str(&format!(
                "{}{key}: https://...  # {why}: where the build can be downloaded\n",
                if any { "  # " } else { "#   " }
            )),
        }
    }
    out.push_str(
        "# Records of the human steps, each at the commit (a sha or a tag) it covers. Quote dates.
reviews: []
#  - { kind: basic, by: alice, commit: v1.0.0, date: \"2026-01-31\" }
#  - { kind: complete, by: bob, focus: security, commit: v1.0.0, date: \"2026-02-02\" }
qa: []
#  - { by: carol, release: v1.0.0, environment: ci-extensions-release, date: \"2026-02-03\", notes: docs/qa/v1.0.0.md }
# pm_ux:
#   by: dana
#   date: \"2026-02-04\"
#   commit: v1.0.0
#   communication: \"Announced in ~plugins; no other team is affected.\"
",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::onboarding::FILE_NAME;

    #[test]
    fn the_owner_is_guessed_from_the_remote_then_the_plugin_id() {
        assert_eq!(
            guess_owner(
                Some("git@github.com:mattermost/mattermost-plugin-jira.git"),
                None
            )
            .0,
            "mattermost"
        );
        assert_eq!(
            guess_owner(
                Some("https://github.com/mattermost-community/mattermost-plugin-todo"),
                Some("com.mattermost.plugin-todo")
            )
            .0,
            "community"
        );
        assert_eq!(
            guess_owner(None, Some("com.mattermost.calls")).0,
            "mattermost"
        );
        assert_eq!(
            guess_owner(Some("https://example.com/x.git"), Some("giphy")).0,
            "community"
        );
    }

    #[test]
    fn the_file_parses_as_onboarding_version_1_with_every_value_inferred() {
        let inferred = Inferred {
            licence: Some(("Apache-2.0 OR MIT".into(), "detected in LICENSE".into())),
            owner: ("mattermost", "guessed from the remote".into()),
            template: Some((
                "mattermost-plugin-starter-template".into(),
                "template-copy".into(),
            )),
            master_build_url: (
                Some(
                    "https://github.com/o/r/actions/workflows/ci.yml?query=branch%3Amaster".into(),
                ),
                "runs of ci.yml".into(),
            ),
            release_build_url: (None, "no GitHub workflow builds releases yet".into()),
        };
        let text = render(&inferred);
        assert!(text.starts_with("# yaml-language-server: $schema=https://"));
        let file = crate::source::SourceFile::new(FILE_NAME, text.as_str());
        let config = crate::facts::onboarding::parse(&file).expect("init writes a valid file");
        assert_eq!(
            config.licence.map(|l| l.value).as_deref(),
            Some("Apache-2.0 OR MIT")
        );
        assert_eq!(config.owner.map(|o| o.value.as_str()), Some("mattermost"));
        assert_eq!(
            config.template.map(|t| t.value).as_deref(),
            Some("mattermost-plugin-starter-template")
        );
        assert!(config.reviews.is_empty() && config.qa.is_empty() && config.pm_ux.is_none());
        assert_eq!(
            config.ci.master_build_url.map(|u| u.value).as_deref(),
            Some("https://github.com/o/r/actions/workflows/ci.yml?query=branch%3Amaster")
        );
        assert!(config.ci.release_build_url.is_none());
        assert!(
            text.contains(
                "\n  # release_build_url: https://...  # no GitHub workflow builds releases yet"
            ),
            "{text}"
        );

        let bare = render(&Inferred::default_for_test());
        let file = crate::source::SourceFile::new(FILE_NAME, bare.as_str());
        let config = crate::facts::onboarding::parse(&file).expect("valid without inferences");
        assert!(config.licence.is_none() && config.template.is_none());
        assert!(config.ci.master_build_url.is_none() && config.ci.release_build_url.is_none());
        assert!(
            bare.contains("\n# ci:\n#   master_build_url: https://...  # no `origin`"),
            "{bare}"
        );
    }

    #[test]
    fn github_remotes_in_every_form_name_the_repository() {
        for url in [
            "https://github.com/mattermost/mattermost-plugin-jira",
            "https://github.com/mattermost/mattermost-plugin-jira.git",
            "https://github.com/mattermost/mattermost-plugin-jira/",
            "https://x-access-token:secret@github.com/mattermost/mattermost-plugin-jira.git",
            "git@github.com:mattermost/mattermost-plugin-jira.git",
            "ssh://git@github.com/mattermost/mattermost-plugin-jira.git",
            "ssh://git@github.com:22/mattermost/mattermost-plugin-jira",
            "git://github.com/mattermost/mattermost-plugin-jira.git",
        ] {
            assert_eq!(
                github_repository(url).as_deref(),
                Some("https://github.com/mattermost/mattermost-plugin-jira"),
                "{url}"
            );
        }
        for url in [
            "https://gitlab.com/o/r.git",
            "git@gitlab.com:o/r.git",
            "https://github.com/o",
            "https://github.com/o/r/tree/main",
            "https://github.com/o/r?x=1",
            "/srv/git/r.git",
            "https://github.com/../r",
        ] {
            assert_eq!(github_repository(url), None, "{url}");
        }
    }

    #[test]
    fn build_urls_come_from_the_remote_and_the_workflows_that_build() {
        let trigger = |path: &str| crate::facts::ci::Trigger {
            path: path.into(),
            what: "builds".into(),
            file: None,
            span: crate::source::Span::new(0, 0),
        };
        let ci = crate::facts::ci::CiFact {
            default_branch: vec!["release/main".into()],
            master_builds: vec![
                trigger(".circleci/config.yml"),
                trigger(".github/workflows/build #1.yml"),
            ],
            release_builds: vec![trigger(".github/workflows/cd.yml")],
            ..Default::default()
        };
        let (master, release) = build_urls(Some("git@github.com:o/r.git"), &ci);
        assert_eq!(
            master.0.as_deref(),
            Some("https://github.com/o/r/actions/workflows/build%20%231.yml?query=branch%3Arelease%2Fmain")
        );
        assert_eq!(
            release.0.as_deref(),
            Some("https://github.com/o/r/releases")
        );

        let (master, release) = build_urls(Some("https://gitlab.com/o/r.git"), &ci);
        assert!(master.0.is_none() && release.0.is_none());
        assert!(master.1.contains("not on GitHub"), "{}", master.1);

        let circle_only = crate::facts::ci::CiFact {
            default_branch: vec!["master".into()],
            master_builds: vec![trigger(".circleci/config.yml")],
            ..Default::default()
        };
        let (master, release) = build_urls(Some("git@github.com:o/r.git"), &circle_only);
        assert!(master.0.is_none() && release.0.is_none());
        let (master, _) = build_urls(None, &ci);
        assert!(master.0.is_none());
    }

    impl Inferred {
        fn default_for_test() -> Inferred {
            Inferred {
                licence: None,
                owner: ("community", "guessed".into()),
                template: None,
                master_build_url: (None, "no `origin` remote".into()),
                release_build_url: (None, "no `origin` remote".into()),
            }
        }
    }
}
