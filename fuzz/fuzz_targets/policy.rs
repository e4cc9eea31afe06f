//! A policy file: syntax, shape, rule names and parameters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onboard::fuzzing::{assert_spans, decode, policy};

fuzz_target!(|bytes: &[u8]| {
    let Some(text) = decode(bytes) else { return };
    assert_spans(text, &policy(text));
});
