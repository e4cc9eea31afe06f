//! SPDX licence expressions as written in the wild: parsed strictly when they are valid,
//! leniently (deprecated ids, imprecise names, `/` for `OR`) when they are not, with a note
//! saying what was assumed, and evaluated against an allow list or Apache's categories.

use super::categories::{Categories, Category};
use schemars::JsonSchema;
use serde::Serialize;

/// An expression that could be read, and what had to be assumed to read it.
#[derive(Debug, Clone)]
pub struct Expr {
    /// The expression as evaluated: modern ids, canonical operators.
    pub canonical: String,
    parsed: spdx::Expression,
    pub notes: Vec<Note>,
}

/// Something lenient parsing assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Note {
    /// A deprecated SPDX id (`GPL-3.0`), with the id that replaces it.
    Deprecated { id: String, modern: String },
    /// Not an SPDX expression, read as the likely one (`Apache 2.0` → `Apache-2.0`).
    NotSpdx { written: String, likely: String },
}

/// Why a string is not an expression at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprError {
    Empty,
    /// Not SPDX and no likely id (`Public Domain`, `UNLICENSED`, `SEE LICENSE IN …`).
    NotSpdx {
        written: String,
        hint: Option<String>,
    },
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExprError::Empty => f.write_str("the licence is empty"),
            ExprError::NotSpdx { written, hint } => {
                write!(f, "`{written}` is not an SPDX licence expression")?;
                if let Some(h) = hint {
                    write!(f, " ({h})")?;
                }
                Ok(())
            }
        }
    }
}

/// Parses a licence string: strictly, then leniently with notes.
pub fn parse(written: &str) -> Result<Expr, ExprError> {
    let s = written.trim();
    if s.is_empty() {
        return Err(ExprError::Empty);
    }
    if let Ok(parsed) = spdx::Expression::parse(s) {
        return Ok(Expr {
            canonical: parsed.to_string(),
            parsed,
            notes: Vec::new(),
        });
    }
    if let Some(expr) = lenient(s) {
        return Ok(expr);
    }
    // One id in the wrong case, `apache-2.0`.
    if let Some(id) = case_insensitive_id(s) {
        return from_canonical(
            id,
            vec![Note::NotSpdx {
                written: s.to_string(),
                likely: id.to_string(),
            }],
        )
        .ok_or_else(|| not_spdx(s));
    }
    Err(not_spdx(s))
}

fn not_spdx(s: &str) -> ExprError {
    let upper = s.to_ascii_uppercase();
    let hint = if upper == "UNLICENSED" {
        Some("npm's word for \"no licence granted\"".to_string())
    } else if upper.starts_with("SEE LICENSE IN") {
        Some("npm's pointer to a licence file; the file decides".to_string())
    } else if upper.contains("PUBLIC DOMAIN") {
        Some("public domain is not a licence; CC0-1.0 or Unlicense say it in SPDX".to_string())
    } else {
        spdx::imprecise_license_id(s)
            .filter(|(_, len)| *len * 2 >= s.len())
            .map(|(id, _)| format!("perhaps `{}`", id.name))
    };
    ExprError::NotSpdx {
        written: s.to_string(),
        hint,
    }
}

fn lenient(s: &str) -> Option<Expr> {
    let lax = spdx::Expression::parse_mode(s, spdx::ParseMode::LAX).ok()?;
    let mut notes = Vec::new();
    for req in lax.requirements() {
        if let spdx::LicenseItem::Spdx { id, or_later } = &req.req.license {
            if id.is_deprecated() {
                let written = if *or_later {
                    format!("{}+", id.name)
                } else {
                    id.name.to_string()
                };
                notes.push(Note::Deprecated {
                    modern: modern_id(&written).unwrap_or_else(|| "no direct successor".into()),
                    id: written,
                });
            }
        }
    }
    let canonical = match spdx::Expression::canonicalize(s) {
        Ok(Some(c)) if spdx::Expression::parse(&c).is_ok() => c,
        _ => lax.to_string(),
    };
    if notes.is_empty() {
        notes.push(Note::NotSpdx {
            written: s.to_string(),
            likely: canonical.clone(),
        });
    }
    from_canonical(&canonical, notes).or(Some(Expr {
        canonical,
        parsed: lax,
        notes: Vec::new(),
    }))
}

fn from_canonical(canonical: &str, notes: Vec<Note>) -> Option<Expr> {
    let parsed = spdx::Expression::parse_mode(canonical, spdx::ParseMode::LAX).ok()?;
    Some(Expr {
        canonical: canonical.to_string(),
        parsed,
        notes,
    })
}

fn case_insensitive_id(s: &str) -> Option<&'static str> {
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(s))
        .map(|l| l.name)
}

