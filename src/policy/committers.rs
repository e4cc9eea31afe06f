//! The records settings, top-level keys of a policy file: `committers:` (the core committers,
//! and the SSH keys each signs records with) and `require_signed_records:`.
//!
//! ```yaml
//! committers:
//!   - name: Alice Doe
//!     email: alice@example.com
//!     handles: [alice]
//!     keys: ["ssh-ed25519 AAAAC3Nz… alice@laptop"]
//!   - bob                      # a name alone: no keys, so no signed record of theirs counts
//! require_signed_records: true
//! ```
//!
//! A later policy file's value replaces an earlier one's, as for every list setting.

use crate::yaml::{Errors, MapReader, Node, Value};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most committers a list may hold.
pub const MAX_COMMITTERS: usize = 1000;
/// Most keys one committer may list.
pub const MAX_KEYS: usize = 100;

/// One core committer: everyone whose records count (reviewers, QA, PM/UX) when the policy
/// lists any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CommitterEntry", into = "CommitterEntry")]
pub struct Committer {
    pub name: String,
    pub email: Option<String>,
    /// Other names the committer writes in records (`alice`, `@alice`).
    pub handles: Vec<String>,
    /// Public keys, as in `~/.ssh/id_ed25519.pub`: `ssh-ed25519 AAAA… comment`.
    pub keys: Vec<String>,
}

/// A committer as written: a name alone, or a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum CommitterEntry {
    /// A name or handle, with no email and no keys.
    Name(String),
    Full(CommitterFull),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitterFull {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Other names the committer writes in records (`alice`, `@alice`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handles: Vec<String>,
    /// Public keys (ed25519, ECDSA P-256, RSA), as in `~/.ssh/id_ed25519.pub`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
}

impl From<CommitterEntry> for Committer {
    fn from(e: CommitterEntry) -> Committer {
        match e {
            CommitterEntry::Name(name) => Committer {
                name,
                email: None,
                handles: Vec::new(),
                keys: Vec::new(),
            },
            CommitterEntry::Full(f) => Committer {
                name: f.name,
                email: f.email,
                handles: f.handles,
                keys: f.keys,
            },
        }
    }
}

impl From<Committer> for CommitterEntry {
    fn from(c: Committer) -> CommitterEntry {
        if c.email.is_none() && c.handles.is_empty() && c.keys.is_empty() {
            return CommitterEntry::Name(c.name);
        }
        CommitterEntry::Full(CommitterFull {
            name: c.name,
            email: c.email,
            handles: c.handles,
            keys: c.keys,
        })
    }
}

impl JsonSchema for Committer {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Committer".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        CommitterEntry::json_schema(generator)
    }
}

/// A committer's key as onboard identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitterKey {
    /// `ED25519`, `ECDSA`, `RSA`.
    pub algorithm: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
}

/// `Name <email>` split in two; a plain name has no email.
fn split_identity(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    match text.rsplit_once('<') {
        Some((name, rest)) if rest.ends_with('>') => (
            name.trim().to_lowercase(),
            Some(rest.trim_end_matches('>').trim().to_lowercase()),
        ),
        _ => (text.to_lowercase(), None),
    }
}

fn handle(text: &str) -> String {
    text.trim().trim_start_matches('@').to_lowercase()
}

impl Committer {
    /// Whether a record's `by` (`alice`, `@alice`, `Alice Doe`, `alice@example.com`,
    /// `Alice Doe <alice@example.com>`) names this committer, ignoring case. When both carry an
    /// email, the emails must agree.
    pub fn matches(&self, by: &str) -> bool {
        let (name, email) = split_identity(by);
        let own_email = self.email.as_deref().map(str::to_lowercase);
        if let (Some(e), Some(own)) = (&email, &own_email) {
            return e == own;
        }
        if name.is_empty() {
            return false;
        }
        let h = handle(&name);
        h == handle(&self.name)
            || own_email.as_deref() == Some(name.as_str())
            || self.handles.iter().any(|x| handle(x) == h)
    }

    /// The committer's keys (those that can be read: the policy was validated).
    pub fn keys(&self) -> Vec<CommitterKey> {
        self.keys.iter().filter_map(|k| read_key(k).ok()).collect()
    }

    /// Whether the key with this fingerprint is one of the committer's.
    pub fn has_key(&self, fingerprint: &str) -> bool {
        self.keys().iter().any(|k| k.fingerprint == fingerprint)
    }
}

/// The committers `by` names.
pub fn named<'a>(committers: &'a [Committer], by: &'a str) -> impl Iterator<Item = &'a Committer> {
    committers.iter().filter(move |c| c.matches(by))
}

/// Reads `committers:`; problems go to `errs` at their spans.
pub fn read_committers(node: &Node, errs: &mut Errors) -> Vec<Committer> {
    let items = errs.seq_at_most("committers", node, MAX_COMMITTERS);
    let mut out: Vec<Committer> = Vec::new();
    // Where each key was first listed, to refuse one key for two people.
    let mut seen_keys: Vec<(String, String)> = Vec::new();
    for item in items {
        let Some(c) = read_committer(item, errs, &mut seen_keys) else {
            continue;
        };
        if out.iter().any(|o| o.name.eq_ignore_ascii_case(&c.name)) {
            errs.push(
                format!("`{}` is listed twice among the committers", c.name),
                item.span,
            );
            continue;
        }
        out.push(c);
    }
    out
}

