//! `go.mod` and `vendor/modules.txt`, read as the `go` command writes them.
//!
//! `go.mod` is line-oriented: a verb and its arguments (`require x v1.2.3`), or a verb and a
//! parenthesised block of argument lines. Arguments are bare words or quoted strings; `//` starts
//! a comment, and a `require` whose comment is `indirect` is marked as such.

use crate::facts::deps::Problem;
use crate::source::{SourceFile, Span, Spanned};
use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Require {
    pub path: Spanned<String>,
    pub version: Spanned<String>,
    pub indirect: bool,
}

/// `replace old [version] => new [version]`; `new` without a version is a directory.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Replace {
    pub old: String,
    pub old_version: Option<String>,
    pub new: String,
    pub new_version: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct GoMod {
    pub module: Option<Spanned<String>>,
    pub go: Option<String>,
    pub requires: Vec<Require>,
    pub replaces: Vec<Replace>,
    pub problems: Vec<Problem>,
}

/// One token of a line: a word or a quoted string, unquoted.
#[derive(Debug)]
struct Token {
    text: String,
    span: Span,
}

/// A line's tokens and its trailing comment.
type Tokens<'a> = (Vec<Token>, Option<&'a str>);

/// Splits a line (starting at byte `base` of the file) into tokens and its trailing comment.
fn tokens(line: &str, base: usize) -> Result<Tokens<'_>, (Span, String)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                return Ok((out, Some(line[i + 2..].trim())));
            }
            b'(' | b')' => {
                out.push(Token {
                    text: line[i..i + 1].to_string(),
                    span: Span::new(base + i, 1),
                });
                i += 1;
            }
            q @ (b'"' | b'`') => {
                let start = i;
                let mut text = String::new();
                i += 1;
                loop {
                    let Some(&b) = bytes.get(i) else {
                        return Err((
                            Span::new(base + start, line.len() - start),
                            "unterminated quoted string".into(),
                        ));
                    };
                    if b == q {
                        i += 1;
                        break;
                    }
                    if q == b'"' && b == b'\\' && i + 1 < bytes.len() && bytes[i + 1].is_ascii() {
                        text.push(bytes[i + 1] as char);
                        i += 2;
                        continue;
                    }
                    let ch = line[i..].chars().next().unwrap_or(' ');
                    text.push(ch);
                    i += ch.len_utf8();
                }
                out.push(Token {
                    text,
                    span: Span::new(base + start, i - start),
                });
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b' ' | b'\t' | b'\r' | b'(' | b')' | b'"' | b'`')
                    && !(bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/'))
                {
                    i += 1;
                }
                out.push(Token {
                    text: line[start..i].to_string(),
                    span: Span::new(base + start, i - start),
                });
            }
        }
    }
    Ok((out, None))
}

/// Parses `go.mod`; what cannot be read is a problem at its span.
pub fn parse(file: &SourceFile) -> GoMod {
    let mut m = GoMod::default();
    let mut block: Option<String> = None;
    let mut offset = 0;
    for raw in file.text.split_inclusive('\n') {
        let base = offset;
        offset += raw.len();
        let line = raw.trim_end_matches('\n');
        let (toks, comment) = match tokens(line, base) {
            Ok(t) => t,
            Err((span, message)) => {
                m.problems.push(Problem::at(file, span, message));
                continue;
            }
        };
        if toks.is_empty() {
            continue;
        }
        if let Some(verb) = &block {
            if toks.len() == 1 && toks[0].text == ")" {
                block = None;
            } else {
                m.directive(file, verb, &toks, comment, line_span(base, line));
            }
            continue;
        }
        let (verb, args) = (toks[0].text.as_str(), &toks[1..]);
        if args.len() == 1 && args[0].text == "(" {
            block = Some(verb.to_string());
            continue;
        }
        m.directive(file, verb, args, comment, line_span(base, line));
    }
    if block.is_some() {
        let end = file.text.len();
        m.problems.push(Problem::at(
            file,
            Span::new(end, 0),
            "a parenthesised block is not closed",
        ));
    }
    m
}

