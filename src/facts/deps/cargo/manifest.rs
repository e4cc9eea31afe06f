//! `Cargo.toml` read as data, never by cargo: the package's name and licence, the workspace's
//! members, each dependency with the table it is in, and every key that names a path (which
//! [`outside`] checks before cargo may run).

use crate::workspace::paths;

/// What onboard needs of one `Cargo.toml`.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub package: Option<PackageInfo>,
    pub workspace: Option<WorkspaceInfo>,
    pub deps: Vec<Dep>,
    /// Every key that names a path, as `(key, path)`: `dependencies.x.path`,
    /// `workspace.members`, `package.workspace`, `lib.path`, …
    pub paths: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct PackageInfo {
    pub name: String,
    pub licence: Licence,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Licence {
    None,
    Value(String),
    /// `license.workspace = true`: the workspace root's `[workspace.package] license`.
    Inherited,
}

#[derive(Debug, Clone, Default)]
pub struct WorkspaceInfo {
    pub members: Vec<String>,
    pub exclude: Vec<String>,
    /// `[workspace.package] license`.
    pub licence: Option<String>,
}

/// One dependency of a package.
#[derive(Debug, Clone)]
pub struct Dep {
    /// The package's name (`package = "…"` when renamed, else the key).
    pub package: String,
    /// In `[dev-dependencies]` (of any target).
    pub dev: bool,
}

/// Reads a manifest; the error says why it is not TOML a manifest can be.
pub fn parse(text: &str) -> Result<Manifest, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let e = e.to_string();
        let first = e.lines().next().unwrap_or_default().to_string();
        format!("not valid TOML: {first}")
    })?;
    let mut m = Manifest::default();
    let s = |v: Option<&toml::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(p) = table.get("package").and_then(|v| v.as_table()) {
        let licence = match p.get("license") {
            Some(toml::Value::String(l)) => Licence::Value(l.clone()),
            Some(toml::Value::Table(t))
                if t.get("workspace") == Some(&toml::Value::Boolean(true)) =>
            {
                Licence::Inherited
            }
            _ => Licence::None,
        };
        if let Some(name) = s(p.get("name")) {
            m.package = Some(PackageInfo { name, licence });
        }
        for key in ["workspace", "build", "readme", "license-file"] {
            if let Some(path) = s(p.get(key)) {
                m.paths.push((format!("package.{key}"), path));
            }
        }
    }
    if let Some(w) = table.get("workspace").and_then(|v| v.as_table()) {
        let info = WorkspaceInfo {
            members: strings(w.get("members")),
            exclude: strings(w.get("exclude")),
            licence: w
                .get("package")
                .and_then(|p| p.get("license"))
                .and_then(|l| l.as_str())
                .map(str::to_string),
        };
        for (i, member) in info.members.iter().enumerate() {
            m.paths
                .push((format!("workspace.members[{i}]"), member.clone()));
        }
        for (i, member) in strings(w.get("default-members")).iter().enumerate() {
            m.paths
                .push((format!("workspace.default-members[{i}]"), member.clone()));
        }
        if let Some(deps) = w.get("dependencies").and_then(|v| v.as_table()) {
            dep_table(&mut m, "workspace.dependencies", deps, false);
        }
        m.workspace = Some(info);
    }
    for (name, dev) in DEP_TABLES {
        if let Some(deps) = table.get(name).and_then(|v| v.as_table()) {
            dep_table(&mut m, name, deps, dev);
        }
    }
    if let Some(targets) = table.get("target").and_then(|v| v.as_table()) {
        for (cfg, t) in targets {
            for (name, dev) in DEP_TABLES {
                if let Some(deps) = t.get(name).and_then(|v| v.as_table()) {
                    dep_table(&mut m, &format!("target.'{cfg}'.{name}"), deps, dev);
                }
            }
        }
    }
    for (section, sources) in [("patch", true), ("replace", false)] {
        let Some(t) = table.get(section).and_then(|v| v.as_table()) else {
            continue;
        };
        let mut one = |prefix: String, deps: &toml::Table| {
            for (key, v) in deps {
                if let Some(path) = s(v.get("path")) {
                    m.paths.push((format!("{prefix}.{key}.path"), path));
                }
            }
        };
        if sources {
            for (source, deps) in t {
                if let Some(deps) = deps.as_table() {
                    one(format!("patch.{source}"), deps);
                }
            }
        } else {
            one("replace".into(), t);
        }
    }
    for (kind, many) in [
        ("lib", false),
        ("bin", true),
        ("example", true),
        ("test", true),
        ("bench", true),
    ] {
        let targets: Vec<&toml::Value> = match table.get(kind) {
            Some(toml::Value::Array(a)) if many => a.iter().collect(),
            Some(v @ toml::Value::Table(_)) if !many => vec![v],
            _ => Vec::new(),
        };
        for (i, t) in targets.into_iter().enumerate() {
            if let Some(path) = s(t.get("path")) {
                let key = if many {
                    format!("{kind}[{i}].path")
                } else {
                    format!("{kind}.path")
                };
                m.paths.push((key, path));
            }
        }
    }
    Ok(m)
}

