#![no_main]
//! See fuzz/README.md and `checks::vi_date` for what this target asserts.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::vi_date(data, checks::Mode::Fuzzing));
