#![no_main]
//! See fuzz/README.md and `checks::frontmatter` for what this target asserts.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::frontmatter(data, checks::Mode::Fuzzing));
