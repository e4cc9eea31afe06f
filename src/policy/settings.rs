//! Settings: what facts need to know before they exist (the template index and class globs, the
//! licence classifier's threshold, which paths are production code, who the core committers
//! are). They are top-level keys of a policy file, beside `rules:`, layered like every other
//! policy value (a later file replaces a list, and sets a mapping's keys one by one), validated
//! at their span, and handed to `Facts::new`; a fact never reads a rule's parameters.

use super::{Origin, PolicyError};
use crate::source::SourceFile;
use crate::suggest;
use crate::template::TemplateSettings;
use crate::workspace::{paths, Entry, Workspace};
use crate::yaml::{self, Node, YamlError};
use globset::{Glob, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// The starter-template comparison: the index and the globs of the classes a reviewer does
    /// not read.
    pub template: TemplateSettings,
    /// Licence identification.
    pub licence: LicenceSettings,
    /// Globs of production paths: a change here makes reviews and QA passes stale.
    pub production: Vec<String>,
    /// Globs carved out of `production`: tests, docs, fixtures.
    pub not_production: Vec<String>,
    /// The core committers whose records count (anyone's when empty): a name, or
    /// `{ name, email, handles, keys }` with the SSH public keys they sign records with.
    pub committers: Vec<super::committers::Committer>,
    /// Only records signed by one of their committer's keys count (see `docs/records.md`).
    pub require_signed_records: bool,
    /// Organisations whose published security policy covers every repository they own
    /// (GitHub shows an organisation's `.github` repository's `SECURITY.md` on each of them),
    /// by the owner name in the `origin` remote's URL: `{ mattermost: https://… }`.
    pub security_policies: BTreeMap<String, String>,
    /// Plugin ids the Mattermost server ships prepackaged: for these, enabling the plugin on the
    /// System Console's Plugin Management page is its whole installation, so a README step that
    /// enables it documents installing it.
    pub prepackaged: Vec<String>,
    /// How dependency licences are found.
    pub dependencies: DependencySettings,
}

/// How dependency licences are found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DependencySettings {
    /// Run `cargo metadata` (confined: offline, on a copy of the manifests, bounded in time and
    /// memory) instead of reading `Cargo.lock` and the local registry cache. For trusted
    /// repositories only: a policy file of the linted repository cannot turn it on; a `--policy`
    /// file or `--cargo-metadata` can.
    pub cargo_metadata: bool,
}

/// How licence texts are identified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LicenceSettings {
    /// The classifier's threshold, 0 to 1: how similar a text must be to a licence to count as
    /// that licence, changed or not (a text that changes terms is never named); it also decides
    /// how files holding several licences are split.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub threshold: f32,
    /// The licences a `licence_paths` carve-out may declare: SPDX ids (`LicenseRef-…` too), or
    /// `category-a` / `category-b`. Null: the gate's allow list (`incompatible-licence`'s
    /// `allow`), so a carve-out is no way past the licence policy.
    pub carve_out_allow: Option<Vec<String>>,
    /// More licences a carve-out may declare in repositories of one owner (the owner name in
    /// the `origin` remote's URL, compared without case): `{ mattermost: [LicenseRef-…] }`.
    pub carve_out_allow_by_owner: BTreeMap<String, Vec<String>>,
    /// Globs a carve-out may not cover wholly: the plugin's main production code. Null: the
    /// `production` globs. A carve-out never covers a root licence file either.
    pub carve_out_protected: Option<Vec<String>>,
}

impl Default for LicenceSettings {
    fn default() -> Self {
        LicenceSettings {
            threshold: crate::licence::detect::DEFAULT_THRESHOLD,
            carve_out_allow: None,
            carve_out_allow_by_owner: BTreeMap::new(),
            carve_out_protected: None,
        }
    }
}

