//! Licences: text detection (hash tier, then the classifier), SPDX expressions, and Apache's
//! categories as shipped policy data.

pub mod align;
pub mod categories;
pub mod classify;
pub mod detect;
pub mod expr;
pub mod index;
pub mod known;
pub mod normalise;
pub mod statement;
pub mod tokens;
pub mod verify;

pub use detect::{Detection, Detector, Method};