fn line_span(base: usize, line: &str) -> Span {
    Span::new(base, line.trim_end_matches('\r').len())
}

impl GoMod {
    fn directive(
        &mut self,
        file: &SourceFile,
        verb: &str,
        args: &[Token],
        comment: Option<&str>,
        line: Span,
    ) {
        match verb {
            "module" => match args {
                [path] => self.module = Some(Spanned::new(path.text.clone(), path.span)),
                _ => self.bad(file, line, "`module` takes one module path"),
            },
            "go" => match args {
                [v] => self.go = Some(v.text.clone()),
                _ => self.bad(file, line, "`go` takes one version"),
            },
            "require" => match args {
                [path, version] => self.requires.push(Require {
                    path: Spanned::new(path.text.clone(), path.span),
                    version: Spanned::new(version.text.clone(), version.span),
                    indirect: comment
                        .is_some_and(|c| c == "indirect" || c.starts_with("indirect;")),
                }),
                _ => self.bad(file, line, "`require` takes a module path and a version"),
            },
            "replace" => {
                let Some(arrow) = args.iter().position(|t| t.text == "=>") else {
                    return self.bad(file, line, "`replace` needs `=>`");
                };
                let (old, new) = (&args[..arrow], &args[arrow + 1..]);
                let text = |t: &[Token], i: usize| t.get(i).map(|t| t.text.clone());
                match (old.len(), new.len()) {
                    (1 | 2, 1 | 2) => self.replaces.push(Replace {
                        old: old[0].text.clone(),
                        old_version: text(old, 1),
                        new: new[0].text.clone(),
                        new_version: text(new, 1),
                    }),
                    _ => self.bad(
                        file,
                        line,
                        "`replace` takes `path [version] => path [version]`",
                    ),
                }
            }
            // exclude, retract, toolchain, godebug, tool, ignore: nothing to do with licences.
            _ => {}
        }
    }

    fn bad(&mut self, file: &SourceFile, span: Span, message: &str) {
        self.problems.push(Problem::at(file, span, message));
    }

    /// The replacement that applies to `path` at `version`: an exact version match first, then
    /// one for every version.
    pub fn replacement(&self, path: &str, version: &str) -> Option<&Replace> {
        let matching = |r: &&Replace| r.old == path;
        self.replaces
            .iter()
            .filter(matching)
            .find(|r| r.old_version.as_deref() == Some(version))
            .or_else(|| {
                self.replaces
                    .iter()
                    .filter(matching)
                    .find(|r| r.old_version.is_none())
            })
    }
}

/// Whether a `replace` target is a directory rather than a module (as `go` decides it).
pub fn is_local(path: &str) -> bool {
    path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
        || path == "."
        || path == ".."
}

/// The module paths listed in `vendor/modules.txt` (`# path version [=> new [version]]`).
pub fn vendored_modules(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// A module path as the module cache spells it: each upper-case letter becomes `!` and the
/// letter in lower case, so the cache works on case-insensitive file systems.
pub fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a module path is safe to join to the module cache directory: `/`-separated
/// elements of the characters Go allows, none empty, `.` or `..`.
pub fn safe_module_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|e| {
            !e.is_empty()
                && e != "."
                && e != ".."
                && e.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~+".contains(&b))
        })
}

