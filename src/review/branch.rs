//! `onboard review-diff --branch`: a two-commit branch whose diff is the review.
//!
//! Only objects (blobs of rebuilt base files, two trees' worth of changed entries, two
//! commits) and one ref, `refs/heads/NAME`, are written: never the working tree, the index or
//! `HEAD`.

use super::ReviewFile;
use crate::template::Class;
use crate::workspace::Workspace;

fn mode_of(entry: &git2::TreeEntry<'_>) -> git2::FileMode {
    match entry.filemode() {
        0o100755 => git2::FileMode::BlobExecutable,
        0o120000 => git2::FileMode::Link,
        _ => git2::FileMode::Blob,
    }
}

/// Writes the branch; returns a summary for the user.
pub fn write(
    ws: &Workspace,
    review: &[ReviewFile],
    name: &str,
    force: bool,
) -> Result<String, String> {
    let git = |e: git2::Error| e.message().to_string();
    let repo = ws
        .repo()
        .ok_or("--branch needs a git repository to write the branch into")?;
    let refname = format!("refs/heads/{name}");
    if !git2::Reference::is_valid_name(&refname) {
        return Err(format!("`{name}` is not a valid branch name"));
    }
    if let Ok(head) = repo.find_reference("HEAD") {
        if head.symbolic_target() == Some(refname.as_str()) {
            return Err(format!(
                "`{name}` is the branch HEAD names; review-diff never moves it"
            ));
        }
    }
    if repo.find_reference(&refname).is_ok() && !force {
        return Err(format!(
            "branch `{name}` exists; choose another name, or replace it with --force"
        ));
    }
    let commit_id = ws
        .info()
        .commit
        .as_deref()
        .and_then(|c| git2::Oid::from_str(c).ok())
        .ok_or("the repository has no commit to put on the branch")?;
    let commit = repo.find_commit(commit_id).map_err(git)?;
    let head_tree = commit.tree().map_err(git)?;

    let mut update = git2::build::TreeUpdateBuilder::new();
    let (mut own, mut modified) = (0, 0);
    // Paths of a plugin in a folder of a larger repository are the repository's with its prefix.
    let prefix = ws.prefix();
    for f in review {
        let path = format!("{prefix}{}", f.path);
        match (&f.base, f.class) {
            (None, _) => {
                update.remove(&path);
                own += 1;
            }
            (Some(base), Class::Modified) => {
                let entry = head_tree
                    .get_path(std::path::Path::new(&path))
                    .map_err(git)?;
                let blob = repo.blob(base).map_err(git)?;
                update.upsert(&path, blob, mode_of(&entry));
                modified += 1;
            }
            _ => {}
        }
    }
    let base_tree_id = update.create_updated(repo, &head_tree).map_err(git)?;
    let base_tree = repo.find_tree(base_tree_id).map_err(git)?;
    let sig = repo
        .signature()
        .or_else(|_| git2::Signature::now("onboard", "onboard@localhost"))
        .map_err(git)?;
    let short = &commit_id.to_string()[..12];
    let base_id = repo
        .commit(
            None,
            &sig,
            &sig,
            &format!(
                "Review base: starter-template boilerplate of {short}\n\n\
                 Files identical to or moved from a template version and files of the excluded\n\
                 classes (lockfiles, generated, vendored, fixtures, i18n, binary) as in {short};\n\
                 own files left out; modified template files reduced to the lines found in their\n\
                 nearest template version. Written by `onboard review-diff --branch`.\n"
            ),
            &base_tree,
            &[],
        )
        .map_err(git)?;
    let base = repo.find_commit(base_id).map_err(git)?;
    let head_id = repo
        .commit(
            None,
            &sig,
            &sig,
            &format!(
                "Plugin code for review: the tree of {short}\n\n\
                 The diff from the parent is every own file in full and the lines added to\n\
                 modified template files.\n"
            ),
            &head_tree,
            &[&base],
        )
        .map_err(git)?;
    repo.reference(&refname, head_id, force, "onboard review-diff --branch")
        .map_err(git)?;
    let added: u64 = review.iter().map(|f| f.added).sum();
    Ok(format!(
        "branch {name}: base {base_id} (without {own} own files, {modified} modified files \
         reduced to template lines), head {head_id} (the tree of {commit_id})\n\
         {added} lines added; see them with `git diff {name}~1 {name}`, or push the branch \
         and open a pull request from it against its base"
    ))
}
