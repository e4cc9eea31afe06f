//! `onboard record` and signed records, with real OpenSSH keys made by `ssh-keygen` here:
//! records signed by `--sign` and by `ssh-keygen -Y sign` verify, onboard's signatures verify
//! with `ssh-keygen -Y verify`, every way a record can fail says which, a commit signed by git
//! with `gpg.format=ssh` counts for its trailer, and the edit keeps every other byte.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const PLUGIN: &str = "{\"id\": \"com.example.hello\", \"name\": \"Hello\"}\n";

/// Runs a program, panicking with its output when it fails.
fn run(program: &str, args: &[&str], dir: &Path, stdin: Option<&[u8]>) -> Vec<u8> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("GIT_AUTHOR_DATE", "2026-01-05T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-05T00:00:00Z");
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{program} cannot run ({e}): the tests need OpenSSH and git"));
    if let Some(input) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A new key pair of `kind` (`ed25519`, `ecdsa`, `rsa`) without a passphrase: its private key
/// file and its public key line.
fn keygen(dir: &Path, name: &str, kind: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let p = path.to_str().unwrap();
    run(
        "ssh-keygen",
        &["-q", "-t", kind, "-N", "", "-C", name, "-f", p],
        dir,
        None,
    );
    let public = std::fs::read_to_string(format!("{p}.pub")).unwrap();
    (path, public.trim().to_string())
}

/// `SHA256:…` as `ssh-keygen -l` prints it.
fn fingerprint(key: &Path) -> String {
    let out = run(
        "ssh-keygen",
        &["-l", "-f", key.to_str().unwrap()],
        Path::new("."),
        None,
    );
    String::from_utf8(out)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string()
}

/// A plugin repository with one commit; `policy.yml` (in the working tree) lists the
/// committers.
fn plugin(policy: &str) -> tempfile::TempDir {
    let dir = support::one_commit_repo(support::files(&[
        ("plugin.json", PLUGIN),
        ("server/plugin.go", "package main\n"),
        (".onboarding.yml", "version: 1\npolicies: [policy.yml]\n"),
    ]));
    std::fs::write(dir.path().join("policy.yml"), policy).unwrap();
    dir
}

fn policy(committers: &[(&str, &[&str])], required: bool) -> String {
    let mut out = String::from("version: 1\ncommitters:\n");
    for (name, keys) in committers {
        out.push_str(&format!("  - name: {name}\n    keys:\n"));
        for k in *keys {
            out.push_str(&format!("      - \"{k}\"\n"));
        }
        if keys.is_empty() {
            out.push_str("      []\n");
        }
    }
    out.push_str(&format!("require_signed_records: {required}\n"));
    out
}

