use super::*;
use crate::source::SourceFile;
use crate::workspace::ReadError;
use std::collections::HashMap;

/// A classifier for tests: knows two licence texts by their first line.
fn classify(text: &str) -> Option<String> {
    match text.lines().next()? {
        "MIT License" => Some("MIT".into()),
        "Apache License" => Some("Apache-2.0".into()),
        _ => None,
    }
}

fn run(files: &[(&str, &str)], cache: Option<&Path>) -> GoFact {
    let map: HashMap<String, String> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let listed: Vec<RepoFile> = files
        .iter()
        .map(|(p, _)| RepoFile {
            path: p.to_string(),
            kind: FileKind::File,
        })
        .collect();
    let read = |p: &str| -> Result<Option<SourceFile>, ReadError> {
        Ok(map.get(p).map(|t| SourceFile::new(p, t.as_str())))
    };
    collect(&listed, &read, cache, &classify)
}

fn package<'a>(fact: &'a GoFact, name: &str) -> &'a Package {
    fact.packages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name}: {:#?}", fact.packages))
}

const GO_MOD: &str = "module example.com/plugin\n\ngo 1.21\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n\tgithub.com/BurntSushi/toml v1.3.2 // indirect\n\tgolang.org/x/text v0.14.0\n\texample.com/local v0.0.0\n\texample.com/forked v1.0.0\n\texample.com/absent v1.0.0\n\texample.com/odd v1.0.0\n)\n\nreplace example.com/local => ./third_party/local\n\nreplace example.com/forked v1.0.0 => example.com/Fork v1.0.1\n";

#[test]
fn vendored_local_and_cached_licences() {
    let cache = tempfile::tempdir().unwrap();
    let put = |rel: &str, text: &str| {
        let p = cache.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    put(
        "github.com/!burnt!sushi/toml@v1.3.2/COPYING",
        "MIT License\n\nPermission...",
    );
    put(
        "github.com/!burnt!sushi/toml@v1.3.2/toml.go",
        "package toml",
    );
    put(
        "golang.org/x/text@v0.14.0/LICENSE",
        "Copyright (c) The Go Authors. BSD style",
    );
    put(
        "example.com/!fork@v1.0.1/LICENSE.md",
        "Apache License\nVersion 2.0",
    );
    // A link inside the cache pointing out of it is not followed.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("LICENSE"), "MIT License").unwrap();
    std::fs::create_dir_all(cache.path().join("example.com/odd@v1.0.0")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("LICENSE"),
        cache.path().join("example.com/odd@v1.0.0/LICENSE"),
    )
    .unwrap();

    let fact = run(
        &[
            ("server/go.mod", GO_MOD),
            (
                "server/vendor/modules.txt",
                "# github.com/pkg/errors v0.9.1\n## explicit\ngithub.com/pkg/errors\n",
            ),
            (
                "server/vendor/github.com/pkg/errors/LICENSE",
                "MIT License\n...",
            ),
            (
                "server/vendor/github.com/pkg/errors/errors.go",
                "package errors",
            ),
            (
                "server/third_party/local/LICENSE.txt",
                "Apache License\n...",
            ),
            ("vendor/ignored/go.mod", "module ignored\nrequire a v1\n"),
        ],
        Some(cache.path()),
    );
    assert_eq!(fact.modules.len(), 1);
    let m = &fact.modules[0];
    assert_eq!(m.path, "server/go.mod");
    assert_eq!(m.module.as_deref(), Some("example.com/plugin"));
    assert!(m.vendored);
    assert_eq!(m.replaces.len(), 2);
    assert_eq!(fact.total, 7);

    let errors = package(&fact, "github.com/pkg/errors");
    assert_eq!(errors.expression.as_deref(), Some("MIT"));
    assert_eq!(
        errors.source.as_deref(),
        Some("server/vendor/github.com/pkg/errors/LICENSE")
    );
    assert_eq!(errors.indirect, Some(false));
    assert!(!errors.dev);
    let loc = errors.location.as_ref().unwrap();
    assert_eq!(loc.path, "server/go.mod");
    assert_eq!(
        &GO_MOD[loc.span.offset..loc.span.end()],
        "github.com/pkg/errors"
    );

    let toml = package(&fact, "github.com/BurntSushi/toml");
    assert_eq!(toml.expression.as_deref(), Some("MIT"));
    assert_eq!(
        toml.source.as_deref(),
        Some("module cache: github.com/!burnt!sushi/toml@v1.3.2/COPYING")
    );
    assert_eq!(toml.indirect, Some(true));

    // A licence file the classifier cannot name: the source is known, the expression is not.
    let text = package(&fact, "golang.org/x/text");
    assert_eq!(text.expression, None);
    assert_eq!(
        text.source.as_deref(),
        Some("module cache: golang.org/x/text@v0.14.0/LICENSE")
    );

    let local = package(&fact, "example.com/local");
    assert_eq!(local.replaced_by.as_deref(), Some("./third_party/local"));
    assert_eq!(local.expression.as_deref(), Some("Apache-2.0"));
    assert_eq!(
        local.source.as_deref(),
        Some("server/third_party/local/LICENSE.txt")
    );

    let forked = package(&fact, "example.com/forked");
    assert_eq!(
        forked.replaced_by.as_deref(),
        Some("example.com/Fork v1.0.1")
    );
    assert_eq!(forked.expression.as_deref(), Some("Apache-2.0"));
    assert_eq!(
        forked.source.as_deref(),
        Some("module cache: example.com/!fork@v1.0.1/LICENSE.md")
    );

    let absent = package(&fact, "example.com/absent");
    assert_eq!(
        (absent.expression.as_deref(), absent.source.as_deref()),
        (None, None)
    );
    let odd = package(&fact, "example.com/odd");
    assert_eq!(
        (odd.expression.as_deref(), odd.source.as_deref()),
        (None, None)
    );

    // text, absent, odd.
    assert_eq!(fact.unknown, 3);
    assert!(fact.problems.is_empty(), "{:#?}", fact.problems);
}

#[test]
fn without_a_cache_or_vendor_directory_licences_are_unknown() {
    let fact = run(
        &[(
            "go.mod",
            "module m\nrequire (\n\tgithub.com/a/b v1.0.0\n\t../escape v1.0.0\n)\nreplace github.com/c/d => ../../outside\n",
        )],
        None,
    );
    assert_eq!(fact.module_cache, None);
    assert_eq!(fact.total, 2);
    assert_eq!(fact.unknown, 2);
    assert!(!fact.modules[0].vendored);
}

#[test]
fn unsafe_module_paths_are_not_looked_up_in_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let fact = run(
        &[("go.mod", "module m\nrequire ../../etc v1.0.0\n")],
        Some(cache.path()),
    );
    assert_eq!(fact.unknown, 1);
    assert_eq!(fact.problems.len(), 1);
    assert!(fact.problems[0].message.contains("not a module path"));
}

#[test]
fn normalise_stays_in_the_root() {
    assert_eq!(normalise("server", "./x/y").as_deref(), Some("server/x/y"));
    assert_eq!(normalise("server", "../x").as_deref(), Some("x"));
    assert_eq!(normalise("", "../x"), None);
    assert_eq!(normalise("server", "/abs"), None);
}