/// The id that replaces a deprecated one: GNU ids gain `-only`/`-or-later`; others by the
/// SPDX list's own canonicalisation.
pub fn modern_id(id: &str) -> Option<String> {
    let gnu = ["GPL-", "LGPL-", "AGPL-", "GFDL-"];
    if gnu.iter().any(|p| id.starts_with(p)) && !id.contains("with") {
        if let Some(base) = id.strip_suffix('+') {
            return Some(format!("{base}-or-later"));
        }
        if !id.ends_with("-only") && !id.ends_with("-or-later") {
            return Some(format!("{id}-only"));
        }
    }
    match spdx::Expression::canonicalize(id) {
        Ok(Some(c)) if spdx::Expression::parse(&c).is_ok() => Some(c),
        _ => None,
    }
}

/// An id as the policy lists it: modern, without `+`.
fn policy_id(req: &spdx::LicenseReq) -> Option<String> {
    match &req.license {
        spdx::LicenseItem::Spdx { id, or_later } => {
            let name = if *or_later && id.is_gnu() {
                format!("{}-or-later", id.name.trim_end_matches("-only"))
            } else {
                id.name.to_string()
            };
            Some(if id.is_deprecated() {
                modern_id(&name).unwrap_or(name)
            } else {
                name
            })
        }
        spdx::LicenseItem::Other(r) => Some(format!("LicenseRef-{}", r.lic_ref)),
    }
}

impl Expr {
    /// Whether the expression is satisfied by licences the predicate allows: `OR` passes when
    /// one branch does, `AND` when all do. `X WITH exception` is judged as `X`: an exception
    /// only adds permissions.
    pub fn allowed_by(&self, allow: &dyn Fn(&str) -> bool) -> bool {
        self.parsed
            .evaluate(|req| policy_id(req).is_some_and(|id| allow(&id)))
    }

    /// The ids the expression names (modern form), in order, without repeats.
    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for r in self.parsed.requirements() {
            if let Some(id) = policy_id(&r.req) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }

    /// Apache's category of the whole expression: the best branch of an `OR`, the worst part
    /// of an `AND`; `None` when some id needed for the answer is in no category.
    pub fn category(&self, categories: &Categories) -> Option<Category> {
        // Evaluate once per threshold: "allowed" = category at most `c`.
        [Category::A, Category::B, Category::X]
            .into_iter()
            .find(|c| self.allowed_by(&|id| categories.of(id).is_some_and(|got| got <= *c)))
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.canonical == other.canonical
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(list: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |id| list.contains(&id)
    }

    #[test]
    fn or_passes_on_one_branch_and_needs_all_of_and() {
        let ok = allow(&["MIT", "Apache-2.0"]);
        assert!(parse("MIT OR GPL-3.0-only").unwrap().allowed_by(&ok));
        assert!(!parse("MIT AND GPL-3.0-only").unwrap().allowed_by(&ok));
        assert!(parse("(MIT AND Apache-2.0)").unwrap().allowed_by(&ok));
        assert!(parse("Apache-2.0 WITH LLVM-exception")
            .unwrap()
            .allowed_by(&ok));
    }

    #[test]
    fn deprecated_ids_are_read_with_the_modern_id() {
        let e = parse("GPL-3.0").unwrap();
        assert_eq!(
            e.notes,
            vec![Note::Deprecated {
                id: "GPL-3.0".into(),
                modern: "GPL-3.0-only".into()
            }]
        );
        assert_eq!(e.ids(), vec!["GPL-3.0-only"]);
        assert!(e.allowed_by(&allow(&["GPL-3.0-only"])));
        let plus = parse("GPL-2.0+").unwrap();
        assert_eq!(plus.ids(), vec!["GPL-2.0-or-later"]);
    }

    #[test]
    fn non_spdx_strings_get_the_likely_id_or_a_hint() {
        let e = parse("Apache 2.0").unwrap();
        assert_eq!(e.canonical, "Apache-2.0");
        assert!(matches!(&e.notes[0], Note::NotSpdx { likely, .. } if likely == "Apache-2.0"));
        let lower = parse("apache-2.0").unwrap();
        assert_eq!(lower.canonical, "Apache-2.0");
        assert!(!lower.notes.is_empty());
        assert_eq!(parse("  "), Err(ExprError::Empty));
        let pd = parse("Public Domain").unwrap_err();
        assert!(pd.to_string().contains("CC0-1.0"), "{pd}");
        assert!(parse("UNLICENSED").unwrap_err().to_string().contains("npm"));
    }

    #[test]
    fn valid_expressions_carry_no_notes() {
        let e = parse("(MIT OR CC0-1.0)").unwrap();
        assert!(e.notes.is_empty());
        assert_eq!(e.ids(), vec!["MIT", "CC0-1.0"]);
        let r = parse("LicenseRef-Mattermost-Source-Available").unwrap();
        assert_eq!(r.ids(), vec!["LicenseRef-Mattermost-Source-Available"]);
    }
}
