use super::found;
use crate::finding::{Item, Level};
use crate::rules::{Ctx, NoParams, Params, Rule};

pub static RULE: Rule = Rule {
    code: "OB103",
    name: "invalid-plugin-id",
    group: "manifest",
    level: Level::Deny,
    item: Item::BasicReview,
    summary: "The manifest `id` is missing, or not 3–190 characters of `a-z A-Z 0-9 - _ .`.",
    docs: r#"## What it checks
The server's plugin id rule: at least 3 and at most 190 characters, each a letter, a digit, `-`,
`_` or `.` (the server lower-cases the id before checking).

## Why it matters
The server refuses to install a plugin whose id fails this rule, and the id names the plugin's
data, settings and routes for its whole life: it cannot be changed later without losing them.

## How to fix
Use reverse-DNS notation under a name you control, e.g. `com.example.hello`.

## Parameters
None.

## Example
```json
{ "id": "my plugin!", "name": "Hello" }
```
"#,
    params: Params::of::<NoParams>(),
    check: Some(check),
    ..Rule::DEFAULTS
};

pub fn is_valid_id(id: &str) -> bool {
    (3..=190).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn check(ctx: &mut Ctx<'_>) {
    let Some(m) = found(ctx.facts) else { return };
    match &m.id {
        None if m.has_key("id") => {}
        None => {
            ctx.report(format!("`{}` has no `id`", m.path))
                .at(&m.file, crate::source::Span::new(m.span.offset, 0))
                .help("add `\"id\": \"com.example.hello\"`");
        }
        Some(id) if !is_valid_id(&id.value.to_lowercase()) => {
            let why = if id.value.len() < 3 {
                "shorter than 3 characters".to_string()
            } else if id.value.len() > 190 {
                format!("{} characters long, more than 190", id.value.len())
            } else {
                "made of characters other than letters, digits, `-`, `_` and `.`".to_string()
            };
            ctx.report(format!("plugin id `{}` is {why}", id.value))
                .at(&m.file, id.span)
                .help("the server only accepts ids matching ^[a-zA-Z0-9-_.]{3,190}$, e.g. `com.example.hello`");
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn id_rule_matches_the_server() {
        use super::is_valid_id;
        assert!(is_valid_id("com.mattermost.demo-plugin"));
        assert!(is_valid_id("jira"));
        assert!(is_valid_id("a_b"));
        assert!(!is_valid_id("ab"));
        assert!(!is_valid_id("my plugin"));
        assert!(!is_valid_id(&"a".repeat(191)));
        assert!(is_valid_id(&"a".repeat(190)));
    }
}
