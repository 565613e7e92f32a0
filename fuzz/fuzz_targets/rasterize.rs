//! Fuzz target `rasterize`: see `sladd_fuzz::rasterize`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sladd_fuzz::rasterize(data));
