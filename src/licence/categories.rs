//! Apache's licence categories, shipped as `policies/licences.yml`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const SHIPPED: &str = include_str!("../../policies/licences.yml");

/// Ordered from most to least permissive, so `a <= b` means "at least as permissive".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// May be included in source and binary releases.
    A,
    /// May be included in binary form only.
    B,
    /// May not be included.
    X,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::A => "A",
            Category::B => "B",
            Category::X => "X",
        }
    }
}

/// The file format of `policies/licences.yml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceCategories {
    pub version: u32,
    pub categories: CategoryLists,
}

/// SPDX ids per Apache category.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryLists {
    pub a: Vec<String>,
    pub b: Vec<String>,
    pub x: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Categories {
    lists: CategoryLists,
}

impl Categories {
    /// The shipped categories.
    pub fn shipped() -> &'static Categories {
        static SHIPPED_CATEGORIES: OnceLock<Categories> = OnceLock::new();
        SHIPPED_CATEGORIES.get_or_init(|| {
            Categories::parse(SHIPPED).unwrap_or_else(|e| {
                // The shipped file is checked by tests; an empty table only makes every
                // licence "uncategorised", which rules report rather than pass.
                eprintln!("error: policies/licences.yml: {e}");
                Categories {
                    lists: CategoryLists::default(),
                }
            })
        })
    }

    pub fn parse(text: &str) -> Result<Categories, String> {
        let tree = crate::yaml::parse(text).map_err(|e| e.message.clone())?;
        let file: LicenceCategories =
            serde_json::from_value(tree.to_json()).map_err(|e| e.to_string())?;
        Ok(Categories {
            lists: file.categories,
        })
    }

    /// The category of one SPDX id (modern form).
    pub fn of(&self, id: &str) -> Option<Category> {
        let has = |list: &[String]| list.iter().any(|l| l == id);
        if has(&self.lists.a) {
            Some(Category::A)
        } else if has(&self.lists.b) {
            Some(Category::B)
        } else if has(&self.lists.x) {
            Some(Category::X)
        } else {
            None
        }
    }

    /// Every id of a category.
    pub fn ids(&self, category: Category) -> &[String] {
        match category {
            Category::A => &self.lists.a,
            Category::B => &self.lists.b,
            Category::X => &self.lists.x,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lists_are_valid_current_spdx_ids_in_one_category_each() {
        let c = Categories::shipped();
        let mut seen = std::collections::HashSet::new();
        for cat in [Category::A, Category::B, Category::X] {
            assert!(!c.ids(cat).is_empty());
            for id in c.ids(cat) {
                let l = spdx::license_id(id).unwrap_or_else(|| panic!("{id} is not an SPDX id"));
                assert!(!l.is_deprecated(), "{id} is deprecated");
                assert!(seen.insert(id.clone()), "{id} listed twice");
            }
        }
        assert_eq!(c.of("Apache-2.0"), Some(Category::A));
        assert_eq!(c.of("MPL-2.0"), Some(Category::B));
        assert_eq!(c.of("AGPL-3.0-only"), Some(Category::X));
        assert_eq!(c.of("LicenseRef-x"), None);
    }

    #[test]
    fn expressions_take_the_best_branch_of_or_and_the_worst_part_of_and() {
        let c = Categories::shipped();
        let cat = |s: &str| super::super::expr::parse(s).unwrap().category(c);
        assert_eq!(cat("MIT OR GPL-3.0-only"), Some(Category::A));
        assert_eq!(cat("MIT AND MPL-2.0"), Some(Category::B));
        assert_eq!(cat("GPL-3.0"), Some(Category::X));
        assert_eq!(cat("MIT AND LicenseRef-Custom"), None);
    }
}
