//! Fuzz target `decode`: see `sladd_fuzz::decode`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sladd_fuzz::decode(data));
