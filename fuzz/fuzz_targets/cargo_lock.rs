//! `Cargo.lock` (and the same text as a published `Cargo.toml`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use onboard::fuzzing::{assert_spans, cargo_lock, decode};

fuzz_target!(|bytes: &[u8]| {
    let Some(text) = decode(bytes) else { return };
    assert_spans(text, &cargo_lock(text));
});
