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
        let readmes = list
            .iter()
            .filter(root)
            .filter(|f| is_readme_name(&f.path))
            .map(|f| f.path.clone())
            .collect();
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
