use super::{readme_anchor, readme_name};
use crate::facts::docs::SecurityContact;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB706",
    name: "missing-security-contact",
    group: "docs",
    level: Level::Allow,
    item: Item::Marketplace,
    summary: "No security contact: no SECURITY.md, and no security section or security address in the README.",
    docs: r#"## What it checks
That the repository says where to report a vulnerability: a `SECURITY.md` (any case, any
extension) at the root, in `.github/` or in `docs/`; or a README heading with the word
"security"; or a security address (`security@…`) in the README; or, for a policy kept for a
whole organisation (GitHub shows an organisation's `.github` repository's `SECURITY.md` on every
repository), `docs.security` in `.onboarding.yml` naming an https page, a `mailto:` address or a
file of the repository. A `docs.security` that leads nowhere is underlined. A repository whose
`origin` remote belongs to an organisation listed in the `security_policies` setting is covered
by that organisation's policy (the shipped policy lists Mattermost's; the remote is read from
the git configuration, never contacted).

## Why it matters
The Marketplace requires a security contact, so that a vulnerability found in a listed plugin
reaches its maintainers privately before it reaches attackers.

## How to fix
Add a `SECURITY.md` saying how to report a vulnerability (Mattermost's plugins point at
<https://mattermost.com/security-vulnerability-report/>), or a `## Security` section in the
README. When your organisation publishes one policy for all its repositories, list it in an
organisation policy (`security_policies: { my-org: https://… }`), or name it in `docs.security`.

## Parameters
None.

## Example
```markdown
## Security

Report vulnerabilities to security@example.com, not in public issues.
```

```yaml
# .onboarding.yml, for an organisation-wide policy
docs:
  security: https://mattermost.com/security-vulnerability-report/
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

fn check(ctx: &mut Ctx<'_>) {
    let docs = ctx.facts.docs();
    if let (Some(problem), Some((config, file))) = (
        &docs.security_pointer_problem,
        ctx.facts.onboarding().parsed(),
    ) {
        if let Some(p) = &config.docs.security {
            ctx.report(format!("`docs.security`: {}", problem.value))
                .at(file, p.span)
                .help("name the page, address or file where vulnerabilities are reported");
        }
    }
    if docs.security_pointer_problem.is_some() {
        return;
    }
    if let Some(contact) = &docs.security_contact {
        let text = match contact {
            SecurityContact::File { path } => format!("security policy in `{path}`"),
            SecurityContact::Section { heading } => {
                format!("README section `{heading}`")
            }
            SecurityContact::Email { address } => {
                format!("security address {address} in the README")
            }
            SecurityContact::Declared { value } => format!("`docs.security`: {value}"),
            SecurityContact::Organisation {
                organisation,
                policy,
            } => format!(
                "the organisation `{organisation}` (the `origin` remote's owner) publishes its \
                 security policy for all its repositories: {policy}"
            ),
        };
        ctx.evidence(text);
        return;
    }
    let help = "add a SECURITY.md saying how to report a vulnerability, or a `## Security` \
                section in the README; or, when an organisation publishes one policy for all \
                its repositories, name it in `docs.security` or list it under \
                `security_policies` in an organisation policy";
    match readme_anchor(docs) {
        Some((file, title)) => {
            ctx.report(format!(
                "no security contact: no SECURITY.md, and `{}` has no security section or address",
                readme_name(docs)
            ))
            .at(file, title)
            .help(help);
        }
        None => {
            ctx.report("no security contact: no SECURITY.md and no README")
                .help(help);
        }
    }
}
