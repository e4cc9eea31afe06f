//! Releases, read from git: version tags with real semver precedence, tags set aside
//! (sub-modules, non-versions), the default branch and which tags are on it, the manifest
//! version against the tags, the plugin id at each release tag, and what changed between
//! releases (settings, docs). Facts judge nothing; the `release` rules do.

mod history;
pub mod version;

pub use history::{DocsBranches, DocsLine, SettingsChange};
use std::collections::HashMap;

use crate::facts::ManifestFact;
use crate::git;
use crate::workspace::Workspace;
use schemars::JsonSchema;
use serde::Serialize;
use std::cmp::Ordering;
use version::{Note, TagName};

/// What `onboard facts` shows under `release`.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ReleaseFact {
    /// Why tags and history could not be read (no git, no commit), when they could not.
    pub unavailable: Option<String>,
    /// A shallow clone: tags and history are incomplete, so release rules do not judge.
    pub shallow: bool,
    /// The default branch's short name.
    pub default_branch: Option<String>,
    /// Where its name came from: `origin/HEAD`, a bare repository's `HEAD`, a branch named main
    /// or master, or the branch `HEAD` is on.
    pub default_branch_source: Option<&'static str>,
    pub head_detached: bool,
    /// A `--rev` run: tags and branches are those of the linted commit's history.
    pub scoped: bool,
    /// Tags left out of a `--rev` run because their commits are not in the linted history.
    pub later_tags: usize,
    /// The commit whose tree is linted.
    pub linted_commit: Option<String>,
    /// Every version tag, highest first (semver precedence).
    pub tags: Vec<VersionTag>,
    /// Tags that are not plugin versions, with why.
    pub set_aside: Vec<SetAside>,
    /// The highest release (no pre-release part), by semver precedence.
    pub highest_release: Option<String>,
    /// The highest pre-release.
    pub highest_prerelease: Option<String>,
    /// The version tag made last (tagger date for annotated tags, else commit date).
    pub most_recent: Option<String>,
    /// The highest release whose commit is in the linted revision's history.
    pub highest_release_reachable: Option<String>,
    /// Version tags on the linted commit.
    pub at_revision: Vec<String>,
    /// `version` in the manifest of the linted tree.
    pub manifest_version: Option<String>,
    /// Whether it agrees with the version tag at the linted commit, else with the highest
    /// release in its history (it may be ahead of that: a release being prepared). `null` when
    /// the manifest sets no version or there is no tag to compare with.
    pub manifest_version_agrees: Option<bool>,
    /// The tag the manifest version was compared with.
    pub manifest_version_compared_with: Option<String>,
    /// The manifest `id` at each release tag, in precedence order.
    pub plugin_ids: Vec<TagPluginId>,
    /// Settings changed over the last release and since it, with the docs files changed.
    pub settings_changes: Vec<SettingsChange>,
    /// Versioned documentation branches, when `.onboarding.yml` says `docs.versioned: true`.
    pub docs_branches: Option<DocsBranches>,
    /// The tag the linted tree's `make patch|minor|major` would take for the latest release
    /// (the template's Makefile: the highest `v*` tag without `-rc`), when that tag is a
    /// pre-release not named `-rcN`. `null` without that Makefile logic.
    pub bump_takes_prerelease: Option<String>,
    /// Tags or objects that could not be read.
    pub problems: Vec<String>,
}

/// A tag that names a plugin version.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct VersionTag {
    pub name: String,
    /// The version read from the name (`v1.2` reads as `1.2.0`).
    pub version: String,
    /// No pre-release part.
    pub release: bool,
    pub annotated: bool,
    /// Carries a signature block (not verified).
    pub signed: bool,
    pub commit: String,
    /// `YYYY-MM-DD` (UTC): the tagger's date for an annotated tag, else the commit's.
    pub date: String,
    pub on_default_branch: bool,
    /// The commit is in the linted revision's history.
    pub reachable: bool,
    /// Where the name departs from what the starter template's build expects.
    pub notes: Vec<Note>,
    /// The tree at the tag builds its manifest version from tags with the template's tool
    /// (`build/manifest/main.go` sets `version` always, or when the manifest at the tag has
    /// none): only then does the name reach the built version. Read for tags with notes.
    pub build_takes_version: bool,
    #[serde(skip)]
    pub semver: semver::Version,
    #[serde(skip)]
    pub oid: Option<git2::Oid>,
    #[serde(skip)]
    pub time: i64,
}

