//! The plugin manifest, found where the server looks: `plugin.yml`, `plugin.yaml`, `plugin.json`.
//!
//! Values are read leniently with their spans, so rules can reproduce the server's validation
//! and underline the exact value; values of the wrong type are collected as problems.

use crate::source::{SourceFile, Span, Spanned};
use crate::yaml::{self, Errors, MapReader, Node, YamlError};
use schemars::JsonSchema;
use serde::Serialize;

/// The server's search order.
pub const CANDIDATES: [&str; 3] = ["plugin.yml", "plugin.yaml", "plugin.json"];

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Setting {
    pub key: Option<Spanned<String>>,
    #[serde(rename = "type")]
    pub kind: Option<Spanned<String>>,
    pub display_name: Option<Spanned<String>>,
    /// The help text: a string, or the `defaultMessage` of an `{id, defaultMessage}` object.
    pub help_text: Option<Spanned<String>>,
    pub placeholder: Option<Spanned<String>>,
    pub regenerate_help_text: Option<Spanned<String>>,
    /// `None` when the setting has no `options` key (or it is null).
    pub options: Option<Vec<SettingOption>>,
    /// Whether `default` holds a value: not absent, null or an empty string.
    pub has_default: bool,
    #[serde(skip)]
    pub options_span: Span,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SettingOption {
    pub display_name: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Section {
    pub key: Option<Spanned<String>>,
    /// `custom: true`: the plugin's own webapp component draws the whole section.
    pub custom: bool,
    pub settings: Vec<Setting>,
    #[serde(skip)]
    pub span: Span,
}

/// A value of the wrong type, or another reason the server would refuse to decode the file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    pub message: String,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Manifest {
    pub path: String,
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub homepage_url: Option<Spanned<String>>,
    pub support_url: Option<Spanned<String>>,
    pub release_notes_url: Option<Spanned<String>>,
    pub icon_path: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub min_server_version: Option<Spanned<String>>,
    pub has_server: bool,
    pub has_webapp: bool,
    pub settings: Vec<Setting>,
    pub sections: Vec<Section>,
    /// Keys the server does not know, as dotted paths.
    pub unknown_keys: Vec<Spanned<String>>,
    pub problems: Vec<Problem>,
    /// Top-level keys present with a non-null value, whatever their type: a key that is present
    /// but unreadable is `invalid-manifest`'s to report, not a missing value.
    #[serde(skip)]
    pub present: Vec<String>,
    /// The whole document, for findings about something missing.
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub file: SourceFile,
}

/// What was found where the manifest should be.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ManifestFact {
    Missing,
    Unreadable {
        path: String,
        error: String,
    },
    SyntaxError {
        path: String,
        error: String,
        #[serde(skip)]
        span: Span,
        #[serde(skip)]
        file: Option<SourceFile>,
    },
    Found(Box<Manifest>),
}

/// Parses a manifest file's text. JSON goes through a JSON parser first, so syntax errors read
/// as JSON errors; the tree with spans comes from the YAML parser (JSON is YAML 1.2).
pub fn parse(file: SourceFile) -> ManifestFact {
    let path = file.path.clone();
    if path.ends_with(".json") {
        // The JSON checker's span is the error's byte offset, on a character boundary.
        if let Err(e) = crate::facts::deps::json::check(&file.text) {
            return ManifestFact::SyntaxError {
                path,
                error: e.message,
                span: e.span,
                file: Some(file),
            };
        }
    }
    let root = match yaml::parse(&file.text) {
        Ok(root) => root,
        Err(YamlError { message, span, .. }) => {
            return ManifestFact::SyntaxError {
                path,
                error: message,
                span,
                file: Some(file),
            }
        }
    };
    ManifestFact::Found(Box::new(read(&root, file)))
}

struct Reader {
    errs: Errors,
    unknown: Vec<Spanned<String>>,
}

