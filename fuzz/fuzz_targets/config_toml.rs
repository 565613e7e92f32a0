//! Fuzz target `config_toml`: see `sladd_fuzz::config_toml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sladd_fuzz::config_toml(data));