/// A tag that is not a plugin version.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SetAside {
    pub name: String,
    /// `submodule` (`client/v1.2.3`), `malformed` (`v1.2.3.4`), `not_a_version`
    /// (`latest-master`), `not_a_commit` (a tag of a tree or blob), `missing_object` (the tag
    /// names an object the repository does not have, or an annotated tag's target is missing)
    /// or `unreadable_object` (git cannot read an object on the way: damaged).
    pub kind: &'static str,
}

/// The manifest `id` at one release tag, read from git objects.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TagPluginId {
    pub tag: String,
    /// `null` when the tag has no readable manifest or no id.
    pub id: Option<String>,
    pub path: Option<String>,
}

impl ReleaseFact {
    /// Release tags (no pre-release), highest first.
    pub fn releases(&self) -> impl Iterator<Item = &VersionTag> {
        self.tags.iter().filter(|t| t.release)
    }

    pub fn tag(&self, name: &str) -> Option<&VersionTag> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// Whether tags and history can be judged: git is there, with commits, and not shallow.
    pub fn usable(&self) -> Result<(), String> {
        if let Some(reason) = &self.unavailable {
            return Err(reason.clone());
        }
        if self.shallow {
            return Err(SHALLOW.to_string());
        }
        Ok(())
    }
}

/// The one diagnostic a shallow clone gets.
pub const SHALLOW: &str = "release tags and history are unavailable in a shallow clone; use \
                           `fetch-depth: 0` with actions/checkout";

/// Most bytes read of a manifest at a tag.
const MANIFEST_LIMIT: u64 = 1024 * 1024;

/// Orders version tags: higher precedence first; at equal precedence, a name without build
/// metadata, then the later tag, then by name.
fn order(a: &VersionTag, b: &VersionTag) -> Ordering {
    b.semver
        .cmp_precedence(&a.semver)
        .then_with(|| {
            a.semver
                .build
                .is_empty()
                .cmp(&b.semver.build.is_empty())
                .reverse()
        })
        .then_with(|| b.time.cmp(&a.time))
        .then_with(|| a.name.cmp(&b.name))
}

pub use crate::git::utc_date as date;

