use super::found;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB105",
    name: "invalid-manifest-url",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary:
        "`homepage_url`, `support_url` or `release_notes_url` is set but is not an http(s) URL.",
    docs: r#"## What it checks
For each of `homepage_url`, `support_url` and `release_notes_url` that is set: it starts with
`http://` or `https://` and parses as an absolute URL with a host, as the server's
`IsValidHTTPURL` requires.

## Why it matters
The server refuses a manifest with an invalid URL in these fields, and the Marketplace links to
them.

## How to fix
Write the full URL, scheme included.

## Parameters
None.

## Example
```json
{ "support_url": "github.com/example/hello/issues" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

/// The server's `IsValidHTTPURL`: an http(s) prefix, then a URL that parses with a host.
pub fn is_valid_http_url(raw: &str) -> bool {
    if !(raw.starts_with("http://") || raw.starts_with("https://")) {
        return false;
    }
    match url::Url::parse(raw) {
        Ok(u) => u.host_str().is_some_and(|h| !h.is_empty()),
        Err(_) => false,
    }
}

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    for (key, value) in [
        ("homepage_url", &m.homepage_url),
        ("support_url", &m.support_url),
        ("release_notes_url", &m.release_notes_url),
    ] {
        let Some(v) = value else { continue };
        if !v.value.is_empty() && !is_valid_http_url(&v.value) {
            ctx.report(format!("`{key}` is not an http(s) URL: `{}`", v.value))
                .at(&m.file, v.span)
                .help("write an absolute URL starting with https://");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls() {
        use super::is_valid_http_url as ok;
        assert!(ok(
            "https://github.com/mattermost/mattermost-plugin-jira/issues"
        ));
        assert!(ok("http://example.com"));
        assert!(!ok("github.com/x"));
        assert!(!ok("ftp://example.com"));
        assert!(!ok("https://"));
    }
}
