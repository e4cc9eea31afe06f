//! `.onboarding.yml`, version 1: the plugin's own statement of where it stands.

use crate::finding::{string_enum, Gate};
use crate::source::{Date, SourceFile, Spanned};
use crate::yaml::{self, Errors, MapReader, Node, YamlError};
use schemars::JsonSchema;
use serde::Serialize;

pub const FILE_NAME: &str = ".onboarding.yml";

string_enum! {
    /// Who maintains the plugin.
    Owner { Mattermost = "mattermost", Partner = "partner", Community = "community" }
}

string_enum! {
    /// How mature the plugin says it is.
    ReleaseStage { Experimental = "experimental", Beta = "beta", Production = "production" }
}

string_enum! {
    /// A basic review (one core committer) or a complete one (two, one on security).
    ReviewKind { Basic = "basic", Complete = "complete" }
}

/// The parsed `.onboarding.yml`.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "onboard: .onboarding.yml")]
pub struct Onboarding {
    /// Format version; must be 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: u64,
    /// The gate this plugin aims for; `onboard lint` judges it unless `--gate` says otherwise.
    pub gate: Option<Spanned<Gate>>,
    pub owner: Option<Spanned<Owner>>,
    pub release_stage: Option<Spanned<ReleaseStage>>,
    /// Declared licence, as an SPDX expression. `license` is accepted too.
    #[serde(alias = "license")]
    pub licence: Option<Spanned<String>>,
    /// Carve-outs: a glob of paths mapped to the SPDX expression (or `LicenseRef-…`) they are under.
    #[serde(default, serialize_with = "serialize_pairs")]
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    pub licence_paths: Vec<(Spanned<String>, Spanned<String>)>,
    /// A shipped template index name, or a path to another index file.
    pub template: Option<Spanned<String>>,
    #[serde(default)]
    pub ci: Ci,
    #[serde(default)]
    pub docs: Docs,
    #[serde(default)]
    pub third_party: ThirdParty,
    #[serde(default)]
    pub reviews: Vec<Review>,
    #[serde(default)]
    pub qa: Vec<Qa>,
    pub pm_ux: Option<PmUx>,
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    /// Extra policy files (paths in the repository) layered over the gate's policy.
    #[serde(default)]
    pub policies: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ci {
    /// Where the nightly build of the default branch can be downloaded (https).
    pub master_build_url: Option<Spanned<String>>,
    /// Where release builds can be downloaded (https).
    pub release_build_url: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    /// The README to judge, when it is not the root `README.md`.
    pub readme: Option<Spanned<String>>,
    /// The heading whose first paragraph is the plugin's one-paragraph summary, when it is not
    /// the README's first prose paragraph.
    pub summary_heading: Option<Spanned<String>>,
    /// Setup documentation: a path in the repository or an https URL.
    pub setup: Option<Spanned<String>>,
    /// Where to report vulnerabilities, when the repository does not say it itself (an
    /// organisation-wide policy): an https URL, a `mailto:` address or a path in the repository.
    pub security: Option<Spanned<String>>,
    /// Whether the documentation keeps a branch per minor/major release.
    pub versioned: Option<Spanned<bool>>,
    /// Name pattern of documentation branches, with `{id}` and `{version}`.
    pub branch_pattern: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThirdParty {
    /// The external service the plugin talks to, if any.
    pub service: Option<Spanned<String>>,
    /// Where QA finds a test account for that service.
    pub test_account: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub kind: Spanned<ReviewKind>,
    /// The reviewer's handle.
    pub by: Spanned<String>,
    /// What the review focused on, e.g. `security`.
    pub focus: Option<Spanned<String>>,
    /// The reviewed commit: a sha or a tag.
    pub commit: Spanned<String>,
    pub date: Spanned<Date>,
    /// An SSH signature (`-----BEGIN SSH SIGNATURE-----`) over the record's payload.
    pub signature: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Qa {
    /// The release tag that was tested.
    pub release: Option<Spanned<String>>,
    /// The commit that was tested, when not a release.
    pub commit: Option<Spanned<String>>,
    /// Where it was tested, e.g. `ci-extensions-release`.
    pub environment: Option<Spanned<String>>,
    pub by: Spanned<String>,
    pub date: Spanned<Date>,
    /// The QA session notes, a path in the repository.
    pub notes: Option<Spanned<String>>,
    /// An SSH signature (`-----BEGIN SSH SIGNATURE-----`) over the record's payload.
    pub signature: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PmUx {
    pub by: Spanned<String>,
    pub date: Spanned<Date>,
    pub commit: Option<Spanned<String>>,
    /// Whether, and how, other teams or users hear of the rollout.
    pub communication: Option<Spanned<String>>,
    /// An SSH signature (`-----BEGIN SSH SIGNATURE-----`) over the record's payload.
    pub signature: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The rule waived, by name or code.
    pub rule: Spanned<String>,
    /// Why; required.
    pub reason: Spanned<String>,
    /// Last day the waiver applies.
    pub until: Option<Spanned<Date>>,
    /// Only findings in these paths (globs) are waived; all when absent.
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    /// The whole waiver entry, for diagnostics.
    #[serde(skip)]
    pub span: crate::source::Span,
}

fn serialize_pairs<S: serde::Serializer>(
    pairs: &[(Spanned<String>, Spanned<String>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(&k.value, &v.value)?;
    }
    map.end()
}

/// Parses the file, reporting every problem at once.
pub fn parse(file: &SourceFile) -> Result<Onboarding, Vec<YamlError>> {
    let root = yaml::parse(&file.text).map_err(|e| vec![e])?;
    let mut errs = Errors::default();
    let parsed = read_root(&root, &mut errs);
    match parsed {
        Some(o) if errs.is_empty() => Ok(o),
        _ => Err(errs.items),
    }
}

fn read_root(root: &Node, errs: &mut Errors) -> Option<Onboarding> {
    if root.value == yaml::Value::Null {
        errs.push_help(
            "`.onboarding.yml` is empty",
            root.span,
            "start it with `version: 1`",
        );
        return None;
    }
    let mut m = MapReader::new(FILE_NAME, root, errs)?;
    let mut o = Onboarding::default();
    match m.get("version") {
        None => errs.push_help(
            "`.onboarding.yml` has no `version`",
            root.span,
            "add `version: 1` at the top",
        ),
        Some(n) => {
            if let Some(v) = errs.uint("version", n) {
                if v.value != 1 {
                    errs.push_help(
                        format!("unsupported version {}", v.value),
                        v.span,
                        "this onboard reads version 1",
                    );
                }
                o.version = v.value;
            }
        }
    }
    o.gate = m
        .get("gate")
        .and_then(|n| errs.word("gate", n, Gate::parse, Gate::NAMES));
    o.owner = m
        .get("owner")
        .and_then(|n| errs.word("owner", n, Owner::parse, Owner::NAMES));
    o.release_stage = m
        .get("release_stage")
        .and_then(|n| errs.word("release_stage", n, ReleaseStage::parse, ReleaseStage::NAMES));
    o.licence = m
        .get_either("licence", "license", errs)
        .and_then(|n| errs.str("licence", n));
    if let Some(n) = m.get("licence_paths") {
        if let Some(paths) = MapReader::new("licence_paths", n, errs) {
            for (k, v) in errs.at_most("licence_paths", paths.entries(), |e| e.0.span, MAX_ENTRIES)
            {
                if let (Some(k), Some(v)) = (
                    errs.str("licence_paths glob", k),
                    errs.str("licence_paths value", v),
                ) {
                    o.licence_paths.push((k, v));
                }
            }
        }
    }
    o.template = m.str("template", errs);
    if let Some(n) = m.get("ci") {
        if let Some(mut r) = MapReader::new("ci", n, errs) {
            o.ci.master_build_url = r.str("master_build_url", errs);
            o.ci.release_build_url = r.str("release_build_url", errs);
            r.finish(errs);
        }
    }
    if let Some(n) = m.get("docs") {
        if let Some(mut r) = MapReader::new("docs", n, errs) {
            o.docs.readme = repo_path("docs.readme", r.str("readme", errs), errs);
            o.docs.summary_heading = r.str("summary_heading", errs);
            o.docs.setup = repo_path("docs.setup", r.str("setup", errs), errs);
            o.docs.security = repo_path("docs.security", r.str("security", errs), errs);
            o.docs.versioned = r.get("versioned").and_then(|n| errs.bool("versioned", n));
            o.docs.branch_pattern = r.str("branch_pattern", errs);
            r.finish(errs);
        }
    }
    if let Some(n) = m.get("third_party") {
        if let Some(mut r) = MapReader::new("third_party", n, errs) {
            o.third_party.service = r.str("service", errs);
            o.third_party.test_account = r.str("test_account", errs);
            r.finish(errs);
        }
    }
    if let Some(n) = m.get("reviews") {
        o.reviews = errs
            .seq_at_most("reviews", n, MAX_ENTRIES)
            .iter()
            .filter_map(|n| read_review(n, errs))
            .collect();
    }
    if let Some(n) = m.get("qa") {
        o.qa = errs
            .seq_at_most("qa", n, MAX_ENTRIES)
            .iter()
            .filter_map(|n| read_qa(n, errs))
            .collect();
    }
    o.pm_ux = m.get("pm_ux").and_then(|n| read_pm_ux(n, errs));
    if let Some(n) = m.get("waivers") {
        o.waivers = errs
            .seq_at_most("waivers", n, MAX_ENTRIES)
            .iter()
            .filter_map(|n| read_waiver(n, errs))
            .collect();
    }
    if let Some(n) = m.get("policies") {
        o.policies = errs
            .seq_at_most("policies", n, MAX_ENTRIES)
            .iter()
            .filter_map(|n| errs.str("policies", n))
            .collect();
    }
    m.finish(errs);
    Some(o)
}

/// Most entries a list or mapping of `.onboarding.yml` may hold. Each entry is checked against
/// something large (git history, every finding, every licence file), so the count is bounded
/// to keep a run's time linear in the repository; real files hold a few dozen.
pub const MAX_ENTRIES: usize = 1000;

/// A value that may be a path in the repository (`docs.readme`, a QA record's `notes`; for
/// `docs.setup` and `docs.security`, when it is not a URL): a path that leaves the repository,
/// is absolute or names the git directory is reported where it is written, and dropped.
fn repo_path(
    key: &str,
    value: Option<Spanned<String>>,
    errs: &mut Errors,
) -> Option<Spanned<String>> {
    let v = value?;
    let lower = v.value.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("mailto:") {
        return Some(v);
    }
    match crate::workspace::paths::config_path(&v.value) {
        Ok(_) => Some(v),
        Err(e) => {
            errs.push_help(
                format!("`{key}`: {e}"),
                v.span,
                "paths in `.onboarding.yml` are relative to the repository root, stay inside it, \
                 and never lead into `.git`",
            );
            None
        }
    }
}

/// Reads a required key, reporting its absence at the enclosing mapping.
fn required<T>(
    m: &mut MapReader<'_>,
    key: &'static str,
    what: &str,
    node: &Node,
    errs: &mut Errors,
    read: impl FnOnce(&mut Errors, &Node) -> Option<T>,
) -> Option<T> {
    match m.get(key) {
        Some(n) => read(errs, n),
        None => {
            errs.missing(key, what, node);
            None
        }
    }
}

fn read_review(node: &Node, errs: &mut Errors) -> Option<Review> {
    let mut m = MapReader::new("a review", node, errs)?;
    let kind = required(&mut m, "kind", "this review", node, errs, |e, n| {
        e.word("kind", n, ReviewKind::parse, ReviewKind::NAMES)
    });
    let by = required(&mut m, "by", "this review", node, errs, |e, n| {
        e.str("by", n)
    });
    let focus = m.str("focus", errs);
    let commit = required(&mut m, "commit", "this review", node, errs, |e, n| {
        e.str("commit", n)
    });
    let date = required(&mut m, "date", "this review", node, errs, |e, n| {
        e.date("date", n)
    });
    let signature = m.str("signature", errs);
    m.finish(errs);
    Some(Review {
        kind: kind?,
        by: by?,
        focus,
        commit: commit?,
        date: date?,
        signature,
    })
}

fn read_qa(node: &Node, errs: &mut Errors) -> Option<Qa> {
    let mut m = MapReader::new("a QA record", node, errs)?;
    let release = m.str("release", errs);
    let commit = m.str("commit", errs);
    let environment = m.str("environment", errs);
    let by = required(&mut m, "by", "this QA record", node, errs, |e, n| {
        e.str("by", n)
    });
    let date = required(&mut m, "date", "this QA record", node, errs, |e, n| {
        e.date("date", n)
    });
    let notes = repo_path("notes", m.str("notes", errs), errs);
    let signature = m.str("signature", errs);
    m.finish(errs);
    if release.is_none() && commit.is_none() {
        errs.push_help(
            "this QA record names neither a `release` nor a `commit`",
            node.span,
            "say what was tested: `release: v1.2.0` or `commit: <sha>`",
        );
    }
    Some(Qa {
        release,
        commit,
        environment,
        by: by?,
        date: date?,
        notes,
        signature,
    })
}

fn read_pm_ux(node: &Node, errs: &mut Errors) -> Option<PmUx> {
    let mut m = MapReader::new("pm_ux", node, errs)?;
    let by = required(&mut m, "by", "`pm_ux`", node, errs, |e, n| e.str("by", n));
    let date = required(&mut m, "date", "`pm_ux`", node, errs, |e, n| {
        e.date("date", n)
    });
    let commit = m.str("commit", errs);
    let communication = m.str("communication", errs);
    let signature = m.str("signature", errs);
    m.finish(errs);
    Some(PmUx {
        by: by?,
        date: date?,
        commit,
        communication,
        signature,
    })
}

fn read_waiver(node: &Node, errs: &mut Errors) -> Option<Waiver> {
    let mut m = MapReader::new("a waiver", node, errs)?;
    let rule = required(&mut m, "rule", "this waiver", node, errs, |e, n| {
        e.str("rule", n)
    });
    let reason = match m.get("reason") {
        Some(n) => errs.str("reason", n).filter(|r| {
            let blank = r.value.trim().is_empty();
            if blank {
                errs.push("a waiver's `reason` must not be blank", r.span);
            }
            !blank
        }),
        None => {
            errs.push_help(
                "this waiver has no `reason`",
                node.span,
                "add `reason: \"…\"`: a waiver without a reason cannot be reviewed",
            );
            None
        }
    };
    let until = m.get("until").and_then(|n| errs.date("until", n));
    let paths = match m.get("paths") {
        Some(n) => errs
            .seq_at_most("paths", n, MAX_ENTRIES)
            .iter()
            .filter_map(|n| errs.str("paths", n))
            .collect(),
        None => Vec::new(),
    };
    m.finish(errs);
    Some(Waiver {
        rule: rule?,
        reason: reason?,
        until,
        paths,
        span: node.span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(String, String)> {
        let file = SourceFile::new(FILE_NAME, text);
        parse(&file)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.message, text[e.span.offset..e.span.end()].to_string()))
            .collect()
    }

    #[test]
    fn reads_the_documented_example() {
        let text = include_str!("../../tests/data/onboarding-example.yml");
        let o = parse(&SourceFile::new(FILE_NAME, text)).unwrap();
        assert_eq!(o.gate.unwrap().value, Gate::CiExtensionsRelease);
        assert_eq!(o.reviews.len(), 2);
        assert_eq!(o.reviews[1].focus.as_ref().unwrap().value, "security");
        assert_eq!(o.waivers[0].rule.value, "review-size");
        assert_eq!(o.licence_paths.len(), 1);
    }

    #[test]
    fn reports_every_problem_at_its_span() {
        let text = "version: 1\ngate: ci-extension\nreveiws: []\nreviews:\n  - { kind: basic, by: 7, commit: abc, date: \"2026-02-30\" }\n";
        let errs = errors(text);
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs
            .iter()
            .any(|(m, s)| m.contains("not a valid `gate`") && s == "ci-extension"));
        assert!(errs
            .iter()
            .any(|(m, s)| m.contains("unknown key `reveiws`") && s == "reveiws"));
        assert!(errs
            .iter()
            .any(|(m, s)| m.contains("must be a string, found an integer") && s == "7"));
        assert!(errs
            .iter()
            .any(|(m, s)| m.contains("not a valid date") && s == "\"2026-02-30\""));
    }

    #[test]
    fn licence_and_license_are_one_key() {
        let o = parse(&SourceFile::new(FILE_NAME, "version: 1\nlicense: MIT\n")).unwrap();
        assert_eq!(o.licence.unwrap().value, "MIT");
        let errs = errors("version: 1\nlicence: MIT\nlicense: MIT\n");
        assert!(errs[0].0.contains("same setting"));
    }

    #[test]
    fn waivers_need_a_reason() {
        let errs = errors("version: 1\nwaivers:\n  - { rule: missing-readme }\n");
        assert!(errs[0].0.contains("no `reason`"), "{errs:?}");
    }
}
