//! Round trips: valid files written from a model read back as the model, and each value's span
//! covers exactly the text it was written as.

use onboard::deps::{cargo::lock, go::modfile, npm};
use onboard::facts::{manifest, onboarding, release::version};
use onboard::policy::load::{self, PolicySource};
use onboard::rules::REGISTRY;
use onboard::source::{SourceFile, Span};
use proptest::prelude::*;
use serde_json::{json, Value};

fn slice(text: &str, span: Span) -> &str {
    &text[span.offset..span.end()]
}

/// A JSON string literal, which is also a YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Printable text with some multi-byte characters, quotes and backslashes.
fn words() -> impl Strategy<Value = String> {
    "[ -~ÄéΩ漢😀]{1,16}".prop_filter("not blank", |s| !s.trim().is_empty())
}

fn date() -> impl Strategy<Value = String> {
    (1970u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

#[derive(Debug, Clone)]
struct Review {
    kind: &'static str,
    by: String,
    focus: Option<String>,
    commit: String,
    date: String,
}

#[derive(Debug, Clone)]
struct Waiver {
    rule: String,
    reason: String,
    until: Option<String>,
    paths: Vec<String>,
}

#[derive(Debug, Clone)]
struct Onboarding {
    gate: Option<&'static str>,
    licence: Option<String>,
    template: Option<String>,
    reviews: Vec<Review>,
    waivers: Vec<Waiver>,
    policies: Vec<String>,
}

fn onboarding_model() -> impl Strategy<Value = Onboarding> {
    let review = (
        prop::sample::select(&["basic", "complete"][..]),
        words(),
        prop::option::of(words()),
        "[0-9a-f]{7,40}",
        date(),
    )
        .prop_map(|(kind, by, focus, commit, date)| Review {
            kind,
            by,
            focus,
            commit,
            date,
        });
    let waiver = (
        words(),
        words(),
        prop::option::of(date()),
        prop::collection::vec(words(), 0..3),
    )
        .prop_map(|(rule, reason, until, paths)| Waiver {
            rule,
            reason,
            until,
            paths,
        });
    (
        prop::option::of(prop::sample::select(onboard::finding::Gate::NAMES)),
        prop::option::of(words()),
        prop::option::of(words()),
        prop::collection::vec(review, 0..4),
        prop::collection::vec(waiver, 0..3),
        prop::collection::vec(words(), 0..3),
    )
        .prop_map(
            |(gate, licence, template, reviews, waivers, policies)| Onboarding {
                gate,
                licence,
                template,
                reviews,
                waivers,
                policies,
            },
        )
}

/// A list item's fields, in block style (`- a: 1\n    b: 2`) or flow style (`- {a: 1, b: 2}`).
fn item(fields: &[(&str, String)], block: bool) -> String {
    if block {
        let mut out = String::new();
        for (i, (k, v)) in fields.iter().enumerate() {
            let lead = if i == 0 { "  - " } else { "    " };
            out.push_str(&format!("{lead}{k}: {v}\n"));
        }
        out
    } else {
        let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("  - {{ {} }}\n", inner.join(", "))
    }
}

fn write_onboarding(o: &Onboarding, block: bool) -> String {
    let mut out = String::from("version: 1\n");
    if let Some(g) = o.gate {
        out.push_str(&format!("gate: {g}\n"));
    }
    if let Some(l) = &o.licence {
        out.push_str(&format!("licence: {}\n", quoted(l)));
    }
    if let Some(t) = &o.template {
        out.push_str(&format!("template: {}\n", quoted(t)));
    }
    if !o.reviews.is_empty() {
        out.push_str("reviews:\n");
        for r in &o.reviews {
            let mut f = vec![("kind", r.kind.to_string()), ("by", quoted(&r.by))];
            if let Some(focus) = &r.focus {
                f.push(("focus", quoted(focus)));
            }
            f.push(("commit", quoted(&r.commit)));
            f.push(("date", quoted(&r.date)));
            out.push_str(&item(&f, block));
        }
    }
    if !o.waivers.is_empty() {
        out.push_str("waivers:\n");
        for w in &o.waivers {
            let mut f = vec![("rule", quoted(&w.rule)), ("reason", quoted(&w.reason))];
            if let Some(u) = &w.until {
                f.push(("until", quoted(u)));
            }
            let paths: Vec<String> = w.paths.iter().map(|p| quoted(p)).collect();
            f.push(("paths", format!("[{}]", paths.join(", "))));
            out.push_str(&item(&f, block));
        }
    }
    if !o.policies.is_empty() {
        let p: Vec<String> = o.policies.iter().map(|p| quoted(p)).collect();
        out.push_str(&format!("policies: [{}]\n", p.join(", ")));
    }
    out
}

proptest! {
    #[test]
    fn onboarding_reads_back(model in onboarding_model(), block in any::<bool>(), crlf in any::<bool>()) {
        let mut text = write_onboarding(&model, block);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let file = SourceFile::new(onboarding::FILE_NAME, text.as_str());
        let o = onboarding::parse(&file).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        prop_assert_eq!(o.version, 1);
        prop_assert_eq!(o.gate.map(|g| g.value.as_str()), model.gate);
        prop_assert_eq!(o.licence.as_ref().map(|l| &l.value), model.licence.as_ref());
        if let (Some(l), Some(m)) = (&o.licence, &model.licence) {
            prop_assert_eq!(slice(&text, l.span), quoted(m));
        }
        prop_assert_eq!(o.template.map(|t| t.value), model.template);
        prop_assert_eq!(o.reviews.len(), model.reviews.len());
        for (r, m) in o.reviews.iter().zip(&model.reviews) {
            prop_assert_eq!(r.kind.value.as_str(), m.kind);
            prop_assert_eq!(&r.by.value, &m.by);
            prop_assert_eq!(slice(&text, r.by.span), quoted(&m.by));
            prop_assert_eq!(r.focus.as_ref().map(|f| &f.value), m.focus.as_ref());
            prop_assert_eq!(&r.commit.value, &m.commit);
            prop_assert_eq!(r.date.value.to_string(), m.date.clone());
            prop_assert_eq!(slice(&text, r.date.span), quoted(&m.date));
        }
        prop_assert_eq!(o.waivers.len(), model.waivers.len());
        for (w, m) in o.waivers.iter().zip(&model.waivers) {
            prop_assert_eq!(&w.rule.value, &m.rule);
            prop_assert_eq!(&w.reason.value, &m.reason);
            prop_assert_eq!(slice(&text, w.reason.span), quoted(&m.reason));
            prop_assert_eq!(w.until.as_ref().map(|u| u.value.to_string()), m.until.clone());
            let paths: Vec<&String> = w.paths.iter().map(|p| &p.value).collect();
            prop_assert_eq!(paths, m.paths.iter().collect::<Vec<_>>());
        }
        let policies: Vec<&String> = o.policies.iter().map(|p| &p.value).collect();
        prop_assert_eq!(policies, model.policies.iter().collect::<Vec<_>>());
    }

    /// Rules by name, code or group at every level, rules with their own default parameters
    /// written back: no error, and the entries read back in order.
    #[test]
    fn policy_reads_back(
        picks in prop::collection::btree_map(
            0..REGISTRY.len() * 3,
            (prop::sample::select(&onboard::finding::Level::NAMES[..]), any::<bool>()),
            0..12,
        ),
        flow in any::<bool>(),
    ) {
        let mut expected = Vec::new();
        let mut text = String::from("version: 1\nrules:\n");
        let mut seen = std::collections::BTreeSet::new();
        for (pick, (level, with_params)) in picks {
            let rule = REGISTRY[pick % REGISTRY.len()];
            let selector = match pick / REGISTRY.len() {
                0 => rule.name,
                1 => rule.code,
                _ => rule.group,
            };
            if !seen.insert(selector) {
                continue;
            }
            let defaults = (rule.params.defaults)();
            let params = with_params && selector != rule.group
                && defaults.as_object().is_some_and(|m| !m.is_empty());
            if params {
                text.push_str(&format!("  {selector}: {{ level: {level}, params: {defaults} }}\n"));
            } else if flow {
                text.push_str(&format!("  {selector}: {{ level: {level} }}\n"));
            } else {
                text.push_str(&format!("  {selector}: {level}\n"));
            }
            expected.push((selector, level));
        }
        let errors = onboard::policy::check_file(SourceFile::new("p.yml", text.as_str()));
        prop_assert!(errors.is_empty(), "{:?}\n{}", errors, text);
        let (policy, _) = load::parse(PolicySource::Repo("p.yml".into()), SourceFile::new("p.yml", text.as_str()));
        let read: Vec<(&str, &str)> = policy
            .as_ref()
            .unwrap()
            .rules
            .iter()
            .map(|e| (e.selector.value.as_str(), e.level.as_ref().unwrap().value.as_str()))
            .collect();
        prop_assert_eq!(read, expected);
    }
}

fn manifest_model() -> impl Strategy<Value = Value> {
    let help = prop_oneof![
        words().prop_map(Value::String),
        (words(), words()).prop_map(|(id, m)| json!({"id": id, "defaultMessage": m})),
    ];
    let option = (words(), words()).prop_map(|(d, v)| json!({"display_name": d, "value": v}));
    let setting = (
        "[A-Za-z][A-Za-z0-9_]{0,12}",
        prop::sample::select(&["text", "bool", "dropdown", "radio", "longtext", "number"][..]),
        words(),
        prop::option::of(help),
        prop::collection::vec(option, 0..3),
    )
        .prop_map(|(key, kind, display, help, options)| {
            let mut s = json!({"key": key, "type": kind, "display_name": display});
            if let Some(h) = help {
                s["help_text"] = h;
            }
            if kind == "dropdown" || kind == "radio" {
                s["options"] = Value::Array(options);
            }
            s
        });
    (
        "[a-z]{2,8}(\\.[a-z]{2,8}){1,3}",
        words(),
        "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}",
        prop::option::of(words()),
        any::<bool>(),
        prop::collection::vec(setting, 0..4),
    )
        .prop_map(|(id, name, version, description, server, settings)| {
            let mut m =
                json!({"id": id, "name": name, "version": version, "min_server_version": "6.2.1"});
            if let Some(d) = description {
                m["description"] = Value::String(d);
            }
            if server {
                m["server"] =
                    json!({"executables": {"linux-amd64": "server/dist/plugin-linux-amd64"}});
            }
            m["webapp"] = json!({"bundle_path": "webapp/dist/main.js"});
            m["settings_schema"] = json!({"header": "h", "settings": settings});
            m
        })
}

fn found(path: &str, text: &str) -> Result<manifest::Manifest, TestCaseError> {
    match manifest::parse(SourceFile::new(path, text)) {
        manifest::ManifestFact::Found(m) => Ok(*m),
        other => Err(TestCaseError::fail(format!("{other:?}\n{text}"))),
    }
}

proptest! {
    /// A valid manifest reads without problems, its values are the ones written, and written
    /// again (pretty-printed, or as `plugin.yml`) it reads the same.
    #[test]
    fn manifest_reads_back(model in manifest_model()) {
        let compact = model.to_string();
        let m = found("plugin.json", &compact)?;
        prop_assert!(m.problems.is_empty(), "{:?}", m.problems);
        prop_assert!(m.unknown_keys.is_empty(), "{:?}", m.unknown_keys);
        let id = m.id.as_ref().unwrap();
        prop_assert_eq!(Some(id.value.as_str()), model["id"].as_str());
        prop_assert_eq!(slice(&compact, id.span), model["id"].to_string());
        let settings = model["settings_schema"]["settings"].as_array().unwrap();
        prop_assert_eq!(m.settings.len(), settings.len());
        for (s, w) in m.settings.iter().zip(settings) {
            prop_assert_eq!(s.key.as_ref().map(|k| k.value.as_str()), w["key"].as_str());
            prop_assert_eq!(slice(&compact, s.span), w.to_string());
            let help = w.get("help_text").map(|h| h.get("defaultMessage").unwrap_or(h));
            prop_assert_eq!(s.help_text.as_ref().map(|h| h.value.as_str()), help.and_then(Value::as_str));
            prop_assert_eq!(s.options.as_ref().map(Vec::len), w.get("options").map(|o| o.as_array().unwrap().len()));
        }
        let summary = serde_json::to_value(&m).unwrap();
        let pretty = serde_json::to_string_pretty(&model).unwrap();
        prop_assert_eq!(&serde_json::to_value(found("plugin.json", &pretty)?).unwrap(), &summary);
        let mut yml = serde_json::to_value(found("plugin.yml", &pretty)?).unwrap();
        yml["path"] = summary["path"].clone();
        prop_assert_eq!(&yml, &summary);
    }
}

#[derive(Debug, Clone)]
enum Licence {
    Str(String),
    Object(String),
    List(Vec<String>),
    Absent,
    Number,
}

fn licence() -> impl Strategy<Value = Licence> {
    let text = prop_oneof![
        3 => prop::sample::select(&["MIT", "Apache-2.0", "Apache 2.0", "(MIT OR CC0-1.0)", "GPL-3.0"][..]).prop_map(str::to_string),
        1 => "[ -~é😀]{0,10}",
    ];
    prop_oneof![
        text.clone().prop_map(Licence::Str),
        text.clone().prop_map(Licence::Object),
        prop::collection::vec(text, 0..3).prop_map(Licence::List),
        Just(Licence::Absent),
        Just(Licence::Number),
    ]
}

impl Licence {
    fn json(&self) -> Option<Value> {
        match self {
            Licence::Str(s) => Some(json!(s)),
            Licence::Object(s) => Some(json!({"type": s})),
            Licence::List(items) => Some(Value::Array(
                items.iter().map(|s| json!({"type": s})).collect(),
            )),
            Licence::Absent => None,
            Licence::Number => Some(json!(3)),
        }
    }

    fn expected(&self) -> Option<String> {
        let nonblank = |s: &String| (!s.trim().is_empty()).then(|| s.clone());
        match self {
            Licence::Str(s) | Licence::Object(s) => nonblank(s),
            Licence::List(items) => {
                let parts: Vec<String> = items.iter().filter_map(nonblank).collect();
                match parts.len() {
                    0 => None,
                    1 => Some(parts[0].clone()),
                    _ => Some(format!("({})", parts.join(" OR "))),
                }
            }
            Licence::Absent | Licence::Number => None,
        }
    }
}

proptest! {
    /// Lockfile v3 (`packages`) and v1 (`dependencies`) written from a package list read back as
    /// that list, each located at its licence value (or its key when it has none).
    #[test]
    fn lockfile_reads_back(
        packages in prop::collection::btree_map(
            "(@[a-z]{1,4}/)?[a-z][a-z0-9._-]{0,8}",
            ("[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}", licence(), any::<bool>()),
            0..8,
        ),
        v1 in any::<bool>(),
    ) {
        let mut entries = serde_json::Map::new();
        for (name, (version, licence, dev)) in &packages {
            let mut e = json!({"version": version});
            if let Some(l) = licence.json() {
                e["license"] = l;
            }
            if *dev {
                e["dev"] = json!(true);
            }
            let key = if v1 { name.clone() } else { format!("node_modules/{name}") };
            entries.insert(key, e);
        }
        let doc = if v1 {
            json!({"name": "root", "lockfileVersion": 1, "dependencies": entries})
        } else {
            let mut all = serde_json::Map::new();
            all.insert(String::new(), json!({"name": "root"}));
            all.extend(entries);
            json!({"name": "root", "lockfileVersion": 3, "packages": all})
        };
        let text = doc.to_string();
        let none = |_: &str| Ok(None);
        let parsed = npm::parse(&SourceFile::new(npm::LOCKFILE, text.as_str()), &none);
        prop_assert_eq!(parsed.lockfile_version, Some(if v1 { 1 } else { 3 }));
        let wrong = packages.values().filter(|(_, l, _)| matches!(l, Licence::Number)).count();
        prop_assert_eq!(parsed.problems.len(), wrong, "{:?}", parsed.problems);
        prop_assert_eq!(parsed.packages.len(), packages.len());
        for p in &parsed.packages {
            let (version, licence, dev) = &packages[&p.name];
            prop_assert_eq!(p.version.as_ref(), Some(version));
            prop_assert_eq!(p.dev, *dev);
            prop_assert_eq!(&p.expression, &licence.expected());
            let at = slice(&text, p.location.as_ref().unwrap().span);
            match licence.json() {
                Some(l) => prop_assert_eq!(at, l.to_string()),
                None => prop_assert!(at.ends_with(&format!("{}\"", p.name)), "{}", at),
            }
        }
    }

    /// `go.mod` requires, on single lines or in a block, quoted or not, with blanks of every
    /// kind, read back with spans on the words as written.
    #[test]
    fn go_mod_reads_back(
        requires in prop::collection::vec(
            ("[a-z]{1,6}\\.(com|org)/[a-z0-9_.-]{1,10}(/v[2-9])?", "v[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}", any::<bool>(), prop::sample::select(&["", "\"", "`"][..])),
            0..8,
        ),
        in_block in any::<bool>(),
        blank in prop::sample::select(&[" ", "\t", "  \t"][..]),
        crlf in any::<bool>(),
    ) {
        let mut text = String::from("module example.com/plugin\n\ngo 1.22\n\n");
        if in_block {
            text.push_str("require (\n");
        }
        for (path, version, indirect, quote) in &requires {
            let lead = if in_block { "\t" } else { "require " };
            let comment = if *indirect { format!("{blank}// indirect") } else { String::new() };
            text.push_str(&format!("{lead}{quote}{path}{quote}{blank}{version}{comment}\n"));
        }
        if in_block {
            text.push_str(")\n");
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let m = modfile::parse(&SourceFile::new("go.mod", text.as_str()));
        prop_assert!(m.problems.is_empty(), "{:?}", m.problems);
        prop_assert_eq!(m.module.as_ref().map(|s| s.value.as_str()), Some("example.com/plugin"));
        prop_assert_eq!(m.requires.len(), requires.len());
        for (r, (path, version, indirect, quote)) in m.requires.iter().zip(&requires) {
            prop_assert_eq!(&r.path.value, path);
            prop_assert_eq!(slice(&text, r.path.span), format!("{quote}{path}{quote}"));
            prop_assert_eq!(&r.version.value, version);
            prop_assert_eq!(slice(&text, r.version.span), version.as_str());
            prop_assert_eq!(r.indirect, *indirect);
        }
    }

    /// `Cargo.lock` packages, indented by blanks of every kind (as no cargo writes them, but a
    /// hand edit may), read back; each entry at its `name` line, a nameless one at its header.
    #[test]
    fn cargo_lock_reads_back(
        packages in prop::collection::vec(
            (prop::option::of("[a-z][a-z0-9_-]{0,10}"), "[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{1,2}", any::<bool>()),
            0..6,
        ),
        indent in prop::sample::select(&["", " ", "\t", "\u{3000}\u{3000}\u{3000}\u{3000}", "\u{a0}"][..]),
    ) {
        let mut text = String::from("# This file is automatically @generated by Cargo.\nversion = 4\n");
        for (name, version, registry) in &packages {
            text.push_str(&format!("\n{indent}[[package]]{indent}\n"));
            if let Some(n) = name {
                text.push_str(&format!("{indent}name = \"{n}\"\n"));
            }
            text.push_str(&format!("{indent}version = \"{version}\"\n"));
            if *registry {
                text.push_str(&format!("{indent}source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"));
            }
        }
        let (entries, problems) = lock::parse(&SourceFile::new("Cargo.lock", text.as_str()));
        let named: Vec<_> = packages.iter().filter(|p| p.0.is_some()).collect();
        prop_assert_eq!(entries.len(), named.len());
        for (e, (name, version, registry)) in entries.iter().zip(named) {
            let name = name.as_ref().unwrap();
            prop_assert_eq!(&e.name, name);
            prop_assert_eq!(&e.version, version);
            prop_assert_eq!(e.source.is_some(), *registry);
            prop_assert_eq!(slice(&text, e.span), format!("name = \"{name}\""));
        }
        prop_assert_eq!(problems.len(), packages.len() - entries.len());
        for p in &problems {
            prop_assert_eq!(slice(&text, p.span.unwrap()), "[[package]]");
        }
    }
}

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
