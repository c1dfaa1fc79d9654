#![no_main]
// See src/lib.rs (casus_fuzz::library_toml) and docs/robustness.md.
libfuzzer_sys::fuzz_target!(|data: &[u8]| casus_fuzz::library_toml(data));
