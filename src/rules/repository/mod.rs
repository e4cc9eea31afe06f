//! Rules on what the repository holds at its root.

pub mod file_too_large;
pub mod missing_licence_file;
pub mod missing_readme;
