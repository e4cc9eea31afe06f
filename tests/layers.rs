//! The layers of the crate, lowest first: no module names a module of a higher layer (outside
//! its tests). What a layer is, and why, is in docs/development.md.

use std::collections::BTreeSet;
use std::path::Path;

/// Each top-level module (and `policy::settings`, which facts are built with) with its layer.
const LAYERS: &[(&str, u32)] = &[
    ("source", 0),
    ("cache", 0),
    ("yaml", 0),
    ("suggest", 0),
    ("finding", 0),
    ("markdown", 0),
    ("links", 0),
    ("workspace", 1),
    ("git", 1),
    ("licence", 1),
    ("signing", 1),
    ("template", 2),
    ("policy::settings", 3),
    ("facts", 4),
    ("rules", 5),
    ("review", 5),
    ("policy", 6),
    ("outcome", 7),
    ("engine", 7),
    ("status", 7),
    ("init", 8),
    ("report", 8),
    ("board", 9),
    ("schemas", 9),
    ("cli", 9),
    ("commands", 10),
    ("fuzzing", 11),
    ("lib", 11),
    ("main", 11),
];

fn layer(unit: &str) -> Option<u32> {
    LAYERS.iter().find(|(n, _)| *n == unit).map(|(_, l)| *l)
}

/// The unit a source file belongs to: `src/facts/ci/mod.rs` is `facts`.
fn unit_of(rel: &str) -> String {
    let rel = rel.trim_end_matches(".rs");
    let mut parts = rel.split('/');
    let first = parts.next().unwrap_or_default();
    // The settings and their types are built before any fact, below the rest of `policy`.
    if first == "policy" && matches!(parts.next(), Some("settings" | "committers")) {
        return "policy::settings".into();
    }
    first.to_string()
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The units `text` names through `crate::` paths, grouped imports (`crate::{a, b::c}`) included.
fn imported_units(text: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let unit = |rest: &str| -> String {
        let name = ident(rest);
        let after = rest.trim_start()[name.len()..].to_string();
        if name == "policy"
            && (after.starts_with("::settings") || after.starts_with("::committers"))
        {
            "policy::settings".to_string()
        } else {
            name
        }
    };
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group: split at commas outside nested braces.
            let mut depth = 0;
            let mut start = 0;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.push(unit(&group[start..j]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(unit(&group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(unit(rest));
        }
    }
    out.retain(|u| !u.is_empty());
    out
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let root = Path::new("src");
    let mut all = Vec::new();
    files(root, &mut all);
    let mut upward = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for path in all {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let unit = unit_of(&rel);
        let Some(own) = layer(&unit) else {
            panic!("`{rel}`: module `{unit}` has no layer in tests/layers.rs");
        };
        let text = std::fs::read_to_string(&path).unwrap();
        // Tests may reach anywhere.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for target in imported_units(text) {
            if target != unit {
                edges.insert((unit.clone(), target.clone()));
            }
            if let Some(theirs) = layer(&target) {
                if theirs > own {
                    upward.insert(format!("{rel} ({unit}, {own}) -> {target} ({theirs})"));
                }
            }
        }
    }
    // Within a layer, imports run one way: two modules that name each other are one module.
    let circles: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    assert!(
        circles.is_empty(),
        "modules that import each other: {circles:?}"
    );
    assert!(
        upward.is_empty(),
        "imports from a higher layer:\n{}",
        upward.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// Facts and rules learn about tags, branches and commits from the run's history
/// (`git::RunHistory`, built once by the workspace), never from refs on their own: a `--rev` run
/// sees only what is reachable from its commit, and a fact that listed tags itself would see
/// later releases.
#[test]
fn facts_and_rules_read_refs_only_through_the_run_history() {
    const READERS: &[&str] = &[
        "git::tags(",
        "git::branches(",
        "git::default_branch(",
        "git::resolve_commit(",
        "History::walk(",
        "RunHistory::build(",
        "find_reference(",
        "references(",
        "references_glob(",
        "revparse",
        "tag_names(",
        "tag_foreach(",
        "find_branch(",
    ];
    let mut all = Vec::new();
    files(Path::new("src/facts"), &mut all);
    files(Path::new("src/rules"), &mut all);
    let mut found = BTreeSet::new();
    for path in all {
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for r in READERS.iter().filter(|r| code.contains(**r)) {
                found.insert(format!("{}:{}: {r}", path.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "facts or rules reading refs or history on their own (ask `Workspace::run_history`):\n{}",
        found.into_iter().collect::<Vec<_>>().join("\n")
    );
}
