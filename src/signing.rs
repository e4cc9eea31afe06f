//! Signed records: the canonical payload a record's signature covers, and SSH signatures
//! (`ssh-keygen -Y sign`'s armored SSHSIG format) made and checked in-process with the
//! `ssh-key` crate. Nothing here runs a program: a repository may be hostile, and checking its
//! signatures must not hand it a process to steer.
//!
//! The payload (documented in `docs/records.md`) is UTF-8 text, one field per line:
//!
//! ```text
//! onboard-record v1
//! plugin: "com.example.todo"
//! commit: "0123456789abcdef0123456789abcdef01234567"
//! kind: "review"
//! review: "basic"
//! by: "alice"
//! date: "2026-03-01"
//! ```
//!
//! The first line is the format's name and version. Then `name: value` lines in the fixed
//! order of [`FIELD_ORDER`], a field the record does not have left out; each value is a JSON
//! string (RFC 8259, as `serde_json` writes it: `"` and `\` escaped, control characters as
//! `\n`, `\t`, … or `\u00XX`, everything else literal UTF-8). Every line, the last included,
//! ends with a line feed.

use ssh_key::public::KeyData;
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

/// The SSHSIG namespace of record signatures (`ssh-keygen -Y sign -n onboard-record`).
pub const NAMESPACE: &str = "onboard-record";
/// The namespace git signs commits and tags in.
pub const GIT_NAMESPACE: &str = "git";
/// The payload's first line.
pub const HEADER: &str = "onboard-record v1";
/// The armor's first line.
pub const ARMOR_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
/// The armor's last line.
pub const ARMOR_END: &str = "-----END SSH SIGNATURE-----";
/// The width of the armor's Base64 lines, as `ssh-keygen` writes them.
const ARMOR_WIDTH: usize = 70;

/// The payload's fields, in the order they are written.
pub const FIELD_ORDER: [&str; 11] = [
    "plugin",
    "commit",
    "kind",
    "review",
    "focus",
    "release",
    "environment",
    "notes",
    "communication",
    "by",
    "date",
];

/// What a record's signature covers: its kind and fields, the plugin and the full commit id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// `review`, `qa` or `pm-ux`.
    pub kind: String,
    pub review: Option<String>,
    pub focus: Option<String>,
    pub release: Option<String>,
    pub environment: Option<String>,
    pub notes: Option<String>,
    pub communication: Option<String>,
    pub by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// The payload of a record with `fields`, for plugin `plugin` at commit `commit` (40 hex
/// digits).
pub fn payload(plugin: &str, commit: &str, fields: &Fields) -> String {
    let values: [Option<&str>; 11] = [
        Some(plugin),
        Some(commit),
        Some(&fields.kind),
        fields.review.as_deref(),
        fields.focus.as_deref(),
        fields.release.as_deref(),
        fields.environment.as_deref(),
        fields.notes.as_deref(),
        fields.communication.as_deref(),
        Some(&fields.by),
        Some(&fields.date),
    ];
    let mut out = format!("{HEADER}\n");
    for (name, value) in FIELD_ORDER.iter().zip(values) {
        if let Some(v) = value {
            let quoted = serde_json::to_string(v).expect("a string serialises");
            out.push_str(&format!("{name}: {quoted}\n"));
        }
    }
    out
}

/// A public key that made a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub key: KeyData,
    /// `ED25519`, `ECDSA`, `RSA`, as `ssh-keygen -l` names them.
    pub algorithm: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
}

impl Signer {
    pub fn of(key: &KeyData) -> Signer {
        Signer {
            key: key.clone(),
            algorithm: algorithm_name(key),
            fingerprint: fingerprint(key),
        }
    }
}

/// `SHA256:…` of a public key, as `ssh-keygen -l` prints it.
pub fn fingerprint(key: &KeyData) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

fn algorithm_name(key: &KeyData) -> String {
    match key {
        KeyData::Ed25519(_) => "ED25519".into(),
        KeyData::Ecdsa(_) => "ECDSA".into(),
        KeyData::Rsa(_) => "RSA".into(),
        other => other.algorithm().as_str().to_string(),
    }
}

