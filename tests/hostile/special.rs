//! Files that are not files: committed links from `.gitignore` and `.gitattributes` to devices
//! and pipes (git refuses to read such links; a reader that follows them reads forever or
//! waits forever), pipes in the working tree, and a repository configuration that includes a
//! pipe, which only the time limit can end.

use super::harness::Sandbox;
use std::process::Command;

fn mkfifo(path: &std::path::Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

fn link(sb: &Sandbox, link: &str, target: &std::path::Path) {
    let path = sb.repo.join(link);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
    std::os::unix::fs::symlink(target, path).unwrap();
}

#[test]
fn ignore_and_attribute_files_linked_to_devices_and_pipes() {
    let sb = Sandbox::plugin();
    let pipe = sb.outside.join("pipe");
    mkfifo(&pipe);
    link(&sb, ".gitignore", std::path::Path::new("/dev/zero"));
    link(
        &sb,
        "server/.gitattributes",
        std::path::Path::new("/dev/zero"),
    );
    link(
        &sb,
        "webapp/.gitignore",
        std::path::Path::new("/dev/urandom"),
    );
    link(&sb, ".gitattributes", &pipe);
    sb.write("webapp/src/index.js", "export default 1;\n");
    sb.commit_all(&sb.repo, "links to devices and a pipe");
    // Stat-dirty and modified files: a status would have to read attributes to hash them.
    let mut go = std::fs::read_to_string(sb.repo.join("server/main.go")).unwrap();
    go.push_str("// changed\n");
    sb.write("server/main.go", go);
    sb.write("server/untracked.go", "package main\n");
    for extra in [&[][..], &["--rev", "HEAD"][..]] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let facts = c.facts();
        let files = facts["files"]["count"].as_u64().unwrap();
        assert!(files >= 10, "{}", facts["files"]);
        c.status_ok();
    }
    let out = sb.run(&[
        "lint",
        sb.repo.to_str().unwrap(),
        "--changed-from",
        "v1.0.0",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`.gitattributes` is not a regular file"),
        "{}",
        out.stderr
    );
}

#[test]
fn pipes_in_the_working_tree() {
    let sb = Sandbox::plugin();
    std::fs::remove_file(sb.repo.join("README.md")).unwrap();
    mkfifo(&sb.repo.join("README.md"));
    mkfifo(&sb.repo.join("server/pipe.go"));
    mkfifo(&sb.repo.join("docs/.gitignore"));
    sb.write("docs/setup.md", "# Setup\n");
    let c = sb.check(&sb.repo);
    c.exit(1);
    c.finding("missing-readme", "not a regular file");
    c.status_ok();
}

#[test]
fn a_configuration_that_includes_a_pipe_ends_at_the_time_limit() {
    let sb = Sandbox::plugin();
    let pipe = sb.outside.join("config-pipe");
    mkfifo(&pipe);
    let config = sb.repo.join(".git/config");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("[include]\n\tpath = {}\n", pipe.display()));
    std::fs::write(&config, text).unwrap();
    let repo = sb.repo.to_str().unwrap();
    // Every command that reads a repository is bounded the same way.
    for args in [
        vec!["lint", repo],
        vec!["status", repo],
        vec!["facts", repo],
        vec!["review-diff", repo],
        vec!["init", repo, "--stdout"],
    ] {
        let before = sb.snapshot();
        let mut args = args.clone();
        args.extend(["--time-limit", "2"]);
        let out = sb.run(&args);
        before.assert_same(&sb.snapshot(), args[0]);
        assert_eq!(out.code, 2, "{}: {}", args[0], out.stderr);
        assert!(
            out.stderr.contains("stopped after 2 s"),
            "{}: {}",
            args[0],
            out.stderr
        );
        assert!(out.elapsed.as_secs() < 20, "{}: {:?}", args[0], out.elapsed);
    }
}
