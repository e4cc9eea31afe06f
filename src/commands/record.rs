//! `onboard record review|qa|pm-ux`: writes one record into `.onboarding.yml`, at the commit it
//! covers (the full id), dated today, by the git identity unless told, optionally signed. The
//! file is edited at the right span ([`crate::yaml::edit`]); every other byte stays. It never
//! commits.
//!
//! Signing: `--sign KEY` signs in-process (the `ssh-key` crate) when KEY is an unencrypted
//! OpenSSH private key; a key with a passphrase, or a `.pub` whose private half is in ssh-agent,
//! is signed by the user's own `ssh-keygen -Y sign` (which asks for the passphrase, or the
//! agent). Whichever made it, the signature is verified in-process before it is written.

use crate::cli::{RecordArgs, RecordCommand};
use crate::facts::onboarding::{self, FILE_NAME};
use crate::facts::{ManifestFact, OnboardingFact};
use crate::signing::{self, Fields};
use crate::source::{Date, SourceFile};
use crate::yaml::edit::{self, Entry, Scalar, Target};
use std::io::Write;
use std::path::Path;

/// One record to write: what it says, and where in `.onboarding.yml` it goes.
struct Draft {
    fields: Fields,
    target: Target,
    /// The keys to write, in order, before `commit`, `date` and the rest.
    entry: Vec<(&'static str, Option<String>)>,
}

/// Runs `onboard record`: 0 written (or the payload printed), 2 refused or failed.
pub fn run(cmd: &RecordCommand, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<i32> {
    let (args, kind) = match cmd {
        RecordCommand::Review(a) => (&a.record, Kind::Review(a.kind.clone(), a.focus.clone())),
        RecordCommand::Qa(a) => (
            &a.record,
            Kind::Qa(a.release.clone(), a.environment.clone(), a.notes.clone()),
        ),
        RecordCommand::PmUx(a) => (&a.record, Kind::PmUx(a.communication.clone())),
    };
    match record(args, kind, out, err) {
        Ok(code) => Ok(code),
        Err(Refused(message)) => super::usage_error(err, &message),
    }
}

enum Kind {
    Review(String, Option<String>),
    Qa(Option<String>, String, Option<String>),
    PmUx(Option<String>),
}

/// A reason to write nothing, for the user.
struct Refused(String);

impl<T: Into<String>> From<T> for Refused {
    fn from(s: T) -> Refused {
        Refused(s.into())
    }
}

fn record(
    args: &RecordArgs,
    kind: Kind,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Refused> {
    super::arm(args.limits.time.seconds);
    let root = super::root(args.path.as_deref());
    let io = |e: std::io::Error| Refused(e.to_string());
    let opts = crate::engine::Options {
        path: root.clone(),
        max_file_bytes: Some(args.limits.max_file_bytes),
        ..Default::default()
    };
    // The configuration must read: a record is not added to a file with problems, and the
    // policy's committers are checked against the signer.
    let p = match super::prepare(&opts, err).map_err(io)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let facts = &p.facts;
    let ws = facts.workspace();
    let repo = ws.repo().ok_or_else(|| match &ws.info().git_unavailable {
        Some(why) => format!("a record names a commit, and {why}"),
        None => "the repository is not a git repository: a record names a commit".into(),
    })?;
    if repo.is_bare() {
        return Err(Refused(format!(
            "{} is a bare repository: there is no working tree to write {FILE_NAME} to",
            root.display()
        )));
    }
    let date = match &args.date {
        Some(d) => {
            let date = parse_date(d)?;
            if date > Date::today() {
                return Err(Refused(format!("{d} is in the future")));
            }
            date
        }
        None => Date::today(),
    };
    let by = match &args.by {
        Some(b) if !b.trim().is_empty() => b.trim().to_string(),
        Some(_) => return Err("`--by` must not be blank".into()),
        None => git_identity(repo)?,
    };
    let draft = draft(kind, &by, date);
    let commit = commit_of(repo, args.commit.as_deref(), &draft)?;
    let plugin = match facts.manifest() {
        ManifestFact::Found(m) => m.id.as_ref().map(|i| i.value.clone()),
        _ => None,
    };
    let signing = args.print_payload || args.sign.is_some() || args.signature.is_some();
    let payload =
        match (&plugin, signing) {
            (Some(id), _) => Some(signing::payload(id, &commit, &draft.fields)),
            (None, true) => return Err(
                "the manifest (plugin.json) names no plugin `id`, and a signed record covers it"
                    .into(),
            ),
            (None, false) => None,
        };
    if args.print_payload {
        out.write_all(payload.unwrap_or_default().as_bytes())
            .map_err(io)?;
        return Ok(0);
    }
    let signature = match (&args.sign, &args.signature, &payload) {
        (Some(key), _, Some(payload)) => Some(sign(key, payload)?),
        (_, Some(file), _) => Some(
            std::fs::read_to_string(file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?,
        ),
        _ => None,
    };
    let mut signed_note = String::new();
    if let (Some(sig), Some(payload)) = (&signature, &payload) {
        let signer = signing::parse(sig)
            .map_err(|e| format!("the signature {e}"))
            .and_then(|s| {
                signing::verify(&s, signing::NAMESPACE, payload.as_bytes()).map_err(|f| {
                    format!(
                        "the signature does not verify over this record's payload: {f} \
                         (sign exactly what `--print-payload` prints, with `-n {}`)",
                        signing::NAMESPACE
                    )
                })
            })?;
        signed_note = format!(", signed with {} {}", signer.algorithm, signer.fingerprint);
        let settings = facts.settings();
        let listed = crate::policy::committers::named(&settings.committers, &by)
            .any(|c| c.has_key(&signer.fingerprint));
        if !settings.committers.is_empty() && !listed {
            writeln!(
                err,
                "warning: key {} is not listed for {by} under `committers:` in the policy; \
                 `onboard lint` will not count this record until it is",
                signer.fingerprint
            )
            .map_err(io)?;
        }
    }

    let entry = entry(&draft, &commit, signature.as_deref());
    let (old, path) = current_file(&root, facts.onboarding())?;
    let edited = edit::insert(&old, draft.target, &entry)
        .map_err(|e| format!("cannot add the record to {FILE_NAME}: {e}"))?;
    check_written(&edited.text, &draft, &commit, signature.as_deref())?;
    write(&path, &edited.text)?;
    let what = match &draft.fields.review {
        Some(k) => format!("a {k} review"),
        None if draft.fields.kind == "qa" => "a QA pass".to_string(),
        None => "the PM/UX review".to_string(),
    };
    writeln!(
        out,
        "recorded {what} by {by} at {}{signed_note} in {}{}; commit it",
        crate::workspace::names::short_id(&commit),
        path.display(),
        edited
            .replaced
            .map(|_| " (it replaces the PM/UX review recorded before)")
            .unwrap_or_default(),
    )
    .map_err(io)?;
    Ok(0)
}

fn parse_date(text: &str) -> Result<Date, Refused> {
    let ok = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    match text.parse::<jiff::civil::Date>() {
        Ok(d) if ok => Ok(Date(d)),
        _ => Err(format!("`{text}` is not a date: write YYYY-MM-DD").into()),
    }
}

/// `user.name <user.email>` of the repository's git configuration.
fn git_identity(repo: &git2::Repository) -> Result<String, Refused> {
    let config = repo
        .config()
        .map_err(|e| format!("cannot read the git configuration: {}", e.message()))?;
    let get = |key: &str| {
        config
            .get_string(key)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    match (get("user.name"), get("user.email")) {
        (Some(n), Some(e)) => Ok(format!("{n} <{e}>")),
        (Some(n), None) => Ok(n),
        (None, Some(e)) => Ok(e),
        (None, None) => Err(
            "who did this? Pass `--by NAME`, or set `git config user.name` and `user.email`".into(),
        ),
    }
}

fn draft(kind: Kind, by: &str, date: Date) -> Draft {
    let mut fields = Fields {
        by: by.to_string(),
        date: date.to_string(),
        ..Fields::default()
    };
    match kind {
        Kind::Review(review, focus) => {
            fields.kind = "review".into();
            fields.review = Some(review.clone());
            fields.focus = focus.clone();
            Draft {
                fields,
                target: Target::List("reviews"),
                entry: vec![
                    ("kind", Some(review)),
                    ("focus", focus),
                    ("by", Some(by.into())),
                ],
            }
        }
        Kind::Qa(release, environment, notes) => {
            fields.kind = "qa".into();
            fields.release = release.clone();
            fields.environment = Some(environment.clone());
            fields.notes = notes.clone();
            Draft {
                fields,
                target: Target::List("qa"),
                entry: vec![
                    ("release", release),
                    ("environment", Some(environment)),
                    ("by", Some(by.into())),
                    ("notes", notes),
                ],
            }
        }
        Kind::PmUx(communication) => {
            fields.kind = "pm-ux".into();
            fields.communication = communication.clone();
            Draft {
                fields,
                target: Target::Mapping("pm_ux"),
                entry: vec![("by", Some(by.into())), ("communication", communication)],
            }
        }
    }
}

/// The full id of the commit the record covers: `--commit`, else a QA pass's release tag,
/// else `HEAD`.
fn commit_of(repo: &git2::Repository, rev: Option<&str>, draft: &Draft) -> Result<String, Refused> {
    let resolve = |spec: &str| {
        repo.revparse_single(spec)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id())
            .map_err(|_| Refused(format!("`{spec}` names no commit in this repository")))
    };
    let tag = match &draft.fields.release {
        Some(release) => match repo.find_reference(&format!("refs/tags/{release}")) {
            Ok(r) => Some(
                r.peel_to_commit()
                    .map_err(|_| format!("the tag {release} names no commit"))?
                    .id(),
            ),
            Err(_) if rev.is_some() => None,
            Err(_) => {
                return Err(Refused(format!(
                    "there is no tag {release}: tag the release first, or name the tested commit with `--commit`"
                )))
            }
        },
        None => None,
    };
    let id = match (rev, tag) {
        (Some(spec), Some(tag)) => {
            let id = resolve(spec)?;
            if id != tag {
                return Err(Refused(format!(
                    "the tag {} is at {}, not at {spec} ({}): a QA pass of a release covers the tag's commit",
                    draft.fields.release.as_deref().unwrap_or(""),
                    crate::git::short(tag),
                    crate::git::short(id)
                )));
            }
            id
        }
        (Some(spec), None) => resolve(spec)?,
        (None, Some(tag)) => tag,
        (None, None) => resolve("HEAD").map_err(|_| "the repository has no commit yet")?,
    };
    Ok(id.to_string())
}

/// Signs `payload` with the key file at `key`.
fn sign(key: &Path, payload: &str) -> Result<String, Refused> {
    let text = std::fs::read_to_string(key)
        .map_err(|e| format!("cannot read the key {}: {e}", key.display()))?;
    match signing::read_key(&text).map_err(|e| format!("{}: {e}", key.display()))? {
        signing::SigningKey::Plain(k) => {
            Ok(signing::sign(&k, signing::NAMESPACE, payload.as_bytes())?)
        }
        signing::SigningKey::External => ssh_keygen_sign(key, payload),
    }
}

/// `ssh-keygen -Y sign -n onboard-record -f KEY`, the payload on its standard input: it asks
/// for the passphrase on the terminal, or uses the agent for a public key file.
fn ssh_keygen_sign(key: &Path, payload: &str) -> Result<String, Refused> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", signing::NAMESPACE, "-f"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| {
            format!(
                "this key needs ssh-keygen to sign (it has a passphrase, or is in an agent), and \
                 ssh-keygen cannot be run: {e}"
            )
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(payload.as_bytes())
            .map_err(|e| format!("cannot hand the payload to ssh-keygen: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("ssh-keygen failed: {e}"))?;
    if !output.status.success() {
        return Err(format!("ssh-keygen -Y sign failed ({})", output.status).into());
    }
    String::from_utf8(output.stdout).map_err(|_| "ssh-keygen wrote no signature".into())
}

/// The record as written: the draft's keys with `commit` and `date`, then the signature.
fn entry(draft: &Draft, commit: &str, signature: Option<&str>) -> Entry {
    let mut out: Entry = Vec::new();
    for (k, v) in &draft.entry {
        if let Some(v) = v {
            out.push((k, Scalar::Text(v.clone())));
        }
        if *k == "by" {
            out.push(("commit", Scalar::Quoted(commit.to_string())));
            out.push(("date", Scalar::Text(draft.fields.date.clone())));
        }
    }
    if let Some(sig) = signature {
        out.push(("signature", Scalar::Block(normalise_armor(sig))));
    }
    out
}

/// The armored signature, one line per line, ending with a line break.
fn normalise_armor(sig: &str) -> String {
    let mut out: String = sig
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// The file's current text ("" when there is none) and where it is. A link is refused: the
/// edit would replace it with a file.
fn current_file(
    root: &Path,
    fact: &OnboardingFact,
) -> Result<(String, std::path::PathBuf), Refused> {
    let path = root.join(FILE_NAME);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Refused(format!(
            "{} is a symbolic link: edit the file it points to, or replace the link with the file",
            path.display()
        )));
    }
    match fact {
        OnboardingFact::Missing => Ok((String::new(), path)),
        OnboardingFact::Parsed { file, .. } => Ok((file.text.to_string(), path)),
        OnboardingFact::Unreadable(e) => Err(Refused(format!("cannot read {FILE_NAME}: {e}"))),
        OnboardingFact::Invalid { .. } => Err(Refused(format!(
            "{FILE_NAME} has problems: fix them first (`onboard lint` shows them)"
        ))),
    }
}

/// Reads the edited text back: it must parse, and its new record must say what was meant.
fn check_written(
    text: &str,
    draft: &Draft,
    commit: &str,
    signature: Option<&str>,
) -> Result<(), Refused> {
    let file = SourceFile::new(FILE_NAME, text);
    let parsed = onboarding::parse(&file).map_err(|errs| {
        format!(
            "the edited {FILE_NAME} would not read ({}); nothing was written",
            errs.first().map(|e| e.message.as_str()).unwrap_or("")
        )
    })?;
    let sig = |s: &Option<crate::source::Spanned<String>>| s.as_ref().map(|s| s.value.clone());
    let v = |s: &Option<crate::source::Spanned<String>>| s.as_ref().map(|s| s.value.clone());
    let got: Option<(Fields, String, Option<String>)> = match draft.target {
        Target::List("reviews") => parsed.reviews.last().map(|r| {
            (
                Fields {
                    kind: "review".into(),
                    review: Some(r.kind.value.as_str().to_string()),
                    focus: v(&r.focus),
                    by: r.by.value.clone(),
                    date: r.date.value.to_string(),
                    ..Fields::default()
                },
                r.commit.value.clone(),
                sig(&r.signature),
            )
        }),
        Target::List(_) => parsed.qa.last().map(|q| {
            (
                Fields {
                    kind: "qa".into(),
                    release: v(&q.release),
                    environment: v(&q.environment),
                    notes: v(&q.notes),
                    by: q.by.value.clone(),
                    date: q.date.value.to_string(),
                    ..Fields::default()
                },
                v(&q.commit).unwrap_or_default(),
                sig(&q.signature),
            )
        }),
        Target::Mapping(_) => parsed.pm_ux.as_ref().map(|p| {
            (
                Fields {
                    kind: "pm-ux".into(),
                    communication: v(&p.communication),
                    by: p.by.value.clone(),
                    date: p.date.value.to_string(),
                    ..Fields::default()
                },
                v(&p.commit).unwrap_or_default(),
                sig(&p.signature),
            )
        }),
    };
    let want = (
        draft.fields.clone(),
        commit.to_string(),
        signature.map(normalise_armor),
    );
    if got.as_ref() != Some(&want) {
        return Err(format!(
            "the edited {FILE_NAME} does not read back as the record; nothing was written"
        )
        .into());
    }
    Ok(())
}

/// Replaces the file through a temporary file and a rename, keeping its permissions.
fn write(path: &Path, text: &str) -> Result<(), Refused> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{FILE_NAME}.onboard-record"));
    let result = std::fs::write(&tmp, text)
        .and_then(|()| match std::fs::metadata(path) {
            Ok(meta) => std::fs::set_permissions(&tmp, meta.permissions()),
            Err(_) => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()).into());
    }
    Ok(())
}
