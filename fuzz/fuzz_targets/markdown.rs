#![no_main]
//! See fuzz/README.md and `checks::markdown` for what this target asserts.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::markdown(data, checks::Mode::Fuzzing));
