#![no_main]
//! See fuzz/README.md and `checks::vi_slug` for what this target asserts.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::vi_slug(data, checks::Mode::Fuzzing));
