use super::found;
use crate::facts::build::{Fill, Join};
use crate::facts::release::version::{self, TagName};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "OB111",
    name: "wrong-release-notes-url",
    group: "manifest",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "The release notes URL the plugin ships does not name this release of this plugin.",
    docs: r#"## What it checks
The `release_notes_url` the Marketplace will show: the one written in the manifest, or the one
the starter template's build writes (see `missing-marketplace-field`). It must be the page of a
release of this plugin, and of the release the manifest's version names. Findings, at the value
(or, for a built one, at `homepage_url`, which it is made from):

- the bare repository page (`https://github.com/o/p`) or the list of releases
  (`…/releases`, `…/releases/latest`): no release named;
- a release page with no version (`…/releases/tag/v`, `…/releases/tag/`);
- a path GitHub has no release page at (`…/releases/v3.0.0` without `tag/`);
- a release of another version than the manifest's (`…/tag/v3.0.0` with `"version":
  "4.0.0"`; a built version `1.2.3+abc1234` of a commit after `v1.2.3` agrees with `v1.2.3`);
- a URL the build makes by concatenation (`homepage_url + "releases/tag/" + tag`, in copies of
  the tool from before `url.JoinPath`) from a `homepage_url` without a trailing `/`, which runs
  the repository name into `releases` (`…/mattermost-plugin-todoreleases/tag/v0.7.1`);
- a URL the build makes from a `homepage_url` that is not a repository on GitHub or GitLab
  (`https://mattermost.com/pl/…`): `<homepage>/releases/tag/<tag>` is no release page there.

A URL on another host that is written in the manifest is judged only by the version it names, if
any; a changelog file is accepted as release notes.

## Why it matters
Administrators follow the link from the Marketplace and the System Console to read what changed
in the version they are about to install. A link to the repository, to another version or to a
page that does not exist tells them nothing, or the wrong thing. Real plugins ship all of these:
`…/releases/tag/v` (the version left off), `…/releases/v3.0.0` on version 4.0.0, the repository
page, and the run-together URLs of the concatenating build.

The marketplace policy denies it, as it denies a missing `release_notes_url`: a link that names
no release, or another one, is no better than none, and the fix is one line. The repository
page is the debatable case (it works, and leads to the releases in two clicks); it is denied
with the rest because the Marketplace's own entries link the release (`…/releases/tag/v1.5.0`)
and the template's build makes exactly that when the field is left out.

## How to fix
With the template's build, remove `release_notes_url` from `plugin.json` and let the build fill
it from the tag; end `homepage_url` with `/` when the build concatenates, or update
`build/manifest/main.go` to the template's (which uses `url.JoinPath`); point `homepage_url`
at the repository. Without it, write `https://github.com/<owner>/<repo>/releases/tag/v<version>`
and update it with every release.

## Parameters
None.

## Example
```json
{ "version": "4.4.0",
  "release_notes_url": "https://github.com/example/mattermost-plugin-hello/releases/tag/v" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

/// Hosts whose repository URLs onboard can read: `https://<host>/<owner>/<repo>/…`.
const FORGES: [&str; 2] = ["github.com", "gitlab.com"];

/// Whether a URL is a repository on a forge: `https://github.com/<owner>/<repo>[/]`.
fn is_repository(raw: &str) -> bool {
    let Ok(u) = url::Url::parse(raw.trim()) else {
        return false;
    };
    let segments: Vec<&str> = u.path().split('/').filter(|s| !s.is_empty()).collect();
    u.host_str().is_some_and(|h| FORGES.contains(&h)) && segments.len() == 2
}

/// What is wrong with a release notes URL for a plugin at `version`, if anything.
pub fn problem(raw: &str, version: Option<&str>) -> Option<String> {
    let u = url::Url::parse(raw.trim()).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    let segments: Vec<&str> = u.path().split('/').filter(|s| !s.is_empty()).collect();
    let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let changelog = lower
        .last()
        .is_some_and(|s| s.contains("changelog") || s.contains("release-notes"));
    if changelog {
        return None;
    }
    let tag = if FORGES.contains(&host.as_str()) {
        let rest: Vec<&str> = lower.iter().skip(2).map(String::as_str).collect();
        // GitLab puts its pages under `-/`.
        let rest: Vec<&str> = match rest.first() {
            Some(&"-") => rest[1..].to_vec(),
            _ => rest,
        };
        match rest.as_slice() {
            [] if segments.len() == 2 => {
                return Some("is the repository's page, not the notes of a release".into())
            }
            ["releases"] | ["releases", "latest"] | ["tags"] => {
                return Some("is the list of releases, not the notes of this release".into())
            }
            ["releases", "tag"] => return Some("names no release: it ends in `/tag/`".into()),
            ["releases", "tag", tag] | ["tags", tag] => *tag,
            // GitLab: `-/releases/<tag>`.
            ["releases", tag] if host == "gitlab.com" => *tag,
            ["releases", other] => {
                return Some(format!(
                    "is not a release page: GitHub's are `…/releases/tag/<tag>`, not \
                     `…/releases/{other}`{}",
                    mismatch(other, version)
                        .map(|m| format!("; it also {m}"))
                        .unwrap_or_default()
                ))
            }
            _ => {
                return Some(format!(
                    "is not a release page of a repository (`…/{}`)",
                    segments.get(2..).unwrap_or_default().join("/")
                ))
            }
        }
    } else {
        match lower.last() {
            Some(last) if looks_like_version(last) => last,
            _ => return None,
        }
    };
    if tag == "v" || tag.is_empty() {
        return Some("names no release: it ends in `/tag/v`, without the version".into());
    }
    mismatch(tag, version)
}

