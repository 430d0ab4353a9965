#![no_main]
//! See fuzz/README.md and `checks::yaml_document` for what this target asserts.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::yaml_document(data, checks::Mode::Fuzzing));