/// Reads an armored signature, as `ssh-keygen -Y sign` writes it. As OpenSSH does, blanks
/// around lines (the indentation of a YAML block) and the width of the Base64 lines are
/// ignored: some signers wrap at 76 columns, where `ssh-keygen` wraps at 70.
pub fn parse(armored: &str) -> Result<SshSig, String> {
    let lines: Vec<&str> = armored
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.first() != Some(&ARMOR_BEGIN) {
        return Err(format!("it does not start with `{ARMOR_BEGIN}`"));
    }
    let Some(end) = lines.iter().position(|l| *l == ARMOR_END) else {
        return Err(format!("it does not end with `{ARMOR_END}`"));
    };
    let body: String = lines[1..end].concat();
    let mut text = format!("{ARMOR_BEGIN}\n");
    for chunk in body.as_bytes().chunks(ARMOR_WIDTH) {
        text.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        text.push('\n');
    }
    text.push_str(ARMOR_END);
    text.push('\n');
    SshSig::from_pem(text.as_bytes()).map_err(|e| format!("it cannot be read: {e}"))
}

/// Why a signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Made for another use (`ssh-keygen -Y sign -n NAMESPACE`).
    Namespace(String),
    /// The key type is not one onboard verifies.
    Unsupported(String),
    /// The signature does not match the message.
    Mismatch,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Namespace(ns) => write!(f, "it was made in namespace `{ns}`"),
            Failure::Unsupported(alg) => write!(
                f,
                "its key type {alg} is not one onboard verifies (ed25519, ECDSA P-256, RSA)"
            ),
            Failure::Mismatch => f.write_str("it does not match"),
        }
    }
}

/// Checks `sig` over `message` with the key it carries, in `namespace`. Whether that key is
/// the right person's is the caller's question.
pub fn verify(sig: &SshSig, namespace: &str, message: &[u8]) -> Result<Signer, Failure> {
    if sig.namespace() != namespace {
        return Err(Failure::Namespace(sig.namespace().to_string()));
    }
    let key = sig.public_key();
    if !matches!(
        key,
        KeyData::Ed25519(_)
            | KeyData::Ecdsa(ssh_key::public::EcdsaPublicKey::NistP256(_))
            | KeyData::Rsa(_)
    ) {
        return Err(Failure::Unsupported(key.algorithm().as_str().to_string()));
    }
    PublicKey::new(key.clone(), "")
        .verify(namespace, message, sig)
        .map(|()| Signer::of(key))
        .map_err(|_| Failure::Mismatch)
}

/// A private key file read for signing.
pub enum SigningKey {
    /// Unencrypted: signs in-process.
    Plain(Box<PrivateKey>),
    /// Protected by a passphrase, or a public key whose private half is in an agent: signed
    /// by the user's own `ssh-keygen -Y sign`.
    External,
}

/// Reads `text` (a key file's contents): an unencrypted OpenSSH private key signs in-process;
/// an encrypted one or a public key (`.pub`, for a key held in an agent) is left to
/// `ssh-keygen`.
pub fn read_key(text: &str) -> Result<SigningKey, String> {
    if text
        .trim_start()
        .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
    {
        let key = PrivateKey::from_openssh(text.as_bytes())
            .map_err(|e| format!("not a readable OpenSSH private key: {e}"))?;
        return Ok(if key.is_encrypted() {
            SigningKey::External
        } else {
            SigningKey::Plain(Box::new(key))
        });
    }
    if PublicKey::from_openssh(text.trim()).is_ok() {
        return Ok(SigningKey::External);
    }
    if text.trim_start().starts_with("-----BEGIN") {
        return Err(
            "not an OpenSSH key: convert it with `ssh-keygen -p -f KEY` (which writes the \
             OpenSSH format), or sign with `ssh-keygen -Y sign` and `--signature`"
                .into(),
        );
    }
    Err("not an OpenSSH private or public key".into())
}

/// Signs `message` in `namespace` with an unencrypted key; the armored text, with a final
/// line feed.
pub fn sign(key: &PrivateKey, namespace: &str, message: &[u8]) -> Result<String, String> {
    let sig = match key.key_data() {
        ssh_key::private::KeypairData::Rsa(rsa) => {
            sign_rsa(rsa, key.public_key().key_data(), namespace, message)
        }
        _ => key
            .sign(namespace, HashAlg::Sha512, message)
            .map_err(|e| e.to_string()),
    }
    .map_err(|e| format!("cannot sign with this key: {e}"))?;
    sig.to_pem(LineEnding::LF)
        .map_err(|e| format!("cannot write the signature: {e}"))
}