/// `v1.2.3`, `1.2.3`, `v1.2`.
fn looks_like_version(segment: &str) -> bool {
    segment == "v" || matches!(version::parse(segment), TagName::Version { .. })
}

/// "names release v3.0.0, but the manifest version is 4.0.0", when they differ.
fn mismatch(tag: &str, version: Option<&str>) -> Option<String> {
    let version = version?;
    let TagName::Version { version: named, .. } = version::parse(tag) else {
        return None;
    };
    let ours = semver::Version::parse(version.trim_start_matches('v')).ok()?;
    (named.cmp_precedence(&ours) != std::cmp::Ordering::Equal)
        .then(|| format!("names release `{tag}`, but the manifest version is `{version}`"))
}

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    let build = ctx.facts.build();
    let written_version = m
        .version
        .as_ref()
        .map(|v| v.value.clone())
        .filter(|v| !v.is_empty());
    let version = build
        .version
        .as_ref()
        .and_then(|b| b.value.clone())
        .or(written_version);
    let homepage = m.homepage_url.as_ref().filter(|h| !h.value.is_empty());

    // Built by the template's tool.
    if let (Some(built), Some(tool)) = (&build.release_notes_url, &build.tool) {
        let Some(value) = &built.value else {
            // Left empty: missing-marketplace-field reports it.
            return;
        };
        let at = homepage.map_or(Span::new(m.span.offset, 0), |h| h.span);
        let problem = match homepage {
            Some(h) if tool.join == Some(Join::Concatenation) && !h.value.ends_with('/') => {
                Some(format!(
                    "`{}` joins `homepage_url + \"releases/tag/\" + tag`, and `homepage_url` has \
                     no trailing `/`, so the repository name runs into `releases`",
                    tool.path
                ))
            }
            Some(h) if !is_repository(&h.value) => Some(format!(
                "it is made from `homepage_url` (`{}`), which is not a repository on GitHub or \
                 GitLab, so `<homepage_url>/releases/tag/<tag>` is no release page",
                h.value
            )),
            _ => problem(value, version.as_deref()),
        };
        match problem {
            Some(p) => {
                ctx.report(format!(
                    "the template's build writes `release_notes_url` as {value}: {p}"
                ))
                .at(&m.file, at)
                .help(
                    "point `homepage_url` at the repository page; end it with `/` when the build \
                     concatenates, or update `build/manifest/main.go` to the template's, which \
                     uses `url.JoinPath`",
                );
            }
            None => {
                ctx.evidence(format!(
                    "the template's build writes `release_notes_url` as {value}, a release of \
                     this plugin"
                ));
            }
        }
        return;
    }

    // Written in the manifest.
    let Some(written) = m.release_notes_url.as_ref().filter(|v| !v.value.is_empty()) else {
        return;
    };
    match problem(&written.value, version.as_deref()) {
        Some(p) => {
            let help = match &build.tool {
                Some(t) if t.release_notes_url == Fill::WhenEmpty => format!(
                    "remove `release_notes_url` from `{}`: the template's build (`{}`) fills it \
                     from `homepage_url` and the release's tag",
                    m.path, t.path
                ),
                _ => "write the release's page, `https://github.com/<owner>/<repo>/releases/tag/\
                      v<version>`, and update it with every release"
                    .to_string(),
            };
            ctx.report(format!("`release_notes_url` {p}"))
                .at(&m.file, written.span)
                .help(help);
        }
        None => {
            ctx.evidence(format!("`release_notes_url` is {}", written.value))
                .at(&m.file, written.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn release_notes_urls_of_real_plugins() {
        // profanity-filter: right.
        assert_eq!(
            problem(
                "https://github.com/mattermost/mattermost-plugin-profanity-filter/releases/tag/v1.0.0",
                Some("1.0.0")
            ),
            None
        );
        // bigbluebutton: the version left off.
        assert!(problem(
            "https://github.com/blindsidenetworks/mattermost-plugin-bigbluebutton/releases/tag/v",
            Some("4.4.0")
        )
        .unwrap()
        .contains("`/tag/v`"));
        // giphy: no `tag/`, and another version.
        let giphy = problem(
            "https://github.com/moussetc/mattermost-plugin-giphy/releases/v3.0.0",
            Some("4.0.0"),
        )
        .unwrap();
        assert!(giphy.contains("not a release page"), "{giphy}");
        assert!(giphy.contains("the manifest version is `4.0.0`"), "{giphy}");
        // agents: the repository's page.
        assert!(
            problem("https://github.com/mattermost/mattermost-plugin-ai", None)
                .unwrap()
                .contains("repository's page")
        );
        // Another release.
        assert_eq!(
            problem("https://github.com/o/p/releases/tag/v3.0.0", Some("4.0.0")).as_deref(),
            Some("names release `v3.0.0`, but the manifest version is `4.0.0`")
        );
        // A build after the tag agrees with it.
        assert_eq!(
            problem(
                "https://github.com/o/p/releases/tag/v2.7.1",
                Some("2.7.1+3fe4e89")
            ),
            None
        );
        // The list of releases; a changelog; another host.
        assert!(problem("https://github.com/o/p/releases", None).is_some());
        assert_eq!(
            problem(
                "https://github.com/o/p/blob/master/CHANGELOG.md",
                Some("1.0.0")
            ),
            None
        );
        assert_eq!(problem("https://example.com/notes", Some("1.0.0")), None);
        assert!(problem("https://example.com/notes/v0.9.0", Some("1.0.0")).is_some());
        // GitLab.
        assert_eq!(
            problem("https://gitlab.com/g/p/-/releases/v1.0.0", Some("1.0.0")),
            None
        );
    }
}
