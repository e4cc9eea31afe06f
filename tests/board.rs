//! `onboard board`: built from repositories and from status JSON files, with bad inputs
//! reported per input (exit 3), hostile values escaped, no request to another host, and the
//! page checked in a real browser (headless Chromium) when one is installed.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const HOSTILE: &str = "</script><img src=x onerror=alert(1)>";

fn plugin(id: &str, name: &str, owner: &str) -> tempfile::TempDir {
    support::one_commit_repo(support::files(&[
        (
            ".onboarding.yml",
            &format!("{}owner: {owner}\n", support::REVIEWED),
        ),
        (
            "plugin.json",
            &serde_json::json!({ "id": id, "name": name, "version": "0.1.0" }).to_string(),
        ),
        ("LICENSE", "@data/licences/MIT.txt"),
        ("README.md", "# Plugin\n"),
        (
            "server/plugin.go",
            "package main\n\nfunc Own() int { return 1 }\n",
        ),
    ]))
}

struct Built {
    _dirs: Vec<tempfile::TempDir>,
    out: tempfile::TempDir,
    code: i32,
    stderr: String,
    roots: Vec<String>,
}

fn build() -> Built {
    let a = plugin("com.example.alpha", "Alpha", "community");
    let b = plugin("com.example.beta", HOSTILE, "partner");
    let files = tempfile::tempdir().unwrap();
    let status = support::onboard(&["status", a.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    // The same plugin again: skipped as a duplicate.
    std::fs::write(files.path().join("alpha.json"), &status.stdout).unwrap();
    std::fs::write(
        files.path().join("report.json"),
        "{\"version\": 1, \"findings\": []}",
    )
    .unwrap();
    let not_repo = tempfile::tempdir().unwrap();
    std::fs::write(not_repo.path().join("x"), "x").unwrap();
    let missing = not_repo.path().join("missing");
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("board");
    let r = support::onboard_with_env(
        &[
            "board",
            a.path().to_str().unwrap(),
            b.path().to_str().unwrap(),
            missing.to_str().unwrap(),
            not_repo.path().to_str().unwrap(),
            "--from",
            files.path().to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", "1767225600")],
    );
    let roots = vec![
        a.path().display().to_string(),
        b.path().display().to_string(),
        files.path().display().to_string(),
        not_repo.path().display().to_string(),
    ];
    Built {
        _dirs: vec![a, b, files, not_repo],
        out,
        code: r.code,
        stderr: r.stderr,
        roots,
    }
}

fn read(b: &Built, name: &str) -> String {
    std::fs::read_to_string(b.out.path().join("board").join(name)).unwrap()
}

#[test]
fn bad_inputs_are_named_and_the_rest_is_on_the_board() {
    let b = build();
    assert_eq!(b.code, 3, "{}", b.stderr);
    assert!(b.stderr.contains("missing: "), "{}", b.stderr);
    // A folder that exists but holds no plugin gets no row.
    assert!(
        b.stderr
            .contains("no plugin manifest with an id: not a plugin repository"),
        "{}",
        b.stderr
    );
    assert!(
        b.stderr.contains("report.json: not an `onboard status"),
        "{}",
        b.stderr
    );
    assert!(
        b.stderr
            .contains("alpha.json: plugin `com.example.alpha` is already on the board"),
        "{}",
        b.stderr
    );
    let json: Value = serde_json::from_str(&read(&b, "board.json")).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["generated"], "2026-01-01T00:00:00Z");
    let plugins = json["plugins"].as_array().unwrap();
    assert_eq!(plugins.len(), 2);
    let ids: Vec<&str> = plugins.iter().map(|p| p["id"].as_str().unwrap()).collect();
    // Same gate: by name, and `<` sorts before `A`.
    assert_eq!(ids, ["com.example.beta", "com.example.alpha"]);
    assert_eq!(plugins[1]["name"], "Alpha");
    assert_eq!(plugins[1]["owner"], "community");
    assert_eq!(plugins[1]["latest_release"]["tag"], "v0.1.0");
    assert_eq!(plugins[0]["name"], HOSTILE);
    assert_eq!(json["skipped"].as_array().unwrap().len(), 4);
    for p in plugins {
        for blocker in p["blocking"].as_array().unwrap() {
            let who = blocker["who"].as_str().unwrap();
            let item = blocker["item"].as_str().unwrap();
            assert_eq!(who, onboard::board::actor(item));
        }
    }
    let mut text = read(&b, "board.json");
    for (n, root) in b.roots.iter().enumerate() {
        text = text.replace(root.as_str(), &format!("[dir{n}]"));
    }
    let mut snapshot: Value = serde_json::from_str(&text).unwrap();
    snapshot["onboard_version"] = "[version]".into();
    insta::assert_json_snapshot!("board", snapshot);
}

#[test]
fn hostile_values_are_escaped_and_the_page_asks_no_other_host() {
    let b = build();
    let html = read(&b, "index.html");
    assert!(!html.contains(HOSTILE), "a raw value reached the page");
    assert!(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
    assert_eq!(html.matches("</script>").count(), 1);
    assert_no_external_request(&html);
    let md = read(&b, "board.md");
    assert!(!md.contains("<img"), "{md}");
}

/// Only a link a reader follows may name another host: no `src`, no stylesheet, no CSS
/// import or `url()`, no script fetch.
fn assert_no_external_request(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "src=\"http",
        "src='http",
        "src=http",
        "@import",
        "url(",
        "<link",
        "fetch(",
        "xmlhttprequest",
        "<iframe",
        "<img",
        "<object",
        "<embed",
        "srcset",
    ] {
        assert!(!lower.contains(bad), "the page holds `{bad}`");
    }
    for (i, _) in lower.match_indices("href=\"") {
        let rest = &lower[i + 6..];
        let href = &rest[..rest.find('"').unwrap()];
        // Links to the forge are navigation, not requests; anything else stays on the page.
        assert!(
            href.starts_with("https://") || href.starts_with('#'),
            "href {href}"
        );
    }
}

fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but chromium is missing: install it (apt-get install chromium)"
        );
        eprintln!(
            "\n!!! SKIPPED: chromium is not installed; the board's browser test did not run !!!\n"
        );
    }
    found
}

