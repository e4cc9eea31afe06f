//! Names and ids: which file names are licences, READMEs and lockfiles, and how a commit id is
//! shortened. One definition each, for every layer.

/// Whether a root file name is a licence file name.
pub fn is_licence_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    matches!(stem, "LICENSE" | "LICENCE" | "COPYING" | "UNLICENSE")
        || upper.starts_with("LICENSE-")
        || upper.starts_with("LICENCE-")
}

/// Whether a root file name is a README (`README`, `README.md`, any case).
pub fn is_readme_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper == "README" || upper.starts_with("README.")
}

/// File names read as lockfiles, with the larger cap.
pub const LOCKFILE_NAMES: [&str; 6] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.sum",
    "Cargo.lock",
];

/// Whether a repository path is a lockfile by its name.
pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    LOCKFILE_NAMES.contains(&name)
}

/// A commit id as shown to people: its first 7 hex digits, as git abbreviates (the whole id
/// when it is shorter).
pub fn short_id(id: &str) -> &str {
    id.get(..crate::git::SHORT_ID_LEN).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids() {
        assert!(is_licence_name("LICENSE.txt") && is_licence_name("licence-MIT"));
        assert!(!is_licence_name("LICENSES.md"));
        assert!(is_readme_name("readme.md") && !is_readme_name("READMEFIRST"));
        assert!(is_lockfile("webapp/package-lock.json") && !is_lockfile("package.json"));
        assert_eq!(short_id("0123456789abcdef"), "0123456");
        assert_eq!(short_id("abc"), "abc");
    }
}
