//! `go.mod` (and the same text as `vendor/modules.txt`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use onboard::fuzzing::{assert_spans, decode, go_mod};

fuzz_target!(|bytes: &[u8]| {
    let Some(text) = decode(bytes) else { return };
    assert_spans(text, &go_mod(text));
});
