//! A tag name: read it as a version; its own text and every suggested name read back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // Git keeps tag names as bytes; onboard reads the UTF-8 ones.
    let Ok(name) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Err(e) = onboard::fuzzing::tag_name(name) {
        panic!("{e}");
    }
});
