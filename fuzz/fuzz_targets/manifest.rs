//! The plugin manifest: the first byte picks the file name (`plugin.json` when even, else
//! `plugin.yml`), the rest is its text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onboard::fuzzing::{assert_spans, decode, manifest};

fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let path = if pick % 2 == 0 {
        "plugin.json"
    } else {
        "plugin.yml"
    };
    let Some(text) = decode(rest) else { return };
    assert_spans(text, &manifest(path, text));
});