/// Computes the fact. `docs` is `.onboarding.yml`'s `docs` section, when it parsed.
pub fn compute(
    ws: &Workspace,
    manifest: &ManifestFact,
    docs: Option<&crate::facts::onboarding::Docs>,
) -> ReleaseFact {
    let info = ws.info();
    let mut fact = ReleaseFact {
        shallow: info.shallow,
        manifest_version: match manifest {
            ManifestFact::Found(m) => m.version.as_ref().map(|v| v.value.clone()),
            _ => None,
        },
        ..ReleaseFact::default()
    };
    let Some(repo) = ws.repo() else {
        fact.unavailable = Some(
            info.git_unavailable
                .clone()
                .unwrap_or_else(|| "no git repository".into()),
        );
        return fact;
    };
    let Some(linted) = info
        .commit
        .as_deref()
        .and_then(|c| git2::Oid::from_str(c).ok())
    else {
        fact.unavailable = Some("the repository has no commit yet".into());
        return fact;
    };
    fact.linted_commit = Some(linted.to_string());
    fact.head_detached = git::head_detached(repo);

    // Damaged refs or history leave tags and their places unknown: the release checks say
    // `unknown` with the reason, never "no release tag". Tags, branches and commits come from
    // the run's history alone: a `--rev` run sees what is reachable from its commit.
    let unavailable = |e: &str| format!("{e}; release tags cannot be judged");
    let run = match ws.run_history() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            fact.unavailable = Some(unavailable(e));
            fact.problems.push(e.to_string());
            return fact;
        }
        None => {
            fact.unavailable = Some("the repository has no commit yet".into());
            return fact;
        }
    };
    if let Some(d) = &run.default_branch {
        fact.default_branch = Some(d.name.clone());
        fact.default_branch_source = Some(d.source.as_str());
    }
    fact.scoped = run.scoped;
    fact.later_tags = run.later_tags.len();
    if let Some(e) = &run.tags_problem {
        fact.unavailable = Some(unavailable(e));
        fact.problems.push(e.clone());
    }
    for tag in &run.not_commits {
        fact.set_aside.push(SetAside {
            name: tag.name.clone(),
            kind: tag.why.as_str(),
        });
    }
    let mut default_problem = None;
    let mut on_default = |id: git2::Oid| {
        run.on_default_branch(repo, id).unwrap_or_else(|e| {
            default_problem.get_or_insert_with(|| e.to_string());
            false
        })
    };
    let raw = run.tags.clone();
    let in_linted = |id: git2::Oid| run.commits.contains(id);
    // What a commit's build does with the tag never changes: kept per commit in the cache.
    let builds = match ws.cache() {
        Some(c) => c.table(BUILD_TAKES_VERSION, &build_takes_version_key(ws.prefix())),
        None => crate::cache::Table::detached(),
    };

    for t in raw {
        match version::parse(&t.name) {
            TagName::Version { version, notes } => fact.tags.push(VersionTag {
                release: version.pre.is_empty(),
                version: version.to_string(),
                annotated: t.annotated,
                signed: t.signed,
                commit: t.commit.to_string(),
                date: date(t.time),
                on_default_branch: on_default(t.commit),
                reachable: in_linted(t.commit),
                build_takes_version: !notes.is_empty()
                    && kept_build_takes_version(&builds, repo, ws.prefix(), t.commit),
                notes,
                semver: version,
                oid: Some(t.commit),
                time: t.time,
                name: t.name,
            }),
            other => fact.set_aside.push(SetAside {
                name: t.name,
                kind: match other {
                    TagName::Submodule { .. } => "submodule",
                    TagName::Malformed => "malformed",
                    _ => "not_a_version",
                },
            }),
        }
    }
    if let Some(e) = default_problem {
        fact.unavailable.get_or_insert_with(|| unavailable(&e));
        fact.problems.push(e);
    }
    fact.set_aside.sort_by(|a, b| a.name.cmp(&b.name));
    fact.tags.sort_by(order);
    let highest_release = fact.releases().next().map(|t| t.name.clone());
    fact.highest_release = highest_release;
    fact.highest_prerelease = fact
        .tags
        .iter()
        .find(|t| !t.release)
        .map(|t| t.name.clone());
    fact.most_recent = fact
        .tags
        .iter()
        .max_by(|a, b| a.time.cmp(&b.time).then_with(|| order(b, a)))
        .map(|t| t.name.clone());
    let reachable = fact
        .releases()
        .find(|t| t.reachable)
        .map(|t| t.name.clone());
    fact.highest_release_reachable = reachable;
    fact.at_revision = fact
        .tags
        .iter()
        .filter(|t| t.oid == Some(linted))
        .map(|t| t.name.clone())
        .collect();
    compare_manifest_version(&mut fact);
    let makefile = ws.read_text("Makefile").ok().flatten();
    if makefile.is_some_and(|m| {
        m.text.contains("LATEST_RELEASE_TAG_RAW") && m.text.contains("grep -v '\\-rc'")
    }) {
        fact.bump_takes_prerelease = fact
            .tags
            .iter()
            .find(|t| t.name.starts_with('v') && !t.name.contains("-rc"))
            .filter(|t| t.notes.contains(&Note::PrereleaseNotRc))
            .map(|t| t.name.clone());
    }

    let releases: Vec<(String, git2::Oid)> = fact
        .releases()
        .filter_map(|t| Some((t.name.clone(), t.oid?)))
        .collect();
    // Releases often share a manifest blob (the version comes from the tag): parse each once.
    // What a commit's manifest says never changes: kept per commit in the cache.
    let mut ids: HashMap<git2::Oid, Option<String>> = HashMap::new();
    let kept = match ws.cache() {
        Some(c) => c.table(PLUGIN_IDS, &plugin_ids_key(ws.prefix())),
        None => crate::cache::Table::detached(),
    };
    fact.plugin_ids = releases
        .iter()
        .map(|(tag, commit)| {
            let raw: [u8; 20] = commit.as_bytes().try_into().expect("20-byte ids");
            if let Some((path, id)) = kept.get(&raw).and_then(|v| decode_plugin_id(&v)) {
                return TagPluginId {
                    tag: tag.clone(),
                    id,
                    path: Some(path.to_string()),
                };
            }
            let (path, id) = match history::manifest_blob_at(repo, ws.prefix(), *commit) {
                Some((path, blob)) => {
                    let id = ids.entry(blob).or_insert_with(|| {
                        history::parse_manifest_blob(repo, blob, MANIFEST_LIMIT)?
                            .get("id")
                            .and_then(|n| n.as_str())
                            .map(str::to_string)
                    });
                    // Only a manifest found is kept: "none" may be an object not fetched yet.
                    kept.insert(raw, encode_plugin_id(path, id.as_deref()));
                    (Some(path.to_string()), id.clone())
                }
                None => (None, None),
            };
            TagPluginId {
                tag: tag.clone(),
                id,
                path,
            }
        })
        .collect();
    if let Some(c) = ws.cache() {
        c.save(&kept);
        c.save(&builds);
    }
    fact.settings_changes = history::settings_changes(ws, repo, &fact, manifest, docs);
    if docs
        .and_then(|d| d.versioned.as_ref())
        .is_some_and(|v| v.value)
    {
        fact.docs_branches = Some(history::docs_branches(repo, run, &fact, manifest, docs));
    }
    fact
}

