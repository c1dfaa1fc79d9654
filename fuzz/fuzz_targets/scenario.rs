#![no_main]
// See src/lib.rs (casus_fuzz::scenario) and docs/robustness.md.
libfuzzer_sys::fuzz_target!(|data: &[u8]| casus_fuzz::scenario(data));
