//! What the dependency licence rules share: the parameters, the per-package judgement and the
//! one-finding-per-ecosystem report with a label on each package's lockfile entry.

use crate::facts::deps::{DependenciesFact, Package};
use crate::finding::Finding;
use crate::licence::categories::{Categories, Category};
use crate::licence::expr::{self, Note};
use crate::rules::Ctx;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How many packages one finding names (with a label each).
pub const SHOWN: usize = 5;

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DependencyParams {
    /// Judge dev-only dependencies too (they are not shipped, so by default they are not).
    #[serde(default)]
    pub include_dev: bool,
    /// Packages this rule leaves alone, by name pattern (`@mattermost/*`), each with a reason.
    #[serde(default)]
    pub waive: Vec<PackageWaiver>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageWaiver {
    /// A glob over package names.
    pub package: String,
    pub reason: String,
}

/// What a package's licence amounts to under Apache's categories.
pub enum Judgement {
    Category(Category),
    /// No licence, or one that cannot be judged; says why.
    Unknown(String),
}

pub fn judge(p: &Package) -> Judgement {
    let Some(written) = p.expression.as_deref() else {
        let why = p.unknown_reason.as_deref().unwrap_or("no licence found");
        return Judgement::Unknown(why.into());
    };
    match expr::parse(written) {
        Err(e) => Judgement::Unknown(e.to_string()),
        Ok(e) => match e.category(Categories::shipped()) {
            Some(c) => Judgement::Category(c),
            None => Judgement::Unknown(format!("`{}` is in no Apache category", e.canonical)),
        },
    }
}

/// Non-SPDX spellings read leniently, with the likely expression.
pub fn lenient_reading(p: &Package) -> Option<String> {
    let e = expr::parse(p.expression.as_deref()?).ok()?;
    e.notes.iter().find_map(|n| match n {
        Note::NotSpdx { likely, .. } => Some(likely.clone()),
        Note::Deprecated { .. } => None,
    })
}

pub fn ecosystems(fact: &DependenciesFact) -> [(&'static str, &[Package]); 3] {
    [
        ("npm", &fact.npm.packages),
        ("Go", &fact.go.packages),
        ("Cargo", &fact.cargo.packages),
    ]
}

/// The packages a rule judges: not dev-only unless asked, not waived.
pub fn judged<'a>(params: &DependencyParams, packages: &'a [Package]) -> Vec<&'a Package> {
    let waivers: Vec<globset::GlobMatcher> = params
        .waive
        .iter()
        .filter_map(|w| globset::Glob::new(&w.package).ok())
        .map(|g| g.compile_matcher())
        .collect();
    packages
        .iter()
        .filter(|p| params.include_dev || !p.dev)
        .filter(|p| !waivers.iter().any(|w| w.is_match(&p.name)))
        .collect()
}

pub fn name(p: &Package) -> String {
    match &p.version {
        Some(v) => format!("{}@{v}", p.name),
        None => p.name.clone(),
    }
}

/// One finding for a set of packages: at the first package's entry, a label on each of the
/// next few, and the rest counted.
pub fn report_packages(
    ctx: &mut Ctx<'_>,
    message: String,
    help: String,
    packages: &[(&Package, String)],
) {
    let f: &mut Finding = ctx.report(message);
    for (i, (p, label)) in packages.iter().take(SHOWN).enumerate() {
        let Some(loc) = &p.location else { continue };
        if i == 0 {
            f.at(&loc.file, loc.span);
        } else {
            f.label(&loc.file, loc.span, format!("{}: {label}", name(p)));
        }
    }
    f.help(help);
}

/// `a, b, c and 12 more`.
pub fn listing(packages: &[(&Package, String)]) -> String {
    let shown: Vec<String> = packages
        .iter()
        .take(SHOWN)
        .map(|(p, why)| format!("{} ({why})", name(p)))
        .collect();
    let rest = packages.len().saturating_sub(SHOWN);
    if rest > 0 {
        format!("{} and {rest} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Runs one dependency rule: for each ecosystem, the judged packages `pick` selects (with what
/// to say of each), reported as one finding.
pub fn check_each_ecosystem(
    ctx: &mut Ctx<'_>,
    pick: impl Fn(&Package) -> Option<String>,
    message: impl Fn(&str, usize, String) -> String,
    help: impl Fn(&str) -> String,
) {
    let params: DependencyParams = ctx.params();
    let fact = ctx.facts.dependencies();
    for (ecosystem, packages) in ecosystems(fact) {
        let hits: Vec<(&Package, String)> = judged(&params, packages)
            .into_iter()
            .filter_map(|p| pick(p).map(|why| (p, why)))
            .collect();
        if hits.is_empty() {
            continue;
        }
        let text = message(ecosystem, hits.len(), listing(&hits));
        report_packages(ctx, text, help(ecosystem), &hits);
    }
}

/// The package's licence when it falls in `category`.
pub fn in_category(p: &Package, category: Category) -> Option<String> {
    match judge(p) {
        Judgement::Category(c) if c == category => p.expression.clone(),
        _ => None,
    }
}
