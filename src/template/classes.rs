//! File classes and the parameters that choose them.

use crate::finding::string_enum;
use globset::{Glob, GlobSet, GlobSetBuilder};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

string_enum! {
    /// What a file is with respect to the starter template.
    Class {
        Identical = "identical",
        Moved = "moved",
        Modified = "modified",
        Own = "own",
        Lockfile = "lockfile",
        Generated = "generated",
        Vendored = "vendored",
        Fixture = "fixture",
        I18n = "i18n",
        Binary = "binary",
    }
}

impl Class {
    /// Classes chosen by globs (and, for `binary`, by content), whatever the file's template
    /// status: they are counted apart and never reviewed line by line.
    pub const EXCLUDED: [Class; 6] = [
        Class::Lockfile,
        Class::Generated,
        Class::Vendored,
        Class::Fixture,
        Class::I18n,
        Class::Binary,
    ];

    pub fn is_excluded(self) -> bool {
        Class::EXCLUDED.contains(&self)
    }
}

/// The settings of the `template` fact (`template:` in a policy file): the template index to
/// compare with, the globs of the excluded classes and the similarity above which a root commit
/// is a partial copy of the template. Globs match repository paths (`*` stays within a
/// directory, `**` crosses them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TemplateSettings {
    /// The template index: a shipped name or a path in the repository. `template:` in
    /// `.onboarding.yml` takes precedence.
    pub index: String,
    /// Dependency lockfiles.
    pub lockfile: Vec<String>,
    /// Generated files: mocks, protobuf, bundles, snapshots, dependency notices.
    pub generated: Vec<String>,
    /// Third-party code kept in the repository.
    pub vendored: Vec<String>,
    /// Test data.
    pub fixture: Vec<String>,
    /// Translation catalogues.
    pub i18n: Vec<String>,
    /// Binary files by name; files with a NUL byte in their first 8000 bytes are binary too.
    pub binary: Vec<String>,
    /// Jaccard similarity of (path, blob) sets above which a root commit is a `partial-copy` of
    /// a template commit.
    pub partial_copy_threshold: f64,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for TemplateSettings {
    fn default() -> Self {
        TemplateSettings {
            index: super::DEFAULT_TEMPLATE.to_string(),
            lockfile: strings(&[
                "**/package-lock.json",
                "**/npm-shrinkwrap.json",
                "**/yarn.lock",
                "**/pnpm-lock.yaml",
                "**/go.sum",
                "**/go.work.sum",
                "**/Cargo.lock",
                "**/Gopkg.lock",
            ]),
            generated: strings(&[
                "**/*.pb.go",
                "**/*_mock.go",
                "**/mock_*.go",
                "**/mocks/**",
                "**/__mocks__/**",
                "**/generated/**",
                "**/*.min.js",
                "**/*.min.css",
                "**/__snapshots__/**",
                "**/*.snap",
                "**/NOTICE.txt",
            ]),
            vendored: strings(&["**/vendor/**", "**/node_modules/**"]),
            fixture: strings(&["**/testdata/**", "**/fixtures/**", "**/__fixtures__/**"]),
            i18n: strings(&["**/i18n/**/*.json", "**/locales/**/*.json"]),
            binary: strings(&[
                "**/*.{png,jpg,jpeg,gif,ico,webp,bmp,tif,tiff,psd}",
                "**/*.{woff,woff2,ttf,otf,eot}",
                "**/*.{mp3,mp4,wav,ogg,webm,mov,avi}",
                "**/*.{zip,gz,tgz,bz2,xz,tar,jar,7z}",
                "**/*.{pdf,exe,dll,so,dylib,wasm,bin}",
            ]),
            partial_copy_threshold: 0.3,
        }
    }
}

/// The compiled globs of the excluded classes.
pub struct Classifier {
    sets: Vec<(Class, GlobSet)>,
}

impl Classifier {
    /// Compiles the globs; a bad glob is an error naming it.
    pub fn new(p: &TemplateSettings) -> Result<Classifier, String> {
        let mut sets = Vec::new();
        for (class, globs) in [
            (Class::Lockfile, &p.lockfile),
            (Class::Generated, &p.generated),
            (Class::Vendored, &p.vendored),
            (Class::Fixture, &p.fixture),
            (Class::I18n, &p.i18n),
            (Class::Binary, &p.binary),
        ] {
            let mut b = GlobSetBuilder::new();
            for g in globs {
                let glob = globset::GlobBuilder::new(g)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("`{class}` glob `{g}`: {e}"))?;
                b.add(glob);
            }
            let set = b.build().map_err(|e| format!("`{class}` globs: {e}"))?;
            sets.push((class, set));
        }
        Ok(Classifier { sets })
    }

    /// The excluded class a path's name puts it in, in the order lockfile, generated,
    /// vendored, fixture, i18n, binary.
    pub fn by_name(&self, path: &str) -> Option<Class> {
        self.sets
            .iter()
            .find(|(_, s)| s.is_match(path))
            .map(|(c, _)| *c)
    }
}

/// Compiles one glob as the classifier does (used by callers that match single globs).
pub fn glob(g: &str) -> Result<Glob, globset::Error> {
    globset::GlobBuilder::new(g).literal_separator(true).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_globs_classify_the_corpus_paths() {
        let c = Classifier::new(&TemplateSettings::default()).unwrap();
        for (path, class) in [
            ("webapp/package-lock.json", Some(Class::Lockfile)),
            ("go.sum", Some(Class::Lockfile)),
            (
                "server/command/mocks/mock_commands.go",
                Some(Class::Generated),
            ),
            ("server/store_mock.go", Some(Class::Generated)),
            (
                "webapp/src/graphql/generated/types.ts",
                Some(Class::Generated),
            ),
            (
                "webapp/src/x/__snapshots__/a.test.tsx.snap",
                Some(Class::Generated),
            ),
            ("server/api.pb.go", Some(Class::Generated)),
            ("vendor/github.com/a/b.go", Some(Class::Vendored)),
            ("build/manifest/vendor/x/y.go", Some(Class::Vendored)),
            ("server/testdata/issue.json", Some(Class::Fixture)),
            ("e2e/cypress/tests/fixtures/a.json", Some(Class::Fixture)),
            ("webapp/i18n/en.json", Some(Class::I18n)),
            ("assets/i18n/fr.json", Some(Class::I18n)),
            ("assets/icon.png", Some(Class::Binary)),
            ("assets/icon.svg", None),
            ("server/plugin.go", None),
            ("webapp/src/components/i18n_provider/index.tsx", None),
        ] {
            assert_eq!(c.by_name(path), class, "{path}");
        }
    }

    #[test]
    fn bad_globs_are_named() {
        let p = TemplateSettings {
            lockfile: vec!["a/{b".into()],
            ..TemplateSettings::default()
        };
        let e = Classifier::new(&p).err().unwrap();
        assert!(e.contains("a/{b"), "{e}");
    }
}
