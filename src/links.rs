//! onboard's own addresses: its repository (`repository` in Cargo.toml), and files of it at the
//! tag of this version, so that a schema's `$id`, an editor's `$schema` modeline and a rule's
//! help link name the text of the release that wrote them, not whatever `main` holds later.

/// The repository, `https://github.com/OWNER/NAME`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
/// This build's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The release tag of this version.
pub fn tag() -> String {
    format!("v{VERSION}")
}

/// A file of the repository at this version's tag, as a page (`…/blob/vX.Y.Z/PATH`).
pub fn page(path: &str) -> String {
    format!("{REPOSITORY}/blob/v{VERSION}/{path}")
}

/// A file of the repository at this version's tag, as its bytes (what an editor or a JSON
/// Schema validator fetches).
pub fn raw(path: &str) -> String {
    let slug = REPOSITORY
        .strip_prefix("https://github.com/")
        .unwrap_or(REPOSITORY);
    format!("https://raw.githubusercontent.com/{slug}/v{VERSION}/{path}")
}

/// Where a rule is documented: its section in `docs/rules.md`, by the section's anchor
/// (`ob201-missing-licence-file`).
pub fn rule(anchor: &str) -> String {
    format!("{}#{anchor}", page("docs/rules.md"))
}

/// The published schema called `name` (`onboarding`, `report`, …).
pub fn schema(name: &str) -> String {
    raw(&format!("schemas/{name}.schema.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_versioned_and_on_github() {
        assert!(
            REPOSITORY.starts_with("https://github.com/"),
            "{REPOSITORY}"
        );
        assert_eq!(REPOSITORY.matches('/').count(), 4, "{REPOSITORY}");
        assert_eq!(
            schema("report"),
            format!(
                "https://raw.githubusercontent.com/{}/v{VERSION}/schemas/report.schema.json",
                &REPOSITORY["https://github.com/".len()..]
            )
        );
        assert_eq!(
            rule("missing-readme"),
            format!("{REPOSITORY}/blob/v{VERSION}/docs/rules.md#missing-readme")
        );
    }
}