/// Whether a version is safe to join to the module cache directory.
pub fn safe_version(v: &str) -> bool {
    !v.is_empty()
        && v != "."
        && v != ".."
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.+".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO_MOD: &str = "// A plugin.\nmodule github.com/mattermost/mattermost-plugin-demo\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n\nrequire (\n\tgithub.com/Masterminds/semver/v3 v3.2.1 // indirect\n\t\"github.com/quoted/mod\" v1.0.0\n\t// a comment line\n\tgolang.org/x/text v0.14.0 // indirect; for tests\n)\n\nreplace github.com/pkg/errors => github.com/fork/errors v0.9.2\nreplace (\n\tgolang.org/x/text v0.14.0 => ../text\n)\nexclude github.com/bad/mod v1.0.0\n";

    #[test]
    fn reads_requires_replaces_and_comments() {
        let file = SourceFile::new("go.mod", GO_MOD);
        let m = parse(&file);
        assert!(m.problems.is_empty(), "{:#?}", m.problems);
        assert_eq!(
            m.module.as_ref().unwrap().value,
            "github.com/mattermost/mattermost-plugin-demo"
        );
        assert_eq!(m.go.as_deref(), Some("1.22"));
        let got: Vec<(&str, &str, bool)> = m
            .requires
            .iter()
            .map(|r| (r.path.value.as_str(), r.version.value.as_str(), r.indirect))
            .collect();
        assert_eq!(
            got,
            [
                ("github.com/pkg/errors", "v0.9.1", false),
                ("github.com/Masterminds/semver/v3", "v3.2.1", true),
                ("github.com/quoted/mod", "v1.0.0", false),
                ("golang.org/x/text", "v0.14.0", true),
            ]
        );
        let semver = &m.requires[1].path;
        assert_eq!(
            &GO_MOD[semver.span.offset..semver.span.end()],
            "github.com/Masterminds/semver/v3"
        );
        let quoted = &m.requires[2].path;
        assert_eq!(
            &GO_MOD[quoted.span.offset..quoted.span.end()],
            "\"github.com/quoted/mod\""
        );
        assert_eq!(m.replaces.len(), 2);
        let r = m.replacement("github.com/pkg/errors", "v0.9.1").unwrap();
        assert_eq!(r.new, "github.com/fork/errors");
        assert_eq!(r.new_version.as_deref(), Some("v0.9.2"));
        let r = m.replacement("golang.org/x/text", "v0.14.0").unwrap();
        assert_eq!(
            (r.new.as_str(), r.new_version.as_deref()),
            ("../text", None)
        );
        assert!(is_local(&r.new));
        assert!(m.replacement("golang.org/x/text", "v0.15.0").is_none());
    }

    #[test]
    fn malformed_lines_are_problems() {
        let text = "module\nrequire x\nrequire (\n\ty v1 extra\n\t\"unterminated\n";
        let m = parse(&SourceFile::new("go.mod", text));
        let messages: Vec<&str> = m.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 5, "{messages:#?}");
        assert!(messages[0].contains("`module` takes one"));
        assert!(messages[1].contains("`require` takes"));
        assert!(messages[2].contains("`require` takes"));
        assert!(messages[3].contains("unterminated"));
        assert!(messages[4].contains("not closed"));
        assert!(m.requires.is_empty());
    }

    #[test]
    fn module_cache_escaping_and_safety() {
        assert_eq!(
            escape("github.com/Masterminds/semver/v3"),
            "github.com/!masterminds/semver/v3"
        );
        assert_eq!(
            escape("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
        assert_eq!(escape("golang.org/x/text"), "golang.org/x/text");
        assert!(safe_module_path("github.com/a-b/c_d.e/v2"));
        for bad in ["../etc", "a//b", "/abs", "a/../b", "a\\b", "a/./b", ""] {
            assert!(!safe_module_path(bad), "{bad}");
        }
        assert!(safe_version("v0.0.0-20240101000000-abcdef123456"));
        assert!(safe_version("v2.0.0+incompatible"));
        assert!(!safe_version("../../x"));
        assert!(!safe_version(".."));
    }

    #[test]
    fn modules_txt_lists_vendored_modules() {
        let text = "# github.com/pkg/errors v0.9.1\n## explicit\ngithub.com/pkg/errors\n# golang.org/x/text v0.14.0 => ../text\n## explicit; go 1.18\ngolang.org/x/text/unicode\n";
        assert_eq!(
            vendored_modules(text),
            ["github.com/pkg/errors", "golang.org/x/text"]
        );
    }
}