/// [`build_takes_version`] through `table`, by commit id.
fn kept_build_takes_version(
    table: &crate::cache::Table,
    repo: &git2::Repository,
    prefix: &str,
    commit: git2::Oid,
) -> bool {
    let Ok(id) = <[u8; 20]>::try_from(commit.as_bytes()) else {
        return build_takes_version(repo, prefix, commit).0;
    };
    match table.get(&id).as_deref() {
        Some([answer]) => *answer == 1,
        _ => {
            let (answer, settled) = build_takes_version(repo, prefix, commit);
            if settled {
                table.insert(id, vec![u8::from(answer)]);
            }
            answer
        }
    }
}

/// Whether the tree at `commit` builds its manifest version from tags with the template's
/// tool, and whether that answer is settled: one reached past an object that could not be
/// read (which a later fetch may bring) is not kept.
fn build_takes_version(repo: &git2::Repository, prefix: &str, commit: git2::Oid) -> (bool, bool) {
    let tool = format!("{prefix}{}", crate::facts::build::TOOL_PATH);
    let tool = match git::read_file_at(repo, commit, &tool, MANIFEST_LIMIT) {
        Ok(Some(tool)) => tool,
        Ok(None) => return (false, true),
        Err(_) => return (false, false),
    };
    let (version, _, _) = crate::facts::build::read_tool(&String::from_utf8_lossy(&tool));
    match version {
        crate::facts::build::Fill::Never => (false, true),
        crate::facts::build::Fill::Always => (true, true),
        // No manifest read (none, or one that could not be read): the build fills the version.
        crate::facts::build::Fill::WhenEmpty => {
            match history::manifest_at(repo, prefix, commit, MANIFEST_LIMIT) {
                Some((_, root)) => (root.get("version").is_none(), true),
                None => (true, false),
            }
        }
    }
}

