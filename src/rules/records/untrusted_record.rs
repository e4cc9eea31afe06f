use super::{at_record, short_commit, trust, Trust};
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB808",
    name: "untrusted-record",
    group: "records",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "A record is not by one of the policy's committers, or its signature is missing, broken, moved or made with a key not listed for its person.",
    docs: r#"## What it checks
Every record in `.onboarding.yml` and every `Reviewed-by:`, `Security-reviewed-by:` and
`QA-passed-by:` trailer, against the policy's `committers:` and `require_signed_records:`
settings (top-level keys of a policy file):
- its `by` must name one of the `committers` (by name, email or handle), when the policy
  lists any;
- when it carries a `signature:`, or when the policy requires signatures, the signature must
  verify over the record's payload (its kind and fields, the plugin id and the full commit id;
  namespace `onboard-record`) with one of that committer's `keys`.

A trailer's signature is its commit's own SSH signature (namespace `git`, as git signs with
`gpg.format=ssh`): it makes the trailer a signed record when the key is one of the named
reviewer's; a commit signed by someone else, or with OpenPGP, leaves the trailer unsigned.

Each failure says which it is: not a committer, unsigned where signatures are required, a
signature that does not match (a field changed after signing), one made for another commit
or another plugin (the record was moved), or one made with a key not listed for that person.
A record that fails does not count for its checklist item. Verification runs in-process
(never a program), with ed25519, ECDSA P-256 and RSA keys.

## Why it matters
Anyone can write `by: alice`. A signature by a key the team lists for Alice shows that Alice
recorded this step, for this plugin, at this commit; a signature proves who, not how well.

## How to fix
Record with `onboard record … --sign ~/.ssh/id_ed25519` (or attach a signature made by
`ssh-keygen -Y sign` with `--signature`), and list each committer's public keys under
`committers:` in the policy. A record moved to a newer commit needs a new review and a new
signature: record it again at the commit that was reviewed. See `docs/records.md`.

## Parameters
None: `committers:` and `require_signed_records:` are settings of the policy file.

## Example
```console
$ onboard lint
error[untrusted-record]: review record by alice: the signature was made for commit 1a2b3c4, not 5d6e7f8: the record was moved to another commit
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    fix: crate::rules::Fix::NotByCommit(
        "a record is signed by the committer who made it",
    ),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let settings = ctx.facts.settings();
    let fact = ctx.facts.records();
    for r in &fact.records {
        let (item, what) = super::item_and_name(r);
        let (message, help) = match trust(settings, r) {
            Trust::Trusted(_) => continue,
            Trust::NotCommitter => (
                format!("{what}: {} is not one of the policy's committers", r.by),
                "a core committer records this step; or list the person under `committers:` in the policy".to_string(),
            ),
            Trust::Unsigned(note) => (
                format!(
                    "{what} is not signed, and the policy requires signed records{}",
                    note.map(|n| format!(" ({n})")).unwrap_or_default()
                ),
                "record it again with `onboard record … --sign KEY`, or attach a signature with `--signature FILE`".to_string(),
            ),
            Trust::Tampered if r.armored.is_none() => (
                format!("{what}: the commit's SSH signature does not verify"),
                "the commit was changed after it was signed, or signed wrongly: sign it again (`git commit --amend -S`)".to_string(),
            ),
            Trust::Tampered => (
                format!(
                    "{what}: the signature does not match the record: a field was changed after it was signed"
                ),
                "restore the record as it was signed, or record and sign it again (`onboard record … --print-payload` shows what is signed)".to_string(),
            ),
            Trust::Unreadable(why) => (
                format!("{what}: the signature cannot be checked: {why}"),
                "sign with `onboard record … --sign KEY`, or with `ssh-keygen -Y sign -n onboard-record` over `--print-payload`".to_string(),
            ),
            Trust::OtherCommit(commit) => (
                format!(
                    "{what}: the signature was made for commit {}, not {}: the record was moved to another commit",
                    &commit[..commit.len().min(7)],
                    short_commit(r)
                ),
                "a signature covers one commit: have the reviewed commit recorded and signed again".to_string(),
            ),
            Trust::OtherPlugin(plugin) => (
                format!(
                    "{what}: the signature was made for plugin `{plugin}`, not `{}`: the record was copied from another plugin",
                    fact.plugin.as_deref().unwrap_or("")
                ),
                "a signature covers one plugin: record and sign the review of this plugin".to_string(),
            ),
            Trust::KeyNotListed {
                fingerprint,
                listed_for,
            } => (
                format!(
                    "{what}: signed by key {fingerprint}, which is not listed for {}{}",
                    r.committers.join(" or "),
                    listed_for
                        .map(|o| format!(" (it is {o}'s)"))
                        .unwrap_or_default()
                ),
                "sign with one of the keys listed for that person under `committers:`, or add the key there".to_string(),
            ),
        };
        let f = ctx.report(message);
        f.item = item;
        f.help(help);
        at_record(f, fact, r, |s| s.signature.or(Some(s.by)));
    }
}
