//! Rules on CI: a CI configuration at all, builds of the default branch and of releases, and
//! the build URLs declared in `.onboarding.yml`. With no CI configuration at all, only
//! `missing-ci` reports; the others say they could not judge.

pub mod ci_not_building_master;
pub mod ci_not_building_releases;
pub mod invalid_ci_config;
pub mod invalid_master_build_url;
pub mod invalid_release_build_url;
pub mod missing_ci;
pub mod missing_master_build_url;
pub mod missing_release_build_url;

use crate::facts::ci::CiFact;
use crate::rules::Ctx;
use crate::source::{SourceFile, Spanned};

/// The CI fact when there is some CI configuration; otherwise records that the rule could not
/// judge (missing-ci reports the one finding) and returns `None`.
pub fn present<'a>(ctx: &mut Ctx<'a>) -> Option<&'a CiFact> {
    let fact = ctx.facts.ci();
    if fact.present() {
        Some(fact)
    } else {
        ctx.unknown("no CI configuration at all (see missing-ci)");
        None
    }
}

/// When nothing onboard read builds what a rule asks for but some CI file was not understood,
/// records that the rule could not judge ("CI configuration not understood: <file>") and
/// returns `true`: the file may well build it.
pub fn not_understood(ctx: &mut Ctx<'_>, fact: &CiFact) -> bool {
    let files: Vec<String> = fact
        .not_understood()
        .map(|f| {
            format!(
                "`{}` ({}: {})",
                f.path,
                crate::facts::ci::system_name(f.system),
                f.not_understood.as_deref().unwrap_or("not read")
            )
        })
        .collect();
    if files.is_empty() {
        return false;
    }
    ctx.unknown(format!(
        "CI configuration not understood: {}",
        files.join(", ")
    ));
    true
}

/// Which build URL a rule is about.
#[derive(Clone, Copy)]
pub enum Url {
    Master,
    Release,
}

impl Url {
    pub fn key(self) -> &'static str {
        match self {
            Url::Master => "ci.master_build_url",
            Url::Release => "ci.release_build_url",
        }
    }

    /// What the URL serves, for messages.
    fn serves(self) -> &'static str {
        match self {
            Url::Master => "the nightly build of the default branch",
            Url::Release => "release builds",
        }
    }

    /// The value in `.onboarding.yml`, with the file, when the configuration parsed.
    pub fn value(self, ctx: &Ctx<'_>) -> Option<(Option<Spanned<String>>, SourceFile)> {
        let (config, file) = ctx.facts.onboarding().parsed()?;
        let v = match self {
            Url::Master => config.ci.master_build_url.clone(),
            Url::Release => config.ci.release_build_url.clone(),
        };
        Some((v, file.clone()))
    }
}

/// Records the triggers that build as the evidence of a pass.
pub fn triggers_as_evidence(ctx: &mut Ctx<'_>, triggers: &[crate::facts::ci::Trigger]) {
    for t in triggers {
        let e = ctx.evidence(format!("`{}` {}", t.path, t.what));
        if let Some(file) = &t.file {
            e.at(file, t.span);
        }
    }
}

/// The check of `missing-master-build-url` and `missing-release-build-url`.
pub fn check_missing(ctx: &mut Ctx<'_>, url: Url) {
    if present(ctx).is_none() {
        return;
    }
    match url.value(ctx) {
        Some((Some(v), file)) => {
            ctx.evidence(format!("{} is {}", url.key(), v.value))
                .at(&file, v.span);
        }
        Some((None, _)) => {
            ctx.report(format!(
                "`.onboarding.yml` has no `{}`: where can {} be downloaded?",
                url.key(),
                url.serves()
            ))
            .help("add it under `ci:`, an https URL of the builds");
        }
        // No readable `.onboarding.yml`: missing-onboarding-file or invalid-onboarding-file
        // reports it.
        None => {
            ctx.report(format!(
                "no readable `.onboarding.yml` to declare `{}` in",
                url.key()
            ))
            .help("add `.onboarding.yml` with `ci:` and an https URL of the builds");
        }
    }
}

/// The check of `invalid-master-build-url` and `invalid-release-build-url`.
pub fn check_invalid(ctx: &mut Ctx<'_>, url: Url) {
    if present(ctx).is_none() {
        return;
    }
    let Some((Some(v), file)) = url.value(ctx) else {
        // Nothing to judge: the missing-…-build-url rule reports an absent value.
        return;
    };
    match url_problem(&v.value) {
        Some(problem) => {
            ctx.report(format!("`{}` {problem}", url.key()))
                .at(&file, v.span)
                .help(format!(
                    "use the https URL where {} can be downloaded",
                    url.serves()
                ));
        }
        None => {
            ctx.evidence(format!("{} is an https URL", url.key()))
                .at(&file, v.span);
        }
    }
}

/// Hosts that stand for "some server" in examples and templates.
const PLACEHOLDER_HOSTS: [&str; 6] = [
    "example.com",
    "example.org",
    "example.net",
    "localhost",
    "127.0.0.1",
    "0.0.0.0",
];

const PLACEHOLDER_WORDS: [&str; 5] = ["todo", "tbd", "fixme", "changeme", "xxx"];

/// Why a build URL is not usable: not an absolute https URL, or a placeholder.
pub fn url_problem(value: &str) -> Option<String> {
    let text = value.trim();
    if text.is_empty() {
        return Some("is empty".into());
    }
    let lower = text.to_ascii_lowercase();
    if text.contains('<') || text.contains('>') || text.contains("{{") {
        return Some("is a placeholder (`<...>`)".into());
    }
    if let Some(w) = PLACEHOLDER_WORDS.iter().find(|w| {
        lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|part| part == **w)
    }) {
        return Some(format!("is a placeholder (`{}`)", w.to_uppercase()));
    }
    let url = match url::Url::parse(text) {
        Ok(u) => u,
        Err(e) => return Some(format!("is not a URL ({e})")),
    };
    if url.scheme() != "https" {
        return Some(format!("uses `{}:`, not `https:`", url.scheme()));
    }
    let Some(host) = url.host_str() else {
        return Some("has no host".into());
    };
    let host = host.trim_end_matches('.');
    if PLACEHOLDER_HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
        || [".example", ".invalid", ".test", ".localhost"]
            .iter()
            .any(|s| host.ends_with(s))
    {
        return Some(format!("points at `{host}`, a placeholder host"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::url_problem;

    #[test]
    fn build_urls() {
        assert_eq!(
            url_problem("https://github.com/x/y/actions?query=branch%3Amaster"),
            None
        );
        assert!(url_problem("https://ci.example.org/x")
            .unwrap()
            .contains("placeholder"));
        assert!(url_problem("http://builds.mattermost.com/x")
            .unwrap()
            .contains("`http:`"));
        assert!(url_problem("https://example.com/nightly")
            .unwrap()
            .contains("placeholder"));
        assert!(url_problem("https://localhost:8080/")
            .unwrap()
            .contains("placeholder"));
        assert!(url_problem("TODO").unwrap().contains("TODO"));
        assert!(url_problem("https://<your-ci>/builds")
            .unwrap()
            .contains("<...>"));
        assert!(url_problem("builds.example").unwrap().contains("not a URL"));
        assert!(url_problem("  ").unwrap().contains("empty"));
        assert_eq!(
            url_problem("https://todos.dev/builds"),
            None,
            "whole words only"
        );
    }
}