fn headless(browser: &str, args: &[&str], page: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(page)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn shown_rows(dom: &str) -> Vec<String> {
    dom.split("<tr class=\"plugin\"")
        .skip(1)
        .map(|r| r[..r.find('>').unwrap()].to_string())
        .filter(|attrs| !attrs.contains("hidden"))
        .collect()
}

#[test]
fn the_page_works_in_a_real_browser() {
    let Some(browser) = chromium() else { return };
    let b = build();
    let page = b.out.path().join("board").join("index.html");
    let url = format!("file://{}", page.display());
    let dom = headless(browser, &["--dump-dom"], &url);
    assert!(dom.contains("data-ready=\"1\""), "the script did not run");
    assert_eq!(shown_rows(&dom).len(), 2);
    assert!(dom.contains("2 of 2 plugins shown"));
    // A filter nothing matches hides every row; one that matches keeps them.
    let dom = headless(browser, &["--dump-dom"], &format!("{url}#gate=marketplace"));
    assert_eq!(shown_rows(&dom).len(), 0, "gate=marketplace");
    assert!(dom.contains("0 of 2 plugins shown"));
    let json: Value = serde_json::from_str(&read(&b, "board.json")).unwrap();
    let gate = json["plugins"][0]["highest_passed"]
        .as_str()
        .unwrap()
        .to_string();
    let dom = headless(browser, &["--dump-dom"], &format!("{url}#gate={gate}"));
    let want = json["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["highest_passed"] == gate.as_str())
        .count();
    assert_eq!(shown_rows(&dom).len(), want);
    let dom = headless(browser, &["--dump-dom"], &format!("{url}#blocked=pm"));
    let want = json["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["blocked_on"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w == "pm")
        })
        .count();
    assert_eq!(shown_rows(&dom).len(), want, "blocked=pm");
    let shot = b.out.path().join("shot.png");
    headless(
        browser,
        &[
            "--window-size=1200,800",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a screenshot is written");
    assert!(png.len() > 5000);
    if let Some(keep) = std::env::var_os("ONBOARD_BOARD_SCREENSHOT") {
        std::fs::copy(&shot, Path::new(&keep)).unwrap();
    }
}