impl LicenceSettings {
    /// The licences a carve-out may declare in a repository of `owner` (`host/owner`, from the
    /// `origin` remote), given the gate's allow list. A key of `carve_out_allow_by_owner` is
    /// `host/owner`, or a bare GitHub owner.
    pub fn carve_out_allowed(&self, gate_allow: &[String], owner: Option<&str>) -> Vec<String> {
        let mut list = self
            .carve_out_allow
            .clone()
            .unwrap_or_else(|| gate_allow.to_vec());
        let forge = owner.and_then(|o| {
            let (host, owner) = o.split_once('/')?;
            Some(crate::git::Forge {
                host: host.into(),
                owner: owner.into(),
                name: String::new(),
            })
        });
        if let Some(forge) = forge {
            for (k, extra) in &self.carve_out_allow_by_owner {
                if forge.is_owned_by(k) {
                    list.extend(
                        extra
                            .iter()
                            .filter(|e| !list.contains(e))
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        list
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            template: TemplateSettings::default(),
            licence: LicenceSettings::default(),
            production: strings(&[
                "server/**",
                "webapp/src/**",
                "plugin.json",
                "plugin.yaml",
                "assets/**",
                "public/**",
            ]),
            not_production: strings(&[
                "**/*_test.go",
                "**/testdata/**",
                "**/*.test.{js,jsx,ts,tsx}",
                "**/__snapshots__/**",
                "**/*.md",
            ]),
            committers: Vec::new(),
            require_signed_records: false,
            security_policies: BTreeMap::new(),
            prepackaged: Vec::new(),
            dependencies: DependencySettings::default(),
        }
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The settings keys a policy file may hold at its top level (a test keeps it equal to the
/// fields of [`Settings`]).
pub const KEYS: [&str; 9] = [
    "template",
    "licence",
    "production",
    "not_production",
    "committers",
    "require_signed_records",
    "security_policies",
    "prepackaged",
    "dependencies",
];

/// Settings that only a trusted layer may turn on (a shipped policy, a `--policy` file, the
/// command line), never a policy file of the linted repository: each lets the repository steer
/// a program onboard runs.
pub const TRUSTED_ONLY: [&str; 1] = ["dependencies.cargo_metadata"];

/// Settings that are mappings with keys of the user's choosing (organisation names), set key
/// by key like the others.
const OPEN_MAPS: [&str; 1] = ["security_policies"];

/// The settings keys whose values are glob lists (dotted for keys inside a mapping).
const GLOB_LISTS: [&str; 9] = [
    "production",
    "licence.carve_out_protected",
    "not_production",
    "template.lockfile",
    "template.generated",
    "template.vendored",
    "template.fixture",
    "template.i18n",
    "template.binary",
];

impl Settings {
    /// The production paths among `changed`.
    pub fn production_paths<'a>(&self, changed: &'a [String]) -> Vec<&'a str> {
        // Both lists were validated when the policy was read.
        let yes = glob_set(&self.production);
        let no = glob_set(&self.not_production);
        changed
            .iter()
            .map(String::as_str)
            .filter(|p| yes.is_match(p) && !no.is_match(p))
            .collect()
    }
}

/// The entries of a carve-out allow list (a list, or a mapping of owners to lists) are SPDX
/// ids, `LicenseRef-…` or an Apache category; anything else is an error at its span.
fn check_licence_ids(dotted: &str, value: &Node) -> Result<(), YamlError> {
    let lists: Vec<&Node> = match &value.value {
        yaml::Value::Map(pairs) => pairs.iter().map(|(_, v)| v).collect(),
        _ => vec![value],
    };
    for list in lists {
        let yaml::Value::Seq(items) = &list.value else {
            if list.value == yaml::Value::Null {
                continue;
            }
            return Err(YamlError::new(
                format!(
                    "`{dotted}` must be a list of licence ids, found {}",
                    list.kind()
                ),
                list.span,
            ));
        };
        for item in items {
            let Some(text) = item.as_str() else {
                return Err(YamlError::new(
                    format!(
                        "`{dotted}`: a licence id is a string, found {}",
                        item.kind()
                    ),
                    item.span,
                ));
            };
            let category = matches!(
                text.to_ascii_lowercase().as_str(),
                "category-a" | "category-b"
            );
            let spdx = crate::licence::expr::parse(text)
                .ok()
                .filter(|e| e.notes.is_empty() && e.ids().len() == 1 && e.ids()[0] == text);
            if !category && spdx.is_none() {
                return Err(YamlError::new(
                    format!("`{dotted}`: `{text}` is not an SPDX licence id, a `LicenseRef-…` or an Apache category"),
                    item.span,
                )
                .with_help("write one SPDX id per entry (`MIT`, `LicenseRef-Mattermost-Source-Available`), or `category-a`"));
            }
        }
    }
    Ok(())
}

impl Settings {
    /// The `not_production` globs, compiled.
    pub fn production_paths_filter(&self) -> GlobSet {
        glob_set(&self.not_production)
    }
}

fn glob_set(patterns: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// The effective settings, and where each value was set (dotted keys: `template.fixture`).
#[derive(Debug, Clone)]
pub struct Layered {
    pub values: Settings,
    pub from: BTreeMap<String, Origin>,
    json: serde_json::Map<String, serde_json::Value>,
    /// Where `require_signed_records` was last set, for the check across layers.
    required_at: Option<(SourceFile, crate::source::Span)>,
    /// Where `template.index` was last set, to check that it names an index.
    index_at: Option<(SourceFile, crate::source::Span)>,
}

impl Default for Layered {
    fn default() -> Self {
        let values = Settings::default();
        let json = match serde_json::to_value(&values) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        let mut from = BTreeMap::new();
        for (k, v) in &json {
            match v {
                serde_json::Value::Object(inner) => {
                    for sub in inner.keys() {
                        from.insert(format!("{k}.{sub}"), Origin::default_of_setting());
                    }
                }
                _ => {
                    from.insert(k.clone(), Origin::default_of_setting());
                }
            }
        }
        Layered {
            values,
            from,
            json,
            required_at: None,
            index_at: None,
        }
    }
}

impl Layered {
    /// Applies one file's settings keys over what lower layers set; every problem is reported
    /// at its span and the value it concerns is left as it was. A file that is not `trusted`
    /// (a policy file of the linted repository) may not turn on a [`TRUSTED_ONLY`] setting.
    pub fn apply(
        &mut self,
        file: &SourceFile,
        entries: &[(Node, Node)],
        trusted: bool,
        errors: &mut Vec<PolicyError>,
    ) {
        let mut err = |error: YamlError| {
            errors.push(PolicyError {
                file: Some(file.clone()),
                error,
            })
        };
        for (key, value) in entries {
            let Some(name) = key.as_str() else { continue };
            match self.json.get(name) {
                Some(serde_json::Value::Object(inner)) => {
                    let yaml::Value::Map(pairs) = &value.value else {
                        err(YamlError::new(
                            format!("`{name}` must be a mapping, found {}", value.kind()),
                            value.span,
                        ));
                        continue;
                    };
                    let names: Vec<String> = inner.keys().cloned().collect();
                    let open = OPEN_MAPS.contains(&name);
                    for (k, v) in pairs {
                        let sub = k.as_str().unwrap_or_default();
                        if !open && !names.iter().any(|n| n == sub) {
                            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
                            err(YamlError::new(
                                format!("the setting `{name}` has no key `{sub}`"),
                                k.span,
                            )
                            .with_help(suggest::help_for(sub, &candidates)));
                            continue;
                        }
                        let dotted = format!("{name}.{sub}");
                        let on = matches!(v.value, yaml::Value::Bool(true));
                        if !trusted && on && TRUSTED_ONLY.contains(&dotted.as_str()) {
                            err(YamlError::new(
                                format!(
                                    "`{dotted}` cannot be turned on by a policy file of the linted \
                                     repository: it would let a pull request steer a program \
                                     onboard runs"
                                ),
                                v.span,
                            )
                            .with_help(
                                "for a repository you trust, pass `--cargo-metadata`, or set it in a policy file given with `--policy`",
                            ));
                            continue;
                        }
                        if let Err(e) = self.set(&dotted, v) {
                            e.into_iter().for_each(&mut err);
                            continue;
                        }
                        if dotted == "template.index" {
                            self.index_at = Some((file.clone(), v.span));
                        }
                        self.from.insert(dotted, Origin::at(file, k.span));
                    }
                }
                Some(_) => {
                    if let Err(e) = self.set(name, value) {
                        e.into_iter().for_each(&mut err);
                        continue;
                    }
                    if name == "require_signed_records" {
                        self.required_at = Some((file.clone(), value.span));
                    }
                    self.from
                        .insert(name.to_string(), Origin::at(file, key.span));
                }
                None => {}
            }
        }
    }

    /// Sets one value (dotted for a key inside a mapping) if the whole still reads as
    /// [`Settings`] and its globs compile.
    fn set(&mut self, dotted: &str, value: &Node) -> Result<(), Vec<YamlError>> {
        if dotted == "committers" {
            let mut errs = yaml::Errors::default();
            super::committers::read_committers(value, &mut errs);
            if !errs.is_empty() {
                return Err(errs.items);
            }
        }
        self.set_one(dotted, value).map_err(|e| vec![e])
    }

    /// What every layer leaves inconsistent: signatures required, and no key to check them.
    pub fn check(&self, errors: &mut Vec<PolicyError>) {
        let keys = self.values.committers.iter().any(|c| !c.keys.is_empty());
        if let (true, false, Some((file, span))) =
            (self.values.require_signed_records, keys, &self.required_at)
        {
            errors.push(PolicyError {
                file: Some(file.clone()),
                error: YamlError::new(
                    "`require_signed_records` is on, but no committer lists a key: no record could count",
                    *span,
                )
                .with_help(
                    "list each committer's public keys under `committers:` (`keys: [\"ssh-ed25519 AAAA…\"]`)",
                ),
            });
        }
    }

    /// That `template.index`, when a policy file sets it, names a shipped index or a file of
    /// the repository: a name that names nothing is a configuration error at its span, not a
    /// template comparison that silently cannot run. (Whether the file reads as an index is
    /// judged when the template fact loads it.)
    pub fn check_index(&self, ws: &Workspace, errors: &mut Vec<PolicyError>) {
        let Some((file, span)) = &self.index_at else {
            return;
        };
        let name = &self.values.template.index;
        if crate::template::shipped(name).is_some() {
            return;
        }
        let shipped: Vec<&str> = crate::template::SHIPPED.iter().map(|(n, _)| *n).collect();
        let problem = match paths::config_path(name) {
            Err(e) => Some(format!("`template.index`: {e}")),
            Ok(path) => match ws.entry(&path) {
                Some(Entry::File | Entry::Symlink(_)) => None,
                Some(Entry::Dir) => Some(format!("`template.index`: `{name}` is a directory")),
                _ => Some(format!(
                    "`template.index`: `{name}` is neither a shipped index nor a file in the repository"
                )),
            },
        };
        if let Some(message) = problem {
            errors.push(PolicyError {
                file: Some(file.clone()),
                error: YamlError::new(message, *span).with_help(format!(
                    "name a shipped index ({}) or an index file made with `onboard template index`",
                    shipped.join(", ")
                )),
            });
        }
    }

    fn set_one(&mut self, dotted: &str, value: &Node) -> Result<(), YamlError> {
        if GLOB_LISTS.contains(&dotted) {
            if let yaml::Value::Seq(items) = &value.value {
                for item in items {
                    if let Some(text) = item.as_str() {
                        if let Err(e) = Glob::new(text) {
                            return Err(YamlError::new(
                                format!("`{dotted}`: invalid glob `{text}`: {}", e.kind()),
                                item.span,
                            ));
                        }
                    }
                }
            }
        }
        if dotted == "licence.carve_out_allow" || dotted == "licence.carve_out_allow_by_owner" {
            check_licence_ids(dotted, value)?;
        }
        if dotted.starts_with("security_policies.") {
            let ok = value
                .as_str()
                .is_some_and(|u| u.starts_with("https://") || u.starts_with("mailto:"));
            if !ok {
                return Err(YamlError::new(
                    format!("`{dotted}` must be an https URL or a `mailto:` address"),
                    value.span,
                ));
            }
        }
        let mut json = self.json.clone();
        match dotted.split_once('.') {
            Some((outer, inner)) => {
                if let Some(serde_json::Value::Object(m)) = json.get_mut(outer) {
                    m.insert(inner.to_string(), value.to_json());
                }
            }
            None => {
                json.insert(dotted.to_string(), value.to_json());
            }
        }
        let values: Settings = serde_json::from_value(serde_json::Value::Object(json.clone()))
            .map_err(|e| {
                YamlError::new(
                    format!("invalid value for the setting `{dotted}`: {e}"),
                    value.span,
                )
            })?;
        if !(0.0..=1.0).contains(&values.licence.threshold)
            || !(0.0..=1.0).contains(&values.template.partial_copy_threshold)
        {
            return Err(YamlError::new(
                format!("invalid value for the setting `{dotted}`: it must be between 0 and 1"),
                value.span,
            ));
        }
        self.values = values;
        self.json = json;
        Ok(())
    }

    /// Turns on a boolean setting from the command line (`flag` is the origin shown).
    pub fn set_flag(&mut self, dotted: &str, flag: &str) {
        let node = Node {
            value: yaml::Value::Bool(true),
            span: crate::source::Span::default(),
        };
        if self.set_one(dotted, &node).is_ok() {
            self.from.insert(
                dotted.to_string(),
                super::Origin {
                    file: flag.to_string(),
                    line: 0,
                },
            );
        }
    }

    /// Each setting with its value and where it was set, in key order.
    pub fn entries(&self) -> Vec<(String, serde_json::Value, &Origin)> {
        self.from
            .iter()
            .map(|(k, origin)| {
                let value = match k.split_once('.') {
                    Some((outer, inner)) => self.json.get(outer).and_then(|m| m.get(inner)),
                    None => self.json.get(k),
                };
                (k.clone(), value.cloned().unwrap_or_default(), origin)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layered(text: &str) -> (Layered, Vec<PolicyError>) {
        let file = SourceFile::new("p.yml", text);
        let root = yaml::parse(text).unwrap();
        let yaml::Value::Map(pairs) = &root.value else {
            panic!()
        };
        let mut l = Layered::default();
        let mut errors = Vec::new();
        l.apply(&file, pairs, false, &mut errors);
        (l, errors)
    }

    #[test]
    fn the_keys_are_the_fields() {
        let serde_json::Value::Object(m) = serde_json::to_value(Settings::default()).unwrap()
        else {
            panic!()
        };
        let fields: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(fields, KEYS.to_vec());
    }

    #[test]
    fn a_list_replaces_and_a_mapping_sets_key_by_key() {
        let (l, errors) = layered(
            "production: [\"src/**\"]\ntemplate: { fixture: [\"data/**\"] }\nlicence: { threshold: 0.8 }\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(l.values.production, vec!["src/**"]);
        assert_eq!(l.values.template.fixture, vec!["data/**"]);
        assert_eq!(
            l.values.template.vendored,
            Settings::default().template.vendored
        );
        assert_eq!(l.values.licence.threshold, 0.8);
        assert_eq!(l.from["template.fixture"].to_string(), "p.yml:2");
        assert_eq!(l.from["template.vendored"].to_string(), "(default)");
    }

    #[test]
    fn bad_values_are_errors_at_their_span_and_change_nothing() {
        let text = "production: [\"a/**\", \"b/[\"]\ntemplate: { fixtur: [] }\nlicence: { threshold: 2 }\ncommitters: 3\n";
        let (l, errors) = layered(text);
        let messages: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| {
                let s = e.error.span;
                (
                    e.error.message.as_str(),
                    &text[s.offset..s.offset + s.length],
                )
            })
            .collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].0.contains("invalid glob `b/[`") && messages[0].1 == "\"b/[\"");
        assert!(messages[1].0.contains("no key `fixtur`") && messages[1].1 == "fixtur");
        assert_eq!(
            errors[1].error.help.as_deref(),
            Some("did you mean `fixture`?")
        );
        assert!(messages[2].0.contains("between 0 and 1") && messages[2].1 == "2");
        assert!(messages[3].0.contains("`committers`") && messages[3].1 == "3");
        assert_eq!(l.values, Settings::default());
    }
}
