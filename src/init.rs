//! `onboard init`: writes a first `.onboarding.yml` inferred from the repository. It is the one
//! command that writes a file into the working tree, and it refuses to replace one without
//! `--force`.

use crate::facts::Facts;

/// Where editors find the schema of `.onboarding.yml` (completion and validation).
pub const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/onboard/onboard/main/schemas/onboarding.schema.json";

/// What init could tell about the repository, each value with where it came from.
#[derive(Debug, PartialEq, Eq)]
pub struct Inferred {
    pub licence: Option<(String, String)>,
    pub owner: (&'static str, String),
    pub template: Option<(String, String)>,
}

/// Reads what `.onboarding.yml` can say from the facts.
pub fn infer(facts: &Facts) -> Inferred {
    let licence = facts.licence();
    let licence = match (&licence.root, licence.files.iter().find(|f| f.root)) {
        (Some(expr), Some(file)) => Some((expr.clone(), format!("detected in {}", file.path))),
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
    Inferred {
        licence,
        owner,
        template,
    }
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
                return (owner, format!("guessed from the remote {url}"));
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
    out.push_str(&format!("# yaml-language-server: $schema={SCHEMA_URL}\n"));
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
    out.push_str(
        "ci:
  # Placeholders: replace them with the pages that serve the nightly build of the default
  # branch and the release builds (https). Until then the CI rules flag them.
  master_build_url: \"https://TODO.invalid/master-build\"
  release_build_url: \"https://TODO.invalid/release-build\"
# Records of the human steps, each at the commit (a sha or a tag) it covers. Quote dates.
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
        assert!(config.ci.master_build_url.is_some());

        let bare = render(&Inferred::default_for_test());
        let file = crate::source::SourceFile::new(FILE_NAME, bare.as_str());
        let config = crate::facts::onboarding::parse(&file).expect("valid without inferences");
        assert!(config.licence.is_none() && config.template.is_none());
    }

    impl Inferred {
        fn default_for_test() -> Inferred {
            Inferred {
                licence: None,
                owner: ("community", "guessed".into()),
                template: None,
            }
        }
    }
}
