//! `package-lock.json`, and the `package.json` fallback on the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onboard::fuzzing::{assert_spans, decode, npm_lockfile};

fuzz_target!(|bytes: &[u8]| {
    let Some(text) = decode(bytes) else { return };
    assert_spans(text, &npm_lockfile(text));
});
