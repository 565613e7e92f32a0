//! Fuzz target `schedule`: see `sladd_fuzz::schedule`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sladd_fuzz::schedule(data));
