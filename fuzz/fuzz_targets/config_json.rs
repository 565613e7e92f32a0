//! Fuzz target `config_json`: see `sladd_fuzz::config_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sladd_fuzz::config_json(data));
