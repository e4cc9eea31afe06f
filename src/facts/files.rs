//! What is in the repository: the file list, and the root files the checklist asks about.

use crate::workspace::names::{is_licence_name, is_readme_name};
use crate::workspace::{FileKind, RepoFile, Workspace};
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LicenceFile {
    pub path: String,
    pub symlink: bool,
    /// Where the link points, when it is one.
    pub target: Option<String>,
    /// Whether the file (or the link's target, inside the repository) can be read.
    pub readable: bool,
    /// Why not, when it cannot.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FilesFact {
    /// Number of paths listed (from git's index or tree when there is one).
    pub count: usize,
    /// Root files named like a licence: `LICENSE`, `LICENCE`, `COPYING`, with any extension.
    pub licence_files: Vec<LicenceFile>,
    /// Root files named `README` with any extension, any case.
    pub readmes: Vec<String>,
    /// Set when the repository could not be listed.
    pub error: Option<String>,
    #[serde(skip)]
    pub list: Vec<RepoFile>,
}

/// Directories of tooling: end-to-end and load tests, test data and fixtures, examples, the
/// template's build tools. What lies in them is not shipped in the plugin bundle, so their
/// package manifests say nothing about the plugin's licence, their lockfiles list no shipped
/// dependency, and their code is not the plugin's own. One list, for every fact that asks.
///
/// Seen in the Mattermost plugin corpus: `e2e/`, `e2e-tests/` and `tests-e2e/` (Playwright,
/// Cypress), `loadtest/` and `lt/` (load tests), `build/` (the template's `build/go.mod` of the
/// manifest and deployment tools), `webapp/test_stubs/` (stub packages for tests).
pub const TOOLING_DIRS: [&str; 16] = [
    "build",
    "cypress",
    "e2e",
    "e2e-tests",
    "examples",
    "fixtures",
    "load-test",
    "loadtest",
    "loadtests",
    "lt",
    "playwright",
    "test",
    "test_stubs",
    "testdata",
    "tests",
    "tests-e2e",
];

/// Whether a path lies in a tooling directory (see [`TOOLING_DIRS`]), at any depth; the file
/// name itself is not looked at.
pub fn is_tooling(path: &str) -> bool {
    let mut dirs = path.split('/').rev().skip(1);
    dirs.any(|dir| TOOLING_DIRS.contains(&dir))
}

impl FilesFact {
    pub fn compute(ws: &Workspace) -> FilesFact {
        let (list, error) = match ws.files() {
            Ok(list) => (list.to_vec(), None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let root = |f: &&RepoFile| !f.path.contains('/');
        let licence_files = list
            .iter()
            .filter(root)
            .filter(|f| f.kind != FileKind::Submodule && is_licence_name(&f.path))
            .map(|f| {
                let target = match ws.entry(&f.path) {
                    Some(crate::workspace::Entry::Symlink(t)) => Some(t),
                    _ => None,
                };
                let problem = match ws.read(&f.path) {
                    Ok(Some(_)) => None,
                    Ok(None) => Some(format!("`{}` cannot be found", f.path)),
                    Err(e) => Some(e.to_string()),
                };
                LicenceFile {
                    path: f.path.clone(),
                    symlink: f.kind == FileKind::Symlink,
                    target,
                    readable: problem.is_none(),
                    problem,
                }
            })
            .collect();
        let mut readmes: Vec<String> = list
            .iter()
            .filter(root)
            .filter(|f| is_readme_name(&f.path))
            .map(|f| f.path.clone())
            .collect();
        // A root folder named like a README (`README.md/`) is listed too, so that reading it
        // says what it is rather than "no README".
        let mut folders: Vec<String> = list
            .iter()
            .filter_map(|f| f.path.split_once('/').map(|(top, _)| top))
            .filter(|top| is_readme_name(top))
            .map(str::to_string)
            .collect();
        folders.dedup();
        readmes.extend(folders);
        FilesFact {
            count: list.len(),
            licence_files,
            readmes,
            error,
            list,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_and_readme_names() {
        for name in [
            "LICENSE",
            "LICENSE.txt",
            "LICENCE.md",
            "COPYING",
            "License",
            "LICENSE.enterprise",
        ] {
            assert!(is_licence_name(name), "{name}");
        }
        for name in ["LICENSES", "licensing.md", "NOTICE.txt"] {
            assert!(!is_licence_name(name), "{name}");
        }
        assert!(is_readme_name("readme.md"));
        assert!(is_readme_name("README"));
        assert!(!is_readme_name("READMEFIRST"));
    }
}
