//! The read limit (`--max-file-bytes`): a file over it is never read, and `file-too-large` names
//! the file, its size, the limit and the checks that went without it; those checks fail or say
//! they could not judge, never pass on what they did not read.

use super::harness::Sandbox;

#[test]
fn files_over_the_limit_are_named_with_what_they_hid() {
    let sb = Sandbox::plugin();
    // The sample's LICENSE (10 KiB) and a 3 KiB Go file are over a 2 KiB limit; the manifest,
    // the README and `.onboarding.yml` are under it.
    sb.write(
        "server/big.go",
        format!("package main\n{}", "// filler line\n".repeat(200)),
    );
    sb.commit_all(&sb.repo, "big file");
    for extra in [
        &["--max-file-bytes", "2KiB"][..],
        &["--max-file-bytes", "2048", "--rev", "HEAD"][..],
    ] {
        let c = sb.check_with(&sb.repo, extra);
        c.exit(1);
        let licence = c.finding("file-too-large", "`LICENSE`");
        let m = licence["message"].as_str().unwrap();
        assert!(m.contains("10279 bytes") && m.contains("2048 bytes"), "{m}");
        assert!(m.contains("licence"), "says what went without it: {m}");
        let go = c.finding("file-too-large", "`server/big.go`");
        assert!(
            go["message"].as_str().unwrap().contains("review size"),
            "{go}"
        );
        assert_eq!(c.findings("file-too-large").len(), 2, "{}", c.summary());
        // The licence was not judged: not passed.
        assert!(
            !c.findings("missing-licence-file").is_empty()
                || !c.findings("unknown-licence").is_empty(),
            "{}",
            c.summary()
        );
        let facts = c.facts();
        let limits = &facts["limits"];
        assert_eq!(limits["max_file_bytes"], 2048);
        assert_eq!(limits["max_lockfile_bytes"], 2048 * 16);
        let paths: Vec<&str> = limits["oversized"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["LICENSE", "server/big.go"]);
        let status = c.status_ok();
        assert!(status.to_string().contains("file-too-large"), "{status}");
    }
    // With the default limit nothing is over it.
    let c = sb.check(&sb.repo);
    c.no_finding("file-too-large");
    assert_eq!(c.facts()["limits"]["oversized"], serde_json::json!([]));
}

#[test]
fn lockfiles_get_sixteen_times_the_limit() {
    let sb = Sandbox::plugin();
    let lockfile = |n: usize| {
        let mut packages = String::new();
        for i in 0..n {
            packages.push_str(&format!(
                ",\n    \"node_modules/p{i}\": {{ \"version\": \"1.0.0\", \"license\": \"MIT\" }}"
            ));
        }
        format!("{{\"lockfileVersion\": 3, \"packages\": {{\"\": {{}}{packages}}}}}\n")
    };
    // About 20 KiB: over 4 KiB, under 16 × 4 KiB.
    let small = lockfile(300);
    assert!(
        small.len() > 4096 && small.len() < 16 * 4096,
        "{}",
        small.len()
    );
    sb.write("webapp/package-lock.json", &small);
    let c = sb.check_with(&sb.repo, &["--max-file-bytes", "4KiB"]);
    c.exit(1);
    let facts = c.facts();
    assert_eq!(facts["dependencies"]["npm"]["total"], 300);
    assert!(
        c.findings("file-too-large")
            .iter()
            .all(|f| !f["message"].as_str().unwrap().contains("package-lock")),
        "{}",
        c.summary()
    );
    // About 130 KiB: over 16 × 4 KiB. The dependency check says it could not read it.
    sb.write("webapp/package-lock.json", lockfile(2000));
    let c = sb.check_with(&sb.repo, &["--max-file-bytes", "4KiB"]);
    c.exit(1);
    let f = c.finding("file-too-large", "`webapp/package-lock.json`");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("65536 bytes") && m.contains("dependency licence"),
        "{m}"
    );
    c.finding("unknown-dependency-licence", "`webapp/package-lock.json`");
}

#[test]
fn the_option_is_documented_and_checked() {
    let sb = Sandbox::plugin();
    for command in ["lint", "facts", "status"] {
        let help = sb.run(&[command, "--help"]);
        assert_eq!(help.code, 0);
        assert!(
            help.stdout.contains("--max-file-bytes"),
            "{command}: {}",
            help.stdout
        );
        assert!(help.stdout.contains("16MiB"), "{command}: {}", help.stdout);
    }
    let repo = sb.repo.to_str().unwrap();
    for bad in ["0", "abc", "12 parsecs", "99999999999GiB"] {
        let out = sb.run(&["lint", repo, "--max-file-bytes", bad]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(
            out.stderr.contains("--max-file-bytes"),
            "{bad}: {}",
            out.stderr
        );
    }
}

/// A configuration file over the limit stops the run: configuration is never guessed.
#[test]
fn configuration_over_the_limit() {
    let sb = Sandbox::plugin();
    let c = sb.check_with(&sb.repo, &["--max-file-bytes", "100"]);
    c.config_error(
        "invalid-onboarding-file",
        "over the read limit of 100 bytes",
    );
}