/// Signs with an RSA key (`rsa-sha2-512`, as `ssh-keygen -Y sign` does). `ssh-key` 0.6.7
/// builds its RSA private key from the prime `p` twice instead of `p` and `q`, so that every
/// RSA signature it makes fails; the key is built here from its real components instead.
fn sign_rsa(
    key: &ssh_key::private::RsaKeypair,
    public: &KeyData,
    namespace: &str,
    message: &[u8],
) -> Result<SshSig, String> {
    use rsa::signature::{SignatureEncoding, Signer};
    let big =
        |m: &ssh_key::Mpint| rsa::BigUint::from_bytes_be(m.as_positive_bytes().unwrap_or(&[]));
    let private = rsa::RsaPrivateKey::from_components(
        big(&key.public.n),
        big(&key.public.e),
        big(&key.private.d),
        vec![big(&key.private.p), big(&key.private.q)],
    )
    .map_err(|e| e.to_string())?;
    let data =
        SshSig::signed_data(namespace, HashAlg::Sha512, message).map_err(|e| e.to_string())?;
    let signature = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha512>::new(private)
        .try_sign(&data)
        .map_err(|e| e.to_string())?;
    let signature = ssh_key::Signature::new(
        ssh_key::Algorithm::Rsa {
            hash: Some(HashAlg::Sha512),
        },
        signature.to_vec(),
    )
    .map_err(|e| e.to_string())?;
    SshSig::new(public.clone(), namespace, HashAlg::Sha512, signature).map_err(|e| e.to_string())
}

/// Reads a public key line (`ssh-ed25519 AAAA… comment`).
pub fn parse_public_key(line: &str) -> Result<KeyData, String> {
    PublicKey::from_openssh(line.trim())
        .map(|k| k.key_data().clone())
        .map_err(|e| format!("not an OpenSSH public key: {e}"))
}

/// A commit's own signature (its `gpgsig` header) and the bytes it signs (the commit without
/// that header); `None` when the commit is not signed.
pub fn commit_signature(repo: &git2::Repository, commit: git2::Oid) -> Option<(String, Vec<u8>)> {
    let (sig, data) = repo.extract_signature(&commit, None).ok()?;
    Some((String::from_utf8_lossy(&sig).into_owned(), data.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_one_line_per_field_in_a_fixed_order() {
        let fields = Fields {
            kind: "review".into(),
            review: Some("complete".into()),
            focus: Some("security".into()),
            by: "Alice \"Al\" Doe <alice@example.com>".into(),
            date: "2026-03-01".into(),
            ..Fields::default()
        };
        assert_eq!(
            payload(
                "com.example.todo",
                "0123456789abcdef0123456789abcdef01234567",
                &fields
            ),
            "onboard-record v1\n\
             plugin: \"com.example.todo\"\n\
             commit: \"0123456789abcdef0123456789abcdef01234567\"\n\
             kind: \"review\"\n\
             review: \"complete\"\n\
             focus: \"security\"\n\
             by: \"Alice \\\"Al\\\" Doe <alice@example.com>\"\n\
             date: \"2026-03-01\"\n"
        );
        let qa = Fields {
            kind: "qa".into(),
            release: Some("v1.2.0".into()),
            communication: Some("line one\nline two".into()),
            by: "carol".into(),
            date: "2026-03-02".into(),
            ..Fields::default()
        };
        let p = payload("p", "c", &qa);
        assert!(p.contains("release: \"v1.2.0\"\ncommunication: \"line one\\nline two\"\nby:"));
        assert!(!p.contains("review:") && !p.contains("notes:"));
    }

    #[test]
    fn unreadable_armor_is_refused_with_a_reason() {
        assert!(parse("hello").unwrap_err().contains("does not start with"));
        let bad = format!("{ARMOR_BEGIN}\nAAAA\n{ARMOR_END}\n");
        assert!(parse(&bad).unwrap_err().contains("cannot be read"));
        assert!(parse(&format!("{ARMOR_BEGIN}\nAAAA\n"))
            .unwrap_err()
            .contains("does not end"));
    }
}