impl Reader {
    fn map<'n>(&mut self, what: &str, node: &'n Node) -> Option<MapReader<'n>> {
        MapReader::new(what, node, &mut self.errs)
    }

    fn done(&mut self, prefix: &str, m: MapReader<'_>) {
        for key in m.unknown_keys() {
            let name = key.as_str().unwrap_or_default();
            self.unknown
                .push(Spanned::new(format!("{prefix}{name}"), key.span));
        }
    }

    fn string(&mut self, m: &mut MapReader<'_>, key: &'static str) -> Option<Spanned<String>> {
        m.str(key, &mut self.errs)
    }

    fn setting(&mut self, prefix: &str, node: &Node) -> Option<Setting> {
        let mut m = self.map("a setting", node)?;
        let key = self.string(&mut m, "key");
        let kind = self.string(&mut m, "type");
        let placeholder = self.string(&mut m, "placeholder");
        let regenerate_help_text = self.string(&mut m, "regenerate_help_text");
        let display_name = self.string(&mut m, "display_name");
        let help_text = m
            .get("help_text")
            .and_then(|n| self.help_text(&format!("{prefix}help_text."), n));
        self.string(&mut m, "hosting");
        let has_default = m.get("default").is_some_and(|n| match &n.value {
            yaml::Value::Null => false,
            yaml::Value::Str(s) => !s.trim().is_empty(),
            _ => true,
        });
        if let Some(n) = m.get("secret") {
            self.errs.bool("secret", n);
        }
        let (options, options_span) = match m.get("options") {
            None => (None, Span::default()),
            Some(n) => {
                let items = self.errs.seq("options", n).to_vec();
                let opts = items
                    .iter()
                    .filter_map(|o| {
                        let mut om = self.map("an option", o)?;
                        let display_name = self.string(&mut om, "display_name");
                        let value = self.string(&mut om, "value");
                        self.done(&format!("{prefix}options[]."), om);
                        Some(SettingOption {
                            display_name,
                            value,
                            span: o.span,
                        })
                    })
                    .collect();
                (Some(opts), n.span)
            }
        };
        self.done(prefix, m);
        Some(Setting {
            key,
            kind,
            display_name,
            help_text,
            placeholder,
            regenerate_help_text,
            options,
            has_default,
            options_span,
            span: node.span,
        })
    }

    /// `help_text`: a string, or an `{id, defaultMessage}` object (a translatable message).
    fn help_text(&mut self, prefix: &str, node: &Node) -> Option<Spanned<String>> {
        if node.value == crate::yaml::Value::Null {
            return None;
        }
        if node.get("defaultMessage").is_some() || node.get("id").is_some() {
            let mut m = self.map("help_text", node)?;
            m.str("id", &mut self.errs);
            let message = m.str("defaultMessage", &mut self.errs);
            self.done(prefix, m);
            return message.map(|v| Spanned::new(v.value, node.span));
        }
        self.errs.str("help_text", node)
    }

    fn settings(&mut self, prefix: &str, node: &Node) -> Vec<Setting> {
        let items = self.errs.seq("settings", node).to_vec();
        items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.setting(&format!("{prefix}[{i}]."), n))
            .collect()
    }
}

fn read(root: &Node, file: SourceFile) -> Manifest {
    let mut r = Reader {
        errs: Errors::default(),
        unknown: Vec::new(),
    };
    let mut manifest = Manifest {
        path: file.path.clone(),
        id: None,
        name: None,
        description: None,
        homepage_url: None,
        support_url: None,
        release_notes_url: None,
        icon_path: None,
        version: None,
        min_server_version: None,
        has_server: false,
        has_webapp: false,
        settings: Vec::new(),
        sections: Vec::new(),
        unknown_keys: Vec::new(),
        problems: Vec::new(),
        present: Vec::new(),
        span: root.span,
        file,
    };
    if let Some(mut m) = r.map("the manifest", root) {
        manifest.present = m
            .entries()
            .iter()
            .filter(|(_, v)| v.value != crate::yaml::Value::Null)
            .filter_map(|(k, _)| k.as_str().map(str::to_string))
            .collect();
        manifest.id = r.string(&mut m, "id");
        manifest.name = r.string(&mut m, "name");
        manifest.description = r.string(&mut m, "description");
        manifest.homepage_url = r.string(&mut m, "homepage_url");
        manifest.support_url = r.string(&mut m, "support_url");
        manifest.release_notes_url = r.string(&mut m, "release_notes_url");
        manifest.icon_path = r.string(&mut m, "icon_path");
        manifest.version = r.string(&mut m, "version");
        manifest.min_server_version = r.string(&mut m, "min_server_version");
        if let Some(n) = m.get("server") {
            manifest.has_server = true;
            if let Some(mut s) = r.map("server", n) {
                if let Some(ex) = s.get("executables") {
                    if let Some(em) = r.map("executables", ex) {
                        for (k, v) in em.entries() {
                            r.errs.str("executables key", k);
                            r.errs.str("an executable path", v);
                        }
                    }
                }
                r.string(&mut s, "executable");
                r.done("server.", s);
            }
        }
        if let Some(n) = m.get("webapp") {
            manifest.has_webapp = true;
            if let Some(mut w) = r.map("webapp", n) {
                r.string(&mut w, "bundle_path");
                r.done("webapp.", w);
            }
        }
        if let Some(n) = m.get("settings_schema") {
            if let Some(mut s) = r.map("settings_schema", n) {
                r.string(&mut s, "header");
                r.string(&mut s, "footer");
                if let Some(list) = s.get("settings") {
                    manifest.settings = r.settings("settings_schema.settings", list);
                }
                if let Some(list) = s.get("sections") {
                    let items = r.errs.seq("sections", list).to_vec();
                    for (i, n) in items.iter().enumerate() {
                        let prefix = format!("settings_schema.sections[{i}].");
                        let Some(mut sm) = r.map("a section", n) else {
                            continue;
                        };
                        let key = r.string(&mut sm, "key");
                        for k in ["title", "subtitle", "header", "footer"] {
                            r.string(&mut sm, k);
                        }
                        let mut custom = false;
                        for k in ["custom", "fallback"] {
                            if let Some(b) = sm.get(k) {
                                let value = r.errs.bool(k, b);
                                if k == "custom" {
                                    custom = value.is_some_and(|v| v.value);
                                }
                            }
                        }
                        let settings = match sm.get("settings") {
                            Some(l) => r.settings(&format!("{prefix}settings"), l),
                            None => Vec::new(),
                        };
                        r.done(&prefix, sm);
                        manifest.sections.push(Section {
                            key,
                            custom,
                            settings,
                            span: n.span,
                        });
                    }
                }
                r.done("settings_schema.", s);
            }
        }
        if let Some(n) = m.get("props") {
            r.map("props", n);
        }
        m.get("required_configuration");
        r.done("", m);
    }
    manifest.unknown_keys = r.unknown;
    manifest.problems = r
        .errs
        .items
        .into_iter()
        .map(|e| Problem {
            message: e.message,
            span: e.span,
        })
        .collect();
    manifest
}

