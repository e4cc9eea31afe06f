//! Round trips of the configuration files: valid `.onboarding.yml`, policies and manifests
//! written from a model read back as the model, each value's span on the text it was written as.

use onboard::facts::{manifest, onboarding};
use onboard::policy::load::{self, PolicySource};
use onboard::rules::REGISTRY;
use onboard::source::{SourceFile, Span};
use proptest::prelude::*;
use serde_json::{json, Value};

pub fn slice(text: &str, span: Span) -> &str {
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
