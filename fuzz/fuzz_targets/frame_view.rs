//! Fuzz target `frame_view`: see `sladd_fuzz::frame_view`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sladd_fuzz::frame_view(data));
