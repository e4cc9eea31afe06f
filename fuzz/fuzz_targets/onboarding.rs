//! `.onboarding.yml`: the YAML span tree and the typed reading of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onboard::fuzzing::{assert_spans, decode, onboarding, yaml_tree};

fuzz_target!(|bytes: &[u8]| {
    let Some(text) = decode(bytes) else { return };
    assert_spans(text, &yaml_tree(text));
    assert_spans(text, &onboarding(text));
});