impl Manifest {
    /// Whether the top-level `key` is present (with a value of any type).
    pub fn has_key(&self, key: &str) -> bool {
        self.present.iter().any(|k| k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, text: &str) -> Manifest {
        match parse(SourceFile::new(path, text)) {
            ManifestFact::Found(m) => *m,
            other => panic!("expected a manifest, got {other:?}"),
        }
    }

    #[test]
    fn reads_values_with_spans() {
        let text = r#"{"id": "com.example.demo", "name": "Demo", "settings_schema": {"settings": [{"key": "K", "type": "text", "bogus": 1}]}}"#;
        let m = found("plugin.json", text);
        let id = m.id.unwrap();
        assert_eq!(id.value, "com.example.demo");
        assert_eq!(&text[id.span.offset..id.span.end()], "\"com.example.demo\"");
        assert_eq!(m.settings.len(), 1);
        assert_eq!(m.unknown_keys[0].value, "settings_schema.settings[0].bogus");
    }

    #[test]
    fn help_text_is_a_string_or_a_message() {
        let text = r#"{"id": "a.b", "settings_schema": {"settings": [
            {"key": "A", "type": "text", "help_text": "Plain"},
            {"key": "B", "type": "text", "help_text": {"id": "b.help", "defaultMessage": "Translated"}},
            {"key": "C", "type": "text"}]}}"#;
        let m = found("plugin.json", text);
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert!(m.unknown_keys.is_empty(), "{:?}", m.unknown_keys);
        let help: Vec<Option<&str>> = m
            .settings
            .iter()
            .map(|s| s.help_text.as_ref().map(|h| h.value.as_str()))
            .collect();
        assert_eq!(help, [Some("Plain"), Some("Translated"), None]);
        let b = m.settings[1].help_text.as_ref().unwrap();
        assert!(text[b.span.offset..b.span.end()].starts_with("{\"id\""));
    }

    #[test]
    fn wrong_types_are_problems() {
        let m = found("plugin.json", r#"{"id": "abc", "version": 1}"#);
        assert_eq!(m.problems.len(), 1);
        assert!(m.problems[0].message.contains("`version` must be a string"));
    }

    #[test]
    fn json_syntax_errors_after_multibyte_text_fall_on_a_character() {
        // Found by the property tests: `serde_json` counts columns in bytes and may point just
        // past the error, so the offset split `é` and `\u{fffc}`; an unexpected end is at the end.
        for text in ["\"\u{fffc}", "{\"a\": [\"é\n\"]}"] {
            match parse(SourceFile::new("plugin.json", text)) {
                ManifestFact::SyntaxError { span, .. } => {
                    assert!(span.end() <= text.len(), "{text:?}");
                    assert!(text.is_char_boundary(span.offset), "{text:?}: {span:?}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn json_syntax_errors_point_at_the_error() {
        let text = "{\n  \"id\": \"abc\",\n}";
        match parse(SourceFile::new("plugin.json", text)) {
            ManifestFact::SyntaxError { span, error, .. } => {
                assert!(error.contains("line 3 column 1"), "{error}");
                assert_eq!(span.offset, text.len() - 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