const DEP_TABLES: [(&str, bool); 5] = [
    ("dependencies", false),
    ("build-dependencies", false),
    ("build_dependencies", false),
    ("dev-dependencies", true),
    ("dev_dependencies", true),
];

fn dep_table(m: &mut Manifest, table: &str, deps: &toml::Table, dev: bool) {
    for (key, v) in deps {
        let package = v
            .get("package")
            .and_then(|p| p.as_str())
            .unwrap_or(key)
            .to_string();
        if let Some(path) = v.get("path").and_then(|p| p.as_str()) {
            m.paths
                .push((format!("{table}.{key}.path"), path.to_string()));
        }
        if !table.starts_with("workspace.") {
            m.deps.push(Dep { package, dev });
        }
    }
}

/// The path keys of the manifest at `manifest` (a repository path) that lead out of the
/// repository: absolute, or climbing above the root with `..` (a glob such as `../**` or
/// `/usr/**` included). Each is `(key, path, why)`.
pub fn outside(manifest: &str, m: &Manifest) -> Vec<(String, String, String)> {
    let dir = paths::parent(manifest);
    m.paths
        .iter()
        .filter_map(|(key, path)| {
            let why = if paths::is_absolute(path) || path.starts_with('~') {
                "an absolute path"
            } else if paths::join(dir, path).is_err() {
                "it leads out of the repository"
            } else {
                return None;
            };
            Some((key.clone(), path.clone(), why.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_packages_dependencies_and_every_path_key() {
        let text = r#"
[package]
name = "app"
license.workspace = true
workspace = "../.."
[workspace]
members = ["crates/*", "/usr/**"]
package = { license = "MIT" }
dependencies = { shared = { path = "../shared" } }
[dependencies]
serde = "1"
helper = { path = "helper" }
renamed = { package = "real-name", version = "1" }
[dev-dependencies]
devhelper = { path = "/etc" }
[target.'cfg(unix)'.build-dependencies]
cc = "1"
[patch.crates-io]
x = { path = "../../x" }
[[bin]]
name = "b"
path = "/dev/zero"
"#;
        let m = parse(text).unwrap();
        let p = m.package.as_ref().unwrap();
        assert_eq!(p.name, "app");
        assert_eq!(p.licence, Licence::Inherited);
        assert_eq!(
            m.workspace.as_ref().unwrap().licence.as_deref(),
            Some("MIT")
        );
        let deps: Vec<(&str, bool)> = m.deps.iter().map(|d| (d.package.as_str(), d.dev)).collect();
        assert_eq!(
            deps,
            [
                ("helper", false),
                ("real-name", false),
                ("serde", false),
                ("devhelper", true),
                ("cc", false)
            ]
        );
        let out: Vec<(String, String)> = outside("Cargo.toml", &m)
            .into_iter()
            .map(|(k, p, _)| (k, p))
            .collect();
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            out,
            [
                s("package.workspace", "../.."),
                s("workspace.members[1]", "/usr/**"),
                s("workspace.dependencies.shared.path", "../shared"),
                s("dev-dependencies.devhelper.path", "/etc"),
                s("patch.crates-io.x.path", "../../x"),
                s("bin[0].path", "/dev/zero"),
            ]
        );
        // From a manifest one folder down, `../shared` stays inside.
        assert!(!outside("sub/Cargo.toml", &m)
            .iter()
            .any(|(k, _, _)| k == "workspace.dependencies.shared.path"));
        assert!(parse("[package\n")
            .unwrap_err()
            .starts_with("not valid TOML"));
    }
}
