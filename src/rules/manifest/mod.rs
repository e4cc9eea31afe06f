//! Rules on the plugin manifest, reproducing the Mattermost server's own validation
//! (`model.Manifest.IsValid`) so a plugin that passes here loads there.

pub mod invalid_manifest;
pub mod invalid_manifest_url;
pub mod invalid_manifest_version;
pub mod invalid_plugin_id;
pub mod invalid_plugin_setting;
pub mod invalid_settings_section;
pub mod missing_manifest;
pub mod missing_marketplace_field;
pub mod missing_plugin_name;
pub mod unknown_manifest_key;
pub mod wrong_release_notes_url;

use crate::facts::manifest::{Manifest, ManifestFact};
use crate::facts::Facts;

/// The manifest, when one was found and parsed.
pub fn found(facts: &Facts) -> Option<&Manifest> {
    match facts.manifest() {
        ManifestFact::Found(m) => Some(m),
        _ => None,
    }
}