fn onboard_ok(args: &[&str]) -> support::Output {
    let out = support::onboard(args);
    assert_eq!(out.code, 0, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    out
}

/// The findings of `rule` in `lint --format json` at the ci-extensions-release gate.
fn findings(root: &str, rule: &str) -> Vec<String> {
    let out = support::onboard(&[
        "lint",
        root,
        "--gate",
        "ci-extensions-release",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

/// The evidence `status` gives for the basic review.
fn review_evidence(root: &str) -> String {
    let out = support::onboard(&["status", root, "--format", "json"]);
    let status: Value = serde_json::from_str(&out.stdout).unwrap();
    status["gates"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["evidence"].as_array().unwrap())
        .find(|e| e["rule"] == "missing-basic-review")
        .and_then(|e| e["text"].as_str())
        .unwrap_or_else(|| panic!("no review evidence: {}", out.stdout))
        .to_string()
}

/// The armored signature of the last record in `.onboarding.yml`.
fn last_signature(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join(".onboarding.yml")).unwrap();
    let start = text.rfind("signature: |\n").expect("a signature") + "signature: |\n".len();
    let mut out = String::new();
    for line in text[start..].lines() {
        let line = line.trim();
        out.push_str(line);
        out.push('\n');
        if line == "-----END SSH SIGNATURE-----" {
            break;
        }
    }
    out
}

fn edit_onboarding(root: &Path, from: &str, to: &str) {
    let path = root.join(".onboarding.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {text}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn records_signed_by_onboard_verify_in_onboard_and_in_ssh_keygen_for_each_key_type() {
    for kind in ["ed25519", "ecdsa", "rsa"] {
        let keys = tempfile::tempdir().unwrap();
        let (key, public) = keygen(keys.path(), "alice", kind);
        let dir = plugin(&policy(&[("alice", &[&public])], true));
        let root = dir.path().to_str().unwrap();
        let key_arg = key.to_str().unwrap();

        let out = onboard_ok(&[
            "record", "review", root, "--kind", "basic", "--by", "alice", "--sign", key_arg,
        ]);
        let fp = fingerprint(&key);
        assert!(out.stdout.contains(&fp), "{kind}: {}", out.stdout);
        assert!(findings(root, "untrusted-record").is_empty(), "{kind}");
        let evidence = review_evidence(root);
        assert!(
            evidence.contains(&format!(
                "signed by alice's key {} {fp}",
                kind.to_uppercase()
            )),
            "{kind}: {evidence}"
        );

        // The same signature, checked by OpenSSH over the printed payload.
        let payload = onboard_ok(&[
            "record",
            "review",
            root,
            "--kind",
            "basic",
            "--by",
            "alice",
            "--print-payload",
        ])
        .stdout;
        assert!(payload.starts_with("onboard-record v1\nplugin: \"com.example.hello\"\ncommit: \""));
        std::fs::write(keys.path().join("sig"), last_signature(dir.path())).unwrap();
        std::fs::write(keys.path().join("allowed"), format!("alice {public}\n")).unwrap();
        let verified = run(
            "ssh-keygen",
            &[
                "-Y",
                "verify",
                "-f",
                "allowed",
                "-I",
                "alice",
                "-n",
                "onboard-record",
                "-s",
                "sig",
            ],
            keys.path(),
            Some(payload.as_bytes()),
        );
        assert!(String::from_utf8_lossy(&verified)
            .contains("Good \"onboard-record\" signature for alice"));
    }
}

#[test]
fn a_signature_made_by_ssh_keygen_over_the_printed_payload_verifies() {
    for kind in ["ed25519", "ecdsa", "rsa"] {
        let keys = tempfile::tempdir().unwrap();
        let (key, public) = keygen(keys.path(), "carol", kind);
        let dir = plugin(&policy(&[("carol", &[&public])], true));
        let root = dir.path().to_str().unwrap();
        let qa = [
            "record",
            "qa",
            root,
            "--environment",
            "ci-extensions",
            "--commit",
            "v0.1.0",
        ];
        let carol = ["--by", "carol"];

        let payload = onboard_ok(&[&qa[..], &carol, &["--print-payload"]].concat()).stdout;
        assert!(
            payload.contains("kind: \"qa\"\nenvironment: \"ci-extensions\"\nby: \"carol\"\n"),
            "{payload}"
        );
        std::fs::write(keys.path().join("payload"), &payload).unwrap();
        run(
            "ssh-keygen",
            &[
                "-Y",
                "sign",
                "-n",
                "onboard-record",
                "-f",
                key.to_str().unwrap(),
                "payload",
            ],
            keys.path(),
            None,
        );
        // Wrapped at 76 columns, as some signers write it (ssh-keygen wraps at 70).
        let armored = std::fs::read_to_string(keys.path().join("payload.sig")).unwrap();
        let lines: Vec<&str> = armored.lines().collect();
        let body = lines[1..lines.len() - 1].concat();
        let rewrapped: Vec<&str> = body
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let sig = keys.path().join("payload76.sig");
        std::fs::write(
            &sig,
            format!(
                "{}\n{}\n{}\n",
                lines[0],
                rewrapped.join("\n"),
                lines[lines.len() - 1]
            ),
        )
        .unwrap();
        onboard_ok(&[&qa[..], &carol, &["--signature", sig.to_str().unwrap()]].concat());
        let facts: Value = serde_json::from_str(&onboard_ok(&["facts", root]).stdout).unwrap();
        let record = &facts["records"]["records"][0];
        assert_eq!(record["signature"]["state"], "valid", "{kind}: {record}");
        assert_eq!(
            record["signature"]["fingerprint"],
            fingerprint(&key).as_str()
        );
        assert_eq!(record["signature"]["key_of"], "carol");
        assert!(findings(root, "untrusted-record").is_empty(), "{kind}");

        // A signature over something else is refused before anything is written.
        let before = std::fs::read(dir.path().join(".onboarding.yml")).unwrap();
        let other = support::onboard(
            &[
                &qa[..],
                &["--by", "dave", "--signature", sig.to_str().unwrap()],
            ]
            .concat(),
        );
        assert_eq!(other.code, 2, "{}", other.stdout);
        assert!(
            other
                .stderr
                .contains("does not verify over this record's payload"),
            "{}",
            other.stderr
        );
        assert_eq!(
            std::fs::read(dir.path().join(".onboarding.yml")).unwrap(),
            before
        );
    }
}

/// A repository with a review signed by `signer` (listed or not), and what lint says of it.
struct Signed {
    dir: tempfile::TempDir,
    _keys: tempfile::TempDir,
    key: PathBuf,
}

fn signed_review(listed: &[(&str, bool)], required: bool, by: &str) -> Signed {
    let keys = tempfile::tempdir().unwrap();
    let (key, public) = keygen(keys.path(), "signer", "ed25519");
    let (_, other) = keygen(keys.path(), "other", "ed25519");
    let committers: Vec<(&str, Vec<&str>)> = listed
        .iter()
        .map(|(name, has)| {
            (
                *name,
                vec![if *has {
                    public.as_str()
                } else {
                    other.as_str()
                }],
            )
        })
        .collect();
    let committers: Vec<(&str, &[&str])> =
        committers.iter().map(|(n, k)| (*n, k.as_slice())).collect();
    let dir = plugin(&policy(&committers, required));
    let root = dir.path().to_str().unwrap();
    onboard_ok(&[
        "record",
        "review",
        root,
        "--kind",
        "basic",
        "--by",
        by,
        "--sign",
        key.to_str().unwrap(),
    ]);
    Signed {
        dir,
        _keys: keys,
        key,
    }
}

#[test]
fn each_failure_says_which_it_is() {
    // A field changed after signing.
    let s = signed_review(&[("alice", true)], false, "alice");
    let root = s.dir.path().to_str().unwrap();
    edit_onboarding(s.dir.path(), "kind: basic", "kind: complete");
    assert_eq!(
        findings(root, "untrusted-record"),
        ["review record by alice: the signature does not match the record: a field was changed after it was signed"]
    );
    assert!(
        !findings(root, "missing-complete-review").is_empty(),
        "a tampered record does not count"
    );

    // The record moved to a newer commit.
    let s = signed_review(&[("alice", true)], false, "alice");
    let root = s.dir.path().to_str().unwrap();
    let first = String::from_utf8(run("git", &["rev-parse", "HEAD"], s.dir.path(), None)).unwrap();
    let first = first.trim();
    std::fs::write(
        s.dir.path().join("server/plugin.go"),
        "package main\n\nfunc f() {}\n",
    )
    .unwrap();
    run("git", &["commit", "-qam", "more code"], s.dir.path(), None);
    let second = String::from_utf8(run("git", &["rev-parse", "HEAD"], s.dir.path(), None)).unwrap();
    edit_onboarding(s.dir.path(), first, second.trim());
    assert_eq!(
        findings(root, "untrusted-record"),
        [format!(
            "review record by alice: the signature was made for commit {}, not {}: the record was moved to another commit",
            &first[..7],
            &second[..7]
        )]
    );

    // Another plugin: the id in the manifest is not the one signed (a fork that renamed it).
    let s = signed_review(&[("alice", true)], false, "alice");
    let root = s.dir.path().to_str().unwrap();
    std::fs::write(
        s.dir.path().join("plugin.json"),
        PLUGIN.replace("hello", "fork"),
    )
    .unwrap();
    assert_eq!(
        findings(root, "untrusted-record"),
        ["review record by alice: the signature was made for plugin `com.example.hello`, not `com.example.fork`: the record was copied from another plugin"]
    );

    // Signed with a key that is not alice's, and is bob's.
    let s = signed_review(&[("alice", false), ("bob", true)], false, "alice");
    let root = s.dir.path().to_str().unwrap();
    assert_eq!(
        findings(root, "untrusted-record"),
        [format!(
            "review record by alice: signed by key {}, which is not listed for alice (it is bob's)",
            fingerprint(&s.key)
        )]
    );

    // Unsigned, where the policy requires signatures; and by someone who is no committer.
    let keys = tempfile::tempdir().unwrap();
    let (_, public) = keygen(keys.path(), "alice", "ed25519");
    let dir = plugin(&policy(&[("alice", &[&public])], true));
    let root = dir.path().to_str().unwrap();
    onboard_ok(&["record", "review", root, "--kind", "basic", "--by", "alice"]);
    onboard_ok(&[
        "record", "review", root, "--kind", "basic", "--by", "mallory",
    ]);
    assert_eq!(
        findings(root, "untrusted-record"),
        [
            "review record by alice is not signed, and the policy requires signed records",
            "review record by mallory: mallory is not one of the policy's committers",
        ]
    );
    assert_eq!(
        findings(root, "missing-basic-review"),
        ["no recorded review counts (see untrusted-record and invalid-record)"]
    );
}

#[test]
fn a_commit_signed_by_git_with_an_ssh_key_makes_its_trailer_a_signed_record() {
    let keys = tempfile::tempdir().unwrap();
    let (alice, alice_pub) = keygen(keys.path(), "alice", "ed25519");
    let (bob, bob_pub) = keygen(keys.path(), "bob", "ecdsa");
    let dir = plugin(&policy(
        &[("alice", &[&alice_pub]), ("bob", &[&bob_pub])],
        true,
    ));
    let root = dir.path().to_str().unwrap();
    let commit = |key: &Path, message: &str| {
        std::fs::write(
            dir.path().join("server/plugin.go"),
            format!("package main\n// {message}\n"),
        )
        .unwrap();
        run(
            "git",
            &[
                "-c",
                "gpg.format=ssh",
                "-c",
                &format!("user.signingkey={}", key.display()),
                "commit",
                "-q",
                "-S",
                "-a",
                "-m",
                message,
            ],
            dir.path(),
            None,
        );
    };
    // Signed by bob, naming alice: the signature is bob's, so the trailer is unsigned.
    commit(&bob, "Merge the feature\n\nReviewed-by: alice");
    assert_eq!(
        findings(root, "untrusted-record"),
        [format!(
            "review record by alice (Reviewed-by trailer of {}) is not signed, and the policy requires signed records (the commit is signed by {} (bob's), not by a key listed for alice)",
            &String::from_utf8(run("git", &["rev-parse", "HEAD"], dir.path(), None)).unwrap()[..7],
            fingerprint(&bob)
        )]
    );
    // Signed by alice herself: it counts, and status names her key.
    commit(&alice, "Merge the fix\n\nReviewed-by: alice");
    let facts: Value = serde_json::from_str(&onboard_ok(&["facts", root]).stdout).unwrap();
    let head = String::from_utf8(run("git", &["rev-parse", "HEAD"], dir.path(), None)).unwrap();
    let newest = facts["records"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"]["commit"] == head.trim())
        .expect("the trailer of HEAD");
    assert_eq!(newest["signature"]["state"], "valid", "{newest}");
    assert_eq!(newest["signature"]["key_of"], "alice");
    let evidence = review_evidence(root);
    assert!(
        evidence.contains(&format!(
            "signed by alice's key ED25519 {}",
            fingerprint(&alice)
        )),
        "{evidence}"
    );
}

#[test]
fn recording_keeps_every_other_byte_of_the_file() {
    let old = "# Where Hello stands.\nversion: 1      # the format\npolicies: ['policy.yml']\n\nreviews:\n  # the first one\n  - { kind: basic, by: \"bob\", commit: v0.1.0, date: '2026-01-02' }   # by hand\n    # bob's notes: none\n\n# QA comes later\nqa: []   # none yet\nwaivers:\n  - {rule: missing-readme, reason: \"soon\"}\n";
    let dir = plugin("version: 1\n");
    let path = dir.path().join(".onboarding.yml");
    std::fs::write(&path, old).unwrap();
    let root = dir.path().to_str().unwrap();
    let head = String::from_utf8(run("git", &["rev-parse", "HEAD"], dir.path(), None)).unwrap();
    let head = head.trim();
    let today = jiff::Zoned::now().date().to_string();

    onboard_ok(&[
        "record", "review", root, "--kind", "complete", "--focus", "security",
    ]);
    let new = std::fs::read_to_string(&path).unwrap();
    let inserted = format!(
        "  - {{ kind: complete, focus: security, by: \"Onboard Tests <tests@example.com>\", commit: \"{head}\", date: \"{today}\" }}\n"
    );
    let at = old.find("# bob's notes: none\n").unwrap() + "# bob's notes: none\n".len();
    assert_eq!(new, format!("{}{inserted}{}", &old[..at], &old[at..]));

    // A list written `[]` becomes a block list under its key, its comment kept.
    onboard_ok(&[
        "record",
        "qa",
        root,
        "--environment",
        "ci-extensions",
        "--by",
        "carol",
    ]);
    let newer = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        newer,
        new.replace(
            "qa: []   # none yet\n",
            &format!("qa:   # none yet\n  - environment: ci-extensions\n    by: carol\n    commit: \"{head}\"\n    date: \"{today}\"\n")
        )
    );
    assert_eq!(
        findings(root, "invalid-onboarding-file"),
        Vec::<String>::new()
    );

    // No file yet: one is made, `version: 1` first.
    std::fs::remove_file(&path).unwrap();
    onboard_ok(&[
        "record",
        "pm-ux",
        root,
        "--by",
        "dana",
        "--communication",
        "Announced in ~plugins; no team affected",
    ]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("version: 1\npm_ux:\n  by: dana\n  commit: \"{head}\"\n  date: \"{today}\"\n  communication: \"Announced in ~plugins; no team affected\"\n")
    );
}

#[test]
fn bad_requests_write_nothing_and_exit_2() {
    let dir = plugin("version: 1\n");
    let root = dir.path().to_str().unwrap();
    let path = dir.path().join(".onboarding.yml");
    let before = std::fs::read(&path).unwrap();
    for (args, expected) in [
        (vec!["--commit", "nope"], "`nope` names no commit"),
        (vec!["--date", "2999-01-01"], "is in the future"),
        (vec!["--date", "yesterday"], "is not a date"),
        (vec!["--sign", "/nonexistent/key"], "cannot read the key"),
        (vec!["--by", " "], "must not be blank"),
    ] {
        let out =
            support::onboard(&[&["record", "review", root, "--kind", "basic"][..], &args].concat());
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let out = support::onboard(&[
        "record",
        "qa",
        root,
        "--environment",
        "ci-extensions",
        "--release",
        "v9.9.9",
    ]);
    assert!(
        out.stderr.contains("there is no tag v9.9.9"),
        "{}",
        out.stderr
    );
    std::fs::write(&path, "version: 1\nreviews: 5\n").unwrap();
    let out = support::onboard(&["record", "review", root, "--kind", "basic"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("must be a list"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "version: 1\nreviews: 5\n"
    );
}