/// The cache table of whether each tagged commit's build takes its version from the tag.
const BUILD_TAKES_VERSION: &str = "build-takes-version";

/// What that answer depends on besides the commit: the linted folder, the tool's path, the
/// manifest names and the read limit.
fn build_takes_version_key(prefix: &str) -> [u8; 32] {
    let limit = MANIFEST_LIMIT.to_le_bytes();
    let mut parts: Vec<&[u8]> = vec![
        b"build-takes-version 1",
        &limit,
        prefix.as_bytes(),
        crate::facts::build::TOOL_PATH.as_bytes(),
    ];
    parts.extend(
        crate::facts::manifest::CANDIDATES
            .iter()
            .map(|c| c.as_bytes()),
    );
    crate::cache::key(&parts)
}

/// The cache table of the plugin id in each release commit's manifest.
const PLUGIN_IDS: &str = "plugin-id";

/// What the plugin id at a commit depends on besides the commit: where manifests are looked
/// for (the linted folder, the names) and the read limit.
fn plugin_ids_key(prefix: &str) -> [u8; 32] {
    let limit = MANIFEST_LIMIT.to_le_bytes();
    let mut parts: Vec<&[u8]> = vec![b"plugin-id 1", &limit, prefix.as_bytes()];
    parts.extend(
        crate::facts::manifest::CANDIDATES
            .iter()
            .map(|c| c.as_bytes()),
    );
    crate::cache::key(&parts)
}

/// `[candidate index u8][id]`, index 0x80 set when there is an id.
fn encode_plugin_id(path: &str, id: Option<&str>) -> Vec<u8> {
    let at = crate::facts::manifest::CANDIDATES
        .iter()
        .position(|c| *c == path)
        .unwrap_or(0) as u8;
    let mut out = vec![at | if id.is_some() { 0x80 } else { 0 }];
    out.extend_from_slice(id.unwrap_or_default().as_bytes());
    out
}

fn decode_plugin_id(v: &[u8]) -> Option<(&'static str, Option<String>)> {
    let (&head, id) = v.split_first()?;
    let path = crate::facts::manifest::CANDIDATES.get(usize::from(head & 0x7f))?;
    let id = std::str::from_utf8(id).ok()?;
    match head & 0x80 {
        0 if id.is_empty() => Some((path, None)),
        0 => None,
        _ => Some((path, Some(id.to_string()))),
    }
}

/// The plugin id in the manifest of `commit`, when it has one.
pub fn plugin_id_at(repo: &git2::Repository, prefix: &str, commit: git2::Oid) -> Option<String> {
    let (_, blob) = history::manifest_blob_at(repo, prefix, commit)?;
    history::parse_manifest_blob(repo, blob, MANIFEST_LIMIT)?
        .get("id")
        .and_then(|n| n.as_str())
        .map(str::to_string)
}

/// Compares the manifest version with the tag at the linted commit, else with the highest
/// release in its history.
fn compare_manifest_version(fact: &mut ReleaseFact) {
    let Some(declared) = fact.manifest_version.as_deref() else {
        return;
    };
    let Ok(declared) = semver::Version::parse(declared.trim_start_matches('v')) else {
        // Not a version at all: invalid-manifest-version's to report.
        return;
    };
    let at_revision = fact
        .at_revision
        .iter()
        .filter_map(|n| fact.tag(n))
        .find(|t| t.release)
        .or_else(|| fact.at_revision.iter().find_map(|n| fact.tag(n)));
    let (tag, agrees) = match at_revision {
        Some(t) => (t, declared.cmp_precedence(&t.semver) == Ordering::Equal),
        None => match fact
            .highest_release_reachable
            .as_deref()
            .and_then(|n| fact.tag(n))
        {
            Some(t) => (t, declared.cmp_precedence(&t.semver) != Ordering::Less),
            None => return,
        },
    };
    fact.manifest_version_compared_with = Some(tag.name.clone());
    fact.manifest_version_agrees = Some(agrees);
}
