//! Rules on documentation.

pub mod docs_not_updated_for_settings;
pub mod missing_docs_branch;