fn read_committer(
    node: &Node,
    errs: &mut Errors,
    seen_keys: &mut Vec<(String, String)>,
) -> Option<Committer> {
    if let Value::Str(name) = &node.value {
        if name.trim().is_empty() {
            errs.push("a committer's name must not be blank", node.span);
            return None;
        }
        return Some(Committer {
            name: name.trim().to_string(),
            email: None,
            handles: Vec::new(),
            keys: Vec::new(),
        });
    }
    let mut m = MapReader::new("a committer", node, errs)?;
    let name = match m.str("name", errs) {
        Some(n) if !n.value.trim().is_empty() => Some(n.value.trim().to_string()),
        Some(n) => {
            errs.push("a committer's `name` must not be blank", n.span);
            None
        }
        None => {
            errs.push_help(
                "this committer has no `name`",
                node.span,
                "write `name: Alice Doe`; `email`, `handles` and `keys` are optional",
            );
            None
        }
    };
    let email = m.str("email", errs).and_then(|e| {
        if e.value.contains('@') && !e.value.contains(char::is_whitespace) {
            Some(e.value)
        } else {
            errs.push(format!("`{}` is not an email address", e.value), e.span);
            None
        }
    });
    let handles = match m.get("handles") {
        Some(n) => match &n.value {
            Value::Str(_) => errs
                .str("handles", n)
                .into_iter()
                .map(|h| h.value)
                .collect(),
            _ => errs
                .seq_at_most("handles", n, MAX_KEYS)
                .iter()
                .filter_map(|h| errs.str("handles", h))
                .map(|h| h.value)
                .collect(),
        },
        None => Vec::new(),
    };
    let mut keys = Vec::new();
    if let Some(n) = m.get("keys") {
        for k in errs.seq_at_most("keys", n, MAX_KEYS) {
            let Some(text) = errs.str("keys", k) else {
                continue;
            };
            match read_key(&text.value) {
                Ok(key) => {
                    let line = text.value.trim().to_string();
                    let who = name.clone().unwrap_or_default();
                    if let Some((_, other)) = seen_keys.iter().find(|(f, _)| *f == key.fingerprint)
                    {
                        errs.push(
                            format!(
                                "key {} is already listed for {other}: a key names one person",
                                key.fingerprint
                            ),
                            k.span,
                        );
                        continue;
                    }
                    seen_keys.push((key.fingerprint.clone(), who));
                    keys.push(line);
                }
                Err(e) => errs.push_help(
                    format!("this key cannot be read: {e}"),
                    k.span,
                    "write the public key line, as in `~/.ssh/id_ed25519.pub`: `ssh-ed25519 AAAA… comment`",
                ),
            }
        }
    }
    m.finish(errs);
    Some(Committer {
        name: name?,
        email,
        handles,
        keys,
    })
}

fn read_key(text: &str) -> Result<CommitterKey, String> {
    let key = crate::signing::parse_public_key(text)?;
    let signer = crate::signing::Signer::of(&key);
    match signer.algorithm.as_str() {
        "ED25519" | "RSA" => {}
        "ECDSA"
            if matches!(
                key,
                ssh_key::public::KeyData::Ecdsa(ssh_key::public::EcdsaPublicKey::NistP256(_))
            ) => {}
        other => {
            return Err(format!(
                "{other} keys are not verified by onboard; list an ed25519, ECDSA P-256 or RSA key"
            ))
        }
    }
    Ok(CommitterKey {
        algorithm: signer.algorithm,
        fingerprint: signer.fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    fn span_text(file: &SourceFile, span: Span) -> &str {
        file.text.get(span.offset..span.end()).unwrap_or("")
    }

    fn committer(name: &str, email: Option<&str>, handles: &[&str]) -> Committer {
        Committer {
            name: name.into(),
            email: email.map(String::from),
            handles: handles.iter().map(|h| h.to_string()).collect(),
            keys: Vec::new(),
        }
    }

    #[test]
    fn by_matches_a_name_an_email_or_a_handle() {
        let alice = committer("Alice Doe", Some("alice@example.com"), &["alice"]);
        for by in [
            "Alice Doe",
            "alice doe",
            "@alice",
            "ALICE",
            "alice@example.com",
            "Alice Doe <alice@example.com>",
            "Someone <Alice@Example.com>",
        ] {
            assert!(alice.matches(by), "{by}");
        }
        for by in ["bob", "", "Alice Doe <mallory@example.com>", "alice2"] {
            assert!(!alice.matches(by), "{by}");
        }
        let bare = committer("carol", None, &[]);
        assert!(bare.matches("Carol <carol@anywhere.example>"));
    }

    #[test]
    fn problems_are_reported_at_their_spans() {
        let text = "- name: Alice\n  email: nope\n  keys: [\"ssh-ed25519 AAAA\"]\n- { email: a@b.c }\n- Alice\n- name: Bob\n  kyes: []\n";
        let file = SourceFile::new("p.yml", text);
        let node = crate::yaml::parse(text).unwrap();
        let mut errs = Errors::default();
        let got = read_committers(&node, &mut errs);
        assert_eq!(got.len(), 2, "{got:?}");
        let messages: Vec<(&str, &str)> = errs
            .items
            .iter()
            .map(|e| (e.message.as_str(), span_text(&file, e.span)))
            .collect();
        assert!(
            messages.contains(&("`nope` is not an email address", "nope")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|(m, s)| m.starts_with("this key cannot be read")
                    && *s == "\"ssh-ed25519 AAAA\"")
        );
        assert!(messages
            .iter()
            .any(|(m, s)| *m == "this committer has no `name`" && *s == "{ email: a@b.c }"));
        assert!(messages
            .iter()
            .any(|(m, s)| *m == "`Alice` is listed twice among the committers" && *s == "Alice"));
        assert!(messages
            .iter()
            .any(|(m, s)| m.contains("unknown key `kyes`") && *s == "kyes"));
    }
}
