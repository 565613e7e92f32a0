//! sladd-capi through its C ABI: the extern functions called as C would
//! call them, the committed header against a fresh generation, and the C
//! example compiled with the system compiler, run, checked pixel by pixel,
//! run under valgrind and built against a staged pkg-config install.

#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

#[path = "capi/support.rs"]
mod support;

#[path = "capi/calls.rs"]
mod calls;
#[path = "capi/example.rs"]
mod example;
#[path = "capi/header.rs"]
mod header;
