//! Licences: text detection (hash tier, then the classifier), SPDX expressions, and Apache's
//! categories as shipped policy data.

pub mod categories;
pub mod detect;
pub mod diff;
pub mod expr;
pub mod known;
pub mod normalise;

pub use detect::{Detection, Detector, Method};
